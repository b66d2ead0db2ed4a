import { Card, CardBody, CardText } from "design-react-kit";
import type { MessageId } from "../bindings/MessageId";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

const SERVICES: readonly MessageId[] = [
  "service-health",
  "service-cup",
  "service-permit",
  "service-citizenship",
  "service-bonus",
  "service-legal",
  "service-mediation",
  "service-work",
];

/** The first screen: what Porta is and what the desk offers. */
export function Home() {
  const t = useT();
  useDocumentTitle(t("nav-home"));
  return (
    <>
      <h1>{t("home-heading")}</h1>
      <p className="lead">{t("home-intro")}</p>
      <h2 className="h4 mt-5 mb-3">{t("home-services-heading")}</h2>
      <ul className="row list-unstyled g-3" data-testid="services">
        {SERVICES.map((service) => (
          <li key={service} className="col-12 col-md-6 col-lg-3 d-flex">
            <Card className="card-bg w-100">
              <CardBody>
                <CardText>{t(service)}</CardText>
              </CardBody>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}

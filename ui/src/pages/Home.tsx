import { Card, CardBody, CardText } from "design-react-kit";
import { Link } from "react-router-dom";
import type { DueItem } from "../bindings/DueItem";
import type { MessageId } from "../bindings/MessageId";
import { ErrorAlert } from "../components/ErrorAlert";
import { formatDay } from "../desk/format";
import { useDueList } from "../desk/queries";
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

/** The first screen: what is due across the folders, then what the desk offers. */
export function Home() {
  const t = useT();
  useDocumentTitle(t("nav-home"));
  return (
    <>
      <h1>{t("home-heading")}</h1>
      <p className="lead">{t("home-intro")}</p>
      <Link className="btn btn-primary" to="/contact" data-testid="home-quick-contact">
        {t("home-quick-contact")}
      </Link>
      <DueSection />
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

/** Where in the folder a deadline comes from: its row, or the fact or section it reads. */
export function dueAnchor(item: DueItem): string {
  const { kind, row } = item.reminder.deadline;
  if (row !== null) return `row-${row}`;
  switch (kind) {
    case "stp_expiry":
      return "fact-stp";
    case "eni_expiry":
      return "fact-eni";
    default:
      return "section-household";
  }
}

/** The due list: overdue first, each line opening the folder where the deadline comes from. */
function DueSection() {
  const t = useT();
  const { data, error } = useDueList();
  return (
    <section aria-labelledby="home-due-heading" className="mt-4">
      <h2 id="home-due-heading" className="h4">
        {t("home-due-heading")}
      </h2>
      <p>{t("home-due-intro")}</p>
      {error !== null && <ErrorAlert error={error} />}
      {data !== undefined && data.items.length === 0 && (
        <p data-testid="due-empty">{t("home-due-empty")}</p>
      )}
      {data !== undefined && data.items.length > 0 && (
        <ul className="list-unstyled due-list" data-testid="due-list">
          {data.items.map((item) => (
            <DueLine
              key={`${item.reminder.deadline.folder}:${dueAnchor(item)}:${item.reminder.deadline.kind}`}
              item={item}
            />
          ))}
        </ul>
      )}
      {data !== undefined && data.more > 0 && (
        <p data-testid="due-more">{t("home-due-more", { count: data.more })}</p>
      )}
    </section>
  );
}

function DueLine({ item }: { item: DueItem }) {
  const t = useT();
  const { reminder } = item;
  const { deadline, daysLeft, urgency } = reminder;
  const name = `${item.givenNames} ${item.familyName}`.trim();
  const when =
    daysLeft < 0
      ? t("home-due-overdue", { days: -daysLeft })
      : daysLeft === 0
        ? t("home-due-today")
        : t("home-due-days-left", { days: daysLeft });
  return (
    <li className="due-line" data-testid="due-line" data-kind={deadline.kind}>
      <span className={`expiry-badge urgency-${urgency}`}>
        {t(`urgency-${urgency}` as MessageId)}
      </span>{" "}
      <Link
        to={`/folder/${deadline.folder}#${dueAnchor(item)}`}
        aria-label={t("home-due-open", { name })}
      >
        <span dir="auto">{name}</span>
      </Link>
      {" — "}
      {t(`deadline-kind-${deadline.kind}` as MessageId)}: {formatDay(deadline.due)} ({when})
    </li>
  );
}

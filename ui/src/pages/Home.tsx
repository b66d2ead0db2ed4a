import { Card, CardBody, CardText } from "design-react-kit";
import { Link } from "react-router-dom";
import type { DueItem } from "../bindings/DueItem";
import type { MessageId } from "../bindings/MessageId";
import { ErrorAlert } from "../components/ErrorAlert";
import { AppointmentSummary } from "../desk/AppointmentSummary";
import { formatDay, todayInRome } from "../desk/format";
import { useAppointmentsOn, useColleagues, useDueList } from "../desk/queries";
import { useT } from "../i18n/Localization";
import { useSyncView } from "../queries";
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
      <div className="d-flex flex-wrap gap-2">
        <Link className="btn btn-primary" to="/contact" data-testid="home-quick-contact">
          {t("home-quick-contact")}
        </Link>
        <MyWork />
      </div>
      <ReviewSection />
      <TodaySection />
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

/** The operator's own work: their open practices, their appointments this week. */
function MyWork() {
  const t = useT();
  const me = useColleagues().data?.find((colleague) => colleague.me);
  if (me === undefined) return null;
  return (
    <>
      <Link className="btn btn-outline-primary" to="/practices" data-testid="home-my-practices">
        {t("home-my-practices")}
      </Link>
      <Link
        className="btn btn-outline-primary"
        to={`/agenda?view=week&operator=${me.id}`}
        data-testid="home-my-week"
      >
        {t("home-my-week")}
      </Link>
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
    case "citizenship_eligible":
      return "section-person";
    default:
      return "section-household";
  }
}

/** Today's appointments across the folders, earliest first; each opens the folder at its row. */
function TodaySection() {
  const t = useT();
  const today = todayInRome();
  const { data, error } = useAppointmentsOn(today);
  return (
    <section aria-labelledby="home-today-heading" className="mt-4">
      <h2 id="home-today-heading" className="h4">
        {t("home-today-heading", { date: formatDay(today) })}
      </h2>
      {error !== null && <ErrorAlert error={error} />}
      {data !== undefined && data.length === 0 && (
        <p data-testid="today-empty">{t("home-today-empty")}</p>
      )}
      {data !== undefined && data.length > 0 && (
        <ul className="list-unstyled" data-testid="today-list">
          {data.map((item) => (
            <li key={item.appointment.id} className="due-line" data-testid="today-line">
              <AppointmentSummary item={item} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What waits for someone to look at it: conflicts, refused edits, edits kept for another office. */
function ReviewSection() {
  const t = useT();
  const { data } = useSyncView();
  if (data === undefined) return null;
  const { conflicts, rejected, heldForOwner } = data.status;
  const refused = rejected - heldForOwner;
  if (conflicts + rejected === 0) return null;
  return (
    <section aria-labelledby="home-review-heading" className="mt-4" data-testid="home-review">
      <h2 id="home-review-heading" className="h4">
        {t("home-review-heading")}
      </h2>
      <ul>
        {conflicts > 0 && (
          <li>
            <Link to="/conflicts">{t("home-review-conflicts", { count: conflicts })}</Link>
          </li>
        )}
        {refused > 0 && (
          <li>
            <Link to="/sync">{t("home-review-refused", { count: refused })}</Link>
          </li>
        )}
        {heldForOwner > 0 && (
          <li>
            <Link to="/sync">{t("home-review-held", { count: heldForOwner })}</Link>
          </li>
        )}
      </ul>
    </section>
  );
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

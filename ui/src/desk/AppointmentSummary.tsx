import { Link } from "react-router-dom";
import type { AgendaItem } from "../bindings/AgendaItem";
import { useT } from "../i18n/Localization";
import { formatLocalDateTime, personName } from "./format";
import { useColleagues } from "./queries";

/** One appointment as a day's list reads it: the time (and how long), whose it is (a link to
 * the folder at its row), where and why, the CUP code, who receives the person, the mediator
 * and language, and whether it is cancelled. */
export function AppointmentSummary({ item }: { item: AgendaItem }) {
  const t = useT();
  const colleagues = useColleagues();
  const { details } = item.appointment;
  const name = personName(item);
  const operator = colleagues.data?.find((colleague) => colleague.id === details.operator);
  return (
    <span dir="auto">
      <strong data-testid="agenda-time">{formatLocalDateTime(details.at).slice(11)}</strong>
      {details.duration_minutes !== null &&
        ` (${t("agenda-minutes", { minutes: details.duration_minutes })})`}{" "}
      <Link
        to={`/folder/${item.folder}#row-${item.appointment.id}`}
        aria-label={t("home-due-open", { name })}
      >
        <span dir="auto">{name}</span>
      </Link>
      {" — "}
      <span dir="auto">{details.place}</span>
      {details.purpose !== null && (
        <>
          {", "}
          <span dir="auto">{details.purpose}</span>
        </>
      )}
      {details.cup !== null && ` (CUP ${details.cup.booking_code})`}
      {operator !== undefined && ` · ${operator.displayName}`}
      {details.mediator !== null &&
        ` · ${t("agenda-with-mediator", { mediator: details.mediator })}`}
      {details.language !== null && ` · ${t("agenda-language", { language: details.language })}`}
      {details.cancelled && (
        <>
          {" "}
          <span className="expiry-badge urgency-overdue">{t("home-today-cancelled")}</span>
        </>
      )}
    </span>
  );
}

import { useId } from "react";
import type { AgendaItem } from "../bindings/AgendaItem";
import type { MediatorDetails } from "../bindings/MediatorDetails";
import type { MessageId } from "../bindings/MessageId";
import { useT } from "../i18n/Localization";
import { addDays, formatDay, formatLocalDateTime, todayInRome } from "./format";
import { useAppointments, useDirectory } from "./queries";

/** The mediators already booked in the period, by language: what to check before booking
 * another appointment with mediation. */
export function MediatorsBusy({ items, heading }: { items: AgendaItem[]; heading: string }) {
  const t = useT();
  const headingId = useId();
  const busy = new Map<string, { mediator: string; language: string; times: string[] }>();
  for (const item of items) {
    const { mediator, language, at, cancelled } = item.appointment.details;
    if (mediator === null || cancelled) continue;
    const key = `${mediator}\u0000${language ?? ""}`;
    const entry = busy.get(key) ?? { mediator, language: language ?? "—", times: [] };
    entry.times.push(formatLocalDateTime(at));
    busy.set(key, entry);
  }
  return (
    <section aria-labelledby={headingId} className="mt-4" data-testid="agenda-mediators">
      <h2 id={headingId} className="h5">
        {heading}
      </h2>
      <p>{t("agenda-mediators-intro")}</p>
      {busy.size === 0 ? (
        <p className="text-muted">{t("agenda-mediators-empty")}</p>
      ) : (
        <ul>
          {[...busy.values()].map((entry) => (
            <li key={`${entry.mediator}-${entry.language}`} dir="auto">
              {t("agenda-mediator-busy", {
                mediator: entry.mediator,
                language: entry.language,
                times: entry.times.join(", "),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** When a mediator is usually available: the days, and the hours if known. */
export function availability(details: MediatorDetails, t: ReturnType<typeof useT>): string {
  const days = details.weekdays.map((day) => t(`value-weekday-${day}` as MessageId)).join(", ");
  const hours =
    details.from_time === null && details.until_time === null
      ? ""
      : ` ${details.from_time ?? ""}–${details.until_time ?? ""}`;
  return days === "" ? hours.trim() : `${days}${hours}`;
}

/** Days ahead whose booked mediators the appointment form shows. */
const BOOKING_DAYS = 14;

/** The Ambito's mediators who still mediate, with their languages and when they are
 * usually available (from the directory). */
export function MediatorsRoster() {
  const t = useT();
  const headingId = useId();
  const directory = useDirectory();
  const active = (directory.data?.mediators ?? []).filter((row) => !row.details.inactive);
  if (directory.data === undefined) return null;
  return (
    <section aria-labelledby={headingId} className="mt-4" data-testid="mediators-roster">
      <h2 id={headingId} className="h5">
        {t("mediators-roster-any")}
      </h2>
      {active.length === 0 ? (
        <p className="text-muted">{t("mediators-roster-empty")}</p>
      ) : (
        <ul>
          {active.map((row) => (
            <li key={row.id} dir="auto">
              {t("mediators-roster-line", {
                mediator: row.details.name,
                languages: row.details.languages.join(", "),
                available: availability(row.details, t) || t("mediators-roster-unknown-hours"),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** While an appointment is booked: who mediates in which language and when, and the
 * mediators already booked in the next two weeks. */
export function MediatorsBookedSoon() {
  const t = useT();
  const today = todayInRome();
  const soon = useAppointments({ first: today, days: BOOKING_DAYS, operator: null });
  return (
    <>
      <MediatorsRoster />
      {soon.data !== undefined && (
        <MediatorsBusy
          items={soon.data}
          heading={t("agenda-mediators-soon", {
            from: formatDay(today),
            to: formatDay(addDays(today, BOOKING_DAYS - 1)),
          })}
        />
      )}
    </>
  );
}

import { useId } from "react";
import type { AgendaItem } from "../bindings/AgendaItem";
import { useT } from "../i18n/Localization";
import { addDays, formatDay, formatLocalDateTime, todayInRome } from "./format";
import { useAppointments } from "./queries";

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

/** Days ahead whose booked mediators the appointment form shows. */
const BOOKING_DAYS = 14;

/** While an appointment is booked: the mediators already booked in the next two weeks. */
export function MediatorsBookedSoon() {
  const t = useT();
  const today = todayInRome();
  const soon = useAppointments({ first: today, days: BOOKING_DAYS, operator: null });
  if (soon.data === undefined) return null;
  return (
    <MediatorsBusy
      items={soon.data}
      heading={t("agenda-mediators-soon", {
        from: formatDay(today),
        to: formatDay(addDays(today, BOOKING_DAYS - 1)),
      })}
    />
  );
}

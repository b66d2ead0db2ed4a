// How the desk writes dates, names and values: dd/mm/yyyy, Europe/Rome, partial dates as
// people know them ("1990", "03/1990").
import type { PartialDate } from "../bindings/PartialDate";

const pad = (n: number) => String(n).padStart(2, "0");

/** A stored day (`yyyy-mm-dd`) as `dd/mm/yyyy`. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split("-");
  return `${date}/${month}/${year}`;
}

/** A birth date as far as it is known: `dd/mm/yyyy`, `mm/yyyy` or `yyyy`, `~` when estimated. */
export function formatPartialDate(date: PartialDate): string {
  const text =
    date.month === null
      ? String(date.year)
      : date.day === null
        ? `${pad(date.month)}/${date.year}`
        : `${pad(date.day)}/${pad(date.month)}/${date.year}`;
  return date.estimated ? `~${text}` : text;
}

const romeDateTime = new Intl.DateTimeFormat("it-IT", {
  timeZone: "Europe/Rome",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** An instant (ms since the epoch) as `dd/mm/yyyy, hh:mm` in Europe/Rome. */
export function formatInstant(ms: number): string {
  return romeDateTime.format(new Date(ms));
}

/** A local date and time (`yyyy-mm-ddThh:mm[:ss]`) as `dd/mm/yyyy hh:mm`. */
export function formatLocalDateTime(value: string): string {
  const [day = "", time = ""] = value.split("T");
  return `${formatDay(day)} ${time.slice(0, 5)}`;
}

/** Today in Europe/Rome as `yyyy-mm-dd`. */
export function todayInRome(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Rome",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
  return parts;
}

/** Given names then family name, either of which may be missing. */
export function personName(person: { givenNames?: string; familyName?: string }): string {
  return [person.givenNames, person.familyName]
    .filter((part) => part && part.trim() !== "")
    .join(" ");
}

/** Days from `from` to `to`, both `yyyy-mm-dd`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether a document expiring on `expiresOn` is valid, expiring within 60 days, or expired. */
export function expiry(expiresOn: string, today: string): "valid" | "expiring" | "expired" {
  const left = daysBetween(today, expiresOn);
  return left < 0 ? "expired" : left <= 60 ? "expiring" : "valid";
}

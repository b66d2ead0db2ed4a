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

/** An instant (ms since the epoch) as `dd/mm/yyyy, hh:mm` in Europe/Rome, in either language. */
export function formatInstant(ms: number, locale = "it"): string {
  return romeFormat(locale === "it" ? "it-IT" : "en-GB", "instant").format(new Date(ms));
}

/** What each formatter shows, by name. */
const SHAPES = {
  day: { year: "numeric", month: "2-digit", day: "2-digit" },
  instant: {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** Formatters in Europe/Rome, each made once: making one loads its locale's and time zone's
 * data, which costs more than formatting a thousand dates (a folder's history lists that
 * many). */
const romeFormats = new Map<string, Intl.DateTimeFormat>();
function romeFormat(locale: string, shape: keyof typeof SHAPES): Intl.DateTimeFormat {
  const key = `${locale} ${shape}`;
  let format = romeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { ...SHAPES[shape], timeZone: "Europe/Rome" });
    romeFormats.set(key, format);
  }
  return format;
}

/** A local date and time (`yyyy-mm-ddThh:mm[:ss]`) as `dd/mm/yyyy hh:mm`. */
export function formatLocalDateTime(value: string): string {
  const [day = "", time = ""] = value.split("T");
  return `${formatDay(day)} ${time.slice(0, 5)}`;
}

/** Today in Europe/Rome as `yyyy-mm-dd`, whatever the system's locale. */
export function todayInRome(now: Date = new Date()): string {
  const parts = romeFormat("en-GB", "day").formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/**
 * A date as typed at the desk (`dd/mm/yyyy`, also `d/m/yyyy`, `dd.mm.yyyy` or ISO) as
 * `yyyy-mm-dd`; text that is no date comes back as it is, for the store to refuse naming
 * the field.
 */
export function parseDay(text: string): string {
  const trimmed = text.trim();
  const italian = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (italian) {
    const [, day = "", month = "", year = ""] = italian;
    return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  }
  return trimmed;
}

/** A date and time as typed (`dd/mm/yyyy hh:mm`) as `yyyy-mm-ddThh:mm:00`. */
export function parseDateTime(text: string): string {
  const [day = "", time = ""] = text.trim().split(/\s+/);
  const clock = /^(\d{1,2})[:.](\d{2})$/.exec(time);
  if (!clock) return text.trim();
  const [, hours = "", minutes = ""] = clock;
  return `${parseDay(day)}T${hours.padStart(2, "0")}:${minutes}:00`;
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

/** `day` (`yyyy-mm-dd`) moved by `days`, on the calendar. */
export function addDays(day: string, days: number): string {
  const moved = new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
  return moved.toISOString().slice(0, 10);
}

/** The Monday of the week of `day` (`yyyy-mm-dd`), as the Italian calendar starts weeks. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

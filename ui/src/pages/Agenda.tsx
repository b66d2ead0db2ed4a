import { Button, Spinner } from "design-react-kit";
import { useEffect, useId, useState } from "react";
import { useSearchParams } from "react-router-dom";
import type { AgendaItem } from "../bindings/AgendaItem";
import { ErrorAlert } from "../components/ErrorAlert";
import { AppointmentSummary } from "../desk/AppointmentSummary";
import { ColleagueSelect } from "../desk/ColleagueSelect";
import {
  addDays,
  formatDay,
  formatLocalDateTime,
  mondayOf,
  parseDateTime,
  todayInRome,
} from "../desk/format";
import { LabelledInput } from "../desk/LabelledInput";
import { MediatorsBusy } from "../desk/MediatorsBusy";
import { PrintButton, PrintOutcome } from "../desk/Printing";
import { useAppointments, useSaveRow } from "../desk/queries";
import { useLocale } from "../i18n/LocaleContext";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

type View = "day" | "week";

/** The office's appointments by day or by week, of everyone or of one operator; each can be
 * moved, cancelled (and restored) and its reminder printed for the person. The choices live
 * in the address, so "my appointments this week" is a link to keep. */
export function Agenda() {
  const t = useT();
  useDocumentTitle(t("agenda-heading"));
  const [params, setParams] = useSearchParams();
  const view: View = params.get("view") === "week" ? "week" : "day";
  const day = params.get("day") ?? todayInRome();
  const operator = params.get("operator");
  const first = view === "week" ? mondayOf(day) : day;
  const days = view === "week" ? 7 : 1;
  const agenda = useAppointments({ first, days, operator });
  const operatorId = useId();
  const choose = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };
  const dayList = Array.from({ length: days }, (_, index) => addDays(first, index));
  return (
    <>
      <h1>{t("agenda-heading")}</h1>
      <p>{t("agenda-intro")}</p>
      <div className="d-flex flex-wrap align-items-end gap-3 mb-3">
        <fieldset className="mb-0">
          <legend className="fs-6 fw-semibold">{t("agenda-view")}</legend>
          <div className="d-flex gap-3">
            {(["day", "week"] as const).map((option) => (
              <div key={option} className="form-check form-check-inline mb-0">
                <input
                  id={`agenda-view-${option}`}
                  type="radio"
                  name="agenda-view"
                  checked={view === option}
                  onChange={() => choose({ view: option })}
                />
                <label htmlFor={`agenda-view-${option}`}>{t(`agenda-view-${option}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="d-flex gap-2">
          <Button
            size="sm"
            color="primary"
            outline
            onClick={() => choose({ day: addDays(first, -days) })}
          >
            {t("agenda-previous")}
          </Button>
          <Button size="sm" color="primary" outline onClick={() => choose({ day: null })}>
            {t("agenda-today")}
          </Button>
          <Button
            size="sm"
            color="primary"
            outline
            onClick={() => choose({ day: addDays(first, days) })}
          >
            {t("agenda-next")}
          </Button>
        </div>
        <ColleagueSelect
          id={operatorId}
          label={t("agenda-operator")}
          value={operator ?? ""}
          onChange={(value) => choose({ operator: value || null })}
          noneLabel={t("agenda-everyone")}
          className="select-wrapper mb-0"
        />
      </div>
      <p className="lead" aria-live="polite" data-testid="agenda-period">
        {view === "week"
          ? t("agenda-period-week", {
              from: formatDay(first),
              to: formatDay(addDays(first, 6)),
            })
          : t("agenda-period-day", { date: formatDay(first) })}
      </p>
      {agenda.error !== null && <ErrorAlert error={agenda.error} />}
      {agenda.isPending && (
        <div className="d-flex align-items-center gap-3" role="status">
          <Spinner active small />
          <span>{t("loading")}</span>
        </div>
      )}
      {agenda.data !== undefined &&
        dayList.map((date) => (
          <AgendaDay
            key={date}
            date={date}
            items={agenda.data.filter((item) => item.appointment.details.at.startsWith(date))}
            headed={view === "week"}
          />
        ))}
      {agenda.data !== undefined && (
        <MediatorsBusy items={agenda.data} heading={t("agenda-mediators-heading")} />
      )}
    </>
  );
}

function useWeekday() {
  const { locale } = useLocale();
  const format = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" });
  return (date: string) => format.format(new Date(`${date}T00:00:00Z`));
}

function AgendaDay({
  date,
  items,
  headed,
}: {
  date: string;
  items: AgendaItem[];
  headed: boolean;
}) {
  const t = useT();
  const weekday = useWeekday();
  const headingId = `agenda-day-${date}`;
  return (
    <section
      aria-labelledby={headed ? headingId : undefined}
      className="mb-3"
      data-testid="agenda-day"
    >
      {headed && (
        <h2 id={headingId} className="h5 text-capitalize">
          {weekday(date)} {formatDay(date)}
        </h2>
      )}
      {items.length === 0 ? (
        <p className="text-muted">{t("agenda-empty")}</p>
      ) : (
        <ul className="list-unstyled" data-testid="agenda-list">
          {items.map((item) => (
            <AppointmentLine key={item.appointment.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AppointmentLine({ item }: { item: AgendaItem }) {
  const t = useT();
  const save = useSaveRow(item.folder);
  const [moving, setMoving] = useState(false);
  const [when, setWhen] = useState("");
  const [announcement, setAnnouncement] = useState("");
  const { details } = item.appointment;
  const place = `agenda-${item.appointment.id}`;
  const write = (
    changes: Partial<typeof details>,
    said: "agenda-moved" | "agenda-cancelled" | "agenda-restored",
  ) =>
    save.mutate(
      { entity: "appointment", rowId: item.appointment.id, details: { ...details, ...changes } },
      {
        onSuccess: () => {
          setMoving(false);
          setAnnouncement(t(said));
        },
      },
    );
  const moveId = `${place}-move`;
  useEffect(() => {
    if (moving) document.getElementById(moveId)?.focus();
  }, [moving, moveId]);
  return (
    <li
      className="due-line folder-row"
      data-testid="agenda-line"
      id={`agenda-${item.appointment.id}`}
    >
      <div className="d-flex flex-wrap justify-content-between gap-2">
        <AppointmentSummary item={item} />
        <div className="d-flex flex-wrap gap-2 no-print">
          {!moving && (
            <Button
              size="xs"
              color="primary"
              outline
              onClick={() => {
                save.reset();
                setWhen(formatLocalDateTime(details.at));
                setMoving(true);
              }}
            >
              {t("agenda-move")}
            </Button>
          )}
          <Button
            size="xs"
            color={details.cancelled ? "primary" : "danger"}
            outline
            disabled={save.isPending}
            onClick={() =>
              write(
                { cancelled: !details.cancelled },
                details.cancelled ? "agenda-restored" : "agenda-cancelled",
              )
            }
          >
            {details.cancelled ? t("agenda-restore") : t("agenda-cancel")}
          </Button>
          <PrintButton
            folderId={item.folder}
            document={{ kind: "appointment_slip", appointment: item.appointment.id }}
            label="appointment-print-slip"
            place={place}
          />
        </div>
      </div>
      {moving && (
        <form
          className="d-flex flex-wrap align-items-end gap-2 mt-2"
          noValidate
          onKeyDown={(event) => {
            if (event.key === "Escape") setMoving(false);
          }}
          onSubmit={(event) => {
            event.preventDefault();
            write({ at: parseDateTime(when) }, "agenda-moved");
          }}
        >
          <LabelledInput
            id={moveId}
            label={t("agenda-move-to")}
            value={when}
            onChange={setWhen}
            hint={t("field-datetime-hint")}
          />
          <Button type="submit" size="sm" color="primary" disabled={save.isPending}>
            {t("agenda-move-save")}
          </Button>
          <Button
            type="button"
            size="sm"
            color="secondary"
            outline
            onClick={() => setMoving(false)}
          >
            {t("agenda-back")}
          </Button>
        </form>
      )}
      {save.error && <ErrorAlert error={save.error} />}
      <PrintOutcome folderId={item.folder} place={place} />
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </li>
  );
}

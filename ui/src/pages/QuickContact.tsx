import { Alert, Button } from "design-react-kit";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Link, useLocation } from "react-router-dom";
import type { MessageId } from "../bindings/MessageId";
import type { NeedCategory } from "../bindings/NeedCategory";
import type { PlaceKind } from "../bindings/PlaceKind";
import type { QuickContactForm } from "../bindings/QuickContactForm";
import { ErrorAlert } from "../components/ErrorAlert";
import { useUnsavedChanges } from "../components/UnsavedChanges";
import { formatDay, parseDay } from "../desk/format";
import { LabelledInput } from "../desk/LabelledInput";
import { PersonPicker } from "../desk/PersonPicker";
import { useQuickContactForm, useRecordQuickContact } from "../desk/queries";
import { NEED_CATEGORIES } from "../desk/sections";
import { useT } from "../i18n/Localization";
import { useAppInfo } from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/** Who the contact is with, when the page was opened from a folder. */
export type QuickContactTarget = { person: string; name: string };

/** What each operator used last on this device, offered again: no personal data. */
type Habits = { placeKind: PlaceKind; place: string; language: string };

const PLACE_KINDS: readonly PlaceKind[] = ["office", "outdoor", "phone"];
const habitsKey = (login: string) => `porta.quick-contact.${login}`;

function readHabits(login: string, form: QuickContactForm): Habits {
  try {
    const stored = JSON.parse(localStorage.getItem(habitsKey(login)) ?? "null") as Habits | null;
    if (stored !== null && PLACE_KINDS.includes(stored.placeKind)) return stored;
  } catch {
    // Unreadable: start from the places below.
  }
  // A mediator starts outdoors, at the first outreach place; the desk at its first office.
  const outdoors = form.mediator !== null;
  const place = form.places.find((p) => p.kind === (outdoors ? "outreach" : "office"));
  return { placeKind: outdoors ? "outdoor" : "office", place: place?.name ?? "", language: "" };
}

/** An encounter recorded in a few keystrokes: with a known person, or with nobody named. */
export function QuickContact() {
  const t = useT();
  useDocumentTitle(t("quick-contact-heading"));
  const form = useQuickContactForm();
  const info = useAppInfo();
  const session = info.data?.session;
  const login = session?.state === "unlocked" ? session.operator.login : null;
  return (
    <>
      <h1>{t("quick-contact-heading")}</h1>
      <p>{t("quick-contact-intro")}</p>
      {form.error !== null && <ErrorAlert error={form.error} />}
      {form.data !== undefined && login !== null && <ContactForm form={form.data} login={login} />}
    </>
  );
}

function ContactForm({ form, login }: { form: QuickContactForm; login: string }) {
  const t = useT();
  const location = useLocation();
  const target = (location.state as QuickContactTarget | null) ?? null;
  const record = useRecordQuickContact();
  const [habits, setHabits] = useState<Habits>(() => readHabits(login, form));
  const [person, setPerson] = useState(target?.person ?? "");
  const [anonymous, setAnonymous] = useState(false);
  const [on, setOn] = useState(formatDay(form.today));
  const [minutes, setMinutes] = useState("15");
  const [people, setPeople] = useState("1");
  const [services, setServices] = useState<NeedCategory[]>([]);
  const [note, setNote] = useState("");
  useUnsavedChanges(note.trim() !== "" && !record.isPending);
  const [missingPerson, setMissingPerson] = useState(false);
  const [saved, setSaved] = useState<{ text: string; folder: string | null; name: string } | null>(
    null,
  );
  const first = useRef<HTMLDivElement>(null);
  const placesId = useId();

  // The first field has the focus: a known person's contact is a few keys away.
  useEffect(() => {
    first.current?.querySelector<HTMLElement>("input, select")?.focus();
  }, []);

  const personName = target !== null && person === target.person ? target.name : null;
  const toggle = (service: NeedCategory) =>
    setServices((chosen) =>
      chosen.includes(service) ? chosen.filter((s) => s !== service) : [...chosen, service],
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!anonymous && person === "") {
      setMissingPerson(true);
      return;
    }
    setMissingPerson(false);
    const chosenName =
      personName ??
      first.current?.querySelector<HTMLSelectElement>("select")?.selectedOptions[0]?.text ??
      "";
    record.mutate(
      {
        person: anonymous ? null : person,
        on: parseDay(on),
        placeKind: habits.placeKind,
        place: habits.place.trim() === "" ? null : habits.place.trim(),
        language: habits.language.trim() === "" ? null : habits.language.trim(),
        durationMinutes: Number(minutes),
        people: Number(people),
        services,
        note: note.trim() === "" ? null : note,
      },
      {
        onSuccess: () => {
          localStorage.setItem(habitsKey(login), JSON.stringify(habits));
          setSaved(
            anonymous
              ? {
                  text: t("quick-contact-saved-anonymous", { people: Number(people) }),
                  folder: null,
                  name: "",
                }
              : {
                  text: t("quick-contact-saved", { name: chosenName }),
                  folder: person,
                  name: chosenName,
                },
          );
          // Ready for the next encounter: the place, language and date stay.
          setPerson("");
          setServices([]);
          setNote("");
          setMinutes("15");
          setPeople("1");
          first.current?.querySelector<HTMLElement>("input, select")?.focus();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="porta-desk-form" data-testid="quick-contact-form">
      <div aria-live="polite">
        {saved !== null && (
          <Alert color="success" data-testid="quick-contact-saved">
            {saved.text}{" "}
            {saved.folder !== null && (
              <Link to={`/folder/${saved.folder}`}>
                {t("quick-contact-open-folder", { name: saved.name })}
              </Link>
            )}
          </Alert>
        )}
      </div>
      <div ref={first}>
        {personName !== null ? (
          <p className="lead" data-testid="quick-contact-with">
            {t("quick-contact-with", { name: personName })}{" "}
            <Button type="button" size="xs" color="secondary" outline onClick={() => setPerson("")}>
              {t("quick-contact-change-person")}
            </Button>
          </p>
        ) : (
          !anonymous && (
            <PersonPicker
              id="quick-person"
              label={t("quick-contact-person")}
              value={person}
              onChange={setPerson}
            />
          )
        )}
      </div>
      {missingPerson && (
        <Alert color="danger" role="alert">
          {t("quick-contact-person-missing")}
        </Alert>
      )}
      {personName === null && (
        <div className="form-check mb-3">
          <input
            id="quick-anonymous"
            type="checkbox"
            checked={anonymous}
            onChange={(event) => setAnonymous(event.target.checked)}
          />
          <label htmlFor="quick-anonymous">{t("quick-contact-anonymous")}</label>
        </div>
      )}
      <div className="row">
        <div className="col-12 col-md-4">
          <LabelledInput
            id="quick-on"
            label={t("field-on")}
            value={on}
            onChange={setOn}
            inputMode="numeric"
          />
        </div>
        <div className="col-12 col-md-4">
          <div className="select-wrapper mb-3">
            <label htmlFor="quick-place-kind">{t("field-place-kind")}</label>
            <select
              id="quick-place-kind"
              value={habits.placeKind}
              onChange={(event) =>
                setHabits({ ...habits, placeKind: event.target.value as PlaceKind })
              }
            >
              {PLACE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`value-place_kind-${kind}` as MessageId)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="col-12 col-md-4">
          <div className="form-group mb-3">
            <label htmlFor="quick-place" className="active">
              {t("field-place")}
            </label>
            <input
              id="quick-place"
              type="text"
              className="form-control"
              list={placesId}
              value={habits.place}
              onChange={(event) => setHabits({ ...habits, place: event.target.value })}
            />
            <datalist id={placesId}>
              {form.places.map((place) => (
                <option key={place.name} value={place.name} />
              ))}
            </datalist>
          </div>
        </div>
        <div className="col-12 col-md-4">
          <LabelledInput
            id="quick-language"
            label={t("field-language")}
            hint={t("quick-contact-language-hint")}
            value={habits.language}
            onChange={(language) => setHabits({ ...habits, language })}
          />
        </div>
        <div className="col-12 col-md-4">
          {/* How many people were met, or how long it took with the one person. */}
          <LabelledInput
            key={anonymous ? "people" : "minutes"}
            id={anonymous ? "quick-people" : "quick-minutes"}
            label={t(anonymous ? "field-people" : "field-duration-minutes")}
            type="number"
            inputMode="numeric"
            value={anonymous ? people : minutes}
            onChange={anonymous ? setPeople : setMinutes}
          />
        </div>
      </div>
      <fieldset className="mb-3">
        <legend className="h6">{t("field-services")}</legend>
        {NEED_CATEGORIES.map((service) => (
          <div key={service} className="form-check form-check-inline">
            <input
              id={`quick-service-${service}`}
              type="checkbox"
              checked={services.includes(service)}
              onChange={() => toggle(service)}
            />
            <label htmlFor={`quick-service-${service}`}>
              {t(`value-need_category-${service}` as MessageId)}
            </label>
          </div>
        ))}
      </fieldset>
      <LabelledInput
        id="quick-note"
        label={t("field-note")}
        value={note}
        onChange={setNote}
        rows={2}
        dir="auto"
      />
      {record.error !== null && <ErrorAlert error={record.error} />}
      <Button type="submit" color="primary" disabled={record.isPending}>
        {t("quick-contact-save")}
      </Button>
    </form>
  );
}

import { Button, Spinner } from "design-react-kit";
import { type ReactNode, useId, useState } from "react";
import { useSearchParams } from "react-router-dom";
import type { MediatorDetails } from "../bindings/MediatorDetails";
import type { MessageId } from "../bindings/MessageId";
import type { OrganisationDetails } from "../bindings/OrganisationDetails";
import type { Row } from "../bindings/Row";
import { ErrorAlert } from "../components/ErrorAlert";
import { todayInRome } from "../desk/format";
import { LabelledInput } from "../desk/LabelledInput";
import { availability } from "../desk/MediatorsBusy";
import { useDirectory, useSaveMediator, useSaveOrganisation } from "../desk/queries";
import { RowForm } from "../desk/RowForm";
import {
  type FieldSpec,
  fromForm,
  MEDIATOR_FIELDS,
  ORGANISATION_FIELDS,
  REFERRAL_TARGETS,
  toForm,
} from "../desk/sections";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

/** Folds a text for matching: lower case, without accents. */
function folded(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/** The Ambito's directory of the territory's services: where the desk refers people, with
 * what the letter prints (address, telephone, hours). Everyone reads it; administrators keep
 * it, and it reaches every office at the next sync. The filters live in the address. */
export function Directory() {
  const t = useT();
  useDocumentTitle(t("directory-heading"));
  const directory = useDirectory();
  const saveService = useSaveOrganisation();
  const [params, setParams] = useSearchParams();
  const textId = useId();
  const kindId = useId();
  const text = params.get("q") ?? "";
  const kind = params.get("kind") ?? "";
  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === "") next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };
  const wanted = folded(text.trim());
  const shown = (directory.data?.services ?? []).filter(
    (row) =>
      (kind === "" || row.details.kind === kind) &&
      (wanted === "" ||
        folded(`${row.details.name} ${row.details.municipality ?? ""}`).includes(wanted)),
  );
  const mayKeep = directory.data?.mayKeep === true;
  return (
    <>
      <h1>{t("directory-heading")}</h1>
      <p>{t(mayKeep ? "directory-intro-keeper" : "directory-intro")}</p>
      <form className="row g-3 mb-3" onSubmit={(event) => event.preventDefault()}>
        <div className="col-12 col-md-6 pt-3">
          <LabelledInput
            id={textId}
            type="search"
            label={t("directory-filter-text")}
            value={text}
            onChange={(value) => choose("q", value)}
          />
        </div>
        <div className="col-12 col-md-6 select-wrapper">
          <label htmlFor={kindId}>{t("directory-filter-kind")}</label>
          <select id={kindId} value={kind} onChange={(event) => choose("kind", event.target.value)}>
            <option value="">{t("directory-filter-all-kinds")}</option>
            {REFERRAL_TARGETS.map((target) => (
              <option key={target} value={target}>
                {t(`value-referral_target-${target}` as MessageId)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {directory.error !== null && <ErrorAlert error={directory.error} />}
      {directory.isPending && (
        <div className="d-flex align-items-center gap-3" role="status">
          <Spinner active small />
          <span>{t("loading")}</span>
        </div>
      )}
      {directory.data !== undefined && (
        <>
          <section aria-labelledby="directory-services" className="mb-5">
            <h2 id="directory-services" className="h3">
              {t("directory-services-heading")}
            </h2>
            {mayKeep && (
              <AddToDirectory
                fields={ORGANISATION_FIELDS}
                save={saveService}
                label="directory-add"
              />
            )}
            <p aria-live="polite" data-testid="directory-count">
              {t("directory-count", { count: shown.length })}
            </p>
            <ul className="list-unstyled" data-testid="directory-list">
              {shown.map((row) => (
                <ServiceItem key={row.id} row={row} mayKeep={mayKeep} />
              ))}
            </ul>
          </section>
          <Mediators mediators={directory.data.mediators} mayKeep={mayKeep} />
        </>
      )}
    </>
  );
}

function Mediators({
  mediators,
  mayKeep,
}: {
  mediators: Row<MediatorDetails>[];
  mayKeep: boolean;
}) {
  const t = useT();
  const save = useSaveMediator();
  return (
    <section aria-labelledby="directory-mediators">
      <h2 id="directory-mediators" className="h3">
        {t("directory-mediators-heading")}
      </h2>
      <p>{t("directory-mediators-intro")}</p>
      {mayKeep && (
        <AddToDirectory fields={MEDIATOR_FIELDS} save={save} label="directory-add-mediator" />
      )}
      <ul className="list-unstyled" data-testid="mediator-list">
        {mediators.map((row) => (
          <MediatorItem key={row.id} row={row} mayKeep={mayKeep} />
        ))}
      </ul>
    </section>
  );
}

function MediatorItem({ row, mayKeep }: { row: Row<MediatorDetails>; mayKeep: boolean }) {
  const t = useT();
  const save = useSaveMediator();
  const { details } = row;
  const lines: [MessageId, string | null][] = [
    ["field-languages", details.languages.join(", ")],
    ["field-weekdays", availability(details, t) || null],
    ["field-phone", details.phone],
    ["field-note", details.note],
  ];
  return (
    <DirectoryEntry
      row={row}
      name={details.name}
      fields={MEDIATOR_FIELDS}
      save={save}
      mayKeep={mayKeep}
      testId="mediator"
    >
      {details.inactive && <p className="mb-2 fw-semibold">{t("field-inactive")}</p>}
      <Facts lines={lines} />
    </DirectoryEntry>
  );
}

/** One row of the directory: its name, what `children` say of it, and for those who keep
 * the directory its form. */
function DirectoryEntry<T>({
  row,
  name,
  fields,
  save,
  mayKeep,
  testId,
  children,
}: {
  row: Row<T>;
  name: string;
  fields: readonly FieldSpec[];
  save: ReturnType<typeof useSaveOrganisation>;
  mayKeep: boolean;
  testId: string;
  children: ReactNode;
}) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  return (
    <li className="border rounded p-3 mb-3" data-testid={testId} id={`${testId}-${row.id}`}>
      <h3 className="h5 mb-1" dir="auto">
        {name}
      </h3>
      {children}
      {mayKeep &&
        (editing ? (
          <DirectoryForm
            fields={fields}
            save={save}
            row={row as unknown as Row<Record<string, unknown>>}
            onDone={() => setEditing(false)}
          />
        ) : (
          <Button
            size="xs"
            color="primary"
            outline
            className="mt-2"
            onClick={() => setEditing(true)}
            aria-label={t("directory-edit", { name })}
          >
            {t("section-edit")}
          </Button>
        ))}
    </li>
  );
}

/** Labelled facts, those with something to say. */
function Facts({ lines }: { lines: [MessageId, string | null][] }) {
  const t = useT();
  return (
    <dl className="row mb-0">
      {lines
        .filter(([, value]) => value !== null)
        .map(([label, value]) => (
          <div key={label} className="col-12 col-md-6 d-flex gap-2">
            <dt>{t(label)}:</dt>
            <dd className="mb-1" dir="auto">
              {value}
            </dd>
          </div>
        ))}
    </dl>
  );
}

function ServiceItem({ row, mayKeep }: { row: Row<OrganisationDetails>; mayKeep: boolean }) {
  const t = useT();
  const save = useSaveOrganisation();
  const { details } = row;
  const where = [details.address, details.municipality].filter((part) => part !== null).join(", ");
  const lines: [MessageId, string | null][] = [
    ["field-address", where === "" ? null : where],
    ["field-phone", details.phone],
    ["field-email", details.email],
    ["field-opening-hours", details.opening_hours],
    ["field-note", details.note],
  ];
  return (
    <DirectoryEntry
      row={row}
      name={details.name}
      fields={ORGANISATION_FIELDS}
      save={save}
      mayKeep={mayKeep}
      testId="service"
    >
      <p className="mb-2">
        {t(`value-referral_target-${details.kind}` as MessageId)}
        {details.closed && (
          <>
            {" · "}
            <strong>{t("field-closed")}</strong>
          </>
        )}
      </p>
      <Facts lines={lines} />
    </DirectoryEntry>
  );
}

/** The button that opens an empty form for a new row of the directory, and the form. */
function AddToDirectory({
  fields,
  save,
  label,
}: {
  fields: readonly FieldSpec[];
  save: ReturnType<typeof useSaveOrganisation>;
  label: MessageId;
}) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  return adding ? (
    <DirectoryForm fields={fields} save={save} row={null} onDone={() => setAdding(false)} />
  ) : (
    <Button color="primary" className="mb-3" onClick={() => setAdding(true)}>
      {t(label)}
    </Button>
  );
}

/** Adds or changes a row of the directory with `save` (a service's or a mediator's). */
function DirectoryForm({
  fields,
  save,
  row,
  onDone,
}: {
  fields: readonly FieldSpec[];
  save: ReturnType<typeof useSaveOrganisation>;
  row: Row<Record<string, unknown>> | null;
  onDone: () => void;
}) {
  const stored = row?.details ?? null;
  return (
    <RowForm
      fields={fields}
      initial={toForm({ fields }, stored, todayInRome())}
      saving={save.isPending}
      error={save.error}
      onCancel={onDone}
      onSave={(values) =>
        save.mutate(
          { id: row?.id ?? null, details: fromForm({ fields }, values, stored) },
          { onSuccess: onDone },
        )
      }
    />
  );
}

import { Button, Spinner } from "design-react-kit";
import { useId, useState } from "react";
import { useSearchParams } from "react-router-dom";
import type { MessageId } from "../bindings/MessageId";
import type { OrganisationDetails } from "../bindings/OrganisationDetails";
import type { Row } from "../bindings/Row";
import { ErrorAlert } from "../components/ErrorAlert";
import { todayInRome } from "../desk/format";
import { LabelledInput } from "../desk/LabelledInput";
import { useDirectory, useSaveOrganisation } from "../desk/queries";
import { RowForm } from "../desk/RowForm";
import { fromForm, ORGANISATION_FIELDS, REFERRAL_TARGETS, toForm } from "../desk/sections";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

const FORM = { fields: ORGANISATION_FIELDS };

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
  const [params, setParams] = useSearchParams();
  const [adding, setAdding] = useState(false);
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
      {mayKeep &&
        (adding ? (
          <ServiceForm service={null} onDone={() => setAdding(false)} />
        ) : (
          <Button color="primary" className="mb-3" onClick={() => setAdding(true)}>
            {t("directory-add")}
          </Button>
        ))}
      {directory.error !== null && <ErrorAlert error={directory.error} />}
      {directory.isPending && (
        <div className="d-flex align-items-center gap-3" role="status">
          <Spinner active small />
          <span>{t("loading")}</span>
        </div>
      )}
      {directory.data !== undefined && (
        <>
          <p aria-live="polite" data-testid="directory-count">
            {t("directory-count", { count: shown.length })}
          </p>
          <ul className="list-unstyled" data-testid="directory-list">
            {shown.map((row) => (
              <ServiceItem key={row.id} row={row} mayKeep={mayKeep} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ServiceItem({ row, mayKeep }: { row: Row<OrganisationDetails>; mayKeep: boolean }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
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
    <li className="border rounded p-3 mb-3" data-testid="service" id={`service-${row.id}`}>
      <h2 className="h5 mb-1" dir="auto">
        {details.name}
      </h2>
      <p className="mb-2">
        {t(`value-referral_target-${details.kind}` as MessageId)}
        {details.closed && (
          <>
            {" · "}
            <strong>{t("field-closed")}</strong>
          </>
        )}
      </p>
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
      {mayKeep &&
        (editing ? (
          <ServiceForm service={row} onDone={() => setEditing(false)} />
        ) : (
          <Button
            size="xs"
            color="primary"
            outline
            className="mt-2"
            onClick={() => setEditing(true)}
            aria-label={t("directory-edit", { name: details.name })}
          >
            {t("section-edit")}
          </Button>
        ))}
    </li>
  );
}

function ServiceForm({
  service,
  onDone,
}: {
  service: Row<OrganisationDetails> | null;
  onDone: () => void;
}) {
  const save = useSaveOrganisation();
  const stored = service === null ? null : (service.details as unknown as Record<string, unknown>);
  return (
    <RowForm
      fields={ORGANISATION_FIELDS}
      initial={toForm(FORM, stored, todayInRome())}
      saving={save.isPending}
      error={save.error}
      onCancel={onDone}
      onSave={(values) =>
        save.mutate(
          { id: service?.id ?? null, details: fromForm(FORM, values, stored) },
          { onSuccess: onDone },
        )
      }
    />
  );
}

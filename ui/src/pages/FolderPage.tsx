import { Alert, Button, Spinner } from "design-react-kit";
import { type ReactNode, useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import type { AttachmentContent } from "../bindings/AttachmentContent";
import type { Entity } from "../bindings/Entity";
import type { FolderDocument } from "../bindings/FolderDocument";
import type { FolderView } from "../bindings/FolderView";
import type { MessageId } from "../bindings/MessageId";
import type { PracticeDetails } from "../bindings/PracticeDetails";
import type { StpEniCode } from "../bindings/StpEniCode";
import { ErrorAlert } from "../components/ErrorAlert";
import { HitDetails } from "../components/PersonSearch";
import { useUnsavedChanges } from "../components/UnsavedChanges";
import {
  expiry,
  formatDay,
  formatLocalDateTime,
  formatPartialDate,
  personName,
  todayInRome,
} from "../desk/format";
import { MediatorsBookedSoon } from "../desk/MediatorsBusy";
import { serviceLabel } from "../desk/OrganisationSelect";
import { PersonFields, toPersonDetails, toPersonForm } from "../desk/PersonFields";
import { PracticeChecklist, StartPractice } from "../desk/PracticeParts";
import { PrintButton, PrintOutcome } from "../desk/Printing";
import {
  useAddAttachment,
  useAttachmentContent,
  useCheckCodiceFiscale,
  useColleagues,
  useCountryName,
  useDeleteRow,
  useDirectory,
  useEraseFolder,
  useExportAttachment,
  useFolder,
  useIssueStpEniCode,
  useSaveRow,
  useSetArchived,
  useUndoMerge,
  useUpdatePerson,
} from "../desk/queries";
import { RowForm } from "../desk/RowForm";
import { type FieldSpec, fromForm, SECTIONS, type SectionSpec, toForm } from "../desk/sections";
import { useT } from "../i18n/Localization";
import { CodiceFiscaleNotice } from "./NewPerson";
import type { QuickContactTarget } from "./QuickContact";
import { useDocumentTitle } from "./useDocumentTitle";

type Row = { id: string; details: Record<string, unknown> };

/** The folder of one person: the header that stays, then every section. */
export function FolderPage() {
  const { id = "" } = useParams();
  const t = useT();
  const folder = useFolder(id);
  const name = folder.data ? displayName(folder.data) : "";
  useDocumentTitle(name || t("loading"));
  if (folder.isPending) {
    return (
      <div className="d-flex align-items-center gap-3" role="status">
        <Spinner active small />
        <span>{t("loading")}</span>
      </div>
    );
  }
  if (folder.isError) {
    return (
      <>
        <ErrorAlert error={folder.error} />
        <Link to="/">{t("folder-back-to-search")}</Link>
      </>
    );
  }
  return <FolderContent view={folder.data} />;
}

function displayName(view: FolderView): string {
  const person = view.folder.person.details;
  return (
    personName({ givenNames: person.given_names, familyName: person.family_name }) ||
    (person.stp?.code ?? person.eni?.code ?? "")
  );
}

/** Brings the row or field named in the address (`#row-…`, `#fact-…`) into view, marked. */
function useTargetInView(ready: boolean) {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || hash === "") return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target === null) return;
    target.classList.add("folder-target");
    target.scrollIntoView({ block: "center" });
    target.setAttribute("tabindex", "-1");
    target.focus();
  }, [ready, hash]);
}

function FolderContent({ view }: { view: FolderView }) {
  const t = useT();
  useTargetInView(true);
  const country = useCountryName();
  const person = view.folder.person.details;
  const name = displayName(view);
  const facts = [
    view.age !== null ? t("folder-age", { age: view.age }) : null,
    person.birth_date
      ? t(person.birth_date.month === null ? "folder-born-year" : "folder-born", {
          date: formatPartialDate(person.birth_date),
        })
      : null,
    person.citizenships.length > 0
      ? t("folder-citizenship", { countries: person.citizenships.map(country).join(", ") })
      : null,
    person.preferred_language
      ? t("folder-language", { language: person.preferred_language })
      : null,
    person.codice_fiscale,
    person.stp ? `STP ${person.stp.code}` : null,
    person.eni ? `ENI ${person.eni.code}` : null,
  ].filter((fact): fact is string => fact !== null);
  const sections: { anchor: string; title: MessageId }[] = [
    { anchor: "section-person", title: "section-person" },
    { anchor: "section-stp-eni", title: "section-stp-eni" },
    ...SECTIONS.map((spec) => ({ anchor: `section-${spec.key}`, title: spec.title })),
    { anchor: "section-attachments", title: "section-attachments" },
  ];
  return (
    <>
      <div
        className="folder-header"
        data-testid="folder-header"
        data-folder-id={view.folder.person.id}
      >
        <h1 dir="auto">{name}</h1>
        <p className="mb-1">{facts.join(" · ")}</p>
        <div className="d-flex flex-wrap gap-2 align-items-center">
          {view.folder.archived && (
            <span className="badge bg-secondary">{t("folder-archived")}</span>
          )}
          {view.folder.mergedFrom.length > 0 && (
            <span className="badge bg-info text-dark">
              {t("folder-merged", { count: view.folder.mergedFrom.length })}
            </span>
          )}
          {view.mayEdit && (
            <Link
              className="btn btn-primary btn-xs no-print"
              to="/contact"
              state={{ person: view.folder.person.id, name } satisfies QuickContactTarget}
              data-testid="folder-quick-contact"
            >
              {t("folder-quick-contact")}
            </Link>
          )}
          {view.mayEdit && (
            <Link
              className="btn btn-outline-primary btn-xs no-print"
              to={`/folder/${view.folder.person.id}/merge`}
            >
              {t("merge-action")}
            </Link>
          )}
          {view.healthHidden && (
            <span className="badge bg-light text-dark border">{t("folder-health-hidden")}</span>
          )}
          <Link
            className="btn btn-outline-primary btn-xs no-print"
            to={`/folder/${view.folder.person.id}/history`}
          >
            {t("folder-history")}
          </Link>
          {view.mayReadAccesses && (
            <Link
              className="btn btn-outline-primary btn-xs no-print"
              to={`/folder/${view.folder.person.id}/accesses`}
            >
              {t("folder-accesses")}
            </Link>
          )}
          <Link className="btn btn-outline-primary btn-xs no-print" to="/conflicts">
            {t("folder-conflicts")}
          </Link>
          <PrintButton
            folderId={view.folder.person.id}
            document={{ kind: "folder_copy" }}
            label="folder-copy"
          />
          <PrintButton
            folderId={view.folder.person.id}
            document={{ kind: "privacy_notice" }}
            label="folder-privacy-notice"
          />
        </div>
        <PrintOutcome folderId={view.folder.person.id} />
        {view.mayEdit && view.folder.mergedFrom.length > 0 && <MergedFolders view={view} />}
        {view.mayEdit && view.possibleDuplicates.length > 0 && <PossibleDuplicates view={view} />}
      </div>
      <nav aria-label={t("folder-sections")} className="my-3 no-print">
        <ul className="list-inline mb-0">
          {sections.map((section) => (
            <li key={section.anchor} className="list-inline-item">
              <a href={`#${section.anchor}`}>{t(section.title)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <PersonSection view={view} />
      <StpEniSection view={view} />
      {SECTIONS.map((spec) => (
        <SectionCard key={spec.key} spec={spec} view={view} />
      ))}
      <AttachmentsSection view={view} />
      {view.folder.memberOf.length > 0 && (
        <section className="folder-section my-4" aria-labelledby="section-member-of">
          <h2 id="section-member-of" className="h4">
            {t("section-member-of")}
          </h2>
          <ul>
            {view.folder.memberOf.map((head) => (
              <li key={head}>
                <Link to={`/folder/${head}`}>
                  {view.people.find((p) => p.id === head)?.name ?? head}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {view.mayErase && <FolderAdministration view={view} name={name} />}
    </>
  );
}

/** Other folders that may be this person's, each with a way to merge it into this one. */
function PossibleDuplicates({ view }: { view: FolderView }) {
  const t = useT();
  return (
    <div className="small mt-2 no-print" data-testid="possible-duplicates">
      <p className="mb-1 fw-semibold">{t("folder-possible-duplicates")}</p>
      <ul className="list-unstyled mb-0">
        {view.possibleDuplicates.map((hit) => (
          <li key={hit.id} className="d-flex flex-wrap gap-2 align-items-center">
            <Link to={`/folder/${hit.id}`} dir="auto">
              {personName(hit) || hit.stpEniCode}
            </Link>
            <HitDetails hit={hit} />
            <Link
              className="btn btn-outline-primary btn-xs"
              to={`/folder/${view.folder.person.id}/merge?with=${hit.id}`}
            >
              {t("merge-action")}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The folders merged into this one, each with a way to undo its merge. */
function MergedFolders({ view }: { view: FolderView }) {
  const t = useT();
  const undo = useUndoMerge(view.folder.person.id);
  return (
    <ul className="list-unstyled mb-0 mt-2 small" data-testid="merged-from">
      {view.folder.mergedFrom.map((row) => (
        <li key={row.id} className="d-flex gap-2 align-items-center">
          <span dir="auto">
            {t("merge-merged-from", {
              name: personName({
                givenNames: row.details.given_names,
                familyName: row.details.family_name,
              }),
            })}
          </span>
          <Button
            size="xs"
            color="secondary"
            outline
            onClick={() => undo.mutate(row.id)}
            disabled={undo.isPending}
          >
            {t("merge-undo")}
          </Button>
        </li>
      ))}
      {undo.error && <ErrorAlert error={undo.error} />}
    </ul>
  );
}

function SectionFrame({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="folder-section my-4" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="h4 border-bottom pb-1">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** STP and ENI: whether each code may be issued today and why, and issuing it offline. */
function StpEniSection({ view }: { view: FolderView }) {
  const t = useT();
  const issue = useIssueStpEniCode(view.folder.person.id);
  const [issued, setIssued] = useState<StpEniCode | null>(null);
  const person = view.folder.person.details;
  return (
    <SectionFrame id="section-stp-eni" title={t("section-stp-eni")}>
      <div aria-live="polite">
        {issued !== null && (
          <Alert color="success" data-testid="stp-eni-issued">
            {t("stp-eni-issued", { code: issued.code, until: formatDay(issued.expires_on) })}
          </Alert>
        )}
      </div>
      {issue.error !== null && <ErrorAlert error={issue.error} />}
      <ul className="list-unstyled mb-0">
        {view.stpEni.map((offer) => {
          const current = offer.kind === "stp" ? person.stp : person.eni;
          const kind = offer.kind.toUpperCase();
          return (
            <li key={offer.kind} className="folder-row" data-testid={`stp-eni-${offer.kind}`}>
              <p className="mb-1">
                <strong>{kind}</strong>
                {current !== null &&
                  ` ${current.code} — ${t("stp-eni-valid-until", { until: formatDay(current.expires_on) })}`}
              </p>
              <p className="mb-1" data-testid={`stp-eni-${offer.kind}-reason`}>
                {offer.reason}
              </p>
              {offer.earlier.length > 0 && (
                <p className="mb-1 small" data-testid={`stp-eni-${offer.kind}-earlier`}>
                  {t("stp-eni-earlier")}:{" "}
                  {offer.earlier
                    .map(
                      (code) =>
                        `${code.code} (${formatDay(code.issued_on)}–${formatDay(code.expires_on)})`,
                    )
                    .join(", ")}
                </p>
              )}
              {view.mayEdit && offer.allowed && offer.numbersLeft === 0 && (
                <p className="small mb-1">{t("stp-eni-no-numbers", { kind })}</p>
              )}
              <div className="d-flex flex-wrap gap-2 no-print">
                {view.mayEdit && offer.allowed && (
                  <Button
                    size="xs"
                    color="primary"
                    disabled={issue.isPending || offer.numbersLeft === 0}
                    onClick={() => issue.mutate(offer.kind, { onSuccess: setIssued })}
                  >
                    {t(current === null ? "stp-eni-issue" : "stp-eni-renew", { kind })}
                  </Button>
                )}
                {current !== null && (
                  <>
                    <PrintButton
                      folderId={view.folder.person.id}
                      document={{ kind: "stp_eni_card", code: offer.kind }}
                      label="stp-eni-print-card"
                      place={`stp-eni-${offer.kind}`}
                    />
                    <PrintButton
                      folderId={view.folder.person.id}
                      document={{ kind: "indigence_declaration", code: offer.kind }}
                      label="stp-eni-print-declaration"
                      place={`stp-eni-${offer.kind}`}
                    />
                  </>
                )}
              </div>
              <PrintOutcome folderId={view.folder.person.id} place={`stp-eni-${offer.kind}`} />
            </li>
          );
        })}
      </ul>
    </SectionFrame>
  );
}

function PersonSection({ view }: { view: FolderView }) {
  const t = useT();
  const country = useCountryName();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState(() => toPersonForm(view.folder.person.details));
  const update = useUpdatePerson(view.folder.person.id);
  useUnsavedChanges(
    editing &&
      !update.isPending &&
      JSON.stringify(form) !== JSON.stringify(toPersonForm(view.folder.person.details)),
  );
  const details = toPersonDetails(form, view.folder.person.details);
  const check = useCheckCodiceFiscale(details, editing ? form.codiceFiscale : "");
  const person = view.folder.person.details;
  const facts: [MessageId, string | null][] = [
    ["field-family-name", person.family_name],
    ["field-given-names", person.given_names],
    ["field-aliases", person.aliases.join(", ")],
    ["field-sex", person.sex ? t(`value-sex-${person.sex}` as MessageId) : null],
    ["field-birth-date", person.birth_date ? formatPartialDate(person.birth_date) : null],
    ["field-birth-country", person.birth_country ? country(person.birth_country) : null],
    ["field-birth-place", person.birth_place],
    ["field-citizenships", person.citizenships.map(country).join(", ")],
    ["field-preferred-language", person.preferred_language],
    ["field-languages", person.languages.join(", ")],
    ["field-phone", person.phone],
    ["field-email", person.email],
    ["field-codice-fiscale", person.codice_fiscale],
    ["field-stp", person.stp ? `${person.stp.code} (${formatDay(person.stp.expires_on)})` : null],
    ["field-eni", person.eni ? `${person.eni.code} (${formatDay(person.eni.expires_on)})` : null],
    [
      "field-legal-residence-since",
      person.legal_residence_since ? formatDay(person.legal_residence_since) : null,
    ],
    [
      "field-married-to-italian-on",
      person.married_to_italian_on ? formatDay(person.married_to_italian_on) : null,
    ],
    [
      "field-adopted-by-italian-on",
      person.adopted_by_italian_on ? formatDay(person.adopted_by_italian_on) : null,
    ],
    ["field-italian-descent", person.italian_descent ? t("value-yes") : null],
    [
      "field-domicile",
      person.domicile
        ? [person.domicile.street, person.domicile.postcode, person.domicile.municipality]
            .filter(Boolean)
            .join(", ")
        : null,
    ],
  ];
  return (
    <SectionFrame id="section-person" title={t("section-person")}>
      {editing ? (
        <form
          className="porta-desk-form border rounded p-3 bg-light"
          noValidate
          onKeyDown={(event) => {
            if (event.key === "Escape") setEditing(false);
          }}
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate(details, { onSuccess: () => setEditing(false) });
          }}
        >
          <PersonFields
            form={form}
            onChange={setForm}
            full
            afterCodiceFiscale={
              check.data && (
                <CodiceFiscaleNotice
                  check={check.data}
                  onUse={(code) => setForm({ ...form, codiceFiscale: code })}
                />
              )
            }
          />
          {update.error && <ErrorAlert error={update.error} />}
          <div className="d-flex gap-2">
            <Button type="submit" color="primary" disabled={update.isPending}>
              {t("section-save")}
            </Button>
            <Button type="button" color="secondary" outline onClick={() => setEditing(false)}>
              {t("section-cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <>
          <dl className="row mb-2">
            {facts
              .filter(([, value]) => value !== null && value !== "")
              .map(([label, value]) => (
                <div
                  key={label}
                  id={`fact-${label.replace(/^field-/, "").replaceAll("-", "_")}`}
                  className="col-12 col-md-6 col-lg-4 d-flex gap-2"
                >
                  <dt className="fw-semibold">{t(label)}:</dt>
                  <dd className="mb-1" dir="auto">
                    {value}
                  </dd>
                </div>
              ))}
          </dl>
          {view.mayEdit && (
            <Button
              color="primary"
              outline
              size="sm"
              onClick={() => {
                setForm(toPersonForm(view.folder.person.details));
                update.reset();
                setEditing(true);
              }}
            >
              {t("section-edit")}
            </Button>
          )}
        </>
      )}
    </SectionFrame>
  );
}

/** A field of a stored row, as the list shows it; `null` when there is nothing to show. */
function useShowValue(view: FolderView) {
  const t = useT();
  const colleagues = useColleagues();
  const directory = useDirectory();
  return (field: FieldSpec, row: Record<string, unknown>): string | null => {
    const value = field.name.split(".").reduce<unknown>((current, part) => {
      if (current === null || current === undefined || typeof current !== "object")
        return undefined;
      return (current as Record<string, unknown>)[part];
    }, row);
    if (value === null || value === undefined || value === "" || value === false) return null;
    if (Array.isArray(value) && value.length === 0) return null;
    switch (field.kind) {
      case "day":
        return formatDay(String(value));
      case "datetime":
        return formatLocalDateTime(String(value));
      case "bool":
        return t("value-yes");
      case "euros":
        return `€ ${(Number(value) / 100).toFixed(2).replace(".", ",")}`;
      case "choice":
        return t(`value-${field.valueLabel}-${String(value)}` as MessageId);
      case "choices":
        return (value as string[])
          .map((item) => t(`value-${field.valueLabel}-${item}` as MessageId))
          .join(", ");
      case "list":
        return (value as string[]).join(", ");
      case "procedure":
        return t(`procedure-${String(value)}` as MessageId);
      case "person":
        return view.people.find((person) => person.id === value)?.name ?? String(value);
      case "operator":
        return (
          colleagues.data?.find((colleague) => colleague.id === value)?.displayName ??
          t("value-other-operator")
        );
      case "organisation": {
        const service = directory.data?.services.find((row) => row.id === value);
        return service === undefined ? t("value-unknown") : serviceLabel(service.details);
      }
      default:
        return String(value);
    }
  };
}

/** Asks once more before a row is deleted; its history stays. */
function DeleteConfirmation({
  onDelete,
  onCancel,
}: {
  onDelete: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  return (
    <span role="alert" className="d-flex gap-2 align-items-center">
      <span>{t("section-delete-confirm")}</span>
      <Button size="xs" color="danger" onClick={onDelete}>
        {t("section-delete")}
      </Button>
      <Button size="xs" color="secondary" outline onClick={onCancel}>
        {t("section-cancel")}
      </Button>
    </span>
  );
}

function ExpiryBadge({ expiresOn }: { expiresOn: string }) {
  const t = useT();
  const state = expiry(expiresOn, todayInRome());
  return (
    <span className={`expiry-badge expiry-${state}`}>{t(`expiry-${state}` as MessageId)}</span>
  );
}

/** What a row of a section prints for the person. */
const ROW_DOCUMENTS: Partial<
  Record<Entity, { label: MessageId; document: (rowId: string) => FolderDocument }>
> = {
  appointment: {
    label: "appointment-print-slip",
    document: (appointment) => ({ kind: "appointment_slip", appointment }),
  },
  referral: {
    label: "referral-print-letter",
    document: (referral) => ({ kind: "referral_letter", referral }),
  },
};

/** One section: its rows, each editable and deletable (with confirmation), and Add. */
function SectionCard({ spec, view }: { spec: SectionSpec; view: FolderView }) {
  const t = useT();
  const folderId = view.folder.person.id;
  const rows = view.folder[spec.key] as unknown as Row[];
  const save = useSaveRow(folderId);
  const remove = useDeleteRow(folderId);
  const show = useShowValue(view);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const today = todayInRome();
  const id = `section-${spec.key}`;
  const printed = ROW_DOCUMENTS[spec.entity];

  const startEditing = (rowId: string | "new") => {
    save.reset();
    setConfirming(null);
    setEditing(rowId);
  };
  const form = (row: Row | null) => (
    <RowForm
      fields={spec.fields}
      initial={toForm(spec, row?.details ?? null, today)}
      saving={save.isPending}
      error={save.error}
      excludePerson={folderId}
      onCancel={() => setEditing(null)}
      onSave={(values) =>
        save.mutate(
          {
            entity: spec.entity,
            rowId: row?.id ?? null,
            details: fromForm(spec, values, row?.details ?? null),
          },
          {
            onSuccess: () => {
              setEditing(null);
              setAnnouncement(t("section-saved"));
            },
          },
        )
      }
    />
  );

  return (
    <SectionFrame id={id} title={t(spec.title)}>
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
      {rows.length === 0 && editing !== "new" && <p className="text-muted">{t("section-empty")}</p>}
      <ul className="list-unstyled mb-2" data-testid={`rows-${spec.key}`}>
        {rows.map((row) =>
          editing === row.id ? (
            <li key={row.id}>{form(row)}</li>
          ) : (
            <li
              key={row.id}
              id={`row-${row.id}`}
              className="folder-row d-flex flex-wrap justify-content-between gap-2"
            >
              <div dir="auto">
                {spec.entity === "document" && typeof row.details.expires_on === "string" && (
                  <>
                    <ExpiryBadge expiresOn={row.details.expires_on} />{" "}
                  </>
                )}
                {spec.fields
                  .map((field) => [field, show(field, row.details)] as const)
                  .filter(([, value]) => value !== null)
                  .map(([field, value], index) => (
                    <span key={field.name}>
                      {index > 0 && " · "}
                      {index === 0 ? <strong>{value}</strong> : `${t(field.label)}: ${value}`}
                    </span>
                  ))}
              </div>
              {printed !== undefined && (
                <span className="no-print">
                  <PrintButton
                    folderId={folderId}
                    document={printed.document(row.id)}
                    label={printed.label}
                    place={`row-${row.id}`}
                  />
                </span>
              )}
              {view.mayEdit && (
                <div className="d-flex gap-2 no-print">
                  {confirming === row.id ? (
                    <DeleteConfirmation
                      onDelete={() =>
                        remove.mutate(
                          { entity: spec.entity, rowId: row.id },
                          {
                            onSuccess: () => {
                              setConfirming(null);
                              setAnnouncement(t("section-deleted"));
                            },
                          },
                        )
                      }
                      onCancel={() => setConfirming(null)}
                    />
                  ) : (
                    <>
                      <Button
                        size="xs"
                        color="primary"
                        outline
                        onClick={() => startEditing(row.id)}
                      >
                        {t("section-edit")}
                      </Button>
                      <Button
                        size="xs"
                        color="danger"
                        outline
                        onClick={() => setConfirming(row.id)}
                      >
                        {t("section-delete")}
                      </Button>
                    </>
                  )}
                </div>
              )}
              {spec.entity === "practice" && (
                <PracticeChecklist
                  folderId={folderId}
                  practiceId={row.id}
                  details={row.details as unknown as PracticeDetails}
                  mayEdit={view.mayEdit}
                />
              )}
              {printed !== undefined && (
                <div className="w-100">
                  <PrintOutcome folderId={folderId} place={`row-${row.id}`} />
                </div>
              )}
            </li>
          ),
        )}
      </ul>
      {remove.error && confirming !== null && <ErrorAlert error={remove.error} />}
      {editing === "new" && form(null)}
      {editing !== null && spec.entity === "appointment" && <MediatorsBookedSoon />}
      {view.mayEdit && editing === null && spec.entity === "practice" && (
        <StartPractice
          folderId={folderId}
          onStarted={() => setAnnouncement(t("practice-started"))}
        />
      )}
      {view.mayEdit && editing === null && (
        <Button size="sm" color="primary" outline onClick={() => startEditing("new")}>
          {t("section-add")}
        </Button>
      )}
    </SectionFrame>
  );
}

/** Reads a chosen file as base64, for the shell. */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** An attachment shown in the window: the image, or the first pages of a PDF one below the other. */
function AttachmentPictures({
  content,
  name,
  onClose,
}: {
  content: AttachmentContent;
  name: string;
  onClose: () => void;
}) {
  const t = useT();
  const isPdf = content.contentType === "application/pdf";
  return (
    <div className="mt-2" data-testid="attachment-view">
      {isPdf && content.pictures.length === 0 && (
        <p className="alert alert-warning small" role="status">
          {t("attachment-not-shown")}
        </p>
      )}
      {isPdf && content.pictures.length > 0 && content.pictures.length < content.pageCount && (
        <p className="small" role="status">
          {t("attachment-first-pages", {
            shown: content.pictures.length,
            count: content.pageCount,
          })}
        </p>
      )}
      {content.pictures.map((picture, index) => (
        // Pages are drawn once, in order: the position is the page.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <figure key={index} className="mb-2">
          <img
            src={`data:${content.pictureType};base64,${picture}`}
            alt={
              isPdf
                ? `${name}, ${t("attachment-page", { page: index + 1, count: content.pageCount })}`
                : name
            }
            className="img-fluid border"
            data-testid="attachment-image"
            style={{ maxHeight: isPdf ? undefined : "60vh" }}
          />
        </figure>
      ))}
      <Button size="xs" color="secondary" outline onClick={onClose}>
        {t("attachment-close")}
      </Button>
    </div>
  );
}

/** Scans and photos: add from a file, view in the window (a PDF's first pages drawn as
 * pictures), save a PDF's copy to open elsewhere, remove. */
function AttachmentsSection({ view }: { view: FolderView }) {
  const t = useT();
  const folderId = view.folder.person.id;
  const add = useAddAttachment(folderId);
  const content = useAttachmentContent();
  const exported = useExportAttachment();
  const remove = useDeleteRow(folderId);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const inputId = "attachment-file";
  return (
    <SectionFrame id="section-attachments" title={t("section-attachments")}>
      {view.folder.attachments.length === 0 && <p className="text-muted">{t("section-empty")}</p>}
      <ul className="list-unstyled" data-testid="rows-attachments">
        {view.folder.attachments.map((row) => {
          const arriving = view.scansArriving.includes(row.id);
          return (
            <li key={row.id} className="folder-row">
              <div className="d-flex flex-wrap justify-content-between gap-2">
                <span dir="auto">
                  <strong>{row.details.file_name}</strong> · {row.details.content_type} ·{" "}
                  {Math.max(1, Math.round(row.details.size_bytes / 1024))} kB
                  {arriving && (
                    <span className="d-block small text-muted" data-testid="scan-arriving">
                      {t("attachment-arriving")}
                    </span>
                  )}
                </span>
                <span className="d-flex gap-2 no-print">
                  {!arriving && (
                    <Button
                      size="xs"
                      color="primary"
                      outline
                      onClick={() => {
                        setShown(row.id);
                        content.mutate(row.id);
                      }}
                    >
                      {t("attachment-view")}
                    </Button>
                  )}
                  {!arriving && row.details.content_type === "application/pdf" && (
                    <Button
                      size="xs"
                      color="primary"
                      outline
                      onClick={() => exported.mutate(row.id)}
                    >
                      {t("attachment-save-copy")}
                    </Button>
                  )}
                  {view.mayEdit &&
                    (confirming === row.id ? (
                      <DeleteConfirmation
                        onDelete={() =>
                          remove.mutate(
                            { entity: "attachment", rowId: row.id },
                            { onSuccess: () => setConfirming(null) },
                          )
                        }
                        onCancel={() => setConfirming(null)}
                      />
                    ) : (
                      <Button
                        size="xs"
                        color="danger"
                        outline
                        onClick={() => setConfirming(row.id)}
                      >
                        {t("section-delete")}
                      </Button>
                    ))}
                </span>
              </div>
              {shown === row.id && content.data && (
                <AttachmentPictures
                  content={content.data}
                  name={row.details.file_name}
                  onClose={() => setShown(null)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {content.error && <ErrorAlert error={content.error} />}
      {exported.data && (
        <p className="small" role="status">
          {t("folder-printed", { path: exported.data.path })}
        </p>
      )}
      {exported.error && <ErrorAlert error={exported.error} />}
      {view.mayEdit && (
        <div className="mt-2">
          <label htmlFor={inputId} className="form-label fw-semibold d-block">
            {t("attachment-add")}
          </label>
          <input
            id={inputId}
            type="file"
            className="form-control"
            accept="application/pdf,image/*"
            aria-describedby={`${inputId}-hint`}
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file !== undefined) {
                add.mutate({ fileName: file.name, contentBase64: await readAsBase64(file) });
              }
            }}
          />
          <small id={`${inputId}-hint`} className="form-text">
            {t("attachment-hint")}
          </small>
          {add.error && <ErrorAlert error={add.error} />}
        </div>
      )}
    </SectionFrame>
  );
}

/** Archive, and erasure asked twice (administrators). */
function FolderAdministration({ view, name }: { view: FolderView; name: string }) {
  const t = useT();
  const navigate = useNavigate();
  const folderId = view.folder.person.id;
  const archive = useSetArchived(folderId);
  const erase = useEraseFolder(folderId);
  const [step, setStep] = useState(0);
  return (
    <section className="my-5 border-top pt-3 no-print" aria-label={t("folder-erase")}>
      <div className="d-flex flex-wrap gap-2">
        <Button
          color="secondary"
          outline
          size="sm"
          onClick={() => archive.mutate(!view.folder.archived)}
        >
          {view.folder.archived ? t("folder-unarchive") : t("folder-archive")}
        </Button>
        {step === 0 && (
          <Button color="danger" outline size="sm" onClick={() => setStep(1)}>
            {t("folder-erase")}
          </Button>
        )}
      </div>
      {archive.error && <ErrorAlert error={archive.error} />}
      {step > 0 && (
        <div className="alert alert-danger mt-3" role="alert">
          <p>{step === 1 ? t("folder-erase-confirm-1", { name }) : t("folder-erase-confirm-2")}</p>
          <div className="d-flex gap-2">
            <Button
              color="danger"
              size="sm"
              onClick={() =>
                step === 1
                  ? setStep(2)
                  : erase.mutate(undefined, { onSuccess: () => navigate("/") })
              }
            >
              {t("folder-erase")}
            </Button>
            <Button color="secondary" outline size="sm" onClick={() => setStep(0)}>
              {t("section-cancel")}
            </Button>
          </div>
          {erase.error && <ErrorAlert error={erase.error} />}
        </div>
      )}
    </section>
  );
}

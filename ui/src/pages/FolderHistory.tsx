import { Spinner } from "design-react-kit";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import type { MessageId } from "../bindings/MessageId";
import { ErrorAlert } from "../components/ErrorAlert";
import { formatInstant, personName } from "../desk/format";
import { PrintButton, PrintOutcome } from "../desk/Printing";
import { useFolder, useFolderAccesses, useFolderHistory } from "../desk/queries";
import { useHasMessage, useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

const SECTION_TITLES: Record<string, MessageId> = {
  person: "section-person",
  household_member: "section-household",
  document: "section-documents",
  attachment: "section-attachments",
  consent: "section-consents",
  need: "section-needs",
  practice: "section-practices",
  appointment: "section-appointments",
  contact: "section-contacts",
  referral: "section-referrals",
  note: "section-notes",
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A wide table that scrolls sideways on a small screen, reachable with the keyboard. */
function ScrollableTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus (WCAG 2.1.1)
    <section className="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

/** The name of the folder's person, for headings. */
function useFolderName(id: string): string {
  const folder = useFolder(id);
  const person = folder.data?.folder.person.details;
  return person
    ? personName({ givenNames: person.given_names, familyName: person.family_name })
    : "";
}

/** Who changed which field of the folder, when, on which device, from what to what. */
export function FolderHistory() {
  const { id = "" } = useParams();
  const t = useT();
  const name = useFolderName(id);
  const history = useFolderHistory(id);
  useDocumentTitle(t("folder-history"));
  const hasMessage = useHasMessage();
  const fieldLabel = (field: string) => {
    // Markers (`_deleted`, `_archived`…) and fields, each by its label when it has one.
    const label = field.startsWith("_")
      ? `history${field.replaceAll("_", "-")}`
      : `field-${field.replaceAll("_", "-")}`;
    return hasMessage(label) ? t(label as MessageId) : field;
  };
  return (
    <>
      <p className="no-print">
        <Link to={`/folder/${id}`}>← {name}</Link>
      </p>
      <h1>{t("history-heading", { name })}</h1>
      <p>{t("history-intro")}</p>
      <p>{t("history-kept")}</p>
      {history.isPending && <Spinner active small />}
      {history.isError && <ErrorAlert error={history.error} />}
      {history.data && history.data.length === 0 && <p>{t("history-none")}</p>}
      {history.data && history.data.length > 0 && (
        <ScrollableTable label={t("folder-history")}>
          <table className="table table-sm" data-testid="history">
            <thead>
              <tr>
                <th scope="col">{t("history-when")}</th>
                <th scope="col">{t("history-who")}</th>
                <th scope="col">{t("history-device")}</th>
                <th scope="col">{t("history-section")}</th>
                <th scope="col">{t("history-field")}</th>
                <th scope="col">{t("history-before")}</th>
                <th scope="col">{t("history-after")}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((change) => (
                <tr key={`${change.rowId}-${change.field}-${change.atMs}-${shown(change.after)}`}>
                  <td>{formatInstant(change.atMs)}</td>
                  <td>{change.operator}</td>
                  <td className="font-monospace">{change.device}</td>
                  <td>{t(SECTION_TITLES[change.entity] ?? "section-person")}</td>
                  <td>{fieldLabel(change.field)}</td>
                  <td dir="auto">{shown(change.before)}</td>
                  <td dir="auto">{shown(change.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollableTable>
      )}
    </>
  );
}

/** Who opened or changed the folder, and when; printable for the person who asks. */
export function FolderAccesses() {
  const { id = "" } = useParams();
  const t = useT();
  const name = useFolderName(id);
  const accesses = useFolderAccesses(id, true);
  const hasMessage = useHasMessage();
  useDocumentTitle(t("folder-accesses"));
  return (
    <>
      <p className="no-print">
        <Link to={`/folder/${id}`}>← {name}</Link>
      </p>
      <h1>{t("accesses-heading", { name })}</h1>
      <p>{t("accesses-intro")}</p>
      <div className="mb-3">
        <PrintButton folderId={id} document={{ kind: "access_log" }} label="accesses-print" />
        <PrintOutcome folderId={id} />
      </div>
      {accesses.isPending && <Spinner active small />}
      {accesses.isError && <ErrorAlert error={accesses.error} />}
      {accesses.data && (
        <ScrollableTable label={t("folder-accesses")}>
          <table className="table table-sm" data-testid="accesses">
            <thead>
              <tr>
                <th scope="col">{t("history-when")}</th>
                <th scope="col">{t("history-who")}</th>
                <th scope="col">{t("history-device")}</th>
                <th scope="col">{t("accesses-action")}</th>
                <th scope="col">{t("history-section")}</th>
              </tr>
            </thead>
            <tbody>
              {accesses.data.map((line, index) => (
                // Lines are append-only and listed newest first: the position is stable.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={index}>
                  <td>{formatInstant(line.atMs)}</td>
                  <td>{line.operator}</td>
                  <td className="font-monospace">{line.device}</td>
                  <td>{t(`accesses-action-${line.action}` as MessageId)}</td>
                  <td>
                    {hasMessage(`audit-section-${line.section}`)
                      ? t(`audit-section-${line.section}` as MessageId)
                      : line.section}
                    {line.healthRestricted ? ` (${t("accesses-health")})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollableTable>
      )}
    </>
  );
}

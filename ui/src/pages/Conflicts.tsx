import { useLocalization } from "@fluent/react";
import { Alert, Button } from "design-react-kit";
import { useState } from "react";
import { Link } from "react-router-dom";
import type { ConflictView } from "../bindings/ConflictView";
import type { MessageId } from "../bindings/MessageId";
import { ErrorAlert } from "../components/ErrorAlert";
import { formatInstant } from "../desk/format";
import { useT } from "../i18n/Localization";
import { useAppInfo, useConflicts, useResolveConflict } from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/** When a version was written: the milliseconds at the head of its HLC. */
/** A value as the operator reads it: text as it is, anything else as JSON, empty as a dash. */
function shown(value: unknown): string {
  if (value === null || value === "") {
    return "—";
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Concurrent edits made on different devices, each settled by choosing what stays. */
export function Conflicts() {
  const t = useT();
  useDocumentTitle(t("conflicts-heading"));
  const { data: conflicts, error } = useConflicts();
  const resolve = useResolveConflict();
  const [settled, setSettled] = useState(0);
  return (
    <>
      <h1>{t("conflicts-heading")}</h1>
      <p>{t("conflicts-intro")}</p>
      {error !== null && <ErrorAlert error={error} />}
      {resolve.error !== null && <ErrorAlert error={resolve.error} />}
      <div aria-live="polite">
        {settled > 0 && <Alert color="success">{t("conflicts-settled", { count: settled })}</Alert>}
      </div>
      {conflicts !== undefined && conflicts.length === 0 && (
        <p data-testid="conflicts-none">{t("conflicts-none")}</p>
      )}
      {conflicts?.map((view) => (
        <ConflictCard
          key={`${view.rowId}:${view.topic}`}
          view={view}
          busy={resolve.isPending}
          onResolve={(resolution) =>
            resolve.mutate(
              { conflict: view, resolution },
              { onSuccess: () => setSettled((n) => n + 1) },
            )
          }
        />
      ))}
    </>
  );
}

function ConflictCard({
  view,
  busy,
  onResolve,
}: {
  view: ConflictView;
  busy: boolean;
  onResolve: (
    resolution: Parameters<ReturnType<typeof useResolveConflict>["mutate"]>[0]["resolution"],
  ) => void;
}) {
  const t = useT();
  const { l10n } = useLocalization();
  const { data: info } = useAppInfo();
  const locale = info?.locale ?? "it";
  const { deletion } = view;
  const labelId = `field-${(view.field ?? "").replaceAll("_", "-")}`;
  const field = l10n.getBundle(labelId) !== null ? t(labelId as MessageId) : (view.field ?? "");
  const headingId = `conflict-${view.rowId}-${view.topic}`;
  return (
    <section className="card card-bg mb-4 p-3" aria-labelledby={headingId}>
      <h2 id={headingId} className="h4">
        {deletion
          ? t("conflicts-deletion", { person: view.person })
          : t("conflicts-field", { person: view.person, field })}
      </h2>
      <p className="mb-2">
        {view.inDirectory ? (
          <Link
            to={`/directory#${view.entity === "mediator" ? "mediator" : "service"}-${view.rowId}`}
          >
            {t("nav-directory")}
          </Link>
        ) : (
          <Link
            to={`/folder/${view.folderId}#${
              view.entity === "person" && view.field !== null
                ? `fact-${view.field}`
                : `row-${view.rowId}`
            }`}
          >
            {t("conflicts-open-folder")}
          </Link>
        )}
      </p>
      <ul className="list-unstyled">
        {view.versions.map((version) => (
          <li
            key={version.version}
            className="d-flex align-items-center justify-content-between border-bottom py-2"
          >
            <span>
              <strong>{shown(version.value)}</strong>{" "}
              <span className="text-muted">
                {t("conflicts-written-at", { when: formatInstant(version.writtenMs, locale) })}
              </span>
            </span>
            {!deletion && (
              <Button
                color="primary"
                size="sm"
                disabled={busy}
                onClick={() => onResolve({ kind: "keep", hlc: version.version })}
              >
                {t("conflicts-keep")}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {deletion && (
        <div className="d-flex gap-2">
          <Button
            color="primary"
            size="sm"
            disabled={busy}
            onClick={() => onResolve({ kind: "restore" })}
          >
            {t("conflicts-restore")}
          </Button>
          <Button
            color="danger"
            size="sm"
            disabled={busy}
            onClick={() => onResolve({ kind: "confirm_deletion" })}
          >
            {t("conflicts-confirm-deletion")}
          </Button>
        </div>
      )}
    </section>
  );
}

// A practice's own parts on the folder page: starting one from a template, the checklist of
// its steps ticked one by one, and what it prints for the person.
import { Button } from "design-react-kit";
import { useId, useState } from "react";
import type { MessageId } from "../bindings/MessageId";
import type { PracticeDetails } from "../bindings/PracticeDetails";
import { ErrorAlert } from "../components/ErrorAlert";
import { useT } from "../i18n/Localization";
import { formatDay } from "./format";
import { PrintButton, PrintOutcome } from "./Printing";
import { usePracticeTemplates, useSaveRow, useStartPractice } from "./queries";

/** Starts a practice from one of the templates this operator may use: open, today, in charge,
 * with the deadline its rule gives. */
export function StartPractice({
  folderId,
  onStarted,
}: {
  folderId: string;
  onStarted: (id: string) => void;
}) {
  const t = useT();
  const id = useId();
  const templates = usePracticeTemplates();
  const start = useStartPractice(folderId);
  const [template, setTemplate] = useState("");
  return (
    <form
      className="d-flex flex-wrap align-items-end gap-2 mb-3"
      data-testid="start-practice"
      onSubmit={(event) => {
        event.preventDefault();
        if (template !== "") start.mutate(template, { onSuccess: onStarted });
      }}
    >
      <div className="select-wrapper mb-0">
        <label htmlFor={id}>{t("practice-start-template")}</label>
        <select
          id={id}
          value={template}
          onChange={(event) => setTemplate(event.target.value)}
          required
        >
          <option value="" />
          {(templates.data ?? []).map((procedure) => (
            <option key={procedure.id} value={procedure.id}>
              {t(`procedure-${procedure.id}` as MessageId)}
            </option>
          ))}
        </select>
      </div>
      <Button
        type="submit"
        size="sm"
        color="primary"
        outline
        disabled={start.isPending || template === ""}
      >
        {t("practice-start")}
      </Button>
      {start.error && <ErrorAlert error={start.error} />}
    </form>
  );
}

/** The practice's checklist, each step ticked on its own (saved at once), its deadline, and
 * what it prints for the person: the documents to bring, the receipt of the request. */
export function PracticeChecklist({
  folderId,
  practiceId,
  details,
  mayEdit,
}: {
  folderId: string;
  practiceId: string;
  details: PracticeDetails;
  mayEdit: boolean;
}) {
  const t = useT();
  const templates = usePracticeTemplates();
  const save = useSaveRow(folderId);
  const template = templates.data?.find((procedure) => procedure.id === details.template);
  const place = `practice-${practiceId}`;
  if (template === undefined) return null;
  const done = details.steps_done;
  const tick = (step: string, ticked: boolean) =>
    save.mutate({
      entity: "practice",
      rowId: practiceId,
      details: {
        ...details,
        steps_done: ticked ? [...done, step] : done.filter((other) => other !== step),
      },
    });
  return (
    <div className="practice-parts mt-2 w-100" data-testid={`practice-${practiceId}`}>
      <fieldset disabled={!mayEdit || save.isPending}>
        <legend className="fs-6 fw-semibold mb-1">
          {t("practice-checklist", { done: done.length, count: template.steps.length })}
        </legend>
        <ul className="list-unstyled mb-2">
          {template.steps.map((step) => {
            const id = `${practiceId}-step-${step}`;
            return (
              <li key={step} className="form-check">
                <input
                  id={id}
                  type="checkbox"
                  checked={done.includes(step)}
                  data-testid={`step-${step}`}
                  onChange={(event) => tick(step, event.target.checked)}
                />
                <label htmlFor={id}>{t(`step-${step}` as MessageId)}</label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      {save.error && <ErrorAlert error={save.error} />}
      {details.deadline !== null && (
        <p className="mb-2 small" data-testid="practice-deadline">
          {t("practice-deadline", { date: formatDay(details.deadline) })}
        </p>
      )}
      <div className="d-flex flex-wrap gap-2 no-print">
        <PrintButton
          folderId={folderId}
          document={{ kind: "documents_to_bring", procedure: details.template }}
          label="practice-print-documents"
          place={place}
        />
        <PrintButton
          folderId={folderId}
          document={{ kind: "request_receipt", practice: practiceId }}
          label="practice-print-receipt"
          place={place}
        />
      </div>
      <PrintOutcome folderId={folderId} place={place} />
    </div>
  );
}

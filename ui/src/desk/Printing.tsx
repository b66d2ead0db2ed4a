import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "design-react-kit";
import type { BackendError } from "../backend";
import type { FolderDocument } from "../bindings/FolderDocument";
import type { MessageId } from "../bindings/MessageId";
import type { PrintedView } from "../bindings/PrintedView";
import { ErrorAlert } from "../components/ErrorAlert";
import { useT } from "../i18n/Localization";
import { usePrintDocument } from "./queries";

/** Prints a document of the folder; the outcome shows below the header's buttons. */
export function PrintButton({
  folderId,
  document,
  label,
  place = "header",
}: {
  folderId: string;
  document: FolderDocument;
  label: MessageId;
  /** Where its outcome is shown: the `PrintOutcome` of the same place. */
  place?: string;
}) {
  const t = useT();
  const print = usePrintDocument(folderId);
  const queryClient = useQueryClient();
  return (
    <Button
      color="primary"
      outline
      size="xs"
      className="no-print"
      disabled={print.isPending}
      onClick={() =>
        print.mutate(document, {
          onSettled: (printed, error) =>
            queryClient.setQueryData(["printed", folderId, place], { printed, error }),
        })
      }
    >
      {t(label)}
    </Button>
  );
}

/** Where the last printed document of the folder was saved, or why it was not. */
export function PrintOutcome({ folderId, place = "header" }: { folderId: string; place?: string }) {
  const t = useT();
  const outcome = useQuery<{ printed?: PrintedView; error?: BackendError | null }>({
    queryKey: ["printed", folderId, place],
    queryFn: () => ({}),
    staleTime: Number.POSITIVE_INFINITY,
  }).data;
  return (
    <div
      aria-live="polite"
      data-testid={place === "header" ? "print-outcome" : `print-outcome-${place}`}
    >
      {outcome?.printed && (
        <p className="mb-0 mt-2 small">{t("folder-printed", { path: outcome.printed.path })}</p>
      )}
      {outcome?.error && <ErrorAlert error={outcome.error} />}
    </div>
  );
}

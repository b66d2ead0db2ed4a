import { Alert, Button } from "design-react-kit";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import { useT } from "../i18n/Localization";

/** Failures that may go away by themselves; the others need the person to do something first. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["internal"]);

/** Shows a failure's message as it came; offers to try again when trying again can help. */
export function ErrorAlert({ error, onRetry }: { error: ErrorPayload; onRetry?: () => void }) {
  const t = useT();
  return (
    <Alert color="danger" data-code={error.code}>
      <p className="mb-2">{error.message}</p>
      {onRetry !== undefined && RETRYABLE.has(error.code) && (
        <Button color="primary" size="sm" onClick={onRetry}>
          {t("action-retry")}
        </Button>
      )}
    </Alert>
  );
}

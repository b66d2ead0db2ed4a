import { Button } from "design-react-kit";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { useBlocker } from "react-router-dom";
import { useT } from "../i18n/Localization";

/** How many forms on screen hold what was typed and not saved (`live` is the count as of
 * now, for the router's blocker, which must not wait for a render), and a way to say so. */
type Unsaved = { count: number; live: { current: number }; mark: (delta: 1 | -1) => void };

const UnsavedContext = createContext<Unsaved>({
  count: 0,
  live: { current: 0 },
  mark: () => undefined,
});

/** Counts the forms with unsaved changes, for the guards below. */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const live = useRef(0);
  const [count, setCount] = useState(0);
  const mark = useCallback((delta: 1 | -1) => {
    live.current = Math.max(0, live.current + delta);
    setCount(live.current);
  }, []);
  const value = useMemo(() => ({ count, live, mark }), [count, mark]);
  return <UnsavedContext.Provider value={value}>{children}</UnsavedContext.Provider>;
}

/** Says, while `dirty`, that this form holds unsaved changes: in the same commit as the
 * render that changed it, so a click right after a save is never held back. */
export function useUnsavedChanges(dirty: boolean) {
  const { mark } = useContext(UnsavedContext);
  const marked = useRef(false);
  useLayoutEffect(() => {
    if (dirty === marked.current) return;
    marked.current = dirty;
    mark(dirty ? 1 : -1);
  }, [dirty, mark]);
  useLayoutEffect(
    () => () => {
      if (marked.current) mark(-1);
    },
    [mark],
  );
}

/** The navigation state of a page opened because what was typed has just been saved (a new
 * person's folder): the guard lets it through, whatever the form's last render said. */
export const AFTER_SAVE = { afterSave: true } as const;

/** Whether some form on screen holds unsaved changes. */
export function useHasUnsavedChanges(): boolean {
  return useContext(UnsavedContext).count > 0;
}

/**
 * Leaving the page with unsaved changes asks first (desk principle: nothing typed is ever
 * lost): the question stays on screen until the operator chooses, and staying keeps the form
 * as it was.
 */
export function LeaveGuard() {
  const t = useT();
  const { live } = useContext(UnsavedContext);
  const headingId = useId();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      live.current > 0 &&
      currentLocation.pathname !== nextLocation.pathname &&
      (nextLocation.state as typeof AFTER_SAVE | null)?.afterSave !== true,
  );
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (blocker.state === "blocked") stay.current?.focus();
  }, [blocker.state]);
  if (blocker.state !== "blocked") return null;
  return (
    <div
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={headingId}
      className="porta-leave-guard alert alert-warning shadow"
      data-testid="leave-guard"
    >
      <p id={headingId} className="fw-semibold mb-2">
        {t("unsaved-leave-question")}
      </p>
      <div className="d-flex gap-2">
        <Button innerRef={stay} color="primary" onClick={() => blocker.reset()}>
          {t("unsaved-stay")}
        </Button>
        <Button color="danger" outline onClick={() => blocker.proceed()}>
          {t("unsaved-leave")}
        </Button>
      </div>
    </div>
  );
}

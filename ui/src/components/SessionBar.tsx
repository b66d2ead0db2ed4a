import { Button } from "design-react-kit";
import { useEffect, useState } from "react";
import { useBackend } from "../backend";
import type { MessageId } from "../bindings/MessageId";
import type { Role } from "../bindings/Role";
import { useT } from "../i18n/Localization";
import { useAppInfo, useLock } from "../queries";
import { useHasUnsavedChanges } from "./UnsavedChanges";

export const ROLE_LABELS: Record<Role, MessageId> = {
  administrator: "role-administrator",
  coordinator: "role-coordinator",
  operator: "role-operator",
  mediator: "role-mediator",
  health_liaison: "role-health-liaison",
  statistics_reader: "role-statistics-reader",
};

/** Keystrokes and clicks tell the shell the operator is there, at most every 30 s. */
const KEEP_ALIVE_EVERY_MS = 30_000;

/** Who is working, and the button that locks the store. Nothing while locked. */
export function SessionBar() {
  const t = useT();
  const backend = useBackend();
  const { data: info } = useAppInfo();
  const lock = useLock();
  const unlocked = info?.session.state === "unlocked";
  const unsaved = useHasUnsavedChanges();
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (!unlocked) {
      return;
    }
    let last = 0;
    const active = () => {
      const now = Date.now();
      if (now - last >= KEEP_ALIVE_EVERY_MS) {
        last = now;
        backend.keepAlive().catch(() => undefined);
      }
    };
    window.addEventListener("keydown", active);
    window.addEventListener("pointerdown", active);
    return () => {
      window.removeEventListener("keydown", active);
      window.removeEventListener("pointerdown", active);
    };
  }, [unlocked, backend]);

  if (info?.session.state !== "unlocked") {
    return null;
  }
  const { operator } = info.session;
  return (
    <div className="d-flex align-items-center gap-2 text-white">
      <span data-testid="session-operator">
        {t("session-operator", { name: operator.displayName, role: t(ROLE_LABELS[operator.role]) })}
      </span>
      {confirming && unsaved ? (
        <span role="alert" className="d-flex align-items-center gap-2" data-testid="lock-guard">
          <span>{t("unsaved-lock-question")}</span>
          <Button size="sm" color="light" onClick={() => setConfirming(false)}>
            {t("unsaved-stay")}
          </Button>
          <Button
            size="sm"
            color="light"
            outline
            onClick={() => {
              setConfirming(false);
              lock.mutate();
            }}
          >
            {t("unsaved-lock-anyway")}
          </Button>
        </span>
      ) : (
        <Button
          size="sm"
          color="light"
          outline
          className="porta-lock-button"
          onClick={() => (unsaved ? setConfirming(true) : lock.mutate())}
        >
          {t("session-lock")}
        </Button>
      )}
    </div>
  );
}

import type { ReactNode } from "react";
import { useT } from "../i18n/Localization";
import { DemoFilling } from "../pages/DemoFilling";
import { Setup } from "../pages/Setup";
import { Unlock } from "../pages/Unlock";
import { useAppInfo } from "../queries";

/** Shows `children` only to an unlocked session; otherwise first run or the unlock screen. */
export function SessionGate({ children }: { children: ReactNode }) {
  const { data: info } = useAppInfo();
  const t = useT();
  if (info === undefined) {
    return null;
  }
  if (info.demo?.filling) {
    return <DemoFilling done={info.demo.filling.done} total={info.demo.filling.total} />;
  }
  switch (info.session.state) {
    case "not_set_up":
      return <Setup />;
    case "locked":
      return (
        <Unlock
          logins={info.session.logins}
          activations={info.session.activations}
          lockAfterMinutes={info.lockAfterMinutes}
        />
      );
    case "unlocked":
      return (
        <>
          {info.session.healthKeyMissing && (
            <div className="container-xxl pt-3">
              <div className="alert alert-warning" role="status">
                {t("session-health-key-missing")}
              </div>
            </div>
          )}
          {children}
        </>
      );
  }
}

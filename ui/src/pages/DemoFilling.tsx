import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useT } from "../i18n/Localization";
import { APP_INFO_KEY } from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/** How often the progress is read while the demo fills. */
const PROGRESS_REFRESH_MS = 500;

/** The demo's people being written: a progress bar, then the unlock screen. */
export function DemoFilling({ done, total }: { done: number; total: number }) {
  const t = useT();
  useDocumentTitle(t("demo-filling-heading"));
  const queryClient = useQueryClient();
  useEffect(() => {
    const timer = setInterval(
      () => void queryClient.invalidateQueries({ queryKey: APP_INFO_KEY }),
      PROGRESS_REFRESH_MS,
    );
    return () => clearInterval(timer);
  }, [queryClient]);
  const percent = total === 0 ? 0 : Math.round((done * 100) / total);
  return (
    <>
      <h1>{t("demo-filling-heading")}</h1>
      <p id="demo-progress-label">{t("demo-filling", { done, total })}</p>
      <div className="progress" style={{ height: "1rem" }}>
        <div
          className="progress-bar"
          role="progressbar"
          aria-labelledby="demo-progress-label"
          aria-valuenow={percent}
          aria-valuemin={0}
          aria-valuemax={100}
          style={{ width: `${percent}%` }}
        />
      </div>
    </>
  );
}

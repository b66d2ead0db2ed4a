import { useEffect } from "react";
import { useT } from "../i18n/Localization";

/** Sets the window title to "<page> — Porta — Porta Unica d'Accesso". */
export function useDocumentTitle(page: string): void {
  const t = useT();
  const app = t("app-title");
  useEffect(() => {
    document.title = `${page} — ${app}`;
  }, [page, app]);
}

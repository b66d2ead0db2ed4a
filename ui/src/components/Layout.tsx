import { Spinner } from "design-react-kit";
import { Outlet } from "react-router-dom";
import { useT } from "../i18n/Localization";
import { useAppInfo } from "../queries";
import { AppHeader } from "./AppHeader";
import { ErrorAlert } from "./ErrorAlert";
import { LeaveGuard } from "./UnsavedChanges";

/** Every screen: skip link, Designers Italia header, the page, the footer. */
export function Layout() {
  const t = useT();
  const info = useAppInfo();
  return (
    <>
      <a className="visually-hidden-focusable skiplink-item" href="#main">
        {t("skip-to-content")}
      </a>
      <AppHeader ambitoName={info.data?.ambitoName ?? ""} />
      <LeaveGuard />
      <main id="main" tabIndex={-1} className="container my-5">
        {info.isPending ? (
          <div className="d-flex align-items-center gap-3" role="status">
            <Spinner active small />
            <span>{t("loading")}</span>
          </div>
        ) : info.isError ? (
          <ErrorAlert error={info.error} onRetry={() => info.refetch()} />
        ) : (
          <Outlet />
        )}
      </main>
      <footer className="it-footer">
        <div className="it-footer-main py-4">
          <div className="container">
            <p className="mb-0 text-white">{t("footer-text")}</p>
          </div>
        </div>
      </footer>
    </>
  );
}

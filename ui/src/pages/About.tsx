import { Alert } from "design-react-kit";
import type { DatabaseStatus } from "../bindings/DatabaseStatus";
import { useT } from "../i18n/Localization";
import { useAppInfo } from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/** Version, Ambito, data folder and database status of this installation. */
export function About() {
  const t = useT();
  useDocumentTitle(t("nav-about"));
  const { data: info } = useAppInfo();
  if (info === undefined) {
    return null;
  }
  return (
    <>
      <h1>{t("about-heading")}</h1>
      {info.settingsProblem !== null && (
        <Alert color="warning" data-code={info.settingsProblem.code}>
          {info.settingsProblem.message}
        </Alert>
      )}
      <dl className="row mt-4">
        <dt className="col-sm-3">{t("about-version")}</dt>
        <dd className="col-sm-9" data-testid="version">
          {info.version}
        </dd>
        <dt className="col-sm-3">{t("about-ambito")}</dt>
        <dd className="col-sm-9">{info.ambitoName}</dd>
        <dt className="col-sm-3">{t("about-data-dir")}</dt>
        <dd className="col-sm-9 porta-data-dir" data-testid="data-dir">
          {info.dataDir}
        </dd>
        <dt className="col-sm-3">{t("about-database")}</dt>
        <dd className="col-sm-9" data-testid="database">
          <DatabaseStatusText status={info.database} />
        </dd>
      </dl>
    </>
  );
}

function DatabaseStatusText({ status }: { status: DatabaseStatus }) {
  const t = useT();
  switch (status.state) {
    case "not_created":
      return <>{t("database-not-created")}</>;
    case "present":
      return <>{t("database-present", { megabytes: (status.bytes / 1_000_000).toFixed(1) })}</>;
  }
}

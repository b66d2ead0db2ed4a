import { Button } from "design-react-kit";
import { useId, useState } from "react";
import { useT } from "../i18n/Localization";

/** The recovery key, shown once, with a print button and a confirmation before going on. */
export function RecoveryKeyNotice({
  recoveryKey,
  onContinue,
}: {
  recoveryKey: string;
  onContinue: () => void;
}) {
  const t = useT();
  const [saved, setSaved] = useState(false);
  const checkbox = useId();
  return (
    <section className="porta-recovery" aria-labelledby="recovery-heading">
      <h1 id="recovery-heading">{t("recovery-heading")}</h1>
      <p className="lead">{t("recovery-intro")}</p>
      <p className="porta-recovery-key" data-testid="recovery-key">
        {recoveryKey}
      </p>
      <div className="porta-no-print">
        <div className="d-flex flex-wrap gap-3 align-items-center">
          <Button color="secondary" outline type="button" onClick={() => window.print()}>
            {t("recovery-print")}
          </Button>
          <div className="form-check m-0">
            <input
              id={checkbox}
              type="checkbox"
              checked={saved}
              onChange={(event) => setSaved(event.target.checked)}
            />
            <label htmlFor={checkbox}>{t("recovery-confirm")}</label>
          </div>
          <Button color="primary" type="button" disabled={!saved} onClick={onContinue}>
            {t("recovery-continue")}
          </Button>
        </div>
      </div>
    </section>
  );
}

import { Button } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/ErrorAlert";
import { EMPTY_NEW_PASSPHRASE, NewPassphraseFields } from "../components/NewPassphraseFields";
import { TextField } from "../components/TextField";
import { useT } from "../i18n/Localization";
import { useResetPassphrase, useUnlock } from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/** The locked store: unlock with a passphrase, or set a new one with the recovery key. */
export function Unlock({
  logins,
  lockAfterMinutes,
}: {
  logins: string[];
  lockAfterMinutes: number;
}) {
  const [mode, setMode] = useState<"unlock" | "reset">("unlock");
  return mode === "unlock" ? (
    <UnlockForm
      logins={logins}
      lockAfterMinutes={lockAfterMinutes}
      onForgot={() => setMode("reset")}
    />
  ) : (
    <ResetForm logins={logins} onBack={() => setMode("unlock")} />
  );
}

function LoginSelect({
  logins,
  value,
  onChange,
}: {
  logins: string[];
  value: string;
  onChange: (login: string) => void;
}) {
  const t = useT();
  return (
    <div className="select-wrapper mb-4">
      <label htmlFor="unlock-login">{t("field-login")}</label>
      <select id="unlock-login" value={value} onChange={(event) => onChange(event.target.value)}>
        {logins.map((login) => (
          <option key={login} value={login}>
            {login}
          </option>
        ))}
      </select>
    </div>
  );
}

function UnlockForm({
  logins,
  lockAfterMinutes,
  onForgot,
}: {
  logins: string[];
  lockAfterMinutes: number;
  onForgot: () => void;
}) {
  const t = useT();
  useDocumentTitle(t("unlock-heading"));
  const unlock = useUnlock();
  const [login, setLogin] = useState(logins[0] ?? "");
  const [passphrase, setPassphrase] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    unlock.mutate({ login, passphrase }, { onError: () => setPassphrase("") });
  };
  return (
    <form onSubmit={submit} noValidate className="porta-narrow-form">
      <h1>{t("unlock-heading")}</h1>
      <p className="lead">{t("unlock-intro")}</p>
      <LoginSelect logins={logins} value={login} onChange={setLogin} />
      <TextField
        id="unlock-passphrase"
        label={t("field-passphrase")}
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onChange={setPassphrase}
      />
      {unlock.error && <ErrorAlert error={unlock.error} />}
      <div className="d-flex flex-wrap gap-3 align-items-center">
        <Button color="primary" type="submit" disabled={unlock.isPending}>
          {t("unlock-submit")}
        </Button>
        <Button color="link" type="button" onClick={onForgot}>
          {t("unlock-forgot")}
        </Button>
      </div>
      <p className="mt-4 small">{t("session-locked-idle", { minutes: lockAfterMinutes })}</p>
    </form>
  );
}

function ResetForm({ logins, onBack }: { logins: string[]; onBack: () => void }) {
  const t = useT();
  useDocumentTitle(t("reset-heading"));
  const reset = useResetPassphrase();
  const [login, setLogin] = useState(logins[0] ?? "");
  const [recoveryKey, setRecoveryKey] = useState("");
  const [newPassphrase, setNewPassphrase] = useState(EMPTY_NEW_PASSPHRASE);
  const [differ, setDiffer] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const same = newPassphrase.passphrase === newPassphrase.repeat;
    setDiffer(!same);
    if (same) {
      reset.mutate({ login, recoveryKey, newPassphrase: newPassphrase.passphrase });
    }
  };
  return (
    <form onSubmit={submit} noValidate className="porta-narrow-form">
      <h1>{t("reset-heading")}</h1>
      <p className="lead">{t("reset-intro")}</p>
      <LoginSelect logins={logins} value={login} onChange={setLogin} />
      <TextField
        id="reset-recovery-key"
        label={t("field-recovery-key")}
        autoComplete="off"
        value={recoveryKey}
        onChange={setRecoveryKey}
      />
      <NewPassphraseFields
        ids={{ passphrase: "reset-new-passphrase", repeat: "reset-repeat" }}
        label="field-new-passphrase"
        value={newPassphrase}
        onChange={setNewPassphrase}
        showMismatch={differ}
      />
      {reset.error && <ErrorAlert error={reset.error} />}
      <div className="d-flex flex-wrap gap-3 align-items-center">
        <Button color="primary" type="submit" disabled={reset.isPending}>
          {t("reset-submit")}
        </Button>
        <Button color="link" type="button" onClick={onBack}>
          {t("reset-back")}
        </Button>
      </div>
    </form>
  );
}

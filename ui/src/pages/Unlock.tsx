import { Button, Spinner } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/ErrorAlert";
import { EMPTY_NEW_PASSPHRASE, NewPassphraseFields } from "../components/NewPassphraseFields";
import { TextField } from "../components/TextField";
import { useT } from "../i18n/Localization";
import { useActivate, useAppInfo, useResetPassphrase, useUnlock } from "../queries";
import { useDocumentTitle } from "./useDocumentTitle";

/**
 * The locked store: unlock with a passphrase, set a new one with the recovery key, or (for
 * an Ambito operator who has not opened this device yet) a first access with the
 * activation code.
 */
export function Unlock({
  logins,
  activations,
  lockAfterMinutes,
}: {
  logins: string[];
  activations: string[];
  lockAfterMinutes: number;
}) {
  const [mode, setMode] = useState<"unlock" | "reset" | "activate">(
    logins.length === 0 && activations.length > 0 ? "activate" : "unlock",
  );
  const back = () => setMode("unlock");
  switch (mode) {
    case "unlock":
      return (
        <UnlockForm
          logins={logins}
          lockAfterMinutes={lockAfterMinutes}
          onForgot={() => setMode("reset")}
          onFirstAccess={activations.length > 0 ? () => setMode("activate") : undefined}
        />
      );
    case "reset":
      return <SecretForm kind="reset" logins={logins} onBack={back} />;
    case "activate":
      return (
        <SecretForm
          kind="activate"
          logins={activations}
          onBack={logins.length > 0 ? back : undefined}
        />
      );
  }
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
  onFirstAccess,
}: {
  logins: string[];
  lockAfterMinutes: number;
  onForgot: () => void;
  onFirstAccess?: () => void;
}) {
  const t = useT();
  useDocumentTitle(t("unlock-heading"));
  const unlock = useUnlock();
  const demo = useAppInfo().data?.demo ?? null;
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
      {demo && (
        <div className="alert alert-info" data-testid="demo-credentials">
          <p className="mb-2">
            {t("demo-credentials", { login: demo.login, passphrase: demo.passphrase })}
          </p>
          <Button
            type="button"
            size="xs"
            color="primary"
            outline
            onClick={() => {
              setLogin(demo.login);
              setPassphrase(demo.passphrase);
            }}
          >
            {t("demo-credentials-use")}
          </Button>
        </div>
      )}
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
        {onFirstAccess && (
          <Button color="link" type="button" onClick={onFirstAccess}>
            {t("unlock-first-access")}
          </Button>
        )}
      </div>
      <OpeningStatus opening={unlock.isPending} />
      <p className="mt-4 small">{t("session-locked-idle", { minutes: lockAfterMinutes })}</p>
    </form>
  );
}

/**
 * Says that the store is opening while it does: a moment usually, and once after an update,
 * while the database is brought to the new version, much longer. The live region is always
 * there, so that screen readers announce what appears in it.
 */
function OpeningStatus({ opening }: { opening: boolean }) {
  const t = useT();
  return (
    <div
      className="d-flex align-items-center gap-3 mt-3"
      role="status"
      data-testid="opening-status"
    >
      {opening && (
        <>
          <Spinner active small />
          <span>{t("unlock-opening")}</span>
        </>
      )}
    </div>
  );
}

/** What differs between the two forms that open the store with a secret and set a passphrase. */
const SECRET_FORMS = {
  reset: {
    heading: "reset-heading",
    intro: "reset-intro",
    secret: "field-recovery-key",
    secretId: "reset-recovery-key",
    submit: "reset-submit",
  },
  activate: {
    heading: "activate-heading",
    intro: "activate-intro",
    secret: "field-activation-code",
    secretId: "activate-code",
    submit: "activate-submit",
  },
} as const;

/**
 * Opens the store with a secret other than the passphrase (the recovery key, or an Ambito
 * operator's activation code) and sets the operator's new passphrase.
 */
function SecretForm({
  kind,
  logins,
  onBack,
}: {
  kind: keyof typeof SECRET_FORMS;
  logins: string[];
  onBack?: () => void;
}) {
  const t = useT();
  const text = SECRET_FORMS[kind];
  useDocumentTitle(t(text.heading));
  const reset = useResetPassphrase();
  const activate = useActivate();
  const change = kind === "reset" ? reset : activate;
  const [login, setLogin] = useState(logins[0] ?? "");
  const [secret, setSecret] = useState("");
  const [newPassphrase, setNewPassphrase] = useState(EMPTY_NEW_PASSPHRASE);
  const [differ, setDiffer] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const same = newPassphrase.passphrase === newPassphrase.repeat;
    setDiffer(!same);
    if (!same) {
      return;
    }
    if (kind === "reset") {
      reset.mutate({ login, recoveryKey: secret, newPassphrase: newPassphrase.passphrase });
    } else {
      activate.mutate({ login, activationCode: secret, newPassphrase: newPassphrase.passphrase });
    }
  };
  return (
    <form onSubmit={submit} noValidate className="porta-narrow-form">
      <h1>{t(text.heading)}</h1>
      <p className="lead">{t(text.intro)}</p>
      <LoginSelect logins={logins} value={login} onChange={setLogin} />
      <TextField
        id={text.secretId}
        label={t(text.secret)}
        autoComplete="off"
        value={secret}
        onChange={setSecret}
      />
      <NewPassphraseFields
        ids={{ passphrase: `${kind}-new-passphrase`, repeat: `${kind}-repeat` }}
        label="field-new-passphrase"
        value={newPassphrase}
        onChange={setNewPassphrase}
        showMismatch={differ}
      />
      {change.error && <ErrorAlert error={change.error} />}
      <div className="d-flex flex-wrap gap-3 align-items-center">
        <Button color="primary" type="submit" disabled={change.isPending}>
          {t(text.submit)}
        </Button>
        {onBack && (
          <Button color="link" type="button" onClick={onBack}>
            {t("reset-back")}
          </Button>
        )}
      </div>
      <OpeningStatus opening={change.isPending} />
    </form>
  );
}

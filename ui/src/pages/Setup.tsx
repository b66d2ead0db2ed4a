import { Alert, Button } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/ErrorAlert";
import { EMPTY_NEW_PASSPHRASE, NewPassphraseFields } from "../components/NewPassphraseFields";
import { TextField } from "../components/TextField";
import { useT } from "../i18n/Localization";
import { useSetUp, useSyncView, useTryDemo } from "../queries";
import { RecoveryKeyNotice } from "./RecoveryKeyNotice";
import { useDocumentTitle } from "./useDocumentTitle";

/** First run: this computer, its office and the first administrator. */
export function Setup() {
  const t = useT();
  useDocumentTitle(t("setup-heading"));
  const setUp = useSetUp();
  const [form, setForm] = useState({ deviceName: "", office: "", adminName: "", adminLogin: "" });
  const [newPassphrase, setNewPassphrase] = useState(EMPTY_NEW_PASSPHRASE);
  const [differ, setDiffer] = useState(false);
  const field = (name: keyof typeof form) => ({
    id: `setup-${name}`,
    value: form[name],
    onChange: (value: string) => setForm((current) => ({ ...current, [name]: value })),
  });

  if (setUp.data) {
    return <RecoveryKeyNotice recoveryKey={setUp.data.recoveryKey} onContinue={setUp.finish} />;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const same = newPassphrase.passphrase === newPassphrase.repeat;
    setDiffer(!same);
    if (same) {
      setUp.mutate({ ...form, passphrase: newPassphrase.passphrase });
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby="setup-intro">
      <h1>{t("setup-heading")}</h1>
      <p id="setup-intro" className="lead">
        {t("setup-intro")}
      </p>
      <WipedNotice />
      <TryDemo />
      <fieldset className="mt-4">
        <legend className="h5">{t("setup-device-legend")}</legend>
        <TextField label={t("field-device-name")} {...field("deviceName")} />
        <TextField label={t("field-office")} {...field("office")} />
      </fieldset>
      <fieldset className="mt-4">
        <legend className="h5">{t("setup-admin-legend")}</legend>
        <TextField label={t("field-display-name")} autoComplete="name" {...field("adminName")} />
        <TextField label={t("field-login")} autoComplete="username" {...field("adminLogin")} />
        <NewPassphraseFields
          ids={{ passphrase: "setup-passphrase", repeat: "setup-repeat" }}
          label="field-passphrase"
          value={newPassphrase}
          onChange={setNewPassphrase}
          showMismatch={differ}
        />
      </fieldset>
      {setUp.error && <ErrorAlert error={setUp.error} />}
      <Button color="primary" type="submit" disabled={setUp.isPending}>
        {t("setup-submit")}
      </Button>
    </form>
  );
}

/** First run: a way to look around with invented people before setting up for real. */
function TryDemo() {
  const t = useT();
  const tryDemo = useTryDemo();
  return (
    <div className="callout callout-highlight note my-4 p-3 border rounded">
      <p className="mb-2">{t("demo-try-intro")}</p>
      <Button type="button" color="secondary" outline size="sm" onClick={() => tryDemo.mutate()}>
        {t("demo-try")}
      </Button>
      {tryDemo.error && <ErrorAlert error={tryDemo.error} />}
    </div>
  );
}

/** After a wipe order the device starts from the first screen: say why its data are gone. */
function WipedNotice() {
  const { data } = useSyncView();
  const error = data?.status.lastError;
  if (error?.code !== "wipe_ordered") {
    return null;
  }
  return (
    <Alert color="warning" data-code={error.code}>
      {error.message}
    </Alert>
  );
}

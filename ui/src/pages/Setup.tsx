import { Button } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/ErrorAlert";
import { TextField } from "../components/TextField";
import { useT } from "../i18n/Localization";
import { useSetUp } from "../queries";
import { RecoveryKeyNotice } from "./RecoveryKeyNotice";
import { useDocumentTitle } from "./useDocumentTitle";

/** First run: this computer, its office and the first administrator. */
export function Setup() {
  const t = useT();
  useDocumentTitle(t("setup-heading"));
  const setUp = useSetUp();
  const [form, setForm] = useState({
    deviceName: "",
    office: "",
    adminName: "",
    adminLogin: "",
    passphrase: "",
    repeat: "",
  });
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
    if (form.passphrase !== form.repeat) {
      setDiffer(true);
      return;
    }
    setDiffer(false);
    const { repeat: _repeat, ...input } = form;
    setUp.mutate(input);
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby="setup-intro">
      <h1>{t("setup-heading")}</h1>
      <p id="setup-intro" className="lead">
        {t("setup-intro")}
      </p>
      <fieldset className="mt-4">
        <legend className="h5">{t("setup-device-legend")}</legend>
        <TextField label={t("field-device-name")} {...field("deviceName")} />
        <TextField label={t("field-office")} {...field("office")} />
      </fieldset>
      <fieldset className="mt-4">
        <legend className="h5">{t("setup-admin-legend")}</legend>
        <TextField label={t("field-display-name")} autoComplete="name" {...field("adminName")} />
        <TextField label={t("field-login")} autoComplete="username" {...field("adminLogin")} />
        <TextField
          label={t("field-passphrase")}
          type="password"
          hint={t("passphrase-hint")}
          autoComplete="new-password"
          {...field("passphrase")}
        />
        <TextField
          label={t("field-passphrase-repeat")}
          type="password"
          autoComplete="new-password"
          {...field("repeat")}
        />
      </fieldset>
      {differ && (
        <p role="alert" className="text-danger fw-semibold">
          {t("passphrases-differ")}
        </p>
      )}
      {setUp.error && <ErrorAlert error={setUp.error} />}
      <Button color="primary" type="submit" disabled={setUp.isPending}>
        {t("setup-submit")}
      </Button>
    </form>
  );
}

import { Button, Spinner } from "design-react-kit";
import { type FormEvent, useState } from "react";
import type { DataController } from "../bindings/DataController";
import type { EniValidity } from "../bindings/EniValidity";
import type { Role } from "../bindings/Role";
import type { SettingsView } from "../bindings/SettingsView";
import { ErrorAlert } from "../components/ErrorAlert";
import { ROLE_LABELS } from "../components/SessionBar";
import { TextField } from "../components/TextField";
import {
  useAddOperator,
  useResetOperatorPassphrase,
  useSaveSettings,
  useSetOperatorRole,
  useSettingsView,
} from "../desk/queries";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

const ROLES = Object.keys(ROLE_LABELS) as Role[];
const NO_CONTROLLER: DataController = { name: "", address: "", email: "", dpo_email: "" };

/** The administrator's settings: the Ambito, the data controller, the lock, the operators. */
export function Settings() {
  const t = useT();
  useDocumentTitle(t("nav-settings"));
  const view = useSettingsView();
  return (
    <>
      <h1>{t("settings-heading")}</h1>
      <p className="lead">{t("settings-intro")}</p>
      {view.isPending && <Spinner active small />}
      {view.isError && <ErrorAlert error={view.error} />}
      {view.data && (
        <>
          <SettingsForm view={view.data} />
          <Operators view={view.data} />
        </>
      )}
    </>
  );
}

function SettingsForm({ view }: { view: SettingsView }) {
  const t = useT();
  const save = useSaveSettings();
  const [ambitoName, setAmbitoName] = useState(view.ambitoName);
  const [minutes, setMinutes] = useState(String(view.lockAfterMinutes));
  const [renewalDays, setRenewalDays] = useState(String(view.renewalWindowDays));
  const [eniValidity, setEniValidity] = useState<EniValidity>(view.eniValidity);
  const [controller, setController] = useState<DataController>(
    view.dataController ?? NO_CONTROLLER,
  );
  const field = (name: keyof DataController) => ({
    id: `settings-${name}`,
    value: controller[name],
    onChange: (value: string) => setController((current) => ({ ...current, [name]: value })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = Object.values(controller).every((value) => value.trim() === "");
    save.mutate({
      ambitoName,
      lockAfterMinutes: Number(minutes),
      dataController: empty ? null : controller,
      renewalWindowDays: Number(renewalDays),
      eniValidity,
    });
  };
  return (
    <form onSubmit={submit} noValidate className="porta-desk-form mb-5">
      <TextField
        id="settings-ambito-name"
        label={t("field-ambito-name")}
        value={ambitoName}
        onChange={setAmbitoName}
      />
      <TextField
        id="settings-lock-after-minutes"
        label={t("field-lock-after-minutes")}
        value={minutes}
        onChange={setMinutes}
      />
      <TextField
        id="settings-renewal-window-days"
        label={t("field-renewal-window-days")}
        value={renewalDays}
        onChange={setRenewalDays}
        hint={t("settings-renewal-window-hint")}
      />
      <div className="select-wrapper mb-3">
        <label htmlFor="settings-eni-validity">{t("field-eni-validity")}</label>
        <select
          id="settings-eni-validity"
          value={eniValidity}
          aria-describedby="settings-eni-validity-hint"
          onChange={(event) => setEniValidity(event.target.value as EniValidity)}
        >
          <option value="issuing_region">{t("value-eni_validity-issuing_region")}</option>
          <option value="nationwide">{t("value-eni_validity-nationwide")}</option>
        </select>
        <small id="settings-eni-validity-hint" className="form-text">
          {t("settings-eni-validity-hint")}
        </small>
      </div>
      <fieldset className="mt-4">
        <legend className="h5">{t("settings-controller-legend")}</legend>
        <TextField label={t("field-controller-name")} {...field("name")} />
        <TextField label={t("field-controller-address")} {...field("address")} />
        <TextField label={t("field-controller-email")} {...field("email")} />
        <TextField label={t("field-dpo-email")} {...field("dpo_email")} />
      </fieldset>
      {save.error && <ErrorAlert error={save.error} />}
      {save.isSuccess && (
        <p role="status" className="text-success fw-semibold">
          {t("settings-saved")}
        </p>
      )}
      <Button type="submit" color="primary" disabled={save.isPending}>
        {t("section-save")}
      </Button>
    </form>
  );
}

function Operators({ view }: { view: SettingsView }) {
  const t = useT();
  const add = useAddOperator();
  const setRole = useSetOperatorRole();
  const reset = useResetOperatorPassphrase();
  const [login, setLogin] = useState("");
  const [name, setName] = useState("");
  const [role, setNewRole] = useState<Role>("operator");
  const [passphrase, setPassphrase] = useState("");
  const [resetLogin, setResetLogin] = useState(view.operators[0]?.login ?? "");
  const [recoveryKey, setRecoveryKey] = useState("");
  const [newPassphrase, setNewPassphrase] = useState("");
  return (
    <section aria-labelledby="operators-heading" className="mb-5">
      <h2 id="operators-heading" className="h4">
        {t("settings-operators-heading")}
      </h2>
      <table className="table table-sm" data-testid="operators">
        <thead>
          <tr>
            <th scope="col">{t("field-login")}</th>
            <th scope="col">{t("field-display-name")}</th>
            <th scope="col">{t("field-role")}</th>
          </tr>
        </thead>
        <tbody>
          {view.operators.map((operator) => (
            <tr key={operator.login}>
              <td>{operator.login}</td>
              <td>{operator.displayName}</td>
              <td>
                <label htmlFor={`role-${operator.login}`} className="visually-hidden">
                  {`${t("settings-change-role")}: ${operator.login}`}
                </label>
                <select
                  id={`role-${operator.login}`}
                  className="form-select form-select-sm"
                  value={operator.role}
                  onChange={(event) =>
                    setRole.mutate({ login: operator.login, role: event.target.value as Role })
                  }
                >
                  {ROLES.map((option) => (
                    <option key={option} value={option}>
                      {t(ROLE_LABELS[option])}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {setRole.error && <ErrorAlert error={setRole.error} />}
      {view.enrolled ? (
        <p>{t("settings-operators-enrolled")}</p>
      ) : (
        <form
          className="porta-desk-form mb-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate(
              { login, displayName: name, role, passphrase },
              {
                onSuccess: () => {
                  setLogin("");
                  setName("");
                  setPassphrase("");
                },
              },
            );
          }}
        >
          <h3 className="h5">{t("settings-add-operator")}</h3>
          <TextField
            id="operator-login"
            label={t("field-login")}
            value={login}
            onChange={setLogin}
          />
          <TextField
            id="operator-name"
            label={t("field-display-name")}
            value={name}
            onChange={setName}
          />
          <div className="select-wrapper">
            <label htmlFor="operator-role">{t("field-role")}</label>
            <select
              id="operator-role"
              value={role}
              onChange={(event) => setNewRole(event.target.value as Role)}
            >
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {t(ROLE_LABELS[option])}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id="operator-passphrase"
            type="password"
            autoComplete="new-password"
            label={t("field-passphrase")}
            value={passphrase}
            onChange={setPassphrase}
          />
          {add.error && <ErrorAlert error={add.error} />}
          {add.isSuccess && <p role="status">{t("settings-operator-added")}</p>}
          <Button type="submit" color="primary" disabled={add.isPending}>
            {t("settings-add-operator")}
          </Button>
        </form>
      )}
      <form
        className="porta-desk-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          reset.mutate(
            { login: resetLogin, recoveryKey, newPassphrase },
            {
              onSuccess: () => {
                setRecoveryKey("");
                setNewPassphrase("");
              },
            },
          );
        }}
      >
        <h3 className="h5">{t("settings-reset-passphrase")}</h3>
        <div className="select-wrapper">
          <label htmlFor="reset-login">{t("field-login")}</label>
          <select
            id="reset-login"
            value={resetLogin}
            onChange={(event) => setResetLogin(event.target.value)}
          >
            {view.operators.map((operator) => (
              <option key={operator.login} value={operator.login}>
                {operator.login}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="reset-recovery-key"
          label={t("field-recovery-key")}
          value={recoveryKey}
          onChange={setRecoveryKey}
        />
        <TextField
          id="reset-new-passphrase"
          type="password"
          autoComplete="new-password"
          label={t("field-new-passphrase")}
          value={newPassphrase}
          onChange={setNewPassphrase}
        />
        {reset.error && <ErrorAlert error={reset.error} />}
        {reset.isSuccess && <p role="status">{t("settings-saved")}</p>}
        <Button type="submit" color="primary" outline disabled={reset.isPending}>
          {t("settings-reset-passphrase")}
        </Button>
      </form>
    </section>
  );
}

import { Button } from "design-react-kit";
import { type FormEvent, useId, useState } from "react";
import type { BackendError } from "../backend";
import type { MessageId } from "../bindings/MessageId";
import { ErrorAlert } from "../components/ErrorAlert";
import { useUnsavedChanges } from "../components/UnsavedChanges";
import { useT } from "../i18n/Localization";
import { ColleagueSelect } from "./ColleagueSelect";
import { LabelledInput } from "./LabelledInput";
import { OrganisationSelect } from "./OrganisationSelect";
import { PersonPicker } from "./PersonPicker";
import { usePracticeTemplates } from "./queries";
import type { FieldSpec, FormValue, FormValues } from "./sections";

/** One field of a section's form, labelled, in the kit's form styles. */
export function FieldInput({
  field,
  value,
  onChange,
  idPrefix,
  excludePerson,
  onFill,
}: {
  field: FieldSpec;
  value: FormValue;
  onChange: (value: FormValue) => void;
  idPrefix: string;
  excludePerson?: string;
  /** Sets other fields of the form (a service chosen from the directory gives its kind). */
  onFill?: (values: FormValues) => void;
}) {
  const t = useT();
  const procedures = usePracticeTemplates();
  const id = `${idPrefix}-${field.name.replace(".", "-")}`;
  const label = t(field.label);
  const text = typeof value === "string" ? value : "";
  switch (field.kind) {
    case "bool":
      return (
        <div className="form-check mb-3">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            onChange={(event) => onChange(event.target.checked)}
          />
          <label htmlFor={id}>{label}</label>
        </div>
      );
    case "choice":
    case "procedure": {
      const values =
        field.kind === "choice"
          ? field.values
          : (procedures.data ?? []).map((procedure) => procedure.id);
      const optionLabel = (option: string) =>
        field.kind === "choice"
          ? t(`value-${field.valueLabel}-${option}` as MessageId)
          : t(`procedure-${option}` as MessageId);
      return (
        <div className="select-wrapper mb-3">
          <label htmlFor={id}>{label}</label>
          <select
            id={id}
            value={text}
            required={field.required}
            onChange={(event) => onChange(event.target.value)}
          >
            {!field.required && <option value="">{t("value-unknown")}</option>}
            {field.kind === "procedure" && text === "" && <option value="" />}
            {values.map((option) => (
              <option key={option} value={option}>
                {optionLabel(option)}
              </option>
            ))}
          </select>
        </div>
      );
    }
    case "operator":
      return (
        <ColleagueSelect
          id={id}
          label={label}
          value={text}
          onChange={onChange}
          noneLabel={t("value-unknown")}
        />
      );
    case "organisation":
      return (
        <OrganisationSelect
          id={id}
          label={label}
          value={text}
          onChange={(chosen, details) => {
            onChange(chosen);
            if (details !== null) onFill?.({ target: details.kind, service_name: details.name });
          }}
        />
      );
    case "choices": {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="mb-3">
          <legend className="fs-6 fw-semibold">{label}</legend>
          <div className="d-flex flex-wrap gap-3">
            {field.values.map((option) => (
              <div key={option} className="form-check form-check-inline">
                <input
                  id={`${id}-${option}`}
                  type="checkbox"
                  checked={chosen.includes(option)}
                  onChange={(event) =>
                    onChange(
                      event.target.checked
                        ? [...chosen, option]
                        : chosen.filter((item) => item !== option),
                    )
                  }
                />
                <label htmlFor={`${id}-${option}`}>
                  {t(`value-${field.valueLabel}-${option}` as MessageId)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      );
    }
    case "person":
      return (
        <PersonPicker
          id={id}
          label={label}
          value={text}
          onChange={onChange}
          exclude={excludePerson}
        />
      );
    case "textarea":
      return (
        <LabelledInput
          id={id}
          label={label}
          value={text}
          onChange={onChange}
          rows={3}
          dir="auto"
          required={field.required}
        />
      );
    default: {
      // Dates are typed as the desk writes them (dd/mm/yyyy), whatever the system's locale.
      const type = field.kind === "number" ? "number" : "text";
      const hint =
        field.kind === "day"
          ? t("field-day-hint")
          : field.kind === "datetime"
            ? t("field-datetime-hint")
            : null;
      return (
        <LabelledInput
          id={id}
          label={label}
          value={text}
          onChange={onChange}
          type={type}
          inputMode={field.kind === "euros" ? "decimal" : undefined}
          required={field.required}
          hint={hint}
        />
      );
    }
  }
}

/**
 * A section's form: the fields, Save and Cancel. A failed save keeps what was typed and says
 * why, in the store's words; Esc cancels.
 */
export function RowForm({
  fields,
  initial,
  onSave,
  onCancel,
  error,
  saving,
  excludePerson,
}: {
  fields: readonly FieldSpec[];
  initial: FormValues;
  onSave: (values: FormValues) => void;
  onCancel: () => void;
  error: BackendError | null;
  saving: boolean;
  excludePerson?: string;
}) {
  const t = useT();
  const idPrefix = useId().replaceAll(":", "");
  const [values, setValues] = useState<FormValues>(initial);
  const [start] = useState(() => JSON.stringify(initial));
  useUnsavedChanges(JSON.stringify(values) !== start);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(values);
  };
  return (
    <form
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
      className="porta-desk-form border rounded p-3 my-3 bg-light"
      noValidate
    >
      <div className="row">
        {fields.map((field) => (
          <div
            key={field.name}
            className={
              field.kind === "textarea" || field.kind === "choices" ? "col-12" : "col-12 col-md-6"
            }
          >
            <FieldInput
              field={field}
              value={values[field.name] ?? ""}
              onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
              idPrefix={idPrefix}
              excludePerson={excludePerson}
              onFill={(filled) => setValues((current) => ({ ...current, ...filled }))}
            />
          </div>
        ))}
      </div>
      {error !== null && <ErrorAlert error={error} />}
      <div className="d-flex gap-2">
        <Button type="submit" color="primary" disabled={saving}>
          {t("section-save")}
        </Button>
        <Button type="button" color="secondary" outline onClick={onCancel}>
          {t("section-cancel")}
        </Button>
      </div>
    </form>
  );
}

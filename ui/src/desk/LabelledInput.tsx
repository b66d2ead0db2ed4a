/** A text field of the desk's forms: its label always above (bootstrap-italia's `active`),
 * an optional hint tied to it, and what the browser needs to offer the right keyboard. */
export function LabelledInput({
  id,
  label,
  value,
  onChange,
  hint,
  type = "text",
  inputMode,
  dir,
  required,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string | null;
  type?: string;
  inputMode?: "numeric" | "decimal" | "tel" | "email";
  dir?: "auto";
  required?: boolean;
}) {
  return (
    <div className="form-group mb-3">
      <label htmlFor={id} className="active">
        {label}
      </label>
      <input
        id={id}
        className="form-control"
        type={type}
        inputMode={inputMode}
        dir={dir}
        value={value}
        required={required}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint && (
        <small id={`${id}-hint`} className="form-text">
          {hint}
        </small>
      )}
    </div>
  );
}

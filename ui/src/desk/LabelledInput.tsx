/** A text field of the desk's forms: its label always above (bootstrap-italia's `active`),
 * an optional hint tied to it, and what the browser needs to offer the right keyboard.
 * With `rows`, a text of several lines. */
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
  rows,
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
  rows?: number;
}) {
  const common = {
    id,
    className: "form-control",
    value,
    required,
    "aria-describedby": hint ? `${id}-hint` : undefined,
  };
  return (
    <div className="form-group mb-3">
      <label htmlFor={id} className="active">
        {label}
      </label>
      {rows === undefined ? (
        <input
          {...common}
          type={type}
          inputMode={inputMode}
          dir={dir}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <textarea
          {...common}
          rows={rows}
          dir={dir}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {hint && (
        <small id={`${id}-hint`} className="form-text">
          {hint}
        </small>
      )}
    </div>
  );
}

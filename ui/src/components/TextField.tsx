import { Input } from "design-react-kit";

/** A labelled text or passphrase field (Designers Italia), with an optional hint. */
export function TextField({
  id,
  label,
  value,
  onChange,
  type = "text",
  hint,
  autoComplete,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "password";
  hint?: string;
  autoComplete?: string;
}) {
  return (
    <Input
      id={id}
      name={id}
      type={type}
      label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      infoText={hint}
      autoComplete={autoComplete}
      required
      spellCheck={false}
    />
  );
}

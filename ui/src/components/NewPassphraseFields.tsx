import type { MessageId } from "../bindings/MessageId";
import { useT } from "../i18n/Localization";
import { TextField } from "./TextField";

/** A new passphrase typed twice. */
export interface NewPassphrase {
  passphrase: string;
  repeat: string;
}

export const EMPTY_NEW_PASSPHRASE: NewPassphrase = { passphrase: "", repeat: "" };

/** The passphrase and its repetition, with the rule as a hint and the mismatch as an alert. */
export function NewPassphraseFields({
  ids,
  label,
  value,
  onChange,
  showMismatch,
}: {
  ids: { passphrase: string; repeat: string };
  label: MessageId;
  value: NewPassphrase;
  onChange: (value: NewPassphrase) => void;
  /** Set after a submit whose two passphrases differed. */
  showMismatch: boolean;
}) {
  const t = useT();
  return (
    <>
      <TextField
        id={ids.passphrase}
        label={t(label)}
        type="password"
        hint={t("passphrase-hint")}
        autoComplete="new-password"
        value={value.passphrase}
        onChange={(passphrase) => onChange({ ...value, passphrase })}
      />
      <TextField
        id={ids.repeat}
        label={t("field-passphrase-repeat")}
        type="password"
        autoComplete="new-password"
        value={value.repeat}
        onChange={(repeat) => onChange({ ...value, repeat })}
      />
      {showMismatch && (
        <p role="alert" className="text-danger fw-semibold">
          {t("passphrases-differ")}
        </p>
      )}
    </>
  );
}

import { useT } from "../i18n/Localization";
import { useColleagues } from "./queries";

/** Chooses an operator of the office (an account id), or none: `noneLabel` says what none
 * means there (not set, everyone). An id this device does not know stays choosable. */
export function ColleagueSelect({
  id,
  label,
  value,
  onChange,
  noneLabel,
  className = "select-wrapper mb-3",
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  noneLabel: string;
  className?: string;
}) {
  const t = useT();
  const colleagues = useColleagues();
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{noneLabel}</option>
        {value !== "" &&
          colleagues.data !== undefined &&
          !colleagues.data.some((colleague) => colleague.id === value) && (
            <option value={value}>{t("value-other-operator")}</option>
          )}
        {(colleagues.data ?? []).map((colleague) => (
          <option key={colleague.id} value={colleague.id}>
            {colleague.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}

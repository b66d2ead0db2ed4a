import type { OrganisationDetails } from "../bindings/OrganisationDetails";
import { useT } from "../i18n/Localization";
import { useDirectory } from "./queries";

/** How a service is named in a list: its name and where it is. */
export function serviceLabel(details: OrganisationDetails): string {
  return details.municipality === null ? details.name : `${details.name} (${details.municipality})`;
}

/** Chooses a service of the directory, or none. Closed services are offered only when already
 * chosen; a service this device does not have (yet) stays choosable. */
export function OrganisationSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string, details: OrganisationDetails | null) => void;
}) {
  const t = useT();
  const directory = useDirectory();
  const services = directory.data?.services ?? [];
  const offered = services.filter((row) => !row.details.closed || row.id === value);
  return (
    <div className="select-wrapper mb-3">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          const chosen = services.find((row) => row.id === event.target.value);
          onChange(event.target.value, chosen?.details ?? null);
        }}
      >
        <option value="">{t("value-not-in-directory")}</option>
        {value !== "" &&
          directory.data !== undefined &&
          !services.some((row) => row.id === value) && (
            <option value={value}>{t("value-unknown")}</option>
          )}
        {offered.map((row) => (
          <option key={row.id} value={row.id}>
            {serviceLabel(row.details)}
          </option>
        ))}
      </select>
    </div>
  );
}

import { useState } from "react";
import { useT } from "../i18n/Localization";
import { formatPartialDate, personName } from "./format";
import { useFindPeople } from "./queries";

/** Chooses another person's folder (a household member) by searching for them. */
export function PersonPicker({
  id,
  label,
  value,
  onChange,
  exclude,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (id: string) => void;
  exclude?: string;
}) {
  const t = useT();
  const [query, setQuery] = useState("");
  const found = useFindPeople(query, false);
  const hits = (found.data ?? []).filter((hit) => hit.id !== exclude);
  return (
    <div className="mb-3">
      <div className="form-group mb-1">
        <label htmlFor={`${id}-search`} className="active">
          {label}
        </label>
        <input
          id={`${id}-search`}
          className="form-control"
          type="search"
          value={query}
          placeholder={t("search-placeholder")}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div className="select-wrapper">
        <label htmlFor={id} className="visually-hidden">
          {label}
        </label>
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)} required>
          <option value="">{value === "" ? t("value-unknown") : value}</option>
          {hits.map((hit) => (
            <option key={hit.id} value={hit.id}>
              {personName(hit)}
              {hit.birthDate ? ` (${formatPartialDate(hit.birthDate)})` : ""}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

import { Button } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { MessageId } from "../bindings/MessageId";
import type { PersonDetails } from "../bindings/PersonDetails";
import { ErrorAlert } from "../components/ErrorAlert";
import { formatDay, formatPartialDate, personName } from "../desk/format";
import { PersonPicker } from "../desk/PersonPicker";
import { useCountryName, useFolder, useMergeFolders } from "../desk/queries";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

/** The person's fields, in the order the folder shows them. */
const FIELDS: readonly (keyof PersonDetails)[] = [
  "family_name",
  "given_names",
  "aliases",
  "sex",
  "birth_date",
  "birth_country",
  "birth_place",
  "citizenships",
  "stateless",
  "protection",
  "preferred_language",
  "languages",
  "phone",
  "email",
  "codice_fiscale",
  "stp",
  "eni",
  "domicile",
  "residence",
];

const isEmpty = (value: unknown) =>
  value === null || value === "" || value === false || (Array.isArray(value) && value.length === 0);

/** Two folders of the same person made one: side by side, choosing each field. */
export function MergeFolders() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const t = useT();
  useDocumentTitle(t("merge-heading"));
  const [other, setOther] = useState(params.get("with") ?? "");
  const keep = useFolder(id);
  const absorbed = useFolder(other === "" ? id : other);
  return (
    <>
      <h1>{t("merge-heading")}</h1>
      <p className="lead">{t("merge-intro")}</p>
      {keep.isError && <ErrorAlert error={keep.error} />}
      <div className="porta-desk-form">
        <PersonPicker
          id="merge-other"
          label={t("merge-other")}
          value={other}
          onChange={setOther}
          exclude={id}
        />
      </div>
      {absorbed.isError && <ErrorAlert error={absorbed.error} />}
      {keep.data && absorbed.data && other !== "" && other !== id && (
        <MergeChoices
          keepId={id}
          absorbedId={other}
          keep={keep.data.folder.person.details}
          absorbed={absorbed.data.folder.person.details}
        />
      )}
    </>
  );
}

function MergeChoices({
  keepId,
  absorbedId,
  keep,
  absorbed,
}: {
  keepId: string;
  absorbedId: string;
  keep: PersonDetails;
  absorbed: PersonDetails;
}) {
  const t = useT();
  const navigate = useNavigate();
  const country = useCountryName();
  const merge = useMergeFolders();
  const [chosen, setChosen] = useState<Record<string, "keep" | "absorbed">>(() =>
    Object.fromEntries(
      FIELDS.map((field) => [
        field,
        isEmpty(keep[field]) && !isEmpty(absorbed[field]) ? "absorbed" : "keep",
      ]),
    ),
  );
  const show = (field: keyof PersonDetails, value: unknown): string => {
    if (isEmpty(value)) return "—";
    if (field === "birth_date")
      return formatPartialDate(value as NonNullable<PersonDetails["birth_date"]>);
    if (field === "birth_country") return country(String(value));
    if (field === "citizenships") return (value as string[]).map(country).join(", ");
    if (field === "sex") return t(`value-sex-${String(value)}` as MessageId);
    if (field === "stateless") return t("value-yes");
    if (field === "stp" || field === "eni") {
      const code = value as NonNullable<PersonDetails["stp"]>;
      return `${code.code} (${formatDay(code.expires_on)})`;
    }
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value === "object")
      return Object.values(value as object)
        .filter(Boolean)
        .join(", ");
    return String(value);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const person = Object.fromEntries(
      FIELDS.map((field) => [field, (chosen[field] === "keep" ? keep : absorbed)[field]]),
    ) as PersonDetails;
    merge.mutate(
      { keepId, absorbedId, person },
      { onSuccess: () => navigate(`/folder/${keepId}`) },
    );
  };
  const label = (field: string) => t(`field-${field.replaceAll("_", "-")}` as MessageId);
  return (
    <form onSubmit={submit} noValidate>
      <table className="table" data-testid="merge-choices">
        <caption>{t("merge-choose")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("history-field")}</th>
            <th scope="col" dir="auto">
              {personName({ givenNames: keep.given_names, familyName: keep.family_name })}
            </th>
            <th scope="col" dir="auto">
              {personName({ givenNames: absorbed.given_names, familyName: absorbed.family_name })}
            </th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.filter((field) => !(isEmpty(keep[field]) && isEmpty(absorbed[field]))).map(
            (field) => (
              <tr key={field}>
                <th scope="row">{label(field)}</th>
                {(["keep", "absorbed"] as const).map((side) => (
                  <td key={side}>
                    <div className="form-check">
                      <input
                        type="radio"
                        id={`merge-${field}-${side}`}
                        name={`merge-${field}`}
                        checked={chosen[field] === side}
                        onChange={() => setChosen((current) => ({ ...current, [field]: side }))}
                      />
                      <label htmlFor={`merge-${field}-${side}`} dir="auto">
                        {show(field, (side === "keep" ? keep : absorbed)[field])}
                      </label>
                    </div>
                  </td>
                ))}
              </tr>
            ),
          )}
        </tbody>
      </table>
      {merge.error && <ErrorAlert error={merge.error} />}
      <Button type="submit" color="primary" disabled={merge.isPending}>
        {t("merge-submit")}
      </Button>
    </form>
  );
}

import { Button } from "design-react-kit";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import type { CodiceFiscaleCheck } from "../bindings/CodiceFiscaleCheck";
import type { MessageId } from "../bindings/MessageId";
import { ErrorAlert } from "../components/ErrorAlert";
import { HitDetails } from "../components/PersonSearch";
import { AFTER_SAVE, useUnsavedChanges } from "../components/UnsavedChanges";
import { personName } from "../desk/format";
import { EMPTY_PERSON, PersonFields, type PersonForm, toPersonDetails } from "../desk/PersonFields";
import {
  useCheckCodiceFiscale,
  useCreatePerson,
  useIssueAnonymousStp,
  usePossibleDuplicates,
} from "../desk/queries";
import { useT } from "../i18n/Localization";
import { useDocumentTitle } from "./useDocumentTitle";

/** What was typed in the search box, as family name then given names. */
function fromQuery(query: string): PersonForm {
  const words = query
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "");
  const [first = ""] = words;
  if (words.length === 1 && /^[A-Za-z]{6}\d{2}/.test(first)) {
    return { ...EMPTY_PERSON, codiceFiscale: first };
  }
  return { ...EMPTY_PERSON, familyName: words[0] ?? "", givenNames: words.slice(1).join(" ") };
}

/** What the check of a typed codice fiscale says, in words, with the computed code to use. */
export function CodiceFiscaleNotice({
  check,
  onUse,
}: {
  check: CodiceFiscaleCheck;
  onUse: (code: string) => void;
}) {
  const t = useT();
  const part = (name: string) => t(`cf-part-${name}` as MessageId);
  const problem = !check.wellFormed
    ? check.malformedPart === null
      ? t("cf-check-length")
      : t("cf-check-malformed", { part: part(check.malformedPart) })
    : check.disagreements.length > 0
      ? t("cf-check-disagrees", { parts: check.disagreements.map(part).join(", ") })
      : null;
  if (problem === null && check.computed === null) return null;
  return (
    <div
      className={`alert ${problem === null ? "alert-success" : "alert-warning"} py-2`}
      role="status"
      data-testid="codice-fiscale-check"
    >
      <p className="mb-1">{problem ?? t("cf-check-ok")}</p>
      {problem !== null && check.computed !== null && (
        <p className="mb-0">
          {t("cf-check-computed", { code: check.computed })}{" "}
          <Button
            size="xs"
            color="primary"
            outline
            type="button"
            data-testid="use-computed-codice-fiscale"
            onClick={() => onUse(check.computed as string)}
          >
            {t("cf-check-use-computed", { code: check.computed })}
          </Button>
        </p>
      )}
    </div>
  );
}

/**
 * A new person, from what the search box held: the short form, possible duplicates as one
 * types, and the codice fiscale read against the data. Creating despite a possible
 * duplicate takes one deliberate tick.
 */
export function NewPerson() {
  const t = useT();
  useDocumentTitle(t("new-person-heading"));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [form, setForm] = useState<PersonForm>(() => fromQuery(params.get("name") ?? ""));
  const [start] = useState(() => JSON.stringify(form));
  const [differentPerson, setDifferentPerson] = useState(false);
  const details = toPersonDetails(form, null);
  const named = form.familyName.trim().length + form.givenNames.trim().length >= 3;
  const duplicates = usePossibleDuplicates(details, named || form.codiceFiscale.trim().length >= 3);
  const check = useCheckCodiceFiscale(details, form.codiceFiscale);
  const create = useCreatePerson();
  const anonymous = useIssueAnonymousStp();
  useUnsavedChanges(
    JSON.stringify(form) !== start &&
      !create.isPending &&
      !create.isSuccess &&
      !anonymous.isPending,
  );
  const found = duplicates.data ?? [];
  const blocked = found.length > 0 && !differentPerson;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (blocked) return;
    create.mutate(details, {
      onSuccess: (id) => navigate(`/folder/${id}`, { state: AFTER_SAVE }),
    });
  };

  return (
    <>
      <h1>{t("new-person-heading")}</h1>
      <p className="lead">{t("new-person-intro")}</p>
      <form
        onSubmit={submit}
        noValidate
        className="porta-desk-form"
        aria-busy={duplicates.isFetching}
        data-testid="new-person-form"
      >
        <PersonFields
          form={form}
          onChange={(next) => {
            setForm(next);
            setDifferentPerson(false);
          }}
          full={false}
          afterCodiceFiscale={
            check.data && (
              <CodiceFiscaleNotice
                check={check.data}
                onUse={(code) => setForm({ ...form, codiceFiscale: code })}
              />
            )
          }
        />
        {found.length > 0 && (
          <section
            className="alert alert-warning"
            aria-labelledby="duplicates-heading"
            data-testid="duplicates"
          >
            <h2 id="duplicates-heading" className="h5">
              {t("new-person-duplicates")}
            </h2>
            <ul>
              {found.map((hit) => (
                <li key={hit.id}>
                  <Link to={`/folder/${hit.id}`} dir="auto">
                    {personName(hit) || hit.stpEniCode}
                  </Link>{" "}
                  <HitDetails hit={hit} />
                </li>
              ))}
            </ul>
            <div className="form-check">
              <input
                id="different-person"
                type="checkbox"
                checked={differentPerson}
                onChange={(event) => setDifferentPerson(event.target.checked)}
              />
              <label htmlFor="different-person">{t("new-person-duplicates-confirm")}</label>
            </div>
          </section>
        )}
        {create.error && <ErrorAlert error={create.error} />}
        <Button type="submit" color="primary" disabled={blocked || create.isPending}>
          {found.length > 0 ? t("new-person-create-anyway") : t("new-person-create")}
        </Button>
      </form>
      <section aria-labelledby="anonymous-stp-heading" className="mt-5 border-top pt-3">
        <h2 id="anonymous-stp-heading" className="h5">
          {t("new-person-anonymous-heading")}
        </h2>
        <p>{t("new-person-anonymous-hint")}</p>
        {anonymous.error && <ErrorAlert error={anonymous.error} />}
        <Button
          type="button"
          color="primary"
          outline
          data-testid="anonymous-stp"
          disabled={anonymous.isPending}
          onClick={() =>
            anonymous.mutate(
              { ...details, family_name: "", given_names: "", aliases: [], codice_fiscale: null },
              {
                onSuccess: (id) => navigate(`/folder/${id}#section-stp-eni`, { state: AFTER_SAVE }),
              },
            )
          }
        >
          {t("new-person-anonymous-stp")}
        </Button>
      </section>
    </>
  );
}

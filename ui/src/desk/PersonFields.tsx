import type { ReactNode } from "react";
import type { PersonDetails } from "../bindings/PersonDetails";
import type { Sex } from "../bindings/Sex";
import { useT } from "../i18n/Localization";
import { formatDay, parseDay } from "./format";
import { LabelledInput } from "./LabelledInput";
import { useCountries } from "./queries";

/** The person's data while they are typed: texts, as the fields hold them. */
export type PersonForm = {
  familyName: string;
  givenNames: string;
  sex: string;
  birthYear: string;
  birthMonth: string;
  birthDay: string;
  birthEstimated: boolean;
  birthCountry: string;
  birthPlace: string;
  citizenship: string;
  preferredLanguage: string;
  languages: string;
  aliases: string;
  phone: string;
  email: string;
  codiceFiscale: string;
  municipality: string;
  street: string;
  postcode: string;
  /** Dates as typed at the desk (dd/mm/yyyy). */
  legalResidenceSince: string;
  marriedToItalianOn: string;
  italianDescent: boolean;
  adoptedByItalianOn: string;
};

export const EMPTY_PERSON: PersonForm = {
  familyName: "",
  givenNames: "",
  sex: "",
  birthYear: "",
  birthMonth: "",
  birthDay: "",
  birthEstimated: false,
  birthCountry: "",
  birthPlace: "",
  citizenship: "",
  preferredLanguage: "",
  languages: "",
  aliases: "",
  phone: "",
  email: "",
  codiceFiscale: "",
  municipality: "",
  street: "",
  postcode: "",
  legalResidenceSince: "",
  marriedToItalianOn: "",
  italianDescent: false,
  adoptedByItalianOn: "",
};

const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
const orNull = (text: string) => (text.trim() === "" ? null : text.trim());
const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text.trim()));

/**
 * What was typed as the person's details. Fields the form does not show (STP and ENI codes,
 * the residence, other citizenships) keep their stored values from `stored`.
 */
export function toPersonDetails(form: PersonForm, stored: PersonDetails | null): PersonDetails {
  const year = numberOrNull(form.birthYear);
  const otherCitizenships = (stored?.citizenships ?? []).slice(1);
  const domicile =
    form.municipality.trim() === "" && form.street.trim() === "" && form.postcode.trim() === ""
      ? null
      : { street: form.street, municipality: form.municipality, postcode: orNull(form.postcode) };
  return {
    family_name: form.familyName,
    given_names: form.givenNames,
    aliases: list(form.aliases),
    sex: form.sex === "" ? null : (form.sex as Sex),
    birth_date:
      year === null
        ? null
        : {
            year,
            month: numberOrNull(form.birthMonth),
            day: numberOrNull(form.birthDay),
            estimated: form.birthEstimated,
          },
    birth_country: orNull(form.birthCountry),
    birth_place: orNull(form.birthPlace),
    citizenships:
      form.citizenship === "" ? otherCitizenships : [form.citizenship, ...otherCitizenships],
    stateless: stored?.stateless ?? false,
    protection: stored?.protection ?? null,
    languages: list(form.languages),
    preferred_language: orNull(form.preferredLanguage),
    phone: orNull(form.phone),
    email: orNull(form.email),
    codice_fiscale: orNull(form.codiceFiscale),
    stp: stored?.stp ?? null,
    eni: stored?.eni ?? null,
    domicile,
    residence: stored?.residence ?? null,
    legal_residence_since:
      form.legalResidenceSince.trim() === "" ? null : parseDay(form.legalResidenceSince),
    married_to_italian_on:
      form.marriedToItalianOn.trim() === "" ? null : parseDay(form.marriedToItalianOn),
    italian_descent: form.italianDescent,
    adopted_by_italian_on:
      form.adoptedByItalianOn.trim() === "" ? null : parseDay(form.adoptedByItalianOn),
  };
}

/** A stored person as the form shows it. */
export function toPersonForm(details: PersonDetails): PersonForm {
  const date = details.birth_date;
  return {
    familyName: details.family_name,
    givenNames: details.given_names,
    sex: details.sex ?? "",
    birthYear: date ? String(date.year) : "",
    birthMonth: date?.month ? String(date.month) : "",
    birthDay: date?.day ? String(date.day) : "",
    birthEstimated: date?.estimated ?? false,
    birthCountry: details.birth_country ?? "",
    birthPlace: details.birth_place ?? "",
    citizenship: details.citizenships[0] ?? "",
    preferredLanguage: details.preferred_language ?? "",
    languages: details.languages.join(", "),
    aliases: details.aliases.join(", "),
    phone: details.phone ?? "",
    email: details.email ?? "",
    codiceFiscale: details.codice_fiscale ?? "",
    municipality: details.domicile?.municipality ?? "",
    street: details.domicile?.street ?? "",
    postcode: details.domicile?.postcode ?? "",
    legalResidenceSince: details.legal_residence_since
      ? formatDay(details.legal_residence_since)
      : "",
    marriedToItalianOn: details.married_to_italian_on
      ? formatDay(details.married_to_italian_on)
      : "",
    italianDescent: details.italian_descent,
    adoptedByItalianOn: details.adopted_by_italian_on
      ? formatDay(details.adopted_by_italian_on)
      : "",
  };
}

/**
 * The person's fields: the short form of a new person (`full` off), or every field the
 * folder's personal data shows. `afterCodiceFiscale` goes right below the code (its check).
 */
export function PersonFields({
  form,
  onChange,
  full,
  afterCodiceFiscale,
}: {
  form: PersonForm;
  onChange: (form: PersonForm) => void;
  full: boolean;
  afterCodiceFiscale?: ReactNode;
}) {
  const t = useT();
  const countries = useCountries();
  const set =
    <K extends keyof PersonForm>(key: K) =>
    (value: PersonForm[K]) =>
      onChange({ ...form, [key]: value });
  const optional = t("field-optional-hint");
  const countrySelect = (id: string, label: string, value: string, change: (v: string) => void) => (
    <div className="select-wrapper mb-3">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => change(event.target.value)}>
        <option value="">{t("value-unknown")}</option>
        {(countries.data ?? []).map((country) => (
          <option key={country.code} value={country.code}>
            {country.name}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="row">
      <div className="col-12 col-md-6">
        <LabelledInput
          id="person-family-name"
          label={t("field-family-name")}
          value={form.familyName}
          onChange={set("familyName")}
          dir="auto"
        />
      </div>
      <div className="col-12 col-md-6">
        <LabelledInput
          id="person-given-names"
          label={t("field-given-names")}
          value={form.givenNames}
          onChange={set("givenNames")}
          dir="auto"
        />
      </div>
      <div className="col-12 col-md-4">
        <div className="select-wrapper mb-3">
          <label htmlFor="person-sex">{t("field-sex")}</label>
          <select
            id="person-sex"
            value={form.sex}
            onChange={(event) => set("sex")(event.target.value)}
          >
            <option value="">{t("value-unknown")}</option>
            <option value="female">{t("value-sex-female")}</option>
            <option value="male">{t("value-sex-male")}</option>
            <option value="unspecified">{t("value-sex-unspecified")}</option>
          </select>
        </div>
      </div>
      <div className="col-4 col-md-2">
        <LabelledInput
          id="person-birth-day"
          label={t("field-birth-day")}
          value={form.birthDay}
          onChange={set("birthDay")}
          inputMode="numeric"
          hint={optional}
        />
      </div>
      <div className="col-4 col-md-2">
        <LabelledInput
          id="person-birth-month"
          label={t("field-birth-month")}
          value={form.birthMonth}
          onChange={set("birthMonth")}
          inputMode="numeric"
          hint={optional}
        />
      </div>
      <div className="col-4 col-md-4">
        <LabelledInput
          id="person-birth-year"
          label={t("field-birth-year")}
          value={form.birthYear}
          onChange={set("birthYear")}
          inputMode="numeric"
        />
      </div>
      <div className="col-12">
        <div className="form-check mb-3">
          <input
            id="person-birth-estimated"
            type="checkbox"
            checked={form.birthEstimated}
            onChange={(event) => set("birthEstimated")(event.target.checked)}
          />
          <label htmlFor="person-birth-estimated">{t("field-birth-estimated")}</label>
        </div>
      </div>
      <div className="col-12 col-md-6">
        {countrySelect(
          "person-birth-country",
          t("field-birth-country"),
          form.birthCountry,
          set("birthCountry"),
        )}
      </div>
      <div className="col-12 col-md-6">
        {countrySelect(
          "person-citizenship",
          t("field-citizenships"),
          form.citizenship,
          set("citizenship"),
        )}
      </div>
      <div className="col-12 col-md-6">
        <LabelledInput
          id="person-preferred-language"
          label={t("field-preferred-language")}
          value={form.preferredLanguage}
          onChange={set("preferredLanguage")}
          hint="ar, fr, en, uk…"
        />
      </div>
      <div className="col-12 col-md-6">
        <LabelledInput
          id="person-languages"
          label={t("field-languages")}
          value={form.languages}
          onChange={set("languages")}
          hint="wo, fr"
        />
      </div>
      <div className="col-12 col-md-6">
        <LabelledInput
          id="person-codice-fiscale"
          label={t("field-codice-fiscale")}
          value={form.codiceFiscale}
          onChange={set("codiceFiscale")}
          hint={optional}
        />
        {afterCodiceFiscale}
      </div>
      {full && (
        <>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-birth-place"
              label={t("field-birth-place")}
              value={form.birthPlace}
              onChange={set("birthPlace")}
              dir="auto"
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-aliases"
              label={t("field-aliases")}
              value={form.aliases}
              onChange={set("aliases")}
              dir="auto"
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-phone"
              label={t("field-phone")}
              value={form.phone}
              onChange={set("phone")}
              type="tel"
              inputMode="tel"
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-email"
              label={t("field-email")}
              value={form.email}
              onChange={set("email")}
              type="email"
              inputMode="email"
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-street"
              label={`${t("field-domicile")}: ${t("field-place")}`}
              value={form.street}
              onChange={set("street")}
            />
          </div>
          <div className="col-12 col-md-4">
            <LabelledInput
              id="person-municipality"
              label={`${t("field-domicile")}: ${t("field-municipality")}`}
              value={form.municipality}
              onChange={set("municipality")}
            />
          </div>
          <div className="col-12 col-md-2">
            <LabelledInput
              id="person-postcode"
              label={t("field-postcode")}
              value={form.postcode}
              onChange={set("postcode")}
              inputMode="numeric"
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-legal-residence-since"
              label={t("field-legal-residence-since")}
              value={form.legalResidenceSince}
              onChange={set("legalResidenceSince")}
              hint={t("field-day-hint")}
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-married-to-italian-on"
              label={t("field-married-to-italian-on")}
              value={form.marriedToItalianOn}
              onChange={set("marriedToItalianOn")}
              hint={t("field-day-hint")}
            />
          </div>
          <div className="col-12 col-md-6">
            <LabelledInput
              id="person-adopted-by-italian-on"
              label={t("field-adopted-by-italian-on")}
              value={form.adoptedByItalianOn}
              onChange={set("adoptedByItalianOn")}
              hint={t("field-day-hint")}
            />
          </div>
          <div className="col-12 col-md-6">
            <div className="form-check mt-4 mb-3">
              <input
                id="person-italian-descent"
                type="checkbox"
                checked={form.italianDescent}
                onChange={(event) => set("italianDescent")(event.target.checked)}
              />
              <label htmlFor="person-italian-descent">{t("field-italian-descent")}</label>
            </div>
          </div>
        </>
      )}
    </div>
  );
}

//! The person a case folder is about.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::civil::Sex;
use crate::rules::codice_fiscale::{self, CodiceFiscale, CodiceFiscaleError, Holder, Part};
use crate::rules::stp_eni::{StpEniKind, StpEniNumber};

use super::{
    Day, Entity, Invalid, MAX_LINE_CHARS, Problem, Section, language_code, line_list, not_before, not_in_future,
    optional_line, optional_text, required_text,
};

/// A birth date as far as it is known: often only the year, sometimes estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// The person or the operator estimated it (no document states it).
    pub estimated: bool,
}

/// As the desk writes it: `dd/mm/yyyy`, `mm/yyyy` or the year alone, as much as is known.
impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (Some(month), Some(day)) => write!(f, "{day:02}/{month:02}/{}", self.year),
            (Some(month), None) => write!(f, "{month:02}/{}", self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

/// A protection status under Italian and EU asylum law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProtectionStatus {
    /// Richiedente asilo: the application is pending.
    AsylumSeeker,
    /// Rifugiato: refugee status granted.
    Refugee,
    /// Protezione sussidiaria.
    SubsidiaryProtection,
    /// Protezione speciale.
    SpecialProtection,
    /// Protezione temporanea (e.g. people displaced from Ukraine).
    TemporaryProtection,
}

/// An address in Italy: where the person lives (domicile) or is registered (residence).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Address {
    /// Street and number, or "c/o" a reception centre.
    pub street: String,
    pub municipality: String,
    pub postcode: Option<String>,
}

/// An STP or ENI code: the health-access code for people without a permit (STP) or for EU
/// citizens without health cover (ENI), valid six months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StpEniCode {
    pub code: String,
    pub issued_on: Day,
    pub expires_on: Day,
}

/// What the operator records about a person. Fields never written read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PersonDetails {
    pub family_name: String,
    pub given_names: String,
    /// Other spellings and transliterations of the name.
    pub aliases: Vec<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<PartialDate>,
    /// The country of birth (ANPR code, `Z` and three digits).
    pub birth_country: Option<String>,
    /// The town of birth, as written on the documents.
    pub birth_place: Option<String>,
    /// Citizenships (ANPR codes); empty for a stateless person.
    pub citizenships: Vec<String>,
    /// Recognised as stateless (apolide).
    pub stateless: bool,
    pub protection: Option<ProtectionStatus>,
    /// Languages the person speaks (ISO 639 codes).
    pub languages: Vec<String>,
    /// The language to speak and to write documents in (ISO 639 code).
    pub preferred_language: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub codice_fiscale: Option<String>,
    pub stp: Option<StpEniCode>,
    pub eni: Option<StpEniCode>,
    /// Where the person actually lives.
    pub domicile: Option<Address>,
    /// Where the person is registered (residenza anagrafica).
    pub residence: Option<Address>,
    /// Since when the person resides legally in Italy (the years towards citizenship).
    pub legal_residence_since: Option<Day>,
    /// The wedding day, when married to an Italian citizen (citizenship by marriage).
    pub married_to_italian_on: Option<Day>,
    /// A parent or grandparent was Italian by birth (citizenship after 3 years' residence).
    pub italian_descent: bool,
    /// The day an Italian citizen adopted the person as an adult (citizenship after 5 years'
    /// residence from then).
    pub adopted_by_italian_on: Option<Day>,
}

/// A stored person.
pub type Person = super::Row<PersonDetails>;

/// The fields of a person that search looks at.
pub const SEARCHED_FIELDS: [&str; 7] =
    ["family_name", "given_names", "aliases", "phone", "codice_fiscale", "stp", "eni"];

impl PartialDate {
    /// Refuses dates that do not exist and dates after `today`.
    pub fn validate(&self, field: &'static str, today: crate::calendar::Date) -> Result<(), Invalid> {
        let invalid = |problem| Invalid { field, problem };
        if self.day.is_some() && self.month.is_none() {
            return Err(invalid(Problem::NotADate));
        }
        let first_possible = crate::calendar::Date::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month.unwrap_or(1)),
            u32::from(self.day.unwrap_or(1)),
        )
        .ok_or(invalid(Problem::NotADate))?;
        if self.year < 1900 {
            return Err(invalid(Problem::NotADate));
        }
        if first_possible > today {
            return Err(invalid(Problem::InFuture));
        }
        Ok(())
    }
}

impl StpEniCode {
    /// Checks the code's shape (the prefix of `kind`, region, ASL, progressive) and dates.
    fn validated(
        &self,
        field: &'static str,
        kind: StpEniKind,
        today: crate::calendar::Date,
    ) -> Result<StpEniCode, Invalid> {
        let code = StpEniNumber::parse(&required_text(field, &self.code, MAX_LINE_CHARS)?, kind)
            .map_err(|_| Invalid::new(field, Problem::Malformed))?
            .code();
        not_in_future(field, Some(self.issued_on), today)?;
        not_before(field, Some(self.expires_on), Some(self.issued_on))?;
        Ok(StpEniCode { code, ..self.clone() })
    }
}

/// A codice fiscale typed for a person, read against the person's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodiceFiscaleCheck {
    /// Sixteen characters, each possible where it stands, with the right check letter.
    pub well_formed: bool,
    /// For a code that is not well formed: the part that cannot be (the check letter for a
    /// typing mistake); none when the length is wrong.
    pub malformed_part: Option<Part>,
    /// For a well-formed code: the parts the data give otherwise.
    pub disagreements: Vec<Part>,
    /// The code the data give, when they say enough (a name, sex, whole birth date, place).
    pub computed: Option<String>,
}

impl PersonDetails {
    /// The whole birth date and the place code, when the data give both: the state of birth,
    /// or for someone born in Italy the municipality named as the place of birth.
    fn birth_for_codice_fiscale(&self) -> Option<(crate::calendar::Date, String)> {
        let born = self.birth_date?;
        let birth_date = crate::calendar::Date::from_ymd_opt(born.year.into(), born.month?.into(), born.day?.into())?;
        let place_code = match &self.birth_country {
            Some(country) => country.clone(),
            None => crate::rules::anpr::places_named(self.birth_place.as_deref()?)
                .into_iter()
                .find(|place| !place.is_abroad() && place.valid_on(birth_date))?
                .code
                .clone(),
        };
        Some((birth_date, place_code))
    }

    /// Born in Italy: no state of birth, and the place of birth is an Italian municipality.
    pub fn born_in_italy(&self) -> bool {
        self.birth_country.is_none()
            && self
                .birth_place
                .as_deref()
                .is_some_and(|place| crate::rules::anpr::places_named(place).iter().any(|place| !place.is_abroad()))
    }

    /// Reads the typed `code` against these data: whether it is well formed, which parts
    /// disagree with the data, and the code the data give.
    pub fn check_codice_fiscale(&self, code: &str) -> CodiceFiscaleCheck {
        let named = !(self.family_name.trim().is_empty() && self.given_names.trim().is_empty());
        let birth = self.birth_for_codice_fiscale().filter(|_| named);
        let holder = match (&birth, self.sex) {
            (Some((birth_date, place_code)), Some(sex)) => Some(Holder {
                family_name: &self.family_name,
                given_names: &self.given_names,
                sex,
                birth_date: *birth_date,
                place_code,
            }),
            _ => None,
        };
        let computed = holder.as_ref().map(|holder| codice_fiscale::expected(holder).to_string());
        match CodiceFiscale::parse(code.trim()) {
            Ok(typed) => CodiceFiscaleCheck {
                well_formed: true,
                malformed_part: None,
                disagreements: holder.map(|holder| codice_fiscale::disagreements(&typed, &holder)).unwrap_or_default(),
                computed,
            },
            Err(error) => CodiceFiscaleCheck {
                well_formed: false,
                malformed_part: match error {
                    CodiceFiscaleError::WrongLength(_) => None,
                    CodiceFiscaleError::Malformed { part } => Some(part),
                    CodiceFiscaleError::WrongCheckLetter { .. } => Some(Part::CheckLetter),
                },
                disagreements: Vec::new(),
                computed,
            },
        }
    }
}

impl Address {
    fn validated(&self, field: &'static str) -> Result<Option<Address>, Invalid> {
        let street = optional_line(field, &Some(self.street.clone()))?.unwrap_or_default();
        let municipality = optional_line(field, &Some(self.municipality.clone()))?.unwrap_or_default();
        let postcode = optional_line(field, &self.postcode)?;
        if street.is_empty() && municipality.is_empty() && postcode.is_none() {
            return Ok(None);
        }
        if municipality.is_empty() {
            return Err(Invalid::new(field, Problem::Required));
        }
        if postcode.as_ref().is_some_and(|code| code.len() != 5 || !code.chars().all(|c| c.is_ascii_digit())) {
            return Err(Invalid::new(field, Problem::Malformed));
        }
        Ok(Some(Address { street, municipality, postcode }))
    }
}

impl Section for PersonDetails {
    const ENTITY: Entity = Entity::Person;

    /// The details as they will be stored (trimmed, normalised), or the first wrong field.
    fn validated(&self, today: crate::calendar::Date) -> Result<PersonDetails, Invalid> {
        if let Some(date) = &self.birth_date {
            date.validate("field-birth-date", today)?;
        }
        let phone = optional_line("field-phone", &self.phone)?;
        if let Some(phone) = &phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-/().".contains(c));
            if !allowed || !(6..=15).contains(&digits) {
                return Err(Invalid::new("field-phone", Problem::Malformed));
            }
        }
        let email = optional_line("field-email", &self.email)?;
        if let Some(email) = &email {
            let well_formed = email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            });
            if !well_formed || email.chars().any(char::is_whitespace) || email.matches('@').count() != 1 {
                return Err(Invalid::new("field-email", Problem::Malformed));
            }
        }
        // Only a well-formed code with the right check letter is kept, in capitals.
        let codice_fiscale = optional_line("field-codice-fiscale", &self.codice_fiscale)?
            .map(|code| CodiceFiscale::parse(&code).map(|code| code.to_string()))
            .transpose()
            .map_err(|_| Invalid::new("field-codice-fiscale", Problem::Malformed))?;
        let mut languages = Vec::new();
        for language in &self.languages {
            if let Some(code) = language_code("field-languages", &Some(language.clone()))?
                && !languages.contains(&code)
            {
                languages.push(code);
            }
        }
        let family_name = optional_text("field-family-name", &self.family_name, MAX_LINE_CHARS)?;
        let given_names = optional_text("field-given-names", &self.given_names, MAX_LINE_CHARS)?;
        let stp = self.stp.as_ref().map(|code| code.validated("field-stp", StpEniKind::Stp, today)).transpose()?;
        let eni = self.eni.as_ref().map(|code| code.validated("field-eni", StpEniKind::Eni, today)).transpose()?;
        // One name alone is a name (many people have one); no name at all is allowed only
        // for an anonymous STP or ENI, whose code then names the folder.
        if family_name.is_empty() && given_names.is_empty() && stp.is_none() && eni.is_none() {
            return Err(Invalid::new("field-family-name", Problem::Required));
        }
        Ok(PersonDetails {
            family_name,
            given_names,
            aliases: line_list("field-aliases", &self.aliases)?,
            sex: self.sex,
            birth_date: self.birth_date,
            birth_country: optional_line("field-birth-country", &self.birth_country)?,
            birth_place: optional_line("field-birth-place", &self.birth_place)?,
            citizenships: line_list("field-citizenships", &self.citizenships)?,
            stateless: self.stateless,
            protection: self.protection,
            languages,
            preferred_language: language_code("field-preferred-language", &self.preferred_language)?,
            phone,
            email,
            codice_fiscale,
            stp,
            eni,
            domicile: self.domicile.as_ref().map(|a| a.validated("field-domicile")).transpose()?.flatten(),
            residence: self.residence.as_ref().map(|a| a.validated("field-residence")).transpose()?.flatten(),
            legal_residence_since: not_in_future("field-legal-residence-since", self.legal_residence_since, today)
                .map(|()| self.legal_residence_since)?,
            married_to_italian_on: not_in_future("field-married-to-italian-on", self.married_to_italian_on, today)
                .map(|()| self.married_to_italian_on)?,
            italian_descent: self.italian_descent,
            adopted_by_italian_on: not_in_future("field-adopted-by-italian-on", self.adopted_by_italian_on, today)
                .map(|()| self.adopted_by_italian_on)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::calendar::date;

    use super::*;

    fn someone() -> PersonDetails {
        PersonDetails { family_name: " Diallo ".into(), given_names: "Aminata".into(), ..Default::default() }
    }

    #[test]
    fn names_are_trimmed_and_required() {
        let today = date(2026, 11, 26);
        assert_eq!(someone().validated(today).unwrap().family_name, "Diallo");
        let one_name = PersonDetails { family_name: "  ".into(), ..someone() };
        assert_eq!(one_name.validated(today).unwrap().given_names, "Aminata", "one name alone is a name");
        let nameless = PersonDetails { given_names: " ".into(), ..one_name };
        assert_eq!(
            nameless.validated(today).unwrap_err(),
            Invalid { field: "field-family-name", problem: Problem::Required }
        );
    }

    #[test]
    fn partial_and_estimated_birth_dates_are_accepted() {
        let today = date(2026, 11, 26);
        for (month, day) in [(None, None), (Some(2), None), (Some(2), Some(29))] {
            let birth = PartialDate { year: 2000, month, day, estimated: month.is_none() };
            assert!(PersonDetails { birth_date: Some(birth), ..someone() }.validated(today).is_ok());
        }
    }

    #[test]
    fn impossible_and_future_birth_dates_are_refused() {
        let today = date(2026, 11, 26);
        let check = |year, month, day| {
            PersonDetails { birth_date: Some(PartialDate { year, month, day, estimated: false }), ..someone() }
                .validated(today)
                .map(|_| ())
        };
        let not_a_date = Err(Invalid { field: "field-birth-date", problem: Problem::NotADate });
        let in_future = Err(Invalid { field: "field-birth-date", problem: Problem::InFuture });
        assert_eq!(check(2001, Some(2), Some(29)), not_a_date, "2001 is not a leap year");
        assert_eq!(check(2000, Some(13), None), not_a_date);
        assert_eq!(check(2000, None, Some(3)), not_a_date, "a day without a month");
        assert_eq!(check(2026, Some(11), Some(27)), in_future);
        assert_eq!(check(2027, None, None), in_future);
        assert_eq!(check(2026, Some(11), Some(26)), Ok(()), "born today");
    }

    #[test]
    fn phone_numbers_and_codes_are_checked_for_shape() {
        let today = date(2026, 11, 26);
        let with_phone = |phone: &str| PersonDetails { phone: Some(phone.into()), ..someone() }.validated(today);
        assert!(with_phone("+39 0836 123456").is_ok());
        assert_eq!(with_phone("chiamare dopo").unwrap_err().problem, Problem::Malformed);
        let with_code = |code: &str| PersonDetails { codice_fiscale: Some(code.into()), ..someone() }.validated(today);
        assert_eq!(with_code("dllmnt90a41z343m").unwrap().codice_fiscale.as_deref(), Some("DLLMNT90A41Z343M"));
        assert_eq!(with_code("DLLMNT90A41Z343X").unwrap_err().problem, Problem::Malformed, "wrong check letter");
        assert_eq!(with_code("DLLMNT90").unwrap_err().problem, Problem::Malformed);
    }

    #[test]
    fn a_typed_codice_fiscale_says_which_part_disagrees_with_the_data() {
        let aminata = PersonDetails {
            sex: Some(Sex::Female),
            birth_date: Some(PartialDate { year: 1990, month: Some(1), day: Some(1), estimated: false }),
            birth_country: Some("Z343".into()),
            ..someone()
        };
        let right = aminata.check_codice_fiscale("dllmnt90a41z343m");
        assert_eq!((right.well_formed, right.disagreements.clone()), (true, vec![]));
        assert_eq!(right.computed.as_deref(), Some("DLLMNT90A41Z343M"));
        // Born in February, typed as January: the month is what disagrees.
        let february = PersonDetails {
            birth_date: Some(PartialDate { year: 1990, month: Some(2), day: Some(1), estimated: false }),
            ..aminata.clone()
        };
        assert_eq!(february.check_codice_fiscale("DLLMNT90A41Z343M").disagreements, vec![Part::BirthMonth]);
        let typo = aminata.check_codice_fiscale("DLLMNT90A41Z343X");
        assert_eq!((typo.well_formed, typo.malformed_part), (false, Some(Part::CheckLetter)));
        assert_eq!(aminata.check_codice_fiscale("DLLMNT").malformed_part, None);
        let born_in_galatina =
            PersonDetails { birth_country: None, birth_place: Some("Galatina".into()), ..aminata.clone() };
        assert_eq!(born_in_galatina.check_codice_fiscale("").computed.unwrap()[11..15], *"D862");
        let year_only = PersonDetails {
            birth_date: Some(PartialDate { year: 1990, month: None, day: None, estimated: true }),
            ..aminata
        };
        assert_eq!(year_only.check_codice_fiscale("DLLMNT90A41Z343M").computed, None, "not enough data to compute");
    }

    #[test]
    fn stp_eni_codes_addresses_emails_and_languages_are_checked() {
        let today = date(2026, 11, 26);
        let stp = |code: &str, issued: Day, expires: Day| PersonDetails {
            stp: Some(StpEniCode { code: code.into(), issued_on: issued, expires_on: expires }),
            ..someone()
        };
        let (issued, expires) = (Day::ymd(2026, 6, 1), Day::ymd(2026, 12, 1));
        assert_eq!(
            stp("stp1601010000001", issued, expires).validated(today).unwrap().stp.unwrap().code,
            "STP1601010000001"
        );
        assert_eq!(stp("ENI1601010000001", issued, expires).validated(today).unwrap_err().field, "field-stp");
        assert_eq!(stp("STP1601010000001", expires, issued).validated(today).unwrap_err().problem, Problem::InFuture);
        let backwards = stp("STP1601010000001", Day::ymd(2026, 6, 1), Day::ymd(2026, 5, 1));
        assert_eq!(backwards.validated(today).unwrap_err().problem, Problem::BeforeStart);
        let anonymous = PersonDetails {
            family_name: String::new(),
            given_names: String::new(),
            ..stp("STP1601010000001", issued, expires)
        };
        assert!(anonymous.validated(today).is_ok(), "an STP may be issued without a name");

        let with_email = |email: &str| PersonDetails { email: Some(email.into()), ..someone() }.validated(today);
        assert!(with_email("aminata.diallo@example.org").is_ok());
        for wrong in ["aminata", "a@b", "a b@example.org", "a@@example.org"] {
            assert_eq!(with_email(wrong).unwrap_err().field, "field-email", "{wrong}");
        }

        let living = |street: &str, municipality: &str, postcode: Option<&str>| PersonDetails {
            domicile: Some(Address {
                street: street.into(),
                municipality: municipality.into(),
                postcode: postcode.map(Into::into),
            }),
            ..someone()
        };
        assert_eq!(living(" ", "", None).validated(today).unwrap().domicile, None);
        assert_eq!(living("Via Roma 1", "", None).validated(today).unwrap_err().problem, Problem::Required);
        assert_eq!(
            living("Via Roma 1", "Nardò", Some("7304")).validated(today).unwrap_err().problem,
            Problem::Malformed
        );
        assert!(living("Via Roma 1", "Nardò", Some("73048")).validated(today).is_ok());

        let speaks = PersonDetails { languages: vec!["WO".into(), "fr".into(), "wo".into()], ..someone() };
        assert_eq!(speaks.validated(today).unwrap().languages, vec!["wo".to_owned(), "fr".to_owned()]);
        let nonsense = PersonDetails { languages: vec!["wolof".into()], ..someone() };
        assert_eq!(nonsense.validated(today).unwrap_err().field, "field-languages");
    }

    #[test]
    fn empty_optional_fields_and_repeated_aliases_are_dropped() {
        let details = PersonDetails {
            phone: Some("  ".into()),
            aliases: vec!["Aminatou".into(), " Aminatou ".into(), "".into()],
            ..someone()
        };
        let stored = details.validated(date(2026, 11, 26)).unwrap();
        assert_eq!(stored.phone, None);
        assert_eq!(stored.aliases, vec!["Aminatou".to_owned()]);
    }
}

//! The ANPR tables: foreign states by `Z` code and Italian municipalities by Belfiore code,
//! each with the dates it was valid, from `assets/reference/anpr/` (source and date in its
//! `SOURCE.md`). Lookups by code take a date, because codes outlive states and towns; lookups
//! by name ignore case and accents, in Italian and English. States carry their ISO 3166 codes
//! and municipalities their ISTAT codes, with lookups by either.

use std::sync::OnceLock;

use crate::calendar::Date;

use crate::names::fold;

/// A place of birth as the codice fiscale encodes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// `Z` and three digits for a foreign state, a letter and three digits for a municipality.
    pub code: String,
    /// The Italian name.
    pub name: String,
    /// The English name of a state; the province (two letters) of a municipality.
    pub detail: String,
    pub valid_from: Date,
    /// The last day it was valid, if it no longer is.
    pub valid_until: Option<Date>,
    /// A state's ISO 3166 codes, two and three letters (ISO 3166-3 former codes for
    /// dissolved states).
    pub iso: Option<(String, String)>,
    /// A municipality's six-digit ISTAT code (none for those dissolved before 2020).
    pub istat: Option<String>,
}

impl Place {
    /// Whether this row was the place's name and code on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|until| day <= until)
    }

    /// Whether it is a foreign state.
    pub fn is_abroad(&self) -> bool {
        self.code.starts_with('Z')
    }
}

fn parse(table: &'static str) -> Vec<Place> {
    table
        .lines()
        .skip(1)
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let day = |text: &str| text.parse::<Date>().expect("the ANPR tables are checked by their test");
            let present =
                |index: usize| columns.get(index).filter(|text| !text.is_empty()).map(|text| (*text).to_owned());
            let is_country = columns[0].starts_with('Z');
            Place {
                code: columns[0].to_owned(),
                name: columns[1].to_owned(),
                detail: columns[2].to_owned(),
                valid_from: day(columns[3]),
                valid_until: (!columns[4].is_empty()).then(|| day(columns[4])),
                iso: if is_country { present(5).zip(present(6)) } else { None },
                istat: if is_country { None } else { present(5) },
            }
        })
        .collect()
}

/// Every foreign state, dissolved ones included.
pub fn countries() -> &'static [Place] {
    static TABLE: OnceLock<Vec<Place>> = OnceLock::new();
    TABLE.get_or_init(|| parse(include_str!("../../../assets/reference/anpr/countries.tsv")))
}

/// Every Italian municipality, dissolved and renamed ones included.
pub fn municipalities() -> &'static [Place] {
    static TABLE: OnceLock<Vec<Place>> = OnceLock::new();
    TABLE.get_or_init(|| parse(include_str!("../../../assets/reference/anpr/municipalities.tsv")))
}

/// The place `code` stood for on `day` (or, without a day, its latest name).
pub fn place(code: &str, day: Option<Date>) -> Option<&'static Place> {
    let table = if code.starts_with('Z') { countries() } else { municipalities() };
    let rows = table.iter().filter(|place| place.code == code);
    match day {
        Some(day) => rows.into_iter().find(|place| place.valid_on(day)),
        None => rows.max_by_key(|place| place.valid_from),
    }
}

/// The state with this ISO 3166 code, two or three letters in any case (its latest row).
pub fn country_by_iso(code: &str) -> Option<&'static Place> {
    let code = code.to_ascii_uppercase();
    countries()
        .iter()
        .filter(|place| place.iso.as_ref().is_some_and(|(two, three)| *two == code || *three == code))
        .max_by_key(|place| (place.valid_until.is_none(), place.valid_from))
}

/// The municipality with this six-digit ISTAT code (its latest row).
pub fn municipality_by_istat(code: &str) -> Option<&'static Place> {
    municipalities().iter().filter(|place| place.istat.as_deref() == Some(code)).max_by_key(|place| place.valid_from)
}

/// Places whose Italian or English name is `name`, ignoring case and accents ("Nardo" finds
/// Nardò, "Morocco" finds Marocco), newest first.
pub fn places_named(name: &str) -> Vec<&'static Place> {
    let wanted = fold(name);
    let mut found: Vec<&'static Place> = countries()
        .iter()
        .filter(|place| fold(&place.name) == wanted || fold(&place.detail) == wanted)
        .chain(municipalities().iter().filter(|place| fold(&place.name) == wanted))
        .collect();
    found.sort_by_key(|place| std::cmp::Reverse(place.valid_from));
    found
}

#[cfg(test)]
mod tests {
    use crate::calendar::date;

    use super::*;

    #[test]
    fn every_row_parses_and_codes_have_their_shape() {
        assert!(countries().len() > 200);
        assert!(municipalities().len() > 15_000);
        for place in countries() {
            assert!(place.code.len() == 4 && place.code.starts_with('Z'), "{place:?}");
            assert!(place.valid_until.is_none_or(|until| until >= place.valid_from), "{place:?}");
        }
        for place in municipalities() {
            let mut chars = place.code.chars();
            assert!(
                chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_digit()),
                "{place:?}"
            );
            assert_eq!(place.detail.len(), 2, "a province has two letters: {place:?}");
        }
    }

    #[test]
    fn states_have_iso_codes_and_municipalities_istat_codes() {
        let morocco = place("Z330", None).unwrap();
        assert_eq!(morocco.iso, Some(("MA".into(), "MAR".into())));
        assert_eq!(country_by_iso("mar").unwrap().code, "Z330");
        assert_eq!(country_by_iso("GB").unwrap().name, "Regno Unito");
        assert_eq!(country_by_iso("YU").unwrap().detail, "Yugoslavia", "former codes of dissolved states");
        let current = countries().iter().filter(|place| place.valid_until.is_none());
        for place in current {
            let (two, three) = place.iso.as_ref().unwrap_or_else(|| panic!("{place:?} has no ISO code"));
            assert!(two.len() == 2 && three.len() == 3, "{place:?}");
        }
        assert_eq!(place("D862", None).unwrap().istat.as_deref(), Some("075029"));
        assert_eq!(municipality_by_istat("075029").unwrap().name, "Galatina");
        let in_use = municipalities().iter().filter(|place| place.valid_until.is_none());
        let without: Vec<&str> =
            in_use.filter(|place| place.istat.is_none()).map(|place| place.name.as_str()).collect();
        assert!(without.len() < 10, "only municipalities created since 2023 lack it: {without:?}");
    }

    #[test]
    fn codes_are_read_as_they_were_on_the_day() {
        assert_eq!(place("Z343", None).unwrap().name, "Senegal");
        assert_eq!(place("Z118", Some(date(1980, 5, 1))).unwrap().detail, "Yugoslavia");
        assert_eq!(place("Z118", Some(date(2010, 5, 1))), None, "Yugoslavia was gone by 2010");
        assert_eq!(place("D862", Some(date(1990, 1, 1))).unwrap().name, "Galatina");
        assert_eq!(place("D862", None).unwrap().detail, "LE");
    }

    #[test]
    fn names_are_found_in_either_language_without_accents() {
        assert_eq!(places_named("Morocco")[0].code, "Z330");
        assert_eq!(places_named("marocco")[0].code, "Z330");
        assert!(places_named("Nardo").iter().any(|place| place.code == "F842"));
        assert!(places_named("Atlantide").is_empty());
    }
}

//! The codice fiscale: a type that exists only when parsed, its check letter, omocodia, what
//! it says about the person, and the code a person's data should give.
//!
//! Layout (16 characters): family name (3 letters), given names (3), year (2 digits), month
//! (a letter), day (2 digits, +40 for women), place of birth (a letter and 3 digits: the
//! municipality's Belfiore code, or `Z` and the state's code), check letter. When two people
//! would get the same code, the digits are replaced right to left by letters (omocodia):
//! every one of the 128 variants is valid and names the same person.

use std::fmt;

use crate::calendar::{Date, Datelike};

use crate::civil::Sex;
use crate::names::fold;

/// The month letters, January to December.
const MONTHS: [u8; 12] = *b"ABCDEHLMPRST";
/// The letters that replace the digits 0–9 under omocodia.
const OMOCODIA: [u8; 10] = *b"LMNPQRSTUV";
/// The positions (0-based) that hold digits in a code without omocodia.
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
/// The value of a character at an odd (1-based) position for the check letter: 0–9, then A–Z.
const ODD_VALUES: [u8; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0–9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23, // A–Z
];

/// A part of the code, to say which one is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    FamilyName,
    GivenNames,
    BirthYear,
    BirthMonth,
    /// The day, which also encodes the sex.
    BirthDayAndSex,
    BirthPlace,
    CheckLetter,
}

/// Why a text is not a codice fiscale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodiceFiscaleError {
    #[error("a codice fiscale has 16 characters, not {0}")]
    WrongLength(usize),
    /// A character that cannot be at this place of the code.
    #[error("the {part:?} part is malformed")]
    Malformed { part: Part },
    /// Well formed, but the last letter does not match the others: a typing mistake.
    #[error("the check letter should be {expected}")]
    WrongCheckLetter { expected: char },
}

/// A well-formed codice fiscale with a correct check letter, in capitals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodiceFiscale(String);

impl fmt::Display for CodiceFiscale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check letter of the first 15 characters (capitals and digits).
pub fn check_letter(first15: &[u8]) -> char {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(index, &c)| {
            let value = if c.is_ascii_digit() { c - b'0' } else { c - b'A' };
            // Position index+1 is odd when index is even.
            if index % 2 == 0 {
                let table = if c.is_ascii_digit() { usize::from(c - b'0') } else { 10 + usize::from(c - b'A') };
                u32::from(ODD_VALUES[table])
            } else {
                u32::from(value)
            }
        })
        .sum();
    char::from(b'A' + (sum % 26) as u8)
}

/// The digit an omocodia letter (or a digit) stands for.
fn digit_of(c: u8) -> Option<u8> {
    if c.is_ascii_digit() { Some(c - b'0') } else { OMOCODIA.iter().position(|&l| l == c).map(|d| d as u8) }
}

impl CodiceFiscale {
    /// Reads a codice fiscale: spaces ignored, any case. Refuses anything malformed, naming
    /// the part, and a wrong check letter, naming the right one.
    pub fn parse(text: &str) -> Result<CodiceFiscale, CodiceFiscaleError> {
        let code: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let bytes = code.as_bytes();
        if code.chars().count() != 16 || bytes.len() != 16 {
            return Err(CodiceFiscaleError::WrongLength(code.chars().count()));
        }
        let letters = |range: std::ops::Range<usize>, part| {
            if bytes[range].iter().all(u8::is_ascii_uppercase) {
                Ok(())
            } else {
                Err(CodiceFiscaleError::Malformed { part })
            }
        };
        letters(0..3, Part::FamilyName)?;
        letters(3..6, Part::GivenNames)?;
        let digits = |positions: &[usize], part| {
            if positions.iter().all(|&p| digit_of(bytes[p]).is_some()) {
                Ok(())
            } else {
                Err(CodiceFiscaleError::Malformed { part })
            }
        };
        digits(&[6, 7], Part::BirthYear)?;
        if !MONTHS.contains(&bytes[8]) {
            return Err(CodiceFiscaleError::Malformed { part: Part::BirthMonth });
        }
        digits(&[9, 10], Part::BirthDayAndSex)?;
        if !bytes[11].is_ascii_uppercase() {
            return Err(CodiceFiscaleError::Malformed { part: Part::BirthPlace });
        }
        digits(&[12, 13, 14], Part::BirthPlace)?;
        if !bytes[15].is_ascii_uppercase() {
            return Err(CodiceFiscaleError::Malformed { part: Part::CheckLetter });
        }
        let parsed = CodiceFiscale(code);
        let day = parsed.number(9..11);
        if !(1..=31).contains(&day) && !(41..=71).contains(&day) {
            return Err(CodiceFiscaleError::Malformed { part: Part::BirthDayAndSex });
        }
        let expected = check_letter(&parsed.0.as_bytes()[..15]);
        if char::from(parsed.0.as_bytes()[15]) != expected {
            return Err(CodiceFiscaleError::WrongCheckLetter { expected });
        }
        Ok(parsed)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number in `range`, omocodia letters read as their digits.
    fn number(&self, range: std::ops::Range<usize>) -> u32 {
        self.0.as_bytes()[range].iter().fold(0, |n, &c| n * 10 + u32::from(digit_of(c).unwrap_or(0)))
    }

    /// Whether digits were replaced by letters (omocodia).
    pub fn is_omocode(&self) -> bool {
        DIGIT_POSITIONS.iter().any(|&p| !self.0.as_bytes()[p].is_ascii_digit())
    }

    /// The code with every omocodia letter turned back into its digit, check letter
    /// recomputed: two codes of the same person have the same base.
    pub fn base(&self) -> CodiceFiscale {
        let mut bytes = self.0.as_bytes().to_vec();
        for p in DIGIT_POSITIONS {
            bytes[p] = b'0' + digit_of(bytes[p]).expect("checked when parsed");
        }
        bytes[15] = check_letter(&bytes[..15]) as u8;
        CodiceFiscale(String::from_utf8(bytes).expect("ASCII"))
    }

    /// Every omocodia variant of this code (128, the base first), each with its check letter.
    pub fn variants(&self) -> Vec<CodiceFiscale> {
        let base = self.base();
        (0u8..128)
            .map(|mask| {
                let mut bytes = base.0.as_bytes().to_vec();
                // Bit k replaces the k-th digit from the right.
                for (k, &p) in DIGIT_POSITIONS.iter().rev().enumerate() {
                    if mask & (1 << k) != 0 {
                        bytes[p] = OMOCODIA[usize::from(bytes[p] - b'0')];
                    }
                }
                bytes[15] = check_letter(&bytes[..15]) as u8;
                CodiceFiscale(String::from_utf8(bytes).expect("ASCII"))
            })
            .collect()
    }

    /// Whether both codes name the same person (equal up to omocodia).
    pub fn same_person(&self, other: &CodiceFiscale) -> bool {
        self.base() == other.base()
    }

    pub fn sex(&self) -> Sex {
        if self.number(9..11) > 40 { Sex::Female } else { Sex::Male }
    }

    /// The birth date. The code has two digits of the year: the century is the latest that
    /// does not put the birth after `today`. `None` for a day the month does not have.
    pub fn birth_date(&self, today: Date) -> Option<Date> {
        let two_digits = self.number(6..8) as i32;
        let month = MONTHS.iter().position(|&m| m == self.0.as_bytes()[8])? as u32 + 1;
        let day = self.number(9..11) % 40;
        let mut year = today.year() - today.year().rem_euclid(100) + two_digits;
        if year > today.year() {
            year -= 100;
        }
        let date = Date::from_ymd_opt(year, month, day)?;
        if date > today { Date::from_ymd_opt(year - 100, month, day) } else { Some(date) }
    }

    /// The place-of-birth code with omocodia undone: a Belfiore code or a `Z` state code.
    pub fn place_code(&self) -> String {
        self.base().0[11..15].to_owned()
    }
}

/// Letters of a name for the code: accents removed, capitals, nothing but A–Z.
fn code_letters(name: &str) -> Vec<u8> {
    fold(name)
        .chars()
        .flat_map(|c| match c {
            'ø' => "o".chars().collect::<Vec<_>>(),
            'æ' => "ae".chars().collect(),
            'œ' => "oe".chars().collect(),
            'ß' => "ss".chars().collect(),
            'đ' | 'ð' => "d".chars().collect(),
            'ł' => "l".chars().collect(),
            'þ' => "th".chars().collect(),
            other => vec![other],
        })
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase() as u8)
        .collect()
}

fn split_letters(name: &str) -> (Vec<u8>, Vec<u8>) {
    code_letters(name).into_iter().partition(|c| !b"AEIOU".contains(c))
}

fn three(consonants: Vec<u8>, vowels: Vec<u8>) -> String {
    consonants.into_iter().chain(vowels).chain(std::iter::repeat(b'X')).take(3).map(char::from).collect()
}

/// The three letters for a family name: its consonants, then its vowels, then X.
pub fn family_name_letters(name: &str) -> String {
    let (consonants, vowels) = split_letters(name);
    three(consonants, vowels)
}

/// The three letters for given names: the 1st, 3rd and 4th consonant when there are four or
/// more, otherwise like a family name.
pub fn given_names_letters(name: &str) -> String {
    let (consonants, vowels) = split_letters(name);
    if consonants.len() >= 4 {
        [consonants[0], consonants[2], consonants[3]].iter().map(|&c| char::from(c)).collect()
    } else {
        three(consonants, vowels)
    }
}

/// What a codice fiscale is computed from.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    pub family_name: &'a str,
    pub given_names: &'a str,
    pub sex: Sex,
    pub birth_date: Date,
    /// The Belfiore code of the municipality, or the `Z` code of the state, of birth.
    pub place_code: &'a str,
}

/// The code the Agenzia delle Entrate computes for `holder` (without omocodia).
pub fn expected(holder: &Holder<'_>) -> CodiceFiscale {
    let day = holder.birth_date.day() + if holder.sex == Sex::Female { 40 } else { 0 };
    let first15 = format!(
        "{}{}{:02}{}{:02}{}",
        family_name_letters(holder.family_name),
        given_names_letters(holder.given_names),
        holder.birth_date.year().rem_euclid(100),
        char::from(MONTHS[holder.birth_date.month() as usize - 1]),
        day,
        holder.place_code.to_uppercase(),
    );
    let check = check_letter(first15.as_bytes());
    CodiceFiscale(format!("{first15}{check}"))
}

/// The parts of `typed` that disagree with the code `holder`'s data give, omocodia allowed:
/// what to tell the operator ("the birth date in the code is not the one in the folder").
pub fn disagreements(typed: &CodiceFiscale, holder: &Holder<'_>) -> Vec<Part> {
    let typed = typed.base();
    let wanted = expected(holder);
    let (a, b) = (typed.as_str().as_bytes(), wanted.as_str().as_bytes());
    let parts = [
        (Part::FamilyName, 0..3),
        (Part::GivenNames, 3..6),
        (Part::BirthYear, 6..8),
        (Part::BirthMonth, 8..9),
        (Part::BirthDayAndSex, 9..11),
        (Part::BirthPlace, 11..15),
    ];
    parts.into_iter().filter(|(_, range)| a[range.clone()] != b[range.clone()]).map(|(part, _)| part).collect()
}

#[cfg(test)]
mod tests {
    use crate::calendar::date;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_known_code_parses_and_says_who_it_is() {
        let code = CodiceFiscale::parse("dllmnt90a41z343m").unwrap();
        assert_eq!(code.as_str(), "DLLMNT90A41Z343M");
        assert_eq!(code.sex(), Sex::Female);
        assert_eq!(code.birth_date(date(2026, 11, 26)), Some(date(1990, 1, 1)));
        assert_eq!(code.place_code(), "Z343");
        assert!(!code.is_omocode());
    }

    #[test]
    fn malformed_codes_name_the_part_and_typos_the_right_letter() {
        use CodiceFiscaleError::*;
        assert_eq!(CodiceFiscale::parse("DLLMNT90A41Z343"), Err(WrongLength(15)));
        assert_eq!(CodiceFiscale::parse("DL1MNT90A41Z343M"), Err(Malformed { part: Part::FamilyName }));
        assert_eq!(CodiceFiscale::parse("DLLMNT90Z41Z343M"), Err(Malformed { part: Part::BirthMonth }));
        assert_eq!(CodiceFiscale::parse("DLLMNT90A35Z343M"), Err(Malformed { part: Part::BirthDayAndSex }));
        assert_eq!(CodiceFiscale::parse("DLLMNT90A41Z3A3M"), Err(Malformed { part: Part::BirthPlace }));
        assert_eq!(CodiceFiscale::parse("DLLMNT90A41Z343X"), Err(WrongCheckLetter { expected: 'M' }));
    }

    #[test]
    fn the_century_is_the_latest_that_is_not_in_the_future() {
        let today = date(2026, 11, 26);
        let born = |year| {
            expected(&Holder {
                family_name: "Rossi",
                given_names: "Maria",
                sex: Sex::Female,
                birth_date: date(year, 11, 27),
                place_code: "D862",
            })
            .birth_date(today)
        };
        assert_eq!(born(2025), Some(date(2025, 11, 27)));
        assert_eq!(born(1926), Some(date(1926, 11, 27)), "27/11/26 is tomorrow: it must be 1926");
    }

    #[test]
    fn a_mismatch_is_explained_part_by_part() {
        let holder = Holder {
            family_name: "Diallo",
            given_names: "Aminata",
            sex: Sex::Female,
            birth_date: date(1990, 1, 1),
            place_code: "Z343",
        };
        let typed = CodiceFiscale::parse("DLLMNT90A41Z343M").unwrap();
        assert!(disagreements(&typed, &holder).is_empty());
        let elsewhere = Holder { birth_date: date(1991, 1, 1), place_code: "Z330", ..holder };
        assert_eq!(disagreements(&typed, &elsewhere), vec![Part::BirthYear, Part::BirthPlace]);
        let omocode = typed.variants()[77].clone();
        assert!(disagreements(&omocode, &holder).is_empty(), "omocodia is not a mismatch");
    }

    #[derive(serde::Deserialize)]
    struct Vector {
        family_name: String,
        given_names: String,
        sex: String,
        birth_date: Date,
        place: String,
        code: String,
        omocode: String,
        omocodes: usize,
    }

    #[derive(serde::Deserialize)]
    struct Vectors {
        vectors: Vec<Vector>,
        wrong_check_letter: Vec<serde_json::Value>,
    }

    /// 400 people encoded by python-codicefiscale (tools/codice_fiscale_vectors.py).
    #[test]
    fn agrees_with_an_independent_implementation() {
        let file: Vectors = serde_json::from_str(include_str!("../../tests/vectors/codice_fiscale.json")).unwrap();
        let today = date(2026, 11, 26);
        for vector in &file.vectors {
            let sex = if vector.sex == "F" { Sex::Female } else { Sex::Male };
            let holder = Holder {
                family_name: &vector.family_name,
                given_names: &vector.given_names,
                sex,
                birth_date: vector.birth_date,
                place_code: &vector.place,
            };
            assert_eq!(expected(&holder).as_str(), vector.code, "{} {}", vector.family_name, vector.given_names);
            let parsed = CodiceFiscale::parse(&vector.code).unwrap();
            assert_eq!(parsed.sex(), sex);
            assert_eq!(parsed.birth_date(today), Some(vector.birth_date));
            assert_eq!(parsed.place_code(), vector.place);
            let omocode = CodiceFiscale::parse(&vector.omocode).unwrap();
            assert!(omocode.is_omocode() && omocode.same_person(&parsed), "{}", vector.omocode);
            assert_eq!(parsed.variants().len(), vector.omocodes);
            assert!(parsed.variants().contains(&omocode));
        }
        for wrong in &file.wrong_check_letter {
            let code = wrong["code"].as_str().unwrap();
            assert!(matches!(CodiceFiscale::parse(code), Err(CodiceFiscaleError::WrongCheckLetter { .. })), "{code}");
        }
    }

    fn holder_strategy() -> impl Strategy<Value = (String, String, bool, Date, String)> {
        let name = "[A-Za-zÀ-ÿ' ]{1,20}".prop_filter("has a letter", |n| n.chars().any(char::is_alphabetic));
        let day = (1927i32..2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| date(y, m, d));
        let place = prop_oneof![
            (100u16..999).prop_map(|n| format!("Z{n}")),
            ("[A-M]", 1u16..999).prop_map(|(l, n)| format!("{l}{n:03}"))
        ];
        (name.clone(), name, any::<bool>(), day, place)
    }

    proptest! {
        /// Compute → parse → decode gives back the data; every omocodia variant parses to
        /// the same person.
        #[test]
        fn computed_codes_parse_and_decode_to_their_data((family, given, female, born, place) in holder_strategy(), variant in 0usize..128) {
            let sex = if female { Sex::Female } else { Sex::Male };
            let holder = Holder { family_name: &family, given_names: &given, sex, birth_date: born, place_code: &place };
            let code = expected(&holder);
            let parsed = CodiceFiscale::parse(code.as_str()).unwrap();
            prop_assert_eq!(parsed.sex(), sex);
            prop_assert_eq!(parsed.birth_date(date(2026, 11, 26)), Some(born));
            prop_assert_eq!(parsed.place_code(), place.clone());
            let variants = parsed.variants();
            prop_assert_eq!(variants.len(), 128);
            let chosen = CodiceFiscale::parse(variants[variant].as_str()).unwrap();
            prop_assert!(chosen.same_person(&parsed));
            prop_assert_eq!(chosen.base(), parsed);
            prop_assert!(disagreements(&chosen, &holder).is_empty());
        }

        /// Any single changed character is caught: as malformed or by the check letter.
        #[test]
        fn a_single_typo_is_never_accepted_as_the_same_code((family, given, female, born, place) in holder_strategy(), position in 0usize..16, replacement in "[A-Z0-9]") {
            let sex = if female { Sex::Female } else { Sex::Male };
            let code = expected(&Holder { family_name: &family, given_names: &given, sex, birth_date: born, place_code: &place });
            let mut typo = code.as_str().as_bytes().to_vec();
            prop_assume!(typo[position] != replacement.as_bytes()[0]);
            typo[position] = replacement.as_bytes()[0];
            let typo = String::from_utf8(typo).unwrap();
            match CodiceFiscale::parse(&typo) {
                Err(_) => {}
                // A digit swapped for its own omocodia letter is the same code, legitimately.
                Ok(other) => prop_assert!(other.same_person(&code), "{} accepted for {}", typo, code),
            }
        }
    }
}

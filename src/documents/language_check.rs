//! The list of document languages (`assets/documents/languages.toml`) and its checks. This
//! file is compiled twice: by `build.rs`, which refuses to build Porta with a malformed list,
//! and by the library, which reads the same list at run time. It therefore uses nothing from
//! the crate.

use serde::Deserialize;

/// Who has checked a language's texts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// The original (Italian): the text that counts in case of doubt.
    Source,
    /// Translated without a mediator's review; every page of its documents says so.
    Machine,
    /// Checked by a mediator, named with the day of the review.
    Reviewed,
}

/// Whether a language is written left to right or right to left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// One `[[language]]` of the list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageEntry {
    /// The BCP 47 tag, also the folder name under `assets/documents/`.
    pub tag: String,
    /// The language's name in the language itself.
    pub name: String,
    pub direction: Direction,
    pub review: ReviewStatus,
    /// The mediator who reviewed the texts (required when `review = "reviewed"`).
    #[serde(default)]
    pub reviewed_by: Option<String>,
    /// The day of the review, `dd/mm/yyyy` (required when `review = "reviewed"`).
    #[serde(default)]
    pub reviewed_on: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageList {
    language: Vec<LanguageEntry>,
}

fn is_day(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    parts.len() == 3
        && [2, 2, 4]
            .iter()
            .zip(&parts)
            .all(|(len, part)| part.len() == *len && part.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses the list; the problems name the file and the field.
pub fn parse_languages(file: &str, text: &str) -> Result<Vec<LanguageEntry>, Vec<String>> {
    let list: LanguageList = toml::from_str(text).map_err(|error| vec![format!("{file}: {error}")])?;
    let mut problems = Vec::new();
    match list.language.first() {
        Some(first) if first.tag == "it" && first.review == ReviewStatus::Source => {}
        _ => problems.push(format!("{file}: the first language must be `it` with review = \"source\"")),
    }
    for (index, language) in list.language.iter().enumerate() {
        let at = format!("{file}: language `{}`", language.tag);
        if language.tag.is_empty() || !language.tag.bytes().all(|b| b.is_ascii_lowercase()) {
            problems.push(format!("{at}: tag must be a lower-case language code"));
        }
        if list.language[..index].iter().any(|other| other.tag == language.tag) {
            problems.push(format!("{at}: listed twice"));
        }
        if index > 0 && language.review == ReviewStatus::Source {
            problems.push(format!("{at}: review: only Italian is the source"));
        }
        let reviewed = language.review == ReviewStatus::Reviewed;
        match (&language.reviewed_by, &language.reviewed_on) {
            (Some(by), Some(on)) if reviewed && !by.trim().is_empty() && is_day(on) => {}
            (None, None) if !reviewed => {}
            _ if reviewed => {
                problems.push(format!("{at}: review = \"reviewed\" needs reviewed_by and reviewed_on (dd/mm/yyyy)"))
            }
            _ => problems.push(format!("{at}: reviewed_by and reviewed_on only go with review = \"reviewed\"")),
        }
    }
    if problems.is_empty() { Ok(list.language) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITALIAN: &str = "[[language]]\ntag = \"it\"\nname = \"Italiano\"\ndirection = \"ltr\"\nreview = \"source\"\n";

    #[test]
    fn a_reviewed_language_names_its_mediator_and_day() {
        let text = format!(
            "{ITALIAN}[[language]]\ntag = \"ar\"\nname = \"العربية\"\ndirection = \"rtl\"\nreview = \"reviewed\"\nreviewed_by = \"Amina B.\"\nreviewed_on = \"02/11/2026\"\n"
        );
        let languages = parse_languages("languages.toml", &text).unwrap();
        assert_eq!(languages[1].reviewed_by.as_deref(), Some("Amina B."));
        let missing = text.replace("reviewed_on = \"02/11/2026\"\n", "");
        let problems = parse_languages("languages.toml", &missing).unwrap_err();
        assert_eq!(
            problems,
            ["languages.toml: language `ar`: review = \"reviewed\" needs reviewed_by and reviewed_on (dd/mm/yyyy)"]
        );
    }

    #[test]
    fn an_unknown_status_or_a_second_source_is_refused_naming_the_file() {
        let unknown = format!(
            "{ITALIAN}[[language]]\ntag = \"fr\"\nname = \"Français\"\ndirection = \"ltr\"\nreview = \"maybe\"\n"
        );
        let problem = &parse_languages("languages.toml", &unknown).unwrap_err()[0];
        assert!(problem.starts_with("languages.toml: ") && problem.contains("unknown variant `maybe`"), "{problem}");
        let second = format!(
            "{ITALIAN}[[language]]\ntag = \"fr\"\nname = \"Français\"\ndirection = \"ltr\"\nreview = \"source\"\n"
        );
        assert_eq!(
            parse_languages("languages.toml", &second).unwrap_err(),
            ["languages.toml: language `fr`: review: only Italian is the source"]
        );
    }
}

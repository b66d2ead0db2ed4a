//! The desk's procedures, one template each in `assets/procedures/` (data an Ambito can adapt
//! without touching code), and the yearly thresholds beside them. `build.rs` has already
//! refused any template that does not pass `procedure_check::check`.

use std::sync::OnceLock;

pub use super::procedure_check::{ProcedureTemplate, Threshold};
use super::procedure_check::{check, check_thresholds};
use crate::i18n::MESSAGE_IDS;

include!(concat!(env!("OUT_DIR"), "/procedure_files.rs"));

/// Every procedure template, by id.
pub fn all() -> &'static [ProcedureTemplate] {
    static TEMPLATES: OnceLock<Vec<ProcedureTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        PROCEDURE_FILES
            .iter()
            .map(|(name, text)| {
                check(name, text, &|id| MESSAGE_IDS.contains(&id)).expect("build.rs checked every template")
            })
            .collect()
    })
}

/// The template `id`.
pub fn template(id: &str) -> Option<&'static ProcedureTemplate> {
    all().iter().find(|template| template.id == id)
}

/// Every threshold, every year.
pub fn thresholds() -> &'static [Threshold] {
    static THRESHOLD_LIST: OnceLock<Vec<Threshold>> = OnceLock::new();
    THRESHOLD_LIST.get_or_init(|| check_thresholds("thresholds.toml", THRESHOLDS).expect("build.rs checked it"))
}

/// The value of threshold `id` for `year`: that year's, or the latest earlier one while the
/// new year's is not published yet.
pub fn threshold(id: &str, year: i32) -> Option<&'static Threshold> {
    thresholds().iter().filter(|t| t.id == id && t.year <= year).max_by_key(|t| t.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_template_is_refused_naming_the_file_and_the_field() {
        let broken = r#"
            id = "permit-renewal"
            category = "permits"
            deadline = "someday"
            sources = ["x"]
            steps = ["check-expiry", "Fill kit", "check-expiry"]
            documents = ["passport"]
            outcomes = ["accepted"]
        "#;
        let problems = check("permit-renewal.toml", broken, &|id| MESSAGE_IDS.contains(&id)).unwrap_err();
        let expected = [
            "permit-renewal.toml: category:",
            "permit-renewal.toml: deadline:",
            "permit-renewal.toml: steps[1]: \"Fill kit\" is not a lower-case id",
            "permit-renewal.toml: steps[2]: \"check-expiry\" is listed twice",
            "permit-renewal.toml: labels: no Fluent message `step-Fill kit`",
        ];
        for start in expected {
            assert!(problems.iter().any(|p| p.starts_with(start)), "{start} not in {problems:#?}");
        }
        let renamed = check("renewal.toml", &template_text("permit-renewal"), &|_| true).unwrap_err();
        assert_eq!(renamed, vec!["renewal.toml: id: \"permit-renewal\" is not the file's name".to_owned()]);
        let unknown_field = check("stp.toml", "id = \"stp\"\ncolour = \"red\"\n", &|_| true).unwrap_err();
        assert!(unknown_field[0].starts_with("stp.toml: "), "{unknown_field:?}");
    }

    fn template_text(id: &str) -> String {
        PROCEDURE_FILES.iter().find(|(name, _)| *name == format!("{id}.toml")).unwrap().1.to_owned()
    }

    #[test]
    fn thresholds_fall_back_to_the_latest_published_year() {
        assert_eq!(threshold("maternity-cheque-isee-ceiling", 2025).unwrap().value_cents, 2_038_290);
        assert_eq!(threshold("maternity-cheque-isee-ceiling", 2026).unwrap().year, 2025);
        assert_eq!(threshold("maternity-cheque-isee-ceiling", 2024), None);
        let twice = "[[threshold]]\nid = \"a\"\nyear = 2025\nvalue_cents = 1\nsource = \"s\"\n".repeat(2);
        assert_eq!(check_thresholds("thresholds.toml", &twice).unwrap_err().len(), 1);
    }
}

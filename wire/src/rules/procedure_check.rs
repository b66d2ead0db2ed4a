//! The shape of a procedure template (`assets/procedures/<id>.toml`) and its checks. This
//! file is compiled twice: by `build.rs`, which refuses to build Porta with a broken
//! template, and by the library, which reads the same templates at run time. It therefore
//! uses nothing from the crate.

use serde::Deserialize;

/// The service categories a template can belong to (the `NeedCategory` values).
pub const CATEGORIES: [&str; 11] = [
    "health_access",
    "residence_permit",
    "citizenship",
    "italian_test",
    "bonus",
    "maternity_cheque",
    "legal",
    "mediation",
    "work",
    "courses",
    "other",
];

/// The deadline rules a template can name; the deadline engine knows each.
pub const DEADLINE_RULES: [&str; 6] =
    ["end_of_year", "six_months", "sixty_days", "permit_renewal", "maternity_cheque", "italian_test_retry"];

/// A procedure of the desk, as its template describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureTemplate {
    /// The file's name without `.toml`; a slug.
    pub id: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// One of [`DEADLINE_RULES`], if the procedure has a deadline.
    #[serde(default)]
    pub deadline: Option<String>,
    /// Whether its practices are health-restricted content.
    #[serde(default)]
    pub health_restricted: bool,
    /// Where the rules come from.
    pub sources: Vec<String>,
    /// The checklist, in order: step ids, labelled `step-<id>` in Fluent.
    pub steps: Vec<String>,
    /// What the person must bring: document ids, labelled `document-<id>` in Fluent.
    pub documents: Vec<String>,
    /// The outcomes it can have.
    pub outcomes: Vec<String>,
}

impl ProcedureTemplate {
    /// The Fluent id of the procedure's name.
    pub fn title_id(&self) -> String {
        format!("procedure-{}", self.id)
    }

    /// Every Fluent id the template needs.
    pub fn message_ids(&self) -> Vec<String> {
        let mut ids = vec![self.title_id()];
        ids.extend(self.steps.iter().map(|step| format!("step-{step}")));
        ids.extend(self.documents.iter().map(|document| format!("document-{document}")));
        ids
    }
}

fn is_slug(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads and checks one template. Each problem names the file and the field:
/// `permit-renewal.toml: steps[2]: "Fill kit" is not a lower-case id`.
pub fn check(
    file_name: &str,
    text: &str,
    has_message: &dyn Fn(&str) -> bool,
) -> Result<ProcedureTemplate, Vec<String>> {
    let template: ProcedureTemplate = toml::from_str(text).map_err(|error| vec![format!("{file_name}: {error}")])?;
    let mut problems = Vec::new();
    let mut problem = |field: &str, what: String| problems.push(format!("{file_name}: {field}: {what}"));
    if Some(template.id.as_str()) != file_name.strip_suffix(".toml") {
        problem("id", format!("{:?} is not the file's name", template.id));
    }
    if !is_slug(&template.id) {
        problem("id", format!("{:?} is not a lower-case id", template.id));
    }
    if !CATEGORIES.contains(&template.category.as_str()) {
        problem("category", format!("{:?} is not one of {}", template.category, CATEGORIES.join(", ")));
    }
    if let Some(rule) = &template.deadline
        && !DEADLINE_RULES.contains(&rule.as_str())
    {
        problem("deadline", format!("{rule:?} is not one of {}", DEADLINE_RULES.join(", ")));
    }
    if template.sources.is_empty() || template.sources.iter().any(|source| source.trim().is_empty()) {
        problem("sources", "every template names where its rules come from".into());
    }
    if template.steps.is_empty() {
        problem("steps", "a procedure has at least one step".into());
    }
    for (field, ids) in [("steps", &template.steps), ("documents", &template.documents)] {
        for (index, id) in ids.iter().enumerate() {
            if !is_slug(id) {
                problem(&format!("{field}[{index}]"), format!("{id:?} is not a lower-case id"));
            }
            if ids[..index].contains(id) {
                problem(&format!("{field}[{index}]"), format!("{id:?} is listed twice"));
            }
        }
    }
    if template.outcomes.is_empty() || !template.outcomes.iter().all(|o| ["accepted", "refused"].contains(&o.as_str()))
    {
        problem("outcomes", "outcomes are \"accepted\" and/or \"refused\"".into());
    }
    for id in template.message_ids() {
        if !has_message(&id) {
            problem("labels", format!("no Fluent message `{id}` in assets/locales"));
        }
    }
    if problems.is_empty() { Ok(template) } else { Err(problems) }
}

/// One yearly threshold or amount (`assets/procedures/thresholds.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub id: String,
    pub year: i32,
    pub value_cents: u64,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Thresholds {
    threshold: Vec<Threshold>,
}

/// Reads and checks the thresholds file: ids are slugs, years plausible, one value per id
/// and year, every value with its source.
pub fn check_thresholds(file_name: &str, text: &str) -> Result<Vec<Threshold>, Vec<String>> {
    let file: Thresholds = toml::from_str(text).map_err(|error| vec![format!("{file_name}: {error}")])?;
    let mut problems = Vec::new();
    for (index, threshold) in file.threshold.iter().enumerate() {
        let field = format!("threshold[{index}]");
        if !is_slug(&threshold.id) {
            problems.push(format!("{file_name}: {field}.id: {:?} is not a lower-case id", threshold.id));
        }
        if !(2000..=2100).contains(&threshold.year) {
            problems.push(format!("{file_name}: {field}.year: {} is not a plausible year", threshold.year));
        }
        if threshold.source.trim().is_empty() {
            problems.push(format!("{file_name}: {field}.source: every value names its source"));
        }
        if file.threshold[..index].iter().any(|t| t.id == threshold.id && t.year == threshold.year) {
            problems.push(format!("{file_name}: {field}: {} for {} is given twice", threshold.id, threshold.year));
        }
    }
    if problems.is_empty() { Ok(file.threshold) } else { Err(problems) }
}

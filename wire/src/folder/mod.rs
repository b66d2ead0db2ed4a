//! What a case folder holds: the person, the household, documents and their scans, consents,
//! needs, practices, appointments, contacts, referrals and notes. Each kind of row is a
//! [`Section`], validated here and stored by the store field by field, so that every field
//! merges on its own.

pub mod anonymous_contact;
pub mod appointment;
pub mod attachment;
pub mod consent;
pub mod contact;
pub mod dates;
pub mod directory;
pub mod document;
pub mod field_check;
pub mod household;
pub mod mediator;
pub mod need;
pub mod note;
pub mod organisation;
pub mod person;
pub mod practice;
pub mod referral;

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use dates::{Day, LocalDateTime};

use appointment::AppointmentDetails;
use attachment::AttachmentDetails;
use consent::ConsentDetails;
use contact::ContactDetails;
use document::DocumentDetails;
use household::HouseholdMemberDetails;
use need::NeedDetails;
use note::NoteDetails;
use person::PersonDetails;
use practice::PracticeDetails;
use referral::ReferralDetails;

/// The field that marks a row as deleted (a tombstone; its history stays).
pub const DELETED: &str = "_deleted";
/// The field that marks a person's folder as archived (kept, out of the daily lists).
pub const ARCHIVED: &str = "_archived";
/// The field that marks a person's folder as erased: every other value of it is gone.
pub const ERASED: &str = "_erased";
/// The field that merges a person's folder into another one (the id of the folder kept, or
/// null once the merge is undone): the two are one folder from then on.
pub const MERGED_INTO: &str = "_merged_into";

/// The member of the JSON object a value sealed under the health key is stored as:
/// `{"sealed": "<base64url>"}` (see [`crate::health_key`]).
pub const SEALED: &str = "sealed";

/// Whether `value` is a value sealed under the health key: health content, whoever reads it.
pub fn is_sealed(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(members) if members.len() == 1 => {
            members.get(SEALED).is_some_and(|text| text.is_string())
        }
        _ => false,
    }
}

/// The kinds of row a case folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Entity {
    /// The person the folder is about; the folder's id is the person's.
    Person,
    /// Someone who lives in this person's household (this person is its head).
    HouseholdMember,
    /// A permit, passport, identity card, health card or ISEE attestation.
    Document,
    /// A scanned file, kept inside the encrypted database.
    Attachment,
    /// A privacy notice given or a consent to share.
    Consent,
    /// What the person came for.
    Need,
    /// An instance of a procedure, with its status and checklist.
    Practice,
    /// A date at the desk, outdoors or at a health facility (CUP).
    Appointment,
    /// One encounter with the person.
    Contact,
    /// A referral to another service.
    Referral,
    /// A free-text note.
    Note,
    /// An encounter with people who gave no name: a folder of its own, with no person.
    AnonymousContact,
    /// A service of the territory, in the Ambito's directory (its own folder, shared by every
    /// office, kept by administrators).
    Organisation,
    /// An intercultural mediator of the Ambito, in the directory too: languages and when
    /// they are usually available.
    Mediator,
}

impl Entity {
    /// Every entity.
    pub const ALL: [Entity; 14] = [
        Entity::Person,
        Entity::HouseholdMember,
        Entity::Document,
        Entity::Attachment,
        Entity::Consent,
        Entity::Need,
        Entity::Practice,
        Entity::Appointment,
        Entity::Contact,
        Entity::Referral,
        Entity::Note,
        Entity::AnonymousContact,
        Entity::Organisation,
        Entity::Mediator,
    ];

    /// The name stored in the database and the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Person => "person",
            Entity::HouseholdMember => "household_member",
            Entity::Document => "document",
            Entity::Attachment => "attachment",
            Entity::Consent => "consent",
            Entity::Need => "need",
            Entity::Practice => "practice",
            Entity::Appointment => "appointment",
            Entity::Contact => "contact",
            Entity::Referral => "referral",
            Entity::Note => "note",
            Entity::AnonymousContact => "anonymous_contact",
            Entity::Organisation => "organisation",
            Entity::Mediator => "mediator",
        }
    }

    /// The entity stored as `name`.
    pub fn from_stored(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|entity| entity.as_str() == name)
    }
}

/// One kind of row in a folder: how it is validated, and who may see it.
pub trait Section: Serialize + DeserializeOwned + Clone + PartialEq + fmt::Debug {
    /// The entity its rows are stored as.
    const ENTITY: Entity;

    /// The row as it will be stored (trimmed, normalised), or the first wrong field.
    /// `today` is the date in Europe/Rome.
    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid>;

    /// Whether only roles allowed to read health-restricted content may see this row.
    fn health_restricted(&self) -> bool {
        false
    }

    /// Whether the row may change from `before` to `self` (a practice's status workflow).
    fn check_change(&self, _before: &Self) -> Result<(), Invalid> {
        Ok(())
    }

    /// Other people's folders this row points to; they must exist.
    fn people(&self) -> Vec<Uuid> {
        Vec::new()
    }

    /// The service of the Ambito's directory this row names, if any; it must be there.
    fn organisation(&self) -> Option<Uuid> {
        None
    }

    /// The field that names the operator who recorded the row, set by the store on adding
    /// it and kept on every later change, whatever the caller sends.
    fn recorded_by(&mut self) -> Option<&mut Option<Uuid>> {
        None
    }
}

/// The sections an operator adds and edits row by row with `Store::add` and `Store::update`.
/// The person (the folder itself) and attachments (bytes and their description together) have
/// their own operations, so no caller can write half of one.
pub trait Editable: Section {}

impl Editable for household::HouseholdMemberDetails {}
impl Editable for document::DocumentDetails {}
impl Editable for consent::ConsentDetails {}
impl Editable for need::NeedDetails {}
impl Editable for practice::PracticeDetails {}
impl Editable for appointment::AppointmentDetails {}
impl Editable for contact::ContactDetails {}
impl Editable for referral::ReferralDetails {}
impl Editable for note::NoteDetails {}

/// A stored row: its id and its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Row<T> {
    pub id: Uuid,
    pub details: T,
}

/// What is wrong with a value the operator typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Empty, but required.
    Required,
    /// Longer than allowed.
    TooLong,
    /// Not a real calendar date.
    NotADate,
    /// A date after today.
    InFuture,
    /// A date before the date it follows (an expiry before the issue).
    BeforeStart,
    /// Not in the expected form (a phone number, a code).
    Malformed,
    /// Not one of the values the field takes (an unknown status or category).
    UnknownValue,
    /// A number outside the range the field takes.
    OutOfRange,
    /// A change the workflow does not allow (a practice's status).
    ChangeNotAllowed,
}

impl Problem {
    /// The Fluent message that explains it; `$field` is the field's label.
    pub fn message_id(self) -> &'static str {
        match self {
            Problem::Required => "error-missing-value",
            Problem::TooLong => "error-value-too-long",
            Problem::NotADate => "error-not-a-date",
            Problem::InFuture => "error-date-in-future",
            Problem::BeforeStart => "error-date-before-start",
            Problem::Malformed => "error-value-malformed",
            Problem::UnknownValue => "error-unknown-value",
            Problem::OutOfRange => "error-value-out-of-range",
            Problem::ChangeNotAllowed => "error-change-not-allowed",
        }
    }
}

/// A field that failed validation: the Fluent id of its label and the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem:?}")]
pub struct Invalid {
    /// The Fluent id of the field's label.
    pub field: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

impl Invalid {
    pub fn new(field: &'static str, problem: Problem) -> Invalid {
        Invalid { field, problem }
    }
}

/// The longest free text a single-line field takes.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest note or description.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// `value` trimmed, refused when empty or longer than `max` characters.
pub(crate) fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Invalid::new(field, Problem::Required));
    }
    optional_text(field, trimmed, max)
}

/// `value` trimmed, refused when longer than `max` characters.
pub(crate) fn optional_text(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        return Err(Invalid::new(field, Problem::TooLong));
    }
    Ok(trimmed.to_owned())
}

/// An optional single line: trimmed, and `None` when nothing is left.
pub(crate) fn optional_line(field: &'static str, value: &Option<String>) -> Result<Option<String>, Invalid> {
    optional_long(field, value, MAX_LINE_CHARS)
}

/// An optional text of up to `max` characters: trimmed, and `None` when nothing is left.
pub(crate) fn optional_long(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, Invalid> {
    match value.as_deref().map(|v| optional_text(field, v, max)).transpose()? {
        Some(text) if text.is_empty() => Ok(None),
        other => Ok(other),
    }
}

/// A list of single lines: trimmed, empty ones and repeats dropped.
pub(crate) fn line_list(field: &'static str, values: &[String]) -> Result<Vec<String>, Invalid> {
    let mut kept = Vec::new();
    for value in values {
        let text = optional_text(field, value, MAX_LINE_CHARS)?;
        if !text.is_empty() && !kept.contains(&text) {
            kept.push(text);
        }
    }
    Ok(kept)
}

/// A language code (ISO 639-1 or 639-3: two or three lower-case letters).
pub(crate) fn language_code(field: &'static str, value: &Option<String>) -> Result<Option<String>, Invalid> {
    let code = optional_line(field, value)?.map(|code| code.to_lowercase());
    match &code {
        Some(text) if !(2..=3).contains(&text.len()) || !text.chars().all(|c| c.is_ascii_lowercase()) => {
            Err(Invalid::new(field, Problem::Malformed))
        }
        _ => Ok(code),
    }
}

/// Refuses `day` when it is after `today`.
pub(crate) fn not_in_future(
    field: &'static str,
    day: Option<Day>,
    today: crate::calendar::Date,
) -> Result<(), Invalid> {
    match day {
        Some(day) if day.0 > today => Err(Invalid::new(field, Problem::InFuture)),
        _ => Ok(()),
    }
}

/// Refuses `day` when it is before `start`.
pub(crate) fn not_before(field: &'static str, day: Option<Day>, start: Option<Day>) -> Result<(), Invalid> {
    match (day, start) {
        (Some(day), Some(start)) if day < start => Err(Invalid::new(field, Problem::BeforeStart)),
        _ => Ok(()),
    }
}

/// The Fluent id of the label of the field stored as `name` (`birth_date` → `field-birth-date`).
pub fn field_label(name: &str) -> &'static str {
    let wanted = format!("field-{}", name.replace('_', "-"));
    crate::i18n::MESSAGE_IDS.iter().copied().find(|id| *id == wanted).unwrap_or("field-value")
}

/// Reads a section from JSON (what the desktop app and sync hand over). A value that is not
/// one the field takes — an unknown status, a date that does not exist — is refused naming
/// the field, never turned into something else.
pub fn parse_section<T: Section>(json: serde_json::Value) -> Result<T, Invalid> {
    serde_path_to_error::deserialize(json).map_err(|error| {
        let message = error.inner().to_string();
        // A missing field is reported by its parent, with the name in backticks.
        let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
        let field = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Map { key } => Some(key.as_str()),
                _ => None,
            })
            .chain(missing)
            .last()
            .map_or("field-value", field_label);
        let problem = if message.starts_with("missing field") || message.starts_with("invalid type: null") {
            Problem::Required
        } else if message.contains("date") || message.contains("day") || message.contains("month") {
            Problem::NotADate
        } else {
            Problem::UnknownValue
        };
        Invalid::new(field, problem)
    })
}

/// Builds a `T` from stored fields, ignoring the markers.
pub fn from_fields<T: DeserializeOwned>(mut fields: BTreeMap<String, serde_json::Value>) -> Option<T> {
    for marker in [DELETED, ARCHIVED, ERASED, MERGED_INTO] {
        fields.remove(marker);
    }
    serde_json::from_value(serde_json::Value::Object(fields.into_iter().collect())).ok()
}

/// Whether a stored row of `entity` is health-restricted content. A row of a kind that can
/// hold health content but that cannot be read as one is treated as restricted (fail closed).
pub fn is_health_restricted(entity: Entity, fields: &BTreeMap<String, serde_json::Value>) -> bool {
    health_restricted_if_readable(entity, fields).unwrap_or(true)
}

/// Whether a row of `entity` with these fields is health-restricted content: `Some(false)`
/// for kinds that never are, `None` for a row of a kind that can be that cannot be read (yet:
/// a row halfway through the entries that wrote it).
pub fn health_restricted_if_readable(entity: Entity, fields: &BTreeMap<String, serde_json::Value>) -> Option<bool> {
    fn check<T: Section>(fields: &BTreeMap<String, serde_json::Value>) -> Option<bool> {
        from_fields::<T>(fields.clone()).map(|row| row.health_restricted())
    }
    // A sealed value is health content, whether or not this reader holds the key.
    if fields.values().any(is_sealed) {
        return Some(true);
    }
    match entity {
        Entity::Note => check::<note::NoteDetails>(fields),
        Entity::Referral => check::<referral::ReferralDetails>(fields),
        Entity::Practice => check::<practice::PracticeDetails>(fields),
        Entity::Need => check::<need::NeedDetails>(fields),
        Entity::Appointment => check::<appointment::AppointmentDetails>(fields),
        _ => Some(false),
    }
}

/// A whole case folder as one operator may see it: what opening a folder shows. A folder
/// merged with others shows their rows too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    pub person: Row<PersonDetails>,
    pub archived: bool,
    /// The people of the folders merged into this one, as each folder recorded them.
    pub merged_from: Vec<Row<PersonDetails>>,
    /// The members of the household this person heads.
    pub household: Vec<Row<HouseholdMemberDetails>>,
    /// The folders of the heads of other households this person is a member of.
    pub member_of: Vec<Uuid>,
    pub documents: Vec<Row<DocumentDetails>>,
    pub attachments: Vec<Row<AttachmentDetails>>,
    pub consents: Vec<Row<ConsentDetails>>,
    pub needs: Vec<Row<NeedDetails>>,
    pub practices: Vec<Row<PracticeDetails>>,
    pub appointments: Vec<Row<AppointmentDetails>>,
    pub contacts: Vec<Row<ContactDetails>>,
    pub referrals: Vec<Row<ReferralDetails>>,
    pub notes: Vec<Row<NoteDetails>>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_field_of_every_section_has_a_label_in_both_languages() {
        fn fields_of<T: Serialize>(value: T) -> Vec<String> {
            match serde_json::to_value(value).unwrap() {
                serde_json::Value::Object(map) => map.keys().cloned().collect(),
                _ => unreachable!(),
            }
        }
        let mut names = Vec::new();
        names.extend(fields_of(person::PersonDetails::default()));
        names.extend(fields_of(household::HouseholdMemberDetails::example()));
        names.extend(fields_of(document::DocumentDetails::example()));
        names.extend(fields_of(anonymous_contact::AnonymousContactDetails::example()));
        names.extend(fields_of(attachment::AttachmentDetails::example()));
        names.extend(fields_of(consent::ConsentDetails::example()));
        names.extend(fields_of(need::NeedDetails::example()));
        names.extend(fields_of(practice::PracticeDetails::example()));
        names.extend(fields_of(appointment::AppointmentDetails::example()));
        names.extend(fields_of(contact::ContactDetails::example()));
        names.extend(fields_of(referral::ReferralDetails::example()));
        names.extend(fields_of(note::NoteDetails::example()));
        names.extend(fields_of(organisation::OrganisationDetails::example()));
        names.extend(fields_of(mediator::MediatorDetails::example()));
        for name in names {
            assert_ne!(field_label(&name), "field-value", "no label for the field {name}");
        }
    }

    #[test]
    fn unknown_values_and_impossible_dates_are_refused_naming_the_field() {
        let mut need = serde_json::to_value(need::NeedDetails::example()).unwrap();
        need["category"] = json!("teleportation");
        assert_eq!(
            parse_section::<need::NeedDetails>(need).unwrap_err(),
            Invalid::new("field-category", Problem::UnknownValue)
        );
        let mut document = serde_json::to_value(document::DocumentDetails::example()).unwrap();
        document["expires_on"] = json!("2023-02-29");
        assert_eq!(
            parse_section::<document::DocumentDetails>(document).unwrap_err(),
            Invalid::new("field-expires-on", Problem::NotADate)
        );
        let mut empty = serde_json::to_value(note::NoteDetails::example()).unwrap();
        empty["text"] = serde_json::Value::Null;
        assert_eq!(
            parse_section::<note::NoteDetails>(empty).unwrap_err(),
            Invalid::new("field-text", Problem::Required),
            "a required field sent empty is missing, not a strange value"
        );
        let no_kind = json!({ "number": "X" });
        assert_eq!(
            parse_section::<document::DocumentDetails>(no_kind).unwrap_err(),
            Invalid::new("field-kind", Problem::Required)
        );
        let good = serde_json::to_value(contact::ContactDetails::example()).unwrap();
        assert_eq!(parse_section::<contact::ContactDetails>(good).unwrap(), contact::ContactDetails::example());
    }

    #[test]
    fn stored_entity_names_read_back() {
        for entity in Entity::ALL {
            assert_eq!(Entity::from_stored(entity.as_str()), Some(entity));
            assert_eq!(serde_json::to_value(entity).unwrap(), json!(entity.as_str()));
        }
    }
}

//! Whether one entry's field and value make sense for its kind of row, checked with the
//! sections' own types: what the server asks of every pushed entry, so that a device and the
//! server never disagree on what a valid entry is.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::anonymous_contact::AnonymousContactDetails;
use super::mediator::MediatorDetails;
use super::organisation::OrganisationDetails;
use super::{
    ARCHIVED, AppointmentDetails, AttachmentDetails, ConsentDetails, ContactDetails, DELETED, DocumentDetails, ERASED,
    Entity, HouseholdMemberDetails, MAX_NOTE_CHARS, MERGED_INTO, NeedDetails, NoteDetails, PersonDetails,
    PracticeDetails, ReferralDetails,
};

/// The largest value one entry may carry, as JSON text: a note of the longest length in any
/// script, with room for escapes. Scans travel apart, never as values.
pub const MAX_VALUE_BYTES: usize = 8 * MAX_NOTE_CHARS;

/// What is wrong with an entry's field or value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    #[error("no such field for this kind of row")]
    UnknownField,
    #[error("the value is not of the field's type")]
    WrongType,
    #[error("the value is larger than any field holds")]
    TooLarge,
}

/// A valid row of each kind, as JSON: a field is checked by putting the value in its place
/// and reading the row back with its type.
fn examples() -> &'static HashMap<Entity, Map<String, Value>> {
    static EXAMPLES: OnceLock<HashMap<Entity, Map<String, Value>>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        fn object<T: Serialize>(row: T) -> Map<String, Value> {
            match serde_json::to_value(row) {
                Ok(Value::Object(map)) => map,
                _ => unreachable!("a section serialises as an object"),
            }
        }
        HashMap::from([
            (Entity::Person, object(PersonDetails { family_name: "Rossi".into(), ..PersonDetails::default() })),
            (Entity::HouseholdMember, object(HouseholdMemberDetails::example())),
            (Entity::Document, object(DocumentDetails::example())),
            (Entity::Attachment, object(AttachmentDetails::example())),
            (Entity::Consent, object(ConsentDetails::example())),
            (Entity::Need, object(NeedDetails::example())),
            (Entity::Practice, object(PracticeDetails::example())),
            (Entity::Appointment, object(AppointmentDetails::example())),
            (Entity::Contact, object(ContactDetails::example())),
            (Entity::Referral, object(ReferralDetails::example())),
            (Entity::Note, object(NoteDetails::example())),
            (Entity::AnonymousContact, object(AnonymousContactDetails::example())),
            (Entity::Organisation, object(OrganisationDetails::example())),
            (Entity::Mediator, object(MediatorDetails::example())),
        ])
    })
}

/// A value of `field`'s type for a row of `entity` (null for an optional field): what stands
/// for a sealed value where the lists are computed without the health key.
pub fn placeholder(entity: Entity, field: &str) -> Value {
    examples()[&entity].get(field).cloned().unwrap_or(Value::Null)
}

fn reads_back<T: DeserializeOwned>(row: &Map<String, Value>, written: Option<(&str, &Value)>) -> bool {
    // Read in place, `written` instead of its field's value: no copy of the row per entry.
    let fields = row.iter().map(|(field, value)| match written {
        Some((name, written)) if name == field => (field.as_str(), written),
        _ => (field.as_str(), value),
    });
    let read = serde::de::value::MapDeserializer::<_, serde_json::Error>::new(fields);
    T::deserialize(read).is_ok()
}

/// Whether `value` may be written to `field` of a row of `entity`. Null is always allowed: it
/// clears an optional field, and it is what an erased folder's entries carry.
pub fn check_field(entity: Entity, field: &str, value: &Value) -> Result<(), FieldProblem> {
    // Counted without writing the text out: a value ten megabytes long costs no copy.
    if json_length(value) > MAX_VALUE_BYTES {
        return Err(FieldProblem::TooLarge);
    }
    let marker = match field {
        DELETED => Some(value.is_boolean()),
        ARCHIVED | ERASED if entity == Entity::Person => Some(value.is_boolean()),
        MERGED_INTO if entity == Entity::Person => {
            Some(value.as_str().is_some_and(|id| uuid::Uuid::try_parse(id).is_ok()))
        }
        _ => None,
    };
    if let Some(well_typed) = marker {
        return if well_typed || value.is_null() { Ok(()) } else { Err(FieldProblem::WrongType) };
    }
    let row = &examples()[&entity];
    if !row.contains_key(field) {
        return Err(FieldProblem::UnknownField);
    }
    if value.is_null() {
        return Ok(());
    }
    if reads_as_section(entity, row, Some((field, value))) { Ok(()) } else { Err(FieldProblem::WrongType) }
}

/// Whether `row`, with `written` written to it if given, reads back as a row of `entity`.
fn reads_as_section(entity: Entity, row: &Map<String, Value>, written: Option<(&str, &Value)>) -> bool {
    match entity {
        Entity::Person => reads_back::<PersonDetails>(row, written),
        Entity::HouseholdMember => reads_back::<HouseholdMemberDetails>(row, written),
        Entity::Document => reads_back::<DocumentDetails>(row, written),
        Entity::Attachment => reads_back::<AttachmentDetails>(row, written),
        Entity::Consent => reads_back::<ConsentDetails>(row, written),
        Entity::Need => reads_back::<NeedDetails>(row, written),
        Entity::Practice => reads_back::<PracticeDetails>(row, written),
        Entity::Appointment => reads_back::<AppointmentDetails>(row, written),
        Entity::Contact => reads_back::<ContactDetails>(row, written),
        Entity::Referral => reads_back::<ReferralDetails>(row, written),
        Entity::Note => reads_back::<NoteDetails>(row, written),
        Entity::AnonymousContact => reads_back::<AnonymousContactDetails>(row, written),
        Entity::Organisation => reads_back::<OrganisationDetails>(row, written),
        Entity::Mediator => reads_back::<MediatorDetails>(row, written),
    }
}

/// The example row of `entity` with every optional field but `keep` cleared: a row with as
/// little in it as its type allows.
fn bare_row(entity: Entity, keep: &str) -> Map<String, Value> {
    let mut row = examples()[&entity].clone();
    let fields: Vec<String> = row.keys().filter(|field| *field != keep).cloned().collect();
    for field in fields {
        let before = row.insert(field.clone(), Value::Null);
        if !reads_as_section(entity, &row, None)
            && let Some(before) = before
        {
            row.insert(field, before);
        }
    }
    row
}

/// Whether writing `value` to `field` makes a row of `entity` health-restricted by itself
/// (a note's or need's confidentiality, a referral to the consultorio, a practice of a
/// template for the health side, a CUP booking): what the server refuses from a role that may
/// not write health-restricted content.
pub fn marks_health_restricted(entity: Entity, field: &str, value: &Value) -> bool {
    // Kinds of rows that never hold health content, and nulls, are answered at once: the
    // server asks this of every entry it receives.
    let may_hold_health =
        matches!(entity, Entity::Note | Entity::Referral | Entity::Practice | Entity::Need | Entity::Appointment);
    if value.is_null() || !may_hold_health {
        return false;
    }
    let Some(bare) = bare_rows().get(&(entity, field.to_owned())) else { return false };
    let mut row = bare.clone();
    row.insert(field.to_owned(), value.clone());
    super::health_restricted_if_readable(entity, &row.into_iter().collect()) == Some(true)
}

/// [`bare_row`] of every field of every kind of row, made once.
fn bare_rows() -> &'static HashMap<(Entity, String), Map<String, Value>> {
    static BARE: OnceLock<HashMap<(Entity, String), Map<String, Value>>> = OnceLock::new();
    BARE.get_or_init(|| {
        examples()
            .iter()
            .flat_map(|(entity, row)| row.keys().map(|field| ((*entity, field.clone()), bare_row(*entity, field))))
            .collect()
    })
}

/// About how long `value` is as JSON text (strings by their bytes), without writing it.
fn json_length(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
        Value::String(text) => text.len() + 2,
        Value::Array(items) => items.iter().map(json_length).sum::<usize>() + items.len() + 2,
        Value::Object(fields) => {
            fields.iter().map(|(key, inner)| key.len() + 3 + json_length(inner)).sum::<usize>() + 2
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_values_that_make_a_row_health_restricted_are_recognised() {
        assert!(marks_health_restricted(Entity::Note, "confidentiality", &json!("health_restricted")));
        assert!(!marks_health_restricted(Entity::Note, "confidentiality", &json!("normal")));
        assert!(!marks_health_restricted(Entity::Note, "text", &json!("Chiede del permesso")));
        assert!(!marks_health_restricted(Entity::Note, "confidentiality", &Value::Null));
        assert!(!marks_health_restricted(Entity::Person, "family_name", &json!("Rossi")));
        let booking = examples()[&Entity::Appointment]["cup"].clone();
        assert!(booking.is_object(), "the example appointment is a CUP booking");
        assert!(marks_health_restricted(Entity::Appointment, "cup", &booking));
        assert!(!marks_health_restricted(Entity::Appointment, "place", &json!("Sportello")));
        // The kinds said never to hold health content are those the rule answers without
        // reading a row.
        for entity in examples().keys() {
            let unread = super::super::health_restricted_if_readable(*entity, &Default::default());
            let listed = matches!(
                entity,
                Entity::Note | Entity::Referral | Entity::Practice | Entity::Need | Entity::Appointment
            );
            assert_eq!(unread == Some(false), !listed, "{entity:?}");
        }
        // The rows the check starts from are ordinary rows, whatever field is written.
        for entity in examples().keys() {
            let bare: std::collections::BTreeMap<String, Value> = bare_row(*entity, "").into_iter().collect();
            assert_eq!(super::super::health_restricted_if_readable(*entity, &bare), Some(false), "{entity:?}");
        }
    }

    #[test]
    fn every_field_of_every_example_is_accepted_as_it_is() {
        for (entity, row) in examples() {
            for (field, value) in row {
                assert_eq!(check_field(*entity, field, value), Ok(()), "{entity:?}.{field} = {value}");
            }
        }
    }

    #[test]
    fn unknown_fields_ill_typed_and_oversized_values_are_refused() {
        assert_eq!(check_field(Entity::Note, "text", &json!("Chiede un appuntamento")), Ok(()));
        assert_eq!(check_field(Entity::Note, "text", &Value::Null), Ok(()), "an erased folder's value");
        assert_eq!(check_field(Entity::Note, "spaceship", &json!(1)), Err(FieldProblem::UnknownField));
        assert_eq!(check_field(Entity::Note, "text", &json!(42)), Err(FieldProblem::WrongType));
        assert_eq!(check_field(Entity::Note, "confidentiality", &json!("secret")), Err(FieldProblem::WrongType));
        assert_eq!(check_field(Entity::Contact, "duration_minutes", &json!(-5)), Err(FieldProblem::WrongType));
        assert_eq!(check_field(Entity::Contact, "on", &json!("2026-02-30")), Err(FieldProblem::WrongType));
        let ten_megabytes = "x".repeat(10 * 1024 * 1024);
        assert_eq!(check_field(Entity::Note, "text", &json!(ten_megabytes)), Err(FieldProblem::TooLarge));
        let longest_note = "ش".repeat(MAX_NOTE_CHARS);
        assert_eq!(check_field(Entity::Note, "text", &json!(longest_note)), Ok(()));
    }

    #[test]
    fn markers_are_booleans_or_a_folder_id_and_only_where_they_belong() {
        assert_eq!(check_field(Entity::Contact, DELETED, &json!(true)), Ok(()));
        assert_eq!(check_field(Entity::Contact, DELETED, &json!("yes")), Err(FieldProblem::WrongType));
        assert_eq!(check_field(Entity::Person, ERASED, &json!(true)), Ok(()));
        assert_eq!(check_field(Entity::Contact, ERASED, &json!(true)), Err(FieldProblem::UnknownField));
        let folder = uuid::Uuid::now_v7().to_string();
        assert_eq!(check_field(Entity::Person, MERGED_INTO, &json!(folder)), Ok(()));
        assert_eq!(check_field(Entity::Person, MERGED_INTO, &Value::Null), Ok(()), "a merge undone");
        assert_eq!(check_field(Entity::Person, MERGED_INTO, &json!("not a folder")), Err(FieldProblem::WrongType));
    }
}

//! What a case folder holds: the person, notes, and (as the model grows) documents,
//! practices, appointments, contacts and referrals. Each kind of row is validated here
//! and stored by the store field by field, so that every field merges on its own.

pub mod note;
pub mod person;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The field that marks a row as deleted (a tombstone; its history stays).
pub const DELETED: &str = "_deleted";

/// The kinds of row a case folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// The person the folder is about; the folder's id is the person's.
    Person,
    /// A free-text note.
    Note,
}

impl Entity {
    /// The name stored in the database and the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Person => "person",
            Entity::Note => "note",
        }
    }

    /// The entity stored as `name`.
    pub fn from_stored(name: &str) -> Option<Entity> {
        [Entity::Person, Entity::Note].into_iter().find(|entity| entity.as_str() == name)
    }
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
    /// Not in the expected form (a phone number, a code).
    Malformed,
}

impl Problem {
    /// The Fluent message that explains it; `$field` is the field's label.
    pub fn message_id(self) -> &'static str {
        match self {
            Problem::Required => "error-missing-value",
            Problem::TooLong => "error-value-too-long",
            Problem::NotADate => "error-not-a-date",
            Problem::InFuture => "error-date-in-future",
            Problem::Malformed => "error-value-malformed",
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

/// The longest free text a single-line field takes.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest note.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// `value` trimmed, refused when empty or longer than `max` characters.
pub(crate) fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Invalid { field, problem: Problem::Required });
    }
    optional_text(field, trimmed, max)
}

/// `value` trimmed, refused when longer than `max` characters.
pub(crate) fn optional_text(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        return Err(Invalid { field, problem: Problem::TooLong });
    }
    Ok(trimmed.to_owned())
}

//! Notes in a folder, some of them readable only by the health side.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Invalid, MAX_NOTE_CHARS, required_text};

/// Who may read a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    /// Everyone who may open the folder.
    #[default]
    Normal,
    /// Only roles allowed to read health-restricted content.
    HealthRestricted,
}

/// What the operator writes in a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteDetails {
    /// The text.
    pub text: String,
    /// Who may read it.
    pub confidentiality: Confidentiality,
}

/// A stored note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Note {
    pub id: Uuid,
    pub details: NoteDetails,
}

impl NoteDetails {
    /// The note as it will be stored, or the field that is wrong.
    pub fn validated(&self) -> Result<NoteDetails, Invalid> {
        Ok(NoteDetails {
            text: required_text("field-note-text", &self.text, MAX_NOTE_CHARS)?,
            confidentiality: self.confidentiality,
        })
    }
}

//! Notes in a folder, some of them readable only by the health side.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Entity, Invalid, MAX_NOTE_CHARS, Section, required_text};

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

impl NoteDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        NoteDetails {
            text: "Chiede informazioni sul rinnovo del permesso".into(),
            confidentiality: Confidentiality::Normal,
        }
    }
}

impl Section for NoteDetails {
    const ENTITY: Entity = Entity::Note;

    fn validated(&self, _today: crate::calendar::Date) -> Result<Self, Invalid> {
        Ok(NoteDetails {
            text: required_text("field-note-text", &self.text, MAX_NOTE_CHARS)?,
            confidentiality: self.confidentiality,
        })
    }

    fn health_restricted(&self) -> bool {
        self.confidentiality == Confidentiality::HealthRestricted
    }
}

/// A stored note.
pub type Note = super::Row<NoteDetails>;

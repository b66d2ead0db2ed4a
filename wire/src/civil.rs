//! Facts of civil status that a person's documents state and that codes encode, below both
//! the folder's sections and the rules that read them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Sex as recorded on the person's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    /// Neither, or not stated on the documents.
    Unspecified,
}

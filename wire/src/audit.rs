//! What an audit line says was done to a folder; the lines travel to the server.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What was done to a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Read,
    Write,
    /// The folder's content was erased for good.
    Erase,
}

impl AuditAction {
    /// The action stored as `text`.
    pub fn from_stored(text: &str) -> Option<AuditAction> {
        [AuditAction::Read, AuditAction::Write, AuditAction::Erase].into_iter().find(|action| action.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Write => "write",
            AuditAction::Erase => "erase",
        }
    }
}

//! The data-transfer types of the UI boundary: what the shell tells the UI and what it takes.

use porta::store::{DatabaseStatus, Role};
use porta::{ErrorPayload, Locale};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The state of this installation, as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Porta's version.
    pub version: String,
    /// The Ambito's name, for the header.
    pub ambito_name: String,
    /// The interface language the operator chose.
    pub locale: Locale,
    /// The folder that holds settings and the encrypted database.
    pub data_dir: String,
    /// Whether the encrypted database exists yet.
    pub database: DatabaseStatus,
    /// Why the settings file could not be read, when it could not; defaults are in use then.
    pub settings_problem: Option<ErrorPayload>,
    /// Whether someone is working, and who.
    pub session: SessionView,
    /// Set when the data are the demo's synthetic people.
    pub demo: Option<crate::demo_mode::DemoView>,
    /// Minutes without activity before the store locks itself.
    pub lock_after_minutes: u32,
}

/// Who is working on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionView {
    /// First run has not happened: the UI shows the setup screen.
    NotSetUp,
    /// The store is locked: the UI shows the unlock screen with these logins, and a first
    /// access for the Ambito's operators who have not opened this device yet.
    Locked { logins: Vec<String>, activations: Vec<String> },
    /// An operator unlocked the store. `health_key_missing`: the role may read
    /// health-restricted content, but the Ambito's health key is not on this device for this
    /// operator (a role given health access after the first access here): the window says
    /// what to do.
    Unlocked {
        operator: OperatorView,
        #[serde(rename = "healthKeyMissing")]
        #[ts(rename = "healthKeyMissing")]
        health_key_missing: bool,
    },
}

/// An operator as the header shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OperatorView {
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// A passphrase, recovery key or one-time code as the window sends it, held in memory that is
/// zeroed when dropped. (The IPC message it was read from, and the web view's own copy, are
/// Tauri's and WebKit's: not Porta's to zero.)
#[derive(Clone, TS)]
#[ts(as = "String")]
pub struct Secret(zeroize::Zeroizing<String>);

impl Secret {
    /// The text, for as long as the borrow lasts.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(text: &str) -> Self {
        Secret(zeroize::Zeroizing::new(text.to_owned()))
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Secret(zeroize::Zeroizing::new(text)))
    }
}

/// A secret never reaches a log.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<secret>")
    }
}

/// What the first-run screen sends.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirstRunInput {
    pub device_name: String,
    pub office: String,
    pub admin_login: String,
    pub admin_name: String,
    pub passphrase: Secret,
}

/// First run done: the recovery key to show once, and the new state.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetUpDone {
    /// Five groups of five symbols. Shown once, never stored in clear.
    pub recovery_key: String,
    pub info: AppInfo,
}

/// Sync as the sync screen shows it: the enrollment (none until the device is enrolled) and
/// the background engine's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    pub enrollment: Option<porta::store::Enrollment>,
    /// When and by whom this device was joined to its server again.
    pub reenrollments: Vec<porta::store::Reenrollment>,
    pub status: porta::sync::engine::SyncStatus,
}

/// A conflict to review, with the name of the person whose folder it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    /// Given names and family name, as the folder holds them now.
    pub person: String,
    /// The section of the row in conflict.
    pub entity: porta::folder::Entity,
    pub row_id: Uuid,
    pub folder_id: Uuid,
    /// The row is a service of the directory (whose page shows it), not a person's.
    pub in_directory: bool,
    /// The field in conflict (its stored name), when two values of one field compete.
    pub field: Option<String>,
    /// A delete concurrent with edits: restore the row or confirm the deletion.
    pub deletion: bool,
    /// What identifies the conflict when settling it.
    pub topic: String,
    /// Every competing version, oldest first.
    pub versions: Vec<ConflictVersionView>,
}

/// One competing version in a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConflictVersionView {
    /// The field it wrote.
    pub field: String,
    /// The value it wrote.
    #[ts(type = "unknown")]
    pub value: serde_json::Value,
    /// When it was written, in milliseconds since the epoch (from its timestamp).
    #[ts(type = "number")]
    pub written_ms: u64,
    /// Names this version when keeping it.
    pub version: String,
    pub operator_id: Uuid,
}

impl ConflictView {
    /// `conflict` in the person's folder, as the review screen shows it.
    pub fn new(person: String, conflict: porta::store::conflicts::Conflict) -> Self {
        let deletion = conflict.is_deletion();
        ConflictView {
            person,
            entity: conflict.entity,
            row_id: conflict.row_id,
            folder_id: conflict.folder_id,
            in_directory: conflict.folder_id == porta::folder::directory::DIRECTORY_FOLDER,
            field: (!deletion).then(|| conflict.topic.clone()),
            deletion,
            topic: conflict.topic,
            versions: conflict
                .versions
                .into_iter()
                .map(|version| ConflictVersionView {
                    field: version.field,
                    value: version.value,
                    written_ms: version.hlc.wall_ms,
                    version: version.hlc.to_string(),
                    operator_id: version.operator_id,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_reads_from_the_window_and_never_shows() {
        let input: FirstRunInput = serde_json::from_str(
            r#"{"deviceName":"Portatile","office":"PUA","adminLogin":"admin","adminName":"Anna","passphrase":"una frase lunga e rara"}"#,
        )
        .unwrap();
        assert_eq!(input.passphrase.expose(), "una frase lunga e rara");
        let shown = format!("{input:?}");
        assert!(shown.contains("<secret>") && !shown.contains("rara"), "{shown}");
    }
}

//! What the About screen shows and the header needs: one data-transfer type for the UI.

use porta::store::DatabaseStatus;
use porta::{ErrorPayload, Locale};
use serde::Serialize;
use ts_rs::TS;

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
}

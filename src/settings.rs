//! The settings of this installation, kept in `settings.toml` in the data folder.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Explanation;
use crate::{ErrorCode, Locale, UserFacingError};

/// The name an Ambito has until its administrator sets its own.
pub const DEFAULT_AMBITO_NAME: &str = "Ambito Territoriale Sociale";

/// Settings of this installation. Missing fields take their defaults, so older files still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The Ambito's name, shown in the header of every screen.
    pub ambito_name: String,
    /// The interface language the operator chose.
    pub locale: Locale,
    /// Minutes without activity after which the store locks itself.
    pub lock_after_minutes: u32,
    /// The largest scanned document that can be attached to a folder, in megabytes.
    pub attachment_limit_mb: u32,
    /// The Ambito's offices and the outreach places its mediators go to, offered when
    /// recording a contact or an appointment.
    pub places: Vec<DeskPlace>,
    /// The data controller named in the privacy notice given to every person; until it is
    /// filled in, the notice cannot be printed.
    pub data_controller: Option<DataController>,
    /// Days before a permit's expiry from which its renewal is listed as due: 60, as the
    /// current rule says; older rules said 90, 60 or 30 by permit type, and an Ambito may
    /// start earlier.
    pub renewal_window_days: u32,
    /// Where the ENI codes issued here may be used: sources disagree, so the Ambito says.
    pub eni_validity: crate::rules::stp_eni::EniValidity,
}

/// The data controller (GDPR Art. 13): usually the municipality that leads the Ambito.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DataController {
    /// The body's name, "Comune di Galatina (capofila dell'Ambito)" for example.
    pub name: String,
    /// Its postal address.
    pub address: String,
    /// The address people write to (e-mail or PEC).
    pub email: String,
    /// The data protection officer's address.
    pub dpo_email: String,
}

/// An office of the Ambito or a place mediators visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DeskPlace {
    pub name: String,
    pub kind: DeskPlaceKind,
    pub address: Option<String>,
}

/// Whether a place is an office or an outreach place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DeskPlaceKind {
    Office,
    /// A camp, a farm, a market, a reception centre.
    Outreach,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            ambito_name: DEFAULT_AMBITO_NAME.to_owned(),
            locale: Locale::default(),
            lock_after_minutes: 10,
            attachment_limit_mb: 20,
            places: Vec::new(),
            data_controller: None,
            renewal_window_days: crate::rules::deadlines::PERMIT_RENEWAL_WINDOW_DAYS as u32,
            eni_validity: crate::rules::stp_eni::EniValidity::default(),
        }
    }
}

/// The settings file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file exists but cannot be read.
    #[error("cannot read the settings file")]
    Unreadable { path: PathBuf, source: io::Error },
    /// The file is not valid settings TOML.
    #[error("the settings file is not valid")]
    Invalid { path: PathBuf, source: toml::de::Error },
    /// The file cannot be written.
    #[error("cannot write the settings file")]
    Unwritable { path: PathBuf, source: io::Error },
}

impl UserFacingError for SettingsError {
    fn explain(&self) -> Explanation {
        let explanation = match self {
            SettingsError::Unreadable { .. } | SettingsError::Invalid { .. } => {
                Explanation::new(ErrorCode::SettingsUnreadable, "error-settings-unreadable")
            }
            SettingsError::Unwritable { .. } => {
                Explanation::new(ErrorCode::SettingsUnwritable, "error-settings-unwritable")
            }
        };
        let (SettingsError::Unreadable { path, .. }
        | SettingsError::Invalid { path, .. }
        | SettingsError::Unwritable { path, .. }) = self;
        explanation.with("path", path.display().to_string())
    }
}

impl Settings {
    /// Reads the settings at `path`; a file that does not exist yet gives the defaults.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => return Err(SettingsError::Unreadable { path: path.to_owned(), source }),
        };
        toml::from_str(&text).map_err(|source| SettingsError::Invalid { path: path.to_owned(), source })
    }

    /// The attachment limit in bytes, as the store takes it.
    pub fn attachment_limit_bytes(&self) -> u64 {
        u64::from(self.attachment_limit_mb) * 1_000_000
    }

    /// Writes the settings to `path` atomically: a crash leaves either the old file or the new.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let unwritable = |source| SettingsError::Unwritable { path: path.to_owned(), source };
        let text = toml::to_string_pretty(self).expect("settings always serialise to TOML");
        crate::atomic_file::write(path, text.as_bytes()).map_err(unwritable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_gives_the_defaults() {
        let temp = tempfile::tempdir().unwrap();
        let settings = Settings::load(&temp.path().join("settings.toml")).unwrap();
        assert_eq!(settings, Settings::default());
        assert_eq!(settings.locale, Locale::It);
    }

    #[test]
    fn saved_settings_load_back_unchanged() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        let settings = Settings {
            ambito_name: "Ambito di Galatina".into(),
            locale: Locale::En,
            lock_after_minutes: 5,
            attachment_limit_mb: 8,
            places: vec![
                DeskPlace {
                    name: "PUA Galatina".into(),
                    kind: DeskPlaceKind::Office,
                    address: Some("Piazza Alighieri, Galatina".into()),
                },
                DeskPlace { name: "Campagne di Cutrofiano".into(), kind: DeskPlaceKind::Outreach, address: None },
            ],
            data_controller: Some(DataController {
                name: "Comune di Galatina".into(),
                address: "Piazza Alighieri 51, 73013 Galatina".into(),
                email: "protocollo@example.it".into(),
                dpo_email: "rpd@example.it".into(),
            }),
            renewal_window_days: 90,
            eni_validity: crate::rules::stp_eni::EniValidity::Nationwide,
        };
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), settings);
        assert!(!path.with_extension("toml.partial").exists(), "the partial file is renamed away");
    }

    #[test]
    fn fields_missing_from_the_file_take_their_defaults() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        std::fs::write(&path, "locale = \"en\"\n").unwrap();
        let settings = Settings::load(&path).unwrap();
        assert_eq!(settings.locale, Locale::En);
        assert_eq!(settings.ambito_name, DEFAULT_AMBITO_NAME);
        assert_eq!(settings.attachment_limit_bytes(), crate::folder::attachment::DEFAULT_LIMIT_BYTES);
        assert!(settings.places.is_empty());
    }

    #[test]
    fn an_invalid_file_is_refused_and_left_as_it_was() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        std::fs::write(&path, "locale = \"klingon\"\n").unwrap();
        let error = Settings::load(&path).unwrap_err();
        assert!(matches!(error, SettingsError::Invalid { .. }));
        assert_eq!(error.code(), ErrorCode::SettingsUnreadable);
        assert_eq!(error.message_args(), vec![("path", path.display().to_string().into())]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "locale = \"klingon\"\n");
    }

    #[test]
    fn saving_into_a_missing_folder_is_an_unwritable_error() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("missing").join("settings.toml");
        let error = Settings::default().save(&path).unwrap_err();
        assert_eq!(error.code(), ErrorCode::SettingsUnwritable);
    }
}

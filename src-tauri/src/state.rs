//! What the desktop app holds while it runs, and the operations its commands perform.

use std::path::PathBuf;
use std::sync::Mutex;

use porta::data_dir::DataDirError;
use porta::settings::SettingsError;
use porta::{DataDir, ErrorCode, ErrorPayload, Locale, Localizer, Settings, store};

use crate::AppInfo;

/// The running app: where its data lives, its messages and its current settings.
#[derive(Debug)]
pub struct AppState {
    data_dir: DataDir,
    localizer: Localizer,
    settings: Mutex<Settings>,
    /// Set when the settings file could not be read at start; the defaults are in use and the
    /// file is left untouched until the operator changes a setting.
    settings_problem: Option<SettingsError>,
}

/// The data folder is unusable, so the app cannot start.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct StartupError(#[from] DataDirError);

impl StartupError {
    /// What to tell the person starting the app, in Italian (no setting could be read yet).
    pub fn message_it(&self) -> String {
        ErrorPayload::localized(&self.0, &Localizer::new(), Locale::It).message
    }
}

impl AppState {
    /// Opens the data folder (`explicit`, or the operating system's default) and its settings.
    pub fn open(explicit: Option<PathBuf>) -> Result<Self, StartupError> {
        let data_dir = DataDir::resolve(explicit)?;
        let (settings, settings_problem) = match Settings::load(&data_dir.settings_file()) {
            Ok(settings) => (settings, None),
            Err(problem) => {
                tracing::warn!(error = %problem, "settings unreadable; using the defaults");
                (Settings::default(), Some(problem))
            }
        };
        Ok(Self { data_dir, localizer: Localizer::new(), settings: Mutex::new(settings), settings_problem })
    }

    /// The state of this installation for the UI.
    pub fn app_info(&self) -> AppInfo {
        let settings = self.settings.lock().expect("settings lock is never poisoned").clone();
        AppInfo {
            version: porta::VERSION.to_owned(),
            ambito_name: settings.ambito_name.clone(),
            locale: settings.locale,
            data_dir: self.data_dir.to_string(),
            database: store::database_status(&self.data_dir),
            settings_problem: self
                .settings_problem
                .as_ref()
                .map(|problem| ErrorPayload::localized(problem, &self.localizer, settings.locale)),
        }
    }

    /// Switches to the language tagged `tag` and saves it. On failure nothing changes.
    pub fn set_locale(&self, tag: &str) -> Result<AppInfo, ErrorPayload> {
        let current = self.settings.lock().expect("settings lock is never poisoned").locale;
        let locale: Locale = tag.parse().map_err(|_| ErrorPayload {
            code: ErrorCode::UnknownLocale,
            message: self.localizer.format(current, "error-unknown-locale", &[("locale", tag.to_owned())]),
        })?;
        {
            let mut settings = self.settings.lock().expect("settings lock is never poisoned");
            let changed = Settings { locale, ..settings.clone() };
            changed
                .save(&self.data_dir.settings_file())
                .map_err(|error| ErrorPayload::localized(&error, &self.localizer, current))?;
            *settings = changed;
        }
        Ok(self.app_info())
    }
}

#[cfg(test)]
mod tests {
    use porta::store::DatabaseStatus;

    use super::*;

    fn open_in(dir: &tempfile::TempDir) -> AppState {
        AppState::open(Some(dir.path().to_owned())).unwrap()
    }

    #[test]
    fn a_new_installation_speaks_italian_and_has_no_database() {
        let dir = tempfile::tempdir().unwrap();
        let info = open_in(&dir).app_info();
        assert_eq!(info.locale, Locale::It);
        assert_eq!(info.version, porta::VERSION);
        assert_eq!(info.data_dir, dir.path().display().to_string());
        assert_eq!(info.database, DatabaseStatus::NotCreated);
        assert_eq!(info.settings_problem, None);
    }

    #[test]
    fn the_chosen_language_is_remembered_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let info = open_in(&dir).set_locale("en").unwrap();
        assert_eq!(info.locale, Locale::En);
        assert_eq!(open_in(&dir).app_info().locale, Locale::En);
    }

    #[test]
    fn an_unknown_language_is_refused_in_the_current_language_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        let error = state.set_locale("tlh").unwrap_err();
        assert_eq!(error.code, ErrorCode::UnknownLocale);
        assert!(error.message.starts_with("La lingua «"), "{}", error.message);
        assert_eq!(state.app_info().locale, Locale::It);
        assert!(!dir.path().join("settings.toml").exists());
    }

    #[test]
    fn an_unreadable_settings_file_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "locale = 42").unwrap();
        let info = open_in(&dir).app_info();
        let problem = info.settings_problem.expect("the problem is reported to the UI");
        assert_eq!(problem.code, ErrorCode::SettingsUnreadable);
        assert!(problem.message.contains("settings.toml"), "{}", problem.message);
        assert_eq!(info.locale, Locale::It);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "locale = 42");
    }

    #[test]
    fn a_language_that_cannot_be_saved_is_not_switched_to() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        // A folder where the settings file should be makes the rename fail.
        std::fs::create_dir(dir.path().join("settings.toml")).unwrap();
        let error = state.set_locale("en").unwrap_err();
        assert_eq!(error.code, ErrorCode::SettingsUnwritable);
        assert!(error.message.starts_with("Non riesco a salvare"), "{}", error.message);
        assert_eq!(state.app_info().locale, Locale::It);
    }

    #[test]
    fn app_info_serialises_in_camel_case_for_the_ui() {
        let dir = tempfile::tempdir().unwrap();
        let json = serde_json::to_value(open_in(&dir).app_info()).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["ambitoName", "dataDir", "database", "locale", "settingsProblem", "version"]);
    }
}

//! What the desktop app holds while it runs, and the operations its commands perform.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use porta::clock::Clock;
use porta::data_dir::DataDirError;
use porta::keys::{KeyFile, Passphrase, RecoveryKey};
use porta::session::Session;
use porta::settings::SettingsError;
use porta::store::{FirstRun, Store};
use porta::sync::client::SyncClient;
use porta::sync::engine::{EngineSettings, SyncEngine};
use porta::sync::server_time::ServerClock;
use porta::updates::UpdateFolder;
use porta::{DataDir, ErrorCode, ErrorPayload, Locale, Localizer, Settings, UserFacingError, store};
use ring::rand::SystemRandom;

use crate::AppInfo;
use crate::app_info::{ConflictView, FirstRunInput, OperatorView, SessionView, SetUpDone, SyncView};
use crate::demo_mode::DemoProgress;

/// The running app: where its data lives, its messages, its settings and the session.
pub struct AppState {
    /// The data folder in use: the operator's, or the demo's once a demo was asked for.
    data_dir: RwLock<DataDir>,
    demo: DemoProgress,
    localizer: Localizer,
    settings: Mutex<Settings>,
    /// Set when the settings file could not be read at start; the defaults are in use and the
    /// file is left untouched until the operator changes a setting.
    settings_problem: Option<SettingsError>,
    /// Shared with the sync engine, which reaches the store between network calls.
    session: Arc<Mutex<Session>>,
    sync: Arc<SyncEngine>,
    /// The computer's clock corrected by the server's time (the same as `server_clock`):
    /// what every write, signature and idle lock reads.
    clock: Arc<dyn Clock>,
    server_clock: Arc<ServerClock>,
    random: SystemRandom,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState").field("data_dir", &self.data_dir()).finish_non_exhaustive()
    }
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
    pub fn open(explicit: Option<PathBuf>, clock: Arc<dyn Clock>) -> Result<Self, StartupError> {
        let data_dir = DataDir::resolve(explicit)?;
        let (settings, settings_problem) = match Settings::load(&data_dir.settings_file()) {
            Ok(settings) => (settings, None),
            Err(problem) => {
                tracing::warn!(error = %problem, "settings unreadable; using the defaults");
                (Settings::default(), Some(problem))
            }
        };
        let idle_limit = Duration::from_secs(u64::from(settings.lock_after_minutes.max(1)) * 60);
        let server_clock = Arc::new(ServerClock::remembered(clock, data_dir.server_clock_file()));
        // Updates go to the data folder the app started with (never the demo's).
        let updates = crate::self_update::policy().map(|policy| (policy, UpdateFolder::of(&data_dir)));
        Ok(Self {
            data_dir: RwLock::new(data_dir),
            demo: DemoProgress::default(),
            localizer: Localizer::new(),
            settings: Mutex::new(settings),
            settings_problem,
            session: Arc::new(Mutex::new(Session::new(idle_limit))),
            sync: SyncEngine::updating(updates),
            clock: server_clock.clone(),
            server_clock,
            random: SystemRandom::new(),
        })
    }

    /// The messages in every language.
    pub(crate) fn localizer(&self) -> &Localizer {
        &self.localizer
    }

    /// The injected clock.
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// Sync at once rather than at the next round (after a write).
    pub(crate) fn nudge_sync(&self) {
        self.sync.nudge();
    }

    /// The data folder in use.
    pub fn data_dir(&self) -> DataDir {
        self.data_dir.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Switches to the demo's data folder and fills it with `people` synthetic people in the
    /// background if it is empty. Refused while a store is open: the operator locks first.
    pub fn begin_demo(&self, people: usize) -> Result<AppInfo, ErrorPayload> {
        if self.session().store().is_some() {
            return Err(ErrorPayload::localized(
                &porta::store::StoreError::NotPermitted,
                &self.localizer,
                self.settings().locale,
            ));
        }
        let mut data_dir = self.data_dir.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !data_dir.is_demo() {
            *data_dir = data_dir.demo_folder().map_err(|error| self.payload(&error))?;
        }
        self.demo.begin(data_dir.clone(), people, self.clock.clone(), self.settings().locale);
        drop(data_dir);
        Ok(self.app_info())
    }

    pub(crate) fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().expect("settings lock is never poisoned")
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, Session> {
        // A panic while holding the session must not keep the store open: take it back.
        self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// An error of Porta's own (a bug), as the UI receives it, in the operator's language.
    pub(crate) fn internal_error(&self) -> ErrorPayload {
        ErrorPayload::new(
            porta::ErrorCode::Internal,
            self.localizer.format(self.settings().locale, "error-internal", &[]),
        )
    }

    /// `error` as the UI receives it, in the operator's language.
    pub(crate) fn payload(&self, error: &dyn UserFacingError) -> ErrorPayload {
        ErrorPayload::localized(error, &self.localizer, self.settings().locale)
    }

    fn session_view(&self) -> SessionView {
        if let Some(store) = self.session().store() {
            let operator = store.operator();
            return SessionView::Unlocked {
                operator: OperatorView {
                    login: operator.login.clone(),
                    display_name: operator.display_name.clone(),
                    role: operator.role,
                },
                health_key_missing: operator.role.may(porta::store::Permission::ReadHealthRestricted)
                    && !store.holds_health_key(),
            };
        }
        match KeyFile::load(&self.data_dir().key_file()) {
            Ok(key_file) if self.data_dir().database_file().exists() => {
                let logins = key_file.operator_logins().into_iter().map(|(_, login)| login).collect();
                let activations =
                    key_file.activation_logins(self.clock.now_ms()).into_iter().map(|(_, login)| login).collect();
                SessionView::Locked { logins, activations }
            }
            _ if self.data_dir().database_file().exists() => {
                SessionView::Locked { logins: Vec::new(), activations: Vec::new() }
            }
            _ => SessionView::NotSetUp,
        }
    }

    /// First run: creates the store, opens it, and gives back the recovery key to show once.
    pub fn set_up(&self, input: FirstRunInput) -> Result<SetUpDone, ErrorPayload> {
        let passphrase = Passphrase::new(input.passphrase.expose()).map_err(|error| self.payload(&error))?;
        let first = FirstRun {
            device_name: input.device_name,
            office: input.office,
            admin_login: input.admin_login,
            admin_name: input.admin_name,
            admin_passphrase: passphrase,
        };
        let (store, recovery) = Store::set_up(&self.data_dir(), first, self.clock.as_ref(), &self.random)
            .map_err(|error| self.payload(&error))?;
        self.session().begin(store, self.clock.as_ref());
        self.sync.nudge();
        Ok(SetUpDone { recovery_key: recovery.display_grouped().to_string(), info: self.app_info() })
    }

    /// Unlocks the store as `login`.
    pub fn unlock(&self, login: &str, passphrase: &str) -> Result<AppInfo, ErrorPayload> {
        if self.demo.is_filling() {
            let locale = self.settings().locale;
            return Err(ErrorPayload::new(
                ErrorCode::NotSetUp,
                self.localizer.format(locale, "error-demo-filling", &[]),
            ));
        }
        let store = Store::unlock(&self.data_dir(), login, passphrase, self.clock.as_ref())
            .map_err(|error| self.payload(&error))?;
        self.session().begin(store, self.clock.as_ref());
        self.sync.nudge();
        Ok(self.app_info())
    }

    /// Unlocks with the recovery key and gives `login` a new passphrase.
    pub fn reset_passphrase(
        &self,
        login: &str,
        recovery_key: &str,
        new_passphrase: &str,
    ) -> Result<AppInfo, ErrorPayload> {
        let recovery: RecoveryKey = recovery_key.parse().map_err(|error| self.payload(&error))?;
        let passphrase = Passphrase::new(new_passphrase).map_err(|error| self.payload(&error))?;
        let store = Store::reset_passphrase(&self.data_dir(), &recovery, login, &passphrase, &self.random)
            .map_err(|error| self.payload(&error))?;
        self.session().begin(store, self.clock.as_ref());
        Ok(self.app_info())
    }

    /// First access of an Ambito operator on this device: the activation code from the
    /// administrator opens it once, and `new_passphrase` from then on.
    pub fn activate(&self, login: &str, activation_code: &str, new_passphrase: &str) -> Result<AppInfo, ErrorPayload> {
        let passphrase = Passphrase::new(new_passphrase).map_err(|error| self.payload(&error))?;
        let store =
            Store::activate(&self.data_dir(), login, activation_code, &passphrase, self.clock.as_ref(), &self.random)
                .map_err(|error| self.payload(&error))?;
        self.session().begin(store, self.clock.as_ref());
        self.sync.nudge();
        Ok(self.app_info())
    }

    /// Locks the store now: the database closes and the key is zeroed.
    pub fn lock(&self) -> AppInfo {
        self.session().lock();
        self.app_info()
    }

    /// The operator is active.
    pub fn keep_alive(&self) {
        self.session().touch(self.clock.as_ref());
    }

    /// Locks the store if the operator has been idle too long; says whether it did.
    pub fn lock_if_idle(&self) -> bool {
        self.session().lock_if_idle(self.clock.as_ref())
    }

    /// The state of this installation for the UI.
    pub fn app_info(&self) -> AppInfo {
        let settings = self.settings().clone();
        AppInfo {
            version: crate::APP_VERSION.to_owned(),
            ambito_name: settings.ambito_name.clone(),
            locale: settings.locale,
            data_dir: self.data_dir().to_string(),
            database: store::database_status(&self.data_dir()),
            settings_problem: self
                .settings_problem
                .as_ref()
                .map(|problem| ErrorPayload::localized(problem, &self.localizer, settings.locale)),
            session: self.session_view(),
            demo: self.demo.view(&self.data_dir()),
            lock_after_minutes: settings.lock_after_minutes,
        }
    }

    /// The background sync, to spawn on the app's async runtime once.
    pub fn sync_engine(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let random: Arc<dyn ring::rand::SecureRandom + Send + Sync> = Arc::new(SystemRandom::new());
        let locale = self.settings().locale;
        self.sync.clone().run(
            self.session.clone(),
            self.server_clock.clone(),
            random,
            EngineSettings::default(),
            locale,
        )
    }

    /// Where sync stands, and the enrollment if any.
    pub fn sync_view(&self) -> SyncView {
        let (enrollment, reenrollments) = self
            .session()
            .store()
            .map(|store| (store.enrollment().ok().flatten(), store.reenrollments().unwrap_or_default()))
            .unwrap_or_default();
        let mut status = self.sync.status();
        // Written in the language of now, not of the round that failed.
        let locale = self.settings().locale;
        status.last_error = status.last_error.map(|error| error.in_locale(&self.localizer, locale));
        SyncView { enrollment, reenrollments, status }
    }

    /// Sync now rather than at the next round.
    pub fn sync_now(&self) -> SyncView {
        self.sync.nudge();
        self.sync_view()
    }

    /// Enrolls this device with the server at `server_url` using the administrator's code.
    pub async fn enroll_device(&self, server_url: &str, code: &str) -> Result<SyncView, ErrorPayload> {
        self.join_server(server_url, code, false).await
    }

    /// Joins this enrolled device to its Ambito's server again (`SyncClient::reenroll`).
    pub async fn reenroll_device(&self, server_url: &str, code: &str) -> Result<SyncView, ErrorPayload> {
        self.join_server(server_url, code, true).await
    }

    async fn join_server(&self, server_url: &str, code: &str, again: bool) -> Result<SyncView, ErrorPayload> {
        let locale = self.settings().locale;
        if self.data_dir().is_demo() {
            return Err(ErrorPayload::new(
                ErrorCode::NotPermitted,
                self.localizer.format(locale, "error-demo-not-enrollable", &[]),
            ));
        }
        let server_url = server_url.trim();
        if !(server_url.starts_with("http://") || server_url.starts_with("https://")) || server_url.len() < 10 {
            return Err(ErrorPayload::new(
                ErrorCode::InvalidInput,
                self.localizer.format(locale, "error-server-url", &[]),
            ));
        }
        // Checked here, not only by the screen: only an administrator joins this device to a server.
        let role = self.session().store().map(|store| store.operator().role);
        match role {
            None => return Err(self.locked_error(locale)),
            Some(role) if !role.may(porta::store::Permission::ManageOperators) => {
                return Err(self.payload(&porta::store::StoreError::NotPermitted));
            }
            Some(_) => {}
        }
        let client = SyncClient::new(server_url).learning_time(self.server_clock.clone());
        let joined = match again {
            false => client.enroll(self.session.as_ref(), code, self.clock.as_ref(), &self.random).await,
            true => client.reenroll(self.session.as_ref(), code, self.clock.as_ref(), &self.random).await,
        };
        joined.map_err(|error| error.payload(&self.localizer, locale))?;
        self.sync.nudge();
        Ok(self.sync_view())
    }

    /// The conflicts to review, each with the name of its folder's person.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>, ErrorPayload> {
        let locale = self.settings().locale;
        let localized = |error: &porta::store::StoreError| ErrorPayload::localized(error, &self.localizer, locale);
        let session = self.session();
        let store = session.store().ok_or_else(|| self.locked_error(locale))?;
        let conflicts = store.conflicts(None).map_err(|error| localized(&error))?;
        let mut names: std::collections::HashMap<uuid::Uuid, String> = std::collections::HashMap::new();
        conflicts
            .into_iter()
            .map(|conflict| {
                let person = match names.entry(conflict.folder_id) {
                    std::collections::hash_map::Entry::Occupied(known) => known.get().clone(),
                    // The directory of services is nobody's folder: named as the menu names it.
                    std::collections::hash_map::Entry::Vacant(slot)
                        if conflict.folder_id == porta::folder::directory::DIRECTORY_FOLDER =>
                    {
                        slot.insert(self.localizer.format(locale, "nav-directory", &[])).clone()
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        let person =
                            store.person(conflict.folder_id, self.clock.as_ref()).map_err(|error| localized(&error))?;
                        slot.insert(format!("{} {}", person.details.given_names, person.details.family_name)).clone()
                    }
                };
                Ok(ConflictView::new(person, conflict))
            })
            .collect()
    }

    /// Settles a conflict with a new change-log entry, nudges sync so the other devices learn
    /// it, and answers the conflicts still to review.
    pub fn resolve_conflict(
        &self,
        entity: porta::folder::Entity,
        row_id: uuid::Uuid,
        topic: &str,
        resolution: &porta::store::conflicts::Resolution,
    ) -> Result<Vec<ConflictView>, ErrorPayload> {
        let locale = self.settings().locale;
        {
            let mut session = self.session();
            let store = session.store_mut().ok_or_else(|| self.locked_error(locale))?;
            store
                .resolve_conflict(entity, row_id, topic, resolution, self.clock.as_ref())
                .map_err(|error| ErrorPayload::localized(&error, &self.localizer, locale))?;
        }
        self.sync.nudge();
        self.conflicts()
    }

    pub(crate) fn locked_error(&self, locale: Locale) -> ErrorPayload {
        ErrorPayload::new(ErrorCode::StoreLocked, self.localizer.format(locale, "error-store-locked", &[]))
    }

    /// Switches to the language tagged `tag` and saves it. On failure nothing changes.
    pub fn set_locale(&self, tag: &str) -> Result<AppInfo, ErrorPayload> {
        let current = self.settings().locale;
        let locale: Locale = tag.parse().map_err(|_| {
            ErrorPayload::new(
                ErrorCode::UnknownLocale,
                self.localizer.format(current, "error-unknown-locale", &[("locale", tag.to_owned())]),
            )
        })?;
        {
            let mut settings = self.settings();
            let changed = Settings { locale, ..settings.clone() };
            changed
                .save(&self.data_dir().settings_file())
                .map_err(|error| ErrorPayload::localized(&error, &self.localizer, current))?;
            *settings = changed;
        }
        Ok(self.app_info())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use porta::store::DatabaseStatus;

    use super::*;

    fn open_in(dir: &tempfile::TempDir) -> AppState {
        AppState::open(Some(dir.path().to_owned()), std::sync::Arc::new(porta::clock::SystemClock)).unwrap()
    }

    /// A state in `dir`, past its first run, unlocked by its administrator.
    pub(crate) fn unlocked_admin(dir: &tempfile::TempDir) -> AppState {
        let state =
            AppState::open(Some(dir.path().to_owned()), std::sync::Arc::new(porta::clock::SystemClock)).unwrap();
        state.set_up(first_run("una frase lunga e rara")).unwrap();
        state
    }

    pub(crate) fn first_run(passphrase: &str) -> FirstRunInput {
        FirstRunInput {
            device_name: "Portatile 1".into(),
            office: "Galatina".into(),
            admin_login: "admin".into(),
            admin_name: "Anna Esempio".into(),
            passphrase: passphrase.into(),
        }
    }

    #[test]
    fn an_ambito_operator_awaiting_a_first_access_activates_with_the_code() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        state.set_up(first_run("una frase lunga e rara")).unwrap();
        let account = porta::sync::protocol::OperatorAccount {
            id: uuid::Uuid::now_v7(),
            login: "m.rossi".into(),
            display_name: "Maria Rossi".into(),
            role: porta::store::Role::Mediator,
            disabled: false,
            activation: Some(porta::sync::protocol::Activation {
                lock: porta::activation::ActivationLock::for_code(
                    "4TQX-9MKD-2HWP",
                    porta::keys::PASSPHRASE_KDF,
                    &state.random,
                )
                .unwrap(),
                expires_ms: porta::clock::SystemClock.now_ms() + 60_000,
                health_key: None,
            }),
        };
        let clock = porta::clock::SystemClock;
        let applied = state.session().store_mut().unwrap().apply_operator_accounts(&[account], &clock, &state.random);
        assert_eq!(applied.unwrap(), porta::store::CurrentOperator::Allowed);
        let locked = state.lock();
        let expected = SessionView::Locked { logins: vec!["admin".into()], activations: vec!["m.rossi".into()] };
        assert_eq!(locked.session, expected);
        let short = state.activate("m.rossi", "4TQX-9MKD-2HWP", "corta").unwrap_err();
        assert_eq!(short.code, ErrorCode::PassphraseTooShort);
        let first = state.unlock("m.rossi", "la frase di Maria Rossi").unwrap_err();
        assert_eq!(first.code, ErrorCode::ActivationRequired);
        assert!(first.message.contains("Primo accesso"), "{}", first.message);
        let opened = state.activate("m.rossi", "4tqx 9mkd 2hwp", "la frase di Maria Rossi").unwrap();
        assert!(matches!(&opened.session, SessionView::Unlocked { operator, .. } if operator.login == "m.rossi"));
        state.lock();
        assert!(state.unlock("m.rossi", "la frase di Maria Rossi").is_ok());
    }

    #[test]
    fn first_run_unlock_and_lock_move_the_session_along() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        assert_eq!(state.app_info().session, SessionView::NotSetUp);

        let done = state.set_up(first_run("una frase lunga e rara")).unwrap();
        assert_eq!(done.recovery_key.len(), 29);
        assert!(
            matches!(&done.info.session, SessionView::Unlocked { operator, health_key_missing: false } if operator.login == "admin")
        );

        let locked = state.lock();
        assert_eq!(locked.session, SessionView::Locked { logins: vec!["admin".into()], activations: Vec::new() });
        let wrong = state.unlock("admin", "non è lei").unwrap_err();
        assert_eq!(wrong.code, ErrorCode::WrongPassphrase);
        assert!(wrong.message.starts_with("Frase segreta sbagliata"), "{}", wrong.message);
        assert!(matches!(
            state.unlock("admin", "una frase lunga e rara").unwrap().session,
            SessionView::Unlocked { .. }
        ));

        state.lock();
        let reset = state.reset_passphrase("admin", &done.recovery_key, "la nuova frase segreta").unwrap();
        assert!(matches!(reset.session, SessionView::Unlocked { .. }));
    }

    #[test]
    fn enrollment_refuses_a_wrong_address_and_says_when_the_server_does_not_answer() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        state.set_up(first_run("una frase lunga e rara")).unwrap();
        let view = state.sync_view();
        assert_eq!(view.enrollment, None);

        let typo = tauri::async_runtime::block_on(state.enroll_device("porta.ambito.example", "ZJW9-B11N-V7ZG"));
        let typo = typo.unwrap_err();
        assert_eq!(typo.code, ErrorCode::InvalidInput);
        assert!(typo.message.contains("https://"), "{}", typo.message);

        // Nothing listens on the discard port of this computer (a code for plain HTTP).
        let code = porta::enrollment_code::EnrollmentCode::new(None, &state.random).unwrap().display();
        let silent = tauri::async_runtime::block_on(state.enroll_device("http://127.0.0.1:9", &code));
        let silent = silent.unwrap_err();
        assert_eq!(silent.code, ErrorCode::ServerUnreachable);
        assert!(silent.message.contains("connessione"), "{}", silent.message);
        assert_eq!(state.sync_view().enrollment, None, "nothing was saved");

        // Plain HTTP to another computer: refused by the device before anything is sent.
        let plain =
            tauri::async_runtime::block_on(state.enroll_device("http://porta.ambito.example", "ZJW9-B11N-V7ZG"));
        let plain = plain.unwrap_err();
        assert_eq!(plain.code, ErrorCode::InsecureServerAddress);
        assert!(plain.message.contains("https://"), "{}", plain.message);

        // Only an administrator enrolls the device, whatever the screen shows.
        state
            .add_operator(
                "fatima",
                "Fatima Mediatrice",
                porta::store::Role::Mediator,
                "una frase per fatima mediatrice",
            )
            .unwrap();
        state.lock();
        state.unlock("fatima", "una frase per fatima mediatrice").unwrap();
        let mediator =
            tauri::async_runtime::block_on(state.enroll_device("https://porta.ambito.example", "ZJW9-B11N-V7ZG"));
        assert_eq!(mediator.unwrap_err().code, ErrorCode::NotPermitted);
        assert_eq!(state.sync_view().enrollment, None, "nothing was saved");

        state.lock();
        assert_eq!(state.sync_view().enrollment, None, "locked: nothing to show");
    }

    #[test]
    fn a_short_passphrase_at_first_run_is_refused_and_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        let error = state.set_up(first_run("corta")).unwrap_err();
        assert_eq!(error.code, ErrorCode::PassphraseTooShort);
        assert!(error.message.contains("12"), "{}", error.message);
        assert_eq!(state.app_info().session, SessionView::NotSetUp);
        assert_eq!(state.app_info().database, DatabaseStatus::NotCreated);
    }

    #[test]
    fn a_mistyped_recovery_key_is_refused_with_its_own_code() {
        let dir = tempfile::tempdir().unwrap();
        let state = open_in(&dir);
        let done = state.set_up(first_run("una frase lunga e rara")).unwrap();
        state.lock();
        let mut typo = done.recovery_key.clone().into_bytes();
        typo[0] = if typo[0] == b'A' { b'B' } else { b'A' };
        let error =
            state.reset_passphrase("admin", &String::from_utf8(typo).unwrap(), "la nuova frase segreta").unwrap_err();
        assert_eq!(error.code, ErrorCode::RecoveryKeyMistyped);
        assert!(matches!(state.app_info().session, SessionView::Locked { .. }));
    }

    #[test]
    fn a_new_installation_speaks_italian_and_has_no_database() {
        let dir = tempfile::tempdir().unwrap();
        let info = open_in(&dir).app_info();
        assert_eq!(info.locale, Locale::It);
        assert_eq!(info.version, crate::APP_VERSION);
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
        assert_eq!(
            keys,
            [
                "ambitoName",
                "dataDir",
                "database",
                "demo",
                "locale",
                "lockAfterMinutes",
                "session",
                "settingsProblem",
                "version"
            ]
        );
    }
}

#[cfg(test)]
mod conflict_tests {
    use porta::clock::{Clock, SystemClock};
    use porta::folder::Entity;
    use porta::folder::person::PersonDetails;
    use porta::hlc::Hlc;
    use porta::store::change_log::ChangeEntry;
    use porta::store::conflicts::Resolution;

    use super::*;

    /// An entry written now on another device that never saw this one's writes: `field` of the
    /// row `(entity, row, folder)` set to `value`.
    fn from_another_device(
        (entity, row_id, folder_id): (Entity, uuid::Uuid, uuid::Uuid),
        field: &str,
        value: &str,
    ) -> ChangeEntry {
        let other = uuid::Uuid::now_v7();
        ChangeEntry {
            op_id: uuid::Uuid::now_v7(),
            device_id: other,
            seq: 1,
            hlc: Hlc { wall_ms: SystemClock.now_ms(), counter: 0, device: other },
            operator_id: uuid::Uuid::now_v7(),
            entity,
            row_id,
            folder_id,
            field: field.into(),
            value: serde_json::json!(value),
            base: None,
            saw: Vec::new(),
            schema_version: porta::store::SCHEMA_VERSION,
        }
    }

    #[test]
    fn conflicts_are_listed_with_the_person_and_a_resolution_settles_them() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(Some(dir.path().to_owned()), Arc::new(SystemClock)).unwrap();
        state.set_up(super::tests::first_run("una frase lunga e rara")).unwrap();
        let clock = SystemClock;
        let folder = {
            let mut session = state.session();
            let store = session.store_mut().unwrap();
            let person =
                PersonDetails { family_name: "Diallo".into(), given_names: "Aminata".into(), ..Default::default() };
            let folder = store.create_person(&person, &clock).unwrap();
            // Another device, which never saw this value, wrote the same field meanwhile.
            let entry = from_another_device((Entity::Person, folder, folder), "given_names", "Aminatà");
            store.apply_entries(&[entry], &clock).unwrap();
            folder
        };
        let listed = state.conflicts().unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].person.ends_with("Diallo"), "{}", listed[0].person);
        let conflict = &listed[0];
        assert_eq!((conflict.folder_id, conflict.topic.as_str()), (folder, "given_names"));
        assert_eq!((conflict.field.as_deref(), conflict.deletion), (Some("given_names"), false));
        let keep = Resolution::Keep { hlc: conflict.versions[0].version.parse().unwrap() };
        let left = state.resolve_conflict(conflict.entity, conflict.row_id, &conflict.topic, &keep).unwrap();
        assert!(left.is_empty());

        state.lock();
        assert_eq!(state.conflicts().unwrap_err().code, ErrorCode::StoreLocked);
    }

    #[test]
    fn a_conflict_in_the_directory_of_services_is_listed_under_the_directory() {
        use porta::folder::directory::DIRECTORY_FOLDER;
        use porta::folder::organisation::OrganisationDetails;
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(Some(dir.path().to_owned()), Arc::new(SystemClock)).unwrap();
        state.set_up(super::tests::first_run("una frase lunga e rara")).unwrap();
        let clock = SystemClock;
        let person =
            PersonDetails { family_name: "Diallo".into(), given_names: "Aminata".into(), ..Default::default() };
        let (folder, service) = {
            let mut session = state.session();
            let store = session.store_mut().unwrap();
            let folder = store.create_person(&person, &clock).unwrap();
            let service = store.save_organisation(None, &OrganisationDetails::example(), &clock).unwrap();
            (folder, service)
        };
        // Another office's administrator changed the telephone meanwhile.
        let entry = from_another_device((Entity::Organisation, service, DIRECTORY_FOLDER), "phone", "0836 999999");
        state.session().store_mut().unwrap().apply_entries(&[entry], &clock).unwrap();
        let listed = state.conflicts().unwrap();
        assert_eq!(listed.len(), 1, "the list still opens: the directory is nobody's folder");
        assert_eq!((listed[0].person.as_str(), listed[0].in_directory), ("Servizi del territorio", true));
        assert_eq!(listed[0].row_id, service);
        assert_ne!(listed[0].folder_id, folder);
    }
}

//! What an administrator sets on this device: the Ambito's name, the data controller and the
//! data protection officer the privacy notice names, the automatic lock, and the operators
//! who may unlock it.

use porta::keys::{Passphrase, RecoveryKey};
use porta::rules::stp_eni::EniValidity;
use porta::settings::DataController;
use porta::store::{Permission, Role, Store, StoreError};
use porta::{ErrorPayload, Settings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppState;
use crate::app_info::OperatorView;

/// The settings screen: what is set, and who may unlock this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub ambito_name: String,
    pub lock_after_minutes: u32,
    pub data_controller: Option<DataController>,
    /// Days before a permit's expiry from which Home lists its renewal.
    pub renewal_window_days: u32,
    /// Where the ENI codes issued here may be used.
    pub eni_validity: EniValidity,
    pub operators: Vec<OperatorView>,
    /// Operators are added here only before the device is enrolled; then the Ambito's server
    /// manages them.
    pub enrolled: bool,
}

/// What the settings screen saves.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsInput {
    pub ambito_name: String,
    pub lock_after_minutes: u32,
    pub data_controller: Option<DataController>,
    pub renewal_window_days: u32,
    pub eni_validity: EniValidity,
}

/// The automatic lock: between one minute and two hours.
const LOCK_MINUTES: std::ops::RangeInclusive<u32> = 1..=120;

impl AppState {
    /// Refuses what only an administrator may do, and a locked store.
    fn as_administrator<R>(&self, act: impl FnOnce(&mut Store) -> Result<R, StoreError>) -> Result<R, ErrorPayload> {
        let locale = self.settings().locale;
        let mut session = self.session();
        let store = session.store_mut().ok_or_else(|| self.locked_error(locale))?;
        if !store.operator().role.may(Permission::ManageOperators) {
            return Err(self.payload(&StoreError::NotPermitted));
        }
        act(store).map_err(|error| self.payload(&error))
    }

    /// The settings and the operators of this device (administrators).
    pub fn settings_view(&self) -> Result<SettingsView, ErrorPayload> {
        let settings = self.settings().clone();
        let (operators, enrolled) = self.as_administrator(|store| {
            let operators = store
                .operators()?
                .into_iter()
                .map(|operator| OperatorView {
                    login: operator.login,
                    display_name: operator.display_name,
                    role: operator.role,
                })
                .collect();
            Ok((operators, store.enrollment()?.is_some()))
        })?;
        Ok(SettingsView {
            ambito_name: settings.ambito_name,
            lock_after_minutes: settings.lock_after_minutes,
            data_controller: settings.data_controller,
            renewal_window_days: settings.renewal_window_days,
            eni_validity: settings.eni_validity,
            operators,
            enrolled,
        })
    }

    fn invalid(&self, field: &'static str, problem: porta::folder::Problem) -> ErrorPayload {
        self.payload(&StoreError::Invalid(porta::folder::Invalid::new(field, problem)))
    }

    /// Saves the settings; on a wrong value nothing changes and the message names the field.
    pub fn save_settings(&self, input: SettingsInput) -> Result<SettingsView, ErrorPayload> {
        use porta::folder::Problem;
        self.as_administrator(|_| Ok(()))?;
        let ambito_name = input.ambito_name.trim().to_owned();
        if ambito_name.is_empty() {
            return Err(self.invalid("field-ambito-name", Problem::Required));
        }
        if !LOCK_MINUTES.contains(&input.lock_after_minutes) {
            return Err(self.invalid("field-lock-after-minutes", Problem::OutOfRange));
        }
        let window = i64::from(input.renewal_window_days);
        if !(porta::store::MIN_RENEWAL_WINDOW_DAYS..=porta::store::MAX_RENEWAL_WINDOW_DAYS).contains(&window) {
            return Err(self.invalid("field-renewal-window-days", Problem::OutOfRange));
        }
        let data_controller = match input.data_controller {
            None => None,
            Some(controller) => {
                let trimmed = DataController {
                    name: controller.name.trim().to_owned(),
                    address: controller.address.trim().to_owned(),
                    email: controller.email.trim().to_owned(),
                    dpo_email: controller.dpo_email.trim().to_owned(),
                };
                let fields = [
                    ("field-controller-name", &trimmed.name),
                    ("field-controller-address", &trimmed.address),
                    ("field-controller-email", &trimmed.email),
                    ("field-dpo-email", &trimmed.dpo_email),
                ];
                if fields.iter().all(|(_, value)| value.is_empty()) {
                    None
                } else {
                    if let Some((field, _)) = fields.iter().find(|(_, value)| value.is_empty()) {
                        return Err(self.invalid(field, Problem::Required));
                    }
                    for (field, value) in &fields[2..] {
                        if !value.contains('@') || value.contains(char::is_whitespace) {
                            return Err(self.invalid(field, Problem::Malformed));
                        }
                    }
                    Some(trimmed)
                }
            }
        };
        {
            let mut settings = self.settings();
            let changed = Settings {
                ambito_name,
                lock_after_minutes: input.lock_after_minutes,
                data_controller,
                renewal_window_days: input.renewal_window_days,
                eni_validity: input.eni_validity,
                ..settings.clone()
            };
            changed.save(&self.data_dir().settings_file()).map_err(|error| self.payload(&error))?;
            *settings = changed;
        }
        self.session().set_idle_limit(std::time::Duration::from_secs(u64::from(input.lock_after_minutes) * 60));
        self.settings_view()
    }

    /// Adds an operator who unlocks this device with `passphrase` (before enrollment).
    pub fn add_operator(
        &self,
        login: &str,
        display_name: &str,
        role: Role,
        passphrase: &str,
    ) -> Result<SettingsView, ErrorPayload> {
        let passphrase = Passphrase::new(passphrase).map_err(|error| self.payload(&error))?;
        let clock = self.clock();
        let random = ring::rand::SystemRandom::new();
        self.as_administrator(|store| {
            if store.enrollment()?.is_some() {
                return Err(StoreError::NotPermitted);
            }
            store.add_operator(login.trim(), display_name.trim(), role, &passphrase, clock.as_ref(), &random)
        })?;
        self.settings_view()
    }

    /// Gives an operator another role.
    pub fn set_operator_role(&self, login: &str, role: Role) -> Result<SettingsView, ErrorPayload> {
        let random = ring::rand::SystemRandom::new();
        self.as_administrator(|store| store.set_operator_role(login, role, &random))?;
        self.settings_view()
    }

    /// Sets a new passphrase for an operator who forgot theirs, with the recovery key.
    pub fn reset_operator_passphrase(
        &self,
        login: &str,
        recovery_key: &str,
        new_passphrase: &str,
    ) -> Result<SettingsView, ErrorPayload> {
        let recovery: RecoveryKey = recovery_key.parse().map_err(|error| self.payload(&error))?;
        let passphrase = Passphrase::new(new_passphrase).map_err(|error| self.payload(&error))?;
        let random = ring::rand::SystemRandom::new();
        self.as_administrator(|store| store.reset_passphrase_of(&recovery, login, &passphrase, &random))?;
        self.settings_view()
    }
}

#[cfg(test)]
mod tests {
    use porta::ErrorCode;

    use super::*;

    #[test]
    fn settings_are_saved_checked_and_operators_added_and_given_a_role() {
        let dir = tempfile::tempdir().unwrap();
        let state =
            AppState::open(Some(dir.path().to_owned()), std::sync::Arc::new(porta::clock::SystemClock)).unwrap();
        let done = state.set_up(crate::state::tests::first_run("una frase lunga e rara")).unwrap();
        let controller = DataController {
            name: "Comune di Galatina".into(),
            address: "Piazza Alighieri 51".into(),
            email: "protocollo@comune.example".into(),
            dpo_email: "rpd@comune.example".into(),
        };
        let input = |minutes, controller: Option<DataController>| SettingsInput {
            ambito_name: "Ambito di Galatina".into(),
            lock_after_minutes: minutes,
            data_controller: controller,
            renewal_window_days: 60,
            eni_validity: EniValidity::IssuingRegion,
        };
        let refused = state.save_settings(input(0, Some(controller.clone()))).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        let half = DataController { dpo_email: String::new(), ..controller.clone() };
        assert!(state.save_settings(input(10, Some(half))).unwrap_err().message.contains("protezione dei dati"));
        assert_eq!(state.settings_view().unwrap().data_controller, None, "a refused save changes nothing");

        // The renewal window: from 30 to 120 days before expiry.
        for days in [29, 121] {
            let refused =
                state.save_settings(SettingsInput { renewal_window_days: days, ..input(5, None) }).unwrap_err();
            assert!(refused.message.contains("rinnovo"), "{}", refused.message);
        }
        assert_eq!(state.settings_view().unwrap().renewal_window_days, 60, "the sourced default");

        let saved = state
            .save_settings(SettingsInput { renewal_window_days: 90, ..input(5, Some(controller.clone())) })
            .unwrap();
        assert_eq!((saved.lock_after_minutes, saved.data_controller), (5, Some(controller)));
        assert_eq!(saved.renewal_window_days, 90);
        assert_eq!(Settings::load(&state.data_dir().settings_file()).unwrap().ambito_name, "Ambito di Galatina");

        let view = state.add_operator("fatima", "Fatima Mediatrice", Role::Mediator, "una frase per fatima").unwrap();
        assert_eq!(view.operators.iter().map(|o| o.login.as_str()).collect::<Vec<_>>(), ["admin", "fatima"]);
        let view = state.set_operator_role("fatima", Role::Operator).unwrap();
        assert_eq!(view.operators[1].role, Role::Operator);
        assert_eq!(state.set_operator_role("admin", Role::Mediator).unwrap_err().code, ErrorCode::NotPermitted);
        state.reset_operator_passphrase("fatima", &done.recovery_key, "la nuova frase di fatima").unwrap();
        state.lock();
        assert!(state.unlock("fatima", "la nuova frase di fatima").is_ok());
        assert_eq!(state.settings_view().unwrap_err().code, ErrorCode::NotPermitted, "an operator is no administrator");
    }
}

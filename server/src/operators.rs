//! Operator accounts of the Ambito (`porta-server operators`): created here with a one-time
//! activation code the administrator hands to the person, who opens each device of the
//! office with it once and chooses a passphrase there. The server keeps and sends only the
//! code's lock (`porta_wire::activation`). Devices receive the accounts of their
//! office at enrollment and with every sync round (`GET /api/v1/operators`).

use porta_wire::activation::{ActivationLock, PASSPHRASE_KDF};
use porta_wire::enrollment_code::new_secret;
use porta_wire::protocol::{Activation, OperatorAccount, health_key_seal_context};
use porta_wire::role::{Permission, Role};
use ring::rand::SecureRandom;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::storage::{OperatorChange, OperatorError, OperatorRecord, StorageError, SyncStore};

/// How long an activation code is valid unless the administrator says otherwise.
pub const DEFAULT_ACTIVATION_DAYS: u64 = 7;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// An activation code as shown once to the administrator. The server keeps only its lock
/// ([`ActivationLock`]), from which the code cannot be read back.
#[derive(Clone)]
pub struct IssuedCode {
    pub code: Zeroizing<String>,
    pub expires_ms: u64,
}

impl std::fmt::Debug for IssuedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCode").field("code", &"<redacted>").field("expires_ms", &self.expires_ms).finish()
    }
}

fn activation(days: u64, now_ms: u64, random: &dyn SecureRandom) -> Result<(IssuedCode, Activation), OperatorError> {
    let no_randomness = |_| OperatorError::Storage(StorageError::Failed("no randomness".into()));
    let code = Zeroizing::new(new_secret(random).map_err(no_randomness)?);
    let lock = ActivationLock::for_code(&code, PASSPHRASE_KDF, random).map_err(no_randomness)?;
    let expires_ms = now_ms + days * DAY_MS;
    Ok((IssuedCode { code, expires_ms }, Activation { lock, expires_ms, health_key: None }))
}

/// Creates an account in `office` with an activation code valid `days`; returns the account
/// and the code, which is shown once and stored nowhere.
#[allow(clippy::too_many_arguments)] // One account's fields, as the command line gives them.
pub fn create(
    storage: &dyn SyncStore,
    login: &str,
    display_name: &str,
    role: Role,
    office: &str,
    days: u64,
    now_ms: u64,
    random: &dyn SecureRandom,
) -> Result<(OperatorRecord, IssuedCode), OperatorError> {
    let (code, activation) = activation(days, now_ms, random)?;
    let operator = OperatorRecord {
        id: Uuid::now_v7(),
        login: login.trim().to_owned(),
        display_name: display_name.trim().to_owned(),
        role,
        office: office.to_owned(),
        disabled: false,
        activation: Some(activation),
    };
    storage.add_operator(&operator)?;
    Ok((operator, code))
}

/// Gives the account with `login` a new activation code valid `days`; none when there is no
/// such account. Devices that receive it let the person try again from zero failed attempts.
pub fn reactivate(
    storage: &dyn SyncStore,
    login: &str,
    days: u64,
    now_ms: u64,
    random: &dyn SecureRandom,
) -> Result<Option<IssuedCode>, OperatorError> {
    let (code, activation) = activation(days, now_ms, random)?;
    let changed = storage.change_operator(login, &OperatorChange::Activation(activation))?;
    Ok(changed.then_some(code))
}

/// The accounts of `office` as devices receive them: an expired code is not sent, and the
/// activation of a role that may read health-restricted content carries the Ambito's health
/// key sealed to the code's lock (sealed as it is sent, so a role changed while the code is
/// valid gets it or loses it at once).
pub fn accounts_of(
    storage: &dyn SyncStore,
    office: &str,
    now_ms: u64,
    random: &dyn SecureRandom,
) -> Result<Vec<OperatorAccount>, StorageError> {
    let health = storage.health_key(random)?;
    Ok(storage
        .operators(Some(office))?
        .into_iter()
        .map(|operator| {
            let role = operator.role;
            let activation =
                operator.activation.filter(|activation| activation.expires_ms > now_ms).map(|mut activation| {
                    activation.health_key = role
                        .may(Permission::ReadHealthRestricted)
                        .then(|| {
                            let context = health_key_seal_context(&activation.lock);
                            activation.lock.seal(health.bytes(), context.as_bytes(), random).ok()
                        })
                        .flatten();
                    activation
                });
            OperatorAccount {
                id: operator.id,
                login: operator.login,
                display_name: operator.display_name,
                role,
                disabled: operator.disabled,
                activation,
            }
        })
        .collect())
}

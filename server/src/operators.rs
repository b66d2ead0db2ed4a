//! Operator accounts of the Ambito (`porta-server operators`): created here with a one-time
//! activation code the administrator hands to the person, who opens each device of the
//! office with it once and chooses a passphrase there. Devices receive the accounts of their
//! office at enrollment and with every sync round (`GET /api/v1/operators`).

use porta_wire::protocol::{Activation, OperatorAccount};
use porta_wire::role::Role;
use ring::rand::SecureRandom;
use uuid::Uuid;

use crate::enrollment::new_code;
use crate::storage::{OperatorChange, OperatorError, OperatorRecord, SyncStore};

/// How long an activation code is valid unless the administrator says otherwise.
pub const DEFAULT_ACTIVATION_DAYS: u64 = 7;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

fn activation(days: u64, now_ms: u64, random: &dyn SecureRandom) -> Result<Activation, OperatorError> {
    let code = new_code(random)
        .map_err(|_| OperatorError::Storage(crate::storage::StorageError::Failed("no randomness".into())))?;
    Ok(Activation { code, expires_ms: now_ms + days * DAY_MS })
}

/// Creates an account in `office` with an activation code valid `days`; returns it.
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
) -> Result<OperatorRecord, OperatorError> {
    let operator = OperatorRecord {
        id: Uuid::now_v7(),
        login: login.trim().to_owned(),
        display_name: display_name.trim().to_owned(),
        role,
        office: office.to_owned(),
        disabled: false,
        activation: Some(activation(days, now_ms, random)?),
    };
    storage.add_operator(&operator)?;
    Ok(operator)
}

/// Gives the account with `login` a new activation code valid `days`; none when there is no
/// such account.
pub fn reactivate(
    storage: &dyn SyncStore,
    login: &str,
    days: u64,
    now_ms: u64,
    random: &dyn SecureRandom,
) -> Result<Option<Activation>, OperatorError> {
    let activation = activation(days, now_ms, random)?;
    let changed = storage.change_operator(login, &OperatorChange::Activation(activation.clone()))?;
    Ok(changed.then_some(activation))
}

/// The accounts of `office` as devices receive them: an expired code is not sent.
pub fn accounts_of(
    storage: &dyn SyncStore,
    office: &str,
    now_ms: u64,
) -> Result<Vec<OperatorAccount>, crate::storage::StorageError> {
    Ok(storage
        .operators(Some(office))?
        .into_iter()
        .map(|operator| OperatorAccount {
            id: operator.id,
            login: operator.login,
            display_name: operator.display_name,
            role: operator.role,
            disabled: operator.disabled,
            activation: operator.activation.filter(|activation| activation.expires_ms > now_ms),
        })
        .collect())
}

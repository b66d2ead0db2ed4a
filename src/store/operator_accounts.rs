//! The Ambito's operator accounts on this device, and its audit lines for the server.
//!
//! Accounts are managed on the server (`porta-server operators`) and arrive at enrollment
//! and with every sync round. The database key can only be wrapped by someone who has it,
//! and an operator who never opened this device has no passphrase here: so while the store
//! is unlocked (a sync round), the key is sealed to the lock of the account's one-time
//! activation code (the server never sends the code itself: `porta_wire::activation`). At
//! the lock screen the operator types the code once and chooses a passphrase, which replaces
//! that seal ([`Store::activate`]). A role change applies at the next unlock; a
//! disabled account loses its wraps and unlocks no more. An account created on this device
//! before enrollment is adopted by the server's account with the same login: its entries
//! carry the server's id from then on (those not sent yet too), and an account the server
//! does not adopt is disabled once the device is enrolled — the server's accounts are the
//! only ones.

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::{Store, StoreError};
use crate::DataDir;
use crate::clock::Clock;
use crate::keys::{KeyFile, Passphrase};
use crate::store::AuditAction;
use porta_wire::protocol::{AuditLine, OperatorAccount};

/// What applying the accounts changed for whoever is using the store now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentOperator {
    /// Still allowed (a role change applies at the next unlock).
    Allowed,
    /// Disabled on the server: the store must be locked.
    Disabled,
}

impl Store {
    /// Takes in the operator accounts of this device's office.
    pub fn apply_operator_accounts(
        &mut self,
        accounts: &[OperatorAccount],
        clock: &dyn Clock,
        random: &dyn ring::rand::SecureRandom,
    ) -> Result<CurrentOperator, StoreError> {
        let now = clock.now_ms();
        let mut key_file = KeyFile::load(&self.data_dir.key_file())?;
        let unchanged = key_file.clone();
        let health = self.health.clone();
        let transaction = self.conn.transaction()?;
        let mut current = CurrentOperator::Allowed;
        let mut adopted_current = None;
        for account in accounts {
            let local: Option<(Uuid, Option<Uuid>)> = transaction
                .query_row(
                    "SELECT id, server_id FROM operators WHERE server_id = ?1
                     UNION ALL SELECT id, server_id FROM operators WHERE login = ?2 AND server_id IS NULL LIMIT 1",
                    params![account.id, account.login],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let id = match local {
                Some((id, server_id)) => {
                    transaction
                        .execute(
                            "UPDATE operators SET server_id = ?2, display_name = ?3, role = ?4, disabled = ?5 WHERE id = ?1",
                            params![id, account.id, account.display_name, account.role.as_str(), account.disabled],
                        )?;
                    if server_id.is_none() && id != account.id {
                        // Adopted: what this account wrote here, not sent yet (the device was
                        // not enrolled), is the server account's, as everything it writes next.
                        if let (Some(old), Some((first, last))) = (
                            super::log_refs::known_id(&transaction, id)?,
                            super::log_refs::known_device_keys(&transaction, self.device_id)?,
                        ) {
                            let new = super::log_refs::Refs::default().id(&transaction, account.id)?;
                            transaction.execute(
                                "UPDATE changes SET operator_ref = ?2 WHERE operator_ref = ?1 AND key BETWEEN ?3 AND ?4",
                                params![old, new, first, last],
                            )?;
                        }
                        transaction.execute(
                            "UPDATE conflicts SET operator_id = ?2 WHERE operator_id = ?1",
                            params![id, account.id],
                        )?;
                        if id == self.operator.id {
                            adopted_current = Some(account.id);
                        }
                    }
                    id
                }
                None => {
                    let inserted = transaction.execute(
                        "INSERT INTO operators (id, login, display_name, role, disabled, created_ms, server_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?1) ON CONFLICT DO NOTHING",
                        params![
                            account.id,
                            account.login,
                            account.display_name,
                            account.role.as_str(),
                            account.disabled,
                            now as i64
                        ],
                    )?;
                    if inserted == 0 {
                        // The login belongs to another of the server's accounts here: the
                        // server keeps logins unique, so this one is stale; skip it.
                        continue;
                    }
                    account.id
                }
            };
            // The health key follows the server's role: given to a holder here whose role now
            // may read health content (when this session holds it), taken from one that may not.
            super::opening::give_health_key_by_role(health.as_ref(), &mut key_file, id, account.role, random);
            if account.disabled {
                key_file.remove_operator(id);
                if id == self.operator.id {
                    current = CurrentOperator::Disabled;
                }
            } else if let Some(activation) = account.activation.as_ref().filter(|a| a.expires_ms > now)
                && !key_file.activation_matches(id, &activation.lock.salt)
            {
                // A lock nobody could open (crafted) gives no first access; the rest goes on.
                // The health key only for a role that may read health content, whatever came.
                let mut activation = activation.clone();
                activation.health_key.take_if(|_| !account.role.may(super::Permission::ReadHealthRestricted));
                let _unusable = key_file.wrap_for_activation(id, &account.login, &activation, &self.key, random);
            }
        }
        let enrolled =
            transaction.query_row("SELECT count(*) FROM sync_enrollment", [], |row| row.get::<_, i64>(0))? > 0;
        if enrolled {
            // The server's accounts are the only ones: an account of this device that the
            // server did not adopt (no account with its login) opens it no more.
            let outside: Vec<Uuid> = transaction
                .prepare("SELECT id FROM operators WHERE server_id IS NULL AND disabled = 0")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in outside {
                transaction.execute("UPDATE operators SET disabled = 1 WHERE id = ?1", [id])?;
                key_file.remove_operator(id);
                if id == self.operator.id {
                    current = CurrentOperator::Disabled;
                }
            }
        }
        key_file.forget_expired_activations(now);
        // The key file first: a crash in between leaves a wrap without its operator row,
        // which unlock refuses, never an operator who cannot unlock. Most rounds change
        // nothing in it, and then it is not rewritten.
        if key_file != unchanged {
            key_file.save(&self.data_dir.key_file())?;
        }
        transaction.commit()?;
        if let Some(account_id) = adopted_current {
            self.operator.account_id = account_id;
        }
        Ok(current)
    }

    /// First access of an Ambito operator on this device: opens the store with the
    /// activation code and gives the operator `new_passphrase` here from now on.
    pub fn activate(
        data_dir: &DataDir,
        login: &str,
        code: &str,
        new_passphrase: &Passphrase,
        clock: &dyn Clock,
        random: &dyn ring::rand::SecureRandom,
    ) -> Result<Store, StoreError> {
        if !data_dir.database_file().exists() {
            return Err(StoreError::NotSetUp);
        }
        let hold = data_dir.hold()?;
        let mut key_file = KeyFile::load(&data_dir.key_file())?;
        let outcome = key_file.unlock_with_activation(login, code, clock.now_ms());
        key_file.save(&data_dir.key_file())?;
        let (operator_id, keys) = outcome?;
        let store = Self::open_as(data_dir, Some(hold), keys, operator_id)?;
        key_file.wrap_for_operator(operator_id, login, new_passphrase, &store.key, store.health.as_ref(), random);
        key_file.save(&data_dir.key_file())?;
        Ok(store)
    }

    /// This device's audit lines after number `after`, at most `limit`, for the server.
    pub fn audit_lines_after(&self, after: u64, limit: usize) -> Result<Vec<AuditLine>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            // The log is append-only: lines written before adoption carry the local id, and
            // travel with the server's.
            "SELECT a.id, a.at_ms, coalesce(o.server_id, a.operator_id), a.action, a.folder_id, a.section,
                    a.health_restricted
                 FROM audit_log a LEFT JOIN operators o ON o.id = a.operator_id
                 WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
        )?;
        let lines = statement
            .query_map(params![after as i64, limit as i64], |row| {
                let action: String = row.get(3)?;
                Ok(AuditLine {
                    seq: row.get::<_, i64>(0)? as u64,
                    at_ms: row.get::<_, i64>(1)? as u64,
                    operator_id: row.get(2)?,
                    action: AuditAction::from_stored(&action).ok_or(rusqlite::Error::InvalidColumnName(action))?,
                    folder_id: row.get(4)?,
                    section: row.get(5)?,
                    health_restricted: row.get(6)?,
                })
            })
            .and_then(|rows| rows.collect())?;
        Ok(lines)
    }

    /// The highest audit line the server has stored.
    pub fn audit_acknowledged(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT audit_acknowledged FROM sync_progress", [], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(StoreError::from)
    }

    /// Records that the server has stored the audit lines up to `acknowledged`.
    pub fn record_audit_push(&mut self, acknowledged: u64) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE sync_progress SET audit_acknowledged = max(audit_acknowledged, ?1)", [acknowledged as i64])
            .map(|_| ())
            .map_err(StoreError::from)
    }
}

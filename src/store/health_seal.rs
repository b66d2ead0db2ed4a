//! The Ambito's health key taking the place of the device's own at enrollment: every sealed
//! value is sealed again under it, and it is given to the holders allowed to read health
//! content (see [`porta_wire::health_key`] and the key file).

use ring::rand::SecureRandom;
use rusqlite::Connection;
use uuid::Uuid;

use super::{Permission, Store, StoreError};
use crate::folder::Entity;
use crate::keys::{HealthKey, KeyFile, KeyHolder};

/// How a sealed value's JSON text starts, as the store writes it.
const SEALED_PREFIX: &str = r#"{"sealed":"#;

impl Store {
    /// Takes in the Ambito's health key from the enrollment answer. Before its first
    /// enrollment a device seals with a key of its own; nothing it wrote has left it yet, so
    /// every sealed value is sealed again under the Ambito's key (change log, current values,
    /// conflicts), in one transaction, and the key is given to every holder here whose role
    /// may read health content, and to the recovery key. The same key again (a re-enrollment)
    /// changes nothing.
    pub fn adopt_health_key(&mut self, ambito: HealthKey, random: &dyn SecureRandom) -> Result<(), StoreError> {
        if self.health.as_ref() == Some(&ambito) {
            return Ok(());
        }
        // Only an administrator enrolls, and administrators hold the device's own key.
        let own = self.health.clone().ok_or(StoreError::HealthKeyMissing)?;
        let mut key_file = KeyFile::load(&self.data_dir.key_file())?;
        let operators = self.operators()?;
        key_file.give_health_key(
            &ambito,
            |holder| match holder {
                KeyHolder::Recovery => true,
                KeyHolder::Operator { operator_id, .. } | KeyHolder::Activation { operator_id, .. } => operators
                    .iter()
                    .any(|operator| operator.id == *operator_id && operator.role.may(Permission::ReadHealthRestricted)),
            },
            random,
        );
        let transaction = self.conn.transaction()?;
        reseal(&transaction, &own, &ambito)?;
        transaction.commit()?;
        // The database first: if the device stops before the key file is written, its holders
        // still open the old key, and joining the server again ("Collega di nuovo") seals
        // what the old key opens under the Ambito's and gives them the Ambito's.
        key_file.save(&self.data_dir.key_file())?;
        self.health = Some(ambito);
        Ok(())
    }
}

/// Seals every sealed value again, from `old` to `new`.
fn reseal(conn: &Connection, old: &HealthKey, new: &HealthKey) -> Result<(), StoreError> {
    // Each table, where its rows' section and field are read, and its key.
    for (table, from, key_columns) in [
        ("changes", "changes JOIN log_fields ON log_fields.ref = changes.field_ref", "key"),
        (
            "field_values",
            "field_values JOIN log_fields ON log_fields.ref = field_values.field_ref",
            "row_id, field_ref",
        ),
        ("conflicts", "conflicts", "entity, row_id, topic, hlc"),
    ] {
        let select = format!(
            "SELECT entity, row_id, field, value, {key_columns} FROM {from} WHERE value LIKE '{SEALED_PREFIX}%'"
        );
        let found: Vec<(String, Uuid, String, String, Vec<rusqlite::types::Value>)> = conn
            .prepare(&select)?
            .query_map([], |row| {
                let keys = (4..4 + key_columns.split(',').count()).map(|i| row.get(i)).collect::<Result<_, _>>()?;
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, keys))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let condition = key_columns
            .split(", ")
            .enumerate()
            .map(|(i, column)| format!("{column} = ?{}", i + 2))
            .collect::<Vec<_>>()
            .join(" AND ");
        let mut update = conn.prepare(&format!("UPDATE {table} SET value = ?1 WHERE {condition}"))?;
        for (entity, row_id, field, value, keys) in found {
            let Some(entity) = Entity::from_stored(&entity) else { continue };
            let sealed: serde_json::Value = serde_json::from_str(&value).unwrap_or_default();
            // A value this device cannot open was never its own: left as it is.
            let Some(plain) = old.open(entity, row_id, &field, &sealed) else { continue };
            let resealed = new.seal(entity, row_id, &field, &plain).to_string();
            let mut arguments: Vec<&dyn rusqlite::ToSql> = vec![&resealed];
            arguments.extend(keys.iter().map(|key| key as &dyn rusqlite::ToSql));
            update.execute(arguments.as_slice())?;
        }
    }
    Ok(())
}

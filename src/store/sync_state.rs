//! What this device keeps about syncing: its enrollment (server, signing key, office), how far
//! it has pulled and been acknowledged, and the entries the server refused. All of it lives in
//! the encrypted database, so the signing key is as safe as the folders.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::change_log::ChangeEntry;
use super::{Store, StoreError};
use crate::clock::Clock;
use porta_wire::protocol::{EnrollResponse, Rejection, RejectionCode};
use porta_wire::signing::DeviceKey;

/// This device's enrollment with the Ambito's server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    pub server_url: String,
    pub device_name: String,
    pub ambito: String,
    pub office: String,
    #[ts(type = "number")]
    pub enrolled_ms: u64,
    /// The SHA-256 fingerprint (hex) of the server's TLS certificate, pinned at enrollment.
    pub server_certificate: Option<String>,
}

/// A re-enrollment of this device, as its device events keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Reenrollment {
    #[ts(type = "number")]
    pub at_ms: u64,
    /// The administrator who did it (their account id).
    pub operator_id: uuid::Uuid,
    pub from_server: String,
    pub to_server: String,
}

/// Where sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// The server's cursor after the last page pulled.
    #[ts(type = "number")]
    pub pulled_cursor: u64,
    /// The highest of this device's sequence numbers the server holds.
    #[ts(type = "number")]
    pub acknowledged: u64,
    /// This device's entries not yet acknowledged.
    #[ts(type = "number")]
    pub waiting: u64,
    /// Entries the server refused, each with why: kept and shown, never dropped silently.
    #[ts(type = "Array<{ seq: number, code: string }>")]
    pub rejected: Vec<Rejection>,
}

/// Where a snapshot under way stands: the server position it is of, and the last folder taken
/// in (none yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotPlace {
    pub upto: u64,
    pub after: Option<uuid::Uuid>,
}

impl Store {
    /// Records a re-enrollment: the device joined its Ambito's server again (a new key, a
    /// renewed certificate, a new address), kept for good in the device events. The server
    /// still holds what it acknowledged, so sync goes on where it was.
    pub fn save_reenrollment(
        &mut self,
        server_url: &str,
        key: &DeviceKey,
        enrolled: &EnrollResponse,
        server_certificate: Option<&str>,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        let previous = self.enrollment()?.ok_or(StoreError::NotPermitted)?;
        let detail = serde_json::json!({ "from": previous.server_url, "to": server_url }).to_string();
        let transaction = self.conn.transaction()?;
        transaction.execute(
            "INSERT INTO device_events (at_ms, operator_id, event, detail) VALUES (?1, ?2, 'reenrolled', ?3)",
            params![clock.now_ms() as i64, self.operator.account_id, detail],
        )?;
        save_enrollment_in(&transaction, server_url, key, enrolled, server_certificate, clock)?;
        transaction.commit().map_err(StoreError::from)
    }

    /// This device's re-enrollments, oldest first.
    pub fn reenrollments(&self) -> Result<Vec<Reenrollment>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT at_ms, operator_id, detail FROM device_events WHERE event = 'reenrolled' ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            let detail: serde_json::Value = serde_json::from_str(&row.get::<_, String>(2)?).unwrap_or_default();
            let text = |key: &str| detail[key].as_str().unwrap_or_default().to_owned();
            Ok(Reenrollment {
                at_ms: row.get::<_, i64>(0)? as u64,
                operator_id: row.get(1)?,
                from_server: text("from"),
                to_server: text("to"),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the enrollment the server answered, with the key that signs from now on.
    pub fn save_enrollment(
        &mut self,
        server_url: &str,
        key: &DeviceKey,
        enrolled: &EnrollResponse,
        server_certificate: Option<&str>,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        save_enrollment_in(&self.conn, server_url, key, enrolled, server_certificate, clock).map_err(StoreError::from)
    }

    /// The enrollment, if this device is enrolled.
    pub fn enrollment(&self) -> Result<Option<Enrollment>, StoreError> {
        self.conn
            .query_row(
                "SELECT server_url, device_name, ambito, office, enrolled_ms, server_certificate FROM sync_enrollment",
                [],
                |row| {
                    Ok(Enrollment {
                        server_url: row.get(0)?,
                        device_name: row.get(1)?,
                        ambito: row.get(2)?,
                        office: row.get(3)?,
                        enrolled_ms: row.get::<_, i64>(4)? as u64,
                        server_certificate: row.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(StoreError::from)
    }

    /// The key that signs this device's requests, once enrolled.
    pub fn device_key(&self) -> Result<Option<DeviceKey>, StoreError> {
        let pkcs8: Option<Vec<u8>> =
            self.conn.query_row("SELECT device_key FROM sync_enrollment", [], |row| row.get(0)).optional()?;
        let pkcs8 = pkcs8.map(zeroize::Zeroizing::new);
        Ok(pkcs8.and_then(|pkcs8| DeviceKey::from_pkcs8(&pkcs8).ok()))
    }

    /// Where sync stands.
    pub fn sync_progress(&self) -> Result<SyncProgress, StoreError> {
        let (pulled_cursor, acknowledged): (i64, i64) =
            self.conn.query_row("SELECT pulled_cursor, acknowledged FROM sync_progress", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        let mut statement = self.conn.prepare("SELECT seq, code FROM sync_rejections ORDER BY seq")?;
        let rejected = statement
            .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
            .filter_map(|row| {
                let (seq, code) = row.ok()?;
                let code: RejectionCode = serde_json::from_value(serde_json::Value::String(code)).ok()?;
                Some(Rejection { seq: seq as u64, code })
            })
            .collect();
        let highest = self.highest_seq(self.device_id)?;
        Ok(SyncProgress {
            pulled_cursor: pulled_cursor as u64,
            acknowledged: acknowledged as u64,
            waiting: highest.saturating_sub(acknowledged as u64),
            rejected,
        })
    }

    /// Records the server's answer to a push: acknowledged up to `acknowledged`, and the
    /// entries it refused.
    pub fn record_push(&mut self, acknowledged: u64, rejected: &[Rejection]) -> Result<(), StoreError> {
        let transaction = self.conn.transaction()?;
        transaction.execute("UPDATE sync_progress SET acknowledged = max(acknowledged, ?1)", [acknowledged as i64])?;
        for rejection in rejected {
            let code = serde_json::to_value(rejection.code).expect("codes serialise");
            transaction.execute(
                "INSERT OR REPLACE INTO sync_rejections (seq, code) VALUES (?1, ?2)",
                params![rejection.seq as i64, code.as_str().unwrap_or_default()],
            )?;
        }
        transaction.commit().map_err(StoreError::from)
    }

    /// Applies a pulled page and moves the cursor past it, in one transaction: a crash
    /// leaves both before or both after.
    pub fn apply_pulled(
        &mut self,
        entries: &[ChangeEntry],
        cursor: u64,
        clock: &dyn Clock,
    ) -> Result<usize, StoreError> {
        self.apply_entries_and(entries, clock, |transaction| {
            transaction.execute("UPDATE sync_progress SET pulled_cursor = ?1", [cursor as i64]).map(|_| ())
        })
    }

    /// Where the snapshot this device starts from stands, while it is under way; `None` when
    /// it is whole, or never started.
    pub fn snapshot_under_way(&self) -> Result<Option<SnapshotPlace>, StoreError> {
        let place: (Option<i64>, Option<uuid::Uuid>) =
            self.conn.query_row("SELECT snapshot_upto, snapshot_after FROM sync_progress", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        Ok(place.0.map(|upto| SnapshotPlace { upto: upto as u64, after: place.1 }))
    }

    /// Takes in a page of the snapshot this device starts from, and where the snapshot stands
    /// after it, in one transaction: whole (`more` false), pulling goes on after `upto`.
    pub fn apply_snapshot_page(
        &mut self,
        entries: &[ChangeEntry],
        place: SnapshotPlace,
        more: bool,
        clock: &dyn Clock,
    ) -> Result<usize, StoreError> {
        self.apply_entries_and(entries, clock, |transaction| {
            if more {
                transaction.execute(
                    "UPDATE sync_progress SET snapshot_upto = ?1, snapshot_after = ?2",
                    params![place.upto as i64, place.after],
                )?;
            } else {
                transaction.execute(
                    "UPDATE sync_progress SET pulled_cursor = max(pulled_cursor, ?1), snapshot_upto = NULL, snapshot_after = NULL",
                    [place.upto as i64],
                )?;
            }
            Ok(())
        })
    }

    /// Gives up the snapshot under way: the device pulls from its cursor instead (from the
    /// start, for a device that never pulled).
    pub fn give_up_snapshot(&mut self) -> Result<(), StoreError> {
        self.conn.execute("UPDATE sync_progress SET snapshot_upto = NULL, snapshot_after = NULL", [])?;
        Ok(())
    }

    /// Erases this device's database and key file, on the administrator's order.
    pub fn wipe(self) {
        let data_dir = self.data_dir.clone();
        drop(self);
        super::opening::remove_store_files(&data_dir);
    }
}

fn save_enrollment_in(
    conn: &rusqlite::Connection,
    server_url: &str,
    key: &DeviceKey,
    enrolled: &EnrollResponse,
    server_certificate: Option<&str>,
    clock: &dyn Clock,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sync_enrollment
             (single, server_url, device_key, device_name, ambito, office, enrolled_ms, server_certificate)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (single) DO UPDATE SET server_url = excluded.server_url, device_key = excluded.device_key,
             device_name = excluded.device_name, ambito = excluded.ambito, office = excluded.office,
             enrolled_ms = excluded.enrolled_ms, server_certificate = excluded.server_certificate",
        params![
            server_url,
            key.pkcs8(),
            enrolled.device_name,
            enrolled.ambito,
            enrolled.office,
            clock.now_ms() as i64,
            server_certificate
        ],
    )?;
    Ok(())
}

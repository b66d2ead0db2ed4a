//! What the store's tests share: a store without the key's cost, people, the whole case-data
//! state to compare replicas, and syncing two stores in memory.

use rusqlite::Connection;
use uuid::Uuid;

use super::{AuditAction, Operator, Role, Store, change_log};
use crate::clock::ManualClock;
use crate::folder::person::{PartialDate, PersonDetails};

/// 26 November 2026, 10:00 in Rome.
pub(crate) const NOW_MS: u64 = 1_795_683_600_000;

/// A store on an in-memory database, as `role`: the folder logic without the key's cost.
pub(crate) fn store_as(role: Role) -> Store {
    Store::unencrypted(None, role)
}

/// The same store seen by another operator with `role` (same database).
pub(crate) fn as_role(store: Store, role: Role) -> Store {
    let id = Uuid::now_v7();
    let health = store.health.clone().filter(|_| role.may(super::Permission::ReadHealthRestricted));
    Store { operator: Operator { id, account_id: id, role, ..store.operator.clone() }, health, ..store }
}

pub(crate) fn person(family: &str, given: &str, year: Option<i16>) -> PersonDetails {
    PersonDetails {
        family_name: family.into(),
        given_names: given.into(),
        birth_date: year.map(|year| PartialDate { year, month: None, day: None, estimated: true }),
        ..Default::default()
    }
}

/// For each read of `folder` in the audit log, whether it touched health-restricted content.
pub(crate) fn restricted_reads(store: &Store, folder: Uuid) -> Vec<bool> {
    // Read under the store's feet: the role being tested may not read the access log.
    let accesses = super::audit::accesses(&store.conn, folder).unwrap();
    accesses.into_iter().filter(|a| a.action == AuditAction::Read).map(|a| a.health_restricted).collect()
}

pub(crate) fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0)).unwrap()
}

pub(crate) type FieldRow = (String, Vec<u8>, String, String, String);
pub(crate) type EntityRow = (String, Vec<u8>, Vec<u8>);

/// The whole case-data state: every field value (with its timestamp as text, which does not
/// depend on how this device numbers fields and devices) and every row's folder.
pub(crate) fn state(conn: &Connection) -> (Vec<FieldRow>, Vec<EntityRow>) {
    let mut values = conn
        .prepare(
            "SELECT f.entity, v.row_id, f.field, v.value, v.stamp, d.id FROM field_values v
             JOIN log_fields f ON f.ref = v.field_ref JOIN log_ids d ON d.ref = v.device_ref ORDER BY 1, 2, 3",
        )
        .unwrap();
    let values = values
        .query_map([], |r| {
            let hlc = crate::hlc::Hlc::from_stamp(&r.get::<_, Vec<u8>>(4)?, r.get(5)?).expect("a stamp");
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, hlc.encode()))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut rows = conn.prepare("SELECT entity, row_id, folder_id FROM entity_rows ORDER BY 1, 2").unwrap();
    let rows =
        rows.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap();
    (values, rows)
}

/// Everything `from` holds, taken in by `to`.
pub(crate) fn sync(from: &Store, to: &mut Store, clock: &ManualClock) {
    to.apply_entries(&change_log::all_entries(&from.conn).unwrap(), clock).unwrap();
}

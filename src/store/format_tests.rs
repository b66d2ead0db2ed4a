//! A database made by the release before the compact change log (migration 0017) opens with
//! the same entries, state (the current values compact too since 0019) and conflicts, and
//! goes on: `tests/fixtures/store-before-0017/`
//! (how it was made: `make_fixture.rs` there).

use super::change_log;
use super::test_support::{NOW_MS, person, state, store_as};
use super::*;
use crate::clock::ManualClock;

/// Embedded, so that the test finds them wherever it runs (under Wine too).
const DATABASE: &[u8] = include_bytes!("../../tests/fixtures/store-before-0017/data/porta.db");
const KEYS: &[u8] = include_bytes!("../../tests/fixtures/store-before-0017/data/porta.keys");
const EXPECTED: &str = include_str!("../../tests/fixtures/store-before-0017/expected.json");

fn conflicts(conn: &rusqlite::Connection) -> serde_json::Value {
    let rows: Vec<(String, Vec<u8>, String, String, String, String)> = conn
        .prepare("SELECT entity, row_id, topic, hlc, field, value FROM conflicts ORDER BY 1, 2, 3, 4")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    serde_json::to_value(rows).unwrap()
}

fn columns(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_database_of_the_release_before_opens_compacted_with_the_same_entries_state_and_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("porta.db"), DATABASE).unwrap();
    std::fs::write(dir.path().join("porta.keys"), KEYS).unwrap();
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    let data_dir = DataDir::resolve(Some(dir.path().to_owned())).unwrap();
    let clock = ManualClock::at(NOW_MS + 3_600_000);
    let mut store = Store::unlock(&data_dir, "admin", FirstRun::EXAMPLE_PASSPHRASE, &clock).unwrap();

    assert_eq!(
        columns(&store.conn, "changes"),
        [
            "key",
            "op_id",
            "stamp",
            "operator_ref",
            "field_ref",
            "row_id",
            "folder_id",
            "value",
            "base",
            "saw",
            "schema_version",
            "stamp_offset_ms"
        ]
    );
    assert_eq!(columns(&store.conn, "field_values"), ["row_id", "field_ref", "value", "stamp", "device_ref"]);
    let entries = change_log::all_entries(&store.conn).unwrap();
    assert!(entries.iter().any(|entry| entry.base.is_some()) && entries.iter().any(|entry| !entry.saw.is_empty()));
    assert_eq!(serde_json::to_value(&entries).unwrap(), expected["entries"]);
    assert_eq!(serde_json::to_value(state(&store.conn)).unwrap(), expected["state"]);
    assert_eq!(conflicts(&store.conn), expected["conflicts"]);
    assert_eq!(store.conflicts(None).unwrap().len(), 1, "the deletion left open is still there to review");

    // The device goes on numbering its writes after its last one, and what it sends is whole.
    let device = store.device_id;
    assert_eq!(serde_json::to_value(device).unwrap(), expected["device"]);
    let last = store.highest_seq(device).unwrap();
    let folder = store.create_person(&person("Nuova", "Persona", Some(2001)), &clock).unwrap();
    let sent = store.own_entries_after(last, 1_000).unwrap();
    assert!(!sent.is_empty() && sent.iter().all(|entry| entry.folder_id == folder));
    assert_eq!(sent.first().map(|entry| entry.seq), Some(last + 1));

    // The migrated log replays to the same state on another device.
    let mut other = store_as(Role::Administrator);
    other.apply_entries(&change_log::all_entries(&store.conn).unwrap(), &clock).unwrap();
    assert_eq!(state(&other.conn), state(&store.conn));
    assert_eq!(conflicts(&other.conn), conflicts(&store.conn));
}

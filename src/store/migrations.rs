//! Forward-only schema migrations, numbered by `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::derived::Stale;

/// One migration: its SQL, and what Rust code must rebuild after it (derived tables whose
/// content SQL alone cannot compute, like the search index). The rebuilds are today's code,
/// which reads today's tables: they run after the last migration, in the same transaction.
pub(crate) struct Migration {
    pub sql: &'static str,
    pub then: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

/// Every migration in order; the database's `user_version` says how many it has applied.
/// Append only: an applied migration is never edited.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("migrations/0001_device_and_operators.sql"), then: None },
    Migration { sql: include_str!("migrations/0002_change_log_folders_audit_search.sql"), then: None },
    // Its search index is rebuilt by 0008's step.
    Migration { sql: include_str!("migrations/0003_attachments_erasure.sql"), then: None },
    // No device has synced before this version, so no database holds concurrent writes yet.
    Migration { sql: include_str!("migrations/0004_conflicts.sql"), then: None },
    Migration { sql: include_str!("migrations/0005_sync_state.sql"), then: None },
    Migration { sql: include_str!("migrations/0006_health_code_blocks.sql"), then: None },
    Migration { sql: include_str!("migrations/0007_pinned_certificate.sql"), then: None },
    Migration { sql: include_str!("migrations/0008_folder_merges.sql"), then: Some(super::search::reindex_everyone) },
    Migration { sql: include_str!("migrations/0009_operators_audit_scope.sql"), then: None },
    Migration { sql: include_str!("migrations/0010_stp_eni_blocks.sql"), then: None },
    Migration { sql: include_str!("migrations/0011_device_events.sql"), then: None },
    // Its agenda is filled by 0013's step, with the column 0013 adds.
    Migration { sql: include_str!("migrations/0012_folder_deadlines_and_agenda.sql"), then: Some(fill_deadlines) },
    Migration { sql: include_str!("migrations/0013_open_practices.sql"), then: Some(fill_open_practices_and_agenda) },
    Migration { sql: include_str!("migrations/0014_scans_travel.sql"), then: None },
    Migration { sql: include_str!("migrations/0015_change_log_without_folder_index.sql"), then: None },
    Migration { sql: include_str!("migrations/0016_snapshot_start.sql"), then: None },
    Migration { sql: include_str!("migrations/0017_compact_change_log.sql"), then: None },
    Migration { sql: include_str!("migrations/0018_due_list_covering_index.sql"), then: None },
    Migration { sql: include_str!("migrations/0019_compact_field_values.sql"), then: None },
];

/// 0012's deadlines, computed for the folders already there.
fn fill_deadlines(conn: &Connection) -> rusqlite::Result<()> {
    Stale { deadlines: every_folder(conn)?, ..Stale::default() }.refresh(conn)
}

/// 0013's open practices, the agenda (0012's table with 0013's operator column), and the
/// deadlines again (renewals are now kept from the longest window the setting allows).
fn fill_open_practices_and_agenda(conn: &Connection) -> rusqlite::Result<()> {
    let folders = every_folder(conn)?;
    Stale { practices: folders.clone(), agenda: folders.clone(), deadlines: folders, ..Stale::default() }.refresh(conn)
}

fn every_folder(conn: &Connection) -> rusqlite::Result<std::collections::BTreeSet<uuid::Uuid>> {
    conn.prepare("SELECT DISTINCT folder_id FROM entity_rows")?.query_map([], |row| row.get(0))?.collect()
}

/// The schema version this code writes: the folder data's version that entries carry.
pub use porta_wire::SCHEMA_VERSION;
const _: () = assert!(MIGRATIONS.len() as u32 == SCHEMA_VERSION, "a migration changes porta_wire::SCHEMA_VERSION");

/// A database from a newer Porta than this one.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error("the database has schema version {found}, newer than this Porta's {SCHEMA_VERSION}")]
    NewerThanThisPorta { found: u32 },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Brings the schema up to [`SCHEMA_VERSION`] in one transaction: every migration not yet
/// applied, then the rebuilds they ask for. A database stopped halfway stays as it was.
pub(crate) fn migrate(conn: &mut Connection) -> Result<u32, MigrationError> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(MigrationError::NewerThanThisPorta { found });
    }
    if found == SCHEMA_VERSION {
        return Ok(SCHEMA_VERSION);
    }
    let transaction = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let pending = &MIGRATIONS[found as usize..];
    for migration in pending {
        transaction.execute_batch(migration.sql)?;
    }
    for rebuild in pending.iter().filter_map(|migration| migration.then) {
        rebuild(&transaction)?;
    }
    transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    transaction.commit()?;
    Ok(SCHEMA_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_is_allowed_by_the_operators_check() {
        let schema = include_str!("migrations/0001_device_and_operators.sql");
        for role in crate::store::Role::ALL {
            assert!(schema.contains(&format!("'{}'", role.as_str())), "{role:?} missing from the CHECK");
        }
    }

    #[test]
    fn every_earlier_version_migrates_to_the_current_one() {
        for start in 0..=SCHEMA_VERSION {
            let mut conn = Connection::open_in_memory().unwrap();
            for migration in &MIGRATIONS[..start as usize] {
                conn.execute_batch(migration.sql).unwrap();
            }
            conn.pragma_update(None, "user_version", start).unwrap();
            assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
            let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
            assert_eq!(version, SCHEMA_VERSION, "from version {start}");
        }
    }

    #[test]
    fn the_audit_log_keeps_its_rows_and_stays_append_only_across_the_rebuild() {
        let mut conn = Connection::open_in_memory().unwrap();
        for migration in &MIGRATIONS[..2] {
            conn.execute_batch(migration.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO audit_log (at_ms, operator_id, device_id, action, folder_id, section, health_restricted)
             VALUES (7, x'01', x'02', 'read', x'03', 'person', 0)",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let kept: (i64, String) =
            conn.query_row("SELECT at_ms, action FROM audit_log", [], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
        assert_eq!(kept, (7, "read".to_owned()));
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
        assert!(conn.execute("UPDATE audit_log SET at_ms = 8", []).is_err());
    }

    #[test]
    fn people_saved_before_the_search_index_changed_are_found_after_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        for migration in &MIGRATIONS[..2] {
            conn.execute_batch(migration.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        let person = uuid::Uuid::now_v7();
        conn.execute("INSERT INTO entity_rows (entity, row_id, folder_id) VALUES ('person', ?1, ?1)", [person])
            .unwrap();
        let birth = r#"{"year":1990,"month":null,"day":null,"estimated":true}"#;
        for (field, value) in [("family_name", r#""Diallo""#), ("given_names", r#""Aminata""#), ("birth_date", birth)] {
            conn.execute(
                "INSERT INTO field_values (entity, row_id, field, value, hlc)
                 VALUES ('person', ?1, ?2, ?3, '1795683600000-00000000-01a237353fa474188c4e35f33ab19e64')",
                rusqlite::params![person, field, value],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let found = |query: &str| {
            super::super::search::search(&conn, query, Some(1990), 5, super::super::search::Archived::Included).unwrap()
        };
        assert_eq!(found("Aminata Diallo")[0].id, person);
        assert_eq!(found("di")[0].id, person);
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_database_from_a_newer_porta_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        assert!(matches!(migrate(&mut conn), Err(MigrationError::NewerThanThisPorta { .. })));
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0)).unwrap();
        assert_eq!(tables, 0);
    }
}

//! History compaction: versions of fields that newer writes replaced leave the change log once
//! they were replaced longer ago than the retention (24 months, what the audit guidance asks):
//! the history screen shows, for two years, what each change replaced.
//!
//! What goes is what the snapshot of a new device leaves out (`porta_wire::snapshot::needed`):
//! never a version a conflict shows, a deletion or erasure mark, or a field's current value.
//! So the state — values, conflicts, merges, the derived lists — is exactly what it was, and
//! stays equal to a device that kept everything whatever arrives later. This device's entries
//! the server has not acknowledged never go: they still have to be sent.
//!
//! The log is gone through in steps of a bounded number of entries (`compact_history_step`),
//! so the store is never held for long: the desk goes on between steps.

use rusqlite::params;
use uuid::Uuid;

use super::{Store, StoreError, change_log};

/// How long every version is kept on a device: 24 months, as 731 days.
pub const HISTORY_KEPT_MS: u64 = porta_wire::snapshot::kept_ms(porta_wire::snapshot::HISTORY_KEPT_MONTHS);

/// Where a compaction of the log stands: the entries looked at so far, by their place in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompactionPlace {
    after_rowid: i64,
}

/// What one step did, and where the next starts (`None`: the log is gone through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactionStep {
    pub forgotten: usize,
    pub next: Option<CompactionPlace>,
}

impl Store {
    /// Looks at the next `entries` entries of the log from `place` and, in the folders where one
    /// of them replaced an older version before `before_ms`, forgets the versions replaced before
    /// `before_ms` that the state no longer needs. One transaction per step.
    pub fn compact_history_step(
        &mut self,
        before_ms: u64,
        place: CompactionPlace,
        entries: usize,
    ) -> Result<CompactionStep, StoreError> {
        let acknowledged = self.sync_progress()?.acknowledged;
        let transaction = self.conn.transaction()?;
        let (last, folders): (Option<i64>, Vec<Uuid>) = {
            let last: Option<i64> = transaction
                .prepare_cached(
                    "SELECT max(rowid) FROM (SELECT rowid FROM changes WHERE rowid > ?1 ORDER BY rowid LIMIT ?2)",
                )?
                .query_row(params![place.after_rowid, entries as i64], |row| row.get(0))?;
            // A version goes only once a write replaced it before the retention's start: the
            // folders of such writes.
            let folders = transaction
                .prepare_cached(
                    "SELECT DISTINCT folder_id FROM changes WHERE rowid > ?1 AND rowid <= ?2
                     AND (base IS NOT NULL OR saw IS NOT NULL) AND substr(stamp, 1, 8) < ?3",
                )?
                .query_map(
                    params![place.after_rowid, last.unwrap_or(place.after_rowid), before_ms.to_be_bytes()],
                    |row| row.get(0),
                )?
                .collect::<rusqlite::Result<_>>()?;
            (last, folders)
        };
        let mut forgotten = 0;
        for folder in folders {
            let entries = change_log::folder_entries(&transaction, folder)?;
            let forget = porta_wire::snapshot::forgettable(&entries, before_ms);
            for entry in entries {
                let unsent = entry.device_id == self.device_id && entry.seq > acknowledged;
                if !forget.contains(&entry.op_id) || unsent {
                    continue;
                }
                forgotten += transaction
                    .prepare_cached("DELETE FROM changes WHERE op_id = ?1")?
                    .execute(params![entry.op_id])?;
            }
        }
        transaction.commit()?;
        Ok(CompactionStep { forgotten, next: last.map(|after_rowid| CompactionPlace { after_rowid }) })
    }

    /// Goes through the whole log at once (see [`Store::compact_history_step`]); returns how
    /// many versions were forgotten.
    pub fn compact_history(&mut self, before_ms: u64) -> Result<usize, StoreError> {
        let mut place = CompactionPlace::default();
        let mut forgotten = 0;
        loop {
            let step = self.compact_history_step(before_ms, place, 50_000)?;
            forgotten += step.forgotten;
            match step.next {
                Some(next) => place = next,
                None => return Ok(forgotten),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::test_support::{NOW_MS, person, store_as, sync};
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::Role;

    const DAY: Duration = Duration::from_secs(24 * 60 * 60);

    #[test]
    fn versions_replaced_before_the_retention_go_and_the_folder_stays_the_same() {
        // Thirty months ago a folder is opened and its given names corrected the next day;
        // a month ago its family name changes.
        let clock = ManualClock::at(NOW_MS - 913 * 24 * 60 * 60 * 1000);
        let (mut office, mut laptop) = (store_as(Role::Administrator), store_as(Role::Administrator));
        let folder = office.create_person(&person("Diallo", "Aminta", Some(1990)), &clock).unwrap();
        clock.advance(DAY);
        office.update_person(folder, &person("Diallo", "Aminata", Some(1990)), &clock).unwrap();
        clock.advance(DAY * 881);
        office.update_person(folder, &person("Diallo Ba", "Aminata", Some(1990)), &clock).unwrap();
        clock.advance(DAY * 30);
        sync(&office, &mut laptop, &clock);
        let shown = laptop.folder(folder, &clock).unwrap();
        let log_before = laptop.change_log().unwrap();

        assert_eq!(laptop.compact_history(NOW_MS - HISTORY_KEPT_MS).unwrap(), 1);
        let log_after = laptop.change_log().unwrap();
        let forgotten: Vec<_> = log_before.iter().filter(|entry| !log_after.contains(entry)).collect();
        assert_eq!(forgotten.len(), 1);
        assert_eq!((forgotten[0].field.as_str(), &forgotten[0].value), ("given_names", &"Aminta".into()));
        assert!(
            log_after.iter().any(|entry| entry.field == "family_name" && entry.value == "Diallo"),
            "replaced a month ago: still shown in the history"
        );
        assert_eq!(laptop.folder(folder, &clock).unwrap(), shown, "the folder is what it was");
        assert_eq!(laptop.compact_history(NOW_MS - HISTORY_KEPT_MS).unwrap(), 0, "once");
        // The office never sent its entries: they stay, whatever their age.
        assert_eq!(office.compact_history(u64::MAX).unwrap(), 0);
    }
}

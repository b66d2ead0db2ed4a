//! Timestamps of entries written while the computer's clock was wrong, corrected before they
//! are sent (issue 17, "clocks that lie").
//!
//! Every own entry records the server-time correction it was stamped with
//! (`changes.stamp_offset_ms`; none: the computer's own clock). When the server's time is
//! known and differs from that by more than a couple of minutes, the entry's wall time is
//! moved by the difference: a laptop a year behind does not see its work silently outranked,
//! one a year ahead is not refused for drift for a year. An entry still in the future after
//! that (its clock carried forward by an earlier one) is brought back to now. Only entries
//! that never left the device are touched, so no other replica ever saw the old stamps; the
//! fields they wrote are then recomputed from the log, as applying does.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::params;
use uuid::Uuid;

use super::derived::Stale;
use super::log_refs::{self, DEVICE_OF_KEY};
use super::{Store, StoreError, change_log, conflicts, merges};
use crate::clock::Clock;
use crate::folder::{DELETED, Entity, MERGED_INTO};
use crate::hlc::{Hlc, HlcClock};

/// A correction smaller than this is left alone (the time an answer takes to arrive).
pub const CORRECTED_OVER_MS: i64 = 2 * 60 * 1000;

/// One unsent entry of this device, as the correction reads it.
struct Unsent {
    op_id: Uuid,
    hlc: Hlc,
    stamp_offset_ms: i64,
    entity: Entity,
    row_id: Uuid,
    folder_id: Uuid,
    field: String,
}

impl Store {
    /// Corrects the timestamps of this device's unsent entries to the server's time that
    /// `clock` knows (nothing when it knows none); returns how many changed.
    pub fn correct_unsent_stamps(&mut self, clock: &dyn Clock) -> Result<usize, StoreError> {
        let Some(offset) = clock.server_offset_ms() else { return Ok(0) };
        let now = clock.now_ms();
        let device = self.device_id;
        let transaction = self.conn.transaction()?;
        let [first, last] = log_refs::keys_of(&transaction, device)?;
        let unsent: Vec<Unsent> = transaction
            // Only those to correct are read: most rounds find none.
            .prepare_cached(
                "SELECT c.op_id, c.stamp, coalesce(c.stamp_offset_ms, 0), f.entity, c.row_id, c.folder_id, f.field
                 FROM changes c JOIN log_fields f ON f.ref = c.field_ref
                 WHERE c.key > ?1 + (SELECT acknowledged FROM sync_progress) AND c.key <= ?2
                 AND (abs(coalesce(c.stamp_offset_ms, 0) - ?3) > ?4 OR substr(c.stamp, 1, 8) > ?5)
                 ORDER BY c.key",
            )?
            .query_map(params![first, last, offset, CORRECTED_OVER_MS, now.to_be_bytes()], |row| {
                let text = |index: usize| -> rusqlite::Result<String> { row.get(index) };
                let bad =
                    |index| rusqlite::Error::InvalidColumnType(index, "change".into(), rusqlite::types::Type::Text);
                Ok(Unsent {
                    op_id: row.get(0)?,
                    hlc: Hlc::from_stamp(&row.get::<_, Vec<u8>>(1)?, device).map_err(|_| bad(1))?,
                    stamp_offset_ms: row.get(2)?,
                    entity: Entity::from_stored(&text(3)?).ok_or_else(|| bad(3))?,
                    row_id: row.get(4)?,
                    folder_id: row.get(5)?,
                    field: text(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut corrected: Vec<(&Unsent, Hlc)> = Vec::new();
        let mut carried = 0;
        for entry in &unsent {
            let mut wall = entry.hlc.wall_ms;
            let correction = offset.saturating_sub(entry.stamp_offset_ms);
            if correction.abs() > CORRECTED_OVER_MS {
                wall = u64::try_from(i64::try_from(wall).unwrap_or(i64::MAX).saturating_add(correction)).unwrap_or(0);
            }
            let mut hlc = Hlc { wall_ms: wall, ..entry.hlc };
            if wall > now {
                // Carried into the future by an earlier stamp: now, in the order written.
                hlc = Hlc { wall_ms: now, counter: carried, device };
                carried += 1;
            }
            if hlc != entry.hlc {
                corrected.push((entry, hlc));
            }
        }
        if corrected.is_empty() {
            return Ok(0);
        }
        let mut fields = BTreeSet::new();
        for (entry, hlc) in &corrected {
            transaction.execute(
                "UPDATE changes SET stamp = ?2, stamp_offset_ms = ?3 WHERE op_id = ?1",
                params![entry.op_id, hlc.stamp(), offset],
            )?;
            transaction.execute(
                "UPDATE changes SET base = ?2 WHERE base = ?1",
                params![entry.hlc.to_bytes(), hlc.to_bytes()],
            )?;
            let (old, new) = (entry.hlc.encode(), hlc.encode());
            transaction
                .execute("UPDATE changes SET saw = replace(saw, ?1, ?2) WHERE instr(saw, ?1) > 0", params![old, new])?;
            fields.insert((entry.entity, entry.row_id, entry.folder_id, entry.field.clone()));
        }
        // Each written field again from all its writes, and what depends on it.
        let mut stale = Stale::default();
        let mut rows = BTreeMap::new();
        for (entity, row_id, folder_id, field) in &fields {
            let changed = conflicts::recompute_field(&transaction, *entity, *row_id, *folder_id, field)?;
            rows.insert((*entity, *row_id), *folder_id);
            if changed && *entity == Entity::Person && field == MERGED_INTO {
                stale.regrouped(merges::survivor(&transaction, *row_id)?);
                merges::relink(&transaction, *row_id)?;
            }
            if changed && *entity == Entity::HouseholdMember {
                change_log::relink_household_member(&transaction, *row_id, *folder_id)?;
            }
            if changed {
                stale.changed(*entity, field, *folder_id);
            }
        }
        for ((entity, row_id), folder_id) in rows {
            let deletion = fields.iter().any(|(e, r, _, f)| (*e, *r) == (entity, row_id) && f == DELETED);
            if deletion || conflicts::is_deleted(&transaction, entity, row_id)? {
                conflicts::recheck_deletion(&transaction, entity, row_id, folder_id)?;
            }
        }
        stale.refresh(&transaction)?;
        // The newest timestamp again: the corrected ones may have been it.
        let newest = transaction.query_row(
            &format!(
                "SELECT c.stamp, d.id FROM changes c JOIN log_ids d ON d.ref = {DEVICE_OF_KEY}
                 ORDER BY c.stamp DESC, d.id DESC LIMIT 1"
            ),
            [],
            |row| {
                Hlc::from_stamp(&row.get::<_, Vec<u8>>(0)?, row.get(1)?)
                    .map_err(|_| rusqlite::Error::InvalidColumnType(0, "stamp".into(), rusqlite::types::Type::Blob))
            },
        )?;
        transaction.execute("UPDATE newest_hlc SET hlc = ?1", [newest.encode()])?;
        let newest = change_log::newest_hlc(&transaction)?;
        transaction.commit()?;
        self.hlc = HlcClock::new(device, newest);
        Ok(corrected.len())
    }
}

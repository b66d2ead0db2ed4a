//! The snapshot a new device starts from: of a folder's entries up to a server position, the
//! ones its state still needs; and what history compaction may forget ([`forgettable`]). Applying those, then every entry after the position, gives
//! exactly the state of applying every entry (values, conflicts, deletions, merges, erasures).
//!
//! What a replica derives from a field's writes (see the desktop store's `conflicts`): the
//! current value is the write with the newest timestamp; a conflict is made of the *heads*,
//! the writes no other write replaced (named as `base` or in `saw`). A write that a newer one
//! replaced is neither: it is history. Leaving it out changes nothing later either, since a
//! write that arrives later never replaces an older write its writer could not have seen
//! without also seeing what replaced it.
//!
//! Two kinds of field keep every write: the deletion mark (`_deleted`, whose every version's
//! `saw` says which edits a delete knew of) and the erasure mark. A field where some write
//! names a timestamp not older than its own (a clock that went wrong before the drift bound
//! existed) keeps every write too: the rule above assumes the opposite, and history costs
//! only space.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::change::ChangeEntry;
use crate::folder::{DELETED, ERASED, Entity};
use crate::hlc::Hlc;

/// The entries of `entries` that the state needs, in their order: every write of a field no
/// newer write of the same field replaced, and every write of a field that keeps them all.
pub fn needed(entries: Vec<ChangeEntry>) -> Vec<ChangeEntry> {
    let mut replaced: HashMap<(Entity, Uuid, &str), HashSet<Hlc>> = HashMap::new();
    let mut keeps_all: HashSet<(Entity, Uuid, &str)> = HashSet::new();
    for entry in &entries {
        let field = (entry.entity, entry.row_id, entry.field.as_str());
        if entry.field == DELETED || entry.field == ERASED {
            keeps_all.insert(field);
            continue;
        }
        for named in entry.base.iter().chain(&entry.saw) {
            if *named >= entry.hlc {
                keeps_all.insert(field);
            }
            replaced.entry(field).or_default().insert(*named);
        }
    }
    let superseded: HashSet<Uuid> = entries
        .iter()
        .filter(|entry| {
            let field = (entry.entity, entry.row_id, entry.field.as_str());
            !keeps_all.contains(&field) && replaced.get(&field).is_some_and(|named| named.contains(&entry.hlc))
        })
        .map(|entry| entry.op_id)
        .collect();
    entries.into_iter().filter(|entry| !superseded.contains(&entry.op_id)).collect()
}

/// How long history is kept unless the Ambito says otherwise: 24 months, as the audit
/// guidance asks.
pub const HISTORY_KEPT_MONTHS: u32 = 24;

/// `months` of history in milliseconds, in whole days, rounded up (24 months: 731 days).
pub const fn kept_ms(months: u32) -> u64 {
    (months as u64 * 36_525).div_ceil(1_200) * 24 * 60 * 60 * 1_000
}

/// The operation ids of the entries of `entries` that history compaction may forget: those
/// the state does not need (see [`needed`]) whose field a newer write replaced before
/// `before_ms`. `entries` must hold every entry of the rows they write (a folder's, say).
pub fn forgettable(entries: &[ChangeEntry], before_ms: u64) -> HashSet<Uuid> {
    let needed: HashSet<Uuid> = needed(entries.to_vec()).into_iter().map(|entry| entry.op_id).collect();
    // When each version was first replaced by a newer write.
    let mut replaced_ms: HashMap<Hlc, u64> = HashMap::new();
    for entry in entries {
        for named in entry.base.iter().chain(&entry.saw).filter(|named| **named < entry.hlc) {
            let at = replaced_ms.entry(*named).or_insert(entry.hlc.wall_ms);
            *at = (*at).min(entry.hlc.wall_ms);
        }
    }
    entries
        .iter()
        .filter(|entry| !needed.contains(&entry.op_id))
        .filter(|entry| replaced_ms.get(&entry.hlc).is_some_and(|at| *at < before_ms))
        .map(|entry| entry.op_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    fn hlc(wall_ms: u64, n: u8) -> Hlc {
        Hlc { wall_ms, counter: 0, device: device(n) }
    }

    fn write(field: &str, at: Hlc, base: Option<Hlc>, saw: Vec<Hlc>) -> ChangeEntry {
        ChangeEntry {
            op_id: Uuid::from_u128(u128::from(at.wall_ms) << 8 | u128::from(at.device.as_bytes()[0])),
            device_id: at.device,
            seq: at.wall_ms,
            hlc: at,
            operator_id: device(9),
            entity: Entity::Contact,
            row_id: device(7),
            folder_id: device(8),
            field: field.into(),
            value: serde_json::json!(at.wall_ms),
            base,
            saw,
            schema_version: crate::SCHEMA_VERSION,
        }
    }

    fn walls(entries: &[ChangeEntry]) -> Vec<u64> {
        entries.iter().map(|entry| entry.hlc.wall_ms).collect()
    }

    #[test]
    fn a_field_written_in_turn_needs_only_its_last_write() {
        let entries = vec![
            write("duration_minutes", hlc(1, 1), None, vec![]),
            write("duration_minutes", hlc(2, 2), Some(hlc(1, 1)), vec![]),
            write("duration_minutes", hlc(3, 1), Some(hlc(2, 2)), vec![]),
            write("channel", hlc(4, 1), None, vec![]),
        ];
        assert_eq!(walls(&needed(entries)), [3, 4]);
    }

    #[test]
    fn both_sides_of_a_conflict_stay_until_a_resolution_saw_them() {
        let first = write("duration_minutes", hlc(1, 1), None, vec![]);
        let left = write("duration_minutes", hlc(2, 1), Some(hlc(1, 1)), vec![]);
        let right = write("duration_minutes", hlc(3, 2), Some(hlc(1, 1)), vec![]);
        let open = vec![first.clone(), left.clone(), right.clone()];
        assert_eq!(walls(&needed(open)), [2, 3]);
        let resolution = write("duration_minutes", hlc(4, 3), Some(hlc(3, 2)), vec![hlc(2, 1), hlc(3, 2)]);
        assert_eq!(walls(&needed(vec![first, left, right, resolution])), [4]);
    }

    #[test]
    fn two_years_are_kept_as_731_days() {
        assert_eq!(kept_ms(HISTORY_KEPT_MONTHS), 731 * 24 * 60 * 60 * 1_000);
        assert_eq!(kept_ms(12), 366 * 24 * 60 * 60 * 1_000);
    }

    #[test]
    fn only_versions_replaced_before_the_retention_are_forgettable() {
        let entries = vec![
            write("duration_minutes", hlc(1, 1), None, vec![]),
            write("duration_minutes", hlc(2, 1), Some(hlc(1, 1)), vec![]),
            write("duration_minutes", hlc(9, 1), Some(hlc(2, 1)), vec![]),
        ];
        let walls_of = |ids: HashSet<Uuid>| {
            let mut walls: Vec<u64> =
                entries.iter().filter(|entry| ids.contains(&entry.op_id)).map(|entry| entry.hlc.wall_ms).collect();
            walls.sort();
            walls
        };
        assert_eq!(walls_of(forgettable(&entries, 5)), [1], "replaced at 2: yes; replaced at 9: not yet");
        assert_eq!(walls_of(forgettable(&entries, 10)), [1, 2], "the current value never");
    }

    #[test]
    fn deletion_and_erasure_marks_keep_every_write() {
        let entries = vec![
            write(DELETED, hlc(1, 1), None, vec![hlc(0, 1)]),
            write(DELETED, hlc(2, 1), Some(hlc(1, 1)), vec![]),
            write(ERASED, hlc(3, 1), None, vec![]),
            write(ERASED, hlc(4, 1), Some(hlc(3, 1)), vec![]),
        ];
        assert_eq!(walls(&needed(entries)), [1, 2, 3, 4]);
    }

    #[test]
    fn a_field_where_a_write_names_a_newer_one_keeps_every_write() {
        let entries = vec![
            write("duration_minutes", hlc(5, 1), None, vec![]),
            write("duration_minutes", hlc(4, 2), Some(hlc(5, 1)), vec![]),
        ];
        assert_eq!(walls(&needed(entries)), [5, 4]);
    }
}

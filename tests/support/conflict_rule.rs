//! The conflict rule written again from its definition, as the oracle of the convergence
//! tests (the store's own tests and the server's, which include this file by path).
//!
//! Per field, the writes no other write replaced (named by `base` or `saw`) are its heads;
//! heads with different values are a conflict. A row whose last `_deleted` write deletes it
//! and whose current values include some that no delete of it saw is a deletion conflict:
//! the winning delete and those values.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use porta::folder::Entity;
use porta::hlc::Hlc;
use porta::store::change_log::ChangeEntry;

/// One version in a conflict: the row, the topic (a field, or `_deletion`), the write.
pub type ExpectedVersion = (Entity, uuid::Uuid, String, Hlc, String, String);

/// The last writer of a field: the highest timestamp.
pub fn winner<'a>(writes: &[&'a ChangeEntry]) -> &'a ChangeEntry {
    writes.iter().max_by_key(|entry| entry.hlc).expect("a field has writes")
}

/// Every version of every conflict that `entries` (a whole log) holds.
pub fn expected_conflicts(entries: &[ChangeEntry]) -> BTreeSet<ExpectedVersion> {
    let mut fields: BTreeMap<(Entity, uuid::Uuid, String), Vec<&ChangeEntry>> = BTreeMap::new();
    for entry in entries {
        fields.entry((entry.entity, entry.row_id, entry.field.clone())).or_default().push(entry);
    }
    let version = |topic: &str, entry: &ChangeEntry| -> ExpectedVersion {
        (entry.entity, entry.row_id, topic.into(), entry.hlc, entry.field.clone(), entry.value.to_string())
    };
    let mut expected = BTreeSet::new();
    for ((entity, row_id, field), writes) in &fields {
        let replaced: HashSet<_> = writes.iter().flat_map(|w| w.base.iter().chain(&w.saw)).collect();
        let heads: Vec<_> = writes.iter().filter(|w| !replaced.contains(&w.hlc)).collect();
        if heads.iter().any(|head| head.value != heads[0].value) {
            expected.extend(heads.iter().map(|head| version(field, head)));
        }
        if field == "_deleted" && winner(writes).value == serde_json::Value::Bool(true) {
            let seen: HashSet<_> = writes.iter().flat_map(|w| w.base.iter().chain(&w.saw).chain([&w.hlc])).collect();
            let unseen: Vec<_> = fields
                .iter()
                .filter(|((e, r, f), _)| e == entity && r == row_id && f != "_deleted")
                .map(|(_, writes)| winner(writes))
                .filter(|current| !seen.contains(&current.hlc))
                .collect();
            if !unseen.is_empty() {
                expected.insert(version("_deletion", winner(writes)));
                expected.extend(unseen.iter().map(|edit| version("_deletion", edit)));
            }
        }
    }
    expected
}

/// The entries of `entries` whose value is lost: not current (the last writer of its
/// field), not replaced by a write that saw it, and not in a conflict of `conflicts`.
pub fn lost<'a>(entries: &'a [ChangeEntry], conflicts: &BTreeSet<ExpectedVersion>) -> Vec<&'a ChangeEntry> {
    let mut fields: BTreeMap<(Entity, uuid::Uuid, &str), Vec<&ChangeEntry>> = BTreeMap::new();
    for entry in entries {
        fields.entry((entry.entity, entry.row_id, entry.field.as_str())).or_default().push(entry);
    }
    let current: HashSet<Hlc> = fields.values().map(|writes| winner(writes).hlc).collect();
    let replaced: HashSet<Hlc> = entries.iter().flat_map(|e| e.base.iter().chain(&e.saw)).copied().collect();
    let in_conflict: HashSet<Hlc> = conflicts.iter().map(|(_, _, _, hlc, ..)| *hlc).collect();
    entries
        .iter()
        .filter(|entry| {
            // Two devices writing the same value concurrently lose nothing: it is current.
            let same_as_current = fields[&(entry.entity, entry.row_id, entry.field.as_str())]
                .iter()
                .any(|other| current.contains(&other.hlc) && other.value == entry.value);
            !(current.contains(&entry.hlc)
                || same_as_current
                || replaced.contains(&entry.hlc)
                || in_conflict.contains(&entry.hlc))
        })
        .collect()
}

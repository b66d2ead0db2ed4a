//! The behaviour every storage backend must have. A backend's tests call [`run`] with a
//! function that makes an empty store; the SQLite backend's do (`tests/storage.rs`).

use porta::store::change_log::ChangeEntry;
use porta::sync::protocol::{Rejection, RejectionCode};
use uuid::Uuid;

use super::{Incoming, StorageError, SyncStore};

/// Entries `from..=to` of `device`, as a device would push them.
pub fn entries(device: Uuid, from: u64, to: u64) -> Vec<ChangeEntry> {
    (from..=to)
        .map(|seq| ChangeEntry {
            op_id: Uuid::from_u128(u128::from(seq) << 64 | device.as_u128() & 0xFFFF_FFFF),
            device_id: device,
            seq,
            hlc: format!("{:013}-{:08}-{}", 1_795_683_600_000 + seq, 0, device.simple()).parse().expect("an HLC"),
            operator_id: Uuid::nil(),
            entity: porta::folder::Entity::Note,
            row_id: Uuid::from_u128(u128::from(seq)),
            folder_id: Uuid::from_u128(7),
            field: "text".into(),
            value: serde_json::json!(format!("nota {seq}")),
            base: None,
            saw: Vec::new(),
            schema_version: porta::store::SCHEMA_VERSION,
        })
        .collect()
}

fn incoming(entries: &[ChangeEntry]) -> Vec<Incoming> {
    entries.iter().map(|entry| (entry.seq, Ok(serde_json::to_string(entry).expect("entries serialise")))).collect()
}

/// Every check, each on a fresh store from `make`.
pub fn run<S: SyncStore>(make: impl Fn() -> S) {
    pushes_are_acknowledged_and_pulled_in_order(make());
    resending_is_harmless(make());
    a_gap_is_refused_and_changes_nothing(make());
    a_rejected_entry_keeps_its_place_and_does_not_block_the_rest(make());
    pulls_are_paged_by_count_and_size(make());
}

fn pushes_are_acknowledged_and_pulled_in_order(store: impl SyncStore) {
    let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
    assert_eq!(store.push(a, &incoming(&entries(a, 1, 3))).unwrap().acknowledged, 3);
    assert_eq!(store.push(b, &incoming(&entries(b, 1, 2))).unwrap().acknowledged, 2);
    assert_eq!(store.push(a, &incoming(&entries(a, 4, 5))).unwrap().acknowledged, 5);
    let page = store.pull(0, 100, usize::MAX).unwrap();
    let order: Vec<(Uuid, u64)> = page.entries.iter().map(|e| (e.device_id, e.seq)).collect();
    assert_eq!(order, vec![(a, 1), (a, 2), (a, 3), (b, 1), (b, 2), (a, 4), (a, 5)]);
    assert_eq!(page.entries[0], entries(a, 1, 1)[0], "entries come back exactly as pushed");
    assert!(!page.more);
    assert!(store.pull(page.cursor, 100, usize::MAX).unwrap().entries.is_empty());
    assert_eq!(store.acknowledged(a).unwrap(), 5);
    assert_eq!(store.acknowledged(Uuid::from_u128(3)).unwrap(), 0);
}

fn resending_is_harmless(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    store.push(a, &incoming(&entries(a, 1, 4))).unwrap();
    // The answer was lost; the device sends again, with more.
    let again = store.push(a, &incoming(&entries(a, 1, 6))).unwrap();
    assert_eq!(again.acknowledged, 6);
    assert_eq!(store.pull(0, 100, usize::MAX).unwrap().entries.len(), 6, "nothing stored twice");
}

fn a_gap_is_refused_and_changes_nothing(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    store.push(a, &incoming(&entries(a, 1, 2))).unwrap();
    let error = store.push(a, &incoming(&entries(a, 4, 5))).unwrap_err();
    assert!(matches!(error, StorageError::SequenceGap { expected: 3 }), "{error:?}");
    let mut holed = incoming(&entries(a, 3, 5));
    let _dropped = holed.remove(1);
    assert!(matches!(store.push(a, &holed), Err(StorageError::SequenceGap { expected: 4 })));
    assert_eq!(store.acknowledged(a).unwrap(), 2);
    assert_eq!(store.pull(0, 100, usize::MAX).unwrap().entries.len(), 2);
}

fn a_rejected_entry_keeps_its_place_and_does_not_block_the_rest(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    let mut batch = incoming(&entries(a, 1, 3));
    batch[1].1 = Err(Rejection { seq: 2, code: RejectionCode::UnknownSchema });
    let pushed = store.push(a, &batch).unwrap();
    assert_eq!(pushed.acknowledged, 3);
    assert_eq!(pushed.rejected, vec![Rejection { seq: 2, code: RejectionCode::UnknownSchema }]);
    let seqs: Vec<u64> = store.pull(0, 100, usize::MAX).unwrap().entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 3]);
    assert_eq!(store.push(a, &incoming(&entries(a, 4, 4))).unwrap().acknowledged, 4);
}

fn pulls_are_paged_by_count_and_size(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    store.push(a, &incoming(&entries(a, 1, 25))).unwrap();
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page = store.pull(cursor, 10, usize::MAX).unwrap();
        assert!(page.entries.len() <= 10);
        seen.extend(page.entries.iter().map(|e| e.seq));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, (1..=25).collect::<Vec<_>>());
    let one = store.pull(0, 100, 1).unwrap();
    assert_eq!(one.entries.len(), 1, "a page always carries at least one entry");
    assert!(one.more);
}

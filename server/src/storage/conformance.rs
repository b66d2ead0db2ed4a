//! The behaviour every storage backend must have. A backend's tests call [`run`] with a
//! function that makes an empty store; the SQLite backend's do (`tests/storage.rs`).

use porta_wire::activation::{ActivationLock, PASSPHRASE_KDF};
use porta_wire::change::ChangeEntry;
use porta_wire::protocol::{Rejection, RejectionCode};
use uuid::Uuid;

use porta_wire::rules::stp_eni::{MAX_PROGRESSIVE, StpEniKind};
use porta_wire::seeded::SeededRandom;

use super::{
    Ambito, AuditError, DeviceStatus, EnrollmentError, FolderScope, Incoming, NewEnrollment, OperatorChange,
    OperatorError, OperatorRecord, Page, Readable, ReserveError, ScopeError, ScopeEvent, StorageError, StpEniSeries,
    SyncStore,
};
use porta_wire::protocol::{Activation, AuditLine};
use porta_wire::{audit::AuditAction, role::Role};

/// Entries `from..=to` of `device`, as a device would push them.
pub fn entries(device: Uuid, from: u64, to: u64) -> Vec<ChangeEntry> {
    (from..=to)
        .map(|seq| ChangeEntry {
            op_id: Uuid::from_u128(u128::from(seq) << 64 | device.as_u128() & 0xFFFF_FFFF),
            device_id: device,
            seq,
            hlc: format!("{:013}-{:08}-{}", 1_795_683_600_000 + seq, 0, device.simple()).parse().expect("an HLC"),
            operator_id: Uuid::nil(),
            entity: porta_wire::folder::Entity::Note,
            row_id: Uuid::from_u128(u128::from(seq)),
            folder_id: Uuid::from_u128(7),
            field: "text".into(),
            value: serde_json::json!(format!("nota {seq}")),
            base: None,
            saw: Vec::new(),
            schema_version: porta_wire::SCHEMA_VERSION,
        })
        .collect()
}

/// The office of the devices in these checks.
const OFFICE: &str = "PUA Galatina";

fn incoming(entries: &[ChangeEntry]) -> Vec<Incoming> {
    let readable = |entry: &ChangeEntry| Readable::new(serde_json::to_string(entry).expect("entries serialise"), entry);
    entries.iter().map(|entry| (entry.seq, Ok(readable(entry)))).collect()
}

/// Every check, each on a fresh store from `make`.
pub fn run<S: SyncStore>(make: impl Fn() -> S) {
    pushes_are_acknowledged_and_pulled_in_order(make());
    resending_is_harmless(make());
    a_gap_is_refused_and_changes_nothing(make());
    a_rejected_entry_keeps_its_place_and_does_not_block_the_rest(make());
    pulls_are_paged_by_count_and_size(make());
    a_folder_belongs_to_the_office_that_first_pushed_it(make());
    an_erased_folder_keeps_no_value_on_the_server(make());
    a_code_enrolls_one_device_once_before_it_expires(make());
    revoking_and_ordering_a_wipe_change_the_status(make());
    a_nonce_is_accepted_once_until_forgotten(make());
    stp_eni_numbers_are_never_handed_out_twice(&make);
    a_stp_eni_series_continues_after_earlier_codes_and_ends(make());
    operator_accounts_are_kept_per_office_and_changed_by_login(make());
    audit_lines_are_stored_once_in_order_and_gaps_refused(make());
    a_shared_or_moved_folder_reaches_the_other_office_and_leaves_again(make());
    the_health_key_is_made_once_and_kept(make(), make());
}

fn the_health_key_is_made_once_and_kept(store: impl SyncStore, other: impl SyncStore) {
    let random = ring::rand::SystemRandom::new();
    let first = store.health_key(&random).unwrap();
    assert_eq!(store.health_key(&random).unwrap(), first, "the same key every time it is asked for");
    assert_ne!(other.health_key(&random).unwrap(), first, "each Ambito's own");
}

fn a_shared_or_moved_folder_reaches_the_other_office_and_leaves_again(store: impl SyncStore) {
    store.set_up(&Ambito { name: "Ambito".into(), offices: vec![OFFICE.into(), "Soleto".into()] }).unwrap();
    let (a, b, folder) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(7));
    store.push(a, OFFICE, &incoming(&entries(a, 1, 3))).unwrap();
    let seqs = |page: Page| page.entries.iter().map(|e| (e.device_id, e.seq)).collect::<Vec<_>>();
    assert!(matches!(store.share_folder(Uuid::from_u128(99), "Soleto"), Err(ScopeError::UnknownFolder)));
    assert!(matches!(store.share_folder(folder, "Nardò"), Err(ScopeError::UnknownOffice)));
    assert!(!store.share_folder(folder, OFFICE).unwrap(), "its own office holds it already");
    assert!(store.share_folder(folder, "Soleto").unwrap());
    assert!(!store.share_folder(folder, "Soleto").unwrap(), "sharing twice changes nothing");
    assert_eq!(
        store.folder_scope(folder).unwrap(),
        Some(FolderScope { owner: OFFICE.into(), shared_with: vec!["Soleto".into()] })
    );
    let events = |office: &str, after: u64| store.scope_events(office, after, 100).unwrap();
    assert_eq!(
        events("Soleto", 0).iter().map(|(_, e)| *e).collect::<Vec<_>>(),
        vec![ScopeEvent { folder_id: folder, in_scope: true }]
    );
    assert!(events(OFFICE, 0).is_empty());
    // Soleto pulls it, and may write into it.
    assert_eq!(seqs(store.pull(0, 100, usize::MAX, "Soleto", None).unwrap()), vec![(a, 1), (a, 2), (a, 3)]);
    assert!(store.push(b, "Soleto", &incoming(&entries(b, 1, 1))).unwrap().rejected.is_empty());
    let history = store.folder_entries(folder, 0, 3, 2, usize::MAX).unwrap();
    assert_eq!((history.entries.len(), history.cursor, history.more), (2, 2, true), "paged, up to a position");
    assert_eq!(seqs(store.folder_entries(folder, 2, 3, 100, usize::MAX).unwrap()), vec![(a, 3)]);
    let by_size = store.folder_entries(folder, 0, 3, 100, 1).unwrap();
    assert_eq!((by_size.entries.len(), by_size.cursor, by_size.more), (1, 1, true), "bounded by bytes, one at least");
    // No longer shared: Soleto pulls none of it, is told, and its writes are refused.
    let seen = events("Soleto", 0).last().unwrap().0;
    assert!(store.unshare_folder(folder, "Soleto").unwrap());
    assert!(!store.unshare_folder(folder, "Soleto").unwrap());
    assert_eq!(
        events("Soleto", seen).iter().map(|(_, e)| *e).collect::<Vec<_>>(),
        vec![ScopeEvent { folder_id: folder, in_scope: false }]
    );
    assert!(store.pull(0, 100, usize::MAX, "Soleto", None).unwrap().entries.is_empty());
    assert_eq!(store.push(b, "Soleto", &incoming(&entries(b, 2, 2))).unwrap().rejected.len(), 1);
    // Moved: Soleto holds it, the old office is told it left.
    let before = events(OFFICE, 0).len();
    assert!(store.move_folder(folder, "Soleto").unwrap());
    assert!(!store.move_folder(folder, "Soleto").unwrap());
    assert_eq!(events(OFFICE, 0).len(), before + 1);
    assert_eq!(events(OFFICE, 0).last().unwrap().1, ScopeEvent { folder_id: folder, in_scope: false });
    assert_eq!(events("Soleto", 0).last().unwrap().1, ScopeEvent { folder_id: folder, in_scope: true });
    assert!(store.pull(0, 100, usize::MAX, OFFICE, None).unwrap().entries.is_empty());
    assert_eq!(store.pull(0, 100, usize::MAX, "Soleto", None).unwrap().entries.len(), 4);
}

fn operator_accounts_are_kept_per_office_and_changed_by_login(store: impl SyncStore) {
    // A lock as stored: its content is opaque to the storage.
    let lock = |n: u8| ActivationLock { public_key: [n; 32], salt: vec![n; 16], kdf: PASSPHRASE_KDF };
    store.set_up(&Ambito { name: "Ambito".into(), offices: vec![OFFICE.into(), "Soleto".into()] }).unwrap();
    let account = |login: &str, office: &str| OperatorRecord {
        id: Uuid::now_v7(),
        login: login.into(),
        display_name: format!("Persona {login}"),
        role: Role::Mediator,
        office: office.into(),
        disabled: false,
        activation: Some(Activation { lock: lock(1), expires_ms: 1_000, health_key: None }),
    };
    let maria = account("m.rossi", OFFICE);
    store.add_operator(&maria).unwrap();
    store.add_operator(&account("s.bianchi", "Soleto")).unwrap();
    assert!(matches!(store.add_operator(&account("m.rossi", "Soleto")), Err(OperatorError::LoginTaken)));
    assert!(matches!(store.add_operator(&account("x", "Nardò")), Err(OperatorError::UnknownOffice)));
    assert_eq!(store.operators(Some(OFFICE)).unwrap(), vec![maria.clone()]);
    assert_eq!(store.operators(None).unwrap().len(), 2);
    assert!(store.change_operator("m.rossi", &OperatorChange::Role(Role::Coordinator)).unwrap());
    assert!(store.change_operator("m.rossi", &OperatorChange::Disabled(true)).unwrap());
    let renewed = Activation { lock: lock(2), expires_ms: 9_000, health_key: None };
    assert!(store.change_operator("m.rossi", &OperatorChange::Activation(renewed.clone())).unwrap());
    assert!(!store.change_operator("nessuno", &OperatorChange::Disabled(true)).unwrap());
    let changed = &store.operators(Some(OFFICE)).unwrap()[0];
    assert_eq!((changed.role, changed.disabled, changed.activation.clone()), (Role::Coordinator, true, Some(renewed)));
}

fn audit_lines_are_stored_once_in_order_and_gaps_refused(store: impl SyncStore) {
    let (a, b, folder) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(7));
    let line = |seq: u64, at_ms: u64| AuditLine {
        seq,
        at_ms,
        operator_id: Uuid::from_u128(9),
        action: AuditAction::Read,
        folder_id: folder,
        section: "folder".into(),
        health_restricted: false,
    };
    let acknowledged = |lines: &[AuditLine]| store.push_audit(a, OFFICE, lines).map(|stored| stored.acknowledged);
    assert_eq!(acknowledged(&[line(1, 10), line(2, 30)]).unwrap(), 2);
    assert_eq!(acknowledged(&[line(2, 30), line(3, 40)]).unwrap(), 3, "resending is harmless");
    assert!(matches!(acknowledged(&[line(5, 50)]), Err(AuditError::Gap { expected: 4 })));
    assert_eq!(store.push_audit(b, OFFICE, &[line(1, 20)]).unwrap().acknowledged, 1);
    let seen: Vec<(Uuid, u64)> = store.folder_audit(folder).unwrap().into_iter().map(|(d, l)| (d, l.seq)).collect();
    assert_eq!(seen, vec![(a, 1), (b, 1), (a, 2), (a, 3)], "by time, each line once, the gap stored nothing");
    assert!(store.folder_audit(Uuid::from_u128(8)).unwrap().is_empty());

    // Folder 7 is now PUA Galatina's (its entries arrived): a Soleto device cannot write into
    // its access log. The refused line keeps its place, and the next line is stored.
    store.push(a, OFFICE, &incoming(&entries(a, 1, 1))).unwrap();
    let soleto = Uuid::from_u128(3);
    let mut own_folder = line(2, 70);
    own_folder.folder_id = Uuid::from_u128(9);
    let stored = store.push_audit(soleto, "Soleto", &[line(1, 60), own_folder]).unwrap();
    assert_eq!(stored.acknowledged, 2);
    assert_eq!(stored.refused, vec![Rejection { seq: 1, code: RejectionCode::OutOfScope }]);
    assert_eq!(store.folder_audit(folder).unwrap().len(), 4, "nothing stored for folder 7");
    assert_eq!(store.folder_audit(Uuid::from_u128(9)).unwrap().len(), 1, "a folder the server never saw: its own");
    assert_eq!(store.push_audit(soleto, "Soleto", &[line(3, 80)]).unwrap().refused.len(), 1, "and the next follows");
}

fn pushes_are_acknowledged_and_pulled_in_order(store: impl SyncStore) {
    let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
    assert_eq!(store.push(a, OFFICE, &incoming(&entries(a, 1, 3))).unwrap().acknowledged, 3);
    assert_eq!(store.push(b, OFFICE, &incoming(&entries(b, 1, 2))).unwrap().acknowledged, 2);
    assert_eq!(store.push(a, OFFICE, &incoming(&entries(a, 4, 5))).unwrap().acknowledged, 5);
    let page = store.pull(0, 100, usize::MAX, OFFICE, None).unwrap();
    let order: Vec<(Uuid, u64)> = page.entries.iter().map(|e| (e.device_id, e.seq)).collect();
    assert_eq!(order, vec![(a, 1), (a, 2), (a, 3), (b, 1), (b, 2), (a, 4), (a, 5)]);
    assert_eq!(page.entries[0], entries(a, 1, 1)[0], "entries come back exactly as pushed");
    assert!(!page.more);
    assert!(store.pull(page.cursor, 100, usize::MAX, OFFICE, None).unwrap().entries.is_empty());
    assert_eq!(store.acknowledged(a).unwrap(), 5);
    assert_eq!(store.acknowledged(Uuid::from_u128(3)).unwrap(), 0);
}

fn resending_is_harmless(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    store.push(a, OFFICE, &incoming(&entries(a, 1, 4))).unwrap();
    // The answer was lost; the device sends again, with more.
    let again = store.push(a, OFFICE, &incoming(&entries(a, 1, 6))).unwrap();
    assert_eq!(again.acknowledged, 6);
    assert_eq!(store.pull(0, 100, usize::MAX, OFFICE, None).unwrap().entries.len(), 6, "nothing stored twice");
}

fn a_gap_is_refused_and_changes_nothing(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    store.push(a, OFFICE, &incoming(&entries(a, 1, 2))).unwrap();
    let error = store.push(a, OFFICE, &incoming(&entries(a, 4, 5))).unwrap_err();
    assert!(matches!(error, StorageError::SequenceGap { expected: 3 }), "{error:?}");
    let mut holed = incoming(&entries(a, 3, 5));
    let _dropped = holed.remove(1);
    assert!(matches!(store.push(a, OFFICE, &holed), Err(StorageError::SequenceGap { expected: 4 })));
    assert_eq!(store.acknowledged(a).unwrap(), 2);
    assert_eq!(store.pull(0, 100, usize::MAX, OFFICE, None).unwrap().entries.len(), 2);
}

fn a_rejected_entry_keeps_its_place_and_does_not_block_the_rest(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    let mut batch = incoming(&entries(a, 1, 3));
    batch[1].1 = Err(Rejection { seq: 2, code: RejectionCode::UnknownSchema });
    let pushed = store.push(a, OFFICE, &batch).unwrap();
    assert_eq!(pushed.acknowledged, 3);
    assert_eq!(pushed.rejected, vec![Rejection { seq: 2, code: RejectionCode::UnknownSchema }]);
    let seqs: Vec<u64> = store.pull(0, 100, usize::MAX, OFFICE, None).unwrap().entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 3]);
    assert_eq!(store.push(a, OFFICE, &incoming(&entries(a, 4, 4))).unwrap().acknowledged, 4);
}

fn pulls_are_paged_by_count_and_size(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    store.push(a, OFFICE, &incoming(&entries(a, 1, 25))).unwrap();
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page = store.pull(cursor, 10, usize::MAX, OFFICE, None).unwrap();
        assert!(page.entries.len() <= 10);
        seen.extend(page.entries.iter().map(|e| e.seq));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, (1..=25).collect::<Vec<_>>());
    let one = store.pull(0, 100, 1, OFFICE, None).unwrap();
    assert_eq!(one.entries.len(), 1, "a page always carries at least one entry");
    assert!(one.more);
}

/// The administrator of Soleto who enrolls the devices in these checks.
const ADMIN: &str = "admin.soleto";

fn with_ambito(store: &impl SyncStore) {
    let ambito = Ambito { name: "Ambito di Galatina".into(), offices: vec!["PUA Galatina".into(), "Soleto".into()] };
    store.set_up(&ambito).unwrap();
    store.set_up(&Ambito { offices: vec!["Soleto".into(), "Sogliano".into()], ..ambito }).unwrap();
    let offices = store.ambito().unwrap().unwrap().offices;
    assert_eq!(offices, ["PUA Galatina", "Soleto", "Sogliano"], "offices are added once, in order");
    let account = |login: &str, role: Role, office: &str| OperatorRecord {
        id: Uuid::now_v7(),
        login: login.into(),
        display_name: login.into(),
        role,
        office: office.into(),
        disabled: false,
        activation: None,
    };
    store.add_operator(&account(ADMIN, Role::Administrator, "Soleto")).unwrap();
    store.add_operator(&account("mediatrice.soleto", Role::Mediator, "Soleto")).unwrap();
    store.add_operator(&account("admin.galatina", Role::Administrator, "PUA Galatina")).unwrap();
}

fn code(n: u8, expires_ms: u64) -> NewEnrollment {
    NewEnrollment { code_hash: [n; 32], device_name: format!("Portatile {n}"), office: "Soleto".into(), expires_ms }
}

fn a_code_enrolls_one_device_once_before_it_expires(store: impl SyncStore) {
    assert_eq!(store.ambito().unwrap(), None);
    with_ambito(&store);
    let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
    store.add_enrollment(&code(1, 1_000)).unwrap();
    store.add_enrollment(&code(2, 1_000)).unwrap();
    store.add_enrollment(&code(3, 1_000)).unwrap();
    // Only an administrator of the code's office enrolls, and a refusal spends no code.
    for enroller in ["mediatrice.soleto", "admin.galatina", "nessuno"] {
        let refused = store.enroll(&[1; 32], a, b"key a", enroller, 999);
        assert!(
            matches!(refused, Err(EnrollmentError::NotAnAdministrator { ref office }) if office == "Soleto"),
            "{enroller}"
        );
    }
    let device = store.enroll(&[1; 32], a, b"key a", ADMIN, 999).unwrap();
    assert_eq!(
        (device.name.as_str(), device.office.as_str(), device.status),
        ("Portatile 1", "Soleto", DeviceStatus::Active)
    );
    assert_eq!(store.device(a).unwrap(), Some(device));
    assert!(matches!(store.enroll(&[1; 32], b, b"key b", ADMIN, 999), Err(EnrollmentError::UnknownCode)), "used once");
    assert!(matches!(store.enroll(&[9; 32], b, b"key b", ADMIN, 999), Err(EnrollmentError::UnknownCode)));
    assert!(matches!(store.enroll(&[2; 32], b, b"key b", ADMIN, 1_001), Err(EnrollmentError::Expired)));
    assert!(matches!(store.enroll(&[2; 32], b, b"key b", ADMIN, 999), Err(EnrollmentError::UnknownCode)), "spent");
    assert!(matches!(store.enroll(&[3; 32], a, b"key c", ADMIN, 999), Err(EnrollmentError::AlreadyEnrolled)));
    assert_eq!(store.device(a).unwrap().unwrap().public_key, b"key a", "the first key stays");
    assert_eq!(store.device(b).unwrap(), None);
    assert_eq!(store.devices().unwrap().len(), 1);
}

fn revoking_and_ordering_a_wipe_change_the_status(store: impl SyncStore) {
    with_ambito(&store);
    let a = Uuid::from_u128(1);
    assert!(!store.set_status(a, DeviceStatus::Revoked).unwrap(), "not enrolled");
    store.add_enrollment(&code(1, 1_000)).unwrap();
    store.enroll(&[1; 32], a, b"key a", ADMIN, 5).unwrap();
    for status in [DeviceStatus::Revoked, DeviceStatus::WipeOrdered, DeviceStatus::Active] {
        assert!(store.set_status(a, status).unwrap());
        assert_eq!(store.device(a).unwrap().unwrap().status, status);
    }
}

fn a_nonce_is_accepted_once_until_forgotten(store: impl SyncStore) {
    let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
    assert!(store.first_use_of_nonce(a, "n1", 100, 0).unwrap());
    assert!(!store.first_use_of_nonce(a, "n1", 150, 0).unwrap(), "a replay");
    assert!(store.first_use_of_nonce(b, "n1", 150, 0).unwrap(), "nonces are per device");
    assert!(store.first_use_of_nonce(a, "n2", 500, 200).unwrap());
    assert!(store.first_use_of_nonce(a, "n1", 500, 200).unwrap(), "forgotten once older than the window");
}

fn a_folder_belongs_to_the_office_that_first_pushed_it(store: impl SyncStore) {
    let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
    // Device b, of another office, writes into a's folder (7) and into a folder of its own (8).
    store.push(a, OFFICE, &incoming(&entries(a, 1, 2))).unwrap();
    let mut theirs = entries(b, 1, 3);
    theirs[2].folder_id = Uuid::from_u128(8);
    let pushed = store.push(b, "Soleto", &incoming(&theirs)).unwrap();
    assert_eq!(pushed.acknowledged, 3, "out-of-scope entries keep their place");
    let codes: Vec<(u64, RejectionCode)> = pushed.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!(codes, vec![(1, RejectionCode::OutOfScope), (2, RejectionCode::OutOfScope)]);
    let ours: Vec<(Uuid, u64)> =
        store.pull(0, 100, usize::MAX, OFFICE, None).unwrap().entries.iter().map(|e| (e.device_id, e.seq)).collect();
    assert_eq!(ours, vec![(a, 1), (a, 2)], "an office pulls its own folders only");
    let soleto: Vec<(Uuid, u64)> =
        store.pull(0, 100, usize::MAX, "Soleto", None).unwrap().entries.iter().map(|e| (e.device_id, e.seq)).collect();
    assert_eq!(soleto, vec![(b, 3)]);
    let others = store.pull(0, 100, usize::MAX, OFFICE, Some(a)).unwrap();
    assert!(others.entries.is_empty(), "a device is not sent back what it wrote");
    assert_eq!(
        others.cursor,
        store.pull(0, 100, usize::MAX, OFFICE, None).unwrap().cursor,
        "its cursor moves past them"
    );
}

fn an_erased_folder_keeps_no_value_on_the_server(store: impl SyncStore) {
    let a = Uuid::from_u128(1);
    let mut log = entries(a, 1, 5);
    log[3].field = porta_wire::folder::ERASED.into();
    log[3].value = serde_json::Value::Bool(true);
    log[4].folder_id = Uuid::from_u128(8);
    store.push(a, OFFICE, &incoming(&log[..4])).unwrap();
    // Written elsewhere before the erasure reached it, arriving after: blanked too.
    let mut late = entries(a, 5, 6);
    late[1].folder_id = Uuid::from_u128(8);
    store.push(a, OFFICE, &incoming(&late)).unwrap();
    let stored: Vec<(u64, serde_json::Value)> = store
        .pull(0, 100, usize::MAX, OFFICE, None)
        .unwrap()
        .entries
        .into_iter()
        .map(|entry| (entry.seq, entry.value))
        .collect();
    let null = serde_json::Value::Null;
    assert_eq!(
        stored,
        vec![
            (1, null.clone()),
            (2, null.clone()),
            (3, null.clone()),
            (4, serde_json::Value::Bool(true)),
            (5, null),
            (6, serde_json::json!("nota 6")),
        ],
        "the erased folder's values are gone; another folder's stay"
    );
}

fn puglia_lecce() -> StpEniSeries {
    StpEniSeries { region: "160".into(), asl: "116".into() }
}

/// Random interleavings of devices asking for blocks of random sizes, sequentially and from
/// threads at once: the blocks of each kind tile `1..=n` exactly, none overlapping, none
/// skipped.
fn stp_eni_numbers_are_never_handed_out_twice<S: SyncStore>(make: &impl Fn() -> S) {
    let unconfigured = make();
    assert!(matches!(
        unconfigured.reserve_stp_eni_numbers(StpEniKind::Stp, Uuid::from_u128(1), 10, 0),
        Err(ReserveError::NotConfigured)
    ));
    for seed in 0..20 {
        let store = make();
        store.set_stp_eni_series(&puglia_lecce(), None).unwrap();
        let mut random = SeededRandom::new(seed);
        let mut blocks = Vec::new();
        for _ in 0..30 {
            let device = Uuid::from_u128(u128::from(random.below(4)) + 1);
            let kind = *random.pick(&StpEniKind::ALL);
            let count = random.below(150) as u32 + 1;
            let block = store.reserve_stp_eni_numbers(kind, device, count, 0).unwrap();
            assert_eq!((block.region.as_str(), block.asl.as_str()), ("160", "116"));
            assert_eq!(block.last - block.first + 1, count);
            blocks.push(block);
        }
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|n| {
                    let store = &store;
                    scope.spawn(move || {
                        (0..10)
                            .map(|i| {
                                let kind = StpEniKind::ALL[(n + i) % 2];
                                store.reserve_stp_eni_numbers(kind, Uuid::from_u128(n as u128 + 10), 7, 0).unwrap()
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for handle in handles {
                blocks.extend(handle.join().unwrap());
            }
        });
        for kind in StpEniKind::ALL {
            let mut ranges: Vec<(u32, u32)> =
                blocks.iter().filter(|block| block.kind == kind).map(|block| (block.first, block.last)).collect();
            ranges.sort_unstable();
            let mut expected_first = 1;
            for (first, last) in ranges {
                assert_eq!(first, expected_first, "seed {seed}: {kind:?} numbers overlap or skip at {first}");
                expected_first = last + 1;
            }
        }
    }
}

fn a_stp_eni_series_continues_after_earlier_codes_and_ends(store: impl SyncStore) {
    let device = Uuid::from_u128(1);
    store.set_stp_eni_series(&puglia_lecce(), Some(4_711)).unwrap();
    assert_eq!(store.stp_eni_series().unwrap(), Some(puglia_lecce()));
    let block = store.reserve_stp_eni_numbers(StpEniKind::Eni, device, 10, 0).unwrap();
    assert_eq!((block.first, block.last), (4_712, 4_721));
    // Lowering the start never hands out numbers again.
    store.set_stp_eni_series(&puglia_lecce(), Some(100)).unwrap();
    assert_eq!(store.reserve_stp_eni_numbers(StpEniKind::Eni, device, 1, 0).unwrap().first, 4_722);
    // Another series has its own counter; coming back continues the first one.
    store.set_stp_eni_series(&StpEniSeries { region: "160".into(), asl: "115".into() }, None).unwrap();
    assert_eq!(store.reserve_stp_eni_numbers(StpEniKind::Eni, device, 1, 0).unwrap().first, 1);
    store.set_stp_eni_series(&puglia_lecce(), Some(MAX_PROGRESSIVE - 5)).unwrap();
    let end = store.reserve_stp_eni_numbers(StpEniKind::Stp, device, 10, 0).unwrap();
    assert_eq!((end.first, end.last), (MAX_PROGRESSIVE - 4, MAX_PROGRESSIVE), "the last block is cut at seven digits");
    assert!(matches!(store.reserve_stp_eni_numbers(StpEniKind::Stp, device, 1, 0), Err(ReserveError::Exhausted)));
}

//! The store against a real SQLCipher database in a temporary folder.

use ring::rand::SystemRandom;

use super::*;
use crate::clock::ManualClock;
use crate::keys::Passphrase;
use crate::keys::RecoveryKey;
use crate::{ErrorCode, UserFacingError};

const PASSPHRASE: &str = "mare d'inverno a Galatina";
const MARKER: &str = "ZQXMARKER4711";

fn folder() -> (tempfile::TempDir, DataDir) {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::resolve(Some(dir.path().to_owned())).unwrap();
    (dir, data_dir)
}

fn first_run(admin_name: &str) -> FirstRun {
    FirstRun {
        admin_name: admin_name.into(),
        admin_passphrase: Passphrase::new(PASSPHRASE).unwrap(),
        ..FirstRun::example("Portatile mediazione 1")
    }
}

fn set_up(data_dir: &DataDir) -> (Store, RecoveryKey) {
    Store::set_up(data_dir, first_run("Anna Esempio"), &ManualClock::at(1_000), &SystemRandom::new()).unwrap()
}

fn file_bytes(data_dir: &DataDir) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(data_dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn first_run_creates_a_store_that_the_administrator_unlocks() {
    let (_dir, data_dir) = folder();
    let (store, _recovery) = set_up(&data_dir);
    let device = store.device_id();
    let admin = store.operator().clone();
    assert_eq!(admin.role, Role::Administrator);
    store.lock();

    let store = Store::unlock(&data_dir, "admin", PASSPHRASE, &ManualClock::at(2_000)).unwrap();
    assert_eq!(store.device_id(), device);
    assert_eq!(store.operator(), &admin);
    assert_eq!(
        database_status(&data_dir),
        DatabaseStatus::Present { bytes: std::fs::metadata(data_dir.database_file()).unwrap().len() }
    );
}

#[test]
fn first_run_on_a_set_up_device_is_refused_and_changes_nothing() {
    let (_dir, data_dir) = folder();
    set_up(&data_dir).0.lock();
    let before = file_bytes(&data_dir);
    let error =
        Store::set_up(&data_dir, first_run("Altra Persona"), &ManualClock::at(0), &SystemRandom::new()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::AlreadySetUp);
    assert_eq!(file_bytes(&data_dir), before);
}

#[test]
fn first_run_with_an_empty_field_is_refused_and_leaves_no_files() {
    let (_dir, data_dir) = folder();
    let mut first = first_run("Anna Esempio");
    first.office = "   ".into();
    let error = Store::set_up(&data_dir, first, &ManualClock::at(0), &SystemRandom::new()).unwrap_err();
    assert!(matches!(error, StoreError::MissingValue { field: "field-office" }));
    let message = crate::ErrorPayload::localized(&error, &crate::Localizer::new(), crate::Locale::It).message;
    assert!(message.contains("Ufficio"), "{message}");
    assert!(file_bytes(&data_dir).is_empty());
}

#[test]
fn unlocking_a_device_that_is_not_set_up_says_so() {
    let (_dir, data_dir) = folder();
    let error = Store::unlock(&data_dir, "admin", PASSPHRASE, &ManualClock::at(0)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::NotSetUp);
}

#[test]
fn a_wrong_passphrase_and_a_wrong_recovery_key_have_their_own_codes() {
    let (_dir, data_dir) = folder();
    set_up(&data_dir).0.lock();
    let wrong = Store::unlock(&data_dir, "admin", "non è questa la frase", &ManualClock::at(5_000)).unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::WrongPassphrase);
    let other_recovery = RecoveryKey::generate(&SystemRandom::new());
    let new = Passphrase::new("una frase tutta nuova").unwrap();
    let error = Store::reset_passphrase(&data_dir, &other_recovery, "admin", &new, &SystemRandom::new()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::WrongRecoveryKey);
}

#[test]
fn failed_attempts_survive_a_restart() {
    let (_dir, data_dir) = folder();
    set_up(&data_dir).0.lock();
    let clock = ManualClock::at(10_000);
    for _ in 0..3 {
        let _ = Store::unlock(&data_dir, "admin", "sbagliata sbagliata", &clock);
    }
    // A fresh read of the key file (as after restarting the app) still knows the count.
    let error = Store::unlock(&data_dir, "admin", PASSPHRASE, &clock).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnlockDelayed);
    clock.advance(std::time::Duration::from_secs(1));
    assert!(Store::unlock(&data_dir, "admin", PASSPHRASE, &clock).is_ok());
}

#[test]
fn the_recovery_key_resets_a_forgotten_passphrase_without_re_encrypting() {
    let (_dir, data_dir) = folder();
    let (store, recovery) = set_up(&data_dir);
    store.lock();
    let database_before = std::fs::read(data_dir.database_file()).unwrap();

    let typed = recovery.display_grouped().to_lowercase();
    let recovery: RecoveryKey = typed.parse().unwrap();
    let new = Passphrase::new("ricordo questa invece").unwrap();
    Store::reset_passphrase(&data_dir, &recovery, "admin", &new, &SystemRandom::new()).unwrap().lock();

    assert_eq!(std::fs::read(data_dir.database_file()).unwrap(), database_before, "the database was not rewritten");
    assert_eq!(
        Store::unlock(&data_dir, "admin", PASSPHRASE, &ManualClock::at(0)).unwrap_err().code(),
        ErrorCode::WrongPassphrase
    );
    assert!(Store::unlock(&data_dir, "admin", "ricordo questa invece", &ManualClock::at(0)).is_ok());
}

#[test]
fn changing_the_passphrase_rewraps_the_key_only() {
    let (_dir, data_dir) = folder();
    let (store, _) = set_up(&data_dir);
    drop(store);
    let store = Store::unlock(&data_dir, "admin", PASSPHRASE, &ManualClock::at(0)).unwrap();
    let database_before = std::fs::read(data_dir.database_file()).unwrap();
    store.change_passphrase(&Passphrase::new("nuova frase segreta lunga").unwrap(), &SystemRandom::new()).unwrap();
    assert_eq!(std::fs::read(data_dir.database_file()).unwrap(), database_before);
    store.lock();
    assert!(Store::unlock(&data_dir, "admin", "nuova frase segreta lunga", &ManualClock::at(0)).is_ok());
}

#[test]
fn an_administrator_adds_operators_and_a_mediator_cannot() {
    let (_dir, data_dir) = folder();
    let (mut admin, _) = set_up(&data_dir);
    let clock = ManualClock::at(0);
    let random = SystemRandom::new();
    let passphrase = Passphrase::new("frase della mediatrice").unwrap();
    let mediator =
        admin.add_operator("mediatrice", "Sara Prova", Role::Mediator, &passphrase, &clock, &random).unwrap();
    let taken = admin.add_operator("mediatrice", "Altra", Role::Operator, &passphrase, &clock, &random).unwrap_err();
    assert_eq!(taken.code(), ErrorCode::InvalidInput);
    admin.lock();

    let mut store = Store::unlock(&data_dir, "mediatrice", "frase della mediatrice", &clock).unwrap();
    assert_eq!(store.operator(), &mediator);
    let refused =
        store.add_operator("altro", "Altro Nome", Role::Administrator, &passphrase, &clock, &random).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::NotPermitted);
}

#[test]
fn without_the_key_the_database_is_unreadable() {
    let (_dir, data_dir) = folder();
    set_up(&data_dir).0.lock();
    let conn = rusqlite::Connection::open(data_dir.database_file()).unwrap();
    let error = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0)).unwrap_err();
    assert!(error.to_string().contains("not a database"), "{error}");
}

#[test]
fn a_known_marker_never_reaches_the_disk_in_clear() {
    let (_dir, data_dir) = folder();
    let (mut store, _) =
        Store::set_up(&data_dir, first_run(&format!("Anna {MARKER}")), &ManualClock::at(0), &SystemRandom::new())
            .unwrap();
    let passphrase = Passphrase::new("frase della mediatrice").unwrap();
    for n in 0..50 {
        let name = format!("Operatore {MARKER} {n}");
        store
            .add_operator(
                &format!("op{n}"),
                &name,
                Role::Operator,
                &passphrase,
                &ManualClock::at(0),
                &SystemRandom::new(),
            )
            .unwrap();
    }
    // Case data: a person, a note, a document number and a scanned file carrying the marker.
    let clock = ManualClock::at(1_795_683_600_000);
    let person = crate::folder::person::PersonDetails {
        family_name: format!("Diallo {MARKER}"),
        given_names: "Aminata".into(),
        aliases: vec![format!("Aminatou {MARKER}")],
        ..Default::default()
    };
    let folder = store.create_person(&person, &clock).unwrap();
    let note = crate::folder::note::NoteDetails {
        text: format!("Colloquio {MARKER}"),
        confidentiality: crate::folder::note::Confidentiality::HealthRestricted,
    };
    store.add(folder, &note, &clock).unwrap();
    let document = crate::folder::document::DocumentDetails {
        number: Some(format!("{MARKER}X")),
        ..crate::folder::document::DocumentDetails::example()
    };
    store.add(folder, &document, &clock).unwrap();
    let scan = format!("%PDF-1.7\n% {MARKER}\n");
    store.add_attachment(folder, None, &format!("{MARKER}.pdf"), scan.as_bytes(), 1_000_000, &clock).unwrap();
    assert!(store.search_people(MARKER, None, 5).unwrap().iter().any(|hit| hit.id == folder));
    // With the store still open the WAL and shared-memory files exist too.
    let files = file_bytes(&data_dir);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"porta.db-wal"), "{names:?}");
    for (name, bytes) in &files {
        assert!(!bytes.windows(MARKER.len()).any(|window| window == MARKER.as_bytes()), "{MARKER} found in {name}");
    }
    store.lock();
    for (name, bytes) in file_bytes(&data_dir) {
        assert!(!bytes.windows(MARKER.len()).any(|window| window == MARKER.as_bytes()), "{MARKER} found in {name}");
    }
}

/// Every text and blob in every table of the open database, as SQLCipher gives it to whoever
/// holds the database key: what an operator with their passphrase and SQLite tools reads.
fn everything_readable(store: &Store) -> String {
    let tables: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut all = String::new();
    for table in tables {
        let mut statement = store.conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for column in 0..columns {
                match row.get_ref(column).unwrap() {
                    rusqlite::types::ValueRef::Text(text) | rusqlite::types::ValueRef::Blob(text) => {
                        all.push_str(&String::from_utf8_lossy(text));
                        all.push('\n');
                    }
                    _ => {}
                }
            }
        }
    }
    all
}

#[test]
fn a_mediators_passphrase_opens_the_database_but_not_the_health_content() {
    use crate::folder::appointment::{AppointmentDetails, CupBooking};
    use crate::folder::note::{Confidentiality, NoteDetails};
    const HEALTH: &str = "ECOGRAFIA-MARCATORE";
    let (_dir, data_dir) = folder();
    let random = SystemRandom::new();
    let clock = ManualClock::at(1_795_683_600_000);
    let (mut admin, _) = Store::set_up(&data_dir, first_run("Anna"), &clock, &random).unwrap();
    let mediator_passphrase = Passphrase::new("frase della mediatrice").unwrap();
    let liaison_passphrase = Passphrase::new("frase del referente sanitario").unwrap();
    admin.add_operator("amina", "Amina", Role::Mediator, &mediator_passphrase, &clock, &random).unwrap();
    admin.add_operator("sara", "Sara", Role::HealthLiaison, &liaison_passphrase, &clock, &random).unwrap();
    let folder = admin
        .create_person(
            &crate::folder::person::PersonDetails { family_name: "Diallo".into(), ..Default::default() },
            &clock,
        )
        .unwrap();
    admin
        .add(
            folder,
            &NoteDetails { text: format!("Gravidanza {HEALTH}"), confidentiality: Confidentiality::HealthRestricted },
            &clock,
        )
        .unwrap();
    let booking = AppointmentDetails {
        cup: Some(CupBooking { service: HEALTH.into(), facility: "Ospedale".into(), booking_code: "CUP-1".into() }),
        ..AppointmentDetails::example()
    };
    admin.add(folder, &booking, &clock).unwrap();
    let ordinary = NoteDetails { text: "Chiede del permesso".into(), confidentiality: Confidentiality::Normal };
    admin.add(folder, &ordinary, &clock).unwrap();
    admin.lock();

    // The mediator's passphrase opens the database: every table, read as SQLite tools would,
    // holds no health content in clear — only seals — and the ordinary note is there.
    let mediator = Store::unlock(&data_dir, "amina", "frase della mediatrice", &clock).unwrap();
    assert!(!mediator.holds_health_key());
    let readable = everything_readable(&mediator);
    assert!(readable.contains("Chiede del permesso"));
    assert!(readable.contains(r#"{"sealed":"#));
    assert!(!readable.contains(HEALTH), "health content readable with a mediator's passphrase");
    assert!(!readable.contains("Gravidanza"));
    // The lists still know when the CUP appointment is, as restricted (the agenda's derived row).
    let restricted: i64 =
        mediator.conn.query_row("SELECT count(*) FROM agenda WHERE restricted = 1", [], |row| row.get(0)).unwrap();
    assert_eq!(restricted, 1);
    let seen = mediator.folder(folder, &clock).unwrap();
    assert_eq!(seen.notes.len(), 1);
    assert!(seen.appointments.is_empty());
    mediator.lock();

    // The health liaison's passphrase brings the health key: the content opens.
    let liaison = Store::unlock(&data_dir, "sara", "frase del referente sanitario", &clock).unwrap();
    assert!(liaison.holds_health_key());
    let seen = liaison.folder(folder, &clock).unwrap();
    assert!(seen.notes.iter().any(|note| note.details.text.contains(HEALTH)));
    assert_eq!(seen.appointments[0].details.cup.as_ref().unwrap().service, HEALTH);
    let week = crate::store::agenda::AgendaQuery {
        first: crate::folder::Day(crate::calendar::date(2026, 12, 1)),
        days: 7,
        operator: None,
    };
    let agenda = liaison.appointments(&week).unwrap();
    assert_eq!(agenda.len(), 1);
    assert_eq!(agenda[0].appointment.details.cup.as_ref().unwrap().service, HEALTH);
}

#[test]
fn a_row_that_stops_being_health_content_is_written_again_in_clear_and_one_that_becomes_it_is_sealed() {
    use crate::folder::note::{Confidentiality, NoteDetails};
    let (_dir, data_dir) = folder();
    let random = SystemRandom::new();
    let clock = ManualClock::at(1_795_683_600_000);
    let (mut admin, _) = Store::set_up(&data_dir, first_run("Anna"), &clock, &random).unwrap();
    let folder = admin
        .create_person(
            &crate::folder::person::PersonDetails { family_name: "Diallo".into(), ..Default::default() },
            &clock,
        )
        .unwrap();
    let ordinary = NoteDetails { text: "Testo IN-CHIARO".into(), confidentiality: Confidentiality::Normal };
    let note = admin.add(folder, &ordinary, &clock).unwrap();
    let current = |store: &Store| -> String {
        store
            .conn
            .query_row(
                "SELECT value FROM field_values WHERE row_id = ?1
                 AND field_ref IN (SELECT ref FROM log_fields WHERE field = 'text')",
                [note],
                |row| row.get(0),
            )
            .unwrap()
    };
    assert!(current(&admin).contains("IN-CHIARO"));
    admin
        .update(note, &NoteDetails { confidentiality: Confidentiality::HealthRestricted, ..ordinary.clone() }, &clock)
        .unwrap();
    assert!(!current(&admin).contains("IN-CHIARO"), "the unchanged text is sealed with its row");
    admin.update(note, &ordinary, &clock).unwrap();
    assert!(current(&admin).contains("IN-CHIARO"), "back in clear, readable by every role");
    let mediator = crate::store::test_support::as_role(admin, Role::Mediator);
    assert_eq!(mediator.folder(folder, &clock).unwrap().notes.len(), 1);
}

/// On Windows the default data folder is the user's `%APPDATA%\Porta\Porta\data`, and a store
/// is made, locked and opened there. CI runs this under Wine as a user named "Zoë Ñandú Rossi",
/// so the path has accented letters and spaces (`cargo xtask test`, the Windows step).
#[cfg(windows)]
#[test]
fn on_windows_the_default_data_folder_is_the_users_application_data_and_holds_a_store() {
    let appdata = std::path::PathBuf::from(std::env::var_os("APPDATA").expect("Windows names the application data"));
    let porta = appdata.join("Porta");
    let _ = std::fs::remove_dir_all(&porta);
    let data_dir = DataDir::resolve(None).unwrap();
    assert_eq!(data_dir.path(), porta.join("Porta").join("data"));
    let (store, _recovery) = set_up(&data_dir);
    let device = store.device_id();
    store.lock();
    let store = Store::unlock(&data_dir, "admin", PASSPHRASE, &ManualClock::at(2_000)).unwrap();
    assert_eq!(store.device_id(), device);
    store.lock();
    std::fs::remove_dir_all(&porta).unwrap();
}

#[test]
fn folder_reads_and_searches_are_planned_once_per_connection() {
    let (_dir, data_dir) = folder();
    let (mut store, _) = set_up(&data_dir);
    let clock = ManualClock::at(test_support::NOW_MS);
    for family in ["Diallo", "Okafor", "Haddad"] {
        let folder = store.create_person(&test_support::person(family, "Amina", Some(1990)), &clock).unwrap();
        let document = crate::folder::document::DocumentDetails {
            number: Some(format!("{family}123")),
            ..crate::folder::document::DocumentDetails::example()
        };
        store.add(folder, &document, &clock).unwrap();
        rows::folder_rows(&store.conn, folder).unwrap();
    }
    for _ in 0..2 {
        assert_eq!(store.search_people("Amina", None, 10).unwrap().len(), 3);
    }
    // The cache hands back the statements the writes and reads above used, with their counts.
    for sql in [rows::FOLDER_ROWS, search::DOCUMENT_NUMBERS, search::OPEN_PRACTICES] {
        let statement = store.conn.prepare_cached(sql).unwrap();
        let runs = statement.get_status(rusqlite::StatementStatus::Run);
        assert!(runs >= 3, "ran {runs} times: {sql}");
        assert_eq!(statement.get_status(rusqlite::StatementStatus::RePrepare), 0, "prepared again: {sql}");
    }
}

/// `count` people ("Diallo 0", "Diallo 1", …) created in one transaction.
fn create_people(store: &mut Store, count: usize, clock: &ManualClock) {
    store
        .in_one_transaction(|store| {
            for n in 0..count {
                store.create_person(&test_support::person(&format!("Diallo {n}"), "Amina", Some(1990)), clock)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_last_sequence_number_is_found_without_reading_the_log() {
    let (_dir, data_dir) = folder();
    let (mut store, _) = set_up(&data_dir);
    let clock = ManualClock::at(test_support::NOW_MS);
    create_people(&mut store, 200, &clock);
    let written = store.highest_seq(store.device_id()).unwrap();
    assert!(written >= 200, "{written} entries");
    assert_eq!(store.sync_progress().unwrap().waiting, written);
    // Asked at every push and on the Sync page: one seek, not a step per entry.
    let statement = store.conn.prepare_cached(change_log::LAST_KEY).unwrap();
    let steps = statement.get_status(rusqlite::StatementStatus::VmStep);
    assert!(steps < 100, "{steps} steps for {written} entries");
}

#[test]
fn saves_stay_in_the_wal_until_the_store_checkpoints() {
    let (_dir, data_dir) = folder();
    let (mut store, _) = set_up(&data_dir);
    let clock = ManualClock::at(test_support::NOW_MS);
    let person = store.create_person(&test_support::person("Diallo", "Amina", Some(1990)), &clock).unwrap();
    store.checkpoint().unwrap();
    let database = || std::fs::read(data_dir.database_file()).unwrap();
    let before = database();
    for n in 0..150 {
        let mut details = store.person(person, &clock).unwrap().details;
        details.phone = Some(format!("+39 333 {n:07}"));
        store.update_person(person, &details, &clock).unwrap();
    }
    // More pages than SQLite's default limit of 1,000, at which a save would have checkpointed.
    let mut wal = data_dir.database_file().into_os_string();
    wal.push("-wal");
    let wal_pages = std::fs::metadata(&wal).unwrap().len() / 4_096;
    assert!(wal_pages > 1_000, "{wal_pages} pages in the WAL");
    assert_eq!(database(), before, "a save checkpointed");

    store.checkpoint().unwrap();
    assert_ne!(database(), before);
    assert_eq!(store.person(person, &clock).unwrap().details.phone.as_deref(), Some("+39 333 0000149"));
}

#[test]
fn a_page_of_people_applied_at_once_writes_the_full_text_index_once() {
    let clock = ManualClock::at(test_support::NOW_MS);
    let mut writer = test_support::store_as(Role::Administrator);
    create_people(&mut writer, 200, &clock);
    let mut reader = test_support::store_as(Role::Administrator);
    test_support::sync(&writer, &mut reader, &clock);
    // FTS5 keeps new entries in memory until the transaction ends or a statement that needs a
    // statement journal runs: written one person at a time, each became a segment of its own
    // that FTS5 then had to merge. A segment's pages are the rows of `person_search_data`
    // whose id holds its number above bit 36 (the id 10 is the index's structure, 1 its
    // averages).
    let segments: i64 = reader
        .conn
        .query_row("SELECT count(DISTINCT id >> 36) FROM person_search_data WHERE id > 10", [], |row| row.get(0))
        .unwrap();
    assert_eq!(segments, 1, "{segments} segments of full-text index for 200 people applied at once");
    let found = reader.search_people("Diallo 17", None, 10).unwrap();
    assert_eq!(found.first().map(|hit| hit.family_name.as_str()), Some("Diallo 17"));
}

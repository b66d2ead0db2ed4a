//! Case folders through the store: the write path, the change log, roles, audit and search.

use std::time::Duration;

use proptest::prelude::*;
use rusqlite::Connection;

use super::test_support::*;
use super::*;
use crate::clock::ManualClock;
use crate::clock::today_in_rome;
use crate::folder::appointment::AppointmentDetails;
use crate::folder::contact::ContactDetails;
use crate::folder::document::DocumentDetails;
use crate::folder::household::{HouseholdMemberDetails, Relation};
use crate::folder::note::{Confidentiality, NoteDetails};
use crate::folder::person::Sex;
use crate::folder::person::{PartialDate, PersonDetails};
use crate::folder::practice::{PracticeDetails, PracticeStatus};
use crate::folder::{Entity, Section};
use crate::rules::codice_fiscale::{Holder, expected};
use crate::{ErrorCode, UserFacingError};

#[test]
fn a_person_reads_back_as_validated_and_both_accesses_are_audited() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let typed = PersonDetails { aliases: vec!["Aminatou".into()], ..person(" Diallo ", "Aminata", Some(1994)) };
    let id = store.create_person(&typed, &clock).unwrap();
    clock.advance(Duration::from_secs(60));
    let read = store.person(id, &clock).unwrap();
    assert_eq!(read.details, typed.validated(today_in_rome(&clock)).unwrap());
    assert_eq!(read.details.family_name, "Diallo");

    assert_eq!(store.folder_accesses(id).unwrap_err().code(), ErrorCode::NotPermitted, "an operator's own reading");
    let operator = store.operator().id;
    let coordinator = as_role(store, Role::Coordinator);
    let accesses = coordinator.folder_accesses(id).unwrap();
    let summary: Vec<(AuditAction, &str, u64)> =
        accesses.iter().map(|a| (a.action, a.section.as_str(), a.at_ms)).collect();
    assert_eq!(summary, vec![(AuditAction::Write, "person", NOW_MS), (AuditAction::Read, "person", NOW_MS + 60_000)]);
    assert!(accesses.iter().all(|a| a.operator_id == operator));
}

#[test]
fn every_field_write_is_a_change_log_entry_with_a_gapless_sequence() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let id = store.create_person(&person("Popescu", "Ioana", None), &clock).unwrap();
    let created = count(&store.conn, "changes");
    let mut changed = store.person(id, &clock).unwrap().details;
    changed.phone = Some("+39 333 1234567".into());
    store.update_person(id, &changed, &clock).unwrap();
    assert_eq!(count(&store.conn, "changes"), created + 1, "only the changed field is written");

    let entries = change_log::all_entries(&store.conn).unwrap();
    let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=entries.len() as u64).collect::<Vec<_>>());
    let phone = entries.last().unwrap();
    assert_eq!(phone.field, "phone");
    assert_eq!(phone.base, None, "no earlier phone value");
    assert!(entries.windows(2).all(|pair| pair[0].hlc < pair[1].hlc));
}

#[test]
fn invalid_input_is_refused_and_changes_nothing() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let id = store.create_person(&person("Hoxha", "Arben", Some(1980)), &clock).unwrap();
    let before = (state(&store.conn), count(&store.conn, "changes"), count(&store.conn, "audit_log"));

    let future = person("Hoxha", "Arben", Some(2031));
    let error = store.update_person(id, &future, &clock).unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let message = crate::ErrorPayload::localized(&error, &crate::Localizer::new(), crate::Locale::It).message;
    assert_eq!(
        message.replace(['\u{2068}', '\u{2069}'], ""),
        "Il campo «Data di nascita» contiene una data futura. Controlla l'anno."
    );
    let bad_day = PersonDetails {
        birth_date: Some(PartialDate { year: 2023, month: Some(2), day: Some(29), estimated: false }),
        ..person("Hoxha", "Arben", None)
    };
    assert_eq!(store.create_person(&bad_day, &clock).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(store.create_person(&person(" ", "", None), &clock).unwrap_err().code(), ErrorCode::InvalidInput);

    assert_eq!((state(&store.conn), count(&store.conn, "changes"), count(&store.conn, "audit_log")), before);
}

#[test]
fn a_codice_fiscale_already_in_another_folder_is_refused_and_changes_nothing() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let coded = |family: &str| PersonDetails {
        codice_fiscale: Some("DLLMNT90A41Z343M".into()),
        ..person(family, "Aminata", None)
    };
    let first = store.create_person(&coded("Diallo"), &clock).unwrap();
    let other = store.create_person(&person("Diallo", "Fatou", None), &clock).unwrap();
    let before = (state(&store.conn), count(&store.conn, "changes"));
    assert_eq!(store.create_person(&coded("Dialo"), &clock).unwrap_err().code(), ErrorCode::DuplicateCodiceFiscale);
    assert_eq!(
        store.update_person(other, &coded("Diallo"), &clock).unwrap_err().code(),
        ErrorCode::DuplicateCodiceFiscale
    );
    assert_eq!((state(&store.conn), count(&store.conn, "changes")), before);
    // The folder that has the code may of course be saved again, and a deleted one frees it.
    store.update_person(first, &coded("Diallo Bah"), &clock).unwrap();
    store.delete(Entity::Person, first, &clock).unwrap();
    store.update_person(other, &coded("Diallo"), &clock).unwrap();
}

#[test]
fn a_mediator_never_reads_health_restricted_notes() {
    let clock = ManualClock::at(NOW_MS);
    let mut liaison = store_as(Role::HealthLiaison);
    let folder = liaison.create_person(&person("Khan", "Ayesha", Some(1990)), &clock).unwrap();
    let health = NoteDetails {
        text: "Gravidanza, prima visita al consultorio".into(),
        confidentiality: Confidentiality::HealthRestricted,
    };
    let normal =
        NoteDetails { text: "Chiede informazioni sul permesso".into(), confidentiality: Confidentiality::Normal };
    liaison.add(folder, &health, &clock).unwrap();
    liaison.add(folder, &normal, &clock).unwrap();
    assert_eq!(liaison.rows::<NoteDetails>(folder, &clock).unwrap().len(), 2);

    let mut mediator = as_role(liaison, Role::Mediator);
    let seen: Vec<String> =
        mediator.rows::<NoteDetails>(folder, &clock).unwrap().into_iter().map(|n| n.details.text).collect();
    assert_eq!(seen, vec![normal.text.clone()]);
    assert_eq!(mediator.add(folder, &health, &clock).unwrap_err().code(), ErrorCode::NotPermitted);

    let reads = restricted_reads(&mediator, folder);
    assert_eq!(reads, vec![true, false], "the liaison's read touched restricted content, the mediator's did not");

    let statistics = as_role(mediator, Role::StatisticsReader);
    assert_eq!(statistics.rows::<NoteDetails>(folder, &clock).unwrap_err().code(), ErrorCode::NotPermitted);
}

#[test]
fn a_deleted_person_is_gone_from_reads_and_search_but_not_from_history() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let id = store.create_person(&person("Rossi", "Mario", Some(1970)), &clock).unwrap();
    assert_eq!(store.search_people("rossi", None, 5).unwrap().len(), 1);
    let history = count(&store.conn, "changes");
    store.delete(Entity::Person, id, &clock).unwrap();
    assert_eq!(store.person(id, &clock).unwrap_err().code(), ErrorCode::NotFound);
    assert!(store.search_people("rossi", None, 5).unwrap().is_empty());
    assert_eq!(count(&store.conn, "changes"), history + 1);
}

#[test]
fn the_audit_log_cannot_be_rewritten() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Administrator);
    let id = store.create_person(&person("Rossi", "Mario", None), &clock).unwrap();
    store.person(id, &clock).unwrap();
    assert!(store.conn.execute("UPDATE audit_log SET operator_id = x'00'", []).is_err());
    assert!(store.conn.execute("DELETE FROM audit_log", []).is_err());
    assert_eq!(store.folder_accesses(id).unwrap().len(), 2);
}

#[test]
fn search_finds_transliterations_and_filters_by_birth_year() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let others = [
        ("Rossi", "Maria"),
        ("Bianchi", "Giuseppe"),
        ("Diallo", "Mamadou"),
        ("Popescu", "Andrei"),
        ("Hoxha", "Besa"),
        ("Khan", "Imran"),
        ("Mohan", "Ravi"),
        ("Hamed", "Sara"),
        ("Ahmed", "Omar"),
        ("Mahmoud", "Ali"),
        ("Moretti", "Luca"),
        ("Mehmeti", "Drita"),
    ];
    for (family, given) in others {
        store.create_person(&person(family, given, Some(1985)), &clock).unwrap();
    }
    let wanted = store.create_person(&person("Ben Ali", "Mohamed", Some(1991)), &clock).unwrap();
    for typed in ["Mohamed", "Muhammad", "Mohammed", "muhamad", "MOHAMED BEN ALI", "ben ali"] {
        let hits = store.search_people(typed, None, 5).unwrap();
        assert!(hits.iter().any(|hit| hit.id == wanted), "{typed}: {hits:?}");
    }
    assert_eq!(store.search_people("Mohamed", Some(1991), 5).unwrap().len(), 1);
    assert!(store.search_people("Mohamed", Some(1992), 5).unwrap().is_empty());
    let short = store.search_people("be", None, 10).unwrap();
    assert!(short.iter().any(|hit| hit.id == wanted), "a two-letter prefix matches the start of a word");
}

#[test]
fn a_name_as_written_is_listed_before_names_that_only_sound_like_it() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let written = store.create_person(&person("Mohamed", "Awa", Some(1990)), &clock).unwrap();
    // Saved after it, so listed first among names that sound alike.
    let sounding: Vec<Uuid> = (0..6)
        .map(|n| store.create_person(&person("Muhammad", &format!("Awa {n}"), Some(1990)), &clock).unwrap())
        .collect();
    let hits = store.search_people("Mohamed", None, 4).unwrap();
    assert_eq!(hits.len(), 4, "{hits:?}");
    assert_eq!(hits[0].id, written, "{hits:?}");
    assert!(hits[1..].iter().all(|hit| sounding.contains(&hit.id)), "{hits:?}");
    // Within a tier, the newest folder comes first.
    let hits = store.search_people("Muhammad", None, 2).unwrap();
    assert_eq!(hits.iter().map(|hit| hit.id).collect::<Vec<_>>(), [sounding[5], sounding[4]]);
}

#[test]
fn possible_duplicates_are_found_by_code_or_by_name_and_year() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let coded =
        PersonDetails { codice_fiscale: Some("DLLMNT90A41Z343M".into()), ..person("Diallo", "Aminata", Some(1990)) };
    let existing = store.create_person(&coded, &clock).unwrap();
    let same_code = PersonDetails { codice_fiscale: Some("dllmnt90a41z343m".into()), ..person("Dialo", "Amina", None) };
    assert_eq!(store.possible_duplicates(&same_code).unwrap()[0].id, existing);
    let same_name = person("DIALLO", "Aminata", Some(1990));
    assert_eq!(store.possible_duplicates(&same_name).unwrap()[0].id, existing);
    assert!(store.possible_duplicates(&person("Diallo", "Aminata", Some(2001))).unwrap().is_empty());
}

/// A person's search entry: id, birth year, folded text, skeletons, short-prefix words.
type SearchRow = (Vec<u8>, Option<i64>, Option<String>, Option<String>, Option<String>);
/// The codice-fiscale lookup and the household links.
type Lookups = (Vec<(Vec<u8>, String)>, Vec<(Vec<u8>, Vec<u8>)>);

#[derive(Debug, Clone)]
enum Op {
    Create(usize),
    Rename(usize, usize),
    Note(usize, bool),
    Delete(usize),
    Contact(usize, u16),
    Document(usize, bool),
    Appointment(usize, u32, bool),
    /// A practice started (a template by number), or the newest one closed.
    Practice(usize, usize, bool),
    Archive(usize, bool),
    Erase(usize),
    Tick(u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..6).prop_map(Op::Create),
        (0usize..8, 0usize..6).prop_map(|(who, name)| Op::Rename(who, name)),
        (0usize..8, any::<bool>()).prop_map(|(who, restricted)| Op::Note(who, restricted)),
        (0usize..8).prop_map(Op::Delete),
        (0usize..8, 1u16..200).prop_map(|(who, minutes)| Op::Contact(who, minutes)),
        (0usize..8, any::<bool>()).prop_map(|(who, numbered)| Op::Document(who, numbered)),
        (0usize..8, 8u32..18, any::<bool>()).prop_map(|(who, hour, cup)| Op::Appointment(who, hour, cup)),
        (0usize..8, 0usize..4, any::<bool>()).prop_map(|(who, template, close)| Op::Practice(who, template, close)),
        (0usize..8, any::<bool>()).prop_map(|(who, archived)| Op::Archive(who, archived)),
        (0usize..8).prop_map(Op::Erase),
        (0u16..5000).prop_map(Op::Tick),
    ]
}

const NAMES: [(&str, &str); 6] = [
    ("Diallo", "Aminata"),
    ("Khan", "Imran"),
    ("Popescu", "Ioana"),
    ("Hoxha", "Arben"),
    ("Ben Ali", "Mohamed"),
    ("Rossi", "Maria"),
];

/// A row of `folder_deadlines`, whole.
type DeadlineRow = (Uuid, String, Option<Uuid>, i64, Option<i64>, i64, bool);
type PracticeLine = (Uuid, Uuid, String, String, Option<Uuid>, Option<i64>, i64, bool);
type AgendaLine = (Uuid, Uuid, String, bool, Option<Uuid>);

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Replaying the change log, in any order, into an empty database gives exactly the
    /// current state.
    #[test]
    fn replaying_the_change_log_in_any_order_rebuilds_the_state(ops in proptest::collection::vec(op(), 1..40), seed in any::<u64>()) {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Administrator);
        let mut people: Vec<Uuid> = Vec::new();
        let mut contacts: Vec<Uuid> = Vec::new();
        for op in ops {
            match op {
                Op::Create(name) => {
                    // Some people have a codice fiscale, and some of them live in a household.
                    let code = (name % 2 == 0).then(|| {
                        let holder = Holder {
                            family_name: NAMES[name].0,
                            given_names: NAMES[name].1,
                            sex: Sex::Female,
                            birth_date: crate::calendar::date(1990, 1, 1 + people.len() as u32 % 28),
                            place_code: "Z343",
                        };
                        expected(&holder).to_string()
                    });
                    let details = PersonDetails { codice_fiscale: code, ..person(NAMES[name].0, NAMES[name].1, Some(1990)) };
                    let id = store.create_person(&details, &clock).unwrap();
                    if let Some(head) = people.first().filter(|_| name == 3) {
                        let member = HouseholdMemberDetails { member: id, relation: Relation::Child, arrived_on: None };
                        let _ = store.add(*head, &member, &clock);
                    }
                    people.push(id);
                }
                Op::Rename(who, name) if !people.is_empty() => {
                    let id = people[who % people.len()];
                    let _ = store.update_person(id, &person(NAMES[name].0, NAMES[name].1, Some(1991)), &clock);
                }
                Op::Note(who, restricted) if !people.is_empty() => {
                    let confidentiality = if restricted { Confidentiality::HealthRestricted } else { Confidentiality::Normal };
                    let note = NoteDetails { text: format!("nota {who}"), confidentiality };
                    let _ = store.add(people[who % people.len()], &note, &clock);
                }
                Op::Delete(who) if !people.is_empty() => {
                    let _ = store.delete(Entity::Person, people[who % people.len()], &clock);
                }
                Op::Contact(who, minutes) if !people.is_empty() => {
                    let contact = ContactDetails { duration_minutes: minutes, ..ContactDetails::example() };
                    // Every other contact edits an earlier one instead of adding.
                    match contacts.get(who) {
                        Some(id) if minutes % 2 == 0 => { let _ = store.update(*id, &contact, &clock); }
                        _ => { if let Ok(id) = store.add(people[who % people.len()], &contact, &clock) { contacts.push(id) } }
                    }
                }
                Op::Document(who, numbered) if !people.is_empty() => {
                    let number = numbered.then(|| format!("AB{who}{}", people.len()));
                    let document = DocumentDetails { number, ..DocumentDetails::example() };
                    let _ = store.add(people[who % people.len()], &document, &clock);
                }
                Op::Appointment(who, hour, cup) if !people.is_empty() => {
                    let at = crate::calendar::date(2026, 12, 3).and_hms_opt(hour, 0, 0).unwrap();
                    let example = AppointmentDetails::example();
                    let appointment = AppointmentDetails {
                        at: crate::folder::LocalDateTime(at),
                        cup: if cup { example.cup.clone() } else { None },
                        operator: (hour % 2 == 0).then(|| store.operator().account_id),
                        ..example
                    };
                    let _ = store.add(people[who % people.len()], &appointment, &clock);
                }
                Op::Practice(who, template, close) if !people.is_empty() => {
                    let folder = people[who % people.len()];
                    let newest = store.folder(folder, &clock).ok().and_then(|f| f.practices.last().cloned());
                    match newest {
                        Some(practice) if close => {
                            let closed = PracticeDetails { status: PracticeStatus::Closed, ..practice.details };
                            let _ = store.update(practice.id, &closed, &clock);
                        }
                        _ => {
                            let templates = ["maternity-cheque", "permit-renewal", "legal-consultancy", "consultorio-referral"];
                            let _ = store.start_practice(folder, templates[template], &clock);
                        }
                    }
                }
                Op::Archive(who, archived) if !people.is_empty() => {
                    let _ = store.set_archived(people[who % people.len()], archived, &clock);
                }
                Op::Erase(who) if !people.is_empty() && who % 3 == 0 => {
                    let _ = store.erase_folder(people[who % people.len()], &clock);
                }
                Op::Tick(ms) => clock.advance(Duration::from_millis(u64::from(ms))),
                _ => {}
            }
        }
        let mut entries = change_log::all_entries(&store.conn).unwrap();
        // A deterministic shuffle from the seed.
        let mut state_seed = seed;
        for i in (1..entries.len()).rev() {
            state_seed = state_seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            entries.swap(i, (state_seed >> 33) as usize % (i + 1));
        }
        let mut replica = Connection::open_in_memory().unwrap();
        migrations::migrate(&mut replica).unwrap();
        for entry in &entries {
            change_log::apply(&replica, std::slice::from_ref(entry)).unwrap();
        }
        prop_assert_eq!(state(&replica), state(&store.conn));
        // Row numbers differ between replicas; what each person is found by must not.
        let search = |conn: &Connection| -> Vec<SearchRow> {
            let mut s = conn.prepare(
                "SELECT p.person_id, p.year, s.folded, s.skeletons,
                        (SELECT group_concat(word, ' ') FROM (SELECT word FROM person_words w WHERE w.id = p.id ORDER BY word))
                 FROM person_index p LEFT JOIN person_search s ON s.rowid = p.id ORDER BY 1",
            ).unwrap();
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().collect::<Result<_, _>>().unwrap()
        };
        prop_assert_eq!(search(&replica), search(&store.conn));
        let lookups = |conn: &Connection| -> Lookups {
            let mut codes = conn.prepare("SELECT person_id, code FROM person_codice_fiscale ORDER BY 1").unwrap();
            let codes = codes.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
            let mut links = conn.prepare("SELECT row_id, member FROM household_links ORDER BY 1").unwrap();
            let links = links.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
            (codes, links)
        };
        prop_assert_eq!(lookups(&replica), lookups(&store.conn));
        let due = |conn: &Connection| -> Vec<DeadlineRow> {
            let mut s = conn.prepare("SELECT * FROM folder_deadlines ORDER BY 1, 2, 3, 4").unwrap();
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))).unwrap().collect::<Result<_, _>>().unwrap()
        };
        prop_assert_eq!(due(&replica), due(&store.conn));
        let agenda = |conn: &Connection| -> Vec<AgendaLine> {
            let mut s = conn.prepare("SELECT * FROM agenda ORDER BY 1").unwrap();
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().collect::<Result<_, _>>().unwrap()
        };
        prop_assert_eq!(agenda(&replica), agenda(&store.conn));
        let practices = |conn: &Connection| -> Vec<PracticeLine> {
            let mut s = conn.prepare("SELECT * FROM open_practices ORDER BY 1").unwrap();
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        prop_assert_eq!(practices(&replica), practices(&store.conn));
    }
}

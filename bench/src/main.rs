//! `porta-bench`: Porta's benchmark suite. `cargo xtask bench` runs it in release mode and
//! writes `BENCHMARKS.md` and `target/bench/results.json`; `--quick` runs a CI-sized version
//! that only writes the JSON.
//!
//! Every figure is measured on synthetic folders from `porta::demo` (seeded), in real
//! SQLCipher stores in temporary folders, through the same `Store` API the desktop app uses.

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

mod apply_ceiling;
mod automerge_peer;
mod cold_start;
mod desk_ui;
mod measure;
mod replication;
mod report;
mod slow_link;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use clap::Parser;
use porta::DataDir;
use porta::clock::{Clock, SystemClock};
use porta::demo::{self, DemoSpec};
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::keys::Passphrase;
use porta::store::{FirstRun, Role, Store};
use uuid::Uuid;

use measure::Samples;
use report::{Better, Figure, Machine, Results};

const SEED: u64 = 2026;
const LOGIN: &str = "bench";
const PASSPHRASE: &str = "una frase per misurare porta";
/// Folders with 200 contacts each, the heavy end of the desk, opened by the folder benchmark.
const HEAVY_FOLDERS: usize = 20;
const HEAVY_CONTACTS: usize = 200;

/// Family names the demo uses, and spellings an operator might type instead.
const FAMILY_NAMES: &[&str] = &[
    "Diallo",
    "Popescu",
    "Khan",
    "Hoxha",
    "Shevchenko",
    "Okafor",
    "Rahman",
    "Traoré",
    "Wang",
    "Trabelsi",
    "Ben Ali",
    "Jallow",
    "Ndiaye",
    "Ionescu",
    "Hussain",
    "Kovalenko",
    "Gashi",
    "El Amrani",
    "Coulibaly",
    "Sanneh",
];
const MISSPELLED: &[&str] = &[
    "Dialo",
    "Popesku",
    "Kahn",
    "Hodja",
    "Schevchenko",
    "Okafo",
    "Rakhman",
    "Traore",
    "Trabelssi",
    "Benali",
    "Jalow",
    "Ndiay",
    "Jonescu",
    "Husain",
    "Kovalenco",
    "Gasci",
    "Elamrani",
    "Kulibaly",
    "Saneh",
    "Muhamad",
];

#[derive(Debug, Parser)]
#[command(about = "Porta's benchmark suite")]
struct Arguments {
    /// A CI-sized run: 2,000 persons, fewer repetitions; BENCHMARKS.md is left alone.
    #[arg(long)]
    quick: bool,
    /// Where to write the machine-readable results.
    #[arg(long, default_value = "target/bench/results.json")]
    out: PathBuf,
    /// Where to write BENCHMARKS.md (full runs only).
    #[arg(long, default_value = "BENCHMARKS.md")]
    markdown: PathBuf,
    /// The hand-kept notes appended to BENCHMARKS.md.
    #[arg(long, default_value = "bench/notes.md")]
    notes: PathBuf,
    /// The desktop app whose cold start to the unlock screen is timed (needs a display and
    /// tauri-driver); without it `cold_start_ms` is not measured.
    #[arg(long)]
    app: Option<PathBuf>,
}

/// When the suite started: each step says when it began, so a run shows where its time goes.
static STARTED: OnceLock<Instant> = OnceLock::new();

fn progress(step: impl std::fmt::Display) {
    println!("[{:>4.0} s] {step}", STARTED.get_or_init(Instant::now).elapsed().as_secs_f64());
}

/// A store full of demo folders, in a temporary folder.
struct Fixture {
    folder: tempfile::TempDir,
    data_dir: DataDir,
    store: Store,
    heavy: Vec<Uuid>,
    fill_s: f64,
}

/// Noon in Rome on the demo's day: after the demo data (written from 10:00) and early enough
/// that the real server, which refuses entries stamped in its future, takes them on that day.
fn clock() -> impl Clock {
    porta::clock::ManualClock::at(porta::clock::rome_instant_ms(today(), 12, 0))
}

fn today() -> porta::calendar::Date {
    porta::calendar::date(2026, 11, 26)
}

fn encrypted_store(persons: usize) -> Fixture {
    filled(empty_encrypted_store(), persons)
}

fn empty_encrypted_store() -> Fixture {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).expect("the data folder");
    let first = FirstRun {
        admin_login: LOGIN.into(),
        admin_passphrase: Passphrase::new(PASSPHRASE).expect("a valid passphrase"),
        ..FirstRun::example("Banco di prova")
    };
    let (store, _) = Store::set_up(&data_dir, first, &clock(), &ring::rand::SystemRandom::new()).expect("first run");
    Fixture { folder, data_dir, store, heavy: Vec::new(), fill_s: 0.0 }
}

fn plain_store(persons: usize) -> Fixture {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).expect("the data folder");
    let store = Store::unencrypted(Some(&data_dir.database_file()), Role::Administrator);
    filled(Fixture { folder, data_dir, store, heavy: Vec::new(), fill_s: 0.0 }, persons)
}

/// Fills the fixture with `persons` demo people plus the heavy folders.
fn filled(mut fixture: Fixture, persons: usize) -> Fixture {
    let started = Instant::now();
    demo::fill(&mut fixture.store, &DemoSpec { persons, seed: SEED, today: today() }).expect("demo data");
    fixture.fill_s = started.elapsed().as_secs_f64();
    if persons == 0 {
        return fixture;
    }
    let clock = clock();
    fixture.heavy = fixture
        .store
        .in_one_transaction(|store| {
            (0..HEAVY_FOLDERS)
                .map(|n| {
                    let person = PersonDetails {
                        family_name: format!("Frequente {n}"),
                        given_names: "Persona".into(),
                        ..PersonDetails::default()
                    };
                    let id = store.create_person(&person, &clock)?;
                    for minutes in 0..HEAVY_CONTACTS {
                        let contact =
                            ContactDetails { duration_minutes: 10 + minutes as u16 % 50, ..ContactDetails::example() };
                        store.add(id, &contact, &clock)?;
                    }
                    Ok(id)
                })
                .collect()
        })
        .expect("heavy folders");
    fixture
}

fn prefix(name: &str, letters: usize) -> String {
    name.chars().take(letters).collect()
}

/// Type-ahead search: p50/p95 per kind of query, and over all of them.
fn search_figures(store: &Store, scale: &str, rounds: usize, figures: &mut Vec<Figure>) -> Samples {
    let mut all = Samples::default();
    let kinds: [(&str, Vec<String>); 5] = [
        ("1", FAMILY_NAMES.iter().map(|n| prefix(n, 1)).collect()),
        ("2", FAMILY_NAMES.iter().map(|n| prefix(n, 2)).collect()),
        ("3", FAMILY_NAMES.iter().map(|n| prefix(n, 3)).collect()),
        ("6", FAMILY_NAMES.iter().map(|n| prefix(n, 6)).collect()),
        ("misspelled", MISSPELLED.iter().map(|n| (*n).to_owned()).collect()),
    ];
    for (kind, queries) in kinds {
        let mut samples = Samples::default();
        for _ in 0..rounds {
            for query in &queries {
                let hits = samples.time(|| store.search_people(query, None, 10).expect("search"));
                std::hint::black_box(hits);
            }
        }
        let method = format!(
            "`search_people(q, None, 10)`, {} queries ({kind}): p50 {:.2} ms",
            samples.len(),
            samples.percentile_ms(50.0)
        );
        figures.push(
            Figure::new(format!("search_{kind}_p95_ms_{scale}"), samples.percentile_ms(95.0), "ms", Better::Lower)
                .target(20.0)
                .method(method),
        );
        all.extend(&samples);
    }
    figures.push(
        // Issue 19: at most 5 ms on an Ambito of 100,000 persons.
        Figure::new(format!("search_p95_ms_{scale}"), all.percentile_ms(95.0), "ms", Better::Lower)
            .target(if scale == "100k" { 5.0 } else { 20.0 })
            .method(format!(
                "all {} type-ahead queries above (1-, 2-, 3-, 6-letter prefixes of 20 family names, 20 misspellings); p50 {:.2} ms",
                all.len(),
                all.percentile_ms(50.0)
            )),
    );
    all
}

/// Opening a whole folder with 200 contacts (one query, one audit line, committed).
fn folder_open_samples(fixture: &Fixture, rounds: usize) -> Samples {
    let clock = clock();
    let mut samples = Samples::default();
    for _ in 0..rounds {
        for id in &fixture.heavy {
            let folder = samples.time(|| fixture.store.folder(*id, &clock).expect("open"));
            assert_eq!(folder.contacts.len(), HEAVY_CONTACTS);
        }
    }
    samples
}

/// Saving one edited field of a person: validation, change-log entry, audit line, commit.
fn save_samples(fixture: &mut Fixture, count: usize) -> Samples {
    let clock = clock();
    let mut samples = Samples::default();
    let people: Vec<Uuid> = FAMILY_NAMES
        .iter()
        .flat_map(|name| fixture.store.search_people(name, None, 10).expect("search"))
        .map(|hit| hit.id)
        .collect();
    for n in 0..count {
        let id = people[n % people.len()];
        let mut details = fixture.store.person(id, &clock).expect("person").details;
        details.phone = Some(format!("+39 333 {:07}", n));
        samples.time(|| fixture.store.update_person(id, &details, &clock).expect("save"));
    }
    samples
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// Set-up for later steps, written on the other core while the largest demo Ambito is
/// generated: writing it is not what is measured (Automerge alone takes about a millisecond
/// a person), and the two cores would otherwise take turns.
struct Prepared {
    /// The replication workload's persons on a SQLCipher device, and on Automerge.
    replication_persons: usize,
    replication_device: (tempfile::TempDir, std::sync::Mutex<Option<Store>>),
    automerge: automerge_peer::Source,
    /// The smallest scale's Ambito again, unencrypted, for the SQLCipher overhead.
    plain: Fixture,
}

impl Prepared {
    fn new(replication_persons: usize, plain_persons: usize) -> Prepared {
        Prepared {
            replication_persons,
            replication_device: replication::persons_store(replication_persons),
            automerge: automerge_peer::source(replication_persons),
            plain: plain_store(plain_persons),
        }
    }
}

/// What `generate` leaves: the Ambito, the server that holds all it wrote, and the set-up
/// prepared alongside.
struct Generated {
    fixture: Fixture,
    server: replication::LoopbackServer,
    imported: (u64, f64),
    prepared: Option<Prepared>,
}

/// Generates a scale's demo Ambito on an enrolled device. Alongside, on the other core, the
/// set-up of later steps: the server of the scale's bootstrap is given every entry the
/// device writes, read back through a second connection as batches are committed, and
/// `prepare` (the later steps' set-up, with the largest scale) is run first.
fn generate(
    persons: usize,
    scale: &str,
    prepare: impl FnOnce() -> Option<Prepared> + Send,
    figures: &mut Vec<Figure>,
) -> Generated {
    progress(format!("{scale}: generating {persons} persons…"));
    let server = replication::LoopbackServer::start(&[BOOTSTRAP_OFFICE]);
    let Fixture { folder, data_dir, store, heavy, fill_s } = empty_encrypted_store();
    let device = std::sync::Mutex::new(Some(store));
    server.enroll(&device, BOOTSTRAP_OFFICE);
    let store = device.into_inner().expect("the store's lock").expect("the store");
    // This program holds the data folder: the helper reads through a second connection.
    let reader = store.second_connection().expect("a second connection");
    let written = std::sync::atomic::AtomicBool::new(false);
    let (fixture, imported, prepared) = std::thread::scope(|scope| {
        let helper = scope.spawn(|| {
            let reader = reader; // moved to the helper: a connection is not shared between threads
            let prepared = prepare();
            (server.import(&reader, BOOTSTRAP_OFFICE, &written), prepared)
        });
        let fixture = filled(Fixture { folder, data_dir: data_dir.clone(), store, heavy, fill_s }, persons);
        written.store(true, std::sync::atomic::Ordering::Release);
        let (imported, prepared) = helper.join().expect("the set-up alongside");
        (fixture, imported, prepared)
    });
    let alongside = if prepared.is_some() {
        "the replication's and the SQLCipher overhead's stores and the Automerge peer's document, then "
    } else {
        ""
    };
    figures.push(
        Figure::new(format!("demo_fill_persons_per_s_{scale}"), persons as f64 / fixture.fill_s, "persons/s", Better::Higher)
            .method(format!(
                "`porta::demo::fill` of {persons} persons (seed {SEED}) into a new SQLCipher store, {:.0} s, batches of 500 persons per transaction, while the other core wrote {alongside}read the committed entries back for the bootstrap's server",
                fixture.fill_s
            )),
    );
    Generated { fixture, server, imported, prepared }
}

/// Measures one scale's generated Ambito: search, folder open, save, size, unlock.
fn scale_figures(
    mut fixture: Fixture,
    persons: usize,
    scale: &str,
    quick: bool,
    app: Option<&Path>,
    figures: &mut Vec<Figure>,
) -> Fixture {
    progress(format!("{scale}: search…"));
    search_figures(&fixture.store, scale, if quick { 2 } else { 5 }, figures);
    progress(format!("{scale}: folder open…"));
    let open = folder_open_samples(&fixture, if quick { 3 } else { 10 });
    figures.push(
        Figure::new(format!("folder_open_p95_ms_{scale}"), open.percentile_ms(95.0), "ms", Better::Lower)
            .target(30.0)
            .method(format!(
                "`Store::folder` of {HEAVY_FOLDERS} folders with {HEAVY_CONTACTS} contacts, {} opens, each with its committed audit line; p50 {:.2} ms",
                open.len(),
                open.percentile_ms(50.0)
            )),
    );
    progress(format!("{scale}: due list…"));
    let mut due = Samples::default();
    let mut listed = None;
    for _ in 0..if quick { 3 } else { 10 } {
        listed = Some(due.time(|| fixture.store.due_list(&clock()).expect("the due list")));
    }
    let listed = listed.expect("at least one run");
    figures.push(
        Figure::new(format!("due_list_ms_{scale}"), due.percentile_ms(50.0), "ms", Better::Lower)
            .target(200.0)
            .method(format!(
                "`Store::due_list` as Home asks for it (the command layer): what is due within 30 days or overdue across every folder, {} lines shown of {}, names read; {} runs, median; p95 {:.1} ms",
                listed.items.len(),
                listed.items.len() + listed.more as usize,
                due.len(),
                due.percentile_ms(95.0)
            )),
    );
    progress(format!("{scale}: open practices and the week's agenda…"));
    let mut practices = Samples::default();
    let mut agenda = Samples::default();
    let (mut open, mut week) = (None, None);
    // Next week, Monday to Sunday: the demo books appointments over the coming 60 days.
    let days_to_monday = 7 - i64::from(porta::calendar::Datelike::weekday(&today()).num_days_from_monday());
    let monday = porta::folder::Day(porta::calendar::plus_days(today(), days_to_monday));
    for _ in 0..if quick { 3 } else { 10 } {
        open = Some(practices.time(|| {
            fixture
                .store
                .open_practices(&porta::store::PracticeFilter::default(), &clock())
                .expect("the open practices")
        }));
        week = Some(agenda.time(|| {
            fixture
                .store
                .appointments(&porta::store::AgendaQuery { first: monday, days: 7, operator: None })
                .expect("the week's agenda")
        }));
    }
    let (open, week) = (open.expect("at least one run"), week.expect("at least one run"));
    figures.push(
        Figure::new(format!("open_practices_ms_{scale}"), practices.percentile_ms(50.0), "ms", Better::Lower)
            .target(200.0)
            .method(format!(
                "`Store::open_practices` as /practices asks for everyone's (the command layer): {} shown of {} open, nearest deadline first, names read; {} runs, median; p95 {:.1} ms",
                open.items.len(),
                open.items.len() + open.more as usize,
                practices.len(),
                practices.percentile_ms(95.0)
            )),
    );
    figures.push(
        Figure::new(format!("agenda_week_ms_{scale}"), agenda.percentile_ms(50.0), "ms", Better::Lower)
            .target(200.0)
            .method(format!(
                "`Store::appointments` for this week, everyone's, as /agenda asks for it: {} appointments with their names; {} runs, median; p95 {:.1} ms",
                week.len(),
                agenda.len(),
                agenda.percentile_ms(95.0)
            )),
    );
    progress(format!("{scale}: save…"));
    let save = save_samples(&mut fixture, if quick { 50 } else { 200 });
    figures.push(
        // Issue 19: at most 2 ms on an Ambito of 100,000 persons.
        Figure::new(format!("save_p95_ms_{scale}"), save.percentile_ms(95.0), "ms", Better::Lower)
            .target(if scale == "100k" { 2.0 } else { 5.0 })
            .method(format!(
                "`Store::update_person` changing the phone: validation, duplicate check, change-log entry, audit line, commit with `synchronous=FULL`; {} saves, p50 {:.2} ms",
                save.len(),
                save.percentile_ms(50.0)
            )),
    );
    let Fixture { folder, data_dir, store, heavy, fill_s } = fixture;
    store.lock();
    let bytes = database_bytes(&data_dir);
    figures.push(
        Figure::new(format!("db_bytes_per_1k_persons_{scale}"), megabytes(bytes) / (persons as f64 / 1000.0), "MB", Better::Lower)
            .target(8.0)
            .method(format!(
                "size of `porta.db` after lock (WAL checkpointed) / thousands of persons; {:.0} MB in all, change log and audit log included",
                megabytes(bytes)
            )),
    );
    progress(format!("{scale}: unlock…"));
    let mut unlock = Samples::default();
    let runs = if quick { 3 } else { 10 };
    for _ in 0..runs {
        let store = unlock.time(|| Store::unlock(&data_dir, LOGIN, PASSPHRASE, &clock()).expect("unlock"));
        store.lock();
    }
    figures.push(
        Figure::new(format!("unlock_ms_{scale}"), unlock.percentile_ms(50.0), "ms", Better::Lower)
            .method(format!(
                "`Store::unlock`: Argon2id {} MiB t={} + key unwrap + SQLCipher open + migration check, {} runs, median; p95 {:.0} ms",
                porta::keys::PASSPHRASE_KDF.memory_kib / 1024,
                porta::keys::PASSPHRASE_KDF.iterations,
                unlock.len(),
                unlock.percentile_ms(95.0)
            )),
    );
    if let Some(app) = app {
        progress(format!("{scale}: cold start of the desktop app…"));
        figures.push(cold_start_figure(app, &data_dir, scale, if quick { 2 } else { 5 }));
    }
    let store = Store::unlock(&data_dir, LOGIN, PASSPHRASE, &clock()).expect("unlock");
    Fixture { folder, data_dir, store, heavy, fill_s }
}

/// Search, folder open and save as the operator meets them, in the real window.
fn desk_ui_figures(app: &Path, data_dir: &DataDir, scale: &str, rounds: usize, figures: &mut Vec<Figure>) {
    // Two, three and six letters of the family names, and the misspellings, each typed
    // letter by letter up to its last, which is the keystroke timed.
    let queries: Vec<String> = [2, 3, 6]
        .iter()
        .flat_map(|letters| FAMILY_NAMES.iter().map(move |name| prefix(name, *letters)))
        .chain(MISSPELLED.iter().map(|name| (*name).to_owned()))
        .collect();
    let heavy: Vec<String> = (2..HEAVY_FOLDERS).map(|n| format!("Frequente {n}")).collect();
    // The window saves notes: it works on a copy (the database with its write-ahead log), so
    // that the scale's store stays as generated for the measures that follow.
    let copy = tempfile::tempdir().expect("a temporary folder");
    for entry in std::fs::read_dir(data_dir.path()).expect("the data folder").flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).expect("a copy of the store");
        }
    }
    let measured = desk_ui::measure(app, copy.path(), PASSPHRASE, &queries, &heavy, rounds)
        .unwrap_or_else(|error| panic!("the desk in the window: {error}"));
    let window = format!(
        "the app's window (the release build in a full run) through WebDriver under Xvfb, on a copy of the {scale} store, unlocked once; timed with `performance.now()` in the page (whole milliseconds in WebKit)"
    );
    figures.push(
        Figure::new(format!("ui_search_p95_ms_{scale}"), measured.search.percentile_ms(95.0), "ms", Better::Lower)
            .target(100.0)
            .method(format!(
                "{window}: the last letter of a query (2-, 3-, 6-letter prefixes of family names, misspellings) typed into the header's search box, timed in the page from the input event until the list holds the people for the whole query; {} keystrokes, p50 {:.1} ms",
                measured.search.len(),
                measured.search.percentile_ms(50.0)
            )),
    );
    figures.push(
        Figure::new(format!("ui_folder_open_p95_ms_{scale}"), measured.open.percentile_ms(95.0), "ms", Better::Lower)
            .target(200.0)
            .method(format!(
                "{window}: Enter on the first result of `Frequente N` until that folder's header and its {HEAVY_CONTACTS} contacts are on the page (the folder read anew each time: the UI keeps no closed folder); {} opens, p50 {:.1} ms",
                measured.open.len(),
                measured.open.percentile_ms(50.0)
            )),
    );
    figures.push(
        Figure::new(format!("ui_quick_contact_save_p95_ms_{scale}"), measured.quick_contact.percentile_ms(95.0), "ms", Better::Lower)
            .target(100.0)
            .method(format!(
                "{window}: from a folder with {HEAVY_CONTACTS} contacts, Quick contact, a service ticked and a short note typed, then Record, timed until the confirmation is on the page (the contact and its note written in one transaction); {} contacts, p50 {:.1} ms",
                measured.quick_contact.len(),
                measured.quick_contact.percentile_ms(50.0)
            )),
    );
    figures.push(
        Figure::new(format!("ui_home_ms_{scale}"), measured.home.percentile_ms(95.0), "ms", Better::Lower)
            .target(500.0)
            .method(format!(
                "{window}: from the Sync page, a click on Home in the menu until the due list (up to 200 lines) is on the page, the list read anew each time; {} visits, p95 (p50 {:.1} ms)",
                measured.home.len(),
                measured.home.percentile_ms(50.0)
            )),
    );
    figures.push(
        Figure::new(format!("ui_save_p95_ms_{scale}"), measured.save.percentile_ms(95.0), "ms", Better::Lower)
            .target(100.0)
            .method(format!(
                "{window}: Save on a new note of a folder with {HEAVY_CONTACTS} contacts, from the click until the note is listed (the store's write, then the folder read again); {} saves, p50 {:.1} ms",
                measured.save.len(),
                measured.save.percentile_ms(50.0)
            )),
    );
}

/// The desktop app launched on the locked store until its unlock screen shows.
fn cold_start_figure(app: &Path, data_dir: &DataDir, scale: &str, launches: usize) -> Figure {
    let measured =
        cold_start::measure(app, data_dir.path(), launches).unwrap_or_else(|error| panic!("cold start: {error}"));
    let samples = &measured.launches;
    Figure::new("cold_start_ms", samples.percentile_ms(50.0), "ms", Better::Lower).target(800.0).method(format!(
        "`{}` launched {} times through WebDriver (tauri-driver, WebKitWebDriver) under Xvfb on the locked {scale} store, each timed from the request that starts the app until the unlock form's passphrase field exists; median, first launch {:.0} ms, slowest {:.0} ms",
        app.display(),
        samples.len(),
        measured.first_ms,
        samples.percentile_ms(100.0)
    ))
}

fn database_bytes(data_dir: &DataDir) -> u64 {
    let database = data_dir.database_file();
    [database.clone(), database.with_extension("db-wal")]
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|meta| meta.len())
        .sum()
}

/// Applying entries written on another device, as a pull does: batches of 5,000 in one
/// transaction each, into an empty SQLCipher store; and the same entries through the bare
/// loop that is its ceiling (`apply_ceiling`), in the same run.
fn apply_figures(source: &Fixture, count: usize, figures: &mut Vec<Figure>) {
    const BATCH: usize = 5_000;
    let entries = source.store.own_entries_after(0, count).expect("entries");
    let mut target = encrypted_store(0);
    let started = Instant::now();
    for batch in entries.chunks(BATCH) {
        target.store.apply_entries(batch, &clock()).expect("apply");
    }
    let took = started.elapsed().as_secs_f64();
    let folder = tempfile::tempdir().expect("a temporary folder");
    let ceiling_s = apply_ceiling::seconds(folder.path(), &entries, BATCH);
    let (applied, ceiling) = (entries.len() as f64 / took, entries.len() as f64 / ceiling_s);
    figures.push(Figure::new("apply_entries_per_s", applied, "entries/s", Better::Higher).target(150_000.0).method(
        format!(
            "`Store::apply_entries` of {} demo entries (every field of every section) in batches of {BATCH} into an empty SQLCipher store: stored once under (device, seq), merged by HLC, search reindexed; {took:.1} s",
            entries.len()
        ),
    ));
    figures.push(Figure::new("apply_ceiling_entries_per_s", ceiling, "entries/s", Better::Higher).method(format!(
        "the same {} entries through a bare SQLCipher loop (`bench/src/apply_ceiling.rs`): per entry one insert into a change table of the store's columns and one upsert of the field's current value when newer, the store's pragmas, batches of {BATCH} in one transaction each; {ceiling_s:.1} s",
        entries.len()
    )));
    figures.push(Figure::new("apply_ceiling_ratio", applied / ceiling, "×", Better::Higher).target(0.6).method(
        "`apply_entries_per_s` ÷ `apply_ceiling_entries_per_s`, measured one after the other in this run".to_owned(),
    ));
}

/// Push and pull over loopback to the real server (SQLite storage in a temporary folder):
/// `count` of the fixture's entries in batches of 5,000, then pulled back page by page.
fn sync_figures(source: &Fixture, count: usize, figures: &mut Vec<Figure>) {
    use porta::sync::protocol::{PullResponse, PushRequest, PushResponse};
    let entries = source.store.own_entries_after(0, count).expect("entries");
    let device = source.store.device_id();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (pushed_s, pulled_s, pulled) = runtime.block_on(async {
        let storage = std::sync::Arc::new(
            porta_server::storage::sqlite::SqliteStore::open(&folder.path().join("server.db")).expect("server db"),
        );
        let ambito = porta_server::storage::Ambito { name: "Ambito".into(), offices: vec!["PUA".into()] };
        porta_server::storage::SyncStore::set_up(&*storage, &ambito).expect("set up");
        storage.keep_health_key(&replication::bench_health_key()).expect("the fixture's health key");
        // The account the fixture's entries name, as the server's administrator of the office.
        let account = porta_server::storage::OperatorRecord {
            id: source.store.operator().account_id,
            login: LOGIN.into(),
            display_name: LOGIN.into(),
            role: Role::Administrator,
            office: "PUA".into(),
            disabled: false,
            activation: None,
        };
        porta_server::storage::SyncStore::add_operator(&*storage, &account).expect("the administrator");
        let random = ring::rand::SystemRandom::new();
        let code = || {
            porta_server::enrollment::issue_code(&*storage, "bench", "PUA", None, 10, SystemClock.now_ms(), &random)
                .expect("a code")
        };
        // The writing device, and another of the same office that pulls what it wrote.
        let (writer_code, reader_code) = (code(), code());
        let serving = porta_server::loopback::LoopbackServer::start(porta_server::ServerState::new(storage, None))
            .await
            .expect("a loopback port");
        let base = serving.base.clone();
        let client = reqwest::Client::new();
        let reader = uuid::Uuid::now_v7();
        let mut keys = Vec::new();
        for (id, code) in [(device, writer_code), (reader, reader_code)] {
            let key = porta::sync::signing::DeviceKey::generate(&random).expect("a key");
            let enroll = porta::sync::protocol::EnrollRequest {
                protocol: porta::sync::protocol::PROTOCOL_VERSION,
                code,
                device_id: id,
                public_key: data_encoding::BASE64URL_NOPAD.encode(key.public_key()),
                login: LOGIN.into(),
            };
            let enrolled = client.post(format!("{base}/api/v1/enroll")).json(&enroll).send().await.expect("enroll");
            assert!(enrolled.status().is_success(), "enrolled");
            keys.push((id, key));
        }
        // Every request signed, as the device's client does.
        let signed = |as_reader: bool, method: reqwest::Method, path: &str, body: Vec<u8>| {
            let (id, key) = &keys[usize::from(as_reader)];
            let headers = key.sign(*id, method.as_str(), path, &body, SystemClock.now_ms(), &random).expect("signed");
            let mut request = client.request(method, format!("{base}{path}")).body(body);
            for (name, value) in headers.pairs() {
                request = request.header(name, value);
            }
            request.header("content-type", "application/json")
        };
        let started = Instant::now();
        for batch in entries.chunks(5_000) {
            let body = serde_json::to_vec(&PushRequest::new(device, batch)).expect("json");
            let answer: PushResponse = signed(false, reqwest::Method::POST, "/api/v1/push", body)
                .send()
                .await
                .expect("push")
                .json()
                .await
                .expect("a push answer");
            assert_eq!(answer.acknowledged, batch.last().expect("a batch").seq);
        }
        let pushed_s = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let (mut cursor, mut pulled) = (0, 0);
        loop {
            let path = format!("/api/v1/pull?after={cursor}");
            let page: PullResponse = signed(true, reqwest::Method::GET, &path, Vec::new())
                .send()
                .await
                .expect("pull")
                .json()
                .await
                .expect("a page");
            pulled += page.entries.len();
            cursor = page.cursor;
            if !page.more {
                break;
            }
        }
        drop(serving);
        (pushed_s, started.elapsed().as_secs_f64(), pulled)
    });
    assert_eq!(pulled, entries.len());
    figures.push(
        Figure::new("push_entries_per_s", entries.len() as f64 / pushed_s, "entries/s", Better::Higher)
            .target(150_000.0)
            .method(format!(
                "{} entries pushed to the real porta-server on loopback (SQLite storage, `synchronous=FULL`) in batches of 5,000: JSON, per-entry checks, one transaction per batch; {pushed_s:.1} s",
                entries.len()
            )),
    );
    figures.push(
        Figure::new("pull_entries_per_s", pulled as f64 / pulled_s, "entries/s", Better::Higher)
            .target(150_000.0)
            .method(format!(
                "the same {pulled} entries pulled by another device of the office, page by page (up to 10,000 entries or 4 MiB a page); {pulled_s:.1} s"
            )),
    );
}

/// Porta's device → server → device replication of the prepared persons beside the peers'
/// (`replicate_*`, `peer_*_ratio`).
fn replication_figures(
    persons: usize,
    (_source_folder, source): (tempfile::TempDir, std::sync::Mutex<Option<Store>>),
    automerge: automerge_peer::Source,
    figures: &mut Vec<Figure>,
) {
    let persons_scale = format!("{}k", persons / 1_000);
    let server = replication::LoopbackServer::start(&["Persone"]);
    progress(format!("replication of {persons} persons…"));
    server.enroll(&source, "Persone");
    let (round, push_s) = server.sync(&source);
    let joined = server.bootstrap("Persone");
    assert_eq!(joined.pulled as u64, round.pushed, "every entry arrived once");
    let replicate_s = push_s + joined.seconds;
    figures.push(
        Figure::new(format!("replicate_{persons_scale}_persons_s"), replicate_s, "s", Better::Lower).method(format!(
            "{persons} persons of 9 fields ({} entries) written on a SQLCipher device, pushed by its sync client to the real server on loopback ({push_s:.1} s), pulled and applied by a new SQLCipher device's client ({:.1} s); every request signed",
            round.pushed, joined.seconds
        )),
    );
    progress("the peers: PouchDB (Node), Automerge…");
    let root = std::env::current_dir().expect("the workspace folder");
    let pouchdb = replication::pouchdb(&root, persons).expect("the PouchDB harness");
    figures.push(
        Figure::new("peer_pouchdb_ratio", replicate_s / pouchdb.pouchdb_s, "×", Better::Lower).target(1.0).method(format!(
            "Porta's replication above / PouchDB 9 (`pouchdb-core`, `pouchdb-adapter-memory`, `pouchdb-replication`) replicating the same {persons} persons between two in-memory databases: {replicate_s:.1} s / {:.1} s (`bench/peers/replicate.mjs`)",
            pouchdb.pouchdb_s
        )),
    );
    let field_edits = automerge.field_edits();
    let automerge_s = automerge_peer::apply(automerge);
    figures.push(
        Figure::new("peer_automerge_ratio", replicate_s / automerge_s, "×", Better::Lower).target(2.0).method(format!(
            "Porta's replication above / Automerge 0.7 (crates.io `automerge`, native) applying the changes that wrote the same persons ({field_edits} field edits, a thousand persons a change) to an empty document in memory: {replicate_s:.1} s / {automerge_s:.1} s"
        )),
    );
}

/// The office of each scale's bootstrap.
const BOOTSTRAP_OFFICE: &str = "Ambito";

/// A new device joining the office whose server `generate` gave everything the Ambito's
/// device wrote: `porta-bootstrap` pulls it all.
///
/// Each scale has a server of its own: the demo's seeded ids repeat across scales, and a
/// folder id the server already holds for another office would not be this office's.
fn bootstrap_figures(
    server: &replication::LoopbackServer,
    (sent, sent_s): (u64, f64),
    scale: &str,
    figures: &mut Vec<Figure>,
) {
    progress(format!("{scale}: bootstrap of a new device…"));
    let joined = server.bootstrap(BOOTSTRAP_OFFICE);
    assert_eq!(joined.pulled as u64, sent, "every entry arrived once");
    let seconds = Figure::new(format!("bootstrap_{scale}_s"), joined.seconds, "s", Better::Lower);
    figures.push(
        // The issue's target is for an Ambito of 100,000 persons.
        if scale == "100k" { seconds.target(30.0) } else { seconds }.method(format!(
            "a new SQLCipher device enrolls and takes in its office's {sent} entries (the {scale} demo Ambito with two years of folders) through its sync client: the server's snapshot of the office, whole folders in pages of about 10,000 entries or 4 MiB, each applied with its place in one transaction, then a pull of what came after; the server was given the Ambito device's entries through its storage's push, without HTTP, as they were generated ({sent_s:.0} s in all)"
        )),
    );
    figures.push(
        Figure::new(format!("bootstrap_{scale}_peak_mb"), joined.peak_mb, "MB", Better::Lower).target(300.0).method(
            "peak resident memory (VmHWM) of the new device's process (`porta-bootstrap`) over set-up, enrollment and the pull",
        ),
    );
}

/// Contacts of a day's outreach, sent over the hotspot.
const OUTREACH_CONTACTS: usize = 200;

/// The same bootstrap over a mediator's phone hotspot (`slow_link`), then a day's outreach
/// sent over it.
fn slow_link_figures(server: &replication::LoopbackServer, sent: u64, scale: &str, figures: &mut Vec<Figure>) {
    progress(format!("{scale}: bootstrap over a 2 Mbit/s hotspot…"));
    let spec = slow_link::LinkSpec::hotspot(SEED);
    let link = slow_link::SlowLink::start(server.base(), spec);
    let joined = server.bootstrap_through(BOOTSTRAP_OFFICE, Some(&link), OUTREACH_CONTACTS);
    assert_eq!(joined.pulled as u64, sent, "every entry arrived once, cuts or not");
    progress(format!(
        "{scale}: over the hotspot in {:.0} s, {:.1} MB down, {} rounds, {} cuts",
        joined.seconds,
        link.carried_down() as f64 / 1e6,
        joined.rounds,
        link.cuts()
    ));
    let link_words = format!(
        "through a proxy on loopback that gives each direction {} Mbit/s (shared by the connections), adds {} ms of round trip and cuts one request in {} at a random byte of its answer (seeded)",
        spec.bits_per_second / 1_000_000,
        spec.round_trip.as_millis(),
        spec.cut_one_in
    );
    let seconds = Figure::new(format!("bootstrap_{scale}_s_on_2mbit"), joined.seconds, "s", Better::Lower);
    figures.push(if scale == "10k" { seconds.target(180.0) } else { seconds }.method(format!(
        "`bootstrap_{scale}_s`'s new device ({sent} entries; {:.1} MB came down the link in all, gzip-compressed as the server sends them) {link_words}; a cut round is followed by another from where it stopped, as the app's engine does: {} rounds, {} cuts",
        link.carried_down() as f64 / 1e6,
        joined.rounds,
        link.cuts()
    )));
    let push_s = joined.push_s.expect("the outreach was sent");
    figures.push(
        Figure::new(format!("push_{OUTREACH_CONTACTS}_contacts_s_on_2mbit"), push_s, "s", Better::Lower).target(10.0).method(format!(
            "that device records {OUTREACH_CONTACTS} contacts, each with a note, in people's folders, then one sync round sends them {link_words} (the round's pull, accounts, audit and numbers included)"
        )),
    );
}

/// The mixed workload of the overhead ratio: type-ahead searches, folder opens, saves.
fn mixed_workload(fixture: &mut Fixture) -> f64 {
    let clock = clock();
    let started = Instant::now();
    for _ in 0..2 {
        for name in FAMILY_NAMES.iter().chain(MISSPELLED) {
            for query in [prefix(name, 3), (*name).to_owned()] {
                std::hint::black_box(fixture.store.search_people(&query, None, 10).expect("search"));
            }
        }
        for id in &fixture.heavy {
            std::hint::black_box(fixture.store.folder(*id, &clock).expect("open"));
        }
    }
    save_samples(fixture, 50);
    started.elapsed().as_secs_f64()
}

/// What SQLCipher costs: the same data and workload on an unencrypted database (`plain`,
/// the same demo Ambito), in rounds that take turns so that the disk's moods fall on both;
/// then the generation of `fill_persons` persons on each, one after the other.
fn overhead_figures(
    encrypted: &mut Fixture,
    mut plain: Fixture,
    scale: &str,
    fill_persons: usize,
    figures: &mut Vec<Figure>,
) {
    progress(format!("{scale}: the same on an unencrypted database…"));
    const ROUNDS: usize = 3;
    let (mut encrypted_s, mut plain_s) = (0.0, 0.0);
    for _ in 0..ROUNDS {
        encrypted_s += mixed_workload(encrypted);
        plain_s += mixed_workload(&mut plain);
    }
    figures.push(
        Figure::new("sqlcipher_overhead_ratio", encrypted_s / plain_s, "×", Better::Lower)
            .target(1.3)
            .method(format!(
                "mixed workload at {scale} (160 searches, 40 folder opens of 200 contacts, 50 saves) on SQLCipher / on plain SQLite, same data and pragmas, {ROUNDS} rounds each, taking turns: {encrypted_s:.2} s / {plain_s:.2} s"
            )),
    );
    progress(format!("generating {fill_persons} persons on each…"));
    let encrypted_fill = encrypted_store(fill_persons).fill_s;
    let plain_fill = plain_store(fill_persons).fill_s;
    figures.push(
        Figure::new("sqlcipher_overhead_ratio_fill", encrypted_fill / plain_fill, "×", Better::Lower).method(format!(
            "demo generation of {fill_persons} persons on SQLCipher / on plain SQLite, nothing else running: {encrypted_fill:.1} s / {plain_fill:.1} s"
        )),
    );
}

/// The figures the benchmark issue names that this run could not measure.
fn not_measured(arguments: &Arguments) -> Vec<(&'static str, &'static str)> {
    let mut missing = Vec::new();
    if arguments.app.is_none() {
        missing.push(("cold_start_ms", "needs the desktop app and a display: `cargo xtask bench` gives both"));
    }
    missing
}

fn main() {
    let arguments = Arguments::parse();
    let started = Instant::now();
    let machine = Machine::this_one();
    let mut figures = Vec::new();
    println!(
        "porta-bench on {} cores, {} GiB ({})",
        machine.cores,
        machine.memory_gib,
        if arguments.quick { "quick" } else { "full" }
    );

    let scales: &[(usize, &str)] =
        if arguments.quick { &[(2_000, "2k")] } else { &[(10_000, "10k"), (100_000, "100k")] };
    let mut smallest: Option<(Fixture, &str)> = None;
    let mut prepared = None;
    let replication_persons = if arguments.quick { 2_000 } else { 100_000 };
    for (index, (persons, scale)) in scales.iter().enumerate() {
        // The app starts the same on any store: its cold start is timed once, on the first.
        let app = arguments.app.as_deref().filter(|_| smallest.is_none());
        let largest = index + 1 == scales.len();
        let prepare = || largest.then(|| Prepared::new(replication_persons, scales[0].0));
        let generated = generate(*persons, scale, prepare, &mut figures);
        prepared = prepared.or(generated.prepared);
        let fixture = scale_figures(generated.fixture, *persons, scale, arguments.quick, app, &mut figures);
        bootstrap_figures(&generated.server, generated.imported, scale, &mut figures);
        if index == 0 {
            slow_link_figures(&generated.server, generated.imported.0, scale, &mut figures);
        }
        // The desk in the window, on the largest store, once its bootstrap has checked every
        // entry: the app syncs what it saves to the scale's server.
        if let Some(app) = arguments.app.as_deref().filter(|_| largest) {
            progress(format!("{scale}: the desk in the window…"));
            let rounds = if arguments.quick { 5 } else { 60 };
            desk_ui_figures(app, &fixture.data_dir, scale, rounds, &mut figures);
        }
        if smallest.is_none() {
            smallest = Some((fixture, scale));
        }
    }
    // The headline names compare across runs: the largest scale's values.
    let (_, largest) = scales[scales.len() - 1];
    for (headline, measured) in [
        ("save_p95_ms", format!("save_p95_ms_{largest}")),
        ("unlock_ms", format!("unlock_ms_{largest}")),
        ("db_bytes_per_1k_persons", format!("db_bytes_per_1k_persons_{largest}")),
    ] {
        if let Some(figure) = figures.iter().find(|f| f.name == measured).cloned() {
            figures.push(Figure { name: headline.into(), method: format!("= `{measured}`"), ..figure });
        }
    }
    let (mut fixture, scale) = smallest.expect("at least one scale");
    let prepared = prepared.expect("prepared with the largest scale");
    progress("apply…");
    apply_figures(&fixture, if arguments.quick { 50_000 } else { 300_000 }, &mut figures);
    progress("push and pull…");
    sync_figures(&fixture, if arguments.quick { 50_000 } else { 300_000 }, &mut figures);
    replication_figures(prepared.replication_persons, prepared.replication_device, prepared.automerge, &mut figures);
    let fill_persons = if arguments.quick { 1_000 } else { 2_000 };
    overhead_figures(&mut fixture, prepared.plain, scale, fill_persons, &mut figures);

    let results = Results {
        machine: &machine,
        mode: if arguments.quick { "quick" } else { "full" },
        profile: if cfg!(debug_assertions) { "dev" } else { "release" },
        results: &figures,
    };
    if let Some(parent) = arguments.out.parent() {
        std::fs::create_dir_all(parent).expect("the results folder");
    }
    std::fs::write(&arguments.out, serde_json::to_string_pretty(&results).expect("JSON")).expect("results.json");
    for figure in &figures {
        println!("{:<40} {:>12.3} {:<10} {}", figure.name, figure.value, figure.unit, figure.verdict());
    }
    println!("results in {}", arguments.out.display());
    if !arguments.quick && cfg!(debug_assertions) {
        println!("a debug build: BENCHMARKS.md is left alone (run `cargo xtask bench`)");
    } else if !arguments.quick {
        let notes = std::fs::read_to_string(&arguments.notes).unwrap_or_default();
        let text =
            report::markdown(&machine, &figures, &not_measured(&arguments), &notes, started.elapsed().as_secs_f64());
        std::fs::write(&arguments.markdown, text).expect("BENCHMARKS.md");
        println!("table in {}", arguments.markdown.display());
    }
}

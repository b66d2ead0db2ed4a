//! Realistic synthetic case folders for the demo, tests and benchmarks: people from the main
//! countries of origin of migrants in the province of Lecce, living in the municipalities of
//! the Ambito of Galatina, with households, documents that expire, needs, practices,
//! appointments, referrals, notes and two years of contacts. Deterministic: the same seed and
//! anchor give the same folders, ids included. Nobody in it is real.

use crate::calendar::Datelike;
use std::time::Duration;

use uuid::Uuid;

use crate::clock::{Clock, ManualClock};
use crate::folder::appointment::{AppointmentDetails, CupBooking};
use crate::folder::consent::{ConsentDetails, ConsentKind};
use crate::folder::contact::{ContactDetails, PlaceKind};
use crate::folder::document::{DocumentDetails, DocumentKind};
use crate::folder::household::{HouseholdMemberDetails, Relation};
use crate::folder::need::{NeedCategory, NeedDetails};
use crate::folder::note::{Confidentiality, NoteDetails};
use crate::folder::person::{Address, PartialDate, PersonDetails, ProtectionStatus, Sex, StpEniCode};
use crate::folder::practice::{PracticeDetails, PracticeStatus};
use crate::folder::referral::{ReferralDetails, ReferralStatus, ReferralTarget};
use crate::folder::{Day, LocalDateTime};
use crate::rules::codice_fiscale::{Holder, expected};
use crate::rules::procedures;
use crate::seeded::SeededRandom;
use crate::store::{Store, StoreError};

/// A country of origin: ANPR code, language, and names as they are usually transliterated.
struct Origin {
    anpr: &'static str,
    language: &'static str,
    eu: bool,
    family: &'static [&'static str],
    female: &'static [&'static str],
    male: &'static [&'static str],
}

const ORIGINS: &[Origin] = &[
    Origin {
        anpr: "Z129",
        language: "ro",
        eu: true,
        family: &["Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Munteanu"],
        female: &["Ioana", "Maria", "Elena", "Andreea", "Mihaela", "Florentina"],
        male: &["Ion", "Andrei", "Gheorghe", "Florin", "Mihai", "Constantin"],
    },
    Origin {
        anpr: "Z100",
        language: "sq",
        eu: false,
        family: &["Hoxha", "Shehu", "Gashi", "Kola", "Leka", "Dervishi", "Berisha", "Mehmeti"],
        female: &["Drita", "Besa", "Arta", "Elira", "Blerina", "Mirela"],
        male: &["Arben", "Besnik", "Gentian", "Ilir", "Fatmir", "Dritan"],
    },
    Origin {
        anpr: "Z330",
        language: "ar",
        eu: false,
        family: &["El Amrani", "Benali", "Bouzid", "El Idrissi", "Haddad", "Ouali", "Ben Ali", "Tazi"],
        female: &["Fatima", "Khadija", "Amina", "Naima", "Samira", "Zineb"],
        male: &["Mohamed", "Youssef", "Abdelkader", "Rachid", "Hicham", "Said"],
    },
    Origin {
        anpr: "Z343",
        language: "wo",
        eu: false,
        family: &["Diallo", "Ndiaye", "Diop", "Fall", "Sow", "Ba", "Gueye", "Faye"],
        female: &["Aminata", "Fatou", "Awa", "Mariama", "Khady", "Ndeye"],
        male: &["Mamadou", "Moussa", "Cheikh", "Ibrahima", "Abdoulaye", "Modou"],
    },
    Origin {
        anpr: "Z138",
        language: "uk",
        eu: false,
        family: &["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk"],
        female: &["Olena", "Nataliia", "Iryna", "Oksana", "Svitlana", "Tetiana"],
        male: &["Oleksandr", "Serhii", "Andrii", "Volodymyr", "Mykola", "Dmytro"],
    },
    Origin {
        anpr: "Z335",
        language: "en",
        eu: false,
        family: &["Okafor", "Adeyemi", "Okonkwo", "Eze", "Ibrahim", "Oyelaran", "Obi", "Nwosu"],
        female: &["Blessing", "Joy", "Precious", "Chioma", "Ngozi", "Favour"],
        male: &["Emeka", "Chukwudi", "Samuel", "Ikechukwu", "Tunde", "Godwin"],
    },
    Origin {
        anpr: "Z236",
        language: "ur",
        eu: false,
        family: &["Khan", "Ahmed", "Ali", "Hussain", "Iqbal", "Butt", "Malik", "Qureshi"],
        female: &["Ayesha", "Fatima", "Sana", "Nadia", "Rabia", "Saima"],
        male: &["Muhammad", "Imran", "Asif", "Bilal", "Usman", "Tariq"],
    },
    Origin {
        anpr: "Z249",
        language: "bn",
        eu: false,
        family: &["Rahman", "Hossain", "Islam", "Ahmed", "Akter", "Uddin", "Miah", "Sarkar"],
        female: &["Nasrin", "Shirin", "Taslima", "Rumana", "Jesmin", "Farzana"],
        male: &["Mohammad", "Rashed", "Kamal", "Jahangir", "Sohel", "Mizanur"],
    },
    Origin {
        anpr: "Z317",
        language: "en",
        eu: false,
        family: &["Jallow", "Ceesay", "Sanneh", "Touray", "Jammeh", "Bah", "Camara", "Darboe"],
        female: &["Isatou", "Fatoumata", "Haddy", "Mariama", "Binta", "Kaddy"],
        male: &["Lamin", "Ebrima", "Modou", "Alieu", "Omar", "Bakary"],
    },
    Origin {
        anpr: "Z329",
        language: "fr",
        eu: false,
        family: &["Traoré", "Coulibaly", "Keita", "Diarra", "Koné", "Sissoko", "Touré", "Cissé"],
        female: &["Aïssata", "Kadiatou", "Oumou", "Salimata", "Djeneba", "Rokia"],
        male: &["Seydou", "Boubacar", "Souleymane", "Adama", "Bakary", "Yacouba"],
    },
    Origin {
        anpr: "Z210",
        language: "zh",
        eu: false,
        family: &["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Hu", "Zhou"],
        female: &["Mei", "Xiu Ying", "Li Na", "Yan", "Jing", "Hui"],
        male: &["Wei", "Jun", "Hao", "Lei", "Qiang", "Ming"],
    },
    Origin {
        anpr: "Z352",
        language: "ar",
        eu: false,
        family: &["Trabelsi", "Ben Salah", "Gharbi", "Jebali", "Mansouri", "Ayari", "Hamdi", "Sassi"],
        female: &["Salma", "Ines", "Mariem", "Amel", "Rim", "Sonia"],
        male: &["Mehdi", "Karim", "Walid", "Anis", "Sami", "Hamza"],
    },
];

/// The municipalities of the Ambito of Galatina, with their postcodes.
const MUNICIPALITIES: &[(&str, &str)] = &[
    ("Galatina", "73013"),
    ("Aradeo", "73040"),
    ("Cutrofiano", "73020"),
    ("Neviano", "73040"),
    ("Sogliano Cavour", "73010"),
    ("Soleto", "73010"),
];

const STREETS: &[&str] = &[
    "Via Roma",
    "Via Garibaldi",
    "Via Vittorio Emanuele",
    "Corso Re d'Italia",
    "Via Lecce",
    "Via Mazzini",
    "Via Noha",
    "Via Gallipoli",
];

/// The desk's places: its office and the outreach places mediators go to.
const OFFICE: &str = "PUA Galatina, Piazza Alighieri";
const OUTREACH: &[&str] = &["Mercato settimanale di Galatina", "Campagne di Cutrofiano", "Parrocchia di Aradeo"];
const MEDIATORS: &[&str] = &["Fatima", "Ousmane", "Olena", "Arta"];

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    /// How many people (heads and household members together).
    pub persons: usize,
    pub seed: u64,
    /// The day the data is "as of": contacts go back two years from it.
    pub today: crate::calendar::Date,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub persons: usize,
    pub rows: usize,
}

/// How many people are written per transaction.
const BATCH: usize = 500;

/// The demo administrator's login.
pub const DEMO_LOGIN: &str = "demo";
/// The demo administrator's passphrase, shown on the demo's unlock screen: the data are
/// synthetic, so it protects nothing.
pub const DEMO_PASSPHRASE: &str = "porta demo galatina";

/// Creates a demo store in `data_dir` (marked as demo, so it is never enrolled), fills it
/// with `spec`, reporting the people written after each batch, and closes it: it opens with
/// [`DEMO_LOGIN`] and [`DEMO_PASSPHRASE`]. Returns the summary and the recovery key.
pub fn set_up_demo(
    data_dir: &crate::DataDir,
    spec: &DemoSpec,
    clock: &dyn Clock,
    random: &dyn ring::rand::SecureRandom,
    progress: &mut dyn FnMut(usize),
) -> Result<(DemoSummary, crate::keys::RecoveryKey), StoreError> {
    let first = crate::store::FirstRun {
        admin_login: DEMO_LOGIN.into(),
        admin_name: "Amministratrice Demo".into(),
        admin_passphrase: crate::keys::Passphrase::new(DEMO_PASSPHRASE).expect("the demo passphrase follows the rules"),
        ..crate::store::FirstRun::example("Computer dimostrativo")
    };
    // The mark comes first: a fill stopped halfway still leaves a folder that is never enrolled.
    std::fs::write(data_dir.demo_marker(), "Porta: dati dimostrativi, persone inventate.\n")
        .map_err(|error| StoreError::Database(crate::store::DatabaseFailure::File(error)))?;
    let (mut store, recovery) = Store::set_up(data_dir, first, clock, random)?;
    let summary = fill_reporting(&mut store, spec, progress)?;
    Ok((summary, recovery))
}

/// Fills `store` with `spec.persons` synthetic people and their folders. The store's ids are
/// seeded and the clock stands at the anchor day, so a second run with the same spec on an
/// empty store writes the same folders.
pub fn fill(store: &mut Store, spec: &DemoSpec) -> Result<DemoSummary, StoreError> {
    fill_reporting(store, spec, &mut |_| {})
}

/// [`fill`], calling `progress` with the number of people written after each batch.
pub fn fill_reporting(
    store: &mut Store,
    spec: &DemoSpec,
    progress: &mut dyn FnMut(usize),
) -> Result<DemoSummary, StoreError> {
    let clock = ManualClock::at(crate::clock::rome_instant_ms(spec.today, 10, 0));
    store.use_seeded_ids(spec.seed);
    let directory = if store.operator().role.may(crate::store::Permission::KeepDirectory) {
        store.in_one_transaction(|store| demo_directory(store, &clock))?
    } else {
        Vec::new()
    };
    let mut generator = Generator {
        random: SeededRandom::new(spec.seed ^ 0x5EED),
        today: spec.today,
        progressive: 0,
        operator: store.operator().account_id,
        directory,
    };
    let mut summary = DemoSummary::default();
    while summary.persons < spec.persons {
        let wanted = (spec.persons - summary.persons).min(BATCH);
        let written = store.in_one_transaction(|store| {
            let mut batch = DemoSummary::default();
            while batch.persons < wanted {
                let household = generator.household(store, wanted - batch.persons, &clock)?;
                batch.persons += household.persons;
                batch.rows += household.rows;
            }
            Ok(batch)
        })?;
        summary.persons += written.persons;
        summary.rows += written.rows;
        progress(summary.persons);
    }
    Ok(summary)
}

/// The directory of a demo Ambito: services with invented names of the usual kinds, at
/// addresses that are plainly examples, and three mediators.
fn demo_directory(store: &mut Store, clock: &dyn Clock) -> Result<Vec<(ReferralTarget, Uuid)>, StoreError> {
    let services = [
        (ReferralTarget::Consultorio, "Consultorio familiare di Galatina", "lun–ven 8:30–12:30, mar e gio 15–17"),
        (ReferralTarget::Asl, "ASL – Distretto socio-sanitario di Galatina (CUP)", "lun–ven 8–12:30"),
        (ReferralTarget::EmploymentCentre, "Centro per l'impiego di Galatina", "lun–ven 9–12, mar 15–17"),
        (ReferralTarget::AdultSchool, "CPIA – sede di Galatina (corsi di italiano)", "lun–gio 16–19"),
        (ReferralTarget::LegalClinic, "Sportello legale per cittadini stranieri", "mer 9–13"),
        (ReferralTarget::Association, "Associazione di volontariato Accoglienza", "sab 9–12"),
    ];
    let mut directory = Vec::new();
    for (number, (kind, name, hours)) in services.into_iter().enumerate() {
        let details = crate::folder::organisation::OrganisationDetails {
            name: name.into(),
            kind,
            municipality: Some("Galatina".into()),
            address: Some(format!("Via dell'Esempio {}", number + 1)),
            phone: Some(format!("0836 000 00{}", number + 1)),
            email: None,
            opening_hours: Some(hours.into()),
            note: None,
            closed: false,
        };
        directory.push((kind, store.save_organisation(None, &details, clock)?));
    }
    use crate::folder::mediator::{MediatorDetails, Weekday};
    let mediators = [
        ("Amina", &["fr", "wo"][..], &[Weekday::Tuesday, Weekday::Thursday][..], "09:00", "13:00"),
        ("Youssef", &["ar", "fr"][..], &[Weekday::Monday, Weekday::Wednesday, Weekday::Friday][..], "08:30", "12:30"),
        ("Ioana", &["ro"][..], &[Weekday::Wednesday][..], "15:00", "18:00"),
    ];
    for (name, languages, weekdays, from, until) in mediators {
        let details = MediatorDetails {
            name: name.into(),
            languages: languages.iter().map(|code| (*code).to_owned()).collect(),
            weekdays: weekdays.to_vec(),
            from_time: Some(from.into()),
            until_time: Some(until.into()),
            phone: None,
            note: None,
            inactive: false,
        };
        store.save_mediator(None, &details, clock)?;
    }
    Ok(directory)
}

struct Generator {
    random: SeededRandom,
    today: crate::calendar::Date,
    /// The next STP/ENI progressive number.
    progressive: u32,
    /// The operator filling the demo: in charge of its practices, so "my practices" and "my
    /// appointments" show something on a demo.
    operator: Uuid,
    /// The directory's services, by kind: referrals name them.
    directory: Vec<(ReferralTarget, Uuid)>,
}

impl Generator {
    /// A day `0..=days_back` days before today.
    fn day_within(&mut self, days_back: i64) -> Day {
        let back = self.random.in_range(0..=days_back);
        Day(crate::calendar::plus_days(self.today, -back))
    }

    fn shift(day: Day, days: i64) -> Day {
        Day(crate::calendar::plus_days(day.0, days))
    }

    /// One household: a head and up to `room - 1` members, each with a folder.
    fn household(&mut self, store: &mut Store, room: usize, clock: &ManualClock) -> Result<DemoSummary, StoreError> {
        let origin = self.random.pick(ORIGINS);
        let family_name = *self.random.pick(origin.family);
        let address = self.address();
        let members = if room > 1 && self.random.percent(25) { self.random.in_range(1..=3) as usize } else { 0 };
        let members = members.min(room - 1);
        let head_age = self.random.in_range(19..=65) as i16;
        let head = self.person(origin, family_name, head_age, &address);
        let head_id = self.create(store, head, clock)?;
        let mut summary = DemoSummary { persons: 1, rows: self.folder_rows(store, origin, head_id, clock)? };
        for index in 0..members {
            let (relation, age) = if index == 0 && self.random.percent(60) {
                (Relation::Partner, (head_age + self.random.in_range(-6..=6) as i16).max(18))
            } else {
                (Relation::Child, self.random.in_range(0..=i64::from((head_age - 18).max(0))) as i16)
            };
            let member = self.person(origin, family_name, age, &address);
            let member_id = self.create(store, member, clock)?;
            store.add(head_id, &HouseholdMemberDetails { member: member_id, relation, arrived_on: None }, clock)?;
            summary.persons += 1;
            summary.rows += 1 + self.folder_rows(store, origin, member_id, clock)?;
        }
        Ok(summary)
    }

    /// Creates the person; a generated codice fiscale that happens to be taken is dropped.
    fn create(&mut self, store: &mut Store, details: PersonDetails, clock: &ManualClock) -> Result<Uuid, StoreError> {
        // Writes a few milliseconds apart: 100,000 people fit in the anchor day's afternoon.
        clock.advance(Duration::from_millis(self.random.in_range(5..=50) as u64));
        match store.create_person(&details, clock) {
            Err(StoreError::DuplicateCodiceFiscale) => {
                store.create_person(&PersonDetails { codice_fiscale: None, ..details }, clock)
            }
            other => other,
        }
    }

    fn address(&mut self) -> Address {
        let (municipality, postcode) = *self.random.pick(MUNICIPALITIES);
        Address {
            street: format!("{} {}", self.random.pick(STREETS), self.random.in_range(1..=120)),
            municipality: municipality.to_owned(),
            postcode: Some(postcode.to_owned()),
        }
    }

    fn person(&mut self, origin: &Origin, family_name: &str, age: i16, address: &Address) -> PersonDetails {
        let sex = if self.random.percent(50) { Sex::Female } else { Sex::Male };
        let given = if sex == Sex::Female { origin.female } else { origin.male };
        let year = self.today.year() as i16 - age;
        let known_day = self.random.percent(80);
        let month = known_day.then(|| self.random.in_range(1..=12) as u8);
        let day = month.map(|_| self.random.in_range(1..=28) as u8);
        let mut birth_date = PartialDate { year, month, day, estimated: !known_day };
        if i32::from(year) == self.today.year() {
            // Born this year: a day no later than today.
            birth_date.month = Some(self.random.in_range(1..=i64::from(self.today.month())) as u8);
            birth_date.day = Some(1);
        }
        let given_names = (*self.random.pick(given)).to_owned();
        let has_codice_fiscale = age >= 1 && self.random.percent(65);
        let codice_fiscale =
            has_codice_fiscale.then(|| Self::codice_fiscale(family_name, &given_names, sex, birth_date, origin));
        let stp_eni_code = (!has_codice_fiscale && self.random.percent(50)).then(|| {
            self.progressive += 1;
            let issued_on = self.day_within(170);
            StpEniCode {
                code: format!("{}160116{:07}", if origin.eu { "ENI" } else { "STP" }, self.progressive),
                issued_on,
                expires_on: Self::shift(issued_on, 182),
            }
        });
        let (stp, eni) = if origin.eu { (None, stp_eni_code) } else { (stp_eni_code, None) };
        let protection = (!origin.eu && self.random.percent(20)).then(|| {
            *self.random.pick(&[
                ProtectionStatus::AsylumSeeker,
                ProtectionStatus::Refugee,
                ProtectionStatus::SubsidiaryProtection,
                ProtectionStatus::SpecialProtection,
            ])
        });
        let protection = if origin.anpr == "Z138" { Some(ProtectionStatus::TemporaryProtection) } else { protection };
        let aliases = if family_name.contains(' ') { vec![family_name.replace(' ', "")] } else { Vec::new() };
        PersonDetails {
            family_name: family_name.to_owned(),
            given_names,
            aliases,
            sex: Some(sex),
            birth_date: Some(birth_date),
            birth_country: Some(origin.anpr.to_owned()),
            citizenships: vec![origin.anpr.to_owned()],
            protection,
            languages: vec![origin.language.to_owned(), "it".to_owned()],
            preferred_language: Some(origin.language.to_owned()),
            phone: (age >= 16 && self.random.percent(75))
                .then(|| format!("+39 3{} {:07}", self.random.in_range(20..=99), self.random.in_range(0..=9_999_999))),
            codice_fiscale,
            stp,
            eni,
            domicile: Some(address.clone()),
            residence: self.random.percent(55).then(|| address.clone()),
            ..PersonDetails::default()
        }
    }

    /// The codice fiscale the person's data give (a first of January for an unknown day).
    fn codice_fiscale(family_name: &str, given_names: &str, sex: Sex, born: PartialDate, origin: &Origin) -> String {
        let birth_date =
            crate::calendar::date(born.year.into(), born.month.unwrap_or(1).into(), born.day.unwrap_or(1).into());
        expected(&Holder { family_name, given_names, sex, birth_date, place_code: origin.anpr }).to_string()
    }

    /// The rows of one folder: documents, consents, needs, practices, appointments,
    /// contacts, referrals, notes. Returns how many were written.
    fn folder_rows(
        &mut self,
        store: &mut Store,
        origin: &Origin,
        folder: Uuid,
        clock: &ManualClock,
    ) -> Result<usize, StoreError> {
        let mut rows = 0;
        let first_seen = self.day_within(730);
        let days_known = (self.today - first_seen.0).num_days();
        if !origin.eu && self.random.percent(75) {
            let issued_on = Self::shift(first_seen, -self.random.in_range(0..=700));
            let renewal = self.random.percent(30).then(|| self.day_within(days_known.min(60)));
            let permit = DocumentDetails {
                kind: DocumentKind::ResidencePermit,
                number: Some(format!("I{:08}", self.random.below(100_000_000))),
                issued_by: Some("Questura di Lecce".into()),
                issued_on: Some(issued_on),
                expires_on: Some(Self::shift(issued_on, 730)),
                permit_reason: Some(
                    (*self.random.pick(&["Lavoro subordinato", "Motivi familiari", "Protezione speciale", "Studio"]))
                        .to_owned(),
                ),
                renewal_requested_on: renewal.filter(|day| *day >= issued_on),
                isee_value_cents: None,
                protocol: None,
            };
            store.add(folder, &permit, clock)?;
            rows += 1;
        }
        if self.random.percent(50) {
            let issued_on = Self::shift(first_seen, -self.random.in_range(0..=2_000));
            let passport = DocumentDetails {
                kind: DocumentKind::Passport,
                number: Some(format!("P{:07}", self.random.below(10_000_000))),
                issued_by: None,
                issued_on: Some(issued_on),
                expires_on: Some(Self::shift(issued_on, 3_652)),
                permit_reason: None,
                renewal_requested_on: None,
                isee_value_cents: None,
                protocol: None,
            };
            store.add(folder, &passport, clock)?;
            rows += 1;
        }
        if self.random.percent(20) {
            let issued_on = self.day_within(days_known.min(300));
            let isee = DocumentDetails {
                kind: DocumentKind::Isee,
                number: None,
                issued_by: Some("INPS".into()),
                issued_on: Some(issued_on),
                expires_on: Some(Day(crate::calendar::date(issued_on.0.year(), 12, 31))),
                permit_reason: None,
                renewal_requested_on: None,
                isee_value_cents: Some(self.random.in_range(0..=2_500_000) as u64),
                protocol: Some(format!("INPS-ISEE-{}-{:08}", issued_on.0.year(), self.random.below(100_000_000))),
            };
            store.add(folder, &isee, clock)?;
            rows += 1;
        }
        let privacy = ConsentDetails {
            kind: ConsentKind::PrivacyNotice,
            given_on: first_seen,
            language: Some(origin.language.to_owned()),
            withdrawn_on: None,
            recorded_by: None,
        };
        store.add(folder, &privacy, clock)?;
        rows += 1;
        if self.random.percent(30) {
            let share = ConsentDetails { kind: ConsentKind::ShareWithHealthServices, ..privacy };
            store.add(folder, &share, clock)?;
            rows += 1;
        }
        for _ in 0..self.random.in_range(1..=3) {
            let category = *self.random.pick(&NeedCategory::ALL);
            let raised_on = self.day_within(days_known);
            let need = NeedDetails {
                category,
                description: None,
                raised_on,
                resolved: self.random.percent(60),
                confidentiality: Default::default(),
            };
            let need_id = store.add(folder, &need, clock)?;
            rows += 1;
            if self.random.percent(45) {
                store.add(folder, &self.practice(category, need_id, raised_on), clock)?;
                rows += 1;
            }
        }
        let contacts = match self.random.below(100) {
            0..=29 => 1,
            30..=79 => self.random.in_range(2..=4),
            _ => self.random.in_range(5..=12),
        };
        for _ in 0..contacts {
            store.add(folder, &self.contact(origin, days_known), clock)?;
            rows += 1;
        }
        if self.random.percent(20) {
            store.add(folder, &self.appointment(), clock)?;
            rows += 1;
        }
        if self.random.percent(15) {
            let target = *self.random.pick(&[
                ReferralTarget::Consultorio,
                ReferralTarget::Asl,
                ReferralTarget::EmploymentCentre,
                ReferralTarget::AdultSchool,
                ReferralTarget::LegalClinic,
            ]);
            let organisation = self.directory.iter().find(|(kind, _)| *kind == target).map(|(_, id)| *id);
            let referral = ReferralDetails {
                target,
                organisation,
                service_name: None,
                on: self.day_within(days_known),
                reason: None,
                status: *self.random.pick(&[ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::Completed]),
                feedback: None,
            };
            store.add(folder, &referral, clock)?;
            rows += 1;
        }
        if self.random.percent(30) {
            let restricted = self.random.percent(15);
            let note = NoteDetails {
                text: if restricted {
                    "Accompagnata al consultorio per il percorso nascita.".into()
                } else {
                    (*self.random.pick(&[
                        "Porta la ricevuta postale alla prossima visita.",
                        "Ha bisogno di mediazione in lingua madre per i colloqui.",
                        "Lavora in campagna fino a ottobre: chiamare di sera.",
                        "Chiede informazioni sul ricongiungimento familiare.",
                    ]))
                    .into()
                },
                confidentiality: if restricted { Confidentiality::HealthRestricted } else { Confidentiality::Normal },
            };
            store.add(folder, &note, clock)?;
            rows += 1;
        }
        Ok(rows)
    }

    fn practice(&mut self, category: NeedCategory, need: Uuid, opened_on: Day) -> PracticeDetails {
        let template = match category {
            NeedCategory::HealthAccess => "ssn-registration",
            NeedCategory::ResidencePermit => "permit-renewal",
            NeedCategory::Citizenship => "citizenship-residence",
            NeedCategory::ItalianTest => "italian-test",
            NeedCategory::Bonus => "isee-dsu",
            NeedCategory::MaternityCheque => "maternity-cheque",
            NeedCategory::Legal => "legal-consultancy",
            NeedCategory::Mediation => "mediation-session",
            NeedCategory::Work => "work-referral",
            NeedCategory::Courses => "cpia-course",
            NeedCategory::Other => "other",
        };
        let status = *self.random.pick(&[
            PracticeStatus::Open,
            PracticeStatus::InProgress,
            PracticeStatus::Submitted,
            PracticeStatus::Accepted,
            PracticeStatus::Closed,
        ]);
        PracticeDetails {
            template: template.into(),
            need: Some(need),
            status,
            opened_on,
            deadline: self.random.percent(50).then(|| Self::shift(opened_on, self.random.in_range(10..=120))),
            steps_done: procedures::template(template).map(|t| t.steps[..1].to_vec()).unwrap_or_default(),
            protocol_number: matches!(status, PracticeStatus::Submitted | PracticeStatus::Accepted)
                .then(|| format!("{:06}/{}", self.random.below(1_000_000), opened_on.0.year())),
            postal_receipt: None,
            booking_code: None,
            outcome_on: None,
            outcome_note: None,
            in_charge: Some(self.operator),
        }
    }

    fn contact(&mut self, origin: &Origin, days_known: i64) -> ContactDetails {
        let outdoor = self.random.percent(30);
        let services = vec![*self.random.pick(&NeedCategory::ALL)];
        ContactDetails {
            on: self.day_within(days_known),
            place_kind: if outdoor { PlaceKind::Outdoor } else { PlaceKind::Office },
            place: Some(if outdoor { (*self.random.pick(OUTREACH)).to_owned() } else { OFFICE.to_owned() }),
            mediator: (outdoor || self.random.percent(40)).then(|| (*self.random.pick(MEDIATORS)).to_owned()),
            language: Some(origin.language.to_owned()),
            duration_minutes: self.random.in_range(10..=90) as u16,
            services,
            recorded_by: None,
        }
    }

    fn appointment(&mut self) -> AppointmentDetails {
        let day = Self::shift(Day(self.today), self.random.in_range(1..=60));
        let at = LocalDateTime(day.0.and_hms_opt(self.random.in_range(8..=16) as u32, 30, 0).expect("a time"));
        let cup = self.random.percent(40).then(|| CupBooking {
            service: "Prima visita".into(),
            facility: "Presidio ospedaliero Santa Caterina Novella, Galatina".into(),
            booking_code: format!("CUP{:09}", self.random.below(1_000_000_000)),
        });
        AppointmentDetails {
            at,
            place: if cup.is_some() { "Ospedale di Galatina".into() } else { OFFICE.into() },
            purpose: None,
            duration_minutes: Some(if cup.is_some() { 20 } else { 30 }),
            cup,
            cancelled: false,
            operator: Some(self.operator),
            mediator: None,
            language: None,
        }
    }
}

/// The clock the demo writes with, for callers that want to read the folders at the same instant.
pub fn clock_at(today: crate::calendar::Date) -> impl Clock {
    ManualClock::at(crate::clock::rome_instant_ms(today, 18, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Role;

    fn spec(persons: usize) -> DemoSpec {
        DemoSpec { persons, seed: 7, today: crate::calendar::date(2026, 11, 26) }
    }

    #[test]
    fn the_same_seed_gives_the_same_folders() {
        let mut first = Store::unencrypted(None, Role::Administrator);
        let mut second = Store::unencrypted(None, Role::Administrator);
        let summary = fill(&mut first, &spec(60)).unwrap();
        assert_eq!(summary, fill(&mut second, &spec(60)).unwrap());
        assert_eq!(summary.persons, 60);
        assert!(summary.rows > 60 * 4, "folders have documents, needs and contacts: {summary:?}");
        // Everything but who recorded the rows and who is in charge (each store has its own
        // operator) is the same.
        let values = |store: &Store| -> Vec<_> {
            let entries = store.change_log().unwrap().into_iter();
            entries
                .filter(|e| !matches!(e.field.as_str(), "recorded_by" | "in_charge" | "operator"))
                .map(|e| (e.row_id, e.field, e.value, e.hlc.wall_ms))
                .collect()
        };
        assert!(values(&first) == values(&second), "two runs with one seed differ");
    }

    #[test]
    fn demo_people_are_found_and_their_folders_open() {
        let mut store = Store::unencrypted(None, Role::Administrator);
        fill(&mut store, &spec(40)).unwrap();
        let clock = clock_at(crate::calendar::date(2026, 11, 26));
        let hits = store.search_people("Diallo", None, 50).unwrap();
        let everyone: usize =
            ["a", "e", "i", "o", "u"].iter().map(|v| store.search_people(v, None, 100).unwrap().len()).max().unwrap();
        assert!(everyone > 0);
        for hit in hits {
            let folder = store.folder(hit.id, &clock).unwrap();
            assert_eq!(folder.person.details.family_name, "Diallo");
            assert!(!folder.contacts.is_empty() && !folder.consents.is_empty());
        }
    }
}

//! The Automerge peer, natively (crates.io `automerge`): the replication workload's persons
//! written on one document and applied, as changes, to an empty one in memory.
//!
//! Writing is Automerge's slow side (about a millisecond a person on this machine), so the
//! source document is built as set-up, on the other core while the suite generates its
//! largest Ambito; only applying its changes is timed.

use std::time::Instant;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, Change, ObjType, ROOT, ReadDoc};

use crate::replication::person;

/// The persons a thousand to a change, as a new replica receives them.
pub struct Source {
    persons: usize,
    changes: Vec<Change>,
}

impl Source {
    /// The field edits the changes carry, counted as Porta counts them: nine per person.
    pub fn field_edits(&self) -> usize {
        self.persons * 9
    }
}

/// Writes `persons` persons, the same nine fields Porta writes, a thousand per change.
pub fn source(persons: usize) -> Source {
    let mut document = AutoCommit::new();
    let all = document.put_object(ROOT, "persons", ObjType::Map).expect("the persons map");
    for start in (0..persons).step_by(1_000) {
        for n in start..persons.min(start + 1_000) {
            let details = person(n);
            let one = document.put_object(&all, format!("person-{n}"), ObjType::Map).expect("a person");
            document.put(&one, "family_name", details.family_name).expect("a field");
            document.put(&one, "given_names", details.given_names).expect("a field");
            let sex = serde_json::to_value(details.sex).expect("a sex serialises");
            document.put(&one, "sex", sex.as_str().unwrap_or_default()).expect("a field");
            let birth = details.birth_date.expect("the workload has birth dates");
            let date = document.put_object(&one, "birth_date", ObjType::Map).expect("a field");
            document.put(&date, "year", i64::from(birth.year)).expect("a field");
            document.put(&date, "month", i64::from(birth.month.unwrap_or(1))).expect("a field");
            document.put(&date, "day", i64::from(birth.day.unwrap_or(1))).expect("a field");
            document.put(&date, "estimated", birth.estimated).expect("a field");
            document.put(&one, "birth_country", details.birth_country.unwrap_or_default()).expect("a field");
            for (field, values) in [("citizenships", details.citizenships), ("languages", details.languages)] {
                let list = document.put_object(&one, field, ObjType::List).expect("a field");
                for (index, value) in values.into_iter().enumerate() {
                    document.insert(&list, index, value).expect("an item");
                }
            }
            document.put(&one, "phone", details.phone.unwrap_or_default()).expect("a field");
            document.put(&one, "stateless", false).expect("a field");
        }
        document.commit();
    }
    Source { persons, changes: document.get_changes(&[]) }
}

/// Applies the source's changes to an empty document; the seconds it took. Panics unless
/// every person arrived.
pub fn apply(source: Source) -> f64 {
    let Source { persons, changes } = source;
    let started = Instant::now();
    let mut replica = Automerge::new();
    replica.apply_changes(changes).expect("Automerge applies its own changes");
    let seconds = started.elapsed().as_secs_f64();
    let (_, all) = replica.get(ROOT, "persons").expect("a readable document").expect("the persons map");
    assert_eq!(replica.length(&all), persons, "Automerge replicated every person");
    seconds
}

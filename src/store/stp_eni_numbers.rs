//! STP and ENI codes issued on this device, from blocks of progressive numbers the Ambito's
//! server reserved for it (`sync::client` asks for more while syncing when few are left).
//!
//! A number leaves its block in the same transaction that writes the code into the person's
//! folder, so a number is used once or not at all: a crash in between loses nothing and
//! repeats nothing. Numbers of a block that never reaches the device (an answer lost on the
//! way) are simply never issued: a gap in the series, never a duplicate.

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Permission;
use super::{Store, StoreError};
use crate::clock::{Clock, today_in_rome};
use crate::folder::dates::Day;
use crate::folder::person::StpEniCode;
use crate::rules::eligibility::{may_get_eni, may_get_stp, stp_eni_expiry};
use crate::rules::stp_eni::{EniValidity, MAX_PROGRESSIVE, StpEniKind, StpEniNumber};
use porta_wire::protocol::StpEniBlock;

/// Ask the server for more numbers when fewer than this are left…
pub const REFILL_BELOW: u32 = 25;
/// …and ask for this many.
pub const REFILL_COUNT: u32 = 100;

/// A number of a reserved block, taken for a code being issued.
struct ReservedNumber {
    kind: StpEniKind,
    region: String,
    asl: String,
    number: u32,
    last: u32,
}

impl Store {
    /// How many `kind` numbers this device can still issue.
    pub fn stp_eni_reserve(&self, kind: StpEniKind) -> Result<u32, StoreError> {
        self.conn
            .query_row(
                "SELECT coalesce(sum(last - next + 1), 0) FROM stp_eni_blocks WHERE kind = ?1",
                [kind.as_str()],
                |row| row.get(0),
            )
            .map_err(StoreError::from)
    }

    /// Keeps a block the server reserved for this device. A malformed block (empty, past the
    /// seven digits, or overlapping numbers already held) is refused, changing nothing.
    pub fn add_stp_eni_block(&mut self, block: &StpEniBlock) -> Result<(), StoreError> {
        let well_formed = block.first >= 1
            && block.first <= block.last
            && block.last <= MAX_PROGRESSIVE
            && [&block.region, &block.asl]
                .iter()
                .all(|part| part.len() == 3 && part.bytes().all(|b| b.is_ascii_digit()));
        let overlapping: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM stp_eni_blocks WHERE kind = ?1 AND region = ?2 AND asl = ?3
                 AND next <= ?5 AND last >= ?4)",
            params![block.kind.as_str(), block.region, block.asl, block.first, block.last],
            |row| row.get(0),
        )?;
        if !well_formed || overlapping {
            return Err(StoreError::MalformedStpEniBlock);
        }
        self.conn.execute(
            "INSERT INTO stp_eni_blocks (kind, region, asl, next, last) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![block.kind.as_str(), block.region, block.asl, block.first, block.last],
        )?;
        Ok(())
    }

    /// The region (three digits) of this device's reserved numbers of `kind`, if it has any:
    /// the region its codes are issued in.
    pub fn stp_eni_region(&self, kind: StpEniKind) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT region FROM stp_eni_blocks WHERE kind = ?1 ORDER BY region LIMIT 1",
                [kind.as_str()],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Issues (or renews) an STP or ENI code for the person of `folder`: checks that the
    /// person may get it today, takes this device's next reserved number and writes the code,
    /// valid six months, into the folder, all in one transaction. ENI codes are taken as
    /// valid only in their region (the setting's default).
    pub fn issue_stp_eni_code(
        &mut self,
        folder: Uuid,
        kind: StpEniKind,
        clock: &dyn Clock,
    ) -> Result<StpEniCode, StoreError> {
        self.issue_stp_eni_code_with(folder, kind, EniValidity::default(), clock)
    }

    /// [`Store::issue_stp_eni_code`] with where ENI codes are valid as the settings say.
    pub fn issue_stp_eni_code_with(
        &mut self,
        folder: Uuid,
        kind: StpEniKind,
        eni_validity: EniValidity,
        clock: &dyn Clock,
    ) -> Result<StpEniCode, StoreError> {
        self.require(Permission::EditFolders)?;
        let whole = self.folder(folder, clock)?;
        let today = today_in_rome(clock);
        let documents: Vec<_> = whole.documents.into_iter().map(|row| row.details).collect();
        let mut person = whole.person.details;
        match kind {
            StpEniKind::Stp => may_get_stp(&person, &documents, today),
            StpEniKind::Eni => may_get_eni(&person, today, eni_validity, self.stp_eni_region(kind)?.as_deref()),
        }
        .map_err(StoreError::StpEniRefused)?;
        let (issued, number) = self.next_stp_eni_code(kind, today)?;
        match kind {
            StpEniKind::Stp => person.stp = Some(issued.clone()),
            StpEniKind::Eni => person.eni = Some(issued.clone()),
        }
        self.in_one_transaction(|store| {
            store.update_person(folder, &person, clock)?;
            store.use_stp_eni_number(&number)
        })?;
        Ok(issued)
    }

    /// Opens a folder with no name for a person who gives none, as the rules allow for STP
    /// and ENI, and issues the code that names it, in one transaction. `person` says what the
    /// person did tell (citizenship, sex, year of birth); a name in it is refused.
    pub fn issue_anonymous_stp_eni_code(
        &mut self,
        person: &crate::folder::person::PersonDetails,
        kind: StpEniKind,
        clock: &dyn Clock,
    ) -> Result<(Uuid, StpEniCode), StoreError> {
        self.require(Permission::EditFolders)?;
        if !(person.family_name.trim().is_empty() && person.given_names.trim().is_empty()) {
            return Err(StoreError::Invalid(crate::folder::Invalid::new(
                "field-family-name",
                crate::folder::Problem::UnknownValue,
            )));
        }
        let today = today_in_rome(clock);
        match kind {
            // A person with no folder yet holds no code of this device's to weigh.
            StpEniKind::Stp => may_get_stp(person, &[], today),
            StpEniKind::Eni => may_get_eni(person, today, EniValidity::Nationwide, None),
        }
        .map_err(StoreError::StpEniRefused)?;
        let (issued, number) = self.next_stp_eni_code(kind, today)?;
        let mut person = person.clone();
        match kind {
            StpEniKind::Stp => person.stp = Some(issued.clone()),
            StpEniKind::Eni => person.eni = Some(issued.clone()),
        }
        let folder = self.in_one_transaction(|store| {
            let folder = store.create_person(&person, clock)?;
            store.use_stp_eni_number(&number)?;
            Ok::<_, StoreError>(folder)
        })?;
        Ok((folder, issued))
    }

    /// The next code of `kind` from this device's lowest reserved block, valid six months from
    /// `today`, and the number it takes (used only with [`Store::use_stp_eni_number`]).
    fn next_stp_eni_code(
        &self,
        kind: StpEniKind,
        today: crate::calendar::Date,
    ) -> Result<(StpEniCode, ReservedNumber), StoreError> {
        let next: Option<(String, String, u32, u32)> = self
            .conn
            .query_row(
                "SELECT region, asl, next, last FROM stp_eni_blocks WHERE kind = ?1
                 ORDER BY region, asl, next LIMIT 1",
                [kind.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?;
        let (region, asl, number, last) = next.ok_or(StoreError::NoStpEniNumbers { kind })?;
        let code = StpEniNumber { kind, region: region.clone(), asl: asl.clone(), progressive: number }.code();
        let issued = StpEniCode { code, issued_on: Day(today), expires_on: Day(stp_eni_expiry(today)) };
        Ok((issued, ReservedNumber { kind, region, asl, number, last }))
    }

    /// Marks a reserved number used: the block moves on, or goes when it was its last.
    fn use_stp_eni_number(&self, used: &ReservedNumber) -> Result<(), StoreError> {
        let statement = if used.number == used.last {
            "DELETE FROM stp_eni_blocks WHERE kind = ?1 AND region = ?2 AND asl = ?3 AND next = ?4"
        } else {
            "UPDATE stp_eni_blocks SET next = next + 1 WHERE kind = ?1 AND region = ?2 AND asl = ?3 AND next = ?4"
        };
        self.conn.execute(statement, params![used.kind.as_str(), used.region, used.asl, used.number])?;
        Ok(())
    }

    /// The codes of `kind` the person of `folder` (and of the folders merged with it) held
    /// before the current one, newest first: a renewal writes a new code, and the change log
    /// keeps every earlier one. Read as part of an open folder (whose read is audited).
    pub fn earlier_stp_eni_codes(&self, folder: Uuid, kind: StpEniKind) -> Result<Vec<StpEniCode>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let (survivor, members) = super::merges::group(&self.conn, folder)?;
        let field = match kind {
            StpEniKind::Stp => "stp",
            StpEniKind::Eni => "eni",
        };
        let current: Option<StpEniCode> = super::rows::row_fields(&self.conn, crate::folder::Entity::Person, survivor)?
            .get(field)
            .and_then(|value| serde_json::from_value(value.clone()).ok());
        let mut statement = self.conn.prepare_cached(
            "SELECT value FROM changes WHERE row_id = ?1
             AND field_ref = (SELECT ref FROM log_fields WHERE entity = 'person' AND field = ?2) ORDER BY stamp DESC",
        )?;
        let mut earlier: Vec<StpEniCode> = Vec::new();
        for member in members {
            for value in statement.query_map(params![member, field], |row| row.get::<_, String>(0))? {
                let Ok(code) = serde_json::from_str::<StpEniCode>(&value?) else { continue };
                if current.as_ref().is_none_or(|current| current.code != code.code)
                    && !earlier.iter().any(|known| known.code == code.code)
                {
                    earlier.push(code);
                }
            }
        }
        earlier.sort_by_key(|code| std::cmp::Reverse(code.issued_on));
        Ok(earlier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::folder::person::PersonDetails;
    use crate::store::Role;
    use crate::store::test_support::{NOW_MS, count, store_as};

    fn block(first: u32, last: u32) -> StpEniBlock {
        StpEniBlock { kind: StpEniKind::Stp, region: "160".into(), asl: "116".into(), first, last }
    }

    fn moroccan(store: &mut Store, clock: &ManualClock) -> Uuid {
        let person = PersonDetails {
            family_name: "Benali".into(),
            given_names: "Youssef".into(),
            citizenships: vec!["Z330".into()],
            ..Default::default()
        };
        store.create_person(&person, clock).unwrap()
    }

    #[test]
    fn numbers_are_used_from_the_lowest_block_up_across_block_ends() {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Operator);
        store.add_stp_eni_block(&block(300, 300)).unwrap();
        store.add_stp_eni_block(&block(101, 102)).unwrap();
        let codes: Vec<String> = (0..3)
            .map(|_| {
                let folder = moroccan(&mut store, &clock);
                store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock).unwrap().code
            })
            .collect();
        assert_eq!(codes, ["STP1601160000101", "STP1601160000102", "STP1601160000300"]);
        assert_eq!(store.stp_eni_reserve(StpEniKind::Stp).unwrap(), 0);
        let folder = moroccan(&mut store, &clock);
        assert!(matches!(
            store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock),
            Err(StoreError::NoStpEniNumbers { kind: StpEniKind::Stp })
        ));
    }

    #[test]
    fn an_issued_code_is_valid_six_months_and_renewal_waits_for_the_last_month() {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Operator);
        store.add_stp_eni_block(&block(1, 10)).unwrap();
        let folder = moroccan(&mut store, &clock);
        let issued = store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock).unwrap();
        assert_eq!((issued.issued_on, issued.expires_on), (Day::ymd(2026, 11, 26), Day::ymd(2027, 5, 26)));
        let entries = count(&store.conn, "changes");
        let again = store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock).unwrap_err();
        assert!(matches!(again, StoreError::StpEniRefused(_)));
        assert_eq!(store.stp_eni_reserve(StpEniKind::Stp).unwrap(), 9, "a refusal uses no number");
        assert_eq!(count(&store.conn, "changes"), entries, "and writes nothing");

        // Five months on, in the last month, the renewal writes a new code; the old one is
        // kept, newest first, on this device and on any other that pulls the entries.
        assert!(store.earlier_stp_eni_codes(folder, StpEniKind::Stp).unwrap().is_empty());
        clock.advance(std::time::Duration::from_secs(155 * 24 * 3600));
        let renewed = store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock).unwrap();
        assert_ne!(renewed.code, issued.code);
        assert_eq!(store.earlier_stp_eni_codes(folder, StpEniKind::Stp).unwrap(), vec![issued.clone()]);
        clock.advance(std::time::Duration::from_secs(160 * 24 * 3600));
        store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock).unwrap();
        assert_eq!(store.earlier_stp_eni_codes(folder, StpEniKind::Stp).unwrap(), vec![renewed, issued]);
        let mut other = store_as(Role::Operator);
        crate::store::test_support::sync(&store, &mut other, &clock);
        assert_eq!(other.earlier_stp_eni_codes(folder, StpEniKind::Stp).unwrap().len(), 2);
        assert!(store.earlier_stp_eni_codes(folder, StpEniKind::Eni).unwrap().is_empty());
    }

    #[test]
    fn an_anonymous_code_opens_a_folder_named_by_it_and_a_refusal_opens_nothing() {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Operator);
        store.add_stp_eni_block(&block(1, 10)).unwrap();
        let nameless = PersonDetails {
            citizenships: vec!["Z330".into()],
            sex: Some(crate::folder::person::Sex::Male),
            ..Default::default()
        };
        let (folder, code) = store.issue_anonymous_stp_eni_code(&nameless, StpEniKind::Stp, &clock).unwrap();
        let person = store.folder(folder, &clock).unwrap().person.details;
        assert_eq!((person.family_name.as_str(), person.stp.as_ref()), ("", Some(&code)));
        assert_eq!(store.find_people(&code.code, None, 5, crate::store::Archived::Hidden).unwrap()[0].id, folder);
        assert_eq!(store.stp_eni_reserve(StpEniKind::Stp).unwrap(), 9);

        // A name given, or an EU citizen: refused, no folder, no number used.
        let entries = count(&store.conn, "changes");
        let named = PersonDetails { family_name: "Benali".into(), ..nameless.clone() };
        assert!(matches!(
            store.issue_anonymous_stp_eni_code(&named, StpEniKind::Stp, &clock),
            Err(StoreError::Invalid(_))
        ));
        let french = PersonDetails { citizenships: vec!["Z110".into()], ..nameless };
        assert!(matches!(
            store.issue_anonymous_stp_eni_code(&french, StpEniKind::Stp, &clock),
            Err(StoreError::StpEniRefused(_))
        ));
        assert_eq!(count(&store.conn, "changes"), entries);
        assert_eq!(store.stp_eni_reserve(StpEniKind::Stp).unwrap(), 9);
    }

    #[test]
    fn a_malformed_or_overlapping_block_is_refused_and_changes_nothing() {
        let mut store = store_as(Role::Operator);
        store.add_stp_eni_block(&block(1, 50)).unwrap();
        for bad in [block(0, 5), block(9, 8), block(40, 60), block(MAX_PROGRESSIVE, MAX_PROGRESSIVE + 1)] {
            assert!(matches!(store.add_stp_eni_block(&bad), Err(StoreError::MalformedStpEniBlock)));
        }
        let wrong_region = StpEniBlock { region: "16".into(), ..block(60, 70) };
        assert!(matches!(store.add_stp_eni_block(&wrong_region), Err(StoreError::MalformedStpEniBlock)));
        assert_eq!(store.stp_eni_reserve(StpEniKind::Stp).unwrap(), 50);
    }

    #[test]
    fn a_role_that_may_not_edit_folders_issues_nothing() {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Operator);
        store.add_stp_eni_block(&block(1, 10)).unwrap();
        let folder = moroccan(&mut store, &clock);
        let mut reader = crate::store::test_support::as_role(store, Role::StatisticsReader);
        assert!(matches!(reader.issue_stp_eni_code(folder, StpEniKind::Stp, &clock), Err(StoreError::NotPermitted)));
        assert_eq!(reader.stp_eni_reserve(StpEniKind::Stp).unwrap(), 10);
    }
}

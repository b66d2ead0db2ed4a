//! Case folders: opening a person's folder, adding and changing its rows, deleting,
//! archiving and erasing, with role checks and the audit log.

use uuid::Uuid;

use super::change_log::FieldWrite;
use super::rows::{Fields, Group, folder_of, is_live, is_true, read_group, row_fields};
use super::search;
use super::write_path::{changed_fields, field_writes, fields_of, is_empty};
use super::{AuditAction, Permission, Store, StoreError, conflicts, merges};
use crate::clock::{Clock, today_in_rome};
use crate::folder::person::PersonDetails;
use crate::folder::{
    ARCHIVED, DELETED, ERASED, Editable, Entity, Folder, Invalid, Problem, Row, Section, from_fields,
    is_health_restricted,
};
use crate::rules::deadlines::Deadline;

impl Store {
    /// The live person, other than `except`, who already has `code` as codice fiscale.
    fn holder_of_codice_fiscale(&self, code: Option<&str>, except: Option<Uuid>) -> Result<Option<Uuid>, StoreError> {
        let Some(code) = code else { return Ok(None) };
        search::holder_of_codice_fiscale(&self.conn, code, except).map_err(StoreError::from)
    }

    /// Opens a new folder for a person; returns the folder's (and person's) id. A codice
    /// fiscale that another folder already has is refused: open that folder instead.
    pub fn create_person(&mut self, details: &PersonDetails, clock: &dyn Clock) -> Result<Uuid, StoreError> {
        self.require(Permission::EditFolders)?;
        let details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        if self.holder_of_codice_fiscale(details.codice_fiscale.as_deref(), None)?.is_some() {
            return Err(StoreError::DuplicateCodiceFiscale);
        }
        let id = self.ids.next(clock);
        // Only what was typed is written: an empty field is simply not there yet.
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(Entity::Person, id, id, fields);
        self.write(id, Entity::Person.as_str(), false, writes, clock)?;
        Ok(id)
    }

    /// Changes a person's details; only the fields that differ are written.
    pub fn update_person(&mut self, id: Uuid, details: &PersonDetails, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        let details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        let current = self.live_person(id)?;
        // A folder merged into this one may hold the code: it is the same person.
        if let Some(holder) = self.holder_of_codice_fiscale(details.codice_fiscale.as_deref(), Some(id))?
            && merges::survivor(&self.conn, holder)? != merges::survivor(&self.conn, id)?
        {
            return Err(StoreError::DuplicateCodiceFiscale);
        }
        let writes = field_writes(Entity::Person, id, id, changed_fields(&details, &current));
        self.write(id, Entity::Person.as_str(), false, writes, clock)
    }

    /// A person's details. The read is written to the audit log.
    pub fn person(&self, id: Uuid, clock: &dyn Clock) -> Result<Row<PersonDetails>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let details: PersonDetails = from_fields(self.live_person(id)?).ok_or(StoreError::NotFound)?;
        self.audit_read(id, Entity::Person.as_str(), false, clock)?;
        Ok(Row { id, details })
    }

    /// Checks that the people a row points to have live folders other than `folder`, and that
    /// the service it names is in the directory.
    fn check_people<T: Section>(&self, folder: Uuid, row: &T) -> Result<(), StoreError> {
        for person in row.people() {
            if person == folder || self.live_person(person).is_err() {
                return Err(StoreError::Invalid(Invalid::new("field-member", Problem::UnknownValue)));
            }
        }
        if let Some(organisation) = row.organisation() {
            self.check_organisation(organisation)?;
        }
        Ok(())
    }

    /// Adds a row (a document, a contact, a practice…) to `folder`; returns its id.
    pub fn add<T: Editable>(&mut self, folder: Uuid, details: &T, clock: &dyn Clock) -> Result<Uuid, StoreError> {
        self.require_for(details)?;
        let mut details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        self.live_person(folder)?;
        self.check_people(folder, &details)?;
        if let Some(recorded_by) = details.recorded_by() {
            *recorded_by = Some(self.operator.account_id);
        }
        let id = self.ids.next(clock);
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(T::ENTITY, id, folder, fields);
        self.write(folder, T::ENTITY.as_str(), details.health_restricted(), writes, clock)?;
        Ok(id)
    }

    /// Changes a row; only the fields that differ are written. A practice's status follows
    /// its workflow; who recorded a row stays who recorded it.
    pub fn update<T: Editable>(&mut self, id: Uuid, details: &T, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require_for(details)?;
        let mut details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        let (folder, mut current) = self.live_row::<T>(id)?;
        self.require_for(&current)?;
        details.check_change(&current).map_err(StoreError::Invalid)?;
        self.check_people(folder, &details)?;
        if let (Some(new), Some(old)) = (details.recorded_by(), current.recorded_by()) {
            *new = *old;
        }
        let stored = fields_of(&current).into_iter().collect::<Fields>();
        if current.health_restricted() && !details.health_restricted() {
            // No longer health content: every field is written again in clear, so no sealed
            // value is left behind to keep the row out of others' sight.
            let unsealed = fields_of(&details)
                .into_iter()
                .filter(|(field, value)| !is_empty(value) || stored.get(field).is_some_and(|old| !is_empty(old)));
            let writes = field_writes(T::ENTITY, id, folder, unsealed);
            let audit = self.audit_entry(super::AuditAction::Write, folder, T::ENTITY.as_str(), true, clock);
            return self.write_with(audit, writes, clock, |_| Ok(()));
        }
        let writes = if details.health_restricted() && !current.health_restricted() {
            // Health content from now on: every field is written again, sealed.
            field_writes(T::ENTITY, id, folder, fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value)))
        } else {
            field_writes(T::ENTITY, id, folder, changed_fields(&details, &stored))
        };
        self.write(folder, T::ENTITY.as_str(), details.health_restricted(), writes, clock)
    }

    /// The live rows of type `T` in `folder` that this operator may read, oldest first.
    /// Health-restricted rows are left out for roles that may not read them: the store
    /// enforces it, whatever the caller asks.
    pub fn rows<T: Section>(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<Row<T>>, StoreError> {
        self.require(Permission::ReadFolders)?;
        self.live_person(folder)?;
        let all = read_group(&self.conn, folder)?.rows;
        let rows = self.readable_rows::<T>(&all);
        let restricted = rows.iter().any(|row| row.details.health_restricted());
        self.audit_read(folder, T::ENTITY.as_str(), restricted, clock)?;
        Ok(rows)
    }

    /// A whole folder, in one read and one audit line. A folder merged into another opens
    /// as that one (check `person.id`).
    pub fn folder(&self, id: Uuid, clock: &dyn Clock) -> Result<Folder, StoreError> {
        self.require(Permission::ReadFolders)?;
        let Group { survivor, members, rows: all } = read_group(&self.conn, id)?;
        let person_fields = all.get(&(Entity::Person, survivor)).cloned().unwrap_or_default();
        if !is_live(&person_fields) {
            return Err(StoreError::NotFound);
        }
        let archived = is_true(&person_fields, ARCHIVED);
        let person = Row { id: survivor, details: from_fields(person_fields).ok_or(StoreError::NotFound)? };
        let merged_from = self
            .merged_people(&members)?
            .into_iter()
            .filter_map(|member| {
                Some(Row { id: member, details: from_fields(all.get(&(Entity::Person, member))?.clone())? })
            })
            .collect();
        let folder = Folder {
            person,
            archived,
            merged_from,
            household: self.readable_rows(&all),
            member_of: self.households_of(&members)?,
            documents: self.readable_rows(&all),
            attachments: self.readable_rows(&all),
            consents: self.readable_rows(&all),
            needs: self.readable_rows(&all),
            practices: self.readable_rows(&all),
            appointments: self.readable_rows(&all),
            contacts: self.readable_rows(&all),
            referrals: self.readable_rows(&all),
            notes: self.readable_rows(&all),
        };
        let restricted = folder.notes.iter().any(|row| row.details.health_restricted())
            || folder.referrals.iter().any(|row| row.details.health_restricted());
        self.audit_read(survivor, "folder", restricted, clock)?;
        Ok(folder)
    }

    /// The folders of the heads of the households any of `members` is a live member of (a
    /// head's folder as it is now: merged heads count once; the group itself is left out).
    fn households_of(&self, members: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
        let mut statement =
            self.conn.prepare_cached("SELECT head FROM household_links WHERE member = ?1 ORDER BY head")?;
        let mut heads = std::collections::BTreeSet::new();
        for member in members {
            let found: Vec<Uuid> = statement.query_map([member], |row| row.get(0)).and_then(|rows| rows.collect())?;
            for head in found {
                let head = merges::survivor(&self.conn, head)?;
                if !members.contains(&head) && self.live_person(head).is_ok() {
                    heads.insert(head);
                }
            }
        }
        Ok(heads.into_iter().collect())
    }

    /// Marks a row as deleted. Its history stays in the change log.
    pub fn delete(&mut self, entity: Entity, row_id: Uuid, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        let folder = folder_of(&self.conn, entity, row_id)?.ok_or(StoreError::NotFound)?;
        let fields = row_fields(&self.conn, entity, row_id)?;
        if !is_live(&fields) {
            return Err(StoreError::NotFound);
        }
        let restricted = is_health_restricted(entity, &fields);
        if restricted {
            self.require(Permission::EditHealthRestricted)?;
        }
        // The delete saw every current value of the row: an edit it did not see is a conflict.
        let saw = conflicts::row_timestamps(&self.conn, entity, row_id)?;
        let write = FieldWrite {
            entity,
            row_id,
            folder_id: folder,
            field: DELETED.to_owned(),
            value: serde_json::Value::Bool(true),
            saw,
        };
        self.write(folder, entity.as_str(), restricted, vec![write], clock)
    }

    /// Archives a folder (or takes it out of the archive): kept and found by search, but out
    /// of the daily lists.
    pub fn set_archived(&mut self, folder: Uuid, archived: bool, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        let current = self.live_person(folder)?;
        if is_true(&current, ARCHIVED) == archived {
            return Ok(());
        }
        let writes = field_writes(Entity::Person, folder, folder, [(ARCHIVED.to_owned(), archived.into())]);
        self.write(folder, "archive", false, writes, clock)
    }

    /// Erases a person's folder for good: every value it held, in the state and in the change
    /// log, and its scanned files. What remains is that it existed, that it was erased (an
    /// audit entry), and the sequence numbers sync needs. Administrators only.
    pub fn erase_folder(&mut self, folder: Uuid, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EraseFolders)?;
        let fields = row_fields(&self.conn, Entity::Person, folder)?;
        if fields.is_empty() || is_true(&fields, ERASED) {
            return Err(StoreError::NotFound);
        }
        // A merged folder is erased whole: the person's data in every folder of the group.
        let (_, members) = merges::group(&self.conn, folder)?;
        let mut writes = Vec::new();
        for member in members {
            let fields = row_fields(&self.conn, Entity::Person, member)?;
            if !fields.is_empty() && !is_true(&fields, ERASED) {
                writes.extend(field_writes(Entity::Person, member, member, [(ERASED.to_owned(), true.into())]));
            }
        }
        let audit = self.audit_entry(AuditAction::Erase, folder, "folder", false, clock);
        // Applying the erasure entry blanks the folder: the same code runs when it is pulled.
        self.write_with(audit, writes, clock, |_| Ok(()))
    }

    /// What is due for the person of `folder`, and when (permit renewal, STP/ENI expiry,
    /// maternity cheque for the household's children, ISEE, practices…). One audited read.
    pub fn folder_deadlines(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<Deadline>, StoreError> {
        let whole = self.folder(folder, clock)?;
        let births = super::due::births(&self.conn, &whole.household)?;
        Ok(crate::rules::deadlines::deadlines(&whole, &births))
    }
}

//! Reading and changing case folders, with role checks and the audit log.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use serde::Serialize;
use uuid::Uuid;

use super::AuditAction;
use super::audit::{self, AuditEntry};
use super::change_log::{self, FieldWrite, Writer};
use super::search::{self, PersonHit};
use super::{Permission, Store, StoreError, conflicts, merges};
use crate::clock::{Clock, today_in_rome};
use crate::folder::attachment::{AttachmentDetails, check_content};
use crate::folder::document::DocumentDetails;
use crate::folder::household::Relation;
use crate::folder::person::PersonDetails;
use crate::folder::{
    ARCHIVED, DELETED, ERASED, Editable, Entity, Folder, Invalid, Problem, Row, Section, from_fields,
    is_health_restricted,
};
use crate::rules::deadlines::Deadline;

type Fields = BTreeMap<String, serde_json::Value>;

/// A value's fields as `(name, JSON)`, from its serde form.
fn fields_of<T: Serialize>(value: &T) -> Vec<(String, serde_json::Value)> {
    match serde_json::to_value(value).expect("folder types serialise") {
        serde_json::Value::Object(map) => map.into_iter().collect(),
        _ => unreachable!("folder types are structs"),
    }
}

fn is_empty(value: &serde_json::Value) -> bool {
    value.is_null() || value.as_array().is_some_and(Vec::is_empty)
}

fn is_true(fields: &Fields, marker: &str) -> bool {
    fields.get(marker) == Some(&serde_json::Value::Bool(true))
}

/// A row that exists, is not deleted and is not in an erased folder.
pub(super) fn is_live(fields: &Fields) -> bool {
    !fields.is_empty() && !is_true(fields, DELETED) && !is_true(fields, ERASED)
}

/// The writes that set `fields` on one row of `folder`.
fn field_writes(
    entity: Entity,
    row_id: Uuid,
    folder_id: Uuid,
    fields: impl IntoIterator<Item = (String, serde_json::Value)>,
) -> Vec<FieldWrite> {
    fields
        .into_iter()
        .map(|(field, value)| FieldWrite { entity, row_id, folder_id, field, value, saw: Vec::new() })
        .collect()
}

/// The fields of `new` that differ from `current` (a cleared field is written as null).
fn changed_fields<T: Serialize>(new: &T, current: &Fields) -> Vec<(String, serde_json::Value)> {
    fields_of(new)
        .into_iter()
        .filter(|(field, value)| match current.get(field) {
            Some(stored) => stored != value,
            None => !is_empty(value),
        })
        .collect()
}

/// The current fields of one row.
pub(super) fn row_fields(conn: &Connection, entity: Entity, row_id: Uuid) -> rusqlite::Result<Fields> {
    let mut statement =
        conn.prepare_cached("SELECT field, value FROM field_values WHERE entity = ?1 AND row_id = ?2")?;
    statement
        .query_map(params![entity.as_str(), row_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
        .map(|pair| pair.map(|(field, value)| (field, serde_json::from_str(&value).unwrap_or(serde_json::Value::Null))))
        .collect()
}

/// Every row of `folder`, by entity and id, with its fields.
fn folder_rows(conn: &Connection, folder: Uuid) -> rusqlite::Result<BTreeMap<(Entity, Uuid), Fields>> {
    let mut statement = conn.prepare_cached(
        "SELECT r.entity, r.row_id, v.field, v.value FROM entity_rows r
         JOIN field_values v ON v.entity = r.entity AND v.row_id = r.row_id
         WHERE r.folder_id = ?1",
    )?;
    let mut rows: BTreeMap<(Entity, Uuid), Fields> = BTreeMap::new();
    let mut query = statement.query([folder])?;
    while let Some(row) = query.next()? {
        let Some(entity) = Entity::from_stored(row.get_ref(0)?.as_str()?) else { continue };
        let value = serde_json::from_str(row.get_ref(3)?.as_str()?).unwrap_or(serde_json::Value::Null);
        rows.entry((entity, row.get(1)?)).or_default().insert(row.get(2)?, value);
    }
    Ok(rows)
}

/// Rows by entity and id, with their fields.
type RowsById = BTreeMap<(Entity, Uuid), Fields>;

/// The survivor of `folder`'s group of merged folders, its members, and all their rows.
fn group_rows(conn: &Connection, folder: Uuid) -> rusqlite::Result<(Uuid, Vec<Uuid>, RowsById)> {
    let (survivor, members) = merges::group(conn, folder)?;
    let mut rows = BTreeMap::new();
    for member in &members {
        rows.extend(folder_rows(conn, *member)?);
    }
    Ok((survivor, members, rows))
}

/// The folder a row belongs to.
fn folder_of(conn: &Connection, entity: Entity, row_id: Uuid) -> rusqlite::Result<Option<Uuid>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT folder_id FROM entity_rows WHERE entity = ?1 AND row_id = ?2")?
        .query_row(params![entity.as_str(), row_id], |row| row.get(0))
        .optional()
}

/// Lower-case hex SHA-256 of `bytes`.
fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

impl Store {
    pub(super) fn require(&self, permission: Permission) -> Result<(), StoreError> {
        if self.operator.role.may(permission) { Ok(()) } else { Err(StoreError::NotPermitted) }
    }

    pub(super) fn audit_entry(
        &self,
        action: AuditAction,
        folder: Uuid,
        section: &str,
        restricted: bool,
        clock: &dyn Clock,
    ) -> AuditEntry {
        AuditEntry {
            at_ms: clock.now_ms(),
            operator_id: self.operator.id,
            device_id: self.device_id,
            action,
            folder_id: folder,
            section: section.to_owned(),
            health_restricted: restricted,
        }
    }

    fn audit_read(&self, folder: Uuid, section: &str, restricted: bool, clock: &dyn Clock) -> Result<(), StoreError> {
        let entry = self.audit_entry(AuditAction::Read, folder, section, restricted, clock);
        audit::record(&self.conn, &entry).map_err(StoreError::from)
    }

    /// The only way case data changes: runs `before` (blob inserts, erasure), writes the
    /// fields and their change-log entries, and the audit line, all or nothing.
    pub(super) fn write_with(
        &mut self,
        audit: AuditEntry,
        writes: Vec<FieldWrite>,
        clock: &dyn Clock,
        before: impl FnOnce(&Connection) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let Store { conn, device_id, operator, hlc, ids, last_seq, .. } = self;
        let known_seq = *last_seq;
        // A savepoint: its own transaction, or part of the caller's `in_one_transaction`.
        let written = (|| {
            let savepoint = conn.savepoint()?;
            before(&savepoint)?;
            let writer = Writer { device_id: *device_id, operator_id: operator.id, hlc, ids, clock, last_seq };
            change_log::record(&savepoint, writer, writes)?;
            audit::record(&savepoint, &audit)?;
            savepoint.commit()
        })();
        if written.is_err() {
            *last_seq = known_seq;
        }
        written.map_err(StoreError::from)
    }

    pub(super) fn write(
        &mut self,
        folder: Uuid,
        section: &str,
        restricted: bool,
        writes: Vec<FieldWrite>,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        let audit = self.audit_entry(AuditAction::Write, folder, section, restricted, clock);
        self.write_with(audit, writes, clock, |_| Ok(()))
    }

    /// Runs `work` as one transaction: all its writes land, or none. For imports and demo
    /// data, where thousands of small commits would cost a disk flush each.
    pub fn in_one_transaction<R>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match work(self) {
            Ok(result) => {
                if let Err(error) = self.conn.execute_batch("COMMIT") {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.last_seq = None;
                    return Err(StoreError::from(error));
                }
                Ok(result)
            }
            Err(error) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.last_seq = None;
                Err(error)
            }
        }
    }

    /// The live person, other than `except`, who already has `code` as codice fiscale.
    fn holder_of_codice_fiscale(&self, code: Option<&str>, except: Option<Uuid>) -> Result<Option<Uuid>, StoreError> {
        let Some(code) = code else { return Ok(None) };
        search::holder_of_codice_fiscale(&self.conn, code, except).map_err(StoreError::from)
    }

    /// The fields of a live person, or `NotFound`.
    pub(super) fn live_person(&self, id: Uuid) -> Result<Fields, StoreError> {
        let fields = row_fields(&self.conn, Entity::Person, id)?;
        if is_live(&fields) { Ok(fields) } else { Err(StoreError::NotFound) }
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
        if self.holder_of_codice_fiscale(details.codice_fiscale.as_deref(), Some(id))?.is_some() {
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

    /// Checks that the operator may write `row`: health-restricted rows need their own permission.
    fn require_for<T: Section>(&self, row: &T) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        if row.health_restricted() {
            self.require(Permission::EditHealthRestricted)?;
        }
        Ok(())
    }

    /// Checks that the people a row points to have live folders other than `folder`.
    fn check_people<T: Section>(&self, folder: Uuid, row: &T) -> Result<(), StoreError> {
        for person in row.people() {
            if person == folder || self.live_person(person).is_err() {
                return Err(StoreError::Invalid(Invalid::new("field-member", Problem::UnknownValue)));
            }
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
            *recorded_by = Some(self.operator.id);
        }
        let id = self.ids.next(clock);
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(T::ENTITY, id, folder, fields);
        self.write(folder, T::ENTITY.as_str(), details.health_restricted(), writes, clock)?;
        Ok(id)
    }

    /// The live row `id` of type `T`, with its folder.
    fn live_row<T: Section>(&self, id: Uuid) -> Result<(Uuid, T), StoreError> {
        let folder = folder_of(&self.conn, T::ENTITY, id)?.ok_or(StoreError::NotFound)?;
        let fields = row_fields(&self.conn, T::ENTITY, id)?;
        if !is_live(&fields) {
            return Err(StoreError::NotFound);
        }
        Ok((folder, from_fields(fields).ok_or(StoreError::NotFound)?))
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
        let writes = field_writes(T::ENTITY, id, folder, changed_fields(&details, &stored));
        let restricted = details.health_restricted() || current.health_restricted();
        self.write(folder, T::ENTITY.as_str(), restricted, writes, clock)
    }

    /// The live rows of type `T` in `folder` that this operator may read, oldest first.
    /// Health-restricted rows are left out for roles that may not read them: the store
    /// enforces it, whatever the caller asks.
    pub fn rows<T: Section>(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<Row<T>>, StoreError> {
        self.require(Permission::ReadFolders)?;
        self.live_person(folder)?;
        let (_, _, all) = group_rows(&self.conn, folder)?;
        let rows = self.readable_rows::<T>(&all);
        let restricted = rows.iter().any(|row| row.details.health_restricted());
        self.audit_read(folder, T::ENTITY.as_str(), restricted, clock)?;
        Ok(rows)
    }

    fn readable_rows<T: Section>(&self, all: &BTreeMap<(Entity, Uuid), Fields>) -> Vec<Row<T>> {
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        all.range((T::ENTITY, Uuid::nil())..=(T::ENTITY, Uuid::max()))
            .filter(|(_, fields)| is_live(fields))
            .filter_map(|((_, id), fields)| Some(Row { id: *id, details: from_fields::<T>(fields.clone())? }))
            .filter(|row| may_read_restricted || !row.details.health_restricted())
            .collect()
    }

    /// A whole folder, in one read and one audit line. A folder merged into another opens
    /// as that one (check `person.id`).
    pub fn folder(&self, id: Uuid, clock: &dyn Clock) -> Result<Folder, StoreError> {
        self.require(Permission::ReadFolders)?;
        let (survivor, members, all) = group_rows(&self.conn, id)?;
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

    /// Attaches a scanned file to `folder` (and to one of its documents). Its type is read
    /// from the content (PDF or an image) and it may not exceed `limit_bytes`.
    pub fn add_attachment(
        &mut self,
        folder: Uuid,
        document: Option<Uuid>,
        file_name: &str,
        bytes: &[u8],
        limit_bytes: u64,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        self.require(Permission::EditFolders)?;
        self.live_person(folder)?;
        let content_type = check_content(bytes, limit_bytes).map_err(StoreError::Attachment)?;
        if let Some(document) = document
            && !self.live_row::<DocumentDetails>(document).is_ok_and(|(owner, _)| owner == folder)
        {
            return Err(StoreError::Invalid(Invalid::new("field-document", Problem::UnknownValue)));
        }
        let details = AttachmentDetails {
            document,
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            size_bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
        .validated(today_in_rome(clock))
        .map_err(StoreError::Invalid)?;
        let id = self.ids.next(clock);
        let hash = details.sha256.clone();
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(Entity::Attachment, id, folder, fields);
        let audit = self.audit_entry(AuditAction::Write, folder, Entity::Attachment.as_str(), false, clock);
        self.write_with(audit, writes, clock, |conn| {
            conn.prepare_cached("INSERT INTO attachment_blobs (sha256, bytes) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
                .execute(params![hash, bytes])?;
            Ok(())
        })?;
        Ok(id)
    }

    /// The bytes of an attachment. The read is written to the audit log.
    pub fn attachment_bytes(&self, id: Uuid, clock: &dyn Clock) -> Result<Vec<u8>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let (folder, details) = self.live_row::<AttachmentDetails>(id)?;
        let bytes = self
            .conn
            .query_row("SELECT bytes FROM attachment_blobs WHERE sha256 = ?1", [&details.sha256], |row| row.get(0))
            .map_err(|_| StoreError::NotFound)?;
        self.audit_read(folder, Entity::Attachment.as_str(), false, clock)?;
        Ok(bytes)
    }

    /// What is due for the person of `folder`, and when (permit renewal, STP/ENI expiry,
    /// maternity cheque for the household's children, ISEE, practices…). One audited read.
    pub fn folder_deadlines(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<Deadline>, StoreError> {
        let whole = self.folder(folder, clock)?;
        let mut births = Vec::new();
        for member in whole.household.iter().filter(|member| member.details.relation == Relation::Child) {
            let fields = row_fields(&self.conn, Entity::Person, member.details.member)?;
            if !is_live(&fields) {
                continue;
            }
            let child: Option<PersonDetails> = from_fields(fields);
            let birth = child
                .and_then(|child| child.birth_date)
                .and_then(|born| jiff::civil::Date::new(born.year, born.month? as i8, born.day? as i8).ok());
            births.extend(birth);
        }
        Ok(crate::rules::deadlines::deadlines(&whole, &births))
    }

    /// This store's whole change log, in device and sequence order (what sync pushes).
    pub fn change_log(&self) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        change_log::all_entries(&self.conn).map_err(StoreError::from)
    }

    /// The history of `folder` and of the folders merged with it: every change-log entry, in
    /// device and sequence order (who changed which field, when, from which device). Entries
    /// of health-restricted rows are left out for roles that may not read them. One audited
    /// read.
    pub fn folder_history(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let (survivor, members) = merges::group(&self.conn, folder)?;
        if !is_live(&row_fields(&self.conn, Entity::Person, survivor)?) {
            return Err(StoreError::NotFound);
        }
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        let mut restricted_rows = BTreeMap::new();
        let mut history = Vec::new();
        for member in members {
            for entry in change_log::folder_entries(&self.conn, member)? {
                let restricted = match restricted_rows.get(&(entry.entity, entry.row_id)) {
                    Some(restricted) => *restricted,
                    None => {
                        let fields = row_fields(&self.conn, entry.entity, entry.row_id)?;
                        *restricted_rows
                            .entry((entry.entity, entry.row_id))
                            .or_insert(is_health_restricted(entry.entity, &fields))
                    }
                };
                if may_read_restricted || !restricted {
                    history.push(entry);
                }
            }
        }
        history.sort_by_key(|entry| (entry.device_id, entry.seq));
        let any_restricted = restricted_rows.values().any(|restricted| *restricted) && may_read_restricted;
        self.audit_read(survivor, "history", any_restricted, clock)?;
        Ok(history)
    }

    /// Who read or changed `folder`, and when.
    pub fn folder_accesses(&self, folder: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        self.require(Permission::ReadFolders)?;
        audit::accesses(&self.conn, folder).map_err(StoreError::from)
    }

    /// People matching `query` (names, aliases, phone, codice fiscale, STP/ENI codes,
    /// document numbers), best first.
    pub fn search_people(
        &self,
        query: &str,
        birth_year: Option<i16>,
        limit: usize,
    ) -> Result<Vec<PersonHit>, StoreError> {
        self.require(Permission::ReadFolders)?;
        search::search(&self.conn, query, birth_year, limit).map_err(StoreError::from)
    }

    /// Folders that may be the same person as `details`: the same codice fiscale, STP or
    /// ENI code, or a similar name with the same birth year.
    pub fn possible_duplicates(&self, details: &PersonDetails) -> Result<Vec<PersonHit>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let codes = [
            details.codice_fiscale.clone(),
            details.stp.as_ref().map(|code| code.code.clone()),
            details.eni.as_ref().map(|code| code.code.clone()),
        ];
        let mut found: Vec<PersonHit> = Vec::new();
        let mut keep = |hits: Vec<PersonHit>| {
            for hit in hits {
                if !found.iter().any(|known| known.id == hit.id) {
                    found.push(hit);
                }
            }
        };
        for code in codes.into_iter().flatten().filter(|code| code.trim().len() >= 3) {
            keep(search::search(&self.conn, &code, None, 5)?);
        }
        let name = format!("{} {}", details.family_name, details.given_names);
        let year = details.birth_date.map(|date| date.year);
        keep(search::search(&self.conn, &name, year, 5)?);
        Ok(found)
    }
}

//! Reading and changing case folders, with role checks and the audit log.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::audit::{self, AuditAction, AuditEntry};
use super::change_log::{self, FieldWrite, Writer};
use super::search::{self, PersonHit};
use super::{Permission, Store, StoreError, database_error};
use crate::clock::Clock;
use crate::folder::note::{Confidentiality, Note, NoteDetails};
use crate::folder::person::{Person, PersonDetails};
use crate::folder::{DELETED, Entity};

/// "Today" in Europe/Rome, where the desk is: dates typed by operators are Italian dates.
pub(crate) fn today_in_rome(clock: &dyn Clock) -> jiff::civil::Date {
    let rome = jiff::tz::TimeZone::get("Europe/Rome").expect("the bundled time-zone database has Europe/Rome");
    jiff::Timestamp::from_millisecond(clock.now_ms() as i64)
        .expect("the clock is within jiff's range")
        .to_zoned(rome)
        .date()
}

/// A value's fields as `(name, JSON)`, from its serde form.
fn fields_of<T: serde::Serialize>(value: &T) -> Vec<(String, serde_json::Value)> {
    match serde_json::to_value(value).expect("folder types serialise") {
        serde_json::Value::Object(map) => map.into_iter().collect(),
        _ => unreachable!("folder types are structs"),
    }
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
        .map(|(field, value)| FieldWrite { entity, row_id, folder_id, field: static_field(&field), value })
        .collect()
}

/// The current fields of one row.
fn row_fields(
    conn: &Connection,
    entity: Entity,
    row_id: Uuid,
) -> rusqlite::Result<BTreeMap<String, serde_json::Value>> {
    let mut statement =
        conn.prepare_cached("SELECT field, value FROM field_values WHERE entity = ?1 AND row_id = ?2")?;
    statement
        .query_map(params![entity.as_str(), row_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
        .map(|pair| pair.map(|(field, value)| (field, serde_json::from_str(&value).unwrap_or(serde_json::Value::Null))))
        .collect()
}

fn is_empty(value: &serde_json::Value) -> bool {
    value.is_null() || value.as_array().is_some_and(Vec::is_empty)
}

fn is_deleted(fields: &BTreeMap<String, serde_json::Value>) -> bool {
    fields.get(DELETED) == Some(&serde_json::Value::Bool(true))
}

/// Builds a `T` from stored fields, ignoring the tombstone marker.
fn from_fields<T: serde::de::DeserializeOwned>(mut fields: BTreeMap<String, serde_json::Value>) -> Option<T> {
    fields.remove(DELETED);
    serde_json::from_value(serde_json::Value::Object(fields.into_iter().collect())).ok()
}

/// A field name that the folder types define (the change log stores it as text).
fn static_field(name: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "family_name",
        "given_names",
        "aliases",
        "sex",
        "birth_date",
        "birth_country",
        "citizenships",
        "preferred_language",
        "phone",
        "codice_fiscale",
        "text",
        "confidentiality",
        DELETED,
    ];
    KNOWN.iter().copied().find(|known| *known == name).expect("every folder field is listed in KNOWN")
}

impl Store {
    fn require(&self, permission: Permission) -> Result<(), StoreError> {
        if self.operator.role.may(permission) { Ok(()) } else { Err(StoreError::NotPermitted) }
    }

    fn audit(
        &self,
        action: AuditAction,
        folder: Uuid,
        section: &str,
        restricted: bool,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at_ms: clock.now_ms(),
            operator_id: self.operator.id,
            device_id: self.device_id,
            action,
            folder_id: folder,
            section: section.to_owned(),
            health_restricted: restricted,
        };
        audit::record(&self.conn, &entry).map_err(|source| database_error(&self.data_dir, source))
    }

    /// The only way case data changes: writes the fields and their change-log entries, and
    /// the audit line, in one transaction.
    fn write(
        &mut self,
        folder: Uuid,
        section: &str,
        restricted: bool,
        writes: Vec<FieldWrite>,
        clock: &dyn Clock,
    ) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let fail = |source| database_error(&self.data_dir, source);
        let transaction = self.conn.transaction().map_err(fail)?;
        let writer = Writer { device_id: self.device_id, operator_id: self.operator.id, hlc: &mut self.hlc, clock };
        change_log::record(&transaction, writer, writes).map_err(|source| database_error(&self.data_dir, source))?;
        let entry = AuditEntry {
            at_ms: clock.now_ms(),
            operator_id: self.operator.id,
            device_id: self.device_id,
            action: AuditAction::Write,
            folder_id: folder,
            section: section.to_owned(),
            health_restricted: restricted,
        };
        audit::record(&transaction, &entry).map_err(|source| database_error(&self.data_dir, source))?;
        transaction.commit().map_err(|source| database_error(&self.data_dir, source))
    }

    /// The live person, other than `except`, who already has `code` as codice fiscale.
    fn holder_of_codice_fiscale(&self, code: Option<&str>, except: Option<Uuid>) -> Result<Option<Uuid>, StoreError> {
        let Some(code) = code else { return Ok(None) };
        let fail = |source| database_error(&self.data_dir, source);
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT v.row_id FROM field_values v
                 WHERE v.entity = 'person' AND v.field = 'codice_fiscale' AND v.value = ?1
                 AND NOT EXISTS (SELECT 1 FROM field_values d WHERE d.entity = 'person' AND d.row_id = v.row_id
                                 AND d.field = ?2 AND d.value = 'true')",
            )
            .map_err(fail)?;
        let holders: Vec<Uuid> = statement
            .query_map(params![serde_json::Value::from(code).to_string(), DELETED], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|source| database_error(&self.data_dir, source))?;
        Ok(holders.into_iter().find(|holder| Some(*holder) != except))
    }

    /// Opens a new folder for a person; returns the folder's (and person's) id. A codice
    /// fiscale that another folder already has is refused: open that folder instead.
    pub fn create_person(&mut self, details: &PersonDetails, clock: &dyn Clock) -> Result<Uuid, StoreError> {
        self.require(Permission::EditFolders)?;
        let details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        if self.holder_of_codice_fiscale(details.codice_fiscale.as_deref(), None)?.is_some() {
            return Err(StoreError::DuplicateCodiceFiscale);
        }
        let id = Uuid::now_v7();
        // Only what was typed is written: an empty field is simply not there yet.
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(Entity::Person, id, id, fields);
        self.write(id, "person", false, writes, clock)?;
        Ok(id)
    }

    /// Changes a person's details; only the fields that differ are written.
    pub fn update_person(&mut self, id: Uuid, details: &PersonDetails, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        let details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        let current =
            row_fields(&self.conn, Entity::Person, id).map_err(|source| database_error(&self.data_dir, source))?;
        if current.is_empty() || is_deleted(&current) {
            return Err(StoreError::NotFound);
        }
        if self.holder_of_codice_fiscale(details.codice_fiscale.as_deref(), Some(id))?.is_some() {
            return Err(StoreError::DuplicateCodiceFiscale);
        }
        let changed = fields_of(&details).into_iter().filter(|(field, value)| match current.get(field) {
            Some(stored) => stored != value,
            None => !is_empty(value),
        });
        let writes = field_writes(Entity::Person, id, id, changed);
        self.write(id, "person", false, writes, clock)
    }

    /// A person's details. The read is written to the audit log.
    pub fn person(&self, id: Uuid, clock: &dyn Clock) -> Result<Person, StoreError> {
        self.require(Permission::ReadFolders)?;
        let fields =
            row_fields(&self.conn, Entity::Person, id).map_err(|source| database_error(&self.data_dir, source))?;
        if fields.is_empty() || is_deleted(&fields) {
            return Err(StoreError::NotFound);
        }
        let details: PersonDetails = from_fields(fields).ok_or(StoreError::NotFound)?;
        self.audit(AuditAction::Read, id, "person", false, clock)?;
        Ok(Person { id, details })
    }

    /// Marks a row as deleted. Its history stays in the change log.
    pub fn delete(&mut self, entity: Entity, row_id: Uuid, clock: &dyn Clock) -> Result<(), StoreError> {
        self.require(Permission::EditFolders)?;
        let folder: Uuid = self
            .conn
            .query_row(
                "SELECT folder_id FROM entity_rows WHERE entity = ?1 AND row_id = ?2",
                params![entity.as_str(), row_id],
                |row| row.get(0),
            )
            .map_err(|_| StoreError::NotFound)?;
        let write =
            FieldWrite { entity, row_id, folder_id: folder, field: DELETED, value: serde_json::Value::Bool(true) };
        self.write(folder, entity.as_str(), false, vec![write], clock)
    }

    /// Adds a note to `folder`. Health-restricted notes need the role for it.
    pub fn add_note(&mut self, folder: Uuid, details: &NoteDetails, clock: &dyn Clock) -> Result<Uuid, StoreError> {
        self.require(Permission::EditFolders)?;
        let restricted = details.confidentiality == Confidentiality::HealthRestricted;
        if restricted {
            self.require(Permission::EditHealthRestricted)?;
        }
        let details = details.validated().map_err(StoreError::Invalid)?;
        let id = Uuid::now_v7();
        let writes = field_writes(Entity::Note, id, folder, fields_of(&details));
        self.write(folder, "notes", restricted, writes, clock)?;
        Ok(id)
    }

    /// The notes of `folder` that this operator may read, oldest first. Health-restricted
    /// notes are left out for roles that may not read them: the store enforces it.
    pub fn notes(&self, folder: Uuid, clock: &dyn Clock) -> Result<Vec<Note>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        let fail = |source| database_error(&self.data_dir, source);
        let mut statement = self
            .conn
            .prepare_cached("SELECT row_id FROM entity_rows WHERE folder_id = ?1 AND entity = 'note' ORDER BY row_id")
            .map_err(fail)?;
        let ids: Vec<Uuid> = statement
            .query_map([folder], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|source| database_error(&self.data_dir, source))?;
        let mut notes = Vec::new();
        for id in ids {
            let fields =
                row_fields(&self.conn, Entity::Note, id).map_err(|source| database_error(&self.data_dir, source))?;
            if is_deleted(&fields) {
                continue;
            }
            let Some(details) = from_fields::<NoteDetails>(fields) else { continue };
            if details.confidentiality == Confidentiality::HealthRestricted && !may_read_restricted {
                continue;
            }
            notes.push(Note { id, details });
        }
        let restricted = notes.iter().any(|note| note.details.confidentiality == Confidentiality::HealthRestricted);
        self.audit(AuditAction::Read, folder, "notes", restricted, clock)?;
        Ok(notes)
    }

    /// This store's whole change log, in device and sequence order (what sync pushes).
    pub fn change_log(&self) -> Result<Vec<change_log::ChangeEntry>, StoreError> {
        change_log::all_entries(&self.conn).map_err(|source| database_error(&self.data_dir, source))
    }

    /// Who read or changed `folder`, and when.
    pub fn folder_accesses(&self, folder: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        self.require(Permission::ReadFolders)?;
        audit::accesses(&self.conn, folder).map_err(|source| database_error(&self.data_dir, source))
    }

    /// People matching `query` (names, aliases, phone, codice fiscale), best first.
    pub fn search_people(
        &self,
        query: &str,
        birth_year: Option<i16>,
        limit: usize,
    ) -> Result<Vec<PersonHit>, StoreError> {
        self.require(Permission::ReadFolders)?;
        search::search(&self.conn, query, birth_year, limit).map_err(|source| database_error(&self.data_dir, source))
    }

    /// Folders that may be the same person as `details`: the same codice fiscale, or a
    /// similar name with the same birth year.
    pub fn possible_duplicates(&self, details: &PersonDetails) -> Result<Vec<PersonHit>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let fail = |source| database_error(&self.data_dir, source);
        let mut found = Vec::new();
        if let Some(code) = details.codice_fiscale.as_deref().filter(|code| !code.trim().is_empty()) {
            found.extend(search::search(&self.conn, code, None, 5).map_err(fail)?);
        }
        let name = format!("{} {}", details.family_name, details.given_names);
        let year = details.birth_date.map(|date| date.year);
        for hit in
            search::search(&self.conn, &name, year, 5).map_err(|source| database_error(&self.data_dir, source))?
        {
            if !found.iter().any(|known: &PersonHit| known.id == hit.id) {
                found.push(hit);
            }
        }
        Ok(found)
    }
}

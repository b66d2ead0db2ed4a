//! Reading rows as they are now: each row's current fields, a folder's rows (with those of
//! the folders merged with it), and which rows are live and readable by this operator.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{Permission, Store, StoreError, merges};
use crate::folder::{DELETED, ERASED, Entity, Row, Section, field_check, from_fields};
use porta_wire::health_key::is_sealed;

/// A row's current fields, by name.
pub(super) type Fields = BTreeMap<String, serde_json::Value>;

/// Whether the marker field `marker` (archived, deleted, erased) is set.
pub(super) fn is_true(fields: &Fields, marker: &str) -> bool {
    fields.get(marker) == Some(&serde_json::Value::Bool(true))
}

/// A row that exists, is not deleted and is not in an erased folder.
pub(super) fn is_live(fields: &Fields) -> bool {
    !fields.is_empty() && !is_true(fields, DELETED) && !is_true(fields, ERASED)
}

/// The current fields of one row.
pub(super) fn row_fields(conn: &Connection, entity: Entity, row_id: Uuid) -> rusqlite::Result<Fields> {
    let mut statement = conn.prepare_cached(
        "SELECT f.field, v.value FROM field_values v JOIN log_fields f ON f.ref = v.field_ref
         WHERE v.row_id = ?2 AND f.entity = ?1",
    )?;
    statement
        .query_map(params![entity.as_str(), row_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
        .map(|pair| pair.map(|(field, value)| (field, serde_json::from_str(&value).unwrap_or(serde_json::Value::Null))))
        .collect()
}

/// The query behind [`folder_rows`].
pub(super) const FOLDER_ROWS: &str = "SELECT r.entity, r.row_id, f.field, v.value FROM entity_rows r
     JOIN field_values v ON v.row_id = r.row_id JOIN log_fields f ON f.ref = v.field_ref AND f.entity = r.entity
     WHERE r.folder_id = ?1";

/// The query behind [`section_rows`]: [`FOLDER_ROWS`] of one section, through the index by
/// folder and section.
const SECTION_ROWS: &str = "SELECT r.entity, r.row_id, f.field, v.value FROM entity_rows r
     JOIN field_values v ON v.row_id = r.row_id JOIN log_fields f ON f.ref = v.field_ref AND f.entity = r.entity
     WHERE r.folder_id = ?1 AND r.entity = ?2";

/// Every row of `folder`, by entity and id, with its fields.
pub(super) fn folder_rows(conn: &Connection, folder: Uuid) -> rusqlite::Result<RowsById> {
    let mut rows = RowsById::new();
    read_rows(conn.prepare_cached(FOLDER_ROWS)?.query([folder])?, &mut rows)?;
    Ok(rows)
}

/// The rows of `folder` in the sections `sections`, added to `rows`.
fn section_rows(conn: &Connection, folder: Uuid, sections: &[Entity], rows: &mut RowsById) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(SECTION_ROWS)?;
    for section in sections {
        read_rows(statement.query(params![folder, section.as_str()])?, rows)?;
    }
    Ok(())
}

/// Adds the (entity, row, field, value) lines of `query` to `rows`.
fn read_rows(mut query: rusqlite::Rows<'_>, rows: &mut RowsById) -> rusqlite::Result<()> {
    while let Some(row) = query.next()? {
        let Some(entity) = Entity::from_stored(row.get_ref(0)?.as_str()?) else { continue };
        let value = serde_json::from_str(row.get_ref(3)?.as_str()?).unwrap_or(serde_json::Value::Null);
        rows.entry((entity, row.get(1)?)).or_default().insert(row.get(2)?, value);
    }
    Ok(())
}

/// Rows by entity and id, with their fields.
pub(super) type RowsById = BTreeMap<(Entity, Uuid), Fields>;

/// A group of merged folders as the current values hold it: its survivor, its members (the
/// survivor first) and all their rows.
pub(super) struct Group {
    pub survivor: Uuid,
    pub members: Vec<Uuid>,
    pub rows: RowsById,
}

/// The group of merged folders `folder` belongs to.
pub(super) fn read_group(conn: &Connection, folder: Uuid) -> rusqlite::Result<Group> {
    let (survivor, members) = merges::group(conn, folder)?;
    let mut rows = BTreeMap::new();
    for member in &members {
        rows.extend(folder_rows(conn, *member)?);
    }
    Ok(Group { survivor, members, rows })
}

/// The group of merged folders `folder` belongs to with only the rows of `sections` (the
/// person's always): what a derived list reads. A folder's contacts and notes are most of its
/// rows, and no list reads them.
pub(super) fn read_group_sections(conn: &Connection, folder: Uuid, sections: &[Entity]) -> rusqlite::Result<Group> {
    let (survivor, members) = merges::group(conn, folder)?;
    let mut rows = BTreeMap::new();
    for member in &members {
        section_rows(conn, *member, sections, &mut rows)?;
        if !sections.contains(&Entity::Person) {
            section_rows(conn, *member, &[Entity::Person], &mut rows)?;
        }
    }
    Ok(Group { survivor, members, rows })
}

/// Lists `group` again in the derived table `table` (keyed by `folder_id`): what it listed of
/// each member is forgotten, then `list` is called with the survivor and the group's rows when
/// the survivor is live and not archived (archived folders are out of the daily lists).
pub(super) fn relist_group(
    conn: &Connection,
    group: &Group,
    table: &str,
    list: impl FnOnce(Uuid, &RowsById) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut forget = conn.prepare_cached(&format!("DELETE FROM {table} WHERE folder_id = ?1"))?;
    for member in &group.members {
        forget.execute([member])?;
    }
    let Some(person) = group.rows.get(&(Entity::Person, group.survivor)) else { return Ok(()) };
    if is_live(person) && !is_true(person, crate::folder::ARCHIVED) {
        list(group.survivor, &group.rows)?;
    }
    Ok(())
}

/// The live rows of type `T` among `all`, whoever may read them, for the derived lists: a
/// sealed value reads as a placeholder of its type ([`field_check::placeholder`]), so every
/// session lists the same rows from the fields that stay clear, key or no key. Whether such a
/// row is restricted is read from its stored fields ([`crate::folder::is_health_restricted`]),
/// never from the placeholders.
pub(super) fn live_rows<T: Section>(all: &RowsById) -> Vec<Row<T>> {
    all.range((T::ENTITY, Uuid::nil())..=(T::ENTITY, Uuid::max()))
        .filter(|(_, fields)| is_live(fields))
        .filter_map(|((_, id), fields)| {
            Some(Row { id: *id, details: from_fields::<T>(with_placeholders(T::ENTITY, fields))? })
        })
        .collect()
}

/// `fields` with each sealed value replaced by a placeholder of its field's type.
fn with_placeholders(entity: Entity, fields: &Fields) -> Fields {
    fields
        .iter()
        .map(|(field, value)| {
            let value = if is_sealed(value) { field_check::placeholder(entity, field) } else { value.clone() };
            (field.clone(), value)
        })
        .collect()
}

/// The folder a row belongs to.
pub(super) fn folder_of(conn: &Connection, entity: Entity, row_id: Uuid) -> rusqlite::Result<Option<Uuid>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT folder_id FROM entity_rows WHERE entity = ?1 AND row_id = ?2")?
        .query_row(params![entity.as_str(), row_id], |row| row.get(0))
        .optional()
}

impl Store {
    /// The fields of a live person, or `NotFound`.
    pub(super) fn live_person(&self, id: Uuid) -> Result<Fields, StoreError> {
        let fields = row_fields(&self.conn, Entity::Person, id)?;
        if is_live(&fields) { Ok(fields) } else { Err(StoreError::NotFound) }
    }

    /// The live row `id` of type `T`, with its folder.
    pub(super) fn live_row<T: Section>(&self, id: Uuid) -> Result<(Uuid, T), StoreError> {
        let folder = folder_of(&self.conn, T::ENTITY, id)?.ok_or(StoreError::NotFound)?;
        let fields = row_fields(&self.conn, T::ENTITY, id)?;
        if !is_live(&fields) {
            return Err(StoreError::NotFound);
        }
        let fields = self.opened(T::ENTITY, id, fields).ok_or(StoreError::HealthKeyMissing)?;
        Ok((folder, from_fields(fields).ok_or(StoreError::NotFound)?))
    }

    /// The live rows of type `T` among `all` that this operator may read, their sealed values
    /// opened with the health key. A row that holds a value this session cannot open is left
    /// out, as is health-restricted content for a role that may not read it.
    pub(super) fn readable_rows<T: Section>(&self, all: &RowsById) -> Vec<Row<T>> {
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        all.range((T::ENTITY, Uuid::nil())..=(T::ENTITY, Uuid::max()))
            .filter(|(_, fields)| is_live(fields))
            .filter_map(|((_, id), fields)| {
                Some(Row { id: *id, details: from_fields::<T>(self.opened(T::ENTITY, *id, fields.clone())?)? })
            })
            .filter(|row| may_read_restricted || !row.details.health_restricted())
            .collect()
    }

    /// `fields` of the row `row_id` with their sealed values opened; `None` when one does
    /// not open (no health key in this session, or not this Ambito's).
    pub(super) fn opened(&self, entity: Entity, row_id: Uuid, mut fields: Fields) -> Option<Fields> {
        for (field, value) in fields.iter_mut() {
            *value = self.open_value(entity, row_id, field, value)?;
        }
        Some(fields)
    }

    /// `value` of `field` of the row `row_id`, opened if sealed; `None` when it does not open.
    pub(super) fn open_value(
        &self,
        entity: Entity,
        row_id: Uuid,
        field: &str,
        value: &serde_json::Value,
    ) -> Option<serde_json::Value> {
        if !is_sealed(value) {
            return Some(value.clone());
        }
        self.health.as_ref()?.open(entity, row_id, field, value)
    }

    /// The current fields of one row, opened (see [`Store::opened`]).
    pub(super) fn opened_row_fields(&self, entity: Entity, row_id: Uuid) -> Result<Option<Fields>, StoreError> {
        let fields = row_fields(&self.conn, entity, row_id)?;
        Ok(self.opened(entity, row_id, fields))
    }
}

//! Finding people by name, alias, phone or code: FTS5 trigrams over folded text and
//! consonant skeletons, kept current by the write path.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::rows::{Fields, is_true, row_fields};
use super::{Permission, Store, StoreError, merges};
use crate::folder::person::{PartialDate, PersonDetails, SEARCHED_FIELDS};
use crate::folder::{ARCHIVED, DELETED, ERASED, Entity, MERGED_INTO};
use crate::names::{fold, skeletons};

/// One person found, with what tells people of the same name apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonHit {
    pub id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub birth_year: Option<i16>,
    pub birth_date: Option<PartialDate>,
    /// ANPR code of the country of birth.
    pub birth_country: Option<String>,
    /// ANPR codes of the citizenships.
    pub citizenships: Vec<String>,
    /// Where the person lives (or is registered).
    pub municipality: Option<String>,
    /// The STP or ENI code, which names an anonymous person's folder.
    pub stp_eni_code: Option<String>,
    /// Practices neither closed nor decided.
    pub open_practices: u32,
    /// The folder is archived: found only when asked for, so a returning person's folder
    /// can be reopened.
    pub archived: bool,
}

/// Whether a change to `field` of an `entity` row changes what search finds.
pub(crate) fn looks_at(entity: Entity, field: &str) -> bool {
    match entity {
        Entity::Person => {
            SEARCHED_FIELDS.contains(&field) || [BIRTH_DATE, DELETED, ARCHIVED, ERASED, MERGED_INTO].contains(&field)
        }
        Entity::Document => field == DOCUMENT_NUMBER || field == DELETED,
        _ => false,
    }
}

const BIRTH_DATE: &str = "birth_date";
const DOCUMENT_NUMBER: &str = "number";
const CODICE_FISCALE: &str = "codice_fiscale";

/// Rebuilds the search entry of `person`'s folder from the current values: names, aliases,
/// phone, codice fiscale, STP/ENI codes and the numbers of its live documents, of every
/// folder merged into it too; and beside it the birth-year filter, the word list for short
/// prefixes, the codice-fiscale lookup and what flags possible duplicates. A folder merged
/// into another is found through that one only.
pub(crate) fn reindex(conn: &Connection, person: Uuid) -> rusqlite::Result<()> {
    let (survivor, members) = merges::group(conn, person)?;
    let mut full_text = FullText::default();
    full_text.entries.push(reindex_in_group(conn, person, survivor, &members)?);
    full_text.write(conn)
}

/// The full-text entries a reindex replaces, written after everything else it writes.
/// FTS5 keeps new entries in memory until a statement that needs a statement journal runs
/// in the same transaction (an upsert, like `person_index`'s), and then writes them to a
/// segment of their own: written one person at a time, a page of applied entries made one
/// segment per person, and FTS5 spent its time merging them.
#[derive(Default)]
struct FullText {
    entries: Vec<FullTextEntry>,
}

impl FullText {
    fn write(self, conn: &Connection) -> rusqlite::Result<()> {
        let mut forget = conn.prepare_cached("DELETE FROM person_search WHERE rowid = ?1")?;
        let mut insert =
            conn.prepare_cached("INSERT INTO person_search (rowid, folded, skeletons) VALUES (?1, ?2, ?3)")?;
        for (id, text) in self.entries {
            forget.execute([id])?;
            if let Some((folded, skeletons)) = text {
                insert.execute(params![id, folded, skeletons])?;
            }
        }
        Ok(())
    }
}

/// The full-text entry of a person: their `person_index` id, and their text (folded,
/// skeletons) or none when they are not to be found by it.
type FullTextEntry = (i64, Option<(String, String)>);

/// [`reindex`] of `person`, whose group (`survivor` and `members`) is known, but for the
/// full-text entry, which it answers for [`FullText`] to write.
fn reindex_in_group(
    conn: &Connection,
    person: Uuid,
    survivor: Uuid,
    members: &[Uuid],
) -> rusqlite::Result<FullTextEntry> {
    // The person's fields, read once for everything below.
    let fields = row_fields(conn, Entity::Person, person)?;
    let year = fields
        .get(BIRTH_DATE)
        .and_then(|value| serde_json::from_value::<PartialDate>(value.clone()).ok())
        .map(|date| date.year);
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO person_index (person_id, year, identity, merged_into) VALUES (?1, ?2, NULL, NULL)
             ON CONFLICT (person_id) DO UPDATE SET year = excluded.year, identity = NULL, merged_into = NULL
             RETURNING id",
        )?
        .query_row(params![person, year], |row| row.get(0))?;
    conn.prepare_cached("DELETE FROM person_words WHERE id = ?1")?.execute([id])?;
    conn.prepare_cached("DELETE FROM person_codice_fiscale WHERE person_id = ?1")?.execute([person])?;
    if is_gone(&fields) {
        return Ok((id, None));
    }
    if let Some(serde_json::Value::String(code)) = fields.get(CODICE_FISCALE) {
        // Kept for a merged folder too: that person already has a folder.
        conn.prepare_cached("INSERT INTO person_codice_fiscale (person_id, code) VALUES (?1, ?2)")?
            .execute(params![person, code])?;
    }
    if survivor != person {
        conn.prepare_cached("UPDATE person_index SET merged_into = ?2 WHERE id = ?1")?
            .execute(params![id, survivor])?;
        return Ok((id, None));
    }
    conn.prepare_cached("UPDATE person_index SET identity = ?2 WHERE id = ?1")?
        .execute(params![id, identity(&fields)])?;
    let mut words = words_of(conn, person, &fields)?;
    for member in members.iter().filter(|member| **member != person) {
        let fields = row_fields(conn, Entity::Person, *member)?;
        if !is_gone(&fields) {
            words.extend(words_of(conn, *member, &fields)?);
        }
    }
    if words.is_empty() {
        return Ok((id, None));
    }
    let folded = fold(&words.join(" "));
    let skeleton = skeletons(&folded);
    let mut insert_word = conn.prepare_cached("INSERT OR IGNORE INTO person_words (word, id) VALUES (?1, ?2)")?;
    for word in folded.split(' ').filter(|word| !word.is_empty()) {
        insert_word.execute(params![word, id])?;
    }
    Ok((id, Some((folded, skeleton))))
}

/// Forgets `person`'s search entry and lookups: the folder left this device.
pub(crate) fn forget(conn: &Connection, person: Uuid) -> rusqlite::Result<()> {
    let id: Option<i64> =
        conn.query_row("SELECT id FROM person_index WHERE person_id = ?1", [person], |row| row.get(0)).optional()?;
    if let Some(id) = id {
        conn.execute("DELETE FROM person_search WHERE rowid = ?1", [id])?;
        conn.execute("DELETE FROM person_words WHERE id = ?1", [id])?;
    }
    conn.execute("DELETE FROM person_index WHERE person_id = ?1", [person])?;
    conn.execute("DELETE FROM person_codice_fiscale WHERE person_id = ?1", [person])?;
    Ok(())
}

/// Rebuilds the search entries of the groups of merged folders that `folders` belong to.
pub(crate) fn reindex_groups(conn: &Connection, folders: &BTreeSet<Uuid>) -> rusqlite::Result<()> {
    let mut full_text = FullText::default();
    if !merges::any(conn)? {
        // No merges: each folder is its own group, nothing to look up.
        for folder in folders {
            full_text.entries.push(reindex_in_group(conn, *folder, *folder, &[*folder])?);
        }
        return full_text.write(conn);
    }
    let mut done = BTreeSet::new();
    for folder in folders {
        let (survivor, members) = merges::group(conn, *folder)?;
        for member in &members {
            if done.insert(*member) {
                full_text.entries.push(reindex_in_group(conn, *member, survivor, &members)?);
            }
        }
    }
    full_text.write(conn)
}

/// Whether a folder whose person has `fields` is deleted or erased.
fn is_gone(fields: &Fields) -> bool {
    is_true(fields, DELETED) || is_true(fields, ERASED)
}

/// The folded names with the full birth date: two folders with the same are flagged.
fn identity(fields: &Fields) -> Option<String> {
    let text = |name| fields.get(name).and_then(|value| value.as_str()).map(fold).unwrap_or_default();
    let born = fields.get(BIRTH_DATE).and_then(|value| serde_json::from_value::<PartialDate>(value.clone()).ok());
    let Some(PartialDate { year, month: Some(month), day: Some(day), .. }) = born else { return None };
    Some(format!("{}|{}|{year:04}-{month:02}-{day:02}", text("family_name"), text("given_names")))
}

/// The numbers of a person's documents not deleted, for [`words_of`].
pub(super) const DOCUMENT_NUMBERS: &str = "SELECT v.value FROM entity_rows r
     JOIN field_values v ON v.row_id = r.row_id
                        AND v.field_ref = (SELECT ref FROM log_fields WHERE entity = 'document' AND field = ?2)
     WHERE r.folder_id = ?1 AND r.entity = 'document'
     AND NOT EXISTS (SELECT 1 FROM field_values d WHERE d.row_id = r.row_id AND d.value = 'true'
                     AND d.field_ref = (SELECT ref FROM log_fields WHERE entity = 'document' AND field = ?3))
     ORDER BY r.row_id";

/// The searchable words of one person row (its `fields`) and its live documents.
fn words_of(conn: &Connection, person: Uuid, fields: &Fields) -> rusqlite::Result<Vec<String>> {
    let mut words = Vec::new();
    for name in SEARCHED_FIELDS {
        match fields.get(name) {
            Some(serde_json::Value::String(text)) => words.push(text.clone()),
            Some(serde_json::Value::Array(items)) => {
                words.extend(items.iter().filter_map(|item| item.as_str().map(str::to_owned)))
            }
            Some(serde_json::Value::Object(code)) => {
                words.extend(code.get("code").and_then(|code| code.as_str()).map(str::to_owned))
            }
            _ => {}
        }
    }
    let mut numbers = conn.prepare_cached(DOCUMENT_NUMBERS)?;
    for number in numbers.query_map(params![person, DOCUMENT_NUMBER, DELETED], |row| row.get::<_, String>(0))? {
        if let Ok(serde_json::Value::String(number)) = serde_json::from_str(&number?) {
            words.push(number);
        }
    }
    Ok(words)
}

/// Rebuilds the whole search index (after the migration that changed its shape).
pub(crate) fn reindex_everyone(conn: &Connection) -> rusqlite::Result<()> {
    let people: Vec<Uuid> = conn
        .prepare("SELECT row_id FROM entity_rows WHERE entity = 'person' ORDER BY row_id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for person in people {
        reindex(conn, person)?;
    }
    Ok(())
}

/// The smallest text after every text that starts with `prefix`.
fn after_prefix(prefix: &str) -> String {
    let mut end = prefix.to_owned();
    end.push(char::MAX);
    end
}

/// Quotes `text` as one FTS5 string.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The live person whose codice fiscale is `code`, other than `except`.
pub(crate) fn holder_of_codice_fiscale(
    conn: &Connection,
    code: &str,
    except: Option<Uuid>,
) -> rusqlite::Result<Option<Uuid>> {
    let mut statement = conn.prepare_cached("SELECT person_id FROM person_codice_fiscale WHERE code = ?1")?;
    let holders = statement.query_map([code], |row| row.get::<_, Uuid>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(holders.into_iter().find(|holder| Some(*holder) != except))
}

/// People whose names, aliases, phone or codes match `query`, best first.
///
/// Each word of three letters or more must appear in the folded text or, by its consonant
/// skeleton, in the skeletons; shorter queries match the start of the folded text.
pub(crate) fn search(
    conn: &Connection,
    query: &str,
    birth_year: Option<i16>,
    limit: usize,
    archived: Archived,
) -> rusqlite::Result<Vec<PersonHit>> {
    let folded = fold(query);
    let words: Vec<&str> = folded.split(' ').filter(|word| !word.is_empty()).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let hide_archived = match archived {
        Archived::Included => "",
        Archived::Hidden => {
            " AND NOT EXISTS (SELECT 1 FROM field_values a WHERE a.row_id = p.person_id AND a.value = 'true'
               AND a.field_ref = (SELECT ref FROM log_fields WHERE entity = 'person' AND field = '_archived'))"
        }
    };
    let ids: Vec<Uuid> = if words.iter().all(|word| word.chars().count() >= 3) {
        // As written first, then as it sounds: every word in the folded text, then every word
        // in it or in its consonant skeletons. No ranking function: scoring every match (bm25
        // reads each match's column sizes) cost more than the rest of a search of a large
        // Ambito together. Within a tier the newest folders come first: those this device
        // indexed last (created here, or arrived).
        let as_written =
            words.iter().map(|word| format!("folded : {}", phrase(word))).collect::<Vec<_>>().join(" AND ");
        let as_it_sounds = words
            .iter()
            .map(|word| {
                let skeleton = crate::names::skeleton(word);
                if skeleton.chars().count() >= 3 {
                    format!("(folded : {} OR skeletons : {})", phrase(word), phrase(&skeleton))
                } else {
                    format!("folded : {}", phrase(word))
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        let tiers = if as_it_sounds == as_written { vec![as_written] } else { vec![as_written, as_it_sounds] };
        let mut statement = conn.prepare_cached(&format!(
            "SELECT p.person_id FROM person_search s JOIN person_index p ON p.id = s.rowid
             WHERE person_search MATCH ?1 AND (?2 IS NULL OR p.year = ?2){hide_archived}
             ORDER BY s.rowid DESC LIMIT ?3"
        ))?;
        let mut ids: Vec<Uuid> = Vec::with_capacity(limit);
        for expression in &tiers {
            // The second tier finds the first one's again: as many more as it may repeat.
            let wanted = (limit + ids.len()) as i64;
            for id in statement.query_map(params![expression, birth_year, wanted], |row| row.get::<_, Uuid>(0))? {
                let id = id?;
                if ids.len() < limit && !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.len() == limit {
                break;
            }
        }
        ids
    } else {
        // Short words: each must start one of the person's words (an index range per word).
        // One word, the common case, walks the word index in order and stops at `limit`.
        let sql = if words.len() == 1 {
            format!(
                "SELECT DISTINCT p.person_id FROM person_words w JOIN person_index p ON p.id = w.id
                 WHERE w.word >= ?3 AND w.word < ?4 AND (?1 IS NULL OR p.year = ?1){hide_archived} LIMIT ?2"
            )
        } else {
            let ranges = (0..words.len())
                .map(|n| format!("SELECT id FROM person_words WHERE word >= ?{} AND word < ?{}", 2 * n + 3, 2 * n + 4))
                .collect::<Vec<_>>()
                .join(" INTERSECT ");
            format!(
                "SELECT p.person_id FROM person_index p WHERE p.id IN ({ranges}) AND (?1 IS NULL OR p.year = ?1)
                 {hide_archived} ORDER BY p.id LIMIT ?2"
            )
        };
        let mut statement = conn.prepare_cached(&sql)?;
        let mut bounds: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(birth_year), Box::new(limit as i64)];
        for word in &words {
            bounds.push(Box::new((*word).to_owned()));
            bounds.push(Box::new(after_prefix(word)));
        }
        statement
            .query_map(rusqlite::params_from_iter(bounds.iter()), |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    ids.into_iter().map(|id| hit(conn, id)).collect()
}

/// How many of a person's practices are open, for [`hit`].
pub(super) const OPEN_PRACTICES: &str = "SELECT COUNT(*) FROM entity_rows r
     JOIN field_values s ON s.row_id = r.row_id
                        AND s.field_ref = (SELECT ref FROM log_fields WHERE entity = 'practice' AND field = 'status')
     WHERE r.folder_id = ?1 AND r.entity = 'practice'
     AND s.value IN ('\"open\"', '\"in_progress\"', '\"submitted\"')
     AND NOT EXISTS (SELECT 1 FROM field_values d WHERE d.row_id = r.row_id AND d.value = 'true'
                     AND d.field_ref = (SELECT ref FROM log_fields WHERE entity = 'practice' AND field = ?2))";

/// What a list shows of the person `id`.
pub(crate) fn hit(conn: &Connection, id: Uuid) -> rusqlite::Result<PersonHit> {
    let fields = super::rows::row_fields(conn, Entity::Person, id)?;
    let archived = fields.get(ARCHIVED) == Some(&serde_json::Value::Bool(true));
    let person: PersonDetails = crate::folder::from_fields(fields).unwrap_or_default();
    let open_practices: u32 = conn.prepare_cached(OPEN_PRACTICES)?.query_row(params![id, DELETED], |row| row.get(0))?;
    let municipality = [&person.domicile, &person.residence]
        .into_iter()
        .flatten()
        .map(|address| address.municipality.clone())
        .find(|name| !name.is_empty());
    let stp_eni_code = person.stp.as_ref().or(person.eni.as_ref()).map(|code| code.code.clone());
    Ok(PersonHit {
        id,
        birth_year: person.birth_date.map(|date| date.year),
        birth_date: person.birth_date,
        birth_country: person.birth_country,
        citizenships: person.citizenships,
        municipality,
        stp_eni_code,
        open_practices,
        archived,
        family_name: person.family_name,
        given_names: person.given_names,
    })
}

/// Whether search shows archived folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archived {
    /// Only folders in use: what the desk's search box shows.
    Hidden,
    /// Archived folders too, marked as such.
    Included,
}

impl Store {
    /// People matching `query` (names, aliases, phone, codice fiscale, STP/ENI codes,
    /// document numbers), best first; archived folders too.
    pub fn search_people(
        &self,
        query: &str,
        birth_year: Option<i16>,
        limit: usize,
    ) -> Result<Vec<PersonHit>, StoreError> {
        self.find_people(query, birth_year, limit, Archived::Included)
    }

    /// [`Store::search_people`], leaving archived folders out unless `archived` asks for them.
    pub fn find_people(
        &self,
        query: &str,
        birth_year: Option<i16>,
        limit: usize,
        archived: Archived,
    ) -> Result<Vec<PersonHit>, StoreError> {
        self.require(Permission::ReadFolders)?;
        search(&self.conn, query, birth_year, limit, archived).map_err(StoreError::from)
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
            keep(search(&self.conn, &code, None, 5, Archived::Included)?);
        }
        let name = format!("{} {}", details.family_name, details.given_names);
        let year = details.birth_date.map(|date| date.year);
        keep(search(&self.conn, &name, year, 5, Archived::Included)?);
        Ok(found)
    }
}

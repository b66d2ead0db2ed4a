//! Finding people by name, alias, phone or code: FTS5 trigrams over folded text and
//! consonant skeletons, kept current by the write path.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::folder::person::{PartialDate, SEARCHED_FIELDS};
use crate::folder::{ARCHIVED, DELETED, ERASED, Entity};
use crate::names::{fold, skeletons};

/// One person found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PersonHit {
    pub id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub birth_year: Option<i16>,
    /// The folder is archived: found, so a returning person's folder can be reopened.
    pub archived: bool,
}

fn field(conn: &Connection, person: Uuid, name: &str) -> rusqlite::Result<Option<serde_json::Value>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM field_values WHERE entity = ?1 AND row_id = ?2 AND field = ?3")?
        .query_row(params![Entity::Person.as_str(), person, name], |row| row.get(0))
        .optional()?;
    Ok(text.and_then(|text| serde_json::from_str(&text).ok()))
}

/// Whether a change to `field` of an `entity` row changes what search finds.
pub(crate) fn looks_at(entity: Entity, field: &str) -> bool {
    match entity {
        Entity::Person => SEARCHED_FIELDS.contains(&field) || [BIRTH_DATE, DELETED, ARCHIVED, ERASED].contains(&field),
        Entity::Document => field == DOCUMENT_NUMBER || field == DELETED,
        _ => false,
    }
}

const BIRTH_DATE: &str = "birth_date";
const DOCUMENT_NUMBER: &str = "number";

/// Rebuilds the search entry of the folder of `person` from the current values: names,
/// aliases, phone, codice fiscale, STP/ENI codes and the numbers of its live documents.
pub(crate) fn reindex(conn: &Connection, person: Uuid) -> rusqlite::Result<()> {
    let year = field(conn, person, BIRTH_DATE)?
        .and_then(|value| serde_json::from_value::<PartialDate>(value).ok())
        .map(|date| date.year);
    conn.prepare_cached(
        "INSERT INTO person_birth_year (person_id, year) VALUES (?1, ?2)
         ON CONFLICT (person_id) DO UPDATE SET year = excluded.year",
    )?
    .execute(params![person, year])?;
    let key = person.simple().to_string();
    conn.prepare_cached("DELETE FROM person_search WHERE person_id = ?1")?.execute([&key])?;
    let gone =
        |name| -> rusqlite::Result<bool> { Ok(field(conn, person, name)? == Some(serde_json::Value::Bool(true))) };
    if gone(DELETED)? || gone(ERASED)? {
        return Ok(());
    }
    let mut words = Vec::new();
    for name in SEARCHED_FIELDS {
        match field(conn, person, name)? {
            Some(serde_json::Value::String(text)) => words.push(text),
            Some(serde_json::Value::Array(items)) => {
                words.extend(items.into_iter().filter_map(|item| item.as_str().map(str::to_owned)))
            }
            Some(serde_json::Value::Object(code)) => {
                words.extend(code.get("code").and_then(|code| code.as_str()).map(str::to_owned))
            }
            _ => {}
        }
    }
    let mut numbers = conn.prepare_cached(
        "SELECT v.value FROM entity_rows r
         JOIN field_values v ON v.entity = r.entity AND v.row_id = r.row_id AND v.field = ?2
         WHERE r.folder_id = ?1 AND r.entity = 'document'
         AND NOT EXISTS (SELECT 1 FROM field_values d WHERE d.entity = r.entity AND d.row_id = r.row_id
                         AND d.field = ?3 AND d.value = 'true')
         ORDER BY r.row_id",
    )?;
    for number in numbers.query_map(params![person, DOCUMENT_NUMBER, DELETED], |row| row.get::<_, String>(0))? {
        if let Ok(serde_json::Value::String(number)) = serde_json::from_str(&number?) {
            words.push(number);
        }
    }
    if words.is_empty() {
        return Ok(());
    }
    let folded = fold(&words.join(" "));
    let skeleton = skeletons(&folded);
    conn.prepare_cached("INSERT INTO person_search (person_id, folded, skeletons) VALUES (?1, ?2, ?3)")?
        .execute(params![key, folded, skeleton])?;
    Ok(())
}

/// Quotes `text` as one FTS5 string.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
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
) -> rusqlite::Result<Vec<PersonHit>> {
    let folded = fold(query);
    let words: Vec<&str> = folded.split(' ').filter(|word| !word.is_empty()).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = if words.iter().all(|word| word.chars().count() >= 3) {
        let expression = words
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
        let mut statement = conn.prepare_cached(
            "SELECT s.person_id FROM person_search s
             LEFT JOIN person_birth_year y ON y.person_id = unhex(s.person_id)
             WHERE person_search MATCH ?1 AND (?2 IS NULL OR y.year = ?2)
             ORDER BY bm25(person_search, 0.0, 2.0, 1.0) LIMIT ?3",
        )?;
        statement
            .query_map(params![expression, birth_year, limit as i64], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        let mut statement = conn.prepare_cached(
            "SELECT s.person_id FROM person_search s
             LEFT JOIN person_birth_year y ON y.person_id = unhex(s.person_id)
             WHERE (s.folded LIKE ?1 || '%' OR s.folded LIKE '% ' || ?1 || '%') AND (?2 IS NULL OR y.year = ?2)
             LIMIT ?3",
        )?;
        statement
            .query_map(params![folded, birth_year, limit as i64], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    ids.into_iter()
        .filter_map(|key| Uuid::try_parse(&key).ok())
        .map(|id| {
            let text = |name| -> rusqlite::Result<String> {
                Ok(field(conn, id, name)?.and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
            };
            let birth_year = field(conn, id, "birth_date")?
                .and_then(|value| serde_json::from_value::<PartialDate>(value).ok())
                .map(|date| date.year);
            let archived = field(conn, id, ARCHIVED)? == Some(serde_json::Value::Bool(true));
            Ok(PersonHit {
                id,
                family_name: text("family_name")?,
                given_names: text("given_names")?,
                birth_year,
                archived,
            })
        })
        .collect()
}

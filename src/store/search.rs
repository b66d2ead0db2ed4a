//! Finding people by name, alias, phone or code: FTS5 trigrams over folded text and
//! consonant skeletons, kept current by the write path.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use crate::folder::person::{PartialDate, SEARCHED_FIELDS};
use crate::folder::{DELETED, Entity};
use crate::names::{fold, skeletons};

/// One person found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct PersonHit {
    pub id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub birth_year: Option<i16>,
}

fn field(conn: &Connection, person: Uuid, name: &str) -> rusqlite::Result<Option<serde_json::Value>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM field_values WHERE entity = ?1 AND row_id = ?2 AND field = ?3",
            params![Entity::Person.as_str(), person, name],
            |row| row.get(0),
        )
        .optional()?;
    Ok(text.and_then(|text| serde_json::from_str(&text).ok()))
}

/// Rebuilds the search entry of `person` when `changed_field` is one search looks at.
pub(crate) fn reindex_if_searched(conn: &Connection, person: Uuid, changed_field: &str) -> rusqlite::Result<()> {
    if changed_field == "birth_date" || changed_field == DELETED {
        let year = field(conn, person, "birth_date")?
            .and_then(|value| serde_json::from_value::<PartialDate>(value).ok())
            .map(|date| date.year);
        conn.execute(
            "INSERT INTO person_birth_year (person_id, year) VALUES (?1, ?2)
             ON CONFLICT (person_id) DO UPDATE SET year = excluded.year",
            params![person, year],
        )?;
    }
    if !SEARCHED_FIELDS.contains(&changed_field) && changed_field != DELETED {
        return Ok(());
    }
    let key = person.simple().to_string();
    conn.execute("DELETE FROM person_search WHERE person_id = ?1", [&key])?;
    if field(conn, person, DELETED)?.is_some_and(|deleted| deleted == serde_json::Value::Bool(true)) {
        return Ok(());
    }
    let mut words = Vec::new();
    for name in SEARCHED_FIELDS {
        match field(conn, person, name)? {
            Some(serde_json::Value::String(text)) => words.push(text),
            Some(serde_json::Value::Array(items)) => {
                words.extend(items.into_iter().filter_map(|item| item.as_str().map(str::to_owned)))
            }
            _ => {}
        }
    }
    let folded = fold(&words.join(" "));
    let skeleton = skeletons(&folded);
    conn.execute(
        "INSERT INTO person_search (person_id, folded, skeletons) VALUES (?1, ?2, ?3)",
        params![key, folded, skeleton],
    )?;
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
            Ok(PersonHit { id, family_name: text("family_name")?, given_names: text("given_names")?, birth_year })
        })
        .collect()
}

//! The copy of a folder a person may ask for (GDPR Art. 15): every section the operator may
//! read, each row as label and value pairs, in Italian, with the labels and values the desk
//! shows.

use serde_json::Value;

use crate::folder::{DELETED, Folder, Row, field_label};
use crate::{Locale, Localizer};
use porta_wire::audit::AuditAction;

/// One section of the copy: its title and its rows, each as label and value pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySection {
    pub title: String,
    pub rows: Vec<Vec<(String, String)>>,
}

/// Fields that say nothing to the person (who recorded a row is an operator's id).
const LEFT_OUT: [&str; 3] = ["recorded_by", "sha256", DELETED];

/// The label prefix of the values of an enumerated field (`value-<prefix>-<value>`).
fn value_prefix(section: &str, field: &str) -> Option<&'static str> {
    Some(match (section, field) {
        ("person", "sex") => "sex",
        ("household", "relation") => "relation",
        ("documents", "kind") => "document_kind",
        ("consents", "kind") => "consent_kind",
        ("needs", "category") | ("contacts", "services") => "need_category",
        ("practices", "status") => "practice_status",
        ("contacts", "place_kind") => "place_kind",
        ("referrals", "target") => "referral_target",
        ("referrals", "status") => "referral_status",
        ("notes", "confidentiality") => "confidentiality",
        _ => return None,
    })
}

struct Writer<'a> {
    localizer: &'a Localizer,
}

impl Writer<'_> {
    fn message(&self, id: &str) -> String {
        self.localizer.format(Locale::It, id, &[]).replace(['\u{2068}', '\u{2069}'], "")
    }

    /// A stored value as the person reads it: dates as dd/mm/yyyy, choices by their label.
    fn value(&self, section: &str, field: &str, value: &Value) -> String {
        match value {
            Value::Bool(true) => self.message("value-yes"),
            // An unticked box says nothing the person needs to read.
            Value::Bool(false) => String::new(),
            Value::Number(number) if field == "isee_value_cents" => {
                format!("€ {:.2}", number.as_f64().unwrap_or_default() / 100.0).replace('.', ",")
            }
            Value::Number(number) => number.to_string(),
            Value::String(text) => {
                let id = match value_prefix(section, field) {
                    Some(prefix) => format!("value-{prefix}-{text}"),
                    None if field == "template" => format!("procedure-{text}"),
                    None if field == "steps_done" => format!("step-{text}"),
                    None => String::new(),
                };
                if !id.is_empty() && self.localizer.has_message(Locale::It, &id) {
                    return self.message(&id);
                }
                day_or_time(text).unwrap_or_else(|| text.clone())
            }
            Value::Array(items) => {
                items.iter().map(|item| self.value(section, field, item)).collect::<Vec<_>>().join(", ")
            }
            Value::Object(_) if field == "birth_date" => {
                serde_json::from_value::<crate::folder::person::PartialDate>(value.clone())
                    .map(|date| date.to_string())
                    .unwrap_or_default()
            }
            Value::Object(object) => object
                .values()
                .filter(|inner| !inner.is_null() && inner.as_str() != Some(""))
                .map(|inner| self.value(section, field, inner))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Null => String::new(),
        }
    }

    fn row<T: serde::Serialize>(&self, section: &str, row: &Row<T>) -> Vec<(String, String)> {
        let Ok(OrderedFields(fields)) =
            serde_json::to_string(&row.details).and_then(|json| serde_json::from_str(&json))
        else {
            return Vec::new();
        };
        fields
            .iter()
            .filter(|(name, _)| !LEFT_OUT.contains(&name.as_str()))
            .map(|(name, value)| (self.message(field_label(name)), self.value(section, name, value)))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }

    fn section<T: serde::Serialize>(&self, key: &str, rows: &[Row<T>]) -> CopySection {
        CopySection {
            title: self.message(&format!("section-{key}")),
            rows: rows.iter().map(|row| self.row(key, row)).collect(),
        }
    }
}

/// A row's fields in the order its type declares them (a JSON map would sort them).
struct OrderedFields(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for OrderedFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = OrderedFields;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a row's fields")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedFields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(OrderedFields(fields))
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// `2026-11-30` as `30/11/2026`, `2026-11-30T09:30:00` as `30/11/2026 09:30`.
fn day_or_time(text: &str) -> Option<String> {
    if let Ok(day) = crate::calendar::Date::parse_from_str(text, "%Y-%m-%d") {
        return Some(day.format("%d/%m/%Y").to_string());
    }
    crate::calendar::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|at| at.format("%d/%m/%Y %H:%M").to_string())
}

/// The sections of `folder` as its copy prints them, in Italian; empty sections are left out.
pub fn sections(folder: &Folder, localizer: &Localizer) -> Vec<CopySection> {
    let writer = Writer { localizer };
    let mut person = writer.section("person", std::slice::from_ref(&folder.person));
    person.title = writer.message("section-person");
    let all = vec![
        person,
        writer.section("household", &folder.household),
        writer.section("documents", &folder.documents),
        writer.section("attachments", &folder.attachments),
        writer.section("consents", &folder.consents),
        writer.section("needs", &folder.needs),
        writer.section("practices", &folder.practices),
        writer.section("appointments", &folder.appointments),
        writer.section("contacts", &folder.contacts),
        writer.section("referrals", &folder.referrals),
        writer.section("notes", &folder.notes),
    ];
    all.into_iter().filter(|section| !section.rows.is_empty()).collect()
}

/// One line of a folder's access log, as the store hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLine {
    pub at_ms: u64,
    /// The operator's name (or id, for an operator this device does not know).
    pub who: String,
    pub action: AuditAction,
    /// The part of the folder: `folder`, `history`, an entity (`note`…).
    pub section: String,
    pub health_restricted: bool,
}

/// The access log of a folder as its printed copy shows it, oldest first: when (Europe/Rome),
/// who, what, which part of the folder.
pub fn access_log(entries: &[AccessLine], localizer: &Localizer) -> CopySection {
    let writer = Writer { localizer };
    let label = |id: &str| writer.message(id);
    let rows = entries
        .iter()
        .map(|entry| {
            let action = match entry.action {
                AuditAction::Read => "accesses-action-read",
                AuditAction::Write => "accesses-action-write",
                AuditAction::Erase => "accesses-action-erase",
            };
            let section_id = format!("audit-section-{}", entry.section);
            let mut section = if localizer.has_message(Locale::It, &section_id) {
                writer.message(&section_id)
            } else {
                entry.section.clone()
            };
            if entry.health_restricted {
                section = format!("{section} ({})", writer.message("accesses-health"));
            }
            let when = crate::clock::in_rome(entry.at_ms)
                .map_or_else(String::new, |at| at.format("%d/%m/%Y %H:%M").to_string());
            vec![
                (label("history-when"), when),
                (label("history-who"), entry.who.clone()),
                (label("accesses-action"), writer.message(action)),
                (label("history-section"), section),
            ]
        })
        .collect();
    CopySection { title: writer.message("folder-accesses"), rows }
}

//! Practices across folders: starting one from a procedure template (its deadline from the
//! template's rule, the operator who starts it in charge), and the open ones by operator in
//! charge, by service and by deadline, from `open_practices` — a table derived where entries
//! are applied, like the agenda.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::due::{births, day_number, open_folder};
use super::rows::{Group, live_rows, read_group_sections, relist_group, row_fields};
use super::{Permission, Store, StoreError};
use crate::clock::{Clock, today_in_rome};
use crate::folder::person::PersonDetails;
use crate::folder::practice::{PracticeDetails, PracticeStatus};
use crate::folder::{Day, Entity, Invalid, Problem, Row, from_fields, is_health_restricted};
use crate::rules::deadlines::{Urgency, practice_deadline};
use crate::rules::procedures;

/// Lines a list of open practices holds at most; the others are counted.
pub const PRACTICE_LIST_LIMIT: usize = 200;

/// Which open practices to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeFilter {
    /// Only those this operator (an account id) is in charge of.
    pub in_charge: Option<Uuid>,
    /// Only those of this service (a need category, as templates name it).
    pub category: Option<String>,
}

/// One open practice, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenPractice {
    pub folder: Uuid,
    pub practice: Row<PracticeDetails>,
    /// How close its deadline is, as the due list says it; none without a deadline.
    pub urgency: Option<Urgency>,
    pub family_name: String,
    pub given_names: String,
}

/// The open practices a filter asks for: those with the nearest deadline first, then those
/// without one, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeList {
    /// At most [`PRACTICE_LIST_LIMIT`].
    pub items: Vec<OpenPractice>,
    /// Practices beyond those.
    pub more: u32,
}

impl Store {
    /// Starts a practice of `template` in `folder` today: open, with the operator in charge,
    /// and the deadline the template's rule gives from what the folder holds. A template of
    /// health-restricted content needs a role that may write it.
    pub fn start_practice(&mut self, folder: Uuid, template: &str, clock: &dyn Clock) -> Result<Uuid, StoreError> {
        let template = procedures::template(template)
            .ok_or(StoreError::Invalid(Invalid::new("field-template", Problem::UnknownValue)))?;
        let today = today_in_rome(clock);
        let Group { survivor, rows: all, .. } = read_group_sections(&self.conn, folder, &super::due::SECTIONS)?;
        let deadline = match open_folder(survivor, &all) {
            Some(whole) => practice_deadline(template, &whole, &births(&self.conn, &whole.household)?, today),
            None => None,
        };
        let practice = PracticeDetails {
            template: template.id.clone(),
            need: None,
            status: PracticeStatus::Open,
            opened_on: Day(today),
            deadline,
            steps_done: Vec::new(),
            protocol_number: None,
            postal_receipt: None,
            booking_code: None,
            outcome_on: None,
            outcome_note: None,
            in_charge: Some(self.operator.account_id),
        };
        self.add(folder, &practice, clock)
    }

    /// The templates this operator may start a practice from: all of them, less those of
    /// health-restricted content for a role that may not write it.
    pub fn practice_templates(&self) -> Vec<&'static crate::rules::procedure_check::ProcedureTemplate> {
        let may_write_restricted = self.operator.role.may(Permission::EditHealthRestricted);
        procedures::all().iter().filter(|template| may_write_restricted || !template.health_restricted).collect()
    }

    /// The open practices across every folder of this device this operator may read, each
    /// with the urgency of its deadline on today (Europe/Rome).
    pub fn open_practices(&self, filter: &PracticeFilter, clock: &dyn Clock) -> Result<PracticeList, StoreError> {
        self.require(Permission::ReadFolders)?;
        let today = today_in_rome(clock);
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        let chosen = "FROM open_practices WHERE (restricted = 0 OR ?1) AND (?2 IS NULL OR in_charge = ?2)
             AND (?3 IS NULL OR category = ?3)";
        let arguments = params![may_read_restricted, filter.in_charge, filter.category];
        let total: i64 =
            self.conn.prepare_cached(&format!("SELECT count(*) {chosen}"))?.query_row(arguments, |row| row.get(0))?;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT row_id, folder_id {chosen}
             ORDER BY deadline_day IS NULL, deadline_day, opened_day, row_id LIMIT {PRACTICE_LIST_LIMIT}"
        ))?;
        let rows: Vec<(Uuid, Uuid)> =
            statement.query_map(arguments, |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
        let mut items = Vec::with_capacity(rows.len());
        for (row_id, folder) in rows {
            let practice = self.opened_row_fields(Entity::Practice, row_id)?.and_then(from_fields::<PracticeDetails>);
            let person = from_fields::<PersonDetails>(row_fields(&self.conn, Entity::Person, folder)?);
            if let (Some(details), Some(person)) = (practice, person) {
                let urgency = details.deadline.map(|deadline| Urgency::of((deadline.0 - today).num_days()));
                items.push(OpenPractice {
                    folder,
                    urgency,
                    practice: Row { id: row_id, details },
                    family_name: person.family_name,
                    given_names: person.given_names,
                });
            }
        }
        let more = (total as usize).saturating_sub(items.len()) as u32;
        Ok(PracticeList { items, more })
    }
}

/// The sections the open practices are listed from.
pub(super) const SECTIONS: [Entity; 2] = [Entity::Person, Entity::Practice];

/// Whether a change to a row of `entity` can change which practices are open.
pub(super) fn looks_at(entity: Entity) -> bool {
    SECTIONS.contains(&entity)
}

/// Brings the open practices of `group` up to date. Merged folders count as one: the group's
/// practices are listed under its survivor.
pub(super) fn relist(conn: &Connection, group: &Group) -> rusqlite::Result<()> {
    relist_group(conn, group, "open_practices", |survivor, all| {
        let mut insert = conn.prepare_cached(
            "INSERT INTO open_practices (row_id, folder_id, template, category, in_charge, deadline_day, opened_day, restricted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (row_id) DO UPDATE SET folder_id = excluded.folder_id, template = excluded.template,
               category = excluded.category, in_charge = excluded.in_charge, deadline_day = excluded.deadline_day,
               opened_day = excluded.opened_day, restricted = excluded.restricted",
        )?;
        for practice in live_rows::<PracticeDetails>(all) {
            let details = &practice.details;
            if matches!(details.status, PracticeStatus::Accepted | PracticeStatus::Refused | PracticeStatus::Closed) {
                continue;
            }
            let category =
                procedures::template(&details.template).map_or("other", |template| template.category.as_str());
            insert.execute(params![
                practice.id,
                survivor,
                details.template,
                category,
                details.in_charge,
                details.deadline.map(|day| day_number(day.0)),
                day_number(details.opened_on.0),
                is_health_restricted(Entity::Practice, &all[&(Entity::Practice, practice.id)]),
            ])?;
        }
        Ok(())
    })
}

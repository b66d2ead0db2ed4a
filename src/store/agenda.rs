//! Appointments across folders by when they are: `agenda`, a table derived where entries are
//! applied (like the search index and the deadlines), and what Home lists for a day.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::rows::{Group, live_rows, relist_group, row_fields};
use super::{Permission, Store, StoreError};
use crate::calendar::{DateTime, plus_days};
use crate::folder::appointment::AppointmentDetails;
use crate::folder::person::PersonDetails;
use crate::folder::{Day, Entity, Invalid, LocalDateTime, Problem, Row, from_fields, is_health_restricted};

/// An appointment as a day's list shows it, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub folder: Uuid,
    pub appointment: Row<AppointmentDetails>,
    pub family_name: String,
    pub given_names: String,
}

/// The longest stretch the agenda lists at once: a month.
pub const MAX_AGENDA_DAYS: u8 = 31;

/// Which appointments to list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgendaQuery {
    /// The first day (Europe/Rome).
    pub first: Day,
    /// How many days, from 1 to [`MAX_AGENDA_DAYS`].
    pub days: u8,
    /// Only those of this operator (an account id).
    pub operator: Option<Uuid>,
}

impl Store {
    /// The appointments on `day` (Europe/Rome) across every folder of this device this
    /// operator may read, earliest first; cancelled ones too, marked.
    pub fn appointments_on(&self, day: Day) -> Result<Vec<AgendaItem>, StoreError> {
        self.appointments(&AgendaQuery { first: day, days: 1, operator: None })
    }

    /// The appointments of `query.days` days from `query.first` (a day or a week of the
    /// agenda), of one operator if it says so, earliest first; cancelled ones too, marked.
    pub fn appointments(&self, query: &AgendaQuery) -> Result<Vec<AgendaItem>, StoreError> {
        self.require(Permission::ReadFolders)?;
        if !(1..=MAX_AGENDA_DAYS).contains(&query.days) {
            return Err(StoreError::Invalid(Invalid::new("field-days", Problem::OutOfRange)));
        }
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        let from = query.first.0.and_hms_opt(0, 0, 0).expect("midnight exists");
        let to = plus_days(query.first.0, query.days.into()).and_hms_opt(0, 0, 0).expect("midnight exists");
        let key = |at: DateTime| serde_json::to_value(LocalDateTime(at)).expect("a time serialises");
        let (from, to) = (key(from), key(to));
        let mut statement = self.conn.prepare_cached(
            "SELECT row_id, folder_id FROM agenda WHERE at >= ?1 AND at < ?2 AND (restricted = 0 OR ?3)
               AND (?4 IS NULL OR operator = ?4)
             ORDER BY at, row_id",
        )?;
        let rows: Vec<(Uuid, Uuid)> = statement
            .query_map(params![from.as_str(), to.as_str(), may_read_restricted, query.operator], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut items = Vec::with_capacity(rows.len());
        for (row_id, folder) in rows {
            let appointment =
                self.opened_row_fields(Entity::Appointment, row_id)?.and_then(from_fields::<AppointmentDetails>);
            let person = from_fields::<PersonDetails>(row_fields(&self.conn, Entity::Person, folder)?);
            if let (Some(details), Some(person)) = (appointment, person) {
                items.push(AgendaItem {
                    folder,
                    appointment: Row { id: row_id, details },
                    family_name: person.family_name,
                    given_names: person.given_names,
                });
            }
        }
        Ok(items)
    }
}

/// The sections the agenda lists from.
pub(super) const SECTIONS: [Entity; 2] = [Entity::Person, Entity::Appointment];

/// Whether a change to a row of `entity` can change what the agenda lists.
pub(super) fn looks_at(entity: Entity) -> bool {
    SECTIONS.contains(&entity)
}

/// Brings the agenda's rows of `group` up to date. Merged folders count as one: the group's
/// appointments are listed under its survivor.
pub(super) fn relist(conn: &Connection, group: &Group) -> rusqlite::Result<()> {
    relist_group(conn, group, "agenda", |survivor, all| {
        // A row of a folder whose merge was undone may still be listed under the survivor
        // it had: it moves.
        let mut insert = conn.prepare_cached(
            "INSERT INTO agenda (row_id, folder_id, at, restricted, operator) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (row_id) DO UPDATE SET folder_id = excluded.folder_id, at = excluded.at,
               restricted = excluded.restricted, operator = excluded.operator",
        )?;
        for appointment in live_rows::<AppointmentDetails>(all) {
            let at = serde_json::to_value(appointment.details.at).expect("a time serialises");
            insert.execute(params![
                appointment.id,
                survivor,
                at.as_str(),
                is_health_restricted(Entity::Appointment, &all[&(Entity::Appointment, appointment.id)]),
                appointment.details.operator,
            ])?;
        }
        Ok(())
    })
}

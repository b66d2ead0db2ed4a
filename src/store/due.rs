//! What falls due across this device's folders: each folder's deadlines (the rules of
//! `rules::deadlines`) kept in `folder_deadlines` — a table derived where entries are
//! applied, like the search index — and the list the Home page shows from it.

use std::collections::BTreeSet;

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::rows::{Group, RowsById, is_live, is_true, live_rows, row_fields};
use super::{Permission, Store, StoreError, merges};
use crate::calendar::{Date, Datelike, plus_days};
use crate::clock::{Clock, today_in_rome};
use crate::folder::household::{HouseholdMemberDetails, Relation};
use crate::folder::person::PersonDetails;
use crate::folder::{ARCHIVED, Day, Entity, Folder, Row, from_fields, is_health_restricted};
use crate::rules::deadlines::{Deadline, DeadlineKind, PERMIT_RENEWAL_WINDOW_DAYS, Reminder, Urgency, deadlines};

/// Days before it is due from which a deadline without a window of its own is listed.
pub const DUE_HORIZON_DAYS: i64 = 30;
/// The longest renewal window the setting allows, in days before a permit's expiry.
pub const MAX_RENEWAL_WINDOW_DAYS: i64 = 120;
/// The shortest.
pub const MIN_RENEWAL_WINDOW_DAYS: i64 = 30;
/// Days a maternity cheque not asked for in time stays listed as overdue: after its six
/// months it can no longer be asked for, so the desk has only to tell the family; then the
/// line goes (a child born years ago is no reminder).
pub const LAPSED_MATERNITY_CHEQUE_SHOWN_DAYS: i64 = 30;
/// Lines the due list holds at most; the others are counted.
pub const DUE_LIST_LIMIT: usize = 200;

/// One line of the due list: a reminder and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueItem {
    pub reminder: Reminder,
    pub family_name: String,
    pub given_names: String,
}

/// What falls due, overdue first, as far as this operator may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueList {
    /// At most [`DUE_LIST_LIMIT`] lines, soonest (most overdue) first.
    pub items: Vec<DueItem>,
    /// Lines beyond those.
    pub more: u32,
}

impl Store {
    /// What is due today (Europe/Rome) or within [`DUE_HORIZON_DAYS`], or whose window is
    /// open, across every folder of this device this operator may read; overdue first. A
    /// permit's renewal is listed from the sourced default of [`PERMIT_RENEWAL_WINDOW_DAYS`]
    /// before its expiry.
    pub fn due_list(&self, clock: &dyn Clock) -> Result<DueList, StoreError> {
        self.due_list_with_renewal_window(clock, PERMIT_RENEWAL_WINDOW_DAYS as u32)
    }

    /// [`Store::due_list`] with a permit's renewal listed from `renewal_window_days` before
    /// its expiry (a setting: sources disagree), at most [`MAX_RENEWAL_WINDOW_DAYS`].
    pub fn due_list_with_renewal_window(
        &self,
        clock: &dyn Clock,
        renewal_window_days: u32,
    ) -> Result<DueList, StoreError> {
        self.require(Permission::ReadFolders)?;
        let today = today_in_rome(clock);
        let window = i64::from(renewal_window_days).min(MAX_RENEWAL_WINDOW_DAYS);
        let may_read_restricted = self.operator.role.may(Permission::ReadHealthRestricted);
        // Renewals are stored shown from the longest window; the setting narrows them here.
        let shown = format!(
            "FROM folder_deadlines WHERE shown_from_day <= ?1 AND (restricted = 0 OR ?2)
             AND (kind <> 'permit_renewal' OR due_day - ?3 <= ?1)
             AND (kind <> 'maternity_cheque' OR due_day + {LAPSED_MATERNITY_CHEQUE_SHOWN_DAYS} >= ?1)"
        );
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {shown}"))?
            .query_row(params![day_number(today), may_read_restricted, window], |row| row.get(0))?;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT folder_id, kind, row_id, due_day, from_day {shown} ORDER BY due_day, kind, folder_id LIMIT ?4"
        ))?;
        let deadlines: Vec<Option<Deadline>> = statement
            .query_map(params![day_number(today), may_read_restricted, window, DUE_LIST_LIMIT as i64], |row| {
                let Ok(kind) = serde_json::from_value::<DeadlineKind>(row.get::<_, String>(1)?.into()) else {
                    return Ok(None);
                };
                let due_day: i64 = row.get(3)?;
                let from = match kind {
                    DeadlineKind::PermitRenewal => Some(due_day - window),
                    _ => row.get::<_, Option<i64>>(4)?,
                };
                Ok(Some(Deadline {
                    kind,
                    folder: row.get(0)?,
                    row: row.get(2)?,
                    due: Day(from_day_number(due_day)),
                    from: from.map(|day| Day(from_day_number(day))),
                }))
            })?
            .collect::<Result<_, _>>()?;
        let mut items = Vec::with_capacity(deadlines.len());
        // A kind this version does not know (written by a newer one) is left out.
        for deadline in deadlines.into_iter().flatten() {
            let fields = row_fields(&self.conn, Entity::Person, deadline.folder)?;
            let Some(person) = from_fields::<PersonDetails>(fields) else { continue };
            let days_left = (deadline.due.0 - today).num_days();
            items.push(DueItem {
                reminder: Reminder { deadline, days_left, urgency: Urgency::of(days_left) },
                family_name: person.family_name,
                given_names: person.given_names,
            });
        }
        let more = (total as usize).saturating_sub(items.len()) as u32;
        Ok(DueList { items, more })
    }
}

/// The sections a folder's deadlines are computed from ([`deadlines`]).
pub(super) const SECTIONS: [Entity; 4] = [Entity::Person, Entity::Document, Entity::Practice, Entity::HouseholdMember];

/// Whether a change to a row of `entity` can change its folder's deadlines.
pub(super) fn looks_at(entity: Entity) -> bool {
    SECTIONS.contains(&entity)
}

/// The groups of merged folders whose deadlines a change to the folders in `touched` can
/// change, by their survivors: theirs, and those of the households they are members of (a
/// child's birth is its mother's maternity cheque).
pub(super) fn survivors(conn: &Connection, touched: &BTreeSet<Uuid>) -> rusqlite::Result<BTreeSet<Uuid>> {
    let mut survivors = BTreeSet::new();
    let mut heads = conn.prepare_cached("SELECT head FROM household_links WHERE member = ?1")?;
    for folder in touched {
        survivors.insert(merges::survivor(conn, *folder)?);
        for head in heads.query_map([folder], |row| row.get::<_, Uuid>(0))? {
            survivors.insert(merges::survivor(conn, head?)?);
        }
    }
    Ok(survivors)
}

/// The days the live children among a household's members came into it: the day a child
/// adopted or in foster care arrived, else the birth date from the child's own folder. The
/// maternity cheque's six months run from them.
pub(super) fn births(conn: &Connection, household: &[Row<HouseholdMemberDetails>]) -> rusqlite::Result<Vec<Date>> {
    let mut births = Vec::new();
    for member in household.iter().filter(|member| member.details.relation == Relation::Child) {
        let fields = row_fields(conn, Entity::Person, member.details.member)?;
        if !is_live(&fields) {
            continue;
        }
        if let Some(arrived) = member.details.arrived_on {
            births.push(arrived.0);
            continue;
        }
        let child: Option<PersonDetails> = from_fields(fields);
        births.extend(
            child
                .and_then(|child| child.birth_date)
                .and_then(|born| Date::from_ymd_opt(born.year.into(), born.month?.into(), born.day?.into())),
        );
    }
    Ok(births)
}

/// Computes the deadlines of `group` again. Merged folders count as one: the group's
/// deadlines are its survivor's.
pub(super) fn recompute(conn: &Connection, group: &Group) -> rusqlite::Result<()> {
    let Group { survivor, members, rows: all } = group;
    let mut forget = conn.prepare_cached("DELETE FROM folder_deadlines WHERE folder_id = ?1")?;
    for member in members {
        forget.execute([member])?;
    }
    let Some(whole) = open_folder(*survivor, all) else { return Ok(()) };
    let mut insert = conn.prepare_cached(
        "INSERT INTO folder_deadlines (folder_id, kind, row_id, due_day, from_day, shown_from_day, restricted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for deadline in deadlines(&whole, &births(conn, &whole.household)?) {
        let shown_from = match (deadline.kind, deadline.from) {
            // The setting decides when a renewal shows: kept from the longest window it allows.
            (DeadlineKind::PermitRenewal, _) => plus_days(deadline.due.0, -MAX_RENEWAL_WINDOW_DAYS),
            (_, Some(from)) => from.0,
            (_, None) => plus_days(deadline.due.0, -DUE_HORIZON_DAYS),
        };
        let restricted = deadline
            .row
            .and_then(|row| all.get(&(Entity::Practice, row)))
            .is_some_and(|practice| is_health_restricted(Entity::Practice, practice));
        let kind = serde_json::to_value(deadline.kind).expect("a kind always serialises");
        insert.execute(params![
            survivor,
            kind.as_str(),
            deadline.row,
            day_number(deadline.due.0),
            deadline.from.map(|from| day_number(from.0)),
            day_number(shown_from),
            restricted,
        ])?;
    }
    Ok(())
}

/// The folder of the group whose survivor is `survivor`, with every live row whoever may
/// read it; none when the folder is gone or archived (out of the daily lists).
pub(super) fn open_folder(survivor: Uuid, all: &RowsById) -> Option<Folder> {
    let person = all.get(&(Entity::Person, survivor))?;
    if !is_live(person) || is_true(person, ARCHIVED) {
        return None;
    }
    Some(Folder {
        person: Row { id: survivor, details: from_fields(person.clone())? },
        archived: false,
        merged_from: Vec::new(),
        household: live_rows(all),
        member_of: Vec::new(),
        documents: live_rows(all),
        attachments: live_rows(all),
        consents: live_rows(all),
        needs: live_rows(all),
        practices: live_rows(all),
        appointments: live_rows(all),
        contacts: live_rows(all),
        referrals: live_rows(all),
        notes: live_rows(all),
    })
}

pub(super) fn day_number(day: Date) -> i64 {
    day.num_days_from_ce().into()
}

pub(super) fn from_day_number(number: i64) -> Date {
    Date::from_num_days_from_ce_opt(number as i32).expect("stored days are dates")
}

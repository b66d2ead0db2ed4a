//! The tables derived from the current values — the search index, the deadlines, the agenda
//! and the open practices — and which folders each must look at again after a write, an
//! applied page or a restamp. Each table is brought up to date once per group of merged
//! folders, and the group's rows of the sections they read are read once for the three lists.

use std::collections::BTreeSet;

use rusqlite::Connection;
use uuid::Uuid;

use super::rows::read_group_sections;
use super::{agenda, due, merges, practices, search};
use crate::folder::Entity;

/// Folders whose derived tables are out of date, table by table.
#[derive(Default)]
pub(super) struct Stale {
    pub search: BTreeSet<Uuid>,
    pub deadlines: BTreeSet<Uuid>,
    pub agenda: BTreeSet<Uuid>,
    pub practices: BTreeSet<Uuid>,
}

impl Stale {
    /// The current value of `field` of an `entity` row of `folder` changed: the tables that
    /// read that field must look at the folder again.
    pub(super) fn changed(&mut self, entity: Entity, field: &str, folder: Uuid) {
        if search::looks_at(entity, field) {
            self.search.insert(folder);
        }
        if due::looks_at(entity) {
            self.deadlines.insert(folder);
        }
        if agenda::looks_at(entity) {
            self.agenda.insert(folder);
        }
        if practices::looks_at(entity) {
            self.practices.insert(folder);
        }
    }

    /// A merge or its undoing changed the group `folder` belongs to: every table looks at it
    /// again.
    pub(super) fn regrouped(&mut self, folder: Uuid) {
        for folders in [&mut self.search, &mut self.deadlines, &mut self.agenda, &mut self.practices] {
            folders.insert(folder);
        }
    }

    /// Brings every table up to date for the folders it must look at again, one group of
    /// merged folders at a time.
    pub(super) fn refresh(self, conn: &Connection) -> rusqlite::Result<()> {
        search::reindex_groups(conn, &self.search)?;
        let deadlines = due::survivors(conn, &self.deadlines)?;
        let agenda = survivors(conn, &self.agenda)?;
        let practices = survivors(conn, &self.practices)?;
        let groups: BTreeSet<Uuid> = deadlines.iter().chain(&agenda).chain(&practices).copied().collect();
        for survivor in groups {
            // Only the sections the stale lists read: a folder's contacts and notes are most of
            // its rows.
            let sections: Vec<Entity> = [
                (&deadlines, &due::SECTIONS[..]),
                (&agenda, &agenda::SECTIONS[..]),
                (&practices, &practices::SECTIONS[..]),
            ]
            .into_iter()
            .filter(|(stale, _)| stale.contains(&survivor))
            .flat_map(|(_, read)| read.iter().copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
            let group = read_group_sections(conn, survivor, &sections)?;
            if deadlines.contains(&survivor) {
                due::recompute(conn, &group)?;
            }
            if agenda.contains(&survivor) {
                agenda::relist(conn, &group)?;
            }
            if practices.contains(&survivor) {
                practices::relist(conn, &group)?;
            }
        }
        Ok(())
    }
}

/// The survivors of the groups of merged folders that `folders` belong to.
fn survivors(conn: &Connection, folders: &BTreeSet<Uuid>) -> rusqlite::Result<BTreeSet<Uuid>> {
    folders.iter().map(|folder| merges::survivor(conn, *folder)).collect()
}

//! Operators' roles and what each may do: one table, enforced by the store.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The job an operator does at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sets up devices and operators; full access.
    Administrator,
    /// Runs the desk and reports to the Region.
    Coordinator,
    /// Front-office operator.
    Operator,
    /// Intercultural mediator, often outdoors.
    Mediator,
    /// The Consultorio/ASL liaison for health access.
    HealthLiaison,
    /// Reads anonymous statistics only.
    StatisticsReader,
}

/// Something an operator may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Open people's case folders.
    ReadFolders,
    /// Create and change case folders.
    EditFolders,
    /// Read health-restricted content (health notes, consultorio referrals).
    ReadHealthRestricted,
    /// Write health-restricted content.
    EditHealthRestricted,
    /// Add operators, change roles, disable accounts.
    ManageOperators,
    /// Read aggregate statistics.
    ReadStatistics,
    /// Erase a person's folder for good.
    EraseFolders,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::Coordinator,
        Role::Operator,
        Role::Mediator,
        Role::HealthLiaison,
        Role::StatisticsReader,
    ];

    /// The permission table. Health-restricted content is for the health liaison and the
    /// coordinator (and the administrator); a mediator or front-office operator never sees it.
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ReadFolders | EditFolders => !matches!(self, StatisticsReader),
            ReadHealthRestricted | EditHealthRestricted => matches!(self, Administrator | Coordinator | HealthLiaison),
            ManageOperators | EraseFolders => matches!(self, Administrator),
            ReadStatistics => matches!(self, Administrator | Coordinator | StatisticsReader),
        }
    }

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Coordinator => "coordinator",
            Role::Operator => "operator",
            Role::Mediator => "mediator",
            Role::HealthLiaison => "health_liaison",
            Role::StatisticsReader => "statistics_reader",
        }
    }

    /// The role stored as `name`.
    pub fn from_stored(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Permission::*;
    use super::Role::*;
    use super::*;

    #[test]
    fn the_permission_table() {
        let table: Vec<(Role, [bool; 7])> = Role::ALL
            .iter()
            .map(|role| {
                let may = [
                    ReadFolders,
                    EditFolders,
                    ReadHealthRestricted,
                    EditHealthRestricted,
                    ManageOperators,
                    ReadStatistics,
                    EraseFolders,
                ]
                .map(|permission| role.may(permission));
                (*role, may)
            })
            .collect();
        #[rustfmt::skip]
        let expected = vec![
            //                  read   edit   health health-w ops    stats  erase
            (Administrator,    [true,  true,  true,  true,    true,  true,  true ]),
            (Coordinator,      [true,  true,  true,  true,    false, true,  false]),
            (Operator,         [true,  true,  false, false,   false, false, false]),
            (Mediator,         [true,  true,  false, false,   false, false, false]),
            (HealthLiaison,    [true,  true,  true,  true,    false, false, false]),
            (StatisticsReader, [false, false, false, false,   false, true,  false]),
        ];
        assert_eq!(table, expected);
    }

    #[test]
    fn stored_names_read_back() {
        for role in Role::ALL {
            assert_eq!(Role::from_stored(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), serde_json::json!(role.as_str()));
        }
        assert_eq!(Role::from_stored("superuser"), None);
    }
}

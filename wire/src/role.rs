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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TS)]
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
    /// Read who opened or changed a folder, and print it for the person (GDPR Art. 15).
    ReadAccessLog,
    /// Keep the Ambito's directory of the territory's services (everyone reads it).
    KeepDirectory,
}

impl Permission {
    /// Every permission, in the order of the permission table.
    pub const ALL: [Permission; 9] = [
        Permission::ReadFolders,
        Permission::EditFolders,
        Permission::ReadHealthRestricted,
        Permission::EditHealthRestricted,
        Permission::ManageOperators,
        Permission::ReadStatistics,
        Permission::EraseFolders,
        Permission::ReadAccessLog,
        Permission::KeepDirectory,
    ];
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
            ManageOperators | EraseFolders | KeepDirectory => matches!(self, Administrator),
            ReadStatistics => matches!(self, Administrator | Coordinator | StatisticsReader),
            ReadAccessLog => matches!(self, Administrator | Coordinator),
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
    use super::Role::*;
    use super::*;

    #[test]
    fn the_permission_table() {
        let table: Vec<(Role, [bool; 9])> =
            Role::ALL.iter().map(|role| (*role, Permission::ALL.map(|permission| role.may(permission)))).collect();
        #[rustfmt::skip]
        let expected = vec![
            //                  read   edit   health health-w ops    stats  erase  accesses directory
            (Administrator,    [true,  true,  true,  true,    true,  true,  true,  true,    true ]),
            (Coordinator,      [true,  true,  true,  true,    false, true,  false, true,    false]),
            (Operator,         [true,  true,  false, false,   false, false, false, false,   false]),
            (Mediator,         [true,  true,  false, false,   false, false, false, false,   false]),
            (HealthLiaison,    [true,  true,  true,  true,    false, false, false, false,   false]),
            (StatisticsReader, [false, false, false, false,   false, true,  false, false,   false]),
        ];
        assert_eq!(table, expected);
    }

    /// The variants as the derive sees them (ts-rs lists every one), against `ALL`.
    fn variants<T: TS>() -> Vec<String> {
        let union = T::inline(&ts_rs::Config::default());
        let mut names: Vec<String> = union.split('|').map(|name| name.trim().trim_matches('"').to_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn all_lists_every_permission_and_every_role() {
        let mut permissions: Vec<String> = Permission::ALL.iter().map(|permission| format!("{permission:?}")).collect();
        permissions.sort();
        assert_eq!(permissions, variants::<Permission>());
        let mut roles: Vec<String> = Role::ALL.iter().map(|role| role.as_str().to_owned()).collect();
        roles.sort();
        assert_eq!(roles, variants::<Role>());
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

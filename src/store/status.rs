//! Whether the encrypted database exists, without opening it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::DataDir;

/// Whether this device has its encrypted database yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DatabaseStatus {
    /// First setup has not run: there is no database file.
    NotCreated,
    /// The database file exists.
    Present {
        /// Its size on disk.
        #[ts(type = "number")]
        bytes: u64,
    },
}

/// Looks at the data folder for the database file, without opening it.
pub fn database_status(data_dir: &DataDir) -> DatabaseStatus {
    match std::fs::metadata(data_dir.database_file()) {
        Ok(metadata) if metadata.is_file() => DatabaseStatus::Present { bytes: metadata.len() },
        _ => DatabaseStatus::NotCreated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_database_file() {
        let temp = tempfile::tempdir().unwrap();
        let data_dir = DataDir::resolve(Some(temp.path().to_owned())).unwrap();
        assert_eq!(database_status(&data_dir), DatabaseStatus::NotCreated);
        std::fs::write(data_dir.database_file(), [0u8; 4096]).unwrap();
        assert_eq!(database_status(&data_dir), DatabaseStatus::Present { bytes: 4096 });
    }

    #[test]
    fn status_serialises_with_a_state_tag() {
        assert_eq!(
            serde_json::to_value(DatabaseStatus::Present { bytes: 10 }).unwrap(),
            serde_json::json!({"state": "present", "bytes": 10})
        );
        assert_eq!(
            serde_json::to_value(DatabaseStatus::NotCreated).unwrap(),
            serde_json::json!({"state": "not_created"})
        );
    }
}

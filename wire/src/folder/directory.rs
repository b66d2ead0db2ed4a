//! The Ambito's directory: the services of the territory the desk refers people to and the
//! intercultural mediators who can come to an appointment. It is kept by the Ambito's
//! administrators and shared by every office: its rows live in one folder of their own,
//! [`DIRECTORY_FOLDER`], which syncs like any folder and is in every office's scope.

use uuid::Uuid;

use super::Entity;

/// The one folder that holds the directory, the same on every device and on the server.
pub const DIRECTORY_FOLDER: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_d1ec_7042_0001);

/// The kinds of row the directory holds.
pub const DIRECTORY_ENTITIES: [Entity; 2] = [Entity::Organisation, Entity::Mediator];

/// Whether a row of `entity` may live in `folder`: services and mediators only in the
/// directory, and the directory holds nothing else (no person, so no erasure, merge or
/// archive either).
pub fn belongs_in(entity: Entity, folder: Uuid) -> bool {
    DIRECTORY_ENTITIES.contains(&entity) == (folder == DIRECTORY_FOLDER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_services_and_mediators_live_in_the_directory_and_it_holds_only_them() {
        let folder = Uuid::from_u128(42);
        for entity in DIRECTORY_ENTITIES {
            assert!(belongs_in(entity, DIRECTORY_FOLDER));
            assert!(!belongs_in(entity, folder));
        }
        for entity in Entity::ALL.into_iter().filter(|entity| !DIRECTORY_ENTITIES.contains(entity)) {
            assert!(belongs_in(entity, folder), "{entity:?}");
            assert!(!belongs_in(entity, DIRECTORY_FOLDER), "{entity:?}");
        }
    }
}

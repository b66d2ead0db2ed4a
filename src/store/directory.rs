//! The Ambito's directory of the territory's services and of its mediators: read by every
//! role that opens folders, kept by administrators. Its rows live in [`DIRECTORY_FOLDER`],
//! written through the one write path, so they sync, merge and conflict like any folder's.

use uuid::Uuid;

use super::rows::{folder_rows, live_rows};
use super::write_path::{changed_fields, field_writes, fields_of, is_empty};
use super::{Permission, Store, StoreError};
use crate::clock::{Clock, today_in_rome};
use crate::folder::directory::DIRECTORY_FOLDER;
use crate::folder::mediator::MediatorDetails;
use crate::folder::organisation::OrganisationDetails;
use crate::folder::{Row, Section};

impl Store {
    /// Every service in the directory, closed ones included, by name.
    pub fn directory(&self) -> Result<Vec<Row<OrganisationDetails>>, StoreError> {
        self.directory_rows(|details: &OrganisationDetails| &details.name)
    }

    /// The Ambito's mediators, those who no longer mediate included, by name.
    pub fn mediators(&self) -> Result<Vec<Row<MediatorDetails>>, StoreError> {
        self.directory_rows(|details: &MediatorDetails| &details.name)
    }

    fn directory_rows<T: Section>(&self, name: impl Fn(&T) -> &String) -> Result<Vec<Row<T>>, StoreError> {
        self.require(Permission::ReadFolders)?;
        let mut rows = live_rows::<T>(&folder_rows(&self.conn, DIRECTORY_FOLDER)?);
        rows.sort_by_cached_key(|row| (crate::names::fold(name(&row.details)), row.id));
        Ok(rows)
    }

    /// Adds a service to the directory (`id` none) or changes one; answers its id. Only the
    /// fields that differ are written, so two administrators' edits of different fields merge.
    pub fn save_organisation(
        &mut self,
        id: Option<Uuid>,
        details: &OrganisationDetails,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        self.save_directory_row(id, details, clock)
    }

    /// Adds a mediator (`id` none) or changes one, as [`Store::save_organisation`] does.
    pub fn save_mediator(
        &mut self,
        id: Option<Uuid>,
        details: &MediatorDetails,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        self.save_directory_row(id, details, clock)
    }

    fn save_directory_row<T: Section>(
        &mut self,
        id: Option<Uuid>,
        details: &T,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        self.require(Permission::KeepDirectory)?;
        let details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        let (id, fields) = match id {
            None => {
                let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value)).collect();
                (self.ids.next(clock), fields)
            }
            Some(id) => {
                let (_, current) = self.live_row::<T>(id)?;
                (id, changed_fields(&details, &fields_of(&current).into_iter().collect()))
            }
        };
        let writes = field_writes(T::ENTITY, id, DIRECTORY_FOLDER, fields);
        self.write(DIRECTORY_FOLDER, T::ENTITY.as_str(), false, writes, clock)?;
        Ok(id)
    }

    /// Checks that `organisation` is a service of the directory (what a referral may name).
    pub(super) fn check_organisation(&self, organisation: Uuid) -> Result<(), StoreError> {
        self.live_row::<OrganisationDetails>(organisation).map(|_| ()).map_err(|_| {
            StoreError::Invalid(crate::folder::Invalid::new("field-organisation", crate::folder::Problem::UnknownValue))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::UserFacingError;
    use crate::clock::ManualClock;
    use crate::folder::referral::{ReferralDetails, ReferralTarget};
    use crate::folder::{Invalid, Problem};
    use crate::store::Role;
    use crate::store::test_support::{NOW_MS, count, person, state, store_as, sync};

    #[test]
    fn administrators_keep_the_directory_everyone_reads_it_and_it_syncs() {
        let clock = ManualClock::at(NOW_MS);
        let mut admin = store_as(Role::Administrator);
        let school = OrganisationDetails {
            name: "CPIA Lecce".into(),
            kind: ReferralTarget::AdultSchool,
            ..OrganisationDetails::example()
        };
        let consultorio = admin.save_organisation(None, &OrganisationDetails::example(), &clock).unwrap();
        let cpia = admin.save_organisation(None, &school, &clock).unwrap();
        let names: Vec<_> = admin.directory().unwrap().into_iter().map(|row| row.details.name).collect();
        assert_eq!(names, vec!["Consultorio familiare di Galatina", "CPIA Lecce"]);
        assert_eq!(count(&admin.conn, "person_index"), 0, "the directory is nobody's folder");
        assert_eq!(admin.due_list(&clock).unwrap().items, vec![]);

        // A mediator reads it after a sync, may refer someone to it, and may not change it.
        let mut mediator = store_as(Role::Mediator);
        sync(&admin, &mut mediator, &clock);
        assert_eq!(mediator.directory().unwrap(), admin.directory().unwrap());
        let before = (state(&mediator.conn), count(&mediator.conn, "changes"));
        let refused = mediator.save_organisation(Some(cpia), &OrganisationDetails::example(), &clock).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::NotPermitted);
        assert_eq!((state(&mediator.conn), count(&mediator.conn, "changes")), before);
        let folder = mediator.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
        let referral = ReferralDetails { organisation: Some(cpia), ..ReferralDetails::example() };
        mediator.add(folder, &referral, &clock).unwrap();
        // Not one that is not in the directory: refused naming the field, nothing written.
        let before = (state(&mediator.conn), count(&mediator.conn, "changes"));
        let elsewhere = ReferralDetails { organisation: Some(folder), ..ReferralDetails::example() };
        assert!(matches!(
            mediator.add(folder, &elsewhere, &clock),
            Err(StoreError::Invalid(Invalid { field: "field-organisation", problem: Problem::UnknownValue }))
        ));
        assert_eq!((state(&mediator.conn), count(&mediator.conn, "changes")), before);

        // A change writes only what changed; a closed service stays for the referrals naming it.
        let closed = OrganisationDetails { closed: true, ..school.clone() };
        let changes = count(&admin.conn, "changes");
        admin.save_organisation(Some(cpia), &closed, &clock).unwrap();
        assert_eq!(count(&admin.conn, "changes"), changes + 1);
        sync(&admin, &mut mediator, &clock);
        let rows = mediator.directory().unwrap();
        assert!(rows.iter().any(|row| row.id == cpia && row.details.closed));
        assert!(rows.iter().any(|row| row.id == consultorio && !row.details.closed));

        // Bad input: a nameless service is refused naming the field, nothing written.
        let before = (state(&admin.conn), count(&admin.conn, "changes"));
        let nameless = OrganisationDetails { name: " ".into(), ..school };
        assert!(matches!(
            admin.save_organisation(None, &nameless, &clock),
            Err(StoreError::Invalid(Invalid { field: "field-name", problem: Problem::Required }))
        ));
        assert!(matches!(
            admin.save_organisation(Some(folder), &OrganisationDetails::example(), &clock),
            Err(StoreError::NotFound)
        ));
        assert_eq!((state(&admin.conn), count(&admin.conn, "changes")), before);
    }

    #[test]
    fn the_mediators_are_kept_like_the_services() {
        let clock = ManualClock::at(NOW_MS);
        let mut admin = store_as(Role::Administrator);
        let amina = admin.save_mediator(None, &MediatorDetails::example(), &clock).unwrap();
        let mut mediator = store_as(Role::Mediator);
        sync(&admin, &mut mediator, &clock);
        assert_eq!(mediator.mediators().unwrap(), admin.mediators().unwrap());
        assert_eq!(mediator.mediators().unwrap()[0].id, amina);
        assert!(mediator.directory().unwrap().is_empty(), "a mediator is no service");
        let before = (state(&mediator.conn), count(&mediator.conn, "changes"));
        let refused = mediator.save_mediator(Some(amina), &MediatorDetails::example(), &clock).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::NotPermitted);
        assert_eq!((state(&mediator.conn), count(&mediator.conn, "changes")), before);
        // Bad input: refused naming the field, nothing written.
        let before = (state(&admin.conn), count(&admin.conn, "changes"));
        let silent = MediatorDetails { languages: Vec::new(), ..MediatorDetails::example() };
        assert!(matches!(
            admin.save_mediator(Some(amina), &silent, &clock),
            Err(StoreError::Invalid(Invalid { field: "field-languages", problem: Problem::Required }))
        ));
        assert_eq!((state(&admin.conn), count(&admin.conn, "changes")), before);
    }

    #[test]
    fn the_directory_is_not_a_folder_anyone_opens() {
        let clock = ManualClock::at(NOW_MS);
        let mut admin = store_as(Role::Administrator);
        admin.save_organisation(None, &OrganisationDetails::example(), &clock).unwrap();
        assert!(matches!(admin.folder(DIRECTORY_FOLDER, &clock), Err(StoreError::NotFound)));
        assert!(matches!(admin.erase_folder(DIRECTORY_FOLDER, &clock), Err(StoreError::NotFound)));
        assert!(matches!(admin.set_archived(DIRECTORY_FOLDER, true, &clock), Err(StoreError::NotFound)));
        let note = crate::folder::note::NoteDetails::example();
        assert!(matches!(admin.add(DIRECTORY_FOLDER, &note, &clock), Err(StoreError::NotFound)));
    }
}

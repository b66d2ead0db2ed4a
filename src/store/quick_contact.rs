//! Recording an encounter in a few keystrokes: with a known person (the contact and a short
//! note, in one write) or with people who gave no name (an anonymous contact: a folder of its
//! own, holding that one row and no person).

use uuid::Uuid;

use super::write_path::{field_writes, fields_of, is_empty};
use super::{Permission, Store, StoreError};
use crate::clock::{Clock, today_in_rome};
use crate::folder::Section;
use crate::folder::anonymous_contact::AnonymousContactDetails;
use crate::folder::contact::ContactDetails;
use crate::folder::note::NoteDetails;

impl Store {
    /// A contact with the person of `folder`, and the note written with it if any: both or
    /// neither. Answers the contact's id.
    pub fn record_contact(
        &mut self,
        folder: Uuid,
        contact: &ContactDetails,
        note: Option<&NoteDetails>,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        // Both are checked before either is written: a wrong note keeps the contact unsaved too.
        let today = today_in_rome(clock);
        contact.validated(today).map_err(StoreError::Invalid)?;
        if let Some(note) = note {
            note.validated(today).map_err(StoreError::Invalid)?;
        }
        self.in_one_transaction(|store| {
            let id = store.add(folder, contact, clock)?;
            if let Some(note) = note {
                store.add(folder, note, clock)?;
            }
            Ok(id)
        })
    }

    /// An encounter with people who gave no name; answers its id, which is also its folder's.
    pub fn record_anonymous_contact(
        &mut self,
        details: &AnonymousContactDetails,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        self.require(Permission::EditFolders)?;
        let mut details = details.validated(today_in_rome(clock)).map_err(StoreError::Invalid)?;
        details.recorded_by = Some(self.operator.account_id);
        let id = self.ids.next(clock);
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(AnonymousContactDetails::ENTITY, id, id, fields);
        self.write(id, AnonymousContactDetails::ENTITY.as_str(), false, writes, clock)?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::UserFacingError;
    use crate::clock::ManualClock;
    use crate::folder::{Day, Entity, Invalid};
    use crate::store::Role;
    use crate::store::rows::row_fields;
    use crate::store::test_support::{NOW_MS, count, person, state, store_as, sync};

    #[test]
    fn a_contact_and_its_note_are_written_together_or_not_at_all() {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Mediator);
        let folder = store.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
        let contact = ContactDetails { on: Day::ymd(2026, 11, 26), ..ContactDetails::example() };
        let note = NoteDetails { text: "Torna giovedì con il passaporto".into(), ..NoteDetails::example() };
        let id = store.record_contact(folder, &contact, Some(&note), &clock).unwrap();
        let opened = store.folder(folder, &clock).unwrap();
        assert_eq!(opened.contacts.iter().map(|row| row.id).collect::<Vec<_>>(), vec![id]);
        assert_eq!(opened.contacts[0].details.recorded_by, Some(store.operator().account_id));
        assert_eq!(opened.notes[0].details.text, "Torna giovedì con il passaporto");

        // An empty note refuses the whole contact, naming the note's field; nothing is written.
        let before = (state(&store.conn), count(&store.conn, "changes"), count(&store.conn, "audit_log"));
        let empty = NoteDetails { text: "  ".into(), ..NoteDetails::example() };
        let refused = store.record_contact(folder, &contact, Some(&empty), &clock).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::InvalidInput);
        assert!(matches!(refused, StoreError::Invalid(Invalid { field: "field-note-text", .. })), "{refused:?}");
        assert_eq!((state(&store.conn), count(&store.conn, "changes"), count(&store.conn, "audit_log")), before);
        // So does a folder that does not exist.
        assert!(matches!(store.record_contact(Uuid::nil(), &contact, None, &clock), Err(StoreError::NotFound)));
        assert_eq!((state(&store.conn), count(&store.conn, "changes"), count(&store.conn, "audit_log")), before);
    }

    #[test]
    fn an_anonymous_contact_is_a_folder_of_its_own_that_syncs_and_names_nobody() {
        let clock = ManualClock::at(NOW_MS);
        let mut store = store_as(Role::Mediator);
        let details = AnonymousContactDetails { on: Day::ymd(2026, 11, 26), ..AnonymousContactDetails::example() };
        let id = store.record_anonymous_contact(&details, &clock).unwrap();
        let folder: Uuid = store
            .conn
            .query_row("SELECT folder_id FROM entity_rows WHERE row_id = ?1", [id], |row| row.get(0))
            .unwrap();
        assert_eq!(folder, id);
        let stored: AnonymousContactDetails =
            crate::folder::from_fields(row_fields(&store.conn, Entity::AnonymousContact, id).unwrap()).unwrap();
        assert_eq!(
            stored,
            AnonymousContactDetails { recorded_by: Some(store.operator().account_id), ..details.clone() }
        );
        assert_eq!(count(&store.conn, "person_index"), 0, "no person, nothing to find");
        assert_eq!(store.due_list(&clock).unwrap().items, vec![]);

        let mut office = store_as(Role::Operator);
        sync(&store, &mut office, &clock);
        assert_eq!(
            row_fields(&office.conn, Entity::AnonymousContact, id).unwrap(),
            row_fields(&store.conn, Entity::AnonymousContact, id).unwrap()
        );

        // Bad input: refused naming the field, nothing written.
        let before = count(&store.conn, "changes");
        let nobody = AnonymousContactDetails { people: 0, ..details.clone() };
        let refused = store.record_anonymous_contact(&nobody, &clock).unwrap_err();
        assert!(matches!(refused, StoreError::Invalid(Invalid { field: "field-people", .. })), "{refused:?}");
        assert_eq!(count(&store.conn, "changes"), before);
        let mut reader = crate::store::test_support::as_role(store, Role::StatisticsReader);
        assert_eq!(reader.record_anonymous_contact(&details, &clock).unwrap_err().code(), ErrorCode::NotPermitted);
    }
}

//! The quick contact: an encounter recorded in a few keystrokes, with a known person or with
//! people who gave no name, and what its form offers (the places of the Ambito, who is the
//! mediator).

use porta::folder::Day;
use porta::folder::anonymous_contact::AnonymousContactDetails;
use porta::folder::contact::{ContactDetails, PlaceKind};
use porta::folder::need::NeedCategory;
use porta::folder::note::{Confidentiality, NoteDetails};
use porta::settings::DeskPlace;
use porta::store::Role;
use porta::{ErrorPayload, clock::today_in_rome};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::AppState;

/// What the quick-contact form starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuickContactForm {
    /// Today in Europe/Rome.
    pub today: Day,
    /// The Ambito's offices and outreach places (the settings).
    pub places: Vec<DeskPlace>,
    /// The operator's name when the operator is a mediator: the mediator present.
    pub mediator: Option<String>,
}

/// An encounter as the quick-contact form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuickContactInput {
    /// The person's folder; none for people who gave no name.
    pub person: Option<Uuid>,
    pub on: Day,
    pub place_kind: PlaceKind,
    pub place: Option<String>,
    /// ISO 639 code.
    pub language: Option<String>,
    /// With a known person: how long it took.
    pub duration_minutes: u16,
    /// With people who gave no name: how many they were.
    pub people: u16,
    pub services: Vec<NeedCategory>,
    /// A short note (with a known person, a note in the folder).
    pub note: Option<String>,
}

impl AppState {
    /// What the quick-contact form starts from.
    pub fn quick_contact_form(&self) -> Result<QuickContactForm, ErrorPayload> {
        let clock = self.clock();
        let places = self.settings().places.clone();
        self.reading(|store| {
            let operator = store.operator();
            Ok(QuickContactForm {
                today: Day(today_in_rome(clock.as_ref())),
                places,
                mediator: (operator.role == Role::Mediator).then(|| operator.display_name.clone()),
            })
        })
    }

    /// Records the encounter; answers the contact's id.
    pub fn record_quick_contact(&self, input: QuickContactInput) -> Result<Uuid, ErrorPayload> {
        let clock = self.clock();
        let note = input.note.as_deref().map(str::trim).filter(|note| !note.is_empty()).map(str::to_owned);
        self.writing(|store| match input.person {
            Some(folder) => {
                let mediator = (store.operator().role == Role::Mediator).then(|| store.operator().display_name.clone());
                let contact = ContactDetails {
                    on: input.on,
                    place_kind: input.place_kind,
                    place: input.place,
                    mediator,
                    language: input.language,
                    duration_minutes: input.duration_minutes,
                    services: input.services,
                    recorded_by: None,
                };
                let note = note.map(|text| NoteDetails { text, confidentiality: Confidentiality::Normal });
                store.record_contact(folder, &contact, note.as_ref(), clock.as_ref())
            }
            None => {
                let contact = AnonymousContactDetails {
                    on: input.on,
                    place_kind: input.place_kind,
                    place: input.place,
                    language: input.language,
                    people: input.people,
                    services: input.services,
                    note,
                    recorded_by: None,
                };
                store.record_anonymous_contact(&contact, clock.as_ref())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use porta::ErrorCode;
    use porta::folder::person::PersonDetails;

    use super::*;

    fn input(person: Option<Uuid>, today: Day) -> QuickContactInput {
        QuickContactInput {
            person,
            on: today,
            place_kind: PlaceKind::Outdoor,
            place: Some("Borgo Mezzanone".into()),
            language: Some("fr".into()),
            duration_minutes: 15,
            people: 4,
            services: vec![NeedCategory::HealthAccess],
            note: Some("  Torna giovedì  ".into()),
        }
    }

    #[test]
    fn a_quick_contact_lands_in_the_folder_with_its_note_or_stands_alone_and_bad_input_is_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::tests::unlocked_admin(&dir);
        let form = state.quick_contact_form().unwrap();
        assert_eq!(form.mediator, None, "the administrator is no mediator");
        let id =
            state.create_person(&PersonDetails { given_names: "Amina".into(), ..PersonDetails::default() }).unwrap();

        let contact = state.record_quick_contact(input(Some(id), form.today)).unwrap();
        let folder = state.open_folder(id).unwrap().folder;
        assert_eq!(folder.contacts[0].id, contact);
        assert_eq!(folder.contacts[0].details.duration_minutes, 15);
        assert_eq!(folder.notes[0].details.text, "Torna giovedì", "the note, trimmed");

        let anonymous = state.record_quick_contact(input(None, form.today)).unwrap();
        assert_ne!(anonymous, contact);

        let tomorrow = Day(form.today.0.succ_opt().unwrap());
        let refused = state.record_quick_contact(input(None, tomorrow)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(refused.message.contains("Data"), "names the field: {}", refused.message);
        let none = QuickContactInput { people: 0, ..input(None, form.today) };
        let refused = state.record_quick_contact(none).unwrap_err();
        assert!(refused.message.contains("Persone incontrate"), "names the field: {}", refused.message);
    }
}

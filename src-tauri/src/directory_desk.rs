//! The directory of the territory's services at the desk: everyone reads it (referrals name
//! its services, the letter prints where to find them), administrators keep it.

use porta::ErrorPayload;
use porta::folder::mediator::MediatorDetails;
use porta::folder::organisation::OrganisationDetails;
use porta::folder::{Row, parse_section};
use porta::store::{Permission, StoreError};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::AppState;
use crate::desk::RowDetails;

/// The directory as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryView {
    /// Every service, closed ones included, by name.
    pub services: Vec<Row<OrganisationDetails>>,
    /// The Ambito's mediators, by name.
    pub mediators: Vec<Row<MediatorDetails>>,
    /// Whether the operator at the keyboard may add and change services.
    pub may_keep: bool,
}

impl AppState {
    /// The directory of services.
    pub fn directory(&self) -> Result<DirectoryView, ErrorPayload> {
        self.reading(|store| {
            Ok(DirectoryView {
                services: store.directory()?,
                mediators: store.mediators()?,
                may_keep: store.operator().role.may(Permission::KeepDirectory),
            })
        })
    }

    /// Adds a service (no `id`) or changes one, from the JSON its form sends; answers its id.
    pub fn save_organisation(&self, id: Option<Uuid>, details: RowDetails) -> Result<Uuid, ErrorPayload> {
        let RowDetails(details) = details;
        let clock = self.clock();
        self.writing(|store| {
            let details: OrganisationDetails = parse_section(details).map_err(StoreError::Invalid)?;
            store.save_organisation(id, &details, clock.as_ref())
        })
    }

    /// Adds a mediator (no `id`) or changes one, from the JSON its form sends; answers its id.
    pub fn save_mediator(&self, id: Option<Uuid>, details: RowDetails) -> Result<Uuid, ErrorPayload> {
        let RowDetails(details) = details;
        let clock = self.clock();
        self.writing(|store| {
            let details: MediatorDetails = parse_section(details).map_err(StoreError::Invalid)?;
            store.save_mediator(id, &details, clock.as_ref())
        })
    }
}

#[cfg(test)]
mod tests {
    use porta::ErrorCode;

    use super::*;

    #[test]
    fn the_administrator_keeps_the_directory_and_a_wrong_value_is_refused_naming_its_field() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::tests::unlocked_admin(&dir);
        let example = serde_json::to_value(OrganisationDetails::example()).unwrap();
        let id = state.save_organisation(None, RowDetails(example.clone())).unwrap();
        let view = state.directory().unwrap();
        assert!(view.may_keep);
        assert_eq!(view.services.iter().map(|row| row.id).collect::<Vec<_>>(), vec![id]);

        let mut unknown_kind = example;
        unknown_kind["kind"] = "bakery".into();
        let refused = state.save_organisation(Some(id), RowDetails(unknown_kind)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(refused.message.contains("Tipo"), "{}", refused.message);
        assert_eq!(state.directory().unwrap(), view, "nothing changed");

        let mut amina = serde_json::to_value(porta::folder::mediator::MediatorDetails::example()).unwrap();
        let mediator = state.save_mediator(None, RowDetails(amina.clone())).unwrap();
        assert_eq!(state.directory().unwrap().mediators[0].id, mediator);
        amina["weekdays"] = serde_json::json!(["someday"]);
        let refused = state.save_mediator(Some(mediator), RowDetails(amina)).unwrap_err();
        assert!(refused.message.contains("Giorni"), "{}", refused.message);
    }
}

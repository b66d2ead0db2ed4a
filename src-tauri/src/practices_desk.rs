//! Practices at the desk: the templates this operator may start one from (with their
//! checklist and the documents to bring), starting one, and the lists of open practices by
//! operator in charge, by service and by deadline.

use porta::ErrorPayload;
use porta::store::{PracticeFilter, PracticeList, Role};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::AppState;

/// A procedure template as the practice screens use it; every id is labelled in Fluent
/// (`procedure-<id>`, `step-<id>`, `document-<id>`, `value-need_category-<category>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProcedureView {
    pub id: String,
    /// The service it belongs to: a need category.
    pub category: String,
    /// The checklist, in order.
    pub steps: Vec<String>,
    /// What the person must bring.
    pub documents: Vec<String>,
    /// Its practices are health-restricted content.
    pub health_restricted: bool,
}

/// An operator of the office, as the lists offer to choose one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Colleague {
    /// The account id practices and appointments name.
    pub id: Uuid,
    pub display_name: String,
    pub role: Role,
    /// The operator at the keyboard.
    pub me: bool,
}

impl AppState {
    /// The templates this operator may start a practice from.
    pub fn practice_templates(&self) -> Result<Vec<ProcedureView>, ErrorPayload> {
        self.reading(|store| {
            Ok(store
                .practice_templates()
                .into_iter()
                .map(|template| ProcedureView {
                    id: template.id.clone(),
                    category: template.category.clone(),
                    steps: template.steps.clone(),
                    documents: template.documents.clone(),
                    health_restricted: template.health_restricted,
                })
                .collect())
        })
    }

    /// Starts a practice of `template` in `folder` today; answers its id.
    pub fn start_practice(&self, folder: Uuid, template: &str) -> Result<Uuid, ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.start_practice(folder, template, clock.as_ref()))
    }

    /// The open practices a filter asks for, nearest deadline first.
    pub fn open_practices(&self, filter: &PracticeFilter) -> Result<PracticeList, ErrorPayload> {
        let clock = self.clock();
        self.reading(|store| store.open_practices(filter, clock.as_ref()))
    }

    /// The operators of this device's office that are not disabled, the one at the keyboard
    /// first.
    pub fn colleagues(&self) -> Result<Vec<Colleague>, ErrorPayload> {
        self.reading(|store| {
            let me = store.operator().account_id;
            let mut colleagues: Vec<Colleague> = store
                .operators()?
                .into_iter()
                .map(|operator| Colleague {
                    id: operator.account_id,
                    me: operator.account_id == me,
                    display_name: operator.display_name,
                    role: operator.role,
                })
                .collect();
            colleagues.sort_by(|a, b| b.me.cmp(&a.me).then_with(|| a.display_name.cmp(&b.display_name)));
            Ok(colleagues)
        })
    }
}

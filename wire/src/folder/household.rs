//! A household: the people who live with the person whose folder it is (its head).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Entity, Invalid, Section};

/// How a member is related to the head of the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Partner,
    Child,
    Parent,
    Sibling,
    Other,
}

/// One member of the household headed by the folder's person. The member has a folder of
/// their own; this row links the two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HouseholdMemberDetails {
    /// The member's folder (person) id.
    pub member: Uuid,
    pub relation: Relation,
}

impl HouseholdMemberDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        HouseholdMemberDetails { member: Uuid::nil(), relation: Relation::Child }
    }
}

impl Section for HouseholdMemberDetails {
    const ENTITY: Entity = Entity::HouseholdMember;

    fn validated(&self, _today: crate::calendar::Date) -> Result<Self, Invalid> {
        Ok(self.clone())
    }

    fn people(&self) -> Vec<Uuid> {
        vec![self.member]
    }
}

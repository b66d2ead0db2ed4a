//! A household: the people who live with the person whose folder it is (its head).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Day, Entity, Invalid, Section, not_in_future};

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
    /// For a child adopted or in foster care: the day they came into the family, from which
    /// the maternity cheque's six months run instead of the birth.
    #[serde(default)]
    pub arrived_on: Option<Day>,
}

impl HouseholdMemberDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        HouseholdMemberDetails { member: Uuid::nil(), relation: Relation::Child, arrived_on: None }
    }
}

impl Section for HouseholdMemberDetails {
    const ENTITY: Entity = Entity::HouseholdMember;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-arrived-on", self.arrived_on, today)?;
        Ok(self.clone())
    }

    fn people(&self) -> Vec<Uuid> {
        vec![self.member]
    }
}

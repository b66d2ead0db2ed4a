//! The change-log entry: one field written once, what a device's log holds and sync carries.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::folder::Entity;
use crate::hlc::Hlc;

/// The highest sequence number a device's entry may have (2^40 - 1, a trillion writes): a
/// device's store keys its log by the device and the number in one integer.
pub const MAX_SEQ: u64 = (1 << 40) - 1;

/// One field written once: what the change log holds and sync carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEntry {
    pub op_id: Uuid,
    pub device_id: Uuid,
    /// Gapless per device, from 1.
    pub seq: u64,
    /// `<13-digit ms>-<8-digit counter>-<device id, 32 hex>`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub hlc: Hlc,
    pub operator_id: Uuid,
    pub entity: Entity,
    pub row_id: Uuid,
    /// The folder (person) the row belongs to.
    pub folder_id: Uuid,
    pub field: String,
    /// The new value, as JSON.
    pub value: serde_json::Value,
    /// The HLC of the value this one replaced, if any: tells concurrent writes apart.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub base: Option<Hlc>,
    /// Other timestamps the writer saw and replaced knowingly: the versions a conflict's
    /// resolution settles, the values a delete removed (see `conflicts`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub saw: Vec<Hlc>,
    pub schema_version: u32,
}

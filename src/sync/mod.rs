//! Sync between devices and the Ambito's server. `protocol` is the wire format both sides
//! share; the server (`porta-server`) stores and hands out entries, the store applies them.

pub mod client;
pub mod protocol;
pub mod signing;

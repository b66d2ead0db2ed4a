//! Sync between devices and the Ambito's server. `protocol` is the wire format both sides
//! share and `signing` how a device proves who it is; `client` runs one round (push, then
//! pull) and `engine` runs rounds in the background. The server (`porta-server`) stores and
//! hands out entries; the store applies them.

pub mod client;
pub mod engine;
pub mod protocol;
pub mod signing;

//! Sync between devices and the Ambito's server. `protocol` is the wire format both sides
//! share (from `porta-wire`), `signing` how a device proves who it is and `pinning` how it knows its server; `client` runs one round (push, then
//! pull) and `engine` runs rounds in the background. The server (`porta-server`) stores and
//! hands out entries; the store applies them.

pub mod client;
pub mod engine;
pub mod pinning;
pub mod pull_meter;
pub mod server_time;

pub use porta_wire::{protocol, signing};

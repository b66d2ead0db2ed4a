//! The server's integration suite, one test binary: each module below was a test file of its
//! own, and each of those was the whole server and the whole library linked again — seventeen
//! times for Linux, seventeen times for the Windows build. One module per concern still; the
//! real server on a loopback port and real SQLCipher devices throughout (`common`).

mod common;
#[path = "../../../tests/support/conflict_rule.rs"]
mod conflict_rule;

mod cli;
mod clocks;
mod convergence;
mod crafted_entries;
mod device_crash;
mod enrollment;
mod faults;
mod health;
mod openapi;
mod operators;
mod scans;
mod scopes;
mod stp_eni;
mod sync;
mod tls;
mod updates;

//! What the installers' checks share: running a tool, waiting for what a started program
//! should do, and saying what was expected when it was not found.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs `command`; an exit status other than 0 is an error with what it printed.
pub fn run(command: &mut Command) -> Result<Output, String> {
    let out = command.output().map_err(|error| format!("cannot run {command:?}: {error}"))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{command:?} ended with {}:\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// What `command` printed, when it succeeds.
pub fn said(command: &mut Command) -> Result<String, String> {
    run(command).map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether `done` came to hold within `patience`, asked every half second.
pub fn holds_within(patience: Duration, done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + patience;
    let mut held = done();
    while !held && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        held = done();
    }
    held
}

/// `Ok` when `holds`, else an error saying `what` was expected and what was `found`.
pub fn expect(holds: bool, what: &str, found: &dyn std::fmt::Display) -> Result<(), String> {
    if holds { Ok(()) } else { Err(format!("expected: {what}; found:\n{found}")) }
}

/// `Ok` when a line of what a program `said` is `line`.
pub fn expect_line(said: &str, line: &str, what: &str) -> Result<(), String> {
    expect(said.lines().any(|said| said.trim() == line), &format!("{what} says \"{line}\""), &said)
}

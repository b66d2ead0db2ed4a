//! Running the checks of `cargo xtask test` one after another and summing them up.

use std::process::Command;
use std::time::{Duration, Instant};

/// One check: a command that passes when it exits with status 0.
pub struct Step {
    name: &'static str,
    command: Command,
    /// When a required step fails, the steps after it cannot mean anything and are not run.
    required: bool,
}

impl Step {
    pub fn new(name: &'static str, command: Command) -> Self {
        Self { name, command, required: false }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

enum Outcome {
    Passed(Duration),
    Failed(Duration, String),
    NotRun,
}

/// Runs `command` with its output shown; an error names `what` failed.
pub fn must(mut command: Command, what: &str) -> Result<(), String> {
    let status = command.status().map_err(|error| format!("cannot {what}: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("could not {what} ({status})")) }
}

/// Runs every step, prints a summary table, and fails if any step failed.
pub fn run_steps(steps: Vec<Step>) -> Result<(), String> {
    let mut results: Vec<(&'static str, Outcome)> = Vec::new();
    let mut stop = false;
    for mut step in steps {
        if stop {
            results.push((step.name, Outcome::NotRun));
            continue;
        }
        eprintln!("\n==> {}", step.name);
        let started = Instant::now();
        let outcome = match step.command.status() {
            Ok(status) if status.success() => Outcome::Passed(started.elapsed()),
            Ok(status) => Outcome::Failed(started.elapsed(), status.to_string()),
            Err(error) => Outcome::Failed(started.elapsed(), format!("could not start: {error}")),
        };
        if matches!(outcome, Outcome::Failed(..)) && step.required {
            stop = true;
        }
        results.push((step.name, outcome));
    }

    let passed = results.iter().filter(|(_, outcome)| matches!(outcome, Outcome::Passed(_))).count();
    let failed = results.len() - passed;
    eprintln!("\nSummary of cargo xtask test");
    eprintln!("{:-<78}", "");
    for (name, outcome) in &results {
        let (status, detail) = match outcome {
            Outcome::Passed(took) => ("ok", format!("{:.1} s", took.as_secs_f64())),
            Outcome::Failed(took, why) => ("FAILED", format!("{:.1} s, {why}", took.as_secs_f64())),
            Outcome::NotRun => ("not run", "an earlier required step failed".to_owned()),
        };
        eprintln!("{status:>8}  {name:<58} {detail}");
    }
    eprintln!("{:-<78}", "");
    // The plain closing line that CI reads.
    println!("steps: {passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} step(s) failed; scroll up to the first FAILED step's output"))
    }
}

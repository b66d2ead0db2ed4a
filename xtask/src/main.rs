//! The README's commands. `cargo xtask run` opens Porta; `cargo xtask test` runs every check.
//!
//! Both install what is missing first (system packages, npm packages, test tools), so a
//! newcomer on a fresh Debian or Ubuntu machine with Rust and Node needs nothing else.

// The summary line is for people and CI alike, on standard output.
#![allow(clippy::print_stdout)]

mod checking;
mod linux_update_check;
mod prerequisites;
mod release_key;
mod steps;
mod windows;
mod windows_check;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use prerequisites::Needs;
use steps::{Step, run_steps};

const USAGE: &str = "\
usage: cargo xtask <command>

  run        install what is missing, build the UI and open Porta
  run --demo [PERSONS]
             the same with a demo data folder of synthetic people (3,000 unless
             PERSONS says otherwise), unlocked with the passphrase the window shows
  test       every check: format, lint, types, Rust and UI tests, end-to-end tests of the window
  bundle     build the Linux .deb installer (target/release/bundle/deb/)
  bundle --windows [--check]
             cross-build Porta for 64-bit Windows and make its two installers,
             signed, in target/windows/: the per-user setup program (NSIS) and
             the MSI package; --check then checks them under Wine as CI does
  update-check
             the Linux update round trip that `test` runs: installs this build's
             .deb, has it update itself to the next version, and removes it
             (as root, or through sudo)
  bindings   rewrite ui/src/bindings/ from the Rust types after changing them
  bench      the benchmark suite in release mode: writes BENCHMARKS.md and
             target/bench/results.json (about 15 minutes on 2 cores)
  bench --quick
             a CI-sized check that every benchmark works (2,000 persons, the
             test build's dev profile): writes only target/bench/results.json
  demo DIR [PERSONS]
             a data folder full of synthetic folders to try Porta with
             (then: PORTA_DATA_DIR=DIR cargo xtask run)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let root = workspace_root();
    let outcome = match command.as_str() {
        "run" => run(&root, std::env::args().skip(2).filter(|arg| arg != "--").collect()),
        "test" => test(&root),
        "bundle" => {
            let options: Vec<String> = std::env::args().skip(2).collect();
            if options.iter().any(|option| option == "--windows") {
                bundle_windows(&root, options.iter().any(|option| option == "--check"))
            } else {
                bundle(&root)
            }
        }
        "update-check" => linux_update_check::check(&root),
        "bindings" => bindings(&root),
        "bench" => bench(&root, std::env::args().nth(2).as_deref() == Some("--quick")),
        "demo" => demo(&root, std::env::args().nth(2), std::env::args().nth(3)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The version this checkout builds: xtask's is the workspace's, which every crate of Porta
/// shares.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The release after this one (its patch number raised), which the update checks build from
/// this same source.
fn next_version() -> Result<String, String> {
    let current: porta_wire::update::Version =
        VERSION.parse().map_err(|_| format!("the version {VERSION} is not MAJOR.MINOR.PATCH"))?;
    Ok(porta_wire::update::Version { patch: current.patch + 1, ..current }.to_string())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ lives in the workspace root").to_path_buf()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when it is set (CI keeps its builds
/// outside the clone, see `.ci/run`), else the workspace's `target/`. What is not cargo's
/// (the end-to-end environment, Wine prefixes, the installers, the benchmark results) stays
/// in the workspace's `target/` either way.
fn cargo_output_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir))
}

/// A command run from the workspace root (or a folder below it).
/// Every build it runs compiles in the same release key (`release_key`), so that no two
/// steps build the app differently.
fn cmd(root: &Path, dir: &str, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(root.join(dir));
    // `cargo xtask` runs with xtask's manifest folder in the environment, and some build
    // scripts (ring's) are rebuilt when it changes: without it, what a step builds is what a
    // build by hand finds already built, and the other way round.
    command.env_remove("CARGO_MANIFEST_DIR");
    if let Some(public) = release_key::public_hex_for_builds(root) {
        command.env(release_key::PUBLIC_KEY_VARIABLE, public);
    }
    command
}

/// The benchmark suite (`bench/`). A full run is built in release mode and rewrites
/// BENCHMARKS.md. A quick run checks that every benchmark works: it reuses the test build
/// (dev profile, so its figures are not comparable with a full run's and say so in the JSON)
/// and fails only if a benchmark errors, never on a missed target. Both time the desktop
/// app's cold start in the real window, so both run under Xvfb with tauri-driver.
fn bench(root: &Path, quick: bool) -> Result<(), String> {
    prerequisites::ensure(root, Needs::Tests)?;
    // The peers run on Node (installed with the UI's prerequisites) from their own lock file.
    steps::must(cmd(root, "bench/peers", "npm", &["ci", "--no-audit", "--no-fund"]), "install the peers (npm ci)")?;
    // The desktop app embeds ui/dist at compile time.
    steps::must(cmd(root, "ui", "npm", &["run", "build"]), "build the UI")?;
    // The suite starts `porta-bootstrap` and the app as processes of their own: build every
    // binary first. The quick build is the test step's, so CI builds nothing twice.
    let (builds, profile): (&[&[&str]], &str) = if quick {
        (
            &[
                &["build", "--workspace", "--exclude", "porta-bench", "--bins", "--tests"],
                &["build", "--package", "porta-bench", "--bins"],
            ],
            "debug",
        )
    } else {
        (
            &[
                &["build", "--release", "--package", "porta-bench", "--bins"],
                &["build", "--release", "--package", "porta-desktop", "--bin", "porta-desktop"],
            ],
            "release",
        )
    };
    for build in builds {
        steps::must(cmd(root, ".", "cargo", build), "build the benchmark suite and the app")?;
    }
    let target = cargo_output_dir(root).join(profile);
    let suite = target.join("porta-bench");
    let app = target.join("porta-desktop");
    let mut args = vec![
        "--auto-servernum",
        "--server-args=-screen 0 1280x900x24",
        suite.to_str().ok_or("the target folder's path is not UTF-8")?,
        "--app",
        app.to_str().ok_or("the target folder's path is not UTF-8")?,
    ];
    if quick {
        args.push("--quick");
    }
    steps::must(cmd(root, ".", "xvfb-run", &args), "run the benchmark suite")
}

fn demo(root: &Path, dir: Option<String>, persons: Option<String>) -> Result<(), String> {
    let dir = dir.ok_or("give the data folder to fill: cargo xtask demo /tmp/porta-demo [PERSONS]")?;
    let persons = persons.unwrap_or_else(|| "1000".into());
    let args = [
        "run",
        "--release",
        "--package",
        "porta-bench",
        "--bin",
        "porta-demo",
        "--",
        "--data-dir",
        &dir,
        "--persons",
        &persons,
    ];
    steps::must(cmd(root, ".", "cargo", &args), "fill the demo data folder")
}

/// Opens Porta; `app_args` go to the app (`--demo`, `--demo 100000`).
fn run(root: &Path, app_args: Vec<String>) -> Result<(), String> {
    prerequisites::ensure(root, Needs::App)?;
    steps::must(cmd(root, "ui", "npm", &["run", "build"]), "build the UI")?;
    let mut args = vec!["run", "--package", "porta-desktop", "--bin", "porta-desktop", "--"];
    args.extend(app_args.iter().map(String::as_str));
    steps::must(cmd(root, ".", "cargo", &args), "start Porta")
}

fn bundle(root: &Path) -> Result<(), String> {
    prerequisites::ensure(root, Needs::App)?;
    steps::must(cmd(root, "ui", "npm", &["run", "build"]), "build the UI")?;
    // The Tauri CLI comes from the UI's npm packages and finds src-tauri/ from the root.
    let tauri_cli = root.join("ui/node_modules/.bin/tauri");
    let tauri_cli = tauri_cli.to_str().expect("UTF-8 path");
    steps::must(cmd(root, ".", tauri_cli, &["build", "--bundles", "deb"]), "build the .deb")?;
    // Each package with its release statement, for `porta-server updates publish`.
    let key = release_key::ReleaseKey::load(root)?;
    let folder = cargo_output_dir(root).join("release/bundle/deb");
    let packages = std::fs::read_dir(&folder).map_err(|error| format!("cannot read {}: {error}", folder.display()))?;
    for package in packages.flatten().map(|entry| entry.path()) {
        if package.extension().is_some_and(|extension| extension == "deb") {
            let statement = key.sign_installer(&package, porta_wire::update::UpdateTarget::LinuxDeb, VERSION)?;
            println!("{}\n{}", package.display(), statement.display());
        }
    }
    if key.development {
        eprintln!("Release statements signed with this checkout's development key: not for offices.");
    }
    Ok(())
}

/// The Windows installers, signed with the release certificate when one is given (see
/// `windows::Signing`), and with `check` the checks CI runs on them.
fn bundle_windows(root: &Path, check: bool) -> Result<(), String> {
    let signing = windows::Signing::from_env_or_throw_away(root)?;
    let bundle = windows::bundle(root, &signing)?;
    if check {
        windows_check::check(root, &bundle, &signing)?;
    }
    println!("{}\n{}", bundle.setup.display(), bundle.msi.display());
    Ok(())
}

fn bindings(root: &Path) -> Result<(), String> {
    let mut bless = cmd(root, ".", "cargo", &["test", "--workspace", "--exclude", "porta-bench", "--test", "bindings"]);
    bless.env("PORTA_BLESS_BINDINGS", "1");
    steps::must(bless, "write ui/src/bindings")?;
    println!("ui/src/bindings rewritten: review and commit the changes.");
    Ok(())
}

fn test(root: &Path) -> Result<(), String> {
    prerequisites::ensure(root, Needs::Tests)?;
    let nextest = Command::new("cargo").args(["nextest", "--version"]).output().is_ok_and(|out| out.status.success());
    let rust_tests = if nextest {
        cmd(root, ".", "cargo", &["nextest", "run", "--workspace", "--exclude", "porta-bench", "--no-fail-fast"])
    } else {
        cmd(root, ".", "cargo", &["test", "--workspace", "--exclude", "porta-bench", "--no-fail-fast"])
    };
    // The benchmarks enable the library's unencrypted store: built on their own, so that the
    // feature never reaches the app the end-to-end tests drive.
    let bench_tests = if nextest {
        cmd(root, ".", "cargo", &["nextest", "run", "--package", "porta-bench"])
    } else {
        cmd(root, ".", "cargo", &["test", "--package", "porta-bench"])
    };
    // The library's, the app's and the server's tests (the real porta-server.exe and real
    // SQLCipher devices on loopback) built for 64-bit Windows with MinGW-w64 as the installers
    // are, with the same profile and selection (`windows::cargo`), so that one optimised build
    // serves both, and run under Wine: the store, the keys, the rules, sync, on Windows' file
    // system. The convergence property runs 250 cases on Linux; under Wine a case takes almost
    // a second, so 60 there.
    let mut windows_tests = windows::cargo(root, "test", &["--lib", "--test", "suite", "--no-fail-fast"]);
    windows_tests
        .env("WINEPREFIX", prerequisites::wine_prefix_path(root))
        .env("WINEDEBUG", "-all")
        .env("USER", prerequisites::WINDOWS_TEST_USER)
        .env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER", "wine")
        .env("PORTA_CONVERGENCE_CASES", "60");
    let python = prerequisites::e2e_python(root);
    let debug = cargo_output_dir(root).join("debug");
    let mut e2e = cmd(
        root,
        ".",
        "xvfb-run",
        &[
            "--auto-servernum",
            "--server-args=-screen 0 1280x900x24",
            python.to_str().expect("UTF-8 path"),
            "-m",
            "pytest",
            "e2e",
            "-v",
        ],
    );
    e2e.env("PORTA_E2E_APP", debug.join("porta-desktop"))
        .env("PORTA_E2E_SERVER", debug.join("porta-server"))
        .env("PORTA_E2E_BOOTSTRAP", debug.join("porta-bootstrap"));

    let steps = vec![
        Step::new("format (cargo fmt --check)", cmd(root, ".", "cargo", &["fmt", "--all", "--", "--check"])),
        // The desktop crate embeds ui/dist at compile time: the UI is built before any Rust.
        Step::new("UI build (vite)", cmd(root, "ui", "npm", &["run", "build"])).required(),
        Step::new(
            "lint (cargo clippy -D warnings)",
            cmd(root, ".", "cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        ),
        // In the workspace the server's dependencies get the desktop library's features too:
        // this checks that it builds with its own, as its release build does.
        Step::new(
            "the server builds on its own (without the desktop library)",
            cmd(root, ".", "cargo", &["check", "--package", "porta-server", "--lib", "--bins"]),
        ),
        Step::new(
            "generated TypeScript bindings are current",
            // The same packages as the full test run below, so nothing is built twice.
            cmd(root, ".", "cargo", &["test", "--workspace", "--exclude", "porta-bench", "--test", "bindings"]),
        ),
        Step::new(if nextest { "Rust tests (cargo nextest)" } else { "Rust tests (cargo test)" }, rust_tests),
        Step::new("benchmark suite's tests (porta-bench on its own)", bench_tests),
        Step::new("UI types (tsc --noEmit)", cmd(root, "ui", "npx", &["tsc", "--noEmit"])),
        Step::new("UI lint (biome ci)", cmd(root, "ui", "npx", &["biome", "ci"])),
        Step::new("UI component tests (vitest)", cmd(root, "ui", "npx", &["vitest", "run"])),
        // Built with the same targets as the tests so cargo resolves the same features and
        // reuses what the test build compiled (a plain `cargo build -p porta-desktop` would
        // rebuild dependencies with the test-only features switched off).
        Step::new(
            "desktop app build",
            cmd(root, ".", "cargo", &["build", "--workspace", "--exclude", "porta-bench", "--bins", "--tests"]),
        )
        .required(),
        // The office that already worked, for the end-to-end test of a long first pull; the
        // benchmark suite's tests above built the same library, so this only links it.
        Step::new(
            "end-to-end tests' helper (porta-bootstrap)",
            cmd(root, ".", "cargo", &["build", "--package", "porta-bench", "--bin", "porta-bootstrap"]),
        ),
        Step::new("end-to-end tests of the real window (Xvfb, tauri-driver)", e2e),
        // After the window's tests, which drive the same debug build this packages.
        Step::new(
            "Linux update: the installed .deb updates itself through apt, a changed one is refused",
            cmd(root, ".", "cargo", &["xtask", "update-check"]),
        ),
        Step::new("Windows build: the library's, the app's and the server's tests under Wine", windows_tests),
        Step::new(
            "Windows installers: built, signed, checked, installed and removed under Wine",
            cmd(root, ".", "cargo", &["xtask", "bundle", "--windows", "--check"]),
        ),
    ];
    run_steps(steps)
}

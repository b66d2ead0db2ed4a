//! The shell's commands come from one list: the `#[tauri::command]` functions of
//! `src/commands.rs`. From it this script
//! - declares each command, so that each is a permission the window must be granted;
//! - writes the window's capability, which grants exactly those commands and nothing else;
//! - writes the invoke handler that registers them (`lib.rs` includes it);
//! - writes the table of their argument and answer types (`commands.rs` includes it), from
//!   which `bindings.rs` writes the UI's typed calls.
//!
//! A command added to `commands.rs` is therefore registered, granted and typed in the UI
//! without touching any other list.
//!
//! It also gives the app its version (`PORTA_APP_VERSION`, read as `porta_desktop::APP_VERSION`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

#[path = "src/command_list.rs"]
mod command_list;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    let source_path = manifest_dir.join("src").join("commands.rs");
    println!("cargo:rerun-if-changed={}", source_path.display());
    println!("cargo:rerun-if-changed=src/command_list.rs");
    let source = fs::read_to_string(&source_path).expect("src/commands.rs is readable");
    let commands = command_list::parse(&source).unwrap_or_else(|problem| panic!("src/commands.rs: {problem}"));

    let capabilities_dir = out_dir.join("capabilities");
    fs::create_dir_all(&capabilities_dir).expect("OUT_DIR is writable");
    fs::write(capabilities_dir.join("main-window.json"), command_list::capability(&commands))
        .expect("OUT_DIR is writable");

    let mut handler = String::from("tauri::generate_handler![\n");
    for command in &commands {
        writeln!(handler, "    commands::{},", command.name).expect("writing to a String cannot fail");
    }
    handler.push(']');
    fs::write(out_dir.join("invoke_handler.rs"), handler).expect("OUT_DIR is writable");
    fs::write(out_dir.join("command_table.rs"), command_list::table(&commands)).expect("OUT_DIR is writable");

    println!("cargo:rustc-env=PORTA_APP_VERSION={}", app_version());

    let names: Vec<&'static str> = commands.iter().map(|command| &*command.name.clone().leak()).collect();
    let pattern: &'static str = format!("{}/*.json", capabilities_dir.display()).leak();
    let manifest = tauri_build::AppManifest::new().commands(names.leak());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest).capabilities_path_pattern(pattern))
        .expect("the Tauri configuration and capabilities are valid");
}

/// The app's version as Tauri gives it to the app: its configuration's, which
/// `tauri.conf.json` leaves to the crate's and a build may raise with `TAURI_CONFIG` (the
/// Windows check builds "the next release" so, without editing the checkout). The installers,
/// `--version` and the updater then all speak of the same version.
fn app_version() -> String {
    println!("cargo:rerun-if-env-changed=TAURI_CONFIG");
    let raised = env::var("TAURI_CONFIG").ok().and_then(|config| {
        let config: serde_json::Value = serde_json::from_str(&config).expect("TAURI_CONFIG is JSON");
        config.get("version")?.as_str().map(str::to_owned)
    });
    raised.unwrap_or_else(|| env::var("CARGO_PKG_VERSION").expect("cargo sets it"))
}

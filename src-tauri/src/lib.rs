//! Porta's desktop shell: the Tauri window around the React UI.
//!
//! This is the only crate that knows Tauri. Commands translate between the UI and the `porta`
//! library and hold no logic of their own; what they do lives in [`AppState`], which is plain
//! Rust and tested without a window.

pub mod administration;
pub mod app_info;
pub mod bindings;
#[cfg(test)]
mod command_list;
pub mod commands;
pub mod demo_mode;
pub mod desk;
pub mod state;

use std::path::PathBuf;

use tauri::Manager;

pub use app_info::AppInfo;
pub use state::AppState;

/// How often the idle lock is checked.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(15);

/// The environment variable that overrides the data folder (tests, portable installs).
pub const DATA_DIR_VARIABLE: &str = "PORTA_DATA_DIR";

/// Opens the Porta window and runs until it is closed.
pub fn run() {
    init_tracing();
    if porta::store::UNENCRYPTED_STORE_BUILT {
        eprintln!(
            "This build of Porta includes the benchmarks' unencrypted store and must not be used: \
             build the app alone with `cargo build -p porta-desktop` (or `cargo xtask run`)."
        );
        std::process::exit(3);
    }
    let data_dir = std::env::var_os(DATA_DIR_VARIABLE).map(PathBuf::from);
    let state = match AppState::open(data_dir, std::sync::Arc::new(porta::clock::SystemClock)) {
        Ok(state) => state,
        Err(error) => {
            tracing::error!(%error, "no data folder");
            eprintln!("{}", error.message_it());
            std::process::exit(2);
        }
    };
    // `--demo [N]`: the demo's own folder, filled with N synthetic people on first use.
    if let Some(people) = demo_mode::requested(std::env::args())
        && let Err(error) = state.begin_demo(people)
    {
        eprintln!("{}", error.message);
        std::process::exit(2);
    }

    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch brings the open window forward instead of opening the
            // encrypted database twice.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .manage(state)
        .setup(|app| {
            // Sync runs in the background for as long as the app does.
            tauri::async_runtime::spawn(app.state::<AppState>().sync_engine());
            // Locks the store after the idle time even when the window is left alone.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(IDLE_CHECK);
                    if handle.state::<AppState>().lock_if_idle() {
                        tracing::info!("store locked after the idle time");
                    }
                }
            });
            Ok(())
        })
        // Every `#[tauri::command]` of commands.rs (written by build.rs).
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/invoke_handler.rs")))
        .run(tauri::generate_context!())
        .expect("the Porta window could not be opened");
}

/// Logs to standard error, filtered by `RUST_LOG` (default: warnings). Never personal data.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

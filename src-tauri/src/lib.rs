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
pub mod directory_desk;
pub mod practices_desk;
pub mod quick_contact;
pub mod self_update;
pub mod state;
pub mod stp_eni_desk;

use std::path::PathBuf;

use tauri::Manager;

pub use app_info::AppInfo;
pub use state::AppState;

/// How often the idle lock is checked.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(15);

/// This build's version: the one Tauri's configuration gives the app (see `build.rs`), which
/// `--version` says, the installers carry and updates are compared with.
pub const APP_VERSION: &str = env!("PORTA_APP_VERSION");

/// The environment variable that overrides the data folder (tests, portable installs).
pub const DATA_DIR_VARIABLE: &str = "PORTA_DATA_DIR";

/// Opens the Porta window and runs until it is closed.
pub fn run() {
    // `--version`: what the office's IT and the installers' checks ask, without a window (so it
    // answers on a machine without WebView2 too).
    if std::env::args().skip(1).any(|arg| arg == "--version" || arg == "-V") {
        use std::io::Write;
        // A release build on Windows has no console: the line goes where the caller redirects it.
        let _ = writeln!(std::io::stdout(), "porta {APP_VERSION}");
        return;
    }
    init_tracing();
    if porta::store::UNENCRYPTED_STORE_BUILT {
        eprintln!(
            "This build of Porta includes the benchmarks' unencrypted store and must not be used: \
             build the app alone with `cargo build -p porta-desktop` (or `cargo xtask run`)."
        );
        std::process::exit(3);
    }
    let data_dir = std::env::var_os(DATA_DIR_VARIABLE).map(PathBuf::from);
    // Held until this Porta ends: while it runs, another Porta started on the same folder
    // installs no update under it.
    let folder = porta::DataDir::resolve(data_dir.clone()).ok();
    let running = folder.as_ref().and_then(|folder| folder.hold_while_running().ok());
    let after_update = match (&folder, &running) {
        (Some(folder), Some(alone)) => self_update::install_waiting(folder, alone),
        _ => None,
    };
    let _running = match after_update {
        None => running,
        Some(mut after_update) => {
            // What starts next takes the data folder over: let go of it first.
            drop(running);
            match after_update.spawn() {
                Ok(_) => return,
                Err(error) => {
                    tracing::error!(%error, "the update was not followed through; this version starts");
                    folder.as_ref().and_then(|folder| folder.hold_while_running().ok())
                }
            }
        }
    };
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
            if let Some(window) = app.get_webview_window("main") {
                // The window's size is known only once it is on screen: checked from beside.
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        if fit_to_screen(&window) {
                            break;
                        }
                    }
                });
            }
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

/// Shrinks the window to the screen it opens on when it is larger (a 1366×768 laptop, or
/// 1280×720 at 125 % scaling, has less room than the first size), and centres it there.
/// Answers whether the window's size was known (it is not until the window is on screen).
fn fit_to_screen(window: &tauri::WebviewWindow) -> bool {
    let (Ok(Some(monitor)), Ok(size)) = (window.current_monitor(), window.outer_size()) else { return false };
    if !(100..=100_000).contains(&size.width) || !(100..=100_000).contains(&size.height) {
        return false;
    }
    let scale = monitor.scale_factor();
    // Without a window manager (or a panel) there is no work area: the whole screen is.
    let work_area = monitor.work_area().size;
    let usable = if work_area.width == 0 || work_area.height == 0 { *monitor.size() } else { work_area };
    let area = usable.to_logical::<f64>(scale);
    let size = size.to_logical::<f64>(scale);
    if size.width > area.width || size.height > area.height {
        let fitted = tauri::LogicalSize::new(size.width.min(area.width), size.height.min(area.height));
        // Centred from the size it is given, not the one it still has.
        let origin = if work_area.width == 0 { *monitor.position() } else { monitor.work_area().position };
        let origin = origin.to_logical::<f64>(scale);
        let place = tauri::LogicalPosition::new(
            origin.x + (area.width - fitted.width) / 2.0,
            origin.y + (area.height - fitted.height) / 2.0,
        );
        if window.set_size(fitted).is_ok() {
            let _ = window.set_position(place);
        }
    }
    true
}

/// Logs to standard error, filtered by `RUST_LOG` (default: warnings). Never personal data.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

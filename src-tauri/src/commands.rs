//! The commands the UI may invoke. Each is granted by name in `capabilities/main-window.json`.

use porta::ErrorPayload;
use tauri::State;

use crate::{AppInfo, AppState};

/// The state of this installation for the header and the About screen.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.app_info()
}

/// Switches the interface language and remembers it in the settings.
#[tauri::command]
#[tracing::instrument(skip_all, fields(locale = %locale))]
pub fn set_locale(state: State<'_, AppState>, locale: String) -> Result<AppInfo, ErrorPayload> {
    state.set_locale(&locale)
}

//! The commands the UI may invoke. Each is granted by name in `capabilities/main-window.json`
//! and is one call into [`AppState`].

use porta::ErrorPayload;
use tauri::State;

use crate::app_info::{ConflictView, FirstRunInput, SetUpDone, SyncView};
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

/// First run: creates the encrypted store and its first administrator.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn set_up(state: State<'_, AppState>, input: FirstRunInput) -> Result<SetUpDone, ErrorPayload> {
    state.set_up(input)
}

/// Unlocks the store with an operator's passphrase.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn unlock(state: State<'_, AppState>, login: String, passphrase: String) -> Result<AppInfo, ErrorPayload> {
    state.unlock(&login, &passphrase)
}

/// Unlocks with the recovery key and sets a new passphrase for `login`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn reset_passphrase(
    state: State<'_, AppState>,
    login: String,
    recovery_key: String,
    new_passphrase: String,
) -> Result<AppInfo, ErrorPayload> {
    state.reset_passphrase(&login, &recovery_key, &new_passphrase)
}

/// First access with an activation code, choosing a passphrase.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn activate(
    state: State<'_, AppState>,
    login: String,
    activation_code: String,
    new_passphrase: String,
) -> Result<AppInfo, ErrorPayload> {
    state.activate(&login, &activation_code, &new_passphrase)
}

/// Locks the store now.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn lock(state: State<'_, AppState>) -> AppInfo {
    state.lock()
}

/// The operator is active: postpones the automatic lock.
#[tauri::command]
pub fn keep_alive(state: State<'_, AppState>) {
    state.keep_alive();
}

/// The conflicts to review, in every folder this operator may read.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn conflicts(state: State<'_, AppState>) -> Result<Vec<ConflictView>, ErrorPayload> {
    state.conflicts()
}

/// Settles one conflict; answers the conflicts still to review.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    entity: porta::folder::Entity,
    row_id: uuid::Uuid,
    topic: String,
    resolution: porta::store::conflicts::Resolution,
) -> Result<Vec<ConflictView>, ErrorPayload> {
    state.resolve_conflict(entity, row_id, &topic, &resolution)
}

/// Where sync stands.
#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> SyncView {
    state.sync_view()
}

/// Starts a sync round now.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn sync_now(state: State<'_, AppState>) -> SyncView {
    state.sync_now()
}

/// Enrolls this device with the Ambito's server using a one-time code.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn enroll_device(
    state: State<'_, AppState>,
    server_url: String,
    code: String,
) -> Result<SyncView, ErrorPayload> {
    state.enroll_device(&server_url, &code).await
}

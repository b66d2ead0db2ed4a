//! The commands the UI may invoke, each one call into [`AppState`].
//!
//! This file is the one list of them: `build.rs` reads every `#[tauri::command]` function here
//! and from it registers the commands, grants them (and nothing else) to the main window, and
//! writes [`COMMANDS`], their argument and answer types, from which `bindings.rs` writes the
//! UI's typed calls. Each command's arguments arrive from the UI in camelCase.

use porta::ErrorPayload;
use tauri::{Manager, State};
use ts_rs::{Config, Dependency, ExportError, TS, TypeVisitor};

use porta::folder::person::{CodiceFiscaleCheck, PersonDetails, StpEniCode};
use porta::folder::{Day, Entity};
use porta::rules::stp_eni::StpEniKind;
use porta::store::{AgendaItem, AgendaQuery, DueList, FolderDocument, PersonHit, PracticeFilter, PracticeList, Role};
use uuid::Uuid;

use crate::administration::{SettingsInput, SettingsView};
use crate::app_info::{ConflictView, FirstRunInput, Secret, SetUpDone, SyncView};
use crate::desk::{AccessView, AttachmentContent, ChangeView, Country, FolderView, PrintedView, RowDetails};
use crate::directory_desk::DirectoryView;
use crate::practices_desk::{Colleague, ProcedureView};
use crate::quick_contact::{QuickContactForm, QuickContactInput};
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

/// Runs `work` on the app's state off the window's thread, for what takes more than a moment:
/// the window keeps drawing and answering meanwhile.
async fn off_the_window<T: Send + 'static>(
    app: tauri::AppHandle,
    work: impl FnOnce(&AppState) -> Result<T, ErrorPayload> + Send + 'static,
) -> Result<T, ErrorPayload> {
    let worker = app.clone();
    tauri::async_runtime::spawn_blocking(move || work(&worker.state::<AppState>())).await.unwrap_or_else(|error| {
        tracing::error!(%error, "a command stopped");
        Err(app.state::<AppState>().internal_error())
    })
}

/// Unlocks the store with an operator's passphrase.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn unlock(app: tauri::AppHandle, login: String, passphrase: Secret) -> Result<AppInfo, ErrorPayload> {
    // Off the window's thread, as every command that opens the store: the key takes a moment
    // to derive, and after an update the first opening migrates the database (seconds for
    // ten thousand folders).
    off_the_window(app, move |state| state.unlock(&login, passphrase.expose())).await
}

/// Unlocks with the recovery key and sets a new passphrase for `login`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reset_passphrase(
    app: tauri::AppHandle,
    login: String,
    recovery_key: Secret,
    new_passphrase: Secret,
) -> Result<AppInfo, ErrorPayload> {
    off_the_window(app, move |state| state.reset_passphrase(&login, recovery_key.expose(), new_passphrase.expose()))
        .await
}

/// First access with an activation code, choosing a passphrase.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn activate(
    app: tauri::AppHandle,
    login: String,
    activation_code: Secret,
    new_passphrase: Secret,
) -> Result<AppInfo, ErrorPayload> {
    off_the_window(app, move |state| state.activate(&login, activation_code.expose(), new_passphrase.expose())).await
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
    code: Secret,
) -> Result<SyncView, ErrorPayload> {
    state.enroll_device(&server_url, code.expose()).await
}

/// Joins this enrolled device to its Ambito's server again (administrators only).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reenroll_device(
    state: State<'_, AppState>,
    server_url: String,
    code: Secret,
) -> Result<SyncView, ErrorPayload> {
    state.reenroll_device(&server_url, code.expose()).await
}

/// First run: tries Porta with synthetic people in a demo data folder of its own.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn try_demo(state: State<'_, AppState>) -> Result<AppInfo, ErrorPayload> {
    state.begin_demo(crate::demo_mode::DEFAULT_DEMO_PEOPLE)
}

/// People matching what was typed in the search box, best first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn find_people(
    state: State<'_, AppState>,
    query: String,
    include_archived: bool,
) -> Result<Vec<PersonHit>, ErrorPayload> {
    state.find_people(&query, include_archived)
}

/// What falls due across the folders this operator may read, overdue first: the Home list.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn due_list(state: State<'_, AppState>) -> Result<DueList, ErrorPayload> {
    state.due_list()
}

/// The appointments of a day across the folders this operator may read, earliest first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn appointments_on(state: State<'_, AppState>, day: Day) -> Result<Vec<AgendaItem>, ErrorPayload> {
    state.appointments_on(day)
}

/// The appointments of a day or a week across the folders this operator may read.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn appointments(state: State<'_, AppState>, query: AgendaQuery) -> Result<Vec<AgendaItem>, ErrorPayload> {
    state.appointments(&query)
}

/// Opens a folder with no name for a person who gives none, named by the STP or ENI code issued.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn issue_anonymous_stp_eni_code(
    state: State<'_, AppState>,
    person: PersonDetails,
    kind: StpEniKind,
) -> Result<Uuid, ErrorPayload> {
    state.issue_anonymous_stp_eni_code(&person, kind)
}

/// Issues (or renews) an STP or ENI code for the person of a folder, from this device's numbers.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn issue_stp_eni_code(
    state: State<'_, AppState>,
    folder_id: Uuid,
    kind: StpEniKind,
) -> Result<StpEniCode, ErrorPayload> {
    state.issue_stp_eni_code(folder_id, kind)
}

/// What the quick-contact form starts from: today, the Ambito's places, the mediator.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn quick_contact_form(state: State<'_, AppState>) -> Result<QuickContactForm, ErrorPayload> {
    state.quick_contact_form()
}

/// Records an encounter with a known person or with people who gave no name.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn record_quick_contact(state: State<'_, AppState>, input: QuickContactInput) -> Result<Uuid, ErrorPayload> {
    state.record_quick_contact(input)
}

/// Folders that may already be this new person's.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn possible_duplicates(state: State<'_, AppState>, details: PersonDetails) -> Result<Vec<PersonHit>, ErrorPayload> {
    state.possible_duplicates(&details)
}

/// Reads a typed codice fiscale against the person's data.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn check_codice_fiscale(state: State<'_, AppState>, details: PersonDetails, code: String) -> CodiceFiscaleCheck {
    state.check_codice_fiscale(&details, &code)
}

/// Opens a person's folder.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn open_folder(state: State<'_, AppState>, id: Uuid) -> Result<FolderView, ErrorPayload> {
    state.open_folder(id)
}

/// Creates a person's folder; answers its id.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn create_person(state: State<'_, AppState>, details: PersonDetails) -> Result<Uuid, ErrorPayload> {
    state.create_person(&details)
}

/// Changes the person's own data.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn update_person(state: State<'_, AppState>, id: Uuid, details: PersonDetails) -> Result<(), ErrorPayload> {
    state.update_person(id, &details)
}

/// Adds a row to a folder's section, or changes one; answers the row's id.
#[tauri::command]
#[tracing::instrument(skip_all, fields(entity = ?entity))]
pub fn save_row(
    state: State<'_, AppState>,
    folder_id: Uuid,
    entity: Entity,
    row_id: Option<Uuid>,
    details: RowDetails,
) -> Result<Uuid, ErrorPayload> {
    state.save_row(folder_id, entity, row_id, details)
}

/// Merges two folders of the same person, with the person's details chosen field by field.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn merge_folders(
    state: State<'_, AppState>,
    keep_id: Uuid,
    absorbed_id: Uuid,
    person: PersonDetails,
) -> Result<(), ErrorPayload> {
    state.merge_folders(keep_id, absorbed_id, &person)
}

/// Undoes a merge: the absorbed folder is one of its own again.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn undo_merge(state: State<'_, AppState>, absorbed_id: Uuid) -> Result<(), ErrorPayload> {
    state.undo_merge(absorbed_id)
}

/// Deletes a row of a folder.
#[tauri::command]
#[tracing::instrument(skip_all, fields(entity = ?entity))]
pub fn delete_row(state: State<'_, AppState>, entity: Entity, row_id: Uuid) -> Result<(), ErrorPayload> {
    state.delete_row(entity, row_id)
}

/// Archives a folder or brings it back.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn set_archived(state: State<'_, AppState>, folder_id: Uuid, archived: bool) -> Result<(), ErrorPayload> {
    state.set_archived(folder_id, archived)
}

/// Erases a folder for good.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn erase_folder(state: State<'_, AppState>, folder_id: Uuid) -> Result<(), ErrorPayload> {
    state.erase_folder(folder_id)
}

/// Who changed what and when in a folder.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn folder_history(state: State<'_, AppState>, folder_id: Uuid) -> Result<Vec<ChangeView>, ErrorPayload> {
    state.folder_history(folder_id)
}

/// Who opened or changed a folder, and when.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn folder_accesses(state: State<'_, AppState>, folder_id: Uuid) -> Result<Vec<AccessView>, ErrorPayload> {
    state.folder_accesses(folder_id)
}

/// The states of the world as the codice fiscale names them, for choosing a country.
#[tauri::command]
pub fn countries() -> Vec<Country> {
    crate::desk::countries()
}

/// The procedure templates this operator may start a practice from, with their checklists.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn practice_templates(state: State<'_, AppState>) -> Result<Vec<ProcedureView>, ErrorPayload> {
    state.practice_templates()
}

/// Starts a practice from a procedure template in a folder today; answers its id.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn start_practice(state: State<'_, AppState>, folder_id: Uuid, template: String) -> Result<Uuid, ErrorPayload> {
    state.start_practice(folder_id, &template)
}

/// The open practices across the folders this operator may read, nearest deadline first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn open_practices(state: State<'_, AppState>, filter: PracticeFilter) -> Result<PracticeList, ErrorPayload> {
    state.open_practices(&filter)
}

/// The operators of this office, the one at the keyboard first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn colleagues(state: State<'_, AppState>) -> Result<Vec<Colleague>, ErrorPayload> {
    state.colleagues()
}

/// The directory of the territory's services and mediators, and whether this operator may keep it.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn directory(state: State<'_, AppState>) -> Result<DirectoryView, ErrorPayload> {
    state.directory()
}

/// Adds a service to the directory (no id) or changes one; answers its id. Administrators only.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn save_organisation(
    state: State<'_, AppState>,
    id: Option<Uuid>,
    details: RowDetails,
) -> Result<Uuid, ErrorPayload> {
    state.save_organisation(id, details)
}

/// Adds a mediator to the directory (no id) or changes one; answers its id. Administrators only.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn save_mediator(state: State<'_, AppState>, id: Option<Uuid>, details: RowDetails) -> Result<Uuid, ErrorPayload> {
    state.save_mediator(id, details)
}

/// Attaches a scanned document (PDF or image) to a folder; answers its id.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn add_attachment(
    state: State<'_, AppState>,
    folder_id: Uuid,
    file_name: String,
    content_base64: String,
) -> Result<Uuid, ErrorPayload> {
    state.add_attachment(folder_id, &file_name, &content_base64)
}

/// An attachment's content, to show it.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn attachment_content(app: tauri::AppHandle, attachment_id: Uuid) -> Result<AttachmentContent, ErrorPayload> {
    // Drawing a PDF's pages takes a moment.
    off_the_window(app, move |state| state.attachment_content(attachment_id)).await
}

/// Saves a copy of an attachment as a file to open outside the app; answers where.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn export_attachment(state: State<'_, AppState>, attachment_id: Uuid) -> Result<PrintedView, ErrorPayload> {
    state.export_attachment(attachment_id)
}

/// Prints a person-facing document of a folder as a PDF file; answers where it was saved.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn print_document(
    state: State<'_, AppState>,
    folder_id: Uuid,
    document: FolderDocument,
) -> Result<PrintedView, ErrorPayload> {
    state.print_document(folder_id, &document)
}

/// The settings and the operators of this device (administrators).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn settings_view(state: State<'_, AppState>) -> Result<SettingsView, ErrorPayload> {
    state.settings_view()
}

/// Saves the settings.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn save_settings(state: State<'_, AppState>, input: SettingsInput) -> Result<SettingsView, ErrorPayload> {
    state.save_settings(input)
}

/// Adds an operator who may unlock this device.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn add_operator(
    state: State<'_, AppState>,
    login: String,
    display_name: String,
    role: Role,
    passphrase: Secret,
) -> Result<SettingsView, ErrorPayload> {
    state.add_operator(&login, &display_name, role, passphrase.expose())
}

/// Gives an operator of this device another role.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn set_operator_role(state: State<'_, AppState>, login: String, role: Role) -> Result<SettingsView, ErrorPayload> {
    state.set_operator_role(&login, role)
}

/// Sets a new passphrase for an operator, with the recovery key.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn reset_operator_passphrase(
    state: State<'_, AppState>,
    login: String,
    recovery_key: Secret,
    new_passphrase: Secret,
) -> Result<SettingsView, ErrorPayload> {
    state.reset_operator_passphrase(&login, recovery_key.expose(), new_passphrase.expose())
}

/// A command as the UI calls it: what [`COMMANDS`] lists.
#[derive(Debug)]
pub struct CommandSpec {
    /// The name the UI invokes, the Rust function's.
    pub name: &'static str,
    /// The first line of the function's documentation.
    pub doc: &'static str,
    /// Each argument's Rust name (snake case) and TypeScript type.
    pub args: &'static [(&'static str, TypeOf)],
    /// The TypeScript type of the answer on success; `None` for nothing.
    pub answer: Option<TypeOf>,
}

/// How to write a Rust type in TypeScript.
pub type TypeOf = fn(&Config) -> TsType;

/// A type's TypeScript name and the generated types it names.
#[derive(Debug, Clone)]
pub struct TsType {
    pub name: String,
    /// `(TypeScript name, file path relative to the bindings folder)` of each generated type
    /// the name refers to, to import.
    pub imports: Vec<(String, String)>,
    /// Writes those generated types, with everything they depend on.
    pub exports: Vec<Export>,
}

/// Writes a generated type, with everything it depends on, into the bindings folder.
pub type Export = fn(&Config) -> Result<(), ExportError>;

fn ts_type<T: TS + 'static + ?Sized>(config: &Config) -> TsType {
    struct Named<'a>(&'a Config, TsType);
    impl TypeVisitor for Named<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if let Some(dependency) = Dependency::from_ty::<U>(self.0) {
                self.1.imports.push((dependency.ts_name, dependency.output_path.to_string_lossy().into_owned()));
                self.1.exports.push(U::export_all);
            }
            U::visit_generics(self);
        }
    }
    let mut named = Named(config, TsType { name: T::name(config), imports: Vec::new(), exports: Vec::new() });
    named.visit::<T>();
    named.1
}

include!(concat!(env!("OUT_DIR"), "/command_table.rs"));

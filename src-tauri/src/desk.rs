//! The case folder as the desk reads and writes it: finding people, opening a folder, adding,
//! changing and deleting its rows, its history and access log, archive and erasure. Each
//! operation is one call into the store, with the store's errors in the operator's language.

use std::collections::HashMap;

use porta::clock::today_in_rome;
use porta::folder::person::{CodiceFiscaleCheck, PersonDetails};
use porta::folder::{Editable, Entity, Folder, Invalid, Section, parse_section};
use porta::store::{AgendaItem, Archived, AuditAction, DueList, Permission, PersonHit, Store, StoreError};
use porta::{ErrorCode, ErrorPayload, Locale};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::AppState;
use crate::stp_eni_desk::StpEniOffer;

/// How many people a search shows.
const SEARCH_LIMIT: usize = 20;

/// A folder as its page shows it, with what this operator may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FolderView {
    pub folder: Folder,
    /// The names of the other people the folder points to (household members and heads).
    pub people: Vec<PersonName>,
    /// Completed years, when the birth date says.
    pub age: Option<u32>,
    /// This operator may add, change and delete rows.
    pub may_edit: bool,
    /// Health-restricted content exists for other roles and is left out for this one.
    pub health_hidden: bool,
    /// This operator may archive and erase folders.
    pub may_erase: bool,
    /// This operator may read who opened the folder (administrators and coordinators).
    pub may_read_accesses: bool,
    /// Other folders that may be the same person (the same codes, or a similar name and
    /// birth year), to check and perhaps merge.
    pub possible_duplicates: Vec<PersonHit>,
    /// The STP and ENI codes: whether each may be issued today, and why.
    pub stp_eni: Vec<StpEniOffer>,
    /// The attachments whose scans have not reached this device yet (they come with sync).
    pub scans_arriving: Vec<Uuid>,
}

/// A person another row points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonName {
    pub id: Uuid,
    pub name: String,
}

/// One change of one field, as history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangeView {
    #[ts(type = "number")]
    pub at_ms: u64,
    /// Who made it (their display name, or their id when this device does not know them).
    pub operator: String,
    /// The device it was made on (the first eight digits of its id).
    pub device: String,
    pub entity: Entity,
    pub row_id: Uuid,
    /// The field's stored name.
    pub field: String,
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: serde_json::Value,
}

/// One line of the access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessView {
    #[ts(type = "number")]
    pub at_ms: u64,
    pub operator: String,
    pub device: String,
    pub action: AuditAction,
    /// The part of the folder read or written.
    pub section: String,
    pub health_restricted: bool,
}

/// An attachment as the window shows it: pictures, the image itself or the first pages of a
/// PDF drawn by `porta::attachment_preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentContent {
    /// The type read from the content when it was attached (`application/pdf`, `image/png`…).
    pub content_type: String,
    /// The type of the pictures: the image's own, `image/png` for a PDF's pages.
    pub picture_type: String,
    /// The pictures, in base64; none when a PDF cannot be drawn (a copy can still be saved).
    pub pictures: Vec<String>,
    /// How many pages the attachment has: more than the pictures when only the first are drawn.
    pub page_count: u32,
}

/// A document printed for a person: where the PDF was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedView {
    /// The file, to open and print: its name says what it is, never whom it is for.
    pub path: String,
}

/// The environment variable that overrides where printed documents are saved (tests).
pub const EXPORT_DIR_VARIABLE: &str = "PORTA_EXPORT_DIR";

/// Where printed documents go: `PORTA_EXPORT_DIR`, else a `Porta` folder in the operator's
/// documents, else `stampe` in the data folder.
fn export_dir(data_dir: &porta::DataDir) -> std::path::PathBuf {
    std::env::var_os(EXPORT_DIR_VARIABLE)
        .map(std::path::PathBuf::from)
        .or_else(|| directories::UserDirs::new()?.document_dir().map(|dir| dir.join("Porta")))
        .unwrap_or_else(|| data_dir.path().join("stampe"))
}

/// A row of a section as its form sends it, in the section's stored field names; read as
/// the section's type when saved, so a wrong value is refused naming its field.
#[derive(Debug, Clone, serde::Deserialize, TS)]
pub struct RowDetails(#[ts(type = "Record<string, unknown>")] pub serde_json::Value);

/// A state of the world, as forms offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Country {
    /// The ANPR code (`Z` and three digits).
    pub code: String,
    /// The Italian name.
    pub name: String,
    /// The English name.
    pub english: String,
}

/// Every state that exists today, by Italian name.
pub fn countries() -> Vec<Country> {
    let mut countries: Vec<Country> = porta::rules::anpr::countries()
        .iter()
        .filter(|place| place.valid_until.is_none())
        .map(|place| Country { code: place.code.clone(), name: place.name.clone(), english: place.detail.clone() })
        .collect();
    countries.sort_by_key(|country| porta::names::fold(&country.name));
    countries.dedup_by(|a, b| a.code == b.code);
    countries
}

fn short(id: Uuid) -> String {
    id.simple().to_string()[..8].to_owned()
}

fn age_on(born: &porta::folder::person::PartialDate, today: porta::calendar::Date) -> Option<u32> {
    use porta::calendar::Datelike;
    let (month, day) = (born.month?, born.day.unwrap_or(1));
    let mut years = today.year() - i32::from(born.year);
    if (today.month(), today.day()) < (u32::from(month), u32::from(day)) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

impl AppState {
    /// Runs `read` on the open store; a locked store or a store error becomes the payload.
    pub(crate) fn reading<R>(&self, read: impl FnOnce(&Store) -> Result<R, StoreError>) -> Result<R, ErrorPayload> {
        let locale = self.locale();
        let session = self.session();
        let store = session.store().ok_or_else(|| self.locked_error(locale))?;
        read(store).map_err(|error| self.payload(&error))
    }

    /// Runs `write` on the open store and nudges sync, so the other devices learn it.
    pub(crate) fn writing<R>(
        &self,
        write: impl FnOnce(&mut Store) -> Result<R, StoreError>,
    ) -> Result<R, ErrorPayload> {
        let locale = self.locale();
        let outcome = {
            let mut session = self.session();
            let store = session.store_mut().ok_or_else(|| self.locked_error(locale))?;
            write(store).map_err(|error| self.payload(&error))
        };
        if outcome.is_ok() {
            self.nudge_sync();
        }
        outcome
    }

    /// People matching `query`, best first; archived folders only when asked.
    pub fn find_people(&self, query: &str, include_archived: bool) -> Result<Vec<PersonHit>, ErrorPayload> {
        let archived = if include_archived { Archived::Included } else { Archived::Hidden };
        self.reading(|store| store.find_people(query, None, SEARCH_LIMIT, archived))
    }

    /// What falls due today or soon across the folders this operator may read.
    pub fn due_list(&self) -> Result<DueList, ErrorPayload> {
        let clock = self.clock();
        let window = self.settings().renewal_window_days;
        self.reading(|store| store.due_list_with_renewal_window(clock.as_ref(), window))
    }

    /// The appointments of `day` across the folders this operator may read.
    pub fn appointments_on(&self, day: porta::folder::Day) -> Result<Vec<AgendaItem>, ErrorPayload> {
        self.reading(|store| store.appointments_on(day))
    }

    /// The appointments of a day or a week, of one operator if asked.
    pub fn appointments(&self, query: &porta::store::AgendaQuery) -> Result<Vec<AgendaItem>, ErrorPayload> {
        self.reading(|store| store.appointments(query))
    }

    /// Folders that may already be this person's: the same codes, or a similar name and year.
    pub fn possible_duplicates(&self, details: &PersonDetails) -> Result<Vec<PersonHit>, ErrorPayload> {
        self.reading(|store| store.possible_duplicates(details))
    }

    /// The typed codice fiscale read against the person's data (nothing is stored).
    pub fn check_codice_fiscale(&self, details: &PersonDetails, code: &str) -> CodiceFiscaleCheck {
        details.check_codice_fiscale(code)
    }

    /// Opens a folder: one audited read.
    pub fn open_folder(&self, id: Uuid) -> Result<FolderView, ErrorPayload> {
        let clock = self.clock();
        let view = self.reading(|store| {
            let folder = store.folder(id, clock.as_ref())?;
            let role = store.operator().role;
            let mut people = Vec::new();
            let linked = folder.household.iter().map(|row| row.details.member).chain(folder.member_of.iter().copied());
            for person in linked {
                if let Ok(row) = store.person(person, clock.as_ref()) {
                    let name = format!("{} {}", row.details.given_names, row.details.family_name);
                    people.push(PersonName { id: person, name: name.trim().to_owned() });
                }
            }
            let today = today_in_rome(clock.as_ref());
            let merged: Vec<Uuid> = folder.merged_from.iter().map(|row| row.id).collect();
            let possible_duplicates = store
                .possible_duplicates(&folder.person.details)?
                .into_iter()
                .filter(|hit| hit.id != folder.person.id && !merged.contains(&hit.id))
                .collect();
            let stp_eni = self.stp_eni_offers(store, &folder, today)?;
            let mut scans_arriving = Vec::new();
            for attachment in &folder.attachments {
                if !store.scan_is_here(&attachment.details.sha256)? {
                    scans_arriving.push(attachment.id);
                }
            }
            Ok(FolderView {
                possible_duplicates,
                stp_eni,
                scans_arriving,
                age: folder.person.details.birth_date.as_ref().and_then(|born| age_on(born, today)),
                people,
                may_edit: role.may(Permission::EditFolders),
                health_hidden: !role.may(Permission::ReadHealthRestricted),
                may_erase: role.may(Permission::EraseFolders),
                may_read_accesses: role.may(Permission::ReadAccessLog),
                folder,
            })
        })?;
        if !view.scans_arriving.is_empty() {
            // A folder opened with scans still on their way: fetch them now, not at the next round.
            self.nudge_sync();
        }
        Ok(view)
    }

    /// Creates a person's folder; answers its id.
    pub fn create_person(&self, details: &PersonDetails) -> Result<Uuid, ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.create_person(details, clock.as_ref()))
    }

    /// Changes the person's own data.
    pub fn update_person(&self, id: Uuid, details: &PersonDetails) -> Result<(), ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.update_person(id, details, clock.as_ref()))
    }

    /// Adds a row of `entity` to `folder` (no `row_id`) or changes the row `row_id`, from the
    /// JSON the section's form sends; answers the row's id.
    pub fn save_row(
        &self,
        folder: Uuid,
        entity: Entity,
        row_id: Option<Uuid>,
        details: RowDetails,
    ) -> Result<Uuid, ErrorPayload> {
        let RowDetails(details) = details;
        fn save<T: Editable>(
            store: &mut Store,
            folder: Uuid,
            row_id: Option<Uuid>,
            details: serde_json::Value,
            clock: &dyn porta::clock::Clock,
        ) -> Result<Uuid, StoreError> {
            let details: T = parse_section(details).map_err(StoreError::Invalid)?;
            match row_id {
                Some(id) => store.update(id, &details, clock).map(|()| id),
                None => store.add(folder, &details, clock),
            }
        }
        use porta::folder::{
            appointment::AppointmentDetails, consent::ConsentDetails, contact::ContactDetails,
            document::DocumentDetails, household::HouseholdMemberDetails, need::NeedDetails, note::NoteDetails,
            practice::PracticeDetails, referral::ReferralDetails,
        };
        let clock = self.clock();
        let clock = clock.as_ref();
        self.writing(|store| match entity {
            Entity::HouseholdMember => save::<HouseholdMemberDetails>(store, folder, row_id, details, clock),
            Entity::Document => save::<DocumentDetails>(store, folder, row_id, details, clock),
            Entity::Consent => save::<ConsentDetails>(store, folder, row_id, details, clock),
            Entity::Need => save::<NeedDetails>(store, folder, row_id, details, clock),
            Entity::Practice => save::<PracticeDetails>(store, folder, row_id, details, clock),
            Entity::Appointment => save::<AppointmentDetails>(store, folder, row_id, details, clock),
            Entity::Contact => save::<ContactDetails>(store, folder, row_id, details, clock),
            Entity::Referral => save::<ReferralDetails>(store, folder, row_id, details, clock),
            Entity::Note => save::<NoteDetails>(store, folder, row_id, details, clock),
            // The person, attachments, anonymous contacts and the directory have operations of
            // their own.
            Entity::Person
            | Entity::Attachment
            | Entity::AnonymousContact
            | Entity::Organisation
            | Entity::Mediator => {
                Err(StoreError::Invalid(Invalid::new("field-value", porta::folder::Problem::UnknownValue)))
            }
        })
    }

    /// Merges the folder `absorbed` into `keep` and gives the person the details chosen field
    /// by field from the two. The merge is a change that syncs and can be undone.
    pub fn merge_folders(&self, keep: Uuid, absorbed: Uuid, person: &PersonDetails) -> Result<(), ErrorPayload> {
        let clock = self.clock();
        // What was chosen is checked before anything is written.
        person
            .validated(today_in_rome(clock.as_ref()))
            .map_err(|invalid| self.payload(&StoreError::Invalid(invalid)))?;
        self.writing(|store| {
            store.merge_folders(keep, absorbed, clock.as_ref())?;
            store.update_person(keep, person, clock.as_ref())
        })
    }

    /// Undoes a merge: `absorbed` is a folder of its own again.
    pub fn undo_merge(&self, absorbed: Uuid) -> Result<(), ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.undo_merge(absorbed, clock.as_ref()))
    }

    /// Deletes a row (its history stays).
    pub fn delete_row(&self, entity: Entity, row_id: Uuid) -> Result<(), ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.delete(entity, row_id, clock.as_ref()))
    }

    /// Archives a folder (out of search unless asked) or brings it back.
    pub fn set_archived(&self, folder: Uuid, archived: bool) -> Result<(), ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.set_archived(folder, archived, clock.as_ref()))
    }

    /// Erases a folder for good, here and, once synced, on every device.
    pub fn erase_folder(&self, folder: Uuid) -> Result<(), ErrorPayload> {
        let clock = self.clock();
        self.writing(|store| store.erase_folder(folder, clock.as_ref()))
    }

    /// Attaches a scanned document (PDF or image, its type read from the content, within the
    /// size limit of the settings) to `folder`; answers the attachment's id.
    pub fn add_attachment(&self, folder: Uuid, file_name: &str, content_base64: &str) -> Result<Uuid, ErrorPayload> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD.decode(content_base64.trim()).map_err(|_| {
            self.payload(&StoreError::Attachment(porta::folder::attachment::AttachmentRefused::UnsupportedType))
        })?;
        let limit = self.settings().attachment_limit_bytes();
        let clock = self.clock();
        self.writing(|store| store.add_attachment(folder, None, file_name, &bytes, limit, clock.as_ref()))
    }

    /// An attachment's content: one audited read.
    pub fn attachment_content(&self, id: Uuid) -> Result<AttachmentContent, ErrorPayload> {
        use base64::Engine;
        let clock = self.clock();
        let (bytes, content_type) = self.reading(|store| store.attachment(id, clock.as_ref()))?;
        let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        if content_type != "application/pdf" {
            return Ok(AttachmentContent {
                picture_type: content_type.clone(),
                content_type,
                pictures: vec![encode(&bytes)],
                page_count: 1,
            });
        }
        // Drawn with the store released: a long scan does not hold up the rest of the desk.
        let (pictures, page_count) = match porta::attachment_preview::pdf_pages(&bytes) {
            Ok(drawn) => (drawn.pngs.iter().map(|png| encode(png)).collect(), drawn.page_count),
            Err(error) => {
                tracing::warn!(%error, "a PDF attachment could not be drawn");
                (Vec::new(), 0)
            }
        };
        Ok(AttachmentContent {
            content_type,
            picture_type: "image/png".into(),
            pictures,
            page_count: u32::try_from(page_count).unwrap_or(u32::MAX),
        })
    }

    /// Saves a copy of an attachment as a file, to open it with the system's viewer (a PDF
    /// the window cannot show); answers where.
    pub fn export_attachment(&self, id: Uuid) -> Result<PrintedView, ErrorPayload> {
        let clock = self.clock();
        let (bytes, file_name) = self.reading(|store| {
            let (bytes, _) = store.attachment(id, clock.as_ref())?;
            let details = store.attachment_details(id)?;
            Ok((bytes, details.file_name))
        })?;
        self.save_export(&file_name, &bytes)
    }

    /// Writes `bytes` as `file_name` in the export folder; answers where.
    fn save_export(&self, file_name: &str, bytes: &[u8]) -> Result<PrintedView, ErrorPayload> {
        let dir = export_dir(&self.data_dir());
        let path = porta::exported_file::save(&dir, file_name, bytes).map_err(|error| {
            tracing::error!(%error, "a document could not be saved");
            let locale = self.settings().locale;
            ErrorPayload::new(
                ErrorCode::Internal,
                self.localizer().format(locale, "error-document-not-saved", &[("path", dir.display().to_string())]),
            )
        })?;
        Ok(PrintedView { path: path.display().to_string() })
    }

    /// Prints a person-facing document of `folder` (the privacy notice, the copy of the
    /// folder…) as a PDF file for the operator to open and print; answers where it is. What is
    /// handed to the person is also kept in the folder, when this operator may write there.
    pub fn print_document(
        &self,
        folder: Uuid,
        which: &porta::store::FolderDocument,
    ) -> Result<PrintedView, ErrorPayload> {
        let clock = self.clock();
        let settings = self.settings().clone();
        let may_keep = self.reading(|store| Ok(store.operator().role.may(Permission::EditFolders)))?;
        let printed = if which.kept_in_folder() && may_keep {
            self.writing(|store| store.attach_person_document(folder, which, None, &settings, clock.as_ref()))?.1
        } else {
            self.reading(|store| store.person_document(folder, which, None, &settings, clock.as_ref()))?
        };
        self.save_export(&printed.file_name, &printed.bytes)
    }

    /// Who changed what and when in `folder`, newest first, with each field's value before.
    pub fn folder_history(&self, folder: Uuid) -> Result<Vec<ChangeView>, ErrorPayload> {
        let clock = self.clock();
        self.reading(|store| {
            let names = store.operator_names()?;
            let mut entries = store.folder_history(folder, clock.as_ref())?;
            entries.sort_by_key(|entry| entry.hlc);
            let mut last: HashMap<(Uuid, String), serde_json::Value> = HashMap::new();
            let mut changes: Vec<ChangeView> = entries
                .into_iter()
                .map(|entry| {
                    let before = last.insert((entry.row_id, entry.field.clone()), entry.value.clone());
                    ChangeView {
                        at_ms: entry.hlc.wall_ms,
                        operator: names.get(&entry.operator_id).cloned().unwrap_or_else(|| short(entry.operator_id)),
                        device: short(entry.device_id),
                        entity: entry.entity,
                        row_id: entry.row_id,
                        field: entry.field,
                        before,
                        after: entry.value,
                    }
                })
                .collect();
            changes.reverse();
            Ok(changes)
        })
    }

    /// Who read or changed `folder`, newest first: for administrators and coordinators.
    pub fn folder_accesses(&self, folder: Uuid) -> Result<Vec<AccessView>, ErrorPayload> {
        self.reading(|store| {
            let names = store.operator_names()?;
            let mut lines: Vec<AccessView> = store
                .folder_accesses(folder)?
                .into_iter()
                .map(|entry| AccessView {
                    at_ms: entry.at_ms,
                    operator: names.get(&entry.operator_id).cloned().unwrap_or_else(|| short(entry.operator_id)),
                    device: short(entry.device_id),
                    action: entry.action,
                    section: entry.section,
                    health_restricted: entry.health_restricted,
                })
                .collect();
            lines.reverse();
            Ok(lines)
        })
    }

    fn locale(&self) -> Locale {
        self.settings().locale
    }
}

#[cfg(test)]
mod tests {
    use porta::ErrorCode;
    use serde_json::json;

    use super::*;

    #[test]
    fn a_folder_is_created_found_filled_and_its_history_says_before_and_after() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::tests::unlocked_admin(&dir);
        let details = PersonDetails { given_names: "Mohammed".into(), ..PersonDetails::default() };
        let id = state.create_person(&details).unwrap();
        assert_eq!(state.find_people("muhamad", false).unwrap()[0].id, id, "one name alone, found misspelt");

        let note = json!({ "text": "Primo colloquio", "confidentiality": "normal" });
        let row = state.save_row(id, Entity::Note, None, RowDetails(note)).unwrap();
        let changed = json!({ "text": "Primo colloquio con mediatrice", "confidentiality": "normal" });
        assert_eq!(state.save_row(id, Entity::Note, Some(row), RowDetails(changed)).unwrap(), row);
        let wrong = json!({ "text": "x", "confidentiality": "secret" });
        let refused = state.save_row(id, Entity::Note, None, RowDetails(wrong)).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidInput);
        assert!(refused.message.contains("Riservatezza"), "names the field: {}", refused.message);

        let view = state.open_folder(id).unwrap();
        assert_eq!(view.folder.notes.len(), 1);
        assert_eq!(view.folder.notes[0].details.text, "Primo colloquio con mediatrice");
        assert!(view.may_edit && view.may_erase && view.may_read_accesses && !view.health_hidden);

        let history = state.folder_history(id).unwrap();
        let text = history.iter().find(|change| change.field == "text").expect("the note's text changed");
        assert_eq!(text.before, Some(json!("Primo colloquio")));
        assert_eq!(text.after, json!("Primo colloquio con mediatrice"));
        assert_eq!(text.operator, "Anna Esempio");

        let accesses = state.folder_accesses(id).unwrap();
        assert!(accesses.iter().any(|line| line.action == AuditAction::Read && line.section == "folder"));
        assert!(accesses.iter().any(|line| line.action == AuditAction::Write));

        state.set_archived(id, true).unwrap();
        assert!(state.find_people("Mohammed", false).unwrap().is_empty(), "archived: out of search");
        assert!(state.find_people("Mohammed", true).unwrap()[0].archived);
        state.erase_folder(id).unwrap();
        assert_eq!(state.open_folder(id).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn two_folders_merge_with_the_details_chosen_and_the_merge_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::tests::unlocked_admin(&dir);
        let first = PersonDetails { family_name: "Rahman".into(), given_names: "Nasrin".into(), ..Default::default() };
        let second = PersonDetails {
            given_names: "Nasreen".into(),
            codice_fiscale: Some("RHMNRN94A41Z249W".into()),
            ..first.clone()
        };
        let keep = state.create_person(&first).unwrap();
        let absorbed = state.create_person(&second).unwrap();
        let chosen = PersonDetails { given_names: "Nasreen".into(), ..second.clone() };
        let empty = PersonDetails { family_name: String::new(), given_names: String::new(), ..Default::default() };
        assert_eq!(state.merge_folders(keep, absorbed, &empty).unwrap_err().code, ErrorCode::InvalidInput);
        assert!(state.open_folder(keep).unwrap().folder.merged_from.is_empty(), "a refused merge writes nothing");

        // The code of the folder merged in is the same person's: taking it is no duplicate.
        state.merge_folders(keep, absorbed, &chosen).unwrap();
        let view = state.open_folder(keep).unwrap();
        assert_eq!(view.folder.person.details.given_names, "Nasreen");
        assert_eq!(view.folder.person.details.codice_fiscale.as_deref(), Some("RHMNRN94A41Z249W"));
        assert_eq!(view.folder.merged_from.len(), 1);
        state.undo_merge(absorbed).unwrap();
        assert!(state.open_folder(keep).unwrap().folder.merged_from.is_empty());
        assert_eq!(state.open_folder(absorbed).unwrap().folder.person.id, absorbed);
    }

    #[test]
    fn a_demo_is_never_enrolled_and_a_locked_store_reads_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let state =
            AppState::open(Some(dir.path().to_owned()), std::sync::Arc::new(porta::clock::SystemClock)).unwrap();
        assert_eq!(state.find_people("Diallo", false).unwrap_err().code, ErrorCode::StoreLocked);
        let info = state.begin_demo(30).unwrap();
        assert!(info.demo.is_some() && state.data_dir().path().ends_with("demo"));
        while state.app_info().demo.and_then(|demo| demo.filling).is_some() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let demo = state.app_info().demo.unwrap();
        state.unlock(&demo.login, &demo.passphrase).unwrap();
        let refused =
            tauri::async_runtime::block_on(state.enroll_device("https://porta.example.org", "ZJW9-B11N-V7ZG"))
                .unwrap_err();
        assert_eq!(refused.code, ErrorCode::NotPermitted);
        assert!(refused.message.contains("dimostrativo"), "{}", refused.message);
    }
}

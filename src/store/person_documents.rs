//! Person-facing documents printed from a folder: the store gathers the facts (the person's
//! name and language, the appointment or practice, the device's office) with one audited read
//! and hands them to `crate::documents`; the PDF can be kept in the folder as an attachment.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Store, StoreError};
use crate::Settings;
use crate::clock::{Clock, today_in_rome};
use crate::documents::{self, DocumentRequest, Issuer, PersonDocument};
use crate::folder::dates::Day;
use crate::folder::organisation::OrganisationDetails;
use crate::rules::stp_eni::{EniValidity, StpEniKind};

/// Which document to print for the person of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FolderDocument {
    /// The privacy notice (GDPR Art. 13).
    PrivacyNotice,
    /// The documents to bring for a procedure (a template id).
    DocumentsToBring { procedure: String },
    /// The reminder of one of the folder's appointments.
    AppointmentSlip { appointment: Uuid },
    /// The receipt of one of the folder's practices.
    RequestReceipt { practice: Uuid },
    /// The letter for one of the folder's referrals.
    ReferralLetter { referral: Uuid },
    /// The card of the person's current STP or ENI code.
    StpEniCard { code: StpEniKind },
    /// The declaration of indigence that goes with the person's current STP or ENI code.
    IndigenceDeclaration { code: StpEniKind },
    /// The copy of everything the folder holds that the operator may read (GDPR Art. 15),
    /// always in Italian.
    FolderCopy,
    /// Who opened or changed the folder and when (GDPR Art. 15), always in Italian: for
    /// administrators and coordinators.
    AccessLog,
}

impl FolderDocument {
    /// The start of the file name: what the document is, in Italian, never who it is for.
    fn file_stem(&self) -> &'static str {
        match self {
            FolderDocument::PrivacyNotice => "informativa-privacy",
            FolderDocument::DocumentsToBring { .. } => "documenti-da-portare",
            FolderDocument::AppointmentSlip { .. } => "promemoria-appuntamento",
            FolderDocument::RequestReceipt { .. } => "ricevuta-richiesta",
            FolderDocument::StpEniCard { code: StpEniKind::Stp } => "tesserino-stp",
            FolderDocument::StpEniCard { code: StpEniKind::Eni } => "tesserino-eni",
            FolderDocument::IndigenceDeclaration { .. } => "dichiarazione-indigenza",
            FolderDocument::ReferralLetter { .. } => "lettera-accompagnamento",
            FolderDocument::FolderCopy => "copia-scheda",
            FolderDocument::AccessLog => "registro-accessi",
        }
    }
}

/// A printed document: a PDF file and the language it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedDocument {
    /// The language's tag (`ar`, `uk`…).
    pub language: String,
    /// A file name without personal data: kind, language and day.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The reference printed on a receipt: short enough to read out on the phone, and found again
/// from the practice's id.
pub fn receipt_reference(practice: Uuid) -> String {
    let hex = practice.simple().to_string().to_uppercase();
    format!("PUA-{}", &hex[hex.len() - 8..])
}

impl Store {
    /// Prints `which` for the person of `folder` in `language`, or, when none is given, in the
    /// person's preferred language if documents are printed in it, else in Italian.
    ///
    /// The folder is read once (an audit line); nothing is written.
    pub fn person_document(
        &self,
        folder: Uuid,
        which: &FolderDocument,
        language: Option<&str>,
        settings: &Settings,
        clock: &dyn Clock,
    ) -> Result<PrintedDocument, StoreError> {
        let whole = self.folder(folder, clock)?;
        let language = match language {
            // The copy of the folder and its access log are the desk's own records: in Italian.
            _ if matches!(which, FolderDocument::FolderCopy | FolderDocument::AccessLog) => &documents::languages()[0],
            Some(tag) => documents::language(tag).map_err(StoreError::Document)?,
            None => whole
                .person
                .details
                .preferred_language
                .as_deref()
                .and_then(|tag| documents::language(tag).ok())
                .unwrap_or(&documents::languages()[0]),
        };
        let details = &whole.person.details;
        let code_of = |kind: StpEniKind| match kind {
            StpEniKind::Stp => details.stp.as_ref(),
            StpEniKind::Eni => details.eni.as_ref(),
        };
        // An anonymous code is printed for the code itself.
        let named = format!("{} {}", details.given_names, details.family_name);
        let person = match which {
            FolderDocument::StpEniCard { code: kind } | FolderDocument::IndigenceDeclaration { code: kind }
                if named.trim().is_empty() =>
            {
                code_of(*kind).map_or("", |code| code.code.as_str())
            }
            _ => named.trim(),
        };
        let born = details.birth_date.as_ref().map(|date| date.to_string());
        let reference;
        let localizer = crate::Localizer::new();
        let copy_title = localizer.format(crate::Locale::It, "folder-copy-title", &[]);
        let accesses_title = localizer.format(crate::Locale::It, "accesses-title", &[]);
        let sections;
        let service;
        let document = match which {
            FolderDocument::PrivacyNotice => PersonDocument::PrivacyNotice,
            FolderDocument::DocumentsToBring { procedure } => PersonDocument::DocumentsToBring { procedure },
            FolderDocument::AppointmentSlip { appointment } => PersonDocument::AppointmentSlip(
                &whole.appointments.iter().find(|row| row.id == *appointment).ok_or(StoreError::NotFound)?.details,
            ),
            FolderDocument::StpEniCard { code: kind } => PersonDocument::StpEniCard {
                kind: *kind,
                code: code_of(*kind).ok_or(StoreError::NotFound)?,
                born: born.as_deref(),
                nationwide: *kind == StpEniKind::Stp || settings.eni_validity == EniValidity::Nationwide,
            },
            FolderDocument::IndigenceDeclaration { code: kind } => {
                PersonDocument::IndigenceDeclaration { kind: *kind, code: code_of(*kind).ok_or(StoreError::NotFound)? }
            }
            FolderDocument::ReferralLetter { referral } => {
                let referral =
                    &whole.referrals.iter().find(|row| row.id == *referral).ok_or(StoreError::NotFound)?.details;
                service = match referral.organisation {
                    Some(id) => self.live_row::<OrganisationDetails>(id).ok().map(|(_, details)| details),
                    None => None,
                };
                PersonDocument::ReferralLetter { referral, service: service.as_ref() }
            }
            FolderDocument::RequestReceipt { practice } => {
                let row = whole.practices.iter().find(|row| row.id == *practice).ok_or(StoreError::NotFound)?;
                reference = receipt_reference(row.id);
                PersonDocument::RequestReceipt { practice: &row.details, reference: &reference }
            }
            FolderDocument::FolderCopy => {
                sections = documents::folder_copy::sections(&whole, &localizer);
                PersonDocument::FolderCopy { title: &copy_title, sections: &sections }
            }
            FolderDocument::AccessLog => {
                let names = self.operator_names()?;
                let lines: Vec<documents::folder_copy::AccessLine> = self
                    .folder_accesses(folder)?
                    .into_iter()
                    .map(|entry| documents::folder_copy::AccessLine {
                        at_ms: entry.at_ms,
                        who: names.get(&entry.operator_id).cloned().unwrap_or_else(|| entry.operator_id.to_string()),
                        action: entry.action,
                        section: entry.section,
                        health_restricted: entry.health_restricted,
                    })
                    .collect();
                sections = vec![documents::folder_copy::access_log(&lines, &localizer)];
                PersonDocument::FolderCopy { title: &accesses_title, sections: &sections }
            }
        };
        let issued_on = Day(today_in_rome(clock));
        let request = DocumentRequest {
            document,
            person,
            issued_on,
            issuer: Issuer {
                ambito: &settings.ambito_name,
                office: &self.office()?,
                controller: settings.data_controller.as_ref(),
            },
        };
        let bytes = documents::render_pdf(&request, &language.tag).map_err(StoreError::Document)?;
        let file_name = format!("{}-{}-{}.pdf", which.file_stem(), language.tag, issued_on.0);
        Ok(PrintedDocument { language: language.tag.clone(), file_name, bytes })
    }

    /// Prints `which` as [`Store::person_document`] does and keeps the PDF in the folder as
    /// an attachment; returns the attachment's id and the document.
    pub fn attach_person_document(
        &mut self,
        folder: Uuid,
        which: &FolderDocument,
        language: Option<&str>,
        settings: &Settings,
        clock: &dyn Clock,
    ) -> Result<(Uuid, PrintedDocument), StoreError> {
        let printed = self.person_document(folder, which, language, settings, clock)?;
        let limit = settings.attachment_limit_bytes().max(printed.bytes.len() as u64);
        let id = self.add_attachment(folder, None, &printed.file_name, &printed.bytes, limit, clock)?;
        Ok((id, printed))
    }
}

impl FolderDocument {
    /// Whether a copy is kept in the folder when it is printed: what was handed to the person
    /// (a notice, a card, a receipt), not the desk's own copies of the folder and its log.
    pub fn kept_in_folder(&self) -> bool {
        !matches!(self, FolderDocument::FolderCopy | FolderDocument::AccessLog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_reference_is_short_and_upper_case() {
        let id = Uuid::parse_str("0192f7a4-1c2b-7d3e-8f40-5a6b7c8d9e0f").unwrap();
        assert_eq!(receipt_reference(id), "PUA-7C8D9E0F");
    }
}

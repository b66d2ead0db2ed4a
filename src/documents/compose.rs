//! What each person-facing document says: the facts it is given, turned into blocks of text in
//! the person's language.

use super::pdf::{Block, Composed};
use super::{DocumentError, LanguageEntry, ReviewStatus, Texts};
use crate::folder::appointment::AppointmentDetails;
use crate::folder::dates::Day;
use crate::folder::organisation::OrganisationDetails;
use crate::folder::person::StpEniCode;
use crate::folder::practice::PracticeDetails;
use crate::folder::referral::ReferralDetails;
use crate::rules::stp_eni::StpEniKind;
pub use crate::settings::DataController;

/// Who issues the document: printed at its head.
#[derive(Debug, Clone, Copy)]
pub struct Issuer<'a> {
    /// The Ambito's name, as in the settings.
    pub ambito: &'a str,
    /// The office or place where the document is handed over.
    pub office: &'a str,
    /// The data controller named in the privacy notice.
    pub controller: Option<&'a DataController>,
}

/// Which document, with the facts it needs.
#[derive(Debug, Clone, Copy)]
pub enum PersonDocument<'a> {
    /// The privacy notice (GDPR Art. 13), with a line for the person's signature.
    PrivacyNotice,
    /// The documents to bring for a procedure (a template id).
    DocumentsToBring { procedure: &'a str },
    /// A reminder of an appointment.
    AppointmentSlip(&'a AppointmentDetails),
    /// The STP or ENI card: the code, its validity, what it gives the right to and where.
    /// `born` is the birth date or year as the folder has it; none for an anonymous code.
    /// `nationwide`: valid throughout Italy (an STP code always; an ENI code as the settings
    /// say), else only in the issuing region.
    StpEniCard { kind: StpEniKind, code: &'a StpEniCode, born: Option<&'a str>, nationwide: bool },
    /// The letter a person brings to the service they are referred to, with where to find
    /// that service when the directory has it.
    ReferralLetter { referral: &'a ReferralDetails, service: Option<&'a OrganisationDetails> },
    /// The declaration of indigence that goes with an STP or ENI code, to sign.
    IndigenceDeclaration { kind: StpEniKind, code: &'a StpEniCode },
    /// The receipt of a request: a practice and the reference that finds it again.
    RequestReceipt { practice: &'a PracticeDetails, reference: &'a str },
    /// The copy of the whole folder (GDPR Art. 15): its title and sections, already written
    /// in the document's language.
    FolderCopy { title: &'a str, sections: &'a [super::folder_copy::CopySection] },
}

/// A document to make for one person.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRequest<'a> {
    pub document: PersonDocument<'a>,
    /// The person's name as it is printed.
    pub person: &'a str,
    /// The day it is handed over (Europe/Rome).
    pub issued_on: Day,
    pub issuer: Issuer<'a>,
}

fn day(day: Day) -> String {
    day.0.format("%d/%m/%Y").to_string()
}

/// The blocks of `request` in `language`.
pub fn compose(request: &DocumentRequest<'_>, language: &LanguageEntry) -> Result<Composed, DocumentError> {
    let texts = Texts::get();
    let tag = language.tag.as_str();
    let t = |id: &str| texts.format(tag, id, &[]);
    let title = match request.document {
        PersonDocument::PrivacyNotice => t("privacy-title"),
        PersonDocument::DocumentsToBring { .. } => t("checklist-title"),
        PersonDocument::AppointmentSlip(_) => t("slip-title"),
        PersonDocument::StpEniCard { kind: StpEniKind::Stp, .. } => t("card-title-stp"),
        PersonDocument::StpEniCard { kind: StpEniKind::Eni, .. } => t("card-title-eni"),
        PersonDocument::IndigenceDeclaration { .. } => t("declaration-title"),
        PersonDocument::ReferralLetter { .. } => t("letter-title"),
        PersonDocument::RequestReceipt { .. } => t("receipt-title"),
        PersonDocument::FolderCopy { title, .. } => title.to_owned(),
    };
    let issuer = request.issuer;
    let mut blocks = vec![
        Block::Small(format!("{} · {}", issuer.ambito, t("doc-service"))),
        Block::Title(title.clone()),
        Block::Small(texts.format(tag, "doc-issued", &[("date", &day(request.issued_on)), ("office", issuer.office)])),
        Block::Small(texts.format(tag, "doc-person", &[("person", request.person)])),
    ];
    match request.document {
        PersonDocument::PrivacyNotice => {
            let controller = issuer.controller.ok_or(DocumentError::ControllerMissing)?;
            blocks.push(Block::Small(t("privacy-subtitle")));
            blocks.push(Block::Paragraph(texts.format(tag, "privacy-intro", &[("ambito", issuer.ambito)])));
            blocks.push(Block::Heading(t("privacy-controller-heading")));
            blocks.push(Block::Paragraph(texts.format(
                tag,
                "privacy-controller",
                &[("controller", &controller.name), ("address", &controller.address), ("email", &controller.email)],
            )));
            blocks.push(Block::Paragraph(texts.format(tag, "privacy-dpo", &[("dpo", &controller.dpo_email)])));
            for section in ["purposes", "basis", "data", "recipients", "retention", "obligation", "rights", "complaint"]
            {
                blocks.push(Block::Heading(t(&format!("privacy-{section}-heading"))));
                blocks.push(Block::Paragraph(t(&format!("privacy-{section}"))));
            }
            blocks.push(Block::Paragraph(t("privacy-received")));
            blocks.push(Block::Signature(t("doc-signature")));
        }
        PersonDocument::DocumentsToBring { procedure } => {
            let template = crate::rules::procedures::template(procedure)
                .ok_or_else(|| DocumentError::UnknownProcedure(procedure.to_owned()))?;
            let name = t(&template.title_id());
            blocks.push(Block::Heading(texts.format(tag, "checklist-procedure", &[("procedure", &name)])));
            if template.documents.is_empty() {
                blocks.push(Block::Paragraph(t("checklist-nothing")));
            } else {
                blocks.push(Block::Paragraph(t("checklist-intro")));
                blocks.push(Block::Bullets(template.documents.iter().map(|id| t(&format!("document-{id}"))).collect()));
                blocks.push(Block::Paragraph(t("checklist-missing")));
            }
        }
        PersonDocument::AppointmentSlip(appointment) => {
            if appointment.cancelled {
                blocks.push(Block::Heading(t("slip-cancelled")));
            }
            let mut fields = vec![
                (t("slip-when"), appointment.at.0.format("%d/%m/%Y %H:%M").to_string()),
                (t("slip-where"), appointment.place.clone()),
            ];
            if let Some(purpose) = &appointment.purpose {
                fields.push((t("slip-what"), purpose.clone()));
            }
            if let Some(minutes) = appointment.duration_minutes {
                fields.push((
                    t("slip-duration"),
                    texts.format(tag, "slip-minutes", &[("minutes", &minutes.to_string())]),
                ));
            }
            if let Some(mediator) = &appointment.mediator {
                fields.push((t("slip-mediator"), mediator.clone()));
            }
            if let Some(language) = &appointment.language {
                // The language's own name when documents are printed in it (Français, اردو).
                let name = super::language(language).map_or_else(|_| language.clone(), |entry| entry.name.clone());
                fields.push((t("slip-language"), name));
            }
            if let Some(cup) = &appointment.cup {
                fields.push((t("slip-service"), cup.service.clone()));
                fields.push((t("slip-facility"), cup.facility.clone()));
                fields.push((t("slip-booking-code"), cup.booking_code.clone()));
            }
            blocks.push(Block::Fields(fields));
            blocks.push(Block::Paragraph(t("slip-bring")));
            blocks.push(Block::Paragraph(t("slip-cancel")));
        }
        PersonDocument::StpEniCard { code, born, nationwide, .. } => {
            let mut fields = vec![
                (t("card-code"), code.code.clone()),
                (t("card-valid-from"), day(code.issued_on)),
                (t("card-valid-until"), day(code.expires_on)),
            ];
            if let Some(born) = born {
                fields.push((t("card-born"), born.to_owned()));
            }
            blocks.push(Block::Fields(fields));
            blocks.push(Block::Paragraph(t("card-rights")));
            blocks.push(Block::Paragraph(t(if nationwide { "card-valid-nationwide" } else { "card-valid-region" })));
            blocks.push(Block::Paragraph(t("card-no-report")));
            blocks.push(Block::Paragraph(t("card-keep")));
        }
        PersonDocument::ReferralLetter { referral, service } => {
            blocks.push(Block::Paragraph(t("letter-intro")));
            let kind = serde_json::to_value(referral.target).expect("a target serialises");
            let mut fields =
                vec![(t("letter-kind"), t(&format!("letter-target-{}", kind.as_str().unwrap_or("other"))))];
            // The name the desk wrote on the referral, else the directory's.
            if let Some(name) = referral.service_name.as_ref().or(service.map(|service| &service.name)) {
                fields.push((t("letter-to"), name.clone()));
            }
            if let Some(service) = service {
                let address = [service.address.as_deref(), service.municipality.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                if !address.is_empty() {
                    fields.push((t("letter-address"), address));
                }
                if let Some(phone) = &service.phone {
                    fields.push((t("letter-phone"), phone.clone()));
                }
                if let Some(hours) = &service.opening_hours {
                    fields.push((t("letter-hours"), hours.clone()));
                }
            }
            if let Some(reason) = &referral.reason {
                fields.push((t("letter-reason"), reason.clone()));
            }
            fields.push((t("letter-on"), day(referral.on)));
            blocks.push(Block::Fields(fields));
            blocks.push(Block::Paragraph(t("letter-bring")));
            blocks.push(Block::Paragraph(t("letter-feedback")));
            blocks.push(Block::Signature(t("doc-operator-signature")));
        }
        PersonDocument::IndigenceDeclaration { code, .. } => {
            blocks.push(Block::Paragraph(texts.format(tag, "declaration-text", &[("code", &code.code)])));
            blocks.push(Block::Paragraph(t("declaration-exemption")));
            blocks.push(Block::Paragraph(texts.format(tag, "declaration-valid", &[("until", &day(code.expires_on))])));
            blocks.push(Block::Paragraph(t("declaration-truth")));
            blocks.push(Block::Signature(t("doc-signature")));
        }
        PersonDocument::RequestReceipt { practice, reference } => {
            let template = crate::rules::procedures::template(&practice.template)
                .ok_or_else(|| DocumentError::UnknownProcedure(practice.template.clone()))?;
            blocks.push(Block::Paragraph(t("receipt-intro")));
            let mut fields = vec![
                (t("receipt-request"), t(&template.title_id())),
                (t("receipt-opened"), day(practice.opened_on)),
                (t("receipt-reference"), reference.to_owned()),
            ];
            if let Some(number) = &practice.protocol_number {
                fields.push((t("receipt-protocol"), number.clone()));
            }
            if let Some(receipt) = &practice.postal_receipt {
                fields.push((t("receipt-postal"), receipt.clone()));
            }
            if let Some(deadline) = practice.deadline {
                fields.push((t("receipt-deadline"), day(deadline)));
            }
            blocks.push(Block::Fields(fields));
            blocks.push(Block::Paragraph(t("receipt-keep")));
            blocks.push(Block::Signature(t("doc-operator-signature")));
        }
        PersonDocument::FolderCopy { sections, .. } => {
            for section in sections {
                blocks.push(Block::Heading(section.title.clone()));
                for row in &section.rows {
                    blocks.push(Block::Fields(row.clone()));
                }
            }
            blocks.push(Block::Signature(t("doc-operator-signature")));
        }
    }
    Ok(Composed {
        title,
        language: language.tag.clone(),
        right_to_left: language.direction == super::Direction::Rtl,
        blocks,
        footer_note: (language.review == ReviewStatus::Machine).then(|| t("doc-translation-machine")),
    })
}

//! Every person-facing document in every language, rendered to PDF and read back with an
//! independent extractor (poppler's `pdftotext`): each word the document says is found in
//! the file in reading order (Arabic included, in logical order), and no character was left
//! without a glyph (rendering refuses that). The PDFs stay in `target/documents/` to be looked
//! at; `pdftoppm` turns them into pictures.

use std::path::PathBuf;
use std::process::Command;

use porta::clock::ManualClock;
use porta::documents::pdf::Block;
use porta::documents::{self, DataController, DocumentRequest, Issuer, PersonDocument};
use porta::folder::appointment::AppointmentDetails;
use porta::folder::dates::Day;
use porta::folder::person::{PersonDetails, StpEniCode};
use porta::folder::practice::PracticeDetails;
use porta::folder::referral::ReferralDetails;
use porta::rules::stp_eni::StpEniKind;
use porta::store::{FirstRun, FolderDocument, Store, StoreError};
use porta::{DataDir, ErrorCode, ErrorPayload, Locale, Localizer, Settings, UserFacingError};
use ring::rand::SystemRandom;

fn output_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("documents");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn controller() -> DataController {
    DataController {
        name: "Comune di Galatina".into(),
        address: "Piazza Alighieri 51, 73013 Galatina (LE)".into(),
        email: "protocollo@comune.galatina.example".into(),
        dpo_email: "rpd@comune.galatina.example".into(),
    }
}

/// Direction marks, embeddings and isolates are invisible: Fluent puts isolates around
/// arguments, and pdftotext marks right-to-left and left-to-right stretches with embeddings.
fn visible(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn block_texts(block: &Block) -> Vec<String> {
    match block {
        Block::Title(text)
        | Block::Heading(text)
        | Block::Paragraph(text)
        | Block::Small(text)
        | Block::Signature(text) => {
            vec![text.clone()]
        }
        Block::Bullets(items) => items.clone(),
        Block::Fields(fields) => fields.iter().flat_map(|(label, value)| [label.clone(), value.clone()]).collect(),
    }
}

fn extract(path: &PathBuf) -> String {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-nopgbrk"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) is installed by `cargo xtask test`");
    assert!(output.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_document_renders_in_every_language_and_reads_back_in_order() {
    let controller = controller();
    let appointment = AppointmentDetails::example();
    let practice = PracticeDetails::example();
    let code = StpEniCode {
        code: "STP1601160000123".into(),
        issued_on: Day::ymd(2026, 11, 26),
        expires_on: Day::ymd(2027, 5, 26),
    };
    let referral = ReferralDetails::example();
    let service = porta::folder::organisation::OrganisationDetails::example();
    let issuer = Issuer {
        ambito: "Ambito Territoriale Sociale di Galatina",
        office: "PUA Galatina",
        controller: Some(&controller),
    };
    let requests = [
        ("privacy", PersonDocument::PrivacyNotice),
        ("checklist", PersonDocument::DocumentsToBring { procedure: "permit-renewal" }),
        ("slip", PersonDocument::AppointmentSlip(&appointment)),
        ("receipt", PersonDocument::RequestReceipt { practice: &practice, reference: "PUA-2026-0042" }),
        (
            "card",
            PersonDocument::StpEniCard { kind: StpEniKind::Stp, code: &code, born: Some("1994"), nationwide: true },
        ),
        ("eni-card", PersonDocument::StpEniCard { kind: StpEniKind::Eni, code: &code, born: None, nationwide: false }),
        ("declaration", PersonDocument::IndigenceDeclaration { kind: StpEniKind::Stp, code: &code }),
        ("letter", PersonDocument::ReferralLetter { referral: &referral, service: Some(&service) }),
    ];
    let mut checked = 0;
    for language in documents::languages() {
        for (name, document) in requests {
            let request =
                DocumentRequest { document, person: "Ioana Popescu", issued_on: Day::ymd(2026, 11, 26), issuer };
            let bytes = documents::render_pdf(&request, &language.tag).unwrap();
            assert!(bytes.starts_with(b"%PDF-"));
            let path = output_dir().join(format!("{name}-{}.pdf", language.tag));
            std::fs::write(&path, &bytes).unwrap();
            let extracted = visible(&extract(&path));
            // A word can be broken across lines after a dash or a slash.
            let compact: String = extracted.split(' ').collect();
            let composed = documents::compose(&request, language).unwrap();
            for block in &composed.blocks {
                for text in block_texts(block) {
                    // Brackets where Latin meets Arabic are drawn mirrored, and pdftotext puts
                    // them back on either side of the Latin word; the letters must all be there.
                    for word in visible(&text).split(' ') {
                        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                        assert!(
                            compact.contains(word),
                            "{name}-{}: `{word}` (from `{text}`) is not in the extracted text:\n{extracted}",
                            language.tag
                        );
                    }
                }
            }
            // Reading order: the title and the first words of the first paragraph come out as
            // one run, in logical order.
            assert!(
                extracted.contains(&visible(&composed.title)),
                "{name}-{}: title out of order:\n{extracted}",
                language.tag
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 80, "10 languages × 8 documents");
}

#[test]
fn an_stp_card_and_its_declaration_print_in_the_persons_language_even_for_an_anonymous_code() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = DataDir::resolve(Some(temp.path().to_owned())).unwrap();
    let clock = ManualClock::at(NOW_MS);
    let (mut store, _) =
        Store::set_up(&data_dir, FirstRun::example("PUA Galatina"), &clock, &SystemRandom::new()).unwrap();
    let code = StpEniCode {
        code: "STP1601160000123".into(),
        issued_on: Day::ymd(2026, 11, 26),
        expires_on: Day::ymd(2027, 5, 26),
    };
    // No name given, as the rules allow: the code stands for the person.
    let anonymous =
        PersonDetails { stp: Some(code.clone()), preferred_language: Some("ar".into()), ..Default::default() };
    let folder = store.create_person(&anonymous, &clock).unwrap();
    let settings = Settings::default();
    let card = store
        .person_document(folder, &FolderDocument::StpEniCard { code: StpEniKind::Stp }, None, &settings, &clock)
        .unwrap();
    assert_eq!((card.language.as_str(), card.file_name.as_str()), ("ar", "tesserino-stp-ar-2026-11-26.pdf"));
    let path = output_dir().join("store-stp-card-ar.pdf");
    std::fs::write(&path, &card.bytes).unwrap();
    let text = visible(&extract(&path));
    assert!(text.contains("بطاقة") && text.contains("STP1601160000123"), "{text}");
    assert!(text.contains("26/05/2027"), "valid until: {text}");

    let declaration = store
        .person_document(
            folder,
            &FolderDocument::IndigenceDeclaration { code: StpEniKind::Stp },
            Some("fr"),
            &settings,
            &clock,
        )
        .unwrap();
    let path = output_dir().join("store-declaration-fr.pdf");
    std::fs::write(&path, &declaration.bytes).unwrap();
    let text = visible(&extract(&path));
    assert!(text.contains("Déclaration d'indigence") && text.contains("titulaire du code STP1601160000123"), "{text}");

    // No ENI code: nothing to print, and it says so.
    let missing = store
        .person_document(folder, &FolderDocument::StpEniCard { code: StpEniKind::Eni }, None, &settings, &clock)
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

/// 26 November 2026, 10:00 in Rome.
const NOW_MS: u64 = 1_795_683_600_000;

#[test]
fn a_folder_prints_in_the_persons_language_and_keeps_the_pdf_as_an_attachment() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = DataDir::resolve(Some(temp.path().to_owned())).unwrap();
    let clock = ManualClock::at(NOW_MS);
    let first = FirstRun { admin_name: "Anna Rizzo".into(), ..FirstRun::example("Portatile mediazione") };
    let (mut store, _) = Store::set_up(&data_dir, first, &clock, &SystemRandom::new()).unwrap();
    let person = PersonDetails {
        family_name: "Benali".into(),
        given_names: "Youssef".into(),
        preferred_language: Some("ar".into()),
        ..Default::default()
    };
    let folder = store.create_person(&person, &clock).unwrap();
    let appointment = store.add(folder, &AppointmentDetails::example(), &clock).unwrap();
    let practice = store.add(folder, &PracticeDetails::example(), &clock).unwrap();
    let settings = Settings { data_controller: Some(controller()), ..Settings::default() };

    // No language asked for: the person's own.
    let slip = store
        .person_document(folder, &FolderDocument::AppointmentSlip { appointment }, None, &settings, &clock)
        .unwrap();
    assert_eq!(slip.language, "ar");
    assert_eq!(slip.file_name, "promemoria-appuntamento-ar-2026-11-26.pdf", "no personal data in the name");
    let path = output_dir().join("store-slip-ar.pdf");
    std::fs::write(&path, &slip.bytes).unwrap();
    let text = visible(&extract(&path));
    // In a right-to-left line the day and the hour are two numbers in Arabic order.
    assert!(text.contains("CUP-2026-004512") && text.contains("03/12/2026") && text.contains("09:30"), "{text}");
    assert!(text.contains("تذكير بالموعد"), "the Arabic title, in logical order: {text}");

    // Attached to the folder, in the language asked for.
    let receipt = FolderDocument::RequestReceipt { practice };
    let (attachment, _) = store.attach_person_document(folder, &receipt, Some("uk"), &settings, &clock).unwrap();
    let bytes = store.attachment_bytes(attachment, &clock).unwrap();
    let path = output_dir().join("store-receipt-uk.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = visible(&extract(&path));
    assert!(
        text.contains("Підтвердження звернення") && text.contains(&porta::store::receipt_reference(practice)),
        "{text}"
    );
    let attachments = store.folder(folder, &clock).unwrap().attachments;
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].details.content_type, "application/pdf");

    // Without the data controller the notice is refused, in words, and nothing is attached.
    let refused = store
        .attach_person_document(folder, &FolderDocument::PrivacyNotice, None, &Settings::default(), &clock)
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ControllerMissing);
    let message = ErrorPayload::localized(&refused, &Localizer::new(), Locale::It).message;
    assert!(message.contains("titolare del trattamento"), "{message}");
    let unknown = store.person_document(folder, &receipt, Some("wo"), &settings, &clock).unwrap_err();
    assert!(matches!(unknown, StoreError::Document(_)));
    assert_eq!(unknown.code(), ErrorCode::UnsupportedDocumentLanguage);
    assert_eq!(store.folder(folder, &clock).unwrap().attachments.len(), 1);

    // The copy of the folder: in Italian whatever the person's language, with every section.
    let copy = store.person_document(folder, &FolderDocument::FolderCopy, None, &settings, &clock).unwrap();
    assert_eq!((copy.language.as_str(), copy.file_name.as_str()), ("it", "copia-scheda-it-2026-11-26.pdf"));
    let path = output_dir().join("store-folder-copy-it.pdf");
    std::fs::write(&path, &copy.bytes).unwrap();
    let text = visible(&extract(&path));
    for expected in ["Copia dei dati personali", "Youssef Benali", "Benali", "Appuntamenti", "03/12/2026 09:30"] {
        assert!(text.contains(expected), "`{expected}` is not in the copy:\n{text}");
    }
    assert!(text.contains("Permesso di soggiorno: rinnovo") && text.contains("Aperta"), "labels, not codes: {text}");
    assert!(text.contains("Data e ora Luogo Motivo"), "fields in the order of the folder, not the alphabet: {text}");

    // The access log, for the person who asks: who, when (Rome), what, in words.
    let log = store.person_document(folder, &FolderDocument::AccessLog, None, &settings, &clock).unwrap();
    assert_eq!(log.file_name, "registro-accessi-it-2026-11-26.pdf");
    let path = output_dir().join("store-access-log-it.pdf");
    std::fs::write(&path, &log.bytes).unwrap();
    let text = visible(&extract(&path));
    for expected in [
        "Registro degli accessi alla scheda",
        "Anna Rizzo",
        "26/11/2026 10:00",
        "Modifica",
        "Lettura",
        "Appuntamenti",
        "Scheda completa",
    ] {
        assert!(text.contains(expected), "`{expected}` is not in the access log:\n{text}");
    }
    assert!(!text.contains("appointment"), "sections in words, not codes: {text}");
}

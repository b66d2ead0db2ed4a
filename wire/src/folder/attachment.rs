//! Scanned documents kept inside the encrypted database. The file's type is read from its
//! content, never from its name; its size has a limit set by the Ambito.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Entity, Invalid, MAX_LINE_CHARS, Section, required_text};

/// The types of file the desk keeps: scans and photos of documents.
pub const ACCEPTED_TYPES: [&str; 6] =
    ["application/pdf", "image/jpeg", "image/png", "image/tiff", "image/webp", "image/heif"];

/// The default largest attachment: 20 MB.
pub const DEFAULT_LIMIT_BYTES: u64 = 20 * 1_000_000;

/// What the folder records about an attachment; the bytes are stored apart, by hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttachmentDetails {
    /// The document it is a scan of, if any.
    pub document: Option<Uuid>,
    /// The name the file had (shown, never trusted).
    pub file_name: String,
    /// The type read from the content.
    pub content_type: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// SHA-256 of the content, in lower-case hex: where the bytes are.
    pub sha256: String,
}

impl AttachmentDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        AttachmentDetails {
            document: None,
            file_name: "permesso.pdf".into(),
            content_type: "application/pdf".into(),
            size_bytes: 1024,
            sha256: "0".repeat(64),
        }
    }
}

/// Why a file cannot be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentRefused {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit_bytes} bytes")]
    TooLarge { limit_bytes: u64 },
    #[error("the file is not a PDF or an image")]
    UnsupportedType,
}

/// The content type of `bytes`, if it is one the desk keeps and fits in `limit_bytes`.
pub fn check_content(bytes: &[u8], limit_bytes: u64) -> Result<&'static str, AttachmentRefused> {
    if bytes.is_empty() {
        return Err(AttachmentRefused::Empty);
    }
    if bytes.len() as u64 > limit_bytes {
        return Err(AttachmentRefused::TooLarge { limit_bytes });
    }
    let found = infer::get(bytes).map(|kind| kind.mime_type());
    ACCEPTED_TYPES.into_iter().find(|accepted| Some(*accepted) == found).ok_or(AttachmentRefused::UnsupportedType)
}

impl Section for AttachmentDetails {
    const ENTITY: Entity = Entity::Attachment;

    fn validated(&self, _today: crate::calendar::Date) -> Result<Self, Invalid> {
        Ok(AttachmentDetails {
            file_name: required_text("field-file-name", &self.file_name, MAX_LINE_CHARS)?,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
        assert_eq!(check_content(pdf, DEFAULT_LIMIT_BYTES), Ok("application/pdf"));
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
        assert_eq!(check_content(&png, DEFAULT_LIMIT_BYTES), Ok("image/png"));
        let windows_program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
        assert_eq!(check_content(windows_program, DEFAULT_LIMIT_BYTES), Err(AttachmentRefused::UnsupportedType));
        assert_eq!(check_content(b"ciao", DEFAULT_LIMIT_BYTES), Err(AttachmentRefused::UnsupportedType));
        assert_eq!(check_content(b"", DEFAULT_LIMIT_BYTES), Err(AttachmentRefused::Empty));
        assert_eq!(check_content(pdf, 10), Err(AttachmentRefused::TooLarge { limit_bytes: 10 }));
    }
}

//! Scanned files attached to a folder: their description is a row like any other, their
//! bytes live once in `attachment_blobs` by SHA-256, written in the same transaction.

use rusqlite::params;
use uuid::Uuid;

use super::write_path::{field_writes, fields_of, is_empty};
use super::{AuditAction, Permission, Store, StoreError};
use crate::clock::{Clock, today_in_rome};
use crate::folder::attachment::{AttachmentDetails, check_content};
use crate::folder::document::DocumentDetails;
use crate::folder::{Entity, Invalid, Problem, Section};

/// Lower-case hex SHA-256 of `bytes`.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

impl Store {
    /// Attaches a scanned file to `folder` (and to one of its documents). Its type is read
    /// from the content (PDF or an image) and it may not exceed `limit_bytes`.
    pub fn add_attachment(
        &mut self,
        folder: Uuid,
        document: Option<Uuid>,
        file_name: &str,
        bytes: &[u8],
        limit_bytes: u64,
        clock: &dyn Clock,
    ) -> Result<Uuid, StoreError> {
        self.require(Permission::EditFolders)?;
        self.live_person(folder)?;
        let content_type = check_content(bytes, limit_bytes).map_err(StoreError::Attachment)?;
        if let Some(document) = document
            && !self.live_row::<DocumentDetails>(document).is_ok_and(|(owner, _)| owner == folder)
        {
            return Err(StoreError::Invalid(Invalid::new("field-document", Problem::UnknownValue)));
        }
        let details = AttachmentDetails {
            document,
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            size_bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
        .validated(today_in_rome(clock))
        .map_err(StoreError::Invalid)?;
        let id = self.ids.next(clock);
        let hash = details.sha256.clone();
        let fields = fields_of(&details).into_iter().filter(|(_, value)| !is_empty(value));
        let writes = field_writes(Entity::Attachment, id, folder, fields);
        let audit = self.audit_entry(AuditAction::Write, folder, Entity::Attachment.as_str(), false, clock);
        self.write_with(audit, writes, clock, |conn| {
            conn.prepare_cached("INSERT INTO attachment_blobs (sha256, bytes) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
                .execute(params![hash, bytes])?;
            Ok(())
        })?;
        Ok(id)
    }

    /// The bytes of an attachment. The read is written to the audit log.
    pub fn attachment_bytes(&self, id: Uuid, clock: &dyn Clock) -> Result<Vec<u8>, StoreError> {
        self.attachment(id, clock).map(|(bytes, _)| bytes)
    }

    /// What an attachment is (its name, type, size), without reading its bytes or auditing.
    pub fn attachment_details(&self, id: Uuid) -> Result<AttachmentDetails, StoreError> {
        self.require(Permission::ReadFolders)?;
        Ok(self.live_row::<AttachmentDetails>(id)?.1)
    }

    /// The bytes of an attachment and their type. The read is written to the audit log.
    pub fn attachment(&self, id: Uuid, clock: &dyn Clock) -> Result<(Vec<u8>, String), StoreError> {
        self.require(Permission::ReadFolders)?;
        let (folder, details) = self.live_row::<AttachmentDetails>(id)?;
        let bytes = self
            .conn
            .query_row("SELECT bytes FROM attachment_blobs WHERE sha256 = ?1", [&details.sha256], |row| row.get(0))
            .map_err(|_| StoreError::ScanNotHereYet)?;
        self.audit_read(folder, Entity::Attachment.as_str(), false, clock)?;
        Ok((bytes, details.content_type))
    }
}

//! Scans on their way through the server (see `porta_wire::protocol::SCAN_CHUNK_BYTES`):
//! which of this device's scans the server does not hold whole yet, which scans its folders
//! name that are not here, and the chunks of those that arrived, kept across a cut.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use porta_wire::protocol::{SCAN_CHUNK_BYTES, scan_chunk_fits, scan_chunks};

/// A scan by its SHA-256 (lower-case hex) and its size in bytes.
pub type ScanRef = (String, u64);

impl Store {
    /// The scans kept here that the server does not hold whole yet.
    pub fn scans_to_send(&self) -> Result<Vec<ScanRef>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT sha256, length(bytes) FROM attachment_blobs WHERE on_server = 0 ORDER BY sha256")?;
        let scans = statement.query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))?;
        Ok(scans.collect::<rusqlite::Result<_>>()?)
    }

    /// Chunk `index` of the scan `sha256` kept here.
    pub fn scan_chunk_to_send(&self, sha256: &str, index: u32) -> Result<Vec<u8>, StoreError> {
        let start = index as i64 * SCAN_CHUNK_BYTES as i64 + 1;
        self.conn
            .query_row(
                "SELECT substr(bytes, ?2, ?3) FROM attachment_blobs WHERE sha256 = ?1",
                params![sha256, start, SCAN_CHUNK_BYTES as i64],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// The server holds the scan `sha256` whole.
    pub fn mark_scan_on_server(&mut self, sha256: &str) -> Result<(), StoreError> {
        self.conn.execute("UPDATE attachment_blobs SET on_server = 1 WHERE sha256 = ?1", [sha256])?;
        Ok(())
    }

    /// The scans that live attachments here name and whose bytes are not here, with the size
    /// their attachment gives.
    pub fn scans_missing(&self) -> Result<Vec<ScanRef>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT DISTINCT json_extract(s.value, '$'), json_extract(z.value, '$') FROM entity_rows r
             JOIN field_values s ON s.row_id = r.row_id
                                AND s.field_ref = (SELECT ref FROM log_fields WHERE entity = 'attachment' AND field = 'sha256')
             JOIN field_values z ON z.row_id = r.row_id
                                AND z.field_ref = (SELECT ref FROM log_fields WHERE entity = 'attachment' AND field = 'size_bytes')
             WHERE r.entity = 'attachment' AND json_type(s.value) = 'text'
               AND NOT EXISTS (SELECT 1 FROM field_values d WHERE d.row_id = r.row_id AND d.value = 'true'
                               AND d.field_ref = (SELECT ref FROM log_fields WHERE entity = 'attachment' AND field = '_deleted'))
               AND NOT EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.sha256 = json_extract(s.value, '$'))
             ORDER BY 1",
        )?;
        let scans = statement.query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))?;
        Ok(scans.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the bytes of the scan `sha256` are on this device.
    pub fn scan_is_here(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self.conn.prepare_cached("SELECT 1 FROM attachment_blobs WHERE sha256 = ?1")?.exists([sha256])?)
    }

    /// The chunks of the scan `sha256` that arrived so far.
    pub fn scan_chunks_arrived(&self, sha256: &str) -> Result<Vec<u32>, StoreError> {
        let mut statement =
            self.conn.prepare_cached("SELECT idx FROM scan_chunks_arriving WHERE sha256 = ?1 ORDER BY idx")?;
        let chunks = statement.query_map([sha256], |row| row.get(0))?;
        Ok(chunks.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps chunk `index` of the scan `sha256` of `size` bytes. When it is the last one
    /// missing, the scan is put together and checked against its SHA-256: kept for good if
    /// it matches (`true`), forgotten to be fetched again if not.
    pub fn receive_scan_chunk(
        &mut self,
        sha256: &str,
        size: u64,
        index: u32,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        if !scan_chunk_fits(size, index, bytes.len()) {
            return Err(StoreError::ScanDamaged);
        }
        let chunks = scan_chunks(size);
        let transaction = self.conn.transaction()?;
        transaction.execute(
            "INSERT INTO scan_chunks_arriving (sha256, idx, bytes) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![sha256, index, bytes],
        )?;
        let arrived: u32 =
            transaction
                .query_row("SELECT count(*) FROM scan_chunks_arriving WHERE sha256 = ?1", [sha256], |row| row.get(0))?;
        if arrived < chunks {
            transaction.commit()?;
            return Ok(false);
        }
        let mut whole = Vec::with_capacity(size as usize);
        {
            let mut statement =
                transaction.prepare("SELECT bytes FROM scan_chunks_arriving WHERE sha256 = ?1 ORDER BY idx")?;
            let mut rows = statement.query([sha256])?;
            while let Some(row) = rows.next()? {
                whole.extend_from_slice(&row.get::<_, Vec<u8>>(0)?);
            }
        }
        transaction.execute("DELETE FROM scan_chunks_arriving WHERE sha256 = ?1", [sha256])?;
        let matches = super::attachments::sha256_hex(&whole) == sha256;
        if matches {
            transaction.execute(
                "INSERT INTO attachment_blobs (sha256, bytes, on_server) VALUES (?1, ?2, 1) ON CONFLICT DO NOTHING",
                params![sha256, whole],
            )?;
        }
        transaction.commit()?;
        if matches { Ok(true) } else { Err(StoreError::ScanDamaged) }
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use crate::clock::ManualClock;
    use crate::store::test_support::{NOW_MS, person, store_as};
    use crate::store::{Role, Store, StoreError};
    use porta_wire::protocol::{SCAN_CHUNK_BYTES, scan_chunks};

    /// A PDF a little over two chunks long.
    fn scan() -> Vec<u8> {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.extend((0..2 * SCAN_CHUNK_BYTES + 1000).map(|i| (i % 251) as u8));
        bytes
    }

    /// A laptop that scanned a document into a new folder, and the office that received the
    /// folder's entries but not the scan; with the scan's chunks as the laptop sends them.
    fn laptop_and_office() -> (Store, Store, Uuid, Vec<u8>, String, u64, Vec<Vec<u8>>) {
        let clock = ManualClock::at(NOW_MS);
        let mut laptop = store_as(Role::Administrator);
        let folder = laptop.create_person(&person("Diallo", "Awa", None), &clock).unwrap();
        let bytes = scan();
        laptop.add_attachment(folder, None, "permesso.pdf", &bytes, 20_000_000, &clock).unwrap();
        let [(sha256, size)] = laptop.scans_to_send().unwrap().try_into().unwrap();
        let chunks = (0..scan_chunks(size)).map(|index| laptop.scan_chunk_to_send(&sha256, index).unwrap()).collect();
        let mut office = store_as(Role::Administrator);
        office.apply_entries(&laptop.change_log().unwrap(), &clock).unwrap();
        (laptop, office, folder, bytes, sha256, size, chunks)
    }

    #[test]
    fn a_scan_goes_out_in_chunks_and_comes_back_whole_on_another_device_after_a_cut() {
        let clock = ManualClock::at(NOW_MS);
        let (mut laptop, mut office, folder, bytes, sha256, size, chunks) = laptop_and_office();
        assert_eq!(size, bytes.len() as u64);
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks.concat(), bytes);

        // The office received the attachment's entries, not its bytes yet.
        assert_eq!(office.scans_missing().unwrap(), [(sha256.clone(), size)]);
        // Cut after the first chunk: it stays; the rest arrives later, in any order.
        assert!(!office.receive_scan_chunk(&sha256, size, 0, &chunks[0]).unwrap());
        assert_eq!(office.scan_chunks_arrived(&sha256).unwrap(), [0]);
        assert!(!office.receive_scan_chunk(&sha256, size, 2, &chunks[2]).unwrap());
        assert!(office.receive_scan_chunk(&sha256, size, 1, &chunks[1]).unwrap());
        assert!(office.scans_missing().unwrap().is_empty());
        assert!(office.scans_to_send().unwrap().is_empty(), "what came from the server need not go back");
        let attachment = office.folder(folder, &clock).unwrap().attachments[0].id;
        assert_eq!(office.attachment_bytes(attachment, &clock).unwrap(), bytes);

        laptop.mark_scan_on_server(&sha256).unwrap();
        assert!(laptop.scans_to_send().unwrap().is_empty());
    }

    #[test]
    fn a_damaged_scan_is_forgotten_and_fetched_again() {
        let (_, mut office, _, _, sha256, size, mut chunks) = laptop_and_office();
        chunks[1][10] ^= 0xff;
        for (index, chunk) in chunks.iter().enumerate().take(2) {
            office.receive_scan_chunk(&sha256, size, index as u32, chunk).unwrap();
        }
        assert!(matches!(office.receive_scan_chunk(&sha256, size, 2, &chunks[2]), Err(StoreError::ScanDamaged)));
        assert!(office.scan_chunks_arrived(&sha256).unwrap().is_empty(), "started again from nothing");
        assert_eq!(office.scans_missing().unwrap(), [(sha256.clone(), size)]);
        assert!(matches!(office.receive_scan_chunk(&sha256, size, 0, b"short"), Err(StoreError::ScanDamaged)));
    }
}

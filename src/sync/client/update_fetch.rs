//! Fetching an update of Porta from the Ambito's server (`crate::updates`): the offer for this
//! platform, checked against the release key before a byte of the installer is asked for,
//! then the installer in chunks from where an earlier, cut download stopped.

use porta_wire::protocol::scan_chunks;
use porta_wire::update::{MAX_INSTALLER_BYTES, ReleaseStatement, StatementError, UpdateOffer};
use ring::rand::SecureRandom;

use super::{Signer, StoreAccess, SyncClient, SyncError};
use crate::clock::Clock;
use crate::error::{Explanation, UserFacingError};
use crate::store::StoreError;
use crate::updates::{ReadyUpdate, UpdateError, UpdateFolder, UpdatePolicy};

/// Why an update was not fetched: the server could not be asked, or what it offered was
/// refused.
#[derive(Debug, thiserror::Error)]
pub enum UpdateFetchError {
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Refused(#[from] UpdateError),
}

impl UserFacingError for UpdateFetchError {
    fn explain(&self) -> Explanation {
        match self {
            UpdateFetchError::Sync(error) => error.explain(),
            UpdateFetchError::Refused(error) => error.explain(),
        }
    }
}

impl SyncClient {
    /// Asks the server what release it offers this platform and, when it is newer than this
    /// build and signed by the release key, downloads it into `folder`: the answer is the
    /// update ready for the next start. `None` when nothing newer is offered. An offer not
    /// signed by the key, or an installer that does not match it, is refused and nothing of it
    /// kept.
    pub async fn fetch_update(
        &self,
        access: &impl StoreAccess,
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
        policy: &UpdatePolicy,
        folder: &UpdateFolder,
    ) -> Result<Option<ReadyUpdate>, UpdateFetchError> {
        let (key, device, enrollment) = access
            .with_store(|store| Ok::<_, StoreError>((store.device_key()?, store.device_id(), store.enrollment()?)))?
            .map_err(SyncError::from)?;
        let key = key.ok_or(SyncError::NotEnrolled)?;
        if self.is_tls() && enrollment.as_ref().and_then(|e| e.server_certificate.as_ref()).is_none() {
            return Err(SyncError::CertificateMismatch.into());
        }
        self.pin.expect(enrollment.and_then(|enrollment| enrollment.server_certificate));
        let signer = Signer { key: &key, device, clock, random };
        let path = format!("/api/v1/updates/{}", policy.target);
        let offer: Option<UpdateOffer> = self.signed(&signer, reqwest::Method::GET, &path, None::<&()>).await?;
        let Some(offer) = offer else { return Ok(None) };
        let statement =
            ReleaseStatement::verified(&offer.statement, &policy.public_key).map_err(UpdateError::NotSigned)?;
        if statement.target != policy.target {
            return Err(UpdateError::NotSigned(StatementError::UnknownTarget).into());
        }
        if !statement.is_newer_than(policy.current) {
            return Ok(None);
        }
        if folder.not_installed() == Some(statement.version) {
            // Downloaded and run once already, without effect: the office's IT has to look.
            return Err(UpdateError::DidNotInstall(statement.version).into());
        }
        match folder.ready(policy) {
            Ok(Some(ready)) if ready.version == statement.version => return Ok(Some(ready)),
            // Another release waits (or a damaged one was deleted): this one replaces it.
            Ok(_) | Err(UpdateError::Damaged | UpdateError::NotSigned(_)) => {}
            Err(error) => return Err(error.into()),
        }
        if statement.size > MAX_INSTALLER_BYTES {
            return Err(UpdateError::Damaged.into());
        }
        for index in folder.chunks_arrived(&statement.sha256)?..scan_chunks(statement.size) {
            let path = format!("/api/v1/update-files/{}/{index}", statement.sha256);
            let request = self.signed_bytes_request(&signer, reqwest::Method::GET, &path, Vec::new())?;
            let bytes = self.bytes_answer(request.send().await).await?;
            folder.add_chunk(&statement, index, &bytes)?;
        }
        Ok(Some(folder.complete(&statement, &offer.statement, &offer.notes)?))
    }
}

//! The device side of sync: enrollment and one sync round (push what is waiting, then pull
//! what is new) against the Ambito's server, every request signed with the device key.
//!
//! The store is only held between network calls ([`StoreAccess`]), never across one, so the
//! operator keeps working while a round runs.

mod update_fetch;

pub use update_fetch::UpdateFetchError;

use std::sync::Arc;

use ring::rand::SecureRandom;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::pinning::{CertificatePin, client_config};
use super::protocol::{
    AUDIT_PUSH_MAX_LINES, AuditPush, AuditPushResponse, EnrollRequest, EnrollResponse, OperatorAccount,
    OperatorsResponse, PROTOCOL_VERSION, PULL_MAX_ENTRIES, PUSH_MAX_BYTES, PUSH_MAX_ENTRIES, PullResponse, PushRequest,
    PushResponse, ScanStatus, ScopeResponse, SnapshotResponse, StpEniBlock, StpEniBlockRequest, scan_chunks,
};
use super::pull_meter::PullMeter;
use super::signing::{DeviceKey, KeyUnusable};
use crate::clock::Clock;
use crate::error::{ErrorCode, ErrorPayload, Explanation, UserFacingError};
use crate::rules::stp_eni::StpEniKind;
use crate::store::{CurrentOperator, REFILL_BELOW, REFILL_COUNT, SnapshotPlace, Store, StoreError};
use crate::sync::server_time::ServerClock;
use porta_wire::enrollment_code::EnrollmentCode;

/// Why a sync round or an enrollment stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached (no network, server down, connection cut).
    #[error("server unreachable")]
    Unreachable,
    /// The server refused, with its code and message.
    #[error("refused by the server: {0:?}")]
    Refused(ErrorPayload),
    /// The server presented another TLS certificate than the one pinned at enrollment (or,
    /// while enrolling, named another one than it presented): someone may be in between.
    #[error("server certificate does not match")]
    CertificateMismatch,
    /// The server answered something that is not the protocol.
    #[error("unexpected answer from the server")]
    UnexpectedAnswer,
    /// The enrollment code is not sixteen symbols of the codes' alphabet.
    #[error("malformed enrollment code")]
    EnrollmentCodeMalformed,
    /// The enrollment code was not issued for the certificate the server presents: a typo or
    /// an interceptor; the code was not sent.
    #[error("enrollment code issued for another certificate")]
    EnrollmentCodeMismatch,
    /// Enrollment asked over plain HTTP to another computer than this one.
    #[error("the server's address is not HTTPS")]
    InsecureServerAddress,
    /// This device is not enrolled.
    #[error("not enrolled")]
    NotEnrolled,
    /// This device is enrolled already: joining again is an explicit re-enrollment.
    #[error("already enrolled")]
    AlreadyEnrolled,
    /// The server that answered a re-enrollment serves another Ambito or office.
    #[error("the server serves another Ambito or office")]
    OtherAmbito { ambito: String, office: String },
    /// The store is locked: sync waits for the next unlock.
    #[error("store locked")]
    Locked,
    /// The device key cannot be made or used.
    #[error(transparent)]
    Key(#[from] KeyUnusable),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UserFacingError for SyncError {
    fn explain(&self) -> Explanation {
        let (code, message_id) = match self {
            SyncError::Unreachable => (ErrorCode::ServerUnreachable, "error-server-unreachable"),
            SyncError::Refused(payload) => (payload.code, "error-internal"),
            SyncError::CertificateMismatch => (ErrorCode::CertificateMismatch, "error-certificate-mismatch"),
            SyncError::UnexpectedAnswer => (ErrorCode::UnexpectedAnswer, "error-unexpected-answer"),
            SyncError::EnrollmentCodeMalformed => (ErrorCode::EnrollmentCodeInvalid, "error-enrollment-code-malformed"),
            SyncError::EnrollmentCodeMismatch => (ErrorCode::EnrollmentCodeMismatch, "error-enrollment-code-mismatch"),
            SyncError::InsecureServerAddress => (ErrorCode::InsecureServerAddress, "error-insecure-server-address"),
            SyncError::NotEnrolled => (ErrorCode::NotEnrolled, "error-not-enrolled"),
            SyncError::AlreadyEnrolled => (ErrorCode::DeviceAlreadyEnrolled, "error-device-enrolled-here"),
            SyncError::OtherAmbito { ambito, office } => {
                return Explanation::new(ErrorCode::NotPermitted, "error-reenroll-other-ambito")
                    .with("ambito", ambito.clone())
                    .with("office", office.clone());
            }
            SyncError::Locked => (ErrorCode::NotPermitted, "error-not-permitted"),
            SyncError::Key(_) => (ErrorCode::Internal, "error-internal"),
            SyncError::Store(error) => return error.explain(),
        };
        Explanation::new(code, message_id)
    }
}

impl SyncError {
    /// What to show the operator, in `locale`: the server's refusal written again from its
    /// code and values (the server writes Italian), else this device's own message.
    pub fn payload(&self, localizer: &crate::Localizer, locale: crate::Locale) -> ErrorPayload {
        match self {
            SyncError::Refused(payload) => payload.in_locale(localizer, locale),
            other => ErrorPayload::localized(other, localizer, locale),
        }
    }

    /// The server's code, when the server refused.
    pub fn server_code(&self) -> Option<ErrorCode> {
        match self {
            SyncError::Refused(payload) => Some(payload.code),
            _ => None,
        }
    }
}

/// How a sync round reaches the store: it may be locked meanwhile.
pub trait StoreAccess {
    /// Runs `f` on the unlocked store; [`SyncError::Locked`] when it is locked.
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Result<R, SyncError>;
    /// Erases this device's data on the administrator's order.
    fn wipe(&self);
    /// Locks the store: the operator using it was disabled.
    fn lock_out(&self);
}

impl StoreAccess for std::sync::Mutex<Option<Store>> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Result<R, SyncError> {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.as_mut().map(f).ok_or(SyncError::Locked)
    }

    fn wipe(&self) {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(store) = guard.take() {
            store.wipe();
        }
    }

    fn lock_out(&self) {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(store) = guard.take() {
            store.lock();
        }
    }
}

impl StoreAccess for std::sync::Mutex<crate::session::Session> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Result<R, SyncError> {
        let mut session = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        session.store_mut().map(f).ok_or(SyncError::Locked)
    }

    fn wipe(&self) {
        self.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).wipe();
    }

    fn lock_out(&self) {
        self.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).lock();
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundReport {
    /// Entries the server acknowledged in this round.
    pub pushed: u64,
    /// Entries pulled that were new here.
    pub pulled: usize,
    /// Scans the server now holds whole that it did not before.
    pub scans_sent: usize,
    /// Scans that arrived here whole.
    pub scans_received: usize,
}

/// Request bodies from this size up travel gzip-compressed.
const COMPRESS_FROM_BYTES: usize = 16 * 1024;

/// Keeps the first entries of `request` that fit in one push by size (always at least one: a
/// single entry is far below the server's limit), measured on the text already written.
fn within_push_bytes(mut request: PushRequest) -> PushRequest {
    let mut bytes = 0;
    let fitting = request
        .entries
        .iter()
        .take_while(|entry| {
            bytes += entry.get().len() + 1;
            bytes <= PUSH_MAX_BYTES
        })
        .count();
    request.entries.truncate(fitting.max(1));
    request
}

/// A client for one server.
#[derive(Debug, Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    base: String,
    /// The certificate its TLS connections accept (pinned at enrollment).
    pin: Arc<CertificatePin>,
    /// The clock that learns the server's time from its answers, if any.
    server_time: Option<Arc<ServerClock>>,
    /// Where a long pull's progress is shown, if anywhere.
    pull_meter: Option<Arc<PullMeter>>,
}

impl SyncClient {
    /// A client for the server at `base_url` (for example `https://porta.ambito.example`).
    pub fn new(base_url: &str) -> SyncClient {
        let pin = Arc::new(CertificatePin::default());
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(60))
            .use_preconfigured_tls(client_config(pin.clone()))
            .build()
            .expect("a client with a rustls configuration builds");
        SyncClient { http, base: base_url.trim_end_matches('/').to_owned(), pin, server_time: None, pull_meter: None }
    }

    /// The same client, teaching `clock` the server's time from every answer. Pass the same
    /// clock to [`SyncClient::sync_once`]: a round refused as stale is then tried once more
    /// with the server's time.
    pub fn learning_time(mut self, clock: Arc<ServerClock>) -> SyncClient {
        self.server_time = Some(clock);
        self
    }

    /// The same client, telling `meter` how far each pull has come.
    pub fn metering_pulls(mut self, meter: Arc<PullMeter>) -> SyncClient {
        self.pull_meter = Some(meter);
        self
    }

    /// A client that sends its requests with `http` (tests use one that never reuses a
    /// connection, so that a faulty network can break each request). Plain HTTP only: its
    /// TLS, if any, is not pinned.
    pub fn with_http_client(base_url: &str, http: reqwest::Client) -> SyncClient {
        SyncClient {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            pin: Arc::default(),
            server_time: None,
            pull_meter: None,
        }
    }

    fn is_tls(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// Whether the server is this computer (tests, a server run beside the app): the one place
    /// plain HTTP is allowed, as nothing travels on a network.
    fn is_loopback(&self) -> bool {
        let Ok(url) = reqwest::Url::parse(&self.base) else { return false };
        let Some(host) = url.host_str() else { return false };
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|address| address.is_loopback())
    }

    /// The server's address, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn answer<T: DeserializeOwned>(
        &self,
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, SyncError> {
        self.settle(Reply::of(response, self.server_time.as_deref()).await)
    }

    /// What a request came to: its answer, the server's refusal, or why there is neither.
    fn settle<T>(&self, reply: Result<Reply<T>, reqwest::Error>) -> Result<T, SyncError> {
        match reply {
            Ok(Reply::Answer(answer)) => Ok(answer),
            Ok(Reply::Refused(payload)) => Err(SyncError::Refused(payload)),
            Ok(Reply::Unreadable) => Err(SyncError::UnexpectedAnswer),
            Err(_) if self.pin.mismatched() => Err(SyncError::CertificateMismatch),
            Err(_) => Err(SyncError::Unreachable),
        }
    }

    /// Enrolls this device with a one-time code and remembers the enrollment in the store. A
    /// device already enrolled is refused: joining again is [`SyncClient::reenroll`].
    pub async fn enroll(
        &self,
        access: &impl StoreAccess,
        code: &str,
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
    ) -> Result<EnrollResponse, SyncError> {
        self.join(access, code, clock, random, false).await
    }

    /// Joins this enrolled device to its Ambito's server again (a new key, a renewed
    /// certificate, a new address; the administrator ran `porta-server devices forget`
    /// first): an explicit act, recorded for good in the device events. A server of another
    /// Ambito or office is refused, and the device stays as it was.
    pub async fn reenroll(
        &self,
        access: &impl StoreAccess,
        code: &str,
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
    ) -> Result<EnrollResponse, SyncError> {
        self.join(access, code, clock, random, true).await
    }

    async fn join(
        &self,
        access: &impl StoreAccess,
        code: &str,
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
        again: bool,
    ) -> Result<EnrollResponse, SyncError> {
        if !self.is_tls() && !self.is_loopback() {
            return Err(SyncError::InsecureServerAddress);
        }
        let previous = access.with_store(|store| store.enrollment())??;
        match (&previous, again) {
            (Some(_), false) => return Err(SyncError::AlreadyEnrolled),
            (None, true) => return Err(SyncError::NotEnrolled),
            _ => {}
        }
        let parsed = EnrollmentCode::parse(code).ok_or(SyncError::EnrollmentCodeMalformed)?;
        // The certificate the server presents must be the one the code was issued for: it
        // is looked at first (an unsigned health check), and the code goes only to it.
        let certificate = if self.is_tls() {
            self.pin.expect(None);
            let looked = self.http.get(format!("{}/health", self.base)).send().await;
            let seen = self.pin.seen();
            if seen.is_none() {
                return Err(looked.err().map_or(SyncError::UnexpectedAnswer, |_| SyncError::Unreachable));
            }
            seen
        } else {
            None
        };
        if !parsed.is_for_certificate(certificate.as_deref()) {
            return Err(SyncError::EnrollmentCodeMismatch);
        }
        self.pin.expect(certificate.clone());
        let key = DeviceKey::generate(random)?;
        let (device_id, login) = access.with_store(|store| (store.device_id(), store.operator().login.clone()))?;
        let request = EnrollRequest {
            protocol: PROTOCOL_VERSION,
            code: code.to_owned(),
            device_id,
            public_key: data_encoding::BASE64URL_NOPAD.encode(key.public_key()),
            login,
        };
        let sent = self.http.post(format!("{}/api/v1/enroll", self.base)).json(&request).send().await;
        if self.pin.mismatched() {
            return Err(SyncError::CertificateMismatch);
        }
        let enrolled: EnrollResponse = self.answer(sent).await?;
        // The server names the certificate it serves: the one seen, or none over plain HTTP.
        if enrolled.certificate_sha256 != certificate {
            return Err(SyncError::CertificateMismatch);
        }
        match previous {
            Some(before)
                if (before.ambito.as_str(), before.office.as_str()) != (&enrolled.ambito, &enrolled.office) =>
            {
                // Its folders belong to its Ambito and office: they never follow it elsewhere.
                return Err(SyncError::OtherAmbito { ambito: enrolled.ambito, office: enrolled.office });
            }
            Some(_) => access.with_store(|store| {
                store.save_reenrollment(&self.base, &key, &enrolled, certificate.as_deref(), clock)
            })??,
            None => access.with_store(|store| {
                store.save_enrollment(&self.base, &key, &enrolled, certificate.as_deref(), clock)
            })??,
        }
        // The Ambito's health key takes the place of the device's own (the same on joining again).
        if let Some(hex) = enrolled.health_key.as_deref() {
            let ambito = data_encoding::HEXLOWER_PERMISSIVE
                .decode(hex.as_bytes())
                .ok()
                .and_then(|bytes| crate::keys::HealthKey::from_bytes(&bytes))
                .ok_or(SyncError::UnexpectedAnswer)?;
            access.with_store(|store| store.adopt_health_key(ambito, random))??;
        }
        self.take_operator_accounts(access, &enrolled.operators, clock, random)?;
        Ok(enrolled)
    }

    /// Sends one signed request.
    async fn signed<T: DeserializeOwned>(
        &self,
        signer: &Signer<'_>,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, SyncError> {
        let request = self.signed_request(signer, method, path_and_query, body)?;
        self.answer(request.send().await).await
    }

    /// Sends one signed GET on a task of its own, which reads and parses the answer: a page
    /// travels while the one before it is applied.
    fn fetch<T: DeserializeOwned + Send + 'static>(
        &self,
        signer: &Signer<'_>,
        path_and_query: &str,
    ) -> Result<Fetch<T>, SyncError> {
        let request = self.signed_request(signer, reqwest::Method::GET, path_and_query, None::<&()>)?;
        Ok(self.send(request))
    }

    /// Sends `request` on a task of its own, which reads and parses the answer.
    fn send<T: DeserializeOwned + Send + 'static>(&self, request: reqwest::RequestBuilder) -> Fetch<T> {
        let server_time = self.server_time.clone();
        Fetch(tokio::spawn(async move { Reply::of(request.send().await, server_time.as_deref()).await }))
    }

    /// The push of this device's entries after sequence number `after`, as many as one push
    /// carries, signed and ready to send, with the last one's number; `None` when none waits.
    fn push_after(
        &self,
        access: &impl StoreAccess,
        signer: &Signer<'_>,
        after: u64,
    ) -> Result<Option<(reqwest::RequestBuilder, u64)>, SyncError> {
        let entries = access.with_store(|store| store.own_entries_after(after, PUSH_MAX_ENTRIES))??;
        if entries.is_empty() {
            return Ok(None);
        }
        let request = within_push_bytes(PushRequest::new(signer.device, &entries));
        let last = entries[request.entries.len() - 1].seq;
        Ok(Some((self.signed_request(signer, reqwest::Method::POST, "/api/v1/push", Some(&request))?, last)))
    }

    /// Waits for a fetch sent with [`SyncClient::fetch`].
    async fn fetched<T>(&self, mut fetch: Fetch<T>) -> Result<T, SyncError> {
        let reply = (&mut fetch.0).await.map_err(|_| SyncError::UnexpectedAnswer)?;
        self.settle(reply)
    }

    /// A request with the device's signature of `body` in its headers (the body is the
    /// caller's to add).
    fn signed_headers(
        &self,
        signer: &Signer<'_>,
        method: reqwest::Method,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<reqwest::RequestBuilder, SyncError> {
        let headers = signer.key.sign(
            signer.device,
            method.as_str(),
            path_and_query,
            body,
            signer.clock.now_ms(),
            signer.random,
        )?;
        let mut request = self.http.request(method, format!("{}{path_and_query}", self.base));
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        Ok(request)
    }

    /// A request signed as the device, its body compressed when large.
    fn signed_request(
        &self,
        signer: &Signer<'_>,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<&impl Serialize>,
    ) -> Result<reqwest::RequestBuilder, SyncError> {
        let body = match body {
            Some(body) => serde_json::to_vec(body).map_err(|_| SyncError::UnexpectedAnswer)?,
            None => Vec::new(),
        };
        let mut request = self.signed_headers(signer, method, path_and_query, &body)?;
        if body.len() >= COMPRESS_FROM_BYTES {
            // Signed as JSON, sent compressed: the server checks the signature after
            // decompressing.
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut encoder, &body).map_err(|_| SyncError::UnexpectedAnswer)?;
            let compressed = encoder.finish().map_err(|_| SyncError::UnexpectedAnswer)?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::CONTENT_ENCODING, "gzip")
                .body(compressed);
        } else if !body.is_empty() {
            request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        }
        Ok(request)
    }

    /// One round: pushes every entry waiting, then pulls every page after the cursor. A wipe
    /// order erases the device's data before it is reported.
    pub async fn sync_once(
        &self,
        access: &impl StoreAccess,
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
    ) -> Result<RoundReport, SyncError> {
        let result = match self.round(access, clock, random).await {
            // The first answer taught the server's time: once more, with it.
            Err(error) if error.server_code() == Some(ErrorCode::StaleRequest) && self.server_time.is_some() => {
                self.round(access, clock, random).await
            }
            other => other,
        };
        if let Some(meter) = &self.pull_meter {
            meter.finish();
        }
        if let Err(error) = &result
            && error.server_code() == Some(ErrorCode::WipeOrdered)
        {
            access.wipe();
        }
        result
    }

    async fn round(
        &self,
        access: &impl StoreAccess,
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
    ) -> Result<RoundReport, SyncError> {
        // Entries stamped while the clock was wrong are corrected to the server's time, as far
        // as it is known, before anything is sent (`store::restamp`).
        let (key, device, enrollment) = access.with_store(|store| {
            store.correct_unsent_stamps(clock)?;
            Ok::<_, StoreError>((store.device_key()?, store.device_id(), store.enrollment()?))
        })??;
        let key = key.ok_or(SyncError::NotEnrolled)?;
        let certificate = enrollment.and_then(|enrollment| enrollment.server_certificate);
        if self.is_tls() && certificate.is_none() {
            // Enrolled without TLS: an https address now has no certificate to trust.
            return Err(SyncError::CertificateMismatch);
        }
        self.pin.expect(certificate);
        let signer = Signer { key: &key, device, clock, random };
        let mut report = RoundReport::default();
        let mut acknowledged =
            access.with_store(|store| store.sync_progress().map(|progress| progress.acknowledged))??;
        let mut ready = self.push_after(access, &signer, acknowledged)?;
        while let Some((request, last)) = ready {
            let sending = self.send::<PushResponse>(request);
            // The next push is read, written out and signed while this one travels and is
            // stored; it is sent only once this one is acknowledged, as the server takes a
            // device's entries in order.
            let following = self.push_after(access, &signer, last)?;
            let answer = self.fetched(sending).await?;
            access.with_store(|store| store.record_push(answer.acknowledged, &answer.rejected))??;
            report.pushed += answer.acknowledged.saturating_sub(acknowledged);
            if answer.acknowledged <= acknowledged {
                return Err(SyncError::UnexpectedAnswer);
            }
            acknowledged = answer.acknowledged;
            ready = if acknowledged == last { following } else { self.push_after(access, &signer, acknowledged)? };
        }
        self.follow_scope(access, &signer, clock).await?;
        report.pulled += self.take_snapshot(access, &signer, clock).await?;
        // Each page's answer names the next page's cursor: the next page is asked for before
        // this one is applied, so the server, the link and the parsing overlap the writing.
        // Pages are still applied one by one, in order, each with its cursor.
        let pull = |cursor: u64| format!("/api/v1/pull?after={cursor}&limit={PULL_MAX_ENTRIES}");
        let mut cursor = access.with_store(|store| store.sync_progress().map(|progress| progress.pulled_cursor))??;
        let meter = self.pull_meter.as_deref();
        if let Some(meter) = meter {
            meter.start(cursor, clock.now_ms());
        }
        let mut coming = self.fetch::<PullResponse>(&signer, &pull(cursor))?;
        loop {
            let page = self.fetched(coming).await?;
            if page.more && page.cursor <= cursor {
                // More to come from where it started: asking again would never end.
                return Err(SyncError::UnexpectedAnswer);
            }
            cursor = page.cursor;
            let next = if page.more { Some(self.fetch::<PullResponse>(&signer, &pull(page.cursor))?) } else { None };
            report.pulled += access.with_store(|store| store.apply_pulled(&page.entries, page.cursor, clock))??;
            if let Some(meter) = meter {
                meter.page(page.cursor, page.head, page.more, clock.now_ms());
            }
            match next {
                Some(next) => coming = next,
                None => break,
            }
        }
        access.with_store(|store| store.remove_leaving_folders())??;
        let accounts: OperatorsResponse =
            self.signed(&signer, reqwest::Method::GET, "/api/v1/operators", None::<&()>).await?;
        self.take_operator_accounts(access, &accounts.operators, clock, random)?;
        self.push_audit(access, &signer).await?;
        self.refill_stp_eni_numbers(access, &signer).await?;
        self.send_scans(access, &signer, &mut report).await?;
        self.fetch_scans(access, &signer, &mut report).await?;
        Ok(report)
    }

    /// A new device starts from the server's snapshot of its office's folders, rather than from
    /// every entry ever written (`porta_wire::snapshot`), and goes on from where a cut left it.
    /// Returns how many entries it took in. A device that has pulled before pulls as usual; so
    /// does one whose snapshot cannot be had (see below).
    async fn take_snapshot(
        &self,
        access: &impl StoreAccess,
        signer: &Signer<'_>,
        clock: &dyn Clock,
    ) -> Result<usize, SyncError> {
        let (under_way, progress) =
            access.with_store(|store| Ok::<_, StoreError>((store.snapshot_under_way()?, store.sync_progress()?)))??;
        let mut place = match under_way {
            Some(place) => place,
            None if progress.pulled_cursor == 0 => SnapshotPlace { upto: 0, after: None },
            None => return Ok(0),
        };
        let page_after = |place: SnapshotPlace| match place.after {
            Some(folder) => format!("/api/v1/snapshot?after={folder}&upto={}", place.upto),
            None => format!("/api/v1/snapshot?upto={}", place.upto),
        };
        let meter = self.pull_meter.as_deref();
        if let Some(meter) = meter {
            meter.start(0, clock.now_ms());
        }
        let mut coming = self.fetch::<SnapshotResponse>(signer, &page_after(place))?;
        let mut taken = 0;
        loop {
            let page = self.fetched(coming).await;
            let usable = page.as_ref().is_ok_and(|page| {
                let moved_on = page.last_folder.is_some_and(|last| place.after.is_none_or(|after| last > after));
                // Not a page that goes nowhere, nor a snapshot of another moment.
                (!page.more || moved_on) && (place.upto == 0 || page.upto == place.upto)
            });
            let page = match page {
                Ok(page) if usable => page,
                // A server of an earlier release, a folder too large for one answer, a page that
                // makes no sense: the snapshot is given up, and the pull after it brings
                // everything (what the pages before brought is not taken in twice).
                Ok(_) | Err(SyncError::UnexpectedAnswer) => {
                    access.with_store(|store| store.give_up_snapshot())??;
                    return Ok(taken);
                }
                Err(error) => return Err(error),
            };
            place = SnapshotPlace { upto: page.upto, after: page.last_folder.or(place.after) };
            let next = if page.more { Some(self.fetch::<SnapshotResponse>(signer, &page_after(place))?) } else { None };
            taken += access.with_store(|store| store.apply_snapshot_page(&page.entries, place, page.more, clock))??;
            if let Some(meter) = meter {
                meter.page(page.folders_done, page.folders_total, page.more, clock.now_ms());
            }
            match next {
                Some(next) => coming = next,
                None => return Ok(taken),
            }
        }
    }

    /// What the server holds of the scan `sha256`; `None` when no entry it took names it for
    /// this office (not sent yet, or refused).
    async fn scan_status(&self, signer: &Signer<'_>, sha256: &str) -> Result<Option<ScanStatus>, SyncError> {
        let path = format!("/api/v1/scans/{sha256}");
        match self.signed(signer, reqwest::Method::GET, &path, None::<&()>).await {
            Err(error) if error.server_code() == Some(ErrorCode::OutOfScope) => Ok(None),
            answer => answer.map(Some),
        }
    }

    /// Sends the scans kept here that the server does not hold whole, chunk by chunk from
    /// where the server stands: a cut costs only the chunk it cut. Scans go after the entries
    /// that name them, so the office's work is never held back by them.
    async fn send_scans(
        &self,
        access: &impl StoreAccess,
        signer: &Signer<'_>,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        for (sha256, size) in access.with_store(|store| store.scans_to_send())?? {
            let Some(mut status) = self.scan_status(signer, &sha256).await? else { continue };
            let held = status.chunks.clone();
            for index in (0..scan_chunks(size)).filter(|index| !held.contains(index)) {
                if status.complete {
                    break;
                }
                let bytes = access.with_store(|store| store.scan_chunk_to_send(&sha256, index))??;
                let path = format!("/api/v1/scans/{sha256}/{index}?size={size}");
                let request = self.signed_bytes_request(signer, reqwest::Method::PUT, &path, bytes)?;
                status = match self.answer(request.send().await).await {
                    // Whole but not matching (damaged on the way): all of it again next round.
                    Err(error) if error.server_code() == Some(ErrorCode::ScanDamaged) => break,
                    answer => answer?,
                };
            }
            if status.complete {
                access.with_store(|store| store.mark_scan_on_server(&sha256))??;
                report.scans_sent += 1;
            }
        }
        Ok(())
    }

    /// Fetches the scans that attachments here name and that are not here, from the chunks
    /// already arrived: a cut costs only the chunk it cut.
    async fn fetch_scans(
        &self,
        access: &impl StoreAccess,
        signer: &Signer<'_>,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        for (sha256, size) in access.with_store(|store| store.scans_missing())?? {
            match self.scan_status(signer, &sha256).await? {
                Some(status) if status.complete && status.size == size => {}
                // Not on the server whole yet: its device has not sent it.
                _ => continue,
            }
            let arrived = access.with_store(|store| store.scan_chunks_arrived(&sha256))??;
            for index in (0..scan_chunks(size)).filter(|index| !arrived.contains(index)) {
                let path = format!("/api/v1/scans/{sha256}/{index}");
                let request = self.signed_bytes_request(signer, reqwest::Method::GET, &path, Vec::new())?;
                let bytes = self.bytes_answer(request.send().await).await?;
                match access.with_store(|store| store.receive_scan_chunk(&sha256, size, index, &bytes))? {
                    Ok(true) => report.scans_received += 1,
                    Ok(false) => {}
                    // Damaged on the way: fetched again from nothing next round.
                    Err(StoreError::ScanDamaged) => break,
                    Err(error) => return Err(error.into()),
                }
            }
        }
        Ok(())
    }

    /// A request signed as the device with `body` as it is (a scan's chunk, or nothing).
    fn signed_bytes_request(
        &self,
        signer: &Signer<'_>,
        method: reqwest::Method,
        path_and_query: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::RequestBuilder, SyncError> {
        let mut request = self.signed_headers(signer, method, path_and_query, &body)?;
        if !body.is_empty() {
            request = request.header(reqwest::header::CONTENT_TYPE, "application/octet-stream").body(body);
        }
        Ok(request)
    }

    /// The bytes of an answer (a scan's chunk), or the server's refusal.
    async fn bytes_answer(&self, sent: Result<reqwest::Response, reqwest::Error>) -> Result<Vec<u8>, SyncError> {
        let outcome = async {
            let response = sent?;
            let success = response.status().is_success();
            Ok::<_, reqwest::Error>((success, read_bounded(response).await?))
        }
        .await;
        match outcome {
            Ok((true, Some(bytes))) => Ok(bytes),
            Ok((false, Some(body))) => {
                Err(serde_json::from_slice(&body).map_or(SyncError::UnexpectedAnswer, SyncError::Refused))
            }
            Ok((_, None)) => Err(SyncError::UnexpectedAnswer),
            Err(_) if self.pin.mismatched() => Err(SyncError::CertificateMismatch),
            Err(_) => Err(SyncError::Unreachable),
        }
    }

    /// Follows the folders coming into this device's office and leaving it. A folder that
    /// came in brings the entries the device's pulls passed before it held the folder; one
    /// that left is marked, and removed after the pull once nothing of it waits to be sent.
    async fn follow_scope(
        &self,
        access: &impl StoreAccess,
        signer: &Signer<'_>,
        clock: &dyn Clock,
    ) -> Result<(), SyncError> {
        loop {
            let (cursor, upto) = access.with_store(|store| {
                Ok::<_, StoreError>((store.scope_cursor()?, store.sync_progress()?.pulled_cursor))
            })??;
            let path = format!("/api/v1/scope?after={cursor}");
            let answer: ScopeResponse = self.signed(signer, reqwest::Method::GET, &path, None::<&()>).await?;
            if answer.more && answer.cursor <= cursor {
                // More to come from where it started: asking again would never end.
                return Err(SyncError::UnexpectedAnswer);
            }
            // Only a folder whose last change here brings it in is fetched.
            let mut arriving: Vec<uuid::Uuid> = Vec::new();
            for change in &answer.changes {
                arriving.retain(|folder| *folder != change.folder_id);
                if change.in_scope {
                    arriving.push(change.folder_id);
                }
            }
            for folder in arriving {
                let mut after = 0;
                loop {
                    let path = format!("/api/v1/folder-entries?folder={folder}&after={after}&upto={upto}");
                    let page: PullResponse = match self.signed(signer, reqwest::Method::GET, &path, None::<&()>).await {
                        // Shared and taken back since: nothing to fetch.
                        Err(error) if error.server_code() == Some(ErrorCode::OutOfScope) => break,
                        answer => answer?,
                    };
                    if page.more && page.cursor <= after {
                        return Err(SyncError::UnexpectedAnswer);
                    }
                    access.with_store(|store| store.apply_entries(&page.entries, clock))??;
                    after = page.cursor;
                    if !page.more {
                        break;
                    }
                }
            }
            access.with_store(|store| store.apply_scope_changes(&answer.changes, answer.cursor))??;
            if !answer.more {
                return Ok(());
            }
        }
    }

    /// Applies the office's operator accounts; locks the store if its operator was disabled.
    fn take_operator_accounts(
        &self,
        access: &impl StoreAccess,
        accounts: &[OperatorAccount],
        clock: &dyn Clock,
        random: &(dyn SecureRandom + Sync),
    ) -> Result<(), SyncError> {
        if access.with_store(|store| store.apply_operator_accounts(accounts, clock, random))??
            == CurrentOperator::Disabled
        {
            access.lock_out();
            return Err(SyncError::Locked);
        }
        Ok(())
    }

    /// Sends the audit lines the server does not have yet.
    async fn push_audit(&self, access: &impl StoreAccess, signer: &Signer<'_>) -> Result<(), SyncError> {
        loop {
            let (acknowledged, lines) = access.with_store(|store| {
                let acknowledged = store.audit_acknowledged()?;
                Ok::<_, StoreError>((acknowledged, store.audit_lines_after(acknowledged, AUDIT_PUSH_MAX_LINES)?))
            })??;
            if lines.is_empty() {
                return Ok(());
            }
            let request = AuditPush { protocol: PROTOCOL_VERSION, lines };
            let answer: AuditPushResponse =
                self.signed(signer, reqwest::Method::POST, "/api/v1/audit", Some(&request)).await?;
            if answer.acknowledged <= acknowledged {
                return Err(SyncError::UnexpectedAnswer);
            }
            access.with_store(|store| store.record_audit_push(answer.acknowledged))??;
        }
    }

    /// Asks the server for STP and ENI numbers when this device holds few, so that codes can
    /// be issued offline until the next round. A server with no series configured is not an
    /// error of the round: issuing will say so when numbers are missing.
    async fn refill_stp_eni_numbers(&self, access: &impl StoreAccess, signer: &Signer<'_>) -> Result<(), SyncError> {
        for kind in StpEniKind::ALL {
            if access.with_store(|store| store.stp_eni_reserve(kind))?? >= REFILL_BELOW {
                continue;
            }
            let request = StpEniBlockRequest { protocol: PROTOCOL_VERSION, kind, count: REFILL_COUNT };
            let block: StpEniBlock =
                match self.signed(signer, reqwest::Method::POST, "/api/v1/stp-eni-blocks", Some(&request)).await {
                    // Not the round's failure: issuing says so when numbers are missing.
                    Err(error)
                        if matches!(
                            error.server_code(),
                            Some(ErrorCode::StpEniNotConfigured | ErrorCode::StpEniQuotaReached)
                        ) =>
                    {
                        return Ok(());
                    }
                    answer => answer?,
                };
            if block.kind != kind {
                return Err(SyncError::UnexpectedAnswer);
            }
            access.with_store(|store| store.add_stp_eni_block(&block))??;
        }
        Ok(())
    }
}

/// What signs a round's requests.
/// How a server answered a request, read whole.
enum Reply<T> {
    Answer(T),
    Refused(ErrorPayload),
    Unreadable,
}

impl<T: DeserializeOwned> Reply<T> {
    /// Reads a sent request's answer whole; an error sending it is kept for [`SyncClient::settle`].
    async fn of(
        sent: Result<reqwest::Response, reqwest::Error>,
        server_time: Option<&ServerClock>,
    ) -> Result<Reply<T>, reqwest::Error> {
        let response = sent?;
        let said = response.headers().get(crate::sync::signing::HEADER_SERVER_TIME);
        if let (Some(clock), Some(server_ms)) =
            (server_time, said.and_then(|value| value.to_str().ok()?.parse::<u64>().ok()))
        {
            clock.learn(server_ms);
        }
        let success = response.status().is_success();
        let Some(body) = read_bounded(response).await? else { return Ok(Reply::Unreadable) };
        Ok(if success {
            serde_json::from_slice(&body).map_or(Reply::Unreadable, Reply::Answer)
        } else {
            serde_json::from_slice(&body).map_or(Reply::Unreadable, Reply::Refused)
        })
    }
}

/// The most bytes of one answer the client reads (decompressed): a page is a quarter of it.
pub const MAX_ANSWER_BYTES: usize = crate::sync::protocol::MAX_BODY_BYTES;

/// Reads `response` whole, or `None` past [`MAX_ANSWER_BYTES`]: a server (or whoever answers
/// in its place) cannot make the device hold an answer of any size.
async fn read_bounded(mut response: reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if response.content_length().is_some_and(|length| length > MAX_ANSWER_BYTES as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// A request on its way ([`SyncClient::fetch`]); dropping it abandons the request.
struct Fetch<T>(tokio::task::JoinHandle<Result<Reply<T>, reqwest::Error>>);

impl<T> Drop for Fetch<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

struct Signer<'a> {
    key: &'a DeviceKey,
    device: uuid::Uuid,
    clock: &'a dyn Clock,
    random: &'a (dyn SecureRandom + Sync),
}

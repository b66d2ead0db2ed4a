//! porta-server: the central area server of an Ambito.
//!
//! Devices push their change logs here and pull the changes of the folders in their scope.
//! This is the only crate that serves HTTP. [`serve`] runs the real server on any listener, so
//! tests bind `127.0.0.1:0` and talk to it over loopback.

pub mod auth;
pub mod config;
pub mod enrollment;
pub mod error;
pub mod gate;
pub mod loopback;
pub mod openapi;
pub mod operators;
pub mod rate_limit;
pub mod routes;
pub mod storage;
pub mod telemetry;
pub mod tls;
pub mod updates;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use porta_wire::clock::{Clock, SystemClock};
use tokio::net::TcpListener;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// How long one request may take before the server gives up on it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every request handler can reach.
#[derive(Clone)]
pub struct ServerState {
    /// Where pushed entries and enrolled devices are kept.
    pub storage: Arc<dyn storage::SyncStore>,
    /// The server's clock: request timestamps and enrollment codes are checked against it.
    pub clock: Arc<dyn Clock>,
    /// The fingerprint of the TLS certificate it serves with, told to enrolling devices.
    pub certificate_sha256: Option<String>,
    /// Each device's allowance of requests.
    pub limiter: Arc<rate_limit::RateLimiter>,
    /// Each address's allowance, and the requests served at once.
    pub gate: Arc<gate::Gate>,
    /// Where seals of the health key get their randomness.
    pub random: Arc<dyn ring::rand::SecureRandom + Send + Sync>,
    /// The installers of Porta published for devices to update themselves with (none when
    /// the server runs without a data folder, as in some tests).
    pub updates: Option<Arc<updates::UpdateShelf>>,
}

impl ServerState {
    /// The state a served app starts with: the system clock and the default limits.
    pub fn new(storage: Arc<dyn storage::SyncStore>, certificate_sha256: Option<String>) -> ServerState {
        ServerState::with_limits(storage, certificate_sha256, rate_limit::Limits::default())
    }

    /// The same with per-device rate limits of its own.
    pub fn with_limits(
        storage: Arc<dyn storage::SyncStore>,
        certificate_sha256: Option<String>,
        limits: rate_limit::Limits,
    ) -> ServerState {
        ServerState {
            storage,
            clock: Arc::new(SystemClock),
            certificate_sha256,
            limiter: Arc::new(rate_limit::RateLimiter::new(limits)),
            gate: Arc::new(gate::Gate::new(gate::GateLimits::default())),
            random: Arc::new(ring::rand::SystemRandom::new()),
            updates: None,
        }
    }

    /// The same with the update shelf of a data folder.
    pub fn with_updates(mut self, shelf: updates::UpdateShelf) -> ServerState {
        self.updates = Some(Arc::new(shelf));
        self
    }

    /// The same with the gate's limits of its own.
    pub fn with_gate(mut self, limits: gate::GateLimits) -> ServerState {
        self.gate = Arc::new(gate::Gate::new(limits));
        self
    }
}

impl std::fmt::Debug for ServerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerState").finish_non_exhaustive()
    }
}

/// Every route of the server, with request ids, tracing and timeouts.
pub fn app(state: ServerState) -> Router {
    let clock = state.clock.clone();
    let gate_state = state.clone();
    routes::router(state)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(gate_state, gate::admit))
        // Every answer, refusals included, tells the device the server's time.
        .layer(axum::middleware::map_response(move |mut response: axum::response::Response| {
            let now = clock.now_ms();
            async move {
                response.headers_mut().insert(porta_wire::signing::HEADER_SERVER_TIME, now.into());
                response
            }
        }))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        // Answers are gzip-compressed for clients that accept it, pushes may arrive compressed
        // (the body limits apply to the decompressed bytes). The fastest level: on a field
        // network most of the gain, on loopback little of the cost.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(RequestDecompressionLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(telemetry::span_without_personal_data))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Serves [`app`] with `storage` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    storage: Arc<dyn storage::SyncStore>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_state(listener, ServerState::new(storage, None), shutdown).await
}

/// Serves [`app`] with a state of the caller's (its own rate limits, its own clock) on
/// `listener`, plain HTTP, until `shutdown` completes.
pub async fn serve_state(
    listener: TcpListener,
    state: ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves [`app`] over TLS with `identity` on `listener` until `shutdown` completes (open
/// connections then get 10 seconds to finish).
pub async fn serve_tls(
    listener: std::net::TcpListener,
    storage: Arc<dyn storage::SyncStore>,
    identity: tls::TlsIdentity,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_tls_with(listener, storage, identity, rate_limit::Limits::default(), shutdown).await
}

/// [`serve_tls`] with per-device rate limits of its own.
pub async fn serve_tls_with(
    listener: std::net::TcpListener,
    storage: Arc<dyn storage::SyncStore>,
    identity: tls::TlsIdentity,
    limits: rate_limit::Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = ServerState::with_limits(storage, Some(identity.fingerprint.clone()), limits);
    serve_tls_state(listener, state, identity, shutdown).await
}

/// [`serve_tls`] with a state of the caller's (`state.certificate_sha256` should be the
/// identity's fingerprint).
pub async fn serve_tls_state(
    listener: std::net::TcpListener,
    state: ServerState,
    identity: tls::TlsIdentity,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    axum_server::from_tcp_rustls(listener, identity.config)?
        .handle(handle)
        .serve(app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .await
}

//! porta-server: the central area server of an Ambito.
//!
//! Devices push their change logs here and pull the changes of the folders in their scope.
//! This is the only crate that serves HTTP. [`serve`] runs the real server on any listener, so
//! tests bind `127.0.0.1:0` and talk to it over loopback.

pub mod auth;
pub mod enrollment;
pub mod error;
pub mod routes;
pub mod storage;
pub mod telemetry;
pub mod tls;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use porta::clock::{Clock, SystemClock};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// How long one request may take before the server gives up on it.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Where pushed entries and enrolled devices are kept.
    pub storage: Arc<dyn storage::SyncStore>,
    /// The server's clock: request timestamps and enrollment codes are checked against it.
    pub clock: Arc<dyn Clock>,
    /// The fingerprint of the TLS certificate it serves with, told to enrolling devices.
    pub certificate_sha256: Option<String>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

/// Every route of the server, with request ids, tracing and timeouts.
pub fn app(state: AppState) -> Router {
    routes::router(state)
        .fallback(error::not_found)
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
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
    let state = AppState { storage, clock: Arc::new(SystemClock), certificate_sha256: None };
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await
}

/// Serves [`app`] over TLS with `identity` on `listener` until `shutdown` completes (open
/// connections then get 10 seconds to finish).
pub async fn serve_tls(
    listener: std::net::TcpListener,
    storage: Arc<dyn storage::SyncStore>,
    identity: tls::TlsIdentity,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let state =
        AppState { storage, clock: Arc::new(SystemClock), certificate_sha256: Some(identity.fingerprint.clone()) };
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    axum_server::from_tcp_rustls(listener, identity.config)?.handle(handle).serve(app(state).into_make_service()).await
}

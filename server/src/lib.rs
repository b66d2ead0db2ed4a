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
    let state = AppState { storage, clock: Arc::new(SystemClock) };
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await
}

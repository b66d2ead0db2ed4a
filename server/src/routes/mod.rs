//! The HTTP routes, one module per concern.

pub mod enroll;
pub mod health;
pub mod operators;
pub mod scans;
pub mod scope;
pub mod stp_eni;
pub mod sync;
pub mod updates;

pub use health::Health;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use crate::{ServerState, auth};

/// The routes without their middleware.
pub fn router(state: ServerState) -> Router {
    let signed = Router::new()
        .route("/api/v1/push", post(sync::push))
        .route("/api/v1/pull", get(sync::pull))
        .route("/api/v1/snapshot", get(sync::snapshot))
        .route("/api/v1/stp-eni-blocks", post(stp_eni::reserve))
        .route("/api/v1/operators", get(operators::operators))
        .route("/api/v1/audit", post(operators::audit))
        .route("/api/v1/scope", get(scope::scope))
        .route("/api/v1/folder-entries", get(scope::folder_entries))
        .route("/api/v1/scans/{sha256}", get(scans::status))
        .route("/api/v1/scans/{sha256}/{index}", get(scans::chunk).put(scans::put_chunk))
        .route("/api/v1/updates/{target}", get(updates::offer))
        .route("/api/v1/update-files/{sha256}/{index}", get(updates::chunk))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::authenticate));
    Router::new()
        .route("/health", get(health::health))
        .route("/api/openapi.json", get(crate::openapi::document))
        .route("/api/v1/enroll", post(enroll::enroll))
        .merge(signed)
        .layer(DefaultBodyLimit::max(porta_wire::protocol::MAX_BODY_BYTES))
        .with_state(state)
}

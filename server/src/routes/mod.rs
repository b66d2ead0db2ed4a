//! The HTTP routes, one module per concern.

pub mod health;
pub mod sync;

pub use health::Health;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;

/// The routes without their middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/api/v1/push", post(sync::push))
        .route("/api/v1/pull", get(sync::pull))
        .layer(DefaultBodyLimit::max(porta::sync::protocol::MAX_BODY_BYTES))
        .with_state(state)
}

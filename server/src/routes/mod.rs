//! The HTTP routes, one module per concern.

pub mod health;

pub use health::Health;

use axum::Router;
use axum::routing::get;

/// The routes without their middleware.
pub fn router() -> Router {
    Router::new().route("/health", get(health::health))
}

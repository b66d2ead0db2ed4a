//! What every request passes before anything else, authentication included: a limit per
//! network address (stricter for enrollment, which anyone may try), and a limit on requests
//! served at once, so that no one address, and no crowd, takes the server from the devices.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Semaphore;

use crate::ServerState;
use crate::error::ApiError;
use crate::rate_limit::{Limits, RateLimiter};

/// The limits of the gate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateLimits {
    /// Requests from one address, before authentication: generous, as an office's devices
    /// may share one address behind its router.
    pub per_address: Limits,
    /// Enrollment attempts from one address: a code is guessed by no one at this pace.
    pub enroll_per_address: Limits,
    /// Requests served at once; the next is told to come back.
    pub concurrent: usize,
}

impl Default for GateLimits {
    fn default() -> Self {
        GateLimits {
            per_address: Limits { burst: 3_000, per_second: 300 },
            enroll_per_address: Limits { burst: 20, per_second: 1 },
            concurrent: 256,
        }
    }
}

/// The gate's buckets and its count of requests being served.
#[derive(Debug)]
pub struct Gate {
    addresses: RateLimiter<IpAddr>,
    enrollments: RateLimiter<IpAddr>,
    in_flight: Semaphore,
}

impl Gate {
    pub fn new(limits: GateLimits) -> Gate {
        Gate {
            addresses: RateLimiter::new(limits.per_address),
            enrollments: RateLimiter::new(limits.enroll_per_address),
            in_flight: Semaphore::new(limits.concurrent),
        }
    }
}

/// Refuses a request over its address's allowance (`rate_limited`) or when the server is
/// serving all it may at once (`server_busy`), before its body is read or its device looked up.
pub async fn admit(State(state): State<ServerState>, request: Request, next: Next) -> Result<Response, ApiError> {
    let now = state.clock.now_ms();
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let address = peer.ip();
        let enrolling = request.uri().path() == "/api/v1/enroll";
        let checked = if enrolling { state.gate.enrollments.check(address, now) } else { Ok(()) }
            .and_then(|()| state.gate.addresses.check(address, now));
        if let Err(retry_after_s) = checked {
            tracing::warn!(retry_after_s, enrolling, "an address over its rate");
            return Err(ApiError::RateLimited { retry_after_s });
        }
    }
    let Ok(_permit) = state.gate.in_flight.try_acquire() else {
        tracing::warn!("serving as many requests as allowed at once");
        return Err(ApiError::ServerBusy);
    };
    Ok(next.run(request).await)
}

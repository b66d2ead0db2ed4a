//! The OpenAPI document of the server, generated from the handlers' annotations and the
//! protocol types (utoipa) and served at `GET /api/openapi.json`, so outside tools can read
//! and test the API. `tests/openapi.rs` checks it against what the server really answers.

use axum::Json;
use porta_wire::ErrorPayload;
use porta_wire::activation::{ActivationLock, KdfParams, Sealed};
use porta_wire::protocol::{
    Activation, AuditLine, AuditPush, AuditPushResponse, EnrollRequest, EnrollResponse, OperatorAccount,
    OperatorsResponse, PullResponse, PushRequest, PushResponse, ScanStatus, ScopeChange, ScopeResponse,
    SnapshotResponse, StpEniBlock, StpEniBlockRequest,
};
use porta_wire::update::UpdateOffer;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};

use crate::routes;

/// What any signed request can be answered instead of its result.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only its description is used.
pub(crate) enum SignedRequestErrors {
    /// Malformed request or unknown protocol version.
    #[response(status = 400)]
    Malformed(ErrorPayload),
    /// Unsigned, badly signed or stale request.
    #[response(status = 401)]
    Unauthenticated(ErrorPayload),
    /// Revoked device.
    #[response(status = 403)]
    Revoked(ErrorPayload),
    /// Replayed request, or another conflict the answer's code names.
    #[response(status = 409)]
    Conflict(ErrorPayload),
    /// The device must erase its data.
    #[response(status = 410)]
    Wipe(ErrorPayload),
    /// Body over 16 MiB.
    #[response(status = 413)]
    TooLarge(ErrorPayload),
    /// Too many requests: retry after the `Retry-After` seconds.
    #[response(status = 429)]
    RateLimited(ErrorPayload),
}

/// The four headers of a signed request (`porta_wire::signing`), as security schemes.
struct SignedRequests;

impl utoipa::Modify for SignedRequests {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, header, what) in [
            ("device", "x-porta-device", "the device's id"),
            ("timestamp", "x-porta-timestamp", "milliseconds since 1970, within 5 minutes of the server's clock"),
            ("nonce", "x-porta-nonce", "32 hex digits, never reused"),
            (
                "signature",
                "x-porta-signature",
                "Ed25519 over method, path and query, timestamp, nonce and the body's SHA-256, base64url",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(header, what))),
            );
        }
    }
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "porta-server",
        description = "The central area server of an Ambito for Porta: device enrollment and the sync protocol (version 1)."
    ),
    paths(
        routes::health::health,
        routes::enroll::enroll,
        routes::sync::push,
        routes::sync::pull,
        routes::sync::snapshot,
        routes::stp_eni::reserve,
        routes::operators::operators,
        routes::operators::audit,
        routes::scope::scope,
        routes::scope::folder_entries,
        routes::scans::status,
        routes::scans::put_chunk,
        routes::scans::chunk,
        routes::updates::offer,
        routes::updates::chunk,
        document
    ),
    components(schemas(
        ErrorPayload,
        EnrollRequest,
        EnrollResponse,
        PushRequest,
        PushResponse,
        PullResponse,
        SnapshotResponse,
        StpEniBlockRequest,
        StpEniBlock,
        OperatorsResponse,
        OperatorAccount,
        Activation,
        ActivationLock,
        KdfParams,
        AuditPush,
        AuditLine,
        AuditPushResponse,
        ScopeResponse,
        ScopeChange,
        ScanStatus,
        Sealed,
        UpdateOffer
    )),
    modifiers(&SignedRequests)
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "server", responses((status = 200, description = "the OpenAPI 3.1 document")))]
pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

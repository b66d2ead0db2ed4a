//! The OpenAPI document matches the server: the routes it lists are the routes the server
//! serves, and real requests and answers of a sync exchange fit the schemas it gives.

use std::collections::BTreeSet;

use porta::clock::{Clock, SystemClock};
use porta::sync::protocol::{EnrollRequest, PROTOCOL_VERSION, PushRequest, StpEniBlockRequest};
use porta::sync::signing::DeviceKey;
use porta_server::storage::{StpEniSeries, SyncStore, conformance};
use ring::rand::SystemRandom;
use serde_json::Value;
use uuid::Uuid;

use crate::common::Server;

/// Whether `value` fits `schema` (the part of JSON Schema utoipa writes: references, types,
/// nullable types, enums, objects with required and known properties, arrays, one-of).
fn fits(document: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        return fits(document, &document["components"]["schemas"][name], value, &format!("{at}<{name}>"));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            return if options.iter().any(|option| fits(document, option, value, at).is_ok()) {
                Ok(())
            } else {
                Err(format!("{at}: {value} fits none of {key}"))
            };
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => return Ok(()), // No type: any value.
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let accepted = types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !accepted {
        return Err(format!("{at}: a {kind} where the document says {types:?}"));
    }
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
            for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !object.contains_key(name) {
                    return Err(format!("{at}: required `{name}` is missing"));
                }
            }
            for (name, field) in object {
                let property = properties.get(name).ok_or_else(|| format!("{at}: `{name}` is not in the document"))?;
                fits(document, property, field, &format!("{at}.{name}"))?;
            }
            Ok(())
        }
        Value::Array(items) => {
            let schema = schema.get("items").cloned().unwrap_or(Value::Null);
            items.iter().enumerate().try_for_each(|(n, item)| fits(document, &schema, item, &format!("{at}[{n}]")))
        }
        _ => Ok(()),
    }
}

/// The schema of the request body or of an answer of `method path`.
fn schema<'a>(document: &'a Value, method: &str, path: &str, status: Option<&str>) -> &'a Value {
    let operation = &document["paths"][path][method];
    match status {
        None => &operation["requestBody"]["content"]["application/json"]["schema"],
        Some(status) => &operation["responses"][status]["content"]["application/json"]["schema"],
    }
}

fn check(document: &Value, method: &str, path: &str, status: Option<&str>, body: &Value) {
    let schema = schema(document, method, path, status);
    assert!(!schema.is_null(), "{method} {path} {status:?}: no schema in the document");
    if let Err(problem) = fits(document, schema, body, &format!("{method} {path} {}", status.unwrap_or("request"))) {
        panic!("{problem}\nbody: {body}");
    }
}

#[tokio::test]
async fn the_document_lists_the_served_routes_and_real_bodies_fit_its_schemas() {
    let server = Server::start().await;
    let http = reqwest::Client::new();
    let document: Value =
        http.get(format!("{}/api/openapi.json", server.base)).send().await.unwrap().json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));

    let listed: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |method| (method.clone(), path.clone())))
        .collect();
    let served: BTreeSet<(String, String)> = [
        ("get", "/health"),
        ("get", "/api/openapi.json"),
        ("post", "/api/v1/enroll"),
        ("post", "/api/v1/push"),
        ("get", "/api/v1/pull"),
        ("get", "/api/v1/snapshot"),
        ("post", "/api/v1/stp-eni-blocks"),
        ("get", "/api/v1/operators"),
        ("post", "/api/v1/audit"),
        ("get", "/api/v1/scope"),
        ("get", "/api/v1/folder-entries"),
        ("get", "/api/v1/scans/{sha256}"),
        ("get", "/api/v1/scans/{sha256}/{index}"),
        ("put", "/api/v1/scans/{sha256}/{index}"),
        ("get", "/api/v1/updates/{target}"),
        ("get", "/api/v1/update-files/{sha256}/{index}"),
    ]
    .into_iter()
    .map(|(method, path)| (method.to_owned(), path.to_owned()))
    .collect();
    assert_eq!(listed, served);
    for (method, path) in &listed {
        let answer = http.request(method.parse().unwrap(), format!("{}{path}", server.base)).send().await.unwrap();
        assert_ne!(answer.status(), 404, "{method} {path} is in the document but not served");
    }
    let unknown = http.get(format!("{}/api/v1/nothing", server.base)).send().await.unwrap();
    assert_eq!(unknown.status(), 404, "and the server serves nothing else");

    let health: Value = http.get(format!("{}/health", server.base)).send().await.unwrap().json().await.unwrap();
    check(&document, "get", "/health", Some("200"), &health);

    // A device's real exchange, checked body by body.
    let (clock, random) = (SystemClock, SystemRandom::new());
    porta_server::operators::create(
        &*server.storage,
        "m.rossi",
        "Maria Rossi",
        porta::store::Role::Mediator,
        "PUA Galatina",
        7,
        clock.now_ms(),
        &random,
    )
    .unwrap();
    let key = DeviceKey::generate(&random).unwrap();
    let device = Uuid::now_v7();
    let enroll = serde_json::to_value(EnrollRequest {
        protocol: PROTOCOL_VERSION,
        code: server.code("Portatile", 10),
        device_id: device,
        public_key: data_encoding::BASE64URL_NOPAD.encode(key.public_key()),
        login: "admin".into(),
    })
    .unwrap();
    check(&document, "post", "/api/v1/enroll", None, &enroll);
    let enrolled: Value =
        http.post(format!("{}/api/v1/enroll", server.base)).json(&enroll).send().await.unwrap().json().await.unwrap();
    check(&document, "post", "/api/v1/enroll", Some("200"), &enrolled);

    let signed = |method: &str, path: &str, body: &Value| {
        let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(body).unwrap() };
        let headers = key.sign(device, method, path, &bytes, clock.now_ms(), &random).unwrap();
        let mut request = http.request(method.parse().unwrap(), format!("{}{path}", server.base)).body(bytes);
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        request.header("content-type", "application/json")
    };
    let mut entries = conformance::entries(device, 1, 3);
    let administrator = crate::common::administrator_of(&server, "PUA Galatina");
    entries.iter_mut().for_each(|entry| entry.operator_id = administrator);
    let push = serde_json::to_value(PushRequest::new(device, &entries)).unwrap();
    check(&document, "post", "/api/v1/push", None, &push);
    let pushed: Value = signed("POST", "/api/v1/push", &push).send().await.unwrap().json().await.unwrap();
    check(&document, "post", "/api/v1/push", Some("200"), &pushed);
    // The check can fail: a body the server would not send does not fit.
    let answer = schema(&document, "post", "/api/v1/push", Some("200"));
    let mut altered = pushed.clone();
    altered["acknowledged"] = Value::from("three");
    assert!(fits(&document, answer, &altered, "altered").is_err());
    altered = serde_json::json!({ "rejected": [] });
    assert!(fits(&document, answer, &altered, "missing").is_err());
    altered = serde_json::json!({ "acknowledged": 3, "rejected": [], "extra": true });
    assert!(fits(&document, answer, &altered, "extra").is_err());

    let reader = RawReader::enroll(&server, &http).await;
    let page: Value = reader.get(&http, &server.base, "/api/v1/pull?after=0&limit=100").await;
    assert_eq!(page["entries"].as_array().unwrap().len(), 3);
    check(&document, "get", "/api/v1/pull", Some("200"), &page);

    // The snapshot of the device that wrote them leaves them out: it holds them.
    let own: Value = signed("GET", "/api/v1/snapshot", &Value::Null).send().await.unwrap().json().await.unwrap();
    assert_eq!(own["entries"].as_array().unwrap().len(), 0, "{own}");
    let snapshot: Value = reader.get(&http, &server.base, "/api/v1/snapshot").await;
    assert_eq!(snapshot["entries"].as_array().unwrap().len(), 3, "{snapshot}");
    check(&document, "get", "/api/v1/snapshot", Some("200"), &snapshot);

    server.storage.set_stp_eni_series(&StpEniSeries { region: "160".into(), asl: "116".into() }, None).unwrap();
    let wanted = serde_json::to_value(StpEniBlockRequest {
        protocol: PROTOCOL_VERSION,
        kind: porta::rules::stp_eni::StpEniKind::Stp,
        count: 10,
    })
    .unwrap();
    check(&document, "post", "/api/v1/stp-eni-blocks", None, &wanted);
    let block: Value = signed("POST", "/api/v1/stp-eni-blocks", &wanted).send().await.unwrap().json().await.unwrap();
    check(&document, "post", "/api/v1/stp-eni-blocks", Some("200"), &block);

    let accounts: Value = signed("GET", "/api/v1/operators", &Value::Null).send().await.unwrap().json().await.unwrap();
    let roles: Vec<(&str, &str)> = accounts["operators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|account| (account["login"].as_str().unwrap(), account["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("admin", "administrator"), ("m.rossi", "mediator")]);
    check(&document, "get", "/api/v1/operators", Some("200"), &accounts);
    let audit = serde_json::json!({ "protocol": PROTOCOL_VERSION, "lines": [{
        "seq": 1, "at_ms": clock.now_ms(), "operator_id": Uuid::now_v7(), "action": "read",
        "folder_id": Uuid::now_v7(), "section": "folder", "health_restricted": false
    }]});
    check(&document, "post", "/api/v1/audit", None, &audit);
    let stored: Value = signed("POST", "/api/v1/audit", &audit).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored["acknowledged"], 1);
    check(&document, "post", "/api/v1/audit", Some("200"), &stored);

    server.storage.share_folder(Uuid::from_u128(7), "Soleto").unwrap();
    let scope: Value = signed("GET", "/api/v1/scope?after=0", &Value::Null).send().await.unwrap().json().await.unwrap();
    check(&document, "get", "/api/v1/scope", Some("200"), &scope);
    let path = format!("/api/v1/folder-entries?folder={}&after=0&upto=100", Uuid::from_u128(7));
    let history: Value = signed("GET", &path, &Value::Null).send().await.unwrap().json().await.unwrap();
    assert_eq!(history["entries"].as_array().unwrap().len(), 3);
    check(&document, "get", "/api/v1/folder-entries", Some("200"), &history);
    let elsewhere = format!("/api/v1/folder-entries?folder={}&after=0&upto=100", Uuid::from_u128(8));
    let refused = signed("GET", &elsewhere, &Value::Null).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["code"], "out_of_scope");
    check(&document, "get", "/api/v1/folder-entries", Some("403"), &error);

    let replayed = signed("POST", "/api/v1/push", &Value::Null).header("x-porta-nonce", "0".repeat(32));
    let refused = replayed.send().await.unwrap();
    let status = refused.status().as_u16().to_string();
    let error: Value = refused.json().await.unwrap();
    check(&document, "post", "/api/v1/push", Some(&status), &error);
}

/// A second device that pulls what the first pushed.
struct RawReader {
    id: Uuid,
    key: DeviceKey,
}

impl RawReader {
    async fn enroll(server: &Server, http: &reqwest::Client) -> RawReader {
        let key = DeviceKey::generate(&SystemRandom::new()).unwrap();
        let id = Uuid::now_v7();
        let request = EnrollRequest {
            protocol: PROTOCOL_VERSION,
            code: server.code("Ufficio", 10),
            device_id: id,
            public_key: data_encoding::BASE64URL_NOPAD.encode(key.public_key()),
            login: "admin".into(),
        };
        let answer = http.post(format!("{}/api/v1/enroll", server.base)).json(&request).send().await.unwrap();
        assert_eq!(answer.status(), 200);
        RawReader { id, key }
    }

    /// A signed GET of `path` (with its query).
    async fn get(&self, http: &reqwest::Client, base: &str, path: &str) -> Value {
        let headers = self.key.sign(self.id, "GET", path, b"", SystemClock.now_ms(), &SystemRandom::new()).unwrap();
        let mut request = http.get(format!("{base}{path}"));
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        request.send().await.unwrap().json().await.unwrap()
    }
}

//! The real server, on a loopback port, answers its health check and refuses unknown paths.

use porta::{ErrorCode, ErrorPayload};
use porta_server::routes::Health;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Starts the server on `127.0.0.1:0`; dropping the returned sender stops it.
async fn spawn_server() -> (String, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let storage = std::sync::Arc::new(porta_server::storage::sqlite::SqliteStore::in_memory().unwrap());
    tokio::spawn(porta_server::serve(listener, storage, async {
        let _ = stopped.await;
    }));
    (format!("http://{address}"), stop)
}

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let (base, _stop) = spawn_server().await;
    let response = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"), "every answer carries a request id");
    let health: Health = response.json().await.unwrap();
    assert_eq!(health, Health { status: "ok".into(), version: porta::VERSION.into() });
}

#[tokio::test]
async fn an_unknown_path_is_a_not_found_error_in_italian() {
    let (base, _stop) = spawn_server().await;
    let response = reqwest::get(format!("{base}/no/such/route")).await.unwrap();
    assert_eq!(response.status(), 404);
    let error: ErrorPayload = response.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.starts_with("L'indirizzo richiesto non esiste"), "{}", error.message);
}

#[tokio::test]
async fn the_server_stops_when_asked() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let storage = std::sync::Arc::new(porta_server::storage::sqlite::SqliteStore::in_memory().unwrap());
    let server = tokio::spawn(porta_server::serve(listener, storage, async {
        let _ = stopped.await;
    }));
    stop.send(()).unwrap();
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(5), server).await;
    assert!(matches!(outcome, Ok(Ok(Ok(())))), "graceful shutdown completes: {outcome:?}");
}

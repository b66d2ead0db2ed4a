//! Cold start of the desktop app: from launching the real window until its unlock screen
//! can be typed into, measured through WebDriver (tauri-driver and WebKitWebDriver, the same
//! tools as the end-to-end tests) on the display in `DISPLAY` (Xvfb under `cargo xtask bench`).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::measure::Samples;

/// The unlock screen's passphrase field: present once the window shows the unlock form.
const UNLOCK_FIELD: &str = "#unlock-passphrase";
const PATIENCE: Duration = Duration::from_secs(60);

/// Launches of the app, in order (the first with the least in the page cache).
pub struct ColdStart {
    pub launches: Samples,
    pub first_ms: f64,
}

/// tauri-driver in a process group of its own, stopped with everything it started
/// (WebKitWebDriver, which would outlive it otherwise) when dropped.
pub(crate) struct Driver {
    process: Child,
    pub(crate) base: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = rustix::process::kill_process_group(
            rustix::process::Pid::from_child(&self.process),
            rustix::process::Signal::KILL,
        );
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|error| format!("no free loopback port: {error}"))?;
    Ok(listener.local_addr().map_err(|error| error.to_string())?.port())
}

fn tauri_driver() -> Result<PathBuf, String> {
    let installed = std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo/bin/tauri-driver"));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|folder| folder.join("tauri-driver"))
        .chain(installed)
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| "tauri-driver is not installed: `cargo xtask bench` installs it".to_owned())
}

/// Starts tauri-driver with the app's data folder set to `data_dir`.
pub(crate) fn start_driver(data_dir: &Path) -> Result<Driver, String> {
    if std::env::var_os("DISPLAY").is_none() {
        return Err("no display: run the suite with `cargo xtask bench`, which starts Xvfb".into());
    }
    let (port, native_port) = (free_port()?, free_port()?);
    let process = Command::new(tauri_driver()?)
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("PORTA_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|error| format!("cannot start tauri-driver: {error}"))?;
    let driver = Driver { process, base: format!("http://127.0.0.1:{port}") };
    // tauri-driver listens, and WebKitWebDriver behind it.
    let deadline = Instant::now() + PATIENCE;
    for port in [port, native_port] {
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not listen within a minute".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    Ok(driver)
}

/// Launches `app` `launches` times on the store in `data_dir` (which must hold a locked
/// store, so that the window opens on the unlock screen); each launch is timed from the
/// WebDriver request that starts the app until the unlock form's passphrase field exists.
pub fn measure(app: &Path, data_dir: &Path, launches: usize) -> Result<ColdStart, String> {
    if !app.is_file() {
        return Err(format!("{} does not exist: build the desktop app first", app.display()));
    }
    let driver = start_driver(data_dir)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|error| error.to_string())?;
    let client = reqwest::Client::new();
    let mut samples = Samples::default();
    let mut first_ms = None;
    for _ in 0..launches {
        let started = Instant::now();
        let session = runtime.block_on(launch(&client, &driver.base, app))?;
        let found = runtime.block_on(wait_for(&client, &driver.base, &session, UNLOCK_FIELD));
        let took = started.elapsed();
        runtime
            .block_on(client.delete(format!("{}/session/{session}", driver.base)).send())
            .map_err(|error| format!("closing the window: {error}"))?;
        found?;
        samples.push(took);
        first_ms.get_or_insert(took.as_secs_f64() * 1000.0);
        // Let the closed window's process leave before the next launch.
        std::thread::sleep(Duration::from_millis(500));
    }
    Ok(ColdStart { launches: samples, first_ms: first_ms.ok_or("no launch")? })
}

pub(crate) async fn launch(client: &reqwest::Client, base: &str, app: &Path) -> Result<String, String> {
    let capabilities = json!({
        "capabilities": {
            "alwaysMatch": { "browserName": "wry", "tauri:options": { "application": app } },
            "firstMatch": [{}]
        }
    });
    // WebKitWebDriver sometimes drops a connection while a previous session is closing; a
    // launch is retried a few times, as the end-to-end tests do.
    let mut attempt = 0;
    let answer = loop {
        attempt += 1;
        match client.post(format!("{base}/session")).json(&capabilities).send().await {
            Ok(answer) => break answer,
            Err(error) if attempt == 3 => {
                return Err(format!("WebDriver did not start the app: {}", with_causes(&error)));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(500 * attempt)).await,
        }
    };
    let answer: Value = answer.json().await.map_err(|error| format!("WebDriver's answer: {error}"))?;
    answer["value"]["sessionId"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("WebDriver did not start the app: {}", answer["value"]))
}

/// Polls until an element matching `selector` exists.
pub(crate) async fn wait_for(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    selector: &str,
) -> Result<(), String> {
    let deadline = Instant::now() + PATIENCE;
    let query = json!({ "using": "css selector", "value": selector });
    loop {
        let answer = client
            .post(format!("{base}/session/{session}/element"))
            .json(&query)
            .send()
            .await
            .map_err(|error| format!("WebDriver: {error}"))?;
        if answer.status().is_success() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the window showed no {selector} within a minute"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// An error with the errors that caused it, which reqwest keeps apart.
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

//! `porta --version`: what an office's IT and the Windows installers' checks ask of the app. It
//! answers without a window, so it works where no display or WebView is.

use std::process::Command;

#[test]
fn the_app_says_its_version_without_opening_a_window() {
    let out = Command::new(env!("CARGO_BIN_EXE_porta-desktop"))
        .arg("--version")
        // No display and an unusable data folder: a window or a store opened would fail loudly.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("PORTA_DATA_DIR", "/dev/null/not-a-folder")
        .output()
        .expect("the app runs");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("porta {}\n", env!("CARGO_PKG_VERSION")));
}

fn main() {
    // Declaring the app's own commands makes each one a permission: the window may call only
    // those that `capabilities/main-window.json` grants.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "set_locale",
        "set_up",
        "unlock",
        "reset_passphrase",
        "activate",
        "lock",
        "keep_alive",
        "sync_status",
        "sync_now",
        "enroll_device",
        "conflicts",
        "resolve_conflict",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri configuration and capabilities are valid");
}

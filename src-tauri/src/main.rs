// Without this a console window would open beside Porta on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    porta_desktop::run();
}

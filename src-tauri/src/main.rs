// Hides the console window of a release build on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    mission_crm_app::run();
}

//! An empty Tauri 2 window and nothing else (no commands, no plugins): what
//! `make bench` holds Mission CRM's start-up and memory against. Its page
//! marks its first paint the way the app's first list does.

// No console window on Windows, as for the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // The app's WebKit setting (`mission_crm_app::webkit_defaults`), so the
    // two are measured on the same renderer; the benchmark also runs this
    // window with `WEBKIT_DISABLE_DMABUF_RENDERER=0`, WebKit's own default.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the empty window could not start: {e}");
        std::process::exit(1);
    }
}

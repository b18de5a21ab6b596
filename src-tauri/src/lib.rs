//! Mission CRM's desktop shell. It adapts the engine to Tauri and nothing
//! more: [`commands`] binds engine functions to IPC, [`state`] holds the
//! store, and [`handlers`] registers both the same way for the app and for
//! the IPC tests.

pub mod attachments;
pub mod backups;
pub mod commands;
pub mod dialogs;
pub mod money;
pub mod reminders;
pub mod state;
pub mod transfer;
pub mod watch;

use mission_crm_engine::db::PageCheck;
use mission_crm_engine::{paths, Change};
use specta_typescript::{BigIntExportBehavior, Typescript};
use tauri::{Emitter, Manager, Runtime};

use crate::state::AppState;

include!("command_names.rs");

/// The event every committed write emits, carrying `Change[]`.
pub const CHANGE_EVENT: &str = "store-change";
/// The event the page check after start emits when the file is damaged,
/// carrying the `ErrorBody` (code `corrupt`).
pub const DAMAGED_EVENT: &str = "store-damaged";

/// The page check waits at least 3 s, past the window's first paint here
/// (~1 s): on two cores, reading a big file through beside WebKit's start
/// would delay it; then it waits for a pause ([`check_pages_later`]).
/// Meanwhile SQLite refuses most writes to a damaged page, not all
/// (docs/SAFETY.md).
pub const PAGE_CHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(3);
/// A check that could not run (the file busy, a read error) is tried again.
const PAGE_CHECK_RETRY: std::time::Duration = std::time::Duration::from_secs(60);
/// How long no command must have come before the page check reads.
const QUIET_BEFORE_CHECK: std::time::Duration = std::time::Duration::from_secs(2);
/// How long after its first try the page check gives way; then it reads
/// regardless (a damaged file must not go unnoticed while the user works).
const CHECK_GIVES_WAY_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// The names of the events the window listens to, as one constant of the
/// bindings.
#[derive(serde::Serialize, specta::Type)]
struct Events {
    /// Payload: `Change[]`, after every committed write; empty when
    /// everything may have changed (an import, a restore, a big write).
    change: &'static str,
    /// Payload: `Reminder[]`, when follow-ups fall due.
    reminder: &'static str,
    /// Payload: `ErrorBody`, when the database turns out to be damaged.
    damaged: &'static str,
}

/// The typed command set; the bindings in `ui/src/lib/bindings.ts` are
/// generated from it.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::load_demo,
            commands::list_missions,
            commands::get_mission,
            commands::create_mission,
            commands::update_mission,
            commands::list_organizations,
            commands::get_organization,
            commands::create_organization,
            commands::update_organization,
            commands::list_contacts,
            commands::get_contact,
            commands::create_contact,
            commands::update_contact,
            commands::list_agenda,
            commands::list_follow_ups,
            commands::list_agreements,
            commands::create_agreement,
            commands::update_agreement,
            commands::set_follow_up_status,
            commands::reschedule_follow_up,
            commands::set_agreement_stage,
            commands::delete_record,
            commands::restore_record,
            commands::list_trash,
            commands::undo,
            commands::capture,
            commands::list_notes,
            commands::record_history,
            attachments::list_attachments,
            attachments::add_attachment,
            attachments::remove_attachment,
            attachments::attachment_preview,
            attachments::save_attachment,
            attachments::open_attachment,
            commands::get_meeting,
            commands::create_meeting,
            commands::update_meeting,
            commands::mission_stats,
            commands::get_agreement,
            commands::reassign_follow_up,
            commands::list_delegates,
            money::list_rates,
            money::add_rate,
            money::delete_rate,
            money::convert_amount,
            commands::list_tags,
            commands::list_sectors,
            commands::search,
            commands::find_duplicates,
            commands::set_language,
            commands::merge_contacts,
            transfer::choose_import_file,
            transfer::preview_import,
            transfer::run_import,
            transfer::restore_export,
            transfer::import_progress,
            transfer::cancel_import,
            transfer::list_imports,
            transfer::undo_import,
            transfer::export_to_file,
            backups::list_backups,
            backups::backup_now,
            backups::restore_backup,
            backups::recover_from_backup,
            transfer::save_report,
            transfer::save_delegation_book,
            transfer::mission_report,
        ])
        .typ::<Change>()
        .typ::<commands::StartSnapshot>()
        .typ::<mission_crm_engine::reminder::Reminder>()
        // One constant: tauri-specta writes constants in hash order, and
        // the bindings must come out the same on every run.
        .constant(
            "EVENTS",
            Events {
                change: CHANGE_EVENT,
                reminder: reminders::REMINDER_EVENT,
                damaged: DAMAGED_EVENT,
            },
        )
}

/// How the bindings are written: 64-bit integers as `number` (amounts are
/// capped at 2^53 minor units by the engine, so they stay exact in JS).
pub fn bindings_language() -> Typescript {
    Typescript::default()
        .bigint(BigIntExportBehavior::Number)
        .header("// Generated from the Rust types by `cargo test -p mission-crm`. Do not edit.\n// @ts-nocheck (generated helpers the app does not use would fail noUnusedLocals)\n")
}

/// Registers the state, the handlers and the change forwarding. The app and
/// the IPC tests both go through here, so the tests exercise what ships.
pub fn handlers<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let specta = specta_builder::<R>();
    let start = start_script(&state);
    builder
        .manage(state)
        .invoke_handler(specta.invoke_handler())
        .plugin(change_forwarding(start))
}

/// The page's first data as a script run before the page's own: the first
/// list then needs no IPC round trip, which at start costs ~100 ms because
/// the main thread that answers IPC is busy creating the window
/// (`make bench`). The page still asks again once it listens for changes.
pub const START_GLOBAL: &str = "__MISSION_CRM_START__";

fn start_script(state: &AppState) -> String {
    let snapshot = commands::start_snapshot(state);
    // JSON is a JavaScript expression (serde_json escapes quotes, backslashes
    // and control characters); it runs as a WebKit user script, not as HTML.
    match serde_json::to_string(&snapshot) {
        // Not writable and not reconfigurable; its inner objects are plain.
        Ok(json) => format!(
            "Object.defineProperty(window, '{START_GLOBAL}', {{ value: Object.freeze({json}) }});"
        ),
        Err(_) => String::new(),
    }
}

/// A plugin for its setup hook and its start script: plugins are
/// initialised when the app is built (the app's own `setup` waits for the
/// event loop), so the forwarding and an upgrade's start are in place for
/// the IPC tests too. It has no commands and needs no permission.
fn change_forwarding<R: Runtime>(start_script: String) -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("store-changes")
        .js_init_script(start_script)
        .setup(|app, _api| {
            forward_changes(app);
            // After the single-instance plugin's own setup (registered
            // first): a second start has handed over and exited by now.
            app.state::<AppState>().begin_upgrade();
            Ok(())
        })
        .build()
}

/// Up to how many changes an event lists; a write that made more (taking
/// back an import of a million people trashes each of them) announces an
/// empty list, which the window reads as "reload everything", as it does
/// after an import. The window reloads what it shows on any change, so the
/// list would only be tens of megabytes of JSON to make and parse.
pub const CHANGES_LISTED: usize = 1000;

/// Forwards the store's committed changes to the web view.
fn forward_changes<R: Runtime>(app: &tauri::AppHandle<R>) {
    let handle = app.clone();
    app.state::<AppState>().when_open(move |store| {
        store.subscribe(move |changes: &[Change]| {
            let listed: &[Change] = if changes.len() > CHANGES_LISTED {
                &[]
            } else {
                changes
            };
            // A closed window is not an error worth surfacing.
            let _ = handle.emit(CHANGE_EVENT, listed);
        });
    });
}

/// Reads every page of the database `after` a while (the window is up by
/// then), and tells the window if the file is damaged (it then offers the
/// newest good backup). The reading waits for a pause in the user's work
/// (no command for [`QUIET_BEFORE_CHECK`]) and stops when they are back:
/// at a million contacts it takes ~13 s, and beside it, even at the lowest
/// priority, scrolling and opening screens were slower (`make bench`). It
/// gives way for [`CHECK_GIVES_WAY_FOR`] at most, then reads regardless. A
/// check that could not run is tried again.
pub fn check_pages_later<R: Runtime>(app: tauri::AppHandle<R>, after: std::time::Duration) {
    let spawned = std::thread::Builder::new()
        .name("page-check".into())
        .spawn(move || {
            background_priority();
            std::thread::sleep(after);
            let state = app.state::<AppState>();
            let first_try = std::time::Instant::now();
            let mut failed = 0;
            loop {
                let regardless = first_try.elapsed() >= CHECK_GIVES_WAY_FOR;
                let quiet = state.activity.quiet_for();
                if !regardless && quiet < QUIET_BEFORE_CHECK {
                    std::thread::sleep(QUIET_BEFORE_CHECK - quiet);
                    continue;
                }
                match state.check_pages(regardless) {
                    Ok(PageCheck::Sound) => return,
                    Ok(PageCheck::GaveWay) => {}
                    Err(e) if e.code == mission_crm_engine::ErrorCode::Corrupt => {
                        let _ = app.emit(DAMAGED_EVENT, e);
                        return;
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("mission-crm: page check {failed} of 3 could not run: {e:?}");
                        if failed == 3 {
                            return;
                        }
                        std::thread::sleep(PAGE_CHECK_RETRY);
                    }
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("mission-crm: the page check did not start: {e}");
    }
}

/// Lowers the calling thread to the lowest CPU priority (nice 19; on Linux
/// the nice value is per thread). For work that reads the whole file (the
/// page check: ~13 s at a million contacts; backups and their check): on a
/// two-core laptop it would otherwise take a core from the window while
/// the user scrolls; at nice 19 it gets what the window leaves.
pub(crate) fn background_priority() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(None, 19) {
        eprintln!("mission-crm: background work keeps the normal priority: {e}");
    }
}

/// WebKitGTK's DMA-BUF renderer (the default since 2.42) paints nothing on
/// many NVIDIA, Wayland and virtual-machine setups, and where the GPU is a
/// software one (a VM, a remote desktop, Xvfb) it cost a scrolled list
/// ~150 ms a frame and 70 MB more, against ~20 ms with the older renderer
/// (`make bench`). So, as many WebKitGTK apps do, the older renderer is the
/// default; `WEBKIT_DISABLE_DMABUF_RENDERER=0` brings the new one back.
/// Called first, before any thread exists (the environment is process-wide).
pub fn webkit_defaults() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

pub fn run() {
    webkit_defaults();
    let state = match paths::require_db_path() {
        Ok(path) => AppState::open_or_upgrade(path),
        Err(e) => AppState::unavailable(e),
    };
    let builder = tauri::Builder::default()
        // First: a second start hands over to the running window (one writer
        // per database, and no two windows disagreeing about it).
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let state = app.state::<AppState>();
            state.set_picker(dialogs::picker(
                app.handle().clone(),
                state.language.clone(),
            ));
            state.set_opener(attachments::system_opener());
            let (handle, db_path) = (app.handle().clone(), state.db_path.clone());
            let language = state.language.clone();
            state.when_open(move |store| {
                reminders::start(&handle, store.clone(), language);
                watch::start(store.clone(), db_path);
                check_pages_later(handle, PAGE_CHECK_AFTER);
            });
            Ok(())
        });
    let app = handlers(builder, state).build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Mission CRM could not start: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The calling thread's nice value, from /proc (field 19 of its stat;
    /// counted after the command name, which may hold spaces).
    fn nice_of_this_thread() -> i32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
        let after_name = stat.rsplit_once(')').expect("a name").1;
        after_name
            .split_whitespace()
            .nth(16)
            .expect("nice")
            .parse()
            .expect("a number")
    }

    #[test]
    fn background_work_runs_at_the_lowest_priority_and_only_its_thread_does() {
        let before = nice_of_this_thread();
        let in_thread = std::thread::spawn(|| {
            super::background_priority();
            nice_of_this_thread()
        })
        .join()
        .expect("thread");
        assert_eq!(in_thread, 19);
        assert_eq!(
            nice_of_this_thread(),
            before,
            "the caller's thread keeps its priority"
        );
    }
}

//! The contract between the app and its web view: the generated bindings,
//! the command list, the capability, commands off the main thread, the
//! start snapshot.

use super::*;

/// The committed TypeScript bindings must be what the Rust types generate.
/// Run `UPDATE_BINDINGS=1 cargo test -p mission-crm --test ipc` after
/// changing a command or a type.
#[test]
fn typescript_bindings_are_up_to_date() {
    let dir = tempfile::tempdir().expect("dir");
    let fresh = dir.path().join("bindings.ts");
    specta_builder::<tauri::Wry>()
        .export(bindings_language(), &fresh)
        .expect("bindings export");
    let fresh = std::fs::read_to_string(&fresh).expect("read fresh bindings");
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).expect("write bindings");
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p mission-crm --test ipc`"
    );
}

/// COMMANDS (which build.rs turns into permissions), the registered
/// handlers (visible in the bindings) and the capability must agree, so the
/// web view can call exactly the app's commands.
#[test]
fn the_capability_grants_exactly_the_registered_commands() {
    let bindings = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS))
        .expect("bindings");
    let mut invoked: Vec<&str> = bindings
        .split("TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    invoked.sort_unstable();
    let mut declared = COMMANDS.to_vec();
    declared.sort_unstable();
    assert_eq!(invoked, declared, "handlers and COMMANDS differ");

    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/default.json"),
        )
        .expect("capability"),
    )
    .expect("json");
    let mut granted: Vec<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    granted.sort_unstable();
    let mut expected: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .chain([
            "core:event:allow-listen".to_owned(),
            "core:event:allow-unlisten".to_owned(),
        ])
        .collect();
    expected.sort_unstable();
    assert_eq!(granted, expected);
}

/// The web view is granted only commands it uses: each one is called as
/// `api.<name>` somewhere in the UI's sources.
#[test]
fn every_granted_command_is_used_by_the_ui() {
    fn sources(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).expect("ui sources").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "svelte" || e == "ts")
                && path.file_name().is_some_and(|n| n != "bindings.ts")
            {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    let mut ui = String::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src"),
        &mut ui,
    );
    let unused: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|command| {
            let mut parts = command.split('_');
            let first = parts.next().unwrap_or_default().to_owned();
            let camel = parts.fold(first, |mut acc, p| {
                let mut chars = p.chars();
                if let Some(c) = chars.next() {
                    acc.extend(c.to_uppercase());
                    acc.push_str(chars.as_str());
                }
                acc
            });
            !ui.contains(&format!("api.{camel}("))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "granted but unused by the UI: {unused:?}"
    );
}

/// Tauri runs a synchronous command on the main thread, where it would hold
/// every frame of the window until it returns; an `async` command runs on
/// the async runtime (and ours hand SQLite to the blocking pool). So every
/// command must be declared `async fn`, which this reads from the sources.
#[test]
fn every_command_runs_off_the_main_thread() {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("src").expect("src") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() != "#[tauri::command]" {
                continue;
            }
            let signature = lines
                .by_ref()
                .find(|l| l.trim_start().starts_with("pub"))
                .unwrap_or_default()
                .trim();
            let name = signature
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split(['(', '<']).next())
                .unwrap_or(signature)
                .to_owned();
            assert!(
                signature.starts_with("pub async fn"),
                "{}: `{signature}` would run on the main thread",
                path.display()
            );
            found.push(name);
        }
    }
    found.sort();
    let mut declared = COMMANDS.to_vec();
    declared.sort();
    assert_eq!(found, declared, "every registered command was read");
}

/// The page finds the start snapshot under the name the app gives it.
#[test]
fn the_page_reads_the_start_snapshot_the_app_writes() {
    let session = std::fs::read_to_string("../ui/src/lib/session.svelte.ts").expect("session");
    assert!(
        session.contains(&format!("'{}'", mission_crm_app::START_GLOBAL)),
        "ui/src/lib/session.svelte.ts names {}",
        mission_crm_app::START_GLOBAL
    );
}

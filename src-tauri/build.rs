include!("src/command_names.rs");

fn main() {
    // Declaring the commands makes Tauri generate one permission per command
    // and deny any command that a capability does not grant.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}

// The app's IPC commands, by name. Shared by build.rs (which turns each into
// an `allow-<name>` permission, so the web view may call only these) and by
// the tests that check the list, the handlers, the bindings and the
// capability agree.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "load_demo",
    "list_missions",
    "get_mission",
    "create_mission",
    "update_mission",
    "list_organizations",
    "get_organization",
    "create_organization",
    "update_organization",
    "set_participation",
    "list_contacts",
    "get_contact",
    "create_contact",
    "update_contact",
    "list_meetings",
    "list_follow_ups",
    "list_agreements",
    "create_agreement",
    "set_follow_up_status",
    "reschedule_follow_up",
    "set_agreement_stage",
    "delete_record",
    "restore_record",
    "list_trash",
    "undo_last_delete",
    "capture",
    "list_notes",
];

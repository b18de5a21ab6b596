use super::*;

/// The contact list's page query walks the name index: no table scan,
/// no sort of the whole table, at any size.
#[test]
fn a_contact_page_is_read_from_the_name_index() {
    let store = in_memory_db();
    let plan = store.read(contact::explain_list).expect("plan");
    assert!(
        plan.iter().any(|l| l.contains("contacts_by_name")),
        "{plan:#?}"
    );
    assert!(
        !plan.iter().any(|l| l.contains("TEMP B-TREE")),
        "sorts the table: {plan:#?}"
    );
    assert!(
        !plan
            .iter()
            .any(|l| l.starts_with("SCAN c ") && !l.contains("INDEX")),
        "{plan:#?}"
    );
}

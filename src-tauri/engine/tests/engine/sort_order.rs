//! The order names are listed in, in every script the product meets.

use super::*;

/// Names sort as their readers expect: ё among the е, each Kazakh letter
/// right after the Russian one it looks like (as the Kazakh alphabet has
/// them), accented Latin among its base letters. By code point, "Әлия" and
/// "Şatlyk" ended the lists.
#[test]
fn names_sort_in_alphabet_order_in_every_script() {
    let store = in_memory_db();
    let expected = [
        "Mulder",
        "Müller",
        "Mullet",
        "Şatlyk Öwezow",
        "Serdar Myradow",
        "Ýazgeldi Gurbanow",
        "Zhukov",
        "Абаев",
        "Әлия Нұрланқызы",
        "Бек",
        "Елисеев",
        "Ёлкин",
        "Жуков",
        "Ким",
        "Козлов",
        "Қасымова",
        "Лебедев",
        "Нұржан",
        "Нұрлан",
        "Нүрия",
        "О’Нил",
        "Өтебаев",
        "Сыздыков",
        "Сіргелі",
        "Яковлев",
    ];
    store
        .write(Source::App, |tx| {
            for name in expected.iter().rev() {
                contact::create(tx, &contact_named(name))?;
                organization::create(
                    tx,
                    &OrganizationInput {
                        name: (*name).into(),
                        ..OrganizationInput::default()
                    },
                )?;
            }
            Ok(())
        })
        .expect("people");
    let people: Vec<String> = super::lists::every_page(&store, ContactFilter::default(), 100)
        .into_iter()
        .map(|c| c.full_name)
        .collect();
    assert_eq!(people, expected);
    let organizations: Vec<String> = store
        .read(|db| organization::list(db, &OrganizationFilter::default()))
        .expect("organizations")
        .items
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(organizations, expected);
}

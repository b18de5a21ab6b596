//! Finding probable duplicates: the same name across scripts, a shared
//! phone or e-mail, in pages a screen can show.

use super::*;
use mission_crm_engine::duplicates::{self, Reason};

pub(crate) fn person(name: &str, phone: &str, email: &str) -> ContactInput {
    ContactInput {
        phones: [phone]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Phone {
                number: (*p).into(),
                label: String::new(),
            })
            .collect(),
        emails: [email]
            .iter()
            .filter(|e| !e.is_empty())
            .map(|e| Email {
                address: (*e).into(),
                label: String::new(),
            })
            .collect(),
        ..contact_named(name)
    }
}

#[test]
fn duplicates_are_found_by_name_across_scripts_by_phone_and_by_e_mail() {
    let store = in_memory_db();
    store
        .write(Source::App, |tx| {
            for input in [
                person("Кайырболат Сахметов", "+7 701 123 45 67", ""),
                person("Sakhmetov Kairbolat", "", "k.s@kaztrade.kz"),
                person("K. Sakhmetov", "+77011234567", ""),
                person("Aigerim N.", "", "K.S@KAZTRADE.KZ"),
                person("Мерген Атаев", "+993 65 11 22 33", "m@ataev.tm"),
            ] {
                contact::create(tx, &input)?;
            }
            Ok(())
        })
        .expect("people");
    let pairs = store.read(|db| duplicates::find(db, 100)).expect("pairs");
    let seen: Vec<(String, String, Vec<Reason>)> = pairs
        .into_iter()
        .map(|p| {
            let mut names = [p.a_name, p.b_name];
            names.sort();
            let [x, y] = names;
            (x, y, p.reasons)
        })
        .collect();
    assert!(seen.contains(&(
        "Sakhmetov Kairbolat".into(),
        "Кайырболат Сахметов".into(),
        vec![Reason::Name]
    )));
    assert!(seen.contains(&(
        "K. Sakhmetov".into(),
        "Кайырболат Сахметов".into(),
        vec![Reason::Phone]
    )));
    assert!(seen.contains(&(
        "Aigerim N.".into(),
        "Sakhmetov Kairbolat".into(),
        vec![Reason::Email]
    )));
    assert!(
        !seen
            .iter()
            .any(|(a, b, _)| a.contains("Атаев") || b.contains("Атаев")),
        "{seen:#?}"
    );
}

/// One word is too little to call two people one ("Mom", "Taxi" from a
/// phone's address book filled the screen's first pairs); and a shared
/// phone or e-mail comes before a shared name alone, which is often two
/// people, so the pairs cut off are the weakest.
#[test]
fn one_word_namesakes_are_no_pair_and_shared_numbers_come_before_names() {
    let store = in_memory_db();
    store
        .write(Source::App, |tx| {
            for input in [
                person("Taxi", "", ""),
                person("Taxi", "", ""),
                person("Aman Orazow", "", ""),
                person("Aman Orazow", "", ""),
                person("Zhanna Seitova", "+7 701 555 00 11", ""),
                person("Zhanna Nurlanova", "+7 701 555 00 11", ""),
            ] {
                contact::create(tx, &input)?;
            }
            Ok(())
        })
        .expect("people");
    let names = |limit: usize| -> Vec<(String, Vec<Reason>)> {
        store
            .read(|db| duplicates::find(db, limit))
            .expect("pairs")
            .into_iter()
            .map(|p| (p.a_name, p.reasons))
            .collect()
    };
    assert_eq!(
        names(10),
        [
            ("Zhanna Seitova".to_owned(), vec![Reason::Phone]),
            ("Aman Orazow".to_owned(), vec![Reason::Name]),
        ]
    );
    assert_eq!(
        names(1),
        [("Zhanna Seitova".to_owned(), vec![Reason::Phone])]
    );
}

/// A contact's first phone and e-mail are on its row, the rest in child
/// tables (schema 8): a number shared first-with-further or
/// further-with-further is a duplicate all the same, each pair once, and
/// every address comes back in its place with its label.
#[test]
fn duplicates_are_found_through_further_phones_and_e_mails() {
    let store = in_memory_db();
    let with = |name: &str, phones: &[(&str, &str)], emails: &[(&str, &str)]| ContactInput {
        phones: phones
            .iter()
            .map(|(n, l)| Phone {
                number: (*n).into(),
                label: (*l).into(),
            })
            .collect(),
        emails: emails
            .iter()
            .map(|(a, l)| Email {
                address: (*a).into(),
                label: (*l).into(),
            })
            .collect(),
        ..contact_named(name)
    };
    let [first, second, third, fourth] = store
        .write(Source::App, |tx| {
            Ok([
                contact::create(
                    tx,
                    &with(
                        "Arman Dzhaksybekov",
                        &[("+77011110000", "mobile"), ("+77272220000", "work")],
                        &[("arman@example.kz", "work"), ("a.d@mail.kz", "home")],
                    ),
                )?,
                // Their further phone is this one's first.
                contact::create(tx, &with("Ruslan Bekov", &[("+77272220000", "")], &[]))?,
                // Their further e-mail is this one's further one.
                contact::create(
                    tx,
                    &with(
                        "Dana Omarova",
                        &[],
                        &[("dana@example.kz", ""), ("A.D@MAIL.KZ", "old")],
                    ),
                )?,
                // Nothing shared.
                contact::create(tx, &with("Timur Sadykov", &[("+77770000000", "")], &[]))?,
            ])
        })
        .expect("people");
    let back = store
        .read(|db| contact::get(db, first.id))
        .expect("first person");
    assert_eq!(
        (back.phones, back.emails),
        (first.phones.clone(), first.emails.clone()),
        "addresses in order with their labels"
    );
    assert_eq!(first.phones[1].label, "work");

    let pairs = store.read(|db| duplicates::find(db, 100)).expect("pairs");
    let found: Vec<([Id; 2], Vec<Reason>)> = pairs
        .iter()
        .map(|p| {
            let mut ids = [p.a, p.b];
            ids.sort();
            (ids, p.reasons.clone())
        })
        .collect();
    let pair = |x: Id, y: Id| {
        let mut ids = [x, y];
        ids.sort();
        ids
    };
    assert!(
        found.contains(&(pair(first.id, second.id), vec![Reason::Phone])),
        "{found:?}"
    );
    assert!(
        found.contains(&(pair(first.id, third.id), vec![Reason::Email])),
        "{found:?}"
    );
    assert_eq!(found.len(), 2, "each pair once, and no one else: {found:?}");
    assert!(!pairs.iter().any(|p| p.a == fourth.id || p.b == fourth.id));
}

/// Fifteen people of one name make ten pairs (the first of them with the
/// next ten), not 105; a shared phone among them is found all the same.
#[test]
fn a_big_group_of_namesakes_shows_its_first_pairs() {
    let store = in_memory_db();
    let people = store
        .write(Source::App, |tx| {
            let mut people = Vec::new();
            for i in 0..15 {
                let phone = if i == 14 {
                    "+77010000000".to_owned()
                } else {
                    format!("+7701000{i:04}")
                };
                people.push(contact::create(tx, &person("Иван Иванов", &phone, ""))?);
            }
            people.push(contact::create(
                tx,
                &person("Olga Petrova", "+77010000000", ""),
            )?);
            Ok(people)
        })
        .expect("people");
    let pairs = store.read(|db| duplicates::find(db, 100)).expect("pairs");
    // Fewer than the 100 asked for, and yet not all: the screen says so.
    let list = store.read(|db| duplicates::first(db, 100)).expect("first");
    assert!(
        list.pairs.len() < 100 && list.more,
        "{} pairs",
        list.pairs.len()
    );
    let by_name: Vec<_> = pairs
        .iter()
        .filter(|p| p.reasons == [Reason::Name])
        .collect();
    assert_eq!(by_name.len(), 10, "{pairs:#?}");
    assert!(by_name.iter().all(|p| p.a == people[0].id), "{by_name:#?}");
    let mut next: Vec<Id> = by_name.iter().map(|p| p.b).collect();
    next.sort();
    assert_eq!(next, people[1..11].iter().map(|c| c.id).collect::<Vec<_>>());
    assert!(
        pairs.iter().any(|p| p.a == people[14].id
            && p.b == people[15].id
            && p.reasons == [Reason::Phone]
            && p.b_name == "Olga Petrova"),
        "{pairs:#?}"
    );
}

#[test]
fn the_first_pairs_say_whether_there_are_more() {
    let store = in_memory_db();
    store
        .write(Source::App, |tx| {
            for i in 0..4 {
                let phone = format!("+7701000{i:04}");
                contact::create(tx, &person(&format!("Aa {i}"), &phone, ""))?;
                contact::create(tx, &person(&format!("Bb {i}"), &phone, ""))?;
            }
            Ok(())
        })
        .expect("four pairs");
    for (limit, shown, more) in [(3, 3, true), (4, 4, false), (10, 4, false)] {
        let list = store
            .read(|db| duplicates::first(db, limit))
            .expect("pairs");
        assert_eq!(
            (list.pairs.len(), list.more),
            (shown, more),
            "limit {limit}"
        );
    }
    let first = store.read(|db| duplicates::first(db, 3)).expect("pairs");
    let names: Vec<&str> = first.pairs.iter().map(|p| p.a_name.as_str()).collect();
    assert_eq!(names, ["Aa 0", "Aa 1", "Aa 2"], "strongest, then by name");
}

use super::*;
use mission_crm_engine::model::follow_up;
use mission_crm_engine::search::{self, MatchTier, SearchHit, SearchQuery};
use mission_crm_engine::trash;

pub(super) fn find(store: &Store, text: &str) -> Vec<SearchHit> {
    store
        .read(|db| {
            search::search(
                db,
                &SearchQuery {
                    text: text.into(),
                    entity: None,
                    limit: Some(50),
                },
            )
        })
        .expect("search")
}

pub(super) fn titles(store: &Store, text: &str) -> Vec<String> {
    find(store, text).into_iter().map(|h| h.title).collect()
}

#[test]
fn the_issues_examples_and_phones_and_e_mails_are_found() {
    let store = in_memory_db();
    store
        .write(Source::App, |tx| {
            contact::create(
                tx,
                &ContactInput {
                    emails: vec![Email {
                        address: "k.sakhmetov@kaztrade.kz".into(),
                        label: String::new(),
                    }],
                    phones: vec![Phone {
                        number: "+7 701 123 45 67".into(),
                        label: String::new(),
                    }],
                    ..contact_named("Кайырболат Сахметов")
                },
            )?;
            contact::create(tx, &contact_named("Фёдоров Иван"))?;
            contact::create(
                tx,
                &ContactInput {
                    phones: vec![Phone {
                        number: "+993 65 97 27 43".into(),
                        label: String::new(),
                    }],
                    ..contact_named("Gurbanguly Berdimuhamedow")
                },
            )?;
            Ok(())
        })
        .expect("people");
    let sakhmetov = "Кайырболат Сахметов";
    for query in [
        "sakhmetov",
        "САХМЕТОВ",
        "Сахм",
        "kairbolat sakh",
        "+7 701 123 45 67",
        "8 701 1234567",
        "701 123",
        "kaztrade",
        "k.sakhmetov@kaztrade.kz",
    ] {
        assert_eq!(titles(&store, query), [sakhmetov], "{query}");
    }
    // A Turkmen number: a three-digit country code, a trunk 8 at home,
    // dialled from abroad with 00 or, from Kazakhstan and Russia, 8 10.
    for query in [
        "+993 65 97 27 43",
        "8 65 97 27 43",
        "65 97",
        "00 993 65 97 27 43",
        "8 10 993 65 97 27 43",
        "8~10 993 65972743",
    ] {
        assert_eq!(
            titles(&store, query),
            ["Gurbanguly Berdimuhamedow"],
            "{query}"
        );
    }
    assert_eq!(titles(&store, "федоров"), ["Фёдоров Иван"]);
    assert_eq!(
        titles(&store, "бердымухамедов"),
        ["Gurbanguly Berdimuhamedow"]
    );
    assert!(
        titles(&store, "\"*) OR NEAR(").is_empty(),
        "FTS syntax is text"
    );
    assert!(titles(&store, "  ").is_empty());
}

#[test]
fn exact_words_come_before_prefixes_before_other_scripts() {
    let store = in_memory_db();
    store
        .write(Source::App, |tx| {
            for name in ["Sakhmetov", "Сахметова", "Сахметов"] {
                contact::create(tx, &contact_named(name))?;
            }
            Ok(())
        })
        .expect("people");
    let hits = find(&store, "сахметов");
    let seen: Vec<(&str, MatchTier)> = hits.iter().map(|h| (h.title.as_str(), h.tier)).collect();
    assert_eq!(
        seen,
        [
            ("Сахметов", MatchTier::Exact),
            ("Сахметова", MatchTier::Prefix),
            ("Sakhmetov", MatchTier::CrossScript)
        ]
    );
}

/// A company's name is also a word of every employee's e-mail address:
/// the company is found first, not after the first fifty of its people
/// (read in index order, they filled the hits and it was never shown).
#[test]
fn a_company_is_found_before_the_people_whose_addresses_carry_its_name() {
    let store = in_memory_db();
    store
        .write(Source::App, |tx| {
            for i in 0..60 {
                contact::create(
                    tx,
                    &ContactInput {
                        emails: vec![Email {
                            address: format!("person{i}@kazatomprom.kz"),
                            label: String::new(),
                        }],
                        ..contact_named(&format!("Employee {i}"))
                    },
                )?;
            }
            organization::create(
                tx,
                &OrganizationInput {
                    name: "Kazatomprom".into(),
                    ..OrganizationInput::default()
                },
            )
        })
        .expect("a company and its people");
    let hits = find(&store, "kazatomprom");
    assert_eq!(hits.len(), 50);
    assert_eq!(
        (hits[0].entity, hits[0].title.as_str()),
        (Entity::Organization, "Kazatomprom")
    );
}

/// Nor do the meetings that name the company, made after it, hide it; and
/// the index rebuilt (an upgrade) keeps that order.
#[test]
fn a_company_is_found_before_the_meetings_that_name_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("store");
    store
        .write(Source::App, |tx| {
            organization::create(
                tx,
                &OrganizationInput {
                    name: "Kazatomprom".into(),
                    ..OrganizationInput::default()
                },
            )?;
            let m = mission::create(tx, &mission_input())?;
            for i in 0..60 {
                meeting::create(tx, &meeting_input(m.id, &format!("Kazatomprom, visit {i}")))?;
            }
            organization::create(
                tx,
                &OrganizationInput {
                    name: "Kazatomprom Trading".into(),
                    ..OrganizationInput::default()
                },
            )
        })
        .expect("companies and meetings");
    let companies_first = |store: &Store| {
        let hits = find(store, "kazatomprom");
        assert_eq!(hits.len(), 50);
        let first: Vec<Entity> = hits[..2].iter().map(|h| h.entity).collect();
        assert_eq!(first, [Entity::Organization; 2], "{hits:#?}");
        assert_eq!(hits[2].entity, Entity::Meeting);
    };
    companies_first(&store);
    // An index made by an earlier version (4 numbered organizations among
    // the other records) is rebuilt when the file opens.
    drop(store);
    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute("UPDATE search_meta SET version = 4", [])
        .expect("an older index");
    companies_first(&Store::open(&path).expect("reopened"));
}

#[test]
fn every_kind_is_found_and_the_index_follows_trash_and_undo() {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let kinds =
        |q: &str| -> Vec<Entity> { find(&store, q).into_iter().map(|h| h.entity).collect() };
    assert!(kinds("Turkmenbashi").contains(&Entity::Organization));
    assert!(kinds("Turkmenistan").contains(&Entity::Mission));
    let agenda = store
        .read(|db| meeting::list(db, mission_id))
        .expect("agenda");
    assert!(kinds(&agenda[0].title).contains(&Entity::Meeting));
    let ledger = store
        .read(|db| agreement::list(db, Some(mission_id)))
        .expect("ledger");
    assert!(kinds(&ledger.agreements[0].title).contains(&Entity::Agreement));

    let person = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Şatlyk Öwezgeldiýew"))
        })
        .expect("created");
    store
        .write(Source::App, |tx| {
            mission_crm_engine::model::note::add(
                tx,
                Entity::Contact,
                person.id,
                "Wants cotton yarn via Turkmenbashi",
            )
        })
        .expect("note");
    let note = find(&store, "cotton yarn")
        .into_iter()
        .find(|h| h.entity == Entity::Note)
        .expect("the note");
    assert_eq!(note.parent, Some((Entity::Contact, person.id)));

    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, person.id)
        })
        .expect("deleted");
    assert!(
        titles(&store, "Öwezgeldiýew").is_empty(),
        "the trash is not searched"
    );
    let notes = |store: &Store| {
        find(store, "cotton yarn")
            .iter()
            .filter(|h| h.entity == Entity::Note)
            .count()
    };
    assert_eq!(notes(&store), 0, "nor are the notes on what is in it");
    store
        .write(Source::App, mission_crm_engine::undo::undo_last)
        .expect("undo");
    assert_eq!(titles(&store, "Овезгельдиев"), ["Şatlyk Öwezgeldiýew"]);
    assert_eq!(notes(&store), 1, "its note is found again");
}

/// A database upgraded from before search has its index built on open.
#[test]
fn an_upgraded_database_is_searchable_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("v1.db");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/schema-v1-demo.db"
        ),
        &copy,
    )
    .expect("copy");
    let store = Store::open(&copy).expect("upgraded");
    assert!(titles(&store, "сахметов")
        .iter()
        .any(|t| t.contains("Сахметов")));
}

/// A contact's index row has the contact's rowid (schema 8), and SQLite
/// gives the highest rowid out again once its row is deleted for good. The
/// deleted person's words must leave the index with the row (a trigger: the
/// indexing sees no row to read a rowid from), must not come back as
/// whoever gets the rowid next, and a trashed person has no name key for
/// the duplicate finder.
#[test]
fn a_contact_deleted_for_good_leaves_nothing_in_the_index_for_the_next_one() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("crm.db");
    let store = Store::open(&path).expect("open");
    store.write(Source::Demo, demo::load).expect("demo");
    let gone = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Zarina Tulegenova"))
        })
        .expect("created");
    assert_eq!(titles(&store, "Tulegenova"), ["Zarina Tulegenova"]);
    // Undoing the creation deletes the row itself.
    store
        .write(Source::App, mission_crm_engine::undo::undo_last)
        .expect("undo");
    let left: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT count(*) FROM search_index WHERE search_index MATCH 'words : tulegenova'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0, "the index row went with the contact");
    let next = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Yerlan Kenzhebekov"))
        })
        .expect("created");
    assert_ne!(gone.id, next.id);
    assert!(
        titles(&store, "Tulegenova").is_empty(),
        "the deleted person is not found"
    );
    assert_eq!(titles(&store, "Kenzhebekov"), ["Yerlan Kenzhebekov"]);

    // In the trash: no index row and no name key; back: both again.
    let twin = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Кенжебеков Ерлан"))
        })
        .expect("created");
    let name_pairs = |store: &Store| {
        store
            .read(|db| mission_crm_engine::duplicates::find(db, 50))
            .expect("duplicates")
            .into_iter()
            .filter(|p| [p.a, p.b].contains(&next.id) && [p.a, p.b].contains(&twin.id))
            .count()
    };
    assert_eq!(name_pairs(&store), 1, "namesakes across scripts");
    store
        .write(Source::App, |tx| {
            trash::delete(tx, Entity::Contact, twin.id)
        })
        .expect("trashed");
    assert_eq!(name_pairs(&store), 0, "the trash holds no duplicates");
    assert_eq!(titles(&store, "Kenzhebekov"), ["Yerlan Kenzhebekov"]);
    store
        .write(Source::App, |tx| {
            trash::restore(tx, Entity::Contact, twin.id)
        })
        .expect("restored");
    assert_eq!(name_pairs(&store), 1, "back from the trash");
    assert_eq!(titles(&store, "Kenzhebekov").len(), 2);
}

/// A rebuilt index (an upgrade, other folding rules, a restored export) is
/// the one the writes kept: each contact's row with as many words in each
/// column, every live contact's name key, the other records' rows, and the
/// same answers, further e-mails and phones included.
#[test]
fn a_rebuilt_index_is_the_one_the_writes_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, path) = file_store(&dir);
    store.write(Source::Demo, demo::load).expect("demo");
    store
        .write(Source::App, |tx| {
            let address = |a: &str| Email {
                address: a.into(),
                label: String::new(),
            };
            let number = |n: &str| Phone {
                number: n.into(),
                label: String::new(),
            };
            contact::create(
                tx,
                &ContactInput {
                    full_name_latin: "Dana Zhazylgan".into(),
                    position: "Chief engineer".into(),
                    emails: vec![address("dana@example.kz"), address("zhazylgan@example.kz")],
                    phones: vec![number("+77011234567"), number("+99365972743")],
                    ..contact_named("Дана Жазылған")
                },
            )?;
            let gone = contact::create(tx, &contact_named("Ушедший Человек"))?;
            trash::delete(tx, Entity::Contact, gone.id)?;
            Ok(())
        })
        .expect("written");
    let queries = [
        "дана",
        "zhazylgan",
        "zhazylgan@example",
        "65972743",
        "engineer",
        "сахметов",
        "ушедший",
    ];
    let state = |store: &Store| {
        let conn = rusqlite::Connection::open(&path).expect("open");
        let rows = |sql: &str| -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
            conn.prepare(sql)
                .expect("sql")
                .query_map([], |r| {
                    Ok((
                        r.get::<_, rusqlite::types::Value>(0)
                            .map(|v| format!("{v:?}").into_bytes())?,
                        r.get(1)?,
                    ))
                })
                .expect("rows")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        let contact_rows =
            rows("SELECT id, sz FROM search_index_docsize WHERE id < 1099511627776 ORDER BY id");
        let name_keys = rows("SELECT id, CAST(name_key AS BLOB) FROM contacts ORDER BY id");
        let other_rows = rows("SELECT entity || ' ' || title, NULL FROM search_docs ORDER BY 1");
        let answers: Vec<Vec<String>> = queries.iter().map(|q| titles(store, q)).collect();
        (contact_rows, name_keys, other_rows, answers)
    };
    let before = state(&store);
    assert!(
        before.3[3].contains(&"Дана Жазылған".to_owned()),
        "{:?}",
        before.3
    );
    assert!(before.3[6].is_empty(), "a trashed contact is not found");
    drop(store);

    rusqlite::Connection::open(&path)
        .expect("open")
        .execute("UPDATE search_meta SET version = version - 1", [])
        .expect("an index from older rules");
    let store = Store::open(&path).expect("rebuilt at open");
    assert_eq!(state(&store), before);
}

/// Numbers without letters are looked for as a phone first, then as words:
/// a follow-up is found by its due date ("2023-10-10" was read as a phone
/// only, and found nothing).
#[test]
fn a_date_typed_finds_what_falls_on_it() {
    let store = in_memory_db();
    store.write(Source::Demo, demo::load).expect("demo");
    let hits = find(&store, "2023-10-10");
    let due: Vec<String> = hits
        .iter()
        .filter(|h| h.entity == Entity::FollowUp)
        .map(|h| {
            store
                .read(|db| follow_up::get(db, h.id))
                .expect("follow-up")
                .due_on
                .to_string()
        })
        .collect();
    // The one due that day; others sharing its numbers ("2023", "10") come
    // too, as the words of a date are matched each on its own.
    assert!(due.iter().any(|d| d == "2023-10-10"), "{due:?}");
}

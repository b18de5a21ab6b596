use std::path::{Path, PathBuf};

use mission_crm_engine::import::{self, ImportOptions, ImportSummary, OnMatch};
use mission_crm_engine::model::contact::{self, Contact};
use mission_crm_engine::model::mission;
use mission_crm_engine::model::organization::{self, OrganizationFilter};
use mission_crm_engine::model::Side;
use mission_crm_engine::{ErrorCode, Id, Source, Store};

use super::{in_memory_db, mission_input};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn run(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
) -> mission_crm_engine::Result<ImportSummary> {
    import::run(store, path, options, false, &mut |_| true)
}

/// Imports `text` as a CSV file written for the test.
fn run_text(
    store: &Store,
    text: &str,
    on_match: Option<OnMatch>,
) -> mission_crm_engine::Result<ImportSummary> {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("list.csv");
    std::fs::write(&file, text).expect("write");
    let options = ImportOptions {
        on_match,
        ..Default::default()
    };
    run(store, &file, &options)
}

fn import(store: &Store, name: &str) -> ImportSummary {
    run(store, &fixture(name), &ImportOptions::default()).expect("import")
}

fn people(store: &Store) -> Vec<Contact> {
    super::every_contact(store)
}

fn person(store: &Store, name: &str) -> Contact {
    people(store)
        .into_iter()
        .find(|c| c.full_name == name)
        .unwrap_or_else(|| {
            panic!(
                "{name} was not imported; have {:?}",
                people(store)
                    .iter()
                    .map(|c| c.full_name.clone())
                    .collect::<Vec<_>>()
            )
        })
}

fn emails(c: &Contact) -> Vec<&str> {
    c.emails.iter().map(|e| e.address.as_str()).collect()
}

fn phones(c: &Contact) -> Vec<&str> {
    c.phones.iter().map(|p| p.number.as_str()).collect()
}

fn kz_mission(store: &Store) -> Id {
    store
        .write(Source::App, |tx| {
            mission::create(
                tx,
                &mission::MissionInput {
                    phone_region: Some("KZ".into()),
                    ..mission_input()
                },
            )
        })
        .expect("mission")
        .id
}

#[test]
fn excel_windows_1251_semicolons_into_a_mission() {
    let store = in_memory_db();
    let mission_id = kz_mission(&store);
    let path = fixture("excel-ru-windows-1251.csv");
    let preview = import::preview(&path, &ImportOptions::default()).expect("preview");
    assert_eq!(preview.encoding, "windows-1251");
    assert_eq!(preview.delimiter.as_deref(), Some(";"));
    assert!(preview.has_header);
    assert_eq!(preview.rows[0][0], "Иванов Иван Иванович");
    assert_eq!(preview.people[1].full_name, "Гульнара Ерлановна Ахметова");

    let summary = run(
        &store,
        &path,
        &ImportOptions {
            mission_id: Some(mission_id),
            side: Some(Side::Host),
            ..Default::default()
        },
    )
    .expect("import");
    assert_eq!((summary.rows, summary.created, summary.skipped), (3, 3, 0));
    assert_eq!(summary.organizations_created, 2);

    let ivanov = person(&store, "Иван Иванович Иванов");
    assert_eq!(ivanov.position, "Генеральный директор");
    assert_eq!(
        ivanov.organization_name.as_deref(),
        Some("ТОО \"Казтранс\"")
    );
    assert_eq!(phones(&ivanov), ["+77011234567"]);
    assert_eq!(emails(&ivanov), ["ivanov@kaztrans.kz"]);
    // A national number, read in the mission's phone region (KZ).
    let akhmetova = person(&store, "Гульнара Ерлановна Ахметова");
    assert_eq!(phones(&akhmetova), ["+77017654321"]);
    assert_eq!(akhmetova.position, "Менеджер; закупки");
    assert_eq!(phones(&person(&store, "Фёдоров Алексей")), ["+77017000001"]);

    // Both organizations joined the mission on the host side.
    let hosts = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(mission_id),
                    side: Some(Side::Host),
                    ..Default::default()
                },
            )
        })
        .expect("hosts");
    let mut names: Vec<_> = hosts.items.iter().map(|o| o.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["АО «Отебаев Курылыс»", "ТОО \"Казтранс\""]);
}

#[test]
fn excel_unicode_text_utf16_tabs_with_name_parts() {
    let store = in_memory_db();
    let preview = import::preview(
        &fixture("excel-unicode-text-utf16le.txt"),
        &ImportOptions::default(),
    )
    .expect("preview");
    assert_eq!(
        (preview.encoding.as_str(), preview.delimiter.as_deref()),
        ("UTF-16LE", Some("\t"))
    );
    import(&store, "excel-unicode-text-utf16le.txt");
    let s = person(&store, "Кайырболат Ерланұлы Сахметов");
    assert_eq!(s.organization_name.as_deref(), Some("ҚазМұнайГаз"));
    assert_eq!(phones(&s), ["+77021112233"]);
    assert_eq!(emails(&s), ["k.sakhmetov@kmg.kz"]);
    let d = person(&store, "Döwlet Öwezow");
    assert_eq!(phones(&d), ["+99365123456"]);
    assert_eq!(emails(&d), ["dowlet@nebit.tm"]);
}

#[test]
fn utf16_big_endian_and_utf8_with_bom() {
    let store = in_memory_db();
    import(&store, "utf16be-bom.csv");
    import(&store, "utf8-bom.csv");
    let e = person(&store, "Ерлан Жұмабаев");
    assert_eq!(
        (phones(&e), emails(&e)),
        (vec!["+77015550011"], vec!["erlan@example.kz"])
    );
    let m = person(&store, "Мерген Сердарович Бердымухамедов");
    assert_eq!(
        (phones(&m), emails(&m)),
        (vec!["+99312345678"], vec!["mergen@example.tm"])
    );
}

#[test]
fn google_contacts_export() {
    let store = in_memory_db();
    let summary = import(&store, "google-contacts.csv");
    assert_eq!(summary.created, 2);
    let a = person(&store, "Айгерим Нурланова");
    assert_eq!(emails(&a), ["aigerim@astanalog.kz", "aigerim.n@gmail.com"]);
    assert_eq!(phones(&a), ["+77051234567", "+77057654321", "+77172556677"]);
    assert_eq!(a.position, "Head of export");
    assert_eq!(a.organization_name.as_deref(), Some("Astana Logistics"));
    assert_eq!(a.notes, "Met at the B2B session,\nwants samples");
    assert_eq!(a.tags, ["vip"]);
    let j = person(&store, "Jennifer Smith");
    assert_eq!(
        (phones(&j), emails(&j)),
        (vec!["+12025550143"], vec!["jsmith@cottontrade.com"])
    );
}

#[test]
fn outlook_export() {
    let store = in_memory_db();
    import(&store, "outlook.csv");
    let s = person(&store, "Serdar Myradow");
    assert_eq!(s.position, "Deputy minister");
    assert_eq!(
        (phones(&s), emails(&s)),
        (vec!["+99312445566"], vec!["serdar@nebitgaz.tm"])
    );
}

#[test]
fn vcard_2_1_quoted_printable_in_utf8_and_windows_1251() {
    let store = in_memory_db();
    let preview =
        import::preview(&fixture("android-2.1.vcf"), &ImportOptions::default()).expect("preview");
    assert_eq!(preview.people.len(), 2);
    import(&store, "android-2.1.vcf");
    let e = person(&store, "Ерлан Серикович Жумабаев");
    assert_eq!(phones(&e), ["+77015550011", "+77272500000"]);
    assert_eq!(e.phones[0].label, "mobile");
    assert_eq!(e.phones[1].label, "work");
    assert_eq!(emails(&e), ["erlan@example.kz"]);
    assert_eq!(e.organization_name.as_deref(), Some("Казахтелеком"));
    let o = person(&store, "Ольга Смирнова");
    assert_eq!(phones(&o), ["+74951234567"]);
}

#[test]
fn vcard_3_0_folded_grouped_with_a_photo() {
    let store = in_memory_db();
    import(&store, "apple-3.0.vcf");
    let m = person(&store, "Merdan Ataýew");
    assert_eq!(emails(&m), ["merdan@logistics.tm", "m.atayew@logistics.tm"]);
    assert_eq!(phones(&m), ["+99365765432"]);
    assert_eq!(m.position, "Director");
    assert_eq!(m.organization_name.as_deref(), Some("Türkmen Logistics"));
    assert_eq!(
        m.notes,
        "Wants 20 containers a month, from March.\nCall after 10:00.\nhttps://logistics.tm"
    );
}

#[test]
fn vcard_4_0_with_uris_and_a_patronymic() {
    let store = in_memory_db();
    import(&store, "rfc6350-4.0.vcf");
    let b = person(&store, "Бауыржан Қасымұлы Оразов");
    assert_eq!(phones(&b), ["+77012223344"]);
    assert_eq!(b.phones[0].label, "mobile");
    assert_eq!(emails(&b), ["b.orazov@example.kz"]);
    assert_eq!(b.position, "Коммерческий директор");
    assert_eq!(b.tags, ["investor", "press"]);
}

#[test]
fn people_already_known_are_skipped_updated_or_added_as_chosen() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    // The same person again, by name in the other script's order...
    let again = import(&store, "utf8-bom.csv");
    assert_eq!((again.created, again.skipped), (0, 1));
    assert!(
        again.problems[0].reason.contains("same e-mail"),
        "{:?}",
        again.problems
    );
    assert_eq!(people(&store).len(), 1);

    let text = "Name,Job title\nMergen Serdarovich Berdimuhamedow,Chairman\n";
    let updated = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    assert_eq!(
        updated.updated, 1,
        "matched by name across scripts: {updated:?}"
    );
    let m = person(&store, "Мерген Сердарович Бердымухамедов");
    assert_eq!(m.position, "Chairman");
    assert_eq!(phones(&m), ["+99312345678"]);

    let created = run_text(&store, text, Some(OnMatch::Create)).expect("create");
    assert_eq!(created.created, 1);
    assert_eq!(people(&store).len(), 2);
}

#[test]
fn a_whole_import_is_undone_later() {
    let store = in_memory_db();
    let mission_id = kz_mission(&store);
    import(&store, "utf8-bom.csv");
    let before = people(&store);
    let summary = run(
        &store,
        &fixture("excel-ru-windows-1251.csv"),
        &ImportOptions {
            mission_id: Some(mission_id),
            ..Default::default()
        },
    )
    .expect("import");
    let text = "ФИО,Должность\nБердымухамедов Мерген Сердарович,Председатель\n";
    let update = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    assert_eq!(people(&store).len(), 4);

    let history = store.read(import::list).expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(history[1].mission_id, Some(mission_id));

    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, update.import_id.expect("id"))
        })
        .expect("undo update");
    assert_eq!((undone.restored, undone.kept), (1, 0));
    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, summary.import_id.expect("id"))
        })
        .expect("undo");
    assert_eq!((undone.trashed, undone.unlinked), (5, 2));
    assert_eq!(people(&store), before, "back to the first import exactly");
    let participants = store
        .read(|db| {
            organization::list(
                db,
                &OrganizationFilter {
                    mission_id: Some(mission_id),
                    ..Default::default()
                },
            )
        })
        .expect("orgs");
    assert!(participants.items.is_empty());
    let again = store
        .write(Source::App, |tx| {
            import::undo(tx, summary.import_id.expect("id"))
        })
        .expect_err("twice");
    assert_eq!(again.code(), ErrorCode::Conflict);
    assert!(store.read(import::list).expect("history")[1]
        .undone_at
        .is_some());
}

#[test]
fn an_edit_made_after_the_import_survives_its_undo() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let text = "Name,Job title\nMergen Serdarovich Berdimuhamedow,Chairman\n";
    let update = run_text(&store, text, Some(OnMatch::Update)).expect("update");
    let m = person(&store, "Мерген Сердарович Бердымухамедов");
    // The test store's clock is fixed: the edit comes later on a moved one.
    let mut input = contact::ContactInput::from(&m);
    input.notes = "Edited by hand after the import".into();
    let moved = chrono::Utc::now();
    let store = store.with_clock(std::sync::Arc::new(move || moved));
    store
        .write(Source::App, |tx| contact::update(tx, m.id, &input))
        .expect("edit");
    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, update.import_id.expect("id"))
        })
        .expect("undo");
    assert_eq!((undone.restored, undone.kept), (0, 1));
    assert_eq!(
        person(&store, "Мерген Сердарович Бердымухамедов").position,
        "Chairman"
    );
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let store = in_memory_db();
    let summary = import::run(
        &store,
        &fixture("google-contacts.csv"),
        &ImportOptions::default(),
        true,
        &mut |_| true,
    )
    .expect("dry run");
    assert_eq!((summary.created, summary.import_id), (2, None));
    assert!(people(&store).is_empty());
    assert!(store.read(import::list).expect("history").is_empty());
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let store = in_memory_db();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("many.csv");
    let mut text = String::from("Name,Email\n");
    for i in 0..2000 {
        text.push_str(&format!("Person {i},p{i}@example.com\n"));
    }
    std::fs::write(&file, text).expect("write");
    let mut calls = 0;
    let err = import::run(&store, &file, &ImportOptions::default(), false, &mut |p| {
        calls += 1;
        p.rows < 1000
    })
    .expect_err("cancelled");
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert!(calls >= 2);
    assert!(people(&store).is_empty());
    assert!(store.read(import::list).expect("history").is_empty());
}

#[test]
fn rows_without_a_name_or_with_bad_values_are_reported() {
    let store = in_memory_db();
    let text = "Name,Email,Phone\n,nobody@x.kz,\nTom Smith,not-an-email,+1 202 555 0143\n";
    let s = run_text(&store, text, None).expect("import");
    assert_eq!((s.rows, s.created, s.skipped), (2, 1, 1));
    assert_eq!(s.problems[0].line, 2);
    assert_eq!(
        (s.problems[0].reason.as_str(), s.problems[0].skipped),
        ("no name", true)
    );
    assert!(s.problems[1].reason.starts_with("left out:") && !s.problems[1].skipped);
    assert_eq!(phones(&person(&store, "Tom Smith")), ["+12025550143"]);
}

/// Each bad file: a clear message, the file named as invalid, nothing written.
#[test]
fn bad_files_change_nothing() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let before = people(&store);
    let good_rows = "Name,Email\n".to_owned() + &"Ann Lee,ann@x.com\n".repeat(300);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "empty"),
        (
            "binary.csv",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0".to_vec(),
            "not a text file",
        ),
        ("wide.csv", "x,".repeat(10_000).into_bytes(), "columns"),
        (
            "cell.csv",
            format!("Name,Notes\nA,{}\n", "y".repeat(1 << 20)).into_bytes(),
            "cell is longer",
        ),
        (
            "quotes.csv",
            format!("{good_rows}Bob,\"open\nC,d\n").into_bytes(),
            "never closes",
        ),
        (
            "cut.vcf",
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\nTEL:+7701".to_vec(),
            "never ends",
        ),
        (
            "mixed.csv",
            {
                let mut b = "Name\nИванов\nПетров\nСидоров\nСмирнов\n"
                    .as_bytes()
                    .to_vec();
                b.extend(encoding_rs::WINDOWS_1251.encode("Кузнецов\n").0.iter());
                b
            },
            "mixes encodings",
        ),
    ];
    let dir = tempfile::tempdir().expect("dir");
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write");
        let err = run(&store, &path, &ImportOptions::default()).expect_err(name);
        assert_eq!(err.code(), ErrorCode::InvalidFile, "{name}: {err}");
        assert!(
            err.message().contains(expected),
            "{name}: {}",
            err.message()
        );
        assert_eq!(people(&store), before, "{name} changed nothing");
    }
    assert_eq!(store.read(import::list).expect("history").len(), 1);
}

/// Same name, another phone: a namesake, not the same person. The pair
/// still shows on the Duplicates screen for a person to judge.
#[test]
fn a_namesake_with_other_contacts_is_added_not_matched() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let text = "Name,Phone\nMergen Serdarovich Berdimuhamedow,+993 65 000000\n";
    let s = run_text(&store, text, None).expect("import");
    assert_eq!((s.created, s.skipped), (1, 0));
    let pairs = store
        .read(|db| mission_crm_engine::duplicates::find(db, 10))
        .expect("duplicates");
    assert_eq!(pairs.len(), 1);
}

/// A quick fuzz in every test run (the long one is `make fuzz`): the
/// fixtures cut, flipped and spliced with quotes, line breaks, NULs and
/// stray bytes; the readers return people or an error, never panic.
#[test]
fn mangled_files_are_read_or_refused_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".py"))
        .map(|e| std::fs::read(e.path()).expect("fixture"))
        .collect();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    const SPLICE: &[&[u8]] = &[
        b"\"",
        b"\r\n",
        b"\0",
        b"\xFF",
        b"=\r\n",
        b";",
        b"\xD0",
        b"BEGIN:VCARD\r\n",
        b"\n ",
    ];
    for _ in 0..3000 {
        let mut bytes = seeds[next(seeds.len())].clone();
        for _ in 0..=next(4) {
            let at = next(bytes.len() + 1);
            match next(3) {
                0 => bytes.truncate(at),
                1 => {
                    if at < bytes.len() {
                        bytes[at] ^= 1 << next(8);
                    }
                }
                _ => {
                    let piece = SPLICE[next(SPLICE.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
        }
        let _ = import::read_people(&bytes);
    }
}

/// Stop pressed on a small file (fewer rows than any progress interval)
/// still stops it: the last report's answer counts.
#[test]
fn stop_works_on_a_small_file_too() {
    let store = in_memory_db();
    let err = import::run(
        &store,
        &fixture("google-contacts.csv"),
        &ImportOptions::default(),
        false,
        &mut |_| false,
    )
    .expect_err("stopped");
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert!(people(&store).is_empty());
}

/// Someone the import added, then merged into (so the user's work since),
/// stays when the import is undone.
#[test]
fn undoing_an_import_keeps_what_was_edited_or_merged_since() {
    let store = in_memory_db();
    import(&store, "utf8-bom.csv");
    let text = "Name,Phone,Company\nMergen Serdarovich Berdimuhamedow,+993 65 000000,Nebit Gaz\n";
    let added = run_text(&store, text, None).expect("import");
    let imported = person(&store, "Mergen Serdarovich Berdimuhamedow");
    let earlier = person(&store, "Мерген Сердарович Бердымухамедов");
    let moved = chrono::Utc::now();
    let store = store.with_clock(std::sync::Arc::new(move || moved));
    store
        .write(Source::App, |tx| {
            mission_crm_engine::duplicates::merge(
                tx,
                &mission_crm_engine::duplicates::MergeInput {
                    keep: imported.id,
                    remove: earlier.id,
                    take: vec![],
                },
            )
        })
        .expect("merge");
    let undone = store
        .write(Source::App, |tx| {
            import::undo(tx, added.import_id.expect("id"))
        })
        .expect("undo");
    assert_eq!(
        (undone.trashed, undone.kept),
        (0, 2),
        "the person and their employer stay"
    );
    let kept = person(&store, "Mergen Serdarovich Berdimuhamedow");
    assert_eq!(phones(&kept), ["+99365000000", "+99312345678"]);
    assert_eq!(kept.organization_name.as_deref(), Some("Nebit Gaz"));
}

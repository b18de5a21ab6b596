use std::path::{Path, PathBuf};

use mission_crm_engine::duplicates::Reason;
use mission_crm_engine::import::{self, ImportOptions, ImportSummary, OnMatch, RowIssue};
use mission_crm_engine::model::contact::{self, Contact};
use mission_crm_engine::model::mission;
use mission_crm_engine::model::organization::{self, OrganizationFilter};
use mission_crm_engine::model::Side;
use mission_crm_engine::{ErrorCode, Id, Source, Store};

use super::{in_memory_db, mission_input};

mod matching_and_undo;
mod refusals;

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

/// A delegation list's Telegram, WhatsApp and languages columns come in as
/// the person's messengers and languages (they were left out), and an
/// update adds new ones to those known.
#[test]
fn messengers_and_languages_come_in_from_their_columns() {
    use mission_crm_engine::model::contact::{Messenger, MessengerKind};
    let store = in_memory_db();
    run_text(
        &store,
        "ФИО,Телеграм,WhatsApp,Языки\n\
         Айгерим Нурланова,t.me/aigerim,+7 701 555 00 11,\"казахский, русский\"\n\
         Иван Петров,-,нет,нет\n",
        None,
    )
    .expect("import");
    let messenger = |kind, handle: &str| Messenger {
        kind,
        handle: handle.into(),
    };
    let p = person(&store, "Айгерим Нурланова");
    assert_eq!(
        p.messengers,
        [
            messenger(MessengerKind::Telegram, "@aigerim"),
            messenger(MessengerKind::Whatsapp, "+77015550011"),
        ]
    );
    assert_eq!(p.languages, ["казахский", "русский"]);
    // A list's blanks ("-", "нет") are nothing, not a handle or a language.
    let blank = person(&store, "Иван Петров");
    assert!(blank.messengers.is_empty(), "{:?}", blank.messengers);
    assert!(blank.languages.is_empty(), "{:?}", blank.languages);
    // The number written another way, a language in another case: known.
    run_text(
        &store,
        "ФИО,Telegram,WhatsApp,Languages\n\
         Айгерим Нурланова,@aigerim_kz,+7 (701) 555-00-11,\"английский; Русский\"\n",
        Some(OnMatch::Update),
    )
    .expect("update");
    let p = person(&store, "Айгерим Нурланова");
    assert_eq!(p.messengers.len(), 3, "{:?}", p.messengers);
    assert_eq!(p.languages, ["казахский", "русский", "английский"]);
}

/// A file without a header whose first row names a messenger as a value
/// is not taken for one with a header (its first person was lost, and
/// every row with it).
#[test]
fn a_messenger_named_in_the_first_row_makes_no_header() {
    let store = in_memory_db();
    let summary = run_text(
        &store,
        "Иванов Иван,+7 701 123 45 67,WhatsApp\nПетров Пётр,+7 701 765 43 21,Telegram\n",
        None,
    )
    .expect("import");
    assert_eq!(summary.created, 2, "{summary:?}");
}

/// vCard 3.0 as many exporters fold it: every so many bytes, inside a
/// two-byte Cyrillic letter or not. The file was refused ("not valid
/// UTF-8") or read as Windows-1251.
#[test]
fn a_vcard_folded_inside_cyrillic_letters_is_read_whole() {
    let name = "Гурбангулы Бердымухамедович Аннамухаммедов";
    let org = "Государственный концерн «Туркменнебитгазгурлушык»";
    let note = "Встреча в Ашхабаде: обсудили поставки труб большого диаметра и сроки";
    let mut bytes = Vec::new();
    for line in [
        "BEGIN:VCARD".to_owned(),
        "VERSION:3.0".to_owned(),
        format!("FN:{name}"),
        format!("ORG:{org}"),
        format!("NOTE:{note}"),
        "END:VCARD".to_owned(),
        "BEGIN:VCARD".to_owned(),
        "VERSION:3.0".to_owned(),
        format!("FN:{org}"),
        "END:VCARD".to_owned(),
    ] {
        for (i, part) in line.as_bytes().chunks(60).enumerate() {
            if i > 0 {
                bytes.push(b' ');
            }
            bytes.extend_from_slice(part);
            bytes.extend_from_slice(b"\r\n");
        }
    }
    assert!(std::str::from_utf8(&bytes).is_err(), "a letter is split");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("phone.vcf");
    std::fs::write(&file, &bytes).expect("write");

    let preview = import::preview(&file, &ImportOptions::default()).expect("preview");
    assert_eq!(preview.encoding, "UTF-8");
    assert_eq!(preview.people[0].full_name, name);
    let store = in_memory_db();
    run(&store, &file, &ImportOptions::default()).expect("import");
    let p = person(&store, name);
    assert_eq!(p.organization_name.as_deref(), Some(org));
    assert_eq!(p.notes, note);
    let read = import::read_people(&bytes).expect("read");
    assert_eq!(read[0].1.full_name, name);
    // The second card is said to start on its line in the file.
    let second = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| l.starts_with(b"BEGIN:VCARD"))
        .nth(1)
        .map(|(i, _)| i + 1)
        .expect("a second card");
    assert_eq!(read[1].0, second, "lines are counted as in the file");
    assert_eq!(read[1].1.full_name, org);
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

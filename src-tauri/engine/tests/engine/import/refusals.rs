//! Dry runs, stops, bad rows, bad and mangled files: a report or a clear
//! message, and nothing written.

use super::*;

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
    let text = "Name,Email,Phone\n,nobody@x.kz,\nTom Smith,not-an-email,+1 202 555 0143\n\
                Ann Lee,ann@x.kz,8 701 123 45 67\nBo Chan,bo@x.kz,+7 12\n";
    let s = run_text(&store, text, None).expect("import");
    assert_eq!((s.rows, s.created, s.skipped), (4, 3, 1));
    assert_eq!(s.problems[0].line, 2);
    assert_eq!(
        (s.problems[0].reason.as_str(), s.problems[0].skipped),
        ("no name", true)
    );
    assert!(s.problems[1].reason.starts_with("left out:") && !s.problems[1].skipped);
    assert_eq!(phones(&person(&store, "Tom Smith")), ["+12025550143"]);
    // Each issue also says what it is and the value at fault, for the
    // interface to word in its own language.
    let issues: Vec<_> = s.problems.iter().map(|p| p.issue.clone()).collect();
    assert_eq!(
        issues,
        [
            Some(RowIssue::NoName),
            Some(RowIssue::BadEmail {
                value: "not-an-email".into()
            }),
            // A local number, with no mission's country to read it by...
            Some(RowIssue::BadPhone {
                value: "8 701 123 45 67".into(),
                needs_country: true
            }),
            // ...and one with its country code that is still no number.
            Some(RowIssue::BadPhone {
                value: "+7 12".into(),
                needs_country: false
            }),
        ]
    );
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
        // It was imported: no one, and an empty import in the history.
        (
            "headers.csv",
            b"\xEF\xBB\xBFName,Email,Phone\r\n".to_vec(),
            "no rows",
        ),
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

/// The reader the fuzz targets use tells a vCard by its head decoded as far
/// as it is whole: a Cyrillic letter across its 64th byte made it CSV.
#[test]
fn a_vcard_with_a_letter_across_the_64th_byte_is_read_as_a_vcard() {
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ааааааааааааааааааааааа\r\nEND:VCARD\r\n";
    assert!(!card.is_char_boundary(64), "a letter across byte 64");
    let people = import::read_people(card.as_bytes()).expect("read");
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].1.full_name, "Ааааааааааааааааааааааа");
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

/// The organizations list exported as CSV, imported back: refused with
/// the reason (every company came in as a person), and nothing written.
#[test]
fn an_exported_organizations_list_is_not_read_as_people() {
    use mission_crm_engine::export::{self, ExportFormat, ExportKind, ExportRequest};
    let store = in_memory_db();
    store
        .write(Source::Demo, mission_crm_engine::demo::load)
        .expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("organizations.csv");
    let request = ExportRequest {
        format: ExportFormat::Csv,
        kind: Some(ExportKind::Organizations),
        mission_id: None,
        separator: None,
    };
    store
        .read(|db| export::to_file(db, &request, chrono::Utc::now(), &file))
        .expect("exported");
    let before = people(&store).len();
    let err = import::run(&store, &file, &ImportOptions::default(), false, &mut |_| {
        true
    })
    .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::InvalidFile, "{err}");
    assert!(err.message().contains("organizations"), "{}", err.message());
    assert_eq!(people(&store).len(), before);
}

//! Records added, shown, searched and merged, and bad input refused.

use serde_json::Value;

use crate::{add_mission, cli, json, temp_db};

#[test]
fn the_demo_totals_three_million_dollars_in_cents_with_thirty_delegation_companies() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));

    let ledger = json(&cli(&db, &["list", "agreements", "--json"]));
    assert_eq!(
        ledger["totals"],
        serde_json::json!([{ "base_currency": "USD", "base_amount_minor": 300_000_000, "base_exponent": 2, "count": 9 }])
    );
    let summed: i64 = ledger["agreements"]
        .as_array()
        .expect("agreements")
        .iter()
        .map(|a| {
            a["base_amount_minor"]
                .as_i64()
                .expect("integer minor units")
        })
        .sum();
    assert_eq!(summed, 300_000_000);

    let orgs = json(&cli(&db, &["list", "organizations", "--json"]));
    let delegation = orgs
        .as_array()
        .expect("array")
        .iter()
        .filter(|o| o["side"] == "delegation")
        .count();
    assert_eq!(delegation, 30);
}

#[test]
fn demo_if_empty_does_not_load_twice() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["demo", "--if-empty", "--json"]));
    let second = json(&cli(&db, &["demo", "--if-empty", "--json"]));
    assert_eq!(second["loaded"], false);
    assert_eq!(
        json(&cli(&db, &["list", "missions", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn add_then_show_round_trips_through_the_database() {
    let (_dir, db) = temp_db();
    let mission_id = &add_mission(&db, "Astana to Ashgabat");
    let org = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "organization",
            "--name",
            "State Commodity Exchange",
            "--kind",
            "exchange",
            "--country",
            "TM",
            "--mission",
            mission_id,
            "--side",
            "host",
        ],
    ));
    assert_eq!(org["participations"][0]["side"], "host");
    let c = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "contact",
            "--name",
            "Мерген Атаев",
            "--phone",
            "12 94 00 00",
            "--mission",
            mission_id,
            "--email",
            "m.atayev@exchange.gov.tm",
            "--organization",
            org["id"].as_str().expect("id"),
        ],
    ));
    assert_eq!(
        c["phones"][0]["number"], "+99312940000",
        "read in the mission's region (TM)"
    );
    let shown = json(&cli(
        &db,
        &["--json", "show", "contact", c["id"].as_str().expect("id")],
    ));
    assert_eq!(shown, c);
    let meeting = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "meeting",
            "--mission",
            mission_id,
            "--title",
            "Exchange",
            "--kind",
            "b2b",
            "--starts",
            "2023-10-04T10:00",
            "--ends",
            "2023-10-04T11:30",
        ],
    ));
    assert_eq!(meeting["starts_at"], "2023-10-04T05:00:00Z");
    // A reception past midnight: its end with its date in the text list
    // (it read "22:00 – 01:00" on the start's day).
    json(&cli(
        &db,
        &[
            "--json",
            "add",
            "meeting",
            "--mission",
            mission_id,
            "--title",
            "Reception",
            "--starts",
            "2023-10-04T22:00",
            "--ends",
            "2023-10-05T01:00",
        ],
    ));
    let listed = cli(&db, &["list", "meetings"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.contains("2023-10-04T10:00 – 11:30")
            && text.contains("2023-10-04T22:00 – 2023-10-05T01:00"),
        "{text}"
    );
    json(&cli(
        &db,
        &[
            "--json",
            "add",
            "follow-up",
            "--title",
            "Send price list",
            "--due",
            "2023-10-20",
            "--mission",
            mission_id,
        ],
    ));
    let a = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "agreement",
            "--mission",
            mission_id,
            "--title",
            "Flour",
            "--amount",
            "700000",
            "--currency",
            "TMT",
            "--rate",
            "0.2857",
            "--stage",
            "memorandum",
        ],
    ));
    assert_eq!(a["base_amount_minor"], 19_999_000);
}

#[test]
fn bad_input_gets_a_clear_message_a_nonzero_exit_and_writes_nothing() {
    let (_dir, db) = temp_db();
    let mission_id = &add_mission(&db, "M");
    let cases: &[(&[&str], &str)] = &[
        (&["add", "contact", "--name", "  "], "required"),
        (
            &["add", "contact", "--name", "X", "--email", "x@"],
            "invalid_email",
        ),
        (
            &[
                "add",
                "agreement",
                "--mission",
                mission_id,
                "--title",
                "T",
                "--amount",
                "5",
                "--currency",
                "ZZZ",
            ],
            "unknown_currency",
        ),
        (
            &[
                "add",
                "agreement",
                "--mission",
                mission_id,
                "--title",
                "T",
                "--amount",
                "-5",
                "--currency",
                "USD",
            ],
            "negative_amount",
        ),
        (
            &[
                "add",
                "mission",
                "--name",
                "N",
                "--host-country",
                "TM",
                "--start",
                "2023-10-05",
                "--end",
                "2023-10-01",
                "--time-zone",
                "Asia/Ashgabat",
                "--base-currency",
                "USD",
            ],
            "end_before_start",
        ),
    ];
    for (args, code) in cases {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let out = cli(&db, &full);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
        assert_eq!(err["error"]["code"], *code, "{args:?}");
        assert!(err["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(
        json(&cli(&db, &["list", "contacts", "--json"])),
        serde_json::json!([])
    );
    assert_eq!(
        json(&cli(&db, &["list", "agreements", "--json"]))["agreements"],
        serde_json::json!([])
    );
    assert_eq!(
        json(&cli(&db, &["list", "missions", "--json"]))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn search_duplicates_and_merge_from_the_command_line() {
    let (_dir, db) = temp_db();
    json(&cli(&db, &["--json", "demo"]));
    let added = json(&cli(
        &db,
        &[
            "--json",
            "add",
            "contact",
            "--name",
            "Sakhmetov Kairbolat",
            "--position",
            "Chairman",
        ],
    ));
    let hits = json(&cli(
        &db,
        &["--json", "search", "сахметов", "--kind", "contact"],
    ));
    let names: Vec<&str> = hits
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["title"].as_str())
        .collect();
    assert_eq!(names, ["Кайырболат Сахметов", "Sakhmetov Kairbolat"]);

    let pairs = json(&cli(&db, &["--json", "duplicates"]));
    let pair = pairs
        .as_array()
        .and_then(|p| {
            p.iter().find(|p| {
                p["b_name"] == "Sakhmetov Kairbolat" || p["a_name"] == "Sakhmetov Kairbolat"
            })
        })
        .expect("the pair")
        .clone();
    assert_eq!(pair["reasons"], serde_json::json!(["name"]));
    let other = if pair["a"] == added["id"] {
        &pair["b"]
    } else {
        &pair["a"]
    };
    let kept = json(&cli(
        &db,
        &[
            "--json",
            "merge",
            other.as_str().expect("id"),
            added["id"].as_str().expect("id"),
            "--take",
            "position",
        ],
    ));
    assert_eq!(kept["full_name"], "Кайырболат Сахметов");
    assert_eq!(kept["position"], "Chairman");
    let bad = cli(
        &db,
        &[
            "merge",
            other.as_str().expect("id"),
            other.as_str().expect("id"),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("itself"));
}

#[test]
fn generate_adds_a_mission_of_meetings_over_the_people_or_says_what_it_needs() {
    let (_dir, db) = temp_db();
    // No one to meet yet: refused, and nothing written.
    let out = cli(
        &db,
        &["--json", "generate", "--contacts", "0", "--meetings", "5"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr is JSON");
    assert_eq!(err["error"]["code"], "required", "{err}");
    assert_eq!(
        json(&cli(&db, &["--json", "list", "missions"])),
        serde_json::json!([])
    );

    let made = json(&cli(
        &db,
        &[
            "--json",
            "generate",
            "--contacts",
            "200",
            "--meetings",
            "30",
        ],
    ));
    assert_eq!(made["contacts"], 200);
    assert_eq!(made["mission"]["meetings"], 30);
    assert_eq!(made["mission"]["follow_ups"], 30);
    assert_eq!(made["mission"]["agreements"], 10);
    let meetings = json(&cli(&db, &["--json", "list", "meetings"]));
    assert_eq!(meetings.as_array().map(Vec::len), Some(30));
}

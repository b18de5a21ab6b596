use mission_crm_engine::model::agreement::{self, AgreementInput, Stage};
use mission_crm_engine::model::mission;
use mission_crm_engine::model::organization::{self, OrganizationInput};
use mission_crm_engine::model::Side;
use mission_crm_engine::report::{self, render, Lang};
use mission_crm_engine::{demo, Source};

use super::{in_memory_db, mission_input, pdf_text};

/// Agreements in USD, KZT, TMT and EUR at different locked rates: every
/// total equals the exact sum of the agreements' converted amounts, in
/// integer cents, whatever the grouping.
#[test]
fn totals_are_exact_sums_of_locked_conversions_in_four_currencies() {
    let store = in_memory_db();
    let (m, ours, theirs, created) = store
        .write(Source::App, |tx| {
            let m = mission::create(tx, &mission_input())?;
            let ours = organization::create(
                tx,
                &OrganizationInput {
                    name: "Kaspiy Tranzit <script>".into(),
                    sectors: vec!["logistics".into()],
                    ..Default::default()
                },
            )?;
            let theirs = organization::create(
                tx,
                &OrganizationInput {
                    name: "Türkmen Logistics".into(),
                    ..Default::default()
                },
            )?;
            organization::set_participation(tx, m.id, ours.id, Side::Delegation)?;
            organization::set_participation(tx, m.id, theirs.id, Side::Host)?;
            let mut created = Vec::new();
            for (title, amount, currency, rate, sector, stage) in [
                (
                    "Grain transit",
                    "1000000.00",
                    "USD",
                    "1",
                    "agriculture",
                    Stage::PreliminaryContract,
                ),
                (
                    "Rail wagons",
                    "150000000.00",
                    "KZT",
                    "0.0021",
                    "logistics",
                    Stage::PreliminaryContract,
                ),
                (
                    "Port services",
                    "1234567.89",
                    "TMT",
                    "0.2857142857",
                    "logistics",
                    Stage::Memorandum,
                ),
                (
                    "Fabrics",
                    "99999.99",
                    "EUR",
                    "1.0837",
                    "textiles",
                    Stage::SignedContract,
                ),
                (
                    "Cement",
                    "5000000.00",
                    "KZT",
                    "0.00205",
                    "construction",
                    Stage::Lost,
                ),
            ] {
                created.push(agreement::create(
                    tx,
                    &AgreementInput {
                        mission_id: m.id,
                        title: title.into(),
                        our_organization_id: Some(ours.id),
                        counterpart_organization_id: Some(theirs.id),
                        meeting_id: None,
                        sector: sector.into(),
                        stage,
                        amount: amount.into(),
                        currency: currency.into(),
                        rate: Some(rate.into()),
                        rate_date: Some("2023-10-03".into()),
                        rate_source: "National Bank".into(),
                        notes: String::new(),
                    },
                )?);
            }
            Ok((m, ours, theirs, created))
        })
        .expect("setup");
    let r = store
        .read(|db| report::build(db, m.id, Lang::En, "2023-10-10T00:00:00.000Z"))
        .expect("report");

    // Each conversion, worked out by hand, rounded half away from zero to
    // the cent: 150,000,000.00 KZT × 0.0021 = 315,000.00 USD exactly;
    // 1,234,567.89 TMT × 0.2857142857 = 352,733.6828… → 352,733.68;
    // 99,999.99 EUR × 1.0837 = 108,369.9891… → 108,369.99; the lost
    // 5,000,000.00 KZT × 0.00205 = 10,250.00.
    assert_eq!(
        created
            .iter()
            .map(|a| a.base_amount_minor)
            .collect::<Vec<_>>(),
        [100_000_000, 31_500_000, 35_273_368, 10_836_999, 1_025_000]
    );
    let kept: i64 = 177_610_367;
    assert_eq!(r.total_base_minor, kept);
    assert_eq!(r.agreement_count, 4);
    let sum = |groups: &[report::Group]| groups.iter().map(|g| g.base_amount_minor).sum::<i64>();
    assert_eq!(sum(&r.by_sector), kept);
    assert_eq!(sum(&r.by_company), kept);
    let lost = r.by_stage.iter().find(|g| g.label == "Lost").expect("lost");
    assert_eq!(lost.base_amount_minor, created[4].base_amount_minor);
    assert_eq!(sum(&r.by_stage), kept + created[4].base_amount_minor);
    // Four currencies converted; the dollars were converted at nothing.
    assert_eq!(r.rates.len(), 4);
    assert!(r.rates.iter().all(|x| x.currency != "USD"));
    assert_eq!(r.delegation[0].name, ours.name);
    assert_eq!(r.hosts[0].name, theirs.name);

    // The workspace's total is the report's: lost deals left out (it showed
    // them in, above a headline without them).
    let stats = store
        .read(|db| mission::stats(db, m.id, "2023-10-10T00:00:00.000Z", "2023-10-10"))
        .expect("stats");
    assert_eq!(stats.agreement_totals[0].base_amount_minor, kept);
    assert_eq!(stats.agreement_totals[0].count, 4);
    // One company, not "1 companies".
    assert!(r.headline.starts_with("1 company ·"), "{}", r.headline);

    let html = render::html(&r);
    // The stage table lists the lost ones; its total says it leaves them out.
    assert!(html.contains("<th>Total, lost left out</th>"), "{html}");
    assert!(
        html.contains("Kaspiy Tranzit &lt;script&gt;"),
        "user text is escaped"
    );
    assert!(!html.contains("<script"));
    // The Markdown too: its viewers render raw HTML.
    let md = render::markdown(&r);
    assert!(md.contains("Kaspiy Tranzit &lt;script&gt;"), "{md}");
    assert!(!md.contains("<script"));
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["total_base_minor"].as_i64(), Some(kept));
}

/// The demo mission's report in three languages: its headline, and the
/// same numbers whatever the language.
#[test]
fn the_demo_report_reads_in_english_russian_and_kazakh() {
    let store = in_memory_db();
    let m = store.write(Source::Demo, demo::load).expect("demo");
    let build = |lang| {
        store
            .read(|db| report::build(db, m, lang, "2023-11-01T00:00:00.000Z"))
            .expect("report")
    };
    let (en, ru, kk) = (build(Lang::En), build(Lang::Ru), build(Lang::Kk));
    assert_eq!(en.total_base_minor, 300_000_000);
    assert!(en.headline.ends_with("US $3.0 M"), "{}", en.headline);
    assert!(en.headline.starts_with("30 companies"), "{}", en.headline);
    assert!(ru.headline.contains("3,0 млн USD"), "{}", ru.headline);
    assert!(kk.headline.contains("Компаниялар: 30"), "{}", kk.headline);
    // Dates as the interface writes them in each language (they were ISO),
    // and the host country by its name (it was its code).
    for (r, dates, country) in [
        (&en, "Oct 1, 2023 – Oct 5, 2023", "Turkmenistan"),
        (&ru, "1 окт. 2023 г. – 5 окт. 2023 г.", "Туркменистан"),
        (&kk, "2023 ж. 01 қаз. – 2023 ж. 05 қаз.", "Түрікменстан"),
    ] {
        let md = render::markdown(r);
        assert!(md.contains(dates), "{dates} not in:\n{md}");
        assert!(md.contains(country), "{country} not in:\n{md}");
        assert!(
            render::html(r).contains(country),
            "{country} not in the HTML"
        );
    }
    assert_eq!(en.host_country, "TM", "the JSON keeps the code");
    // The partners are named (their people were counted, the embassy was
    // nowhere), in every format.
    let embassy = "Embassy of Turkmenistan in Kazakhstan";
    assert!(render::markdown(&en).contains(&format!("## Partners (1)\n\n- {embassy}")));
    assert!(render::html(&ru).contains("<h2>Партнёры (1)</h2>"));
    assert_eq!(
        (ru.total_base_minor, kk.total_base_minor),
        (en.total_base_minor, en.total_base_minor)
    );
    assert!(render::html(&kk).contains("Келісімдер кезеңдер бойынша"));
    assert!(render::markdown(&ru).contains("| **Итого** |"));
    assert!(render::html(&ru).contains("3\u{a0}000\u{a0}000,00"));
}

/// The PDF, made offline with the bundled font, read back by pdftotext:
/// Cyrillic and Kazakh come out as written.
#[test]
fn the_pdf_text_extracts_in_russian_and_kazakh() {
    let store = in_memory_db();
    let m = store.write(Source::Demo, demo::load).expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    for (lang, expected) in [
        (
            Lang::Kk,
            vec![
                "Іскерлік миссияның қорытындысы",
                "Келісімдер кезеңдер бойынша",
                "Компаниялар: 30",
            ],
        ),
        (
            Lang::Ru,
            vec![
                "Итоги бизнес-миссии",
                "Агентство транспорта",
                "Партнёры (1)",
                "3,0 млн USD",
                // An agreement's amount as agreed, whole (it was cut off).
                // After our company that agreed it (the PDF left it out).
                "ТОО «Каспий Транзит Лог… 315 000,00 USD ← 150 000 000,00 KZT",
            ],
        ),
    ] {
        let r = store
            .read(|db| report::build(db, m, lang, "2023-11-01T00:00:00.000Z"))
            .expect("report");
        let bytes = report::pdf::pdf(&r).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let file = dir.path().join(format!("report-{}.pdf", lang.as_str()));
        std::fs::write(&file, &bytes).expect("write");
        let text = pdf_text(&bytes);
        for needle in expected {
            assert!(
                text.contains(needle),
                "{needle:?} not in the {} PDF:\n{text}",
                lang.as_str()
            );
        }
        // The title a viewer shows reads as written (it was mojibake).
        let info = std::process::Command::new("pdfinfo")
            .arg(&file)
            .output()
            .expect("pdfinfo (poppler-utils)");
        let info = String::from_utf8_lossy(&info.stdout);
        let title = info
            .lines()
            .find_map(|l| l.strip_prefix("Title:"))
            .map(str::trim);
        assert_eq!(
            title,
            Some("Mission outcome report - Business mission of Kazakhstan to Turkmenistan"),
            "{info}"
        );
    }
}

/// In the PDF an agreement's two lines (title, counterpart and stage; then
/// its amounts) stay on one page: no page starts with an amount alone.
/// Two missions, one sector apart, so the lines before the table differ
/// by one and one of them meets a page break between an agreement's lines.
#[test]
fn an_agreements_two_lines_stay_on_one_pdf_page() {
    let store = in_memory_db();
    for sectors in [1, 2] {
        let m = store
            .write(Source::App, |tx| {
                let m = mission::create(tx, &mission_input())?;
                for i in 0..90 {
                    agreement::create(
                        tx,
                        &AgreementInput {
                            mission_id: m.id,
                            title: format!("Lot {i}"),
                            our_organization_id: None,
                            counterpart_organization_id: None,
                            meeting_id: None,
                            sector: format!("sector {}", i % sectors),
                            stage: Stage::Interest,
                            amount: "1000".into(),
                            currency: "USD".into(),
                            rate: None,
                            rate_date: None,
                            rate_source: String::new(),
                            notes: String::new(),
                        },
                    )?;
                }
                Ok(m)
            })
            .expect("ninety agreements");
        let r = store
            .read(|db| report::build(db, m.id, Lang::En, "2023-10-10T00:00:00.000Z"))
            .expect("report");
        let text = pdf_text(&report::pdf::pdf(&r).expect("pdf"));
        // pdftotext ends each page with a form feed.
        let pages: Vec<&str> = text.split('\u{c}').collect();
        assert!(
            pages.len() > 3,
            "the agreements span pages: {}",
            pages.len()
        );
        for (n, page) in pages.iter().enumerate().skip(1) {
            let first = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            assert!(
                !first.contains('←'),
                "{sectors} sector(s), page {}: starts with {first:?}",
                n + 1
            );
        }
    }
}

/// An organization in the trash is out of the report: not among the
/// delegation, and not named on its agreements or as their company group
/// (their amounts still count, under no company).
#[test]
fn an_organization_in_the_trash_is_named_nowhere_in_the_report() {
    let store = in_memory_db();
    let m = store.write(Source::Demo, demo::load).expect("demo");
    let build = || {
        store
            .read(|db| report::build(db, m, Lang::En, "2023-11-01T00:00:00.000Z"))
            .expect("report")
    };
    let before = build();
    let company = before
        .agreements
        .iter()
        .find_map(|a| a.company.clone())
        .expect("an agreement with our company");
    let id = store
        .read(|db| {
            organization::list(
                db,
                &organization::OrganizationFilter {
                    mission_id: Some(m),
                    ..Default::default()
                },
            )
        })
        .expect("organizations")
        .items
        .into_iter()
        .find(|o| o.name == company)
        .expect("listed")
        .id;
    store
        .write(Source::App, |tx| {
            mission_crm_engine::trash::delete(tx, mission_crm_engine::Entity::Organization, id)
        })
        .expect("trashed");
    let after = build();
    let md = render::markdown(&after);
    assert!(!md.contains(&company), "{company} still in:\n{md}");
    assert!(!render::html(&after).contains(&company));
    assert_eq!(after.total_base_minor, before.total_base_minor);
}

/// Sectors typed in two cases are one group; rates are written with the
/// language's decimal sign; agreements in the base currency list no rate,
/// and a report with no other currency has no rates section.
#[test]
fn report_groups_sectors_of_any_case_and_writes_rates_in_the_language() {
    let store = in_memory_db();
    let agreement =
        |m, title: &str, sector: &str, currency: &str, rate: Option<&str>| AgreementInput {
            mission_id: m,
            title: title.into(),
            our_organization_id: None,
            counterpart_organization_id: None,
            meeting_id: None,
            sector: sector.into(),
            stage: Stage::Memorandum,
            amount: "1000.00".into(),
            currency: currency.into(),
            rate: rate.map(Into::into),
            rate_date: Some("2023-10-03".into()),
            rate_source: "National Bank".into(),
            notes: String::new(),
        };
    let (mixed, dollars) = store
        .write(Source::App, |tx| {
            let mixed = mission::create(tx, &mission_input())?;
            // Two companies whose names differ in case only stay two.
            let company = |tx: &mut mission_crm_engine::Tx<'_>, name: &str| {
                organization::create(
                    tx,
                    &OrganizationInput {
                        name: name.into(),
                        ..Default::default()
                    },
                )
                .map(|o| Some(o.id))
            };
            let (aral, shouting) = (company(tx, "Aral Trans")?, company(tx, "ARAL TRANS")?);
            agreement::create(
                tx,
                &AgreementInput {
                    our_organization_id: aral,
                    ..agreement(mixed.id, "Wagons", "Logistics", "USD", None)
                },
            )?;
            agreement::create(
                tx,
                &AgreementInput {
                    our_organization_id: shouting,
                    ..agreement(mixed.id, "Port", "logistics", "KZT", Some("0.0021"))
                },
            )?;
            let dollars = mission::create(tx, &mission_input())?;
            agreement::create(tx, &agreement(dollars.id, "Grain", "", "USD", None))?;
            Ok((mixed.id, dollars.id))
        })
        .expect("setup");
    let build = |m| {
        store
            .read(|db| report::build(db, m, Lang::Ru, "2023-10-10T00:00:00.000Z"))
            .expect("report")
    };
    let r = build(mixed);
    assert_eq!(r.by_sector.len(), 1, "{:?}", r.by_sector);
    assert_eq!(r.by_sector[0].label, "Logistics", "the first spelling");
    assert_eq!(r.by_sector[0].count, 2);
    assert_eq!(r.by_company.len(), 2, "{:?}", r.by_company);
    assert_eq!(r.rates.len(), 1, "{:?}", r.rates);
    let md = render::markdown(&r);
    assert!(md.contains("| KZT → USD | 0,0021 |"), "{md}");
    assert!(!md.contains("USD → USD"), "{md}");
    assert!(render::html(&r).contains("<td class=n>0,0021</td>"));

    let r = build(dollars);
    assert!(r.rates.is_empty());
    let heading = report::words::words(Lang::Ru).rates;
    assert!(!render::markdown(&r).contains(heading));
    assert!(!render::html(&r).contains(heading));
    let text = pdf_text(&report::pdf::pdf(&r).expect("pdf"));
    assert!(text.contains("Grain"), "{text}");
    assert!(!text.contains(heading), "{text}");
}

use super::*;
use mission_crm_engine::model::rate::{self, RateInput};
use mission_crm_engine::undo;

fn kzt(rate: &str, date: &str, source: &str) -> RateInput {
    RateInput {
        currency: "kzt".into(),
        base_currency: "USD".into(),
        rate: rate.into(),
        rate_date: date.into(),
        source: source.into(),
    }
}

#[test]
fn kept_rates_are_listed_newest_first_per_currency() {
    let store = in_memory_db();
    for (r, d) in [("0.0021", "2023-10-01"), ("0.00209", "2023-10-04")] {
        store
            .write(Source::App, |tx| {
                rate::add(tx, &kzt(r, d, "National Bank of Kazakhstan"))
            })
            .expect("kept");
    }
    store
        .write(Source::App, |tx| {
            rate::add(
                tx,
                &RateInput {
                    currency: "TMT".into(),
                    base_currency: "USD".into(),
                    rate: "0.2857142857".into(),
                    rate_date: "2023-10-01".into(),
                    source: "Central Bank of Turkmenistan".into(),
                },
            )
        })
        .expect("kept");
    let usd = store.read(|db| rate::list(db, Some("usd"))).expect("list");
    let seen: Vec<(&str, &str)> = usd
        .iter()
        .map(|r| (r.currency.as_str(), r.rate.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("KZT", "0.00209"),
            ("KZT", "0.0021"),
            ("TMT", "0.2857142857")
        ]
    );
    assert!(store
        .read(|db| rate::list(db, Some("EUR")))
        .expect("list")
        .is_empty());
}

#[test]
fn a_bad_rate_is_refused_with_its_field_and_nothing_is_kept() {
    let store = in_memory_db();
    let cases = [
        (kzt("0", "2023-10-01", ""), ErrorCode::InvalidRate, "rate"),
        (kzt("-1", "2023-10-01", ""), ErrorCode::InvalidRate, "rate"),
        (
            kzt("1/476", "2023-10-01", ""),
            ErrorCode::InvalidRate,
            "rate",
        ),
        (
            kzt("0.0021", "01.10.2023", ""),
            ErrorCode::InvalidDate,
            "rate_date",
        ),
        (
            RateInput {
                currency: "USD".into(),
                ..kzt("1", "2023-10-01", "")
            },
            ErrorCode::BaseRateIsOne,
            "currency",
        ),
        (
            RateInput {
                currency: "KZX".into(),
                ..kzt("1", "2023-10-01", "")
            },
            ErrorCode::UnknownCurrency,
            "currency",
        ),
    ];
    for (input, code, field) in cases {
        let err = store
            .write(Source::App, |tx| rate::add(tx, &input))
            .expect_err("refused");
        assert_eq!((err.code(), err.field()), (code, Some(field)), "{input:?}");
    }
    store
        .write(Source::App, |tx| {
            rate::add(tx, &kzt("0.0021", "2023-10-01", "NBK"))
        })
        .expect("kept");
    let twice = store
        .write(Source::App, |tx| {
            rate::add(tx, &kzt("0.0022", "2023-10-01", "NBK"))
        })
        .expect_err("same day and source");
    assert_eq!(twice.code(), ErrorCode::Conflict);
    let kept = store.read(|db| rate::list(db, None)).expect("list");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].rate, "0.0021");
}

#[test]
fn deleting_a_kept_rate_leaves_agreements_alone_and_ctrl_z_brings_it_back() {
    let store = in_memory_db();
    let mission_id = store.write(Source::Demo, demo::load).expect("demo");
    let kept = store
        .write(Source::App, |tx| {
            rate::add(tx, &kzt("0.0021", "2023-10-01", "NBK"))
        })
        .expect("kept");
    // An agreement converted at the kept rate, as the form fills it in:
    // it holds its own copy of the rate, which the delete must not touch.
    let ledger = || {
        store
            .read(|db| agreement::list(db, Some(mission_id)))
            .expect("ledger")
    };
    let kzt_deals =
        |l: &agreement::AgreementList| l.agreements.iter().filter(|a| a.currency == "KZT").count();
    let before = ledger();
    assert!(kzt_deals(&before) > 0, "the demo converts KZT at 0.0021");
    store
        .write(Source::App, |tx| rate::delete(tx, kept.id))
        .expect("deleted");
    assert!(store
        .read(|db| rate::list(db, None))
        .expect("list")
        .is_empty());
    let after = ledger();
    assert_eq!(
        before.agreements, after.agreements,
        "every agreement as it was"
    );
    assert_eq!(before.totals, after.totals);

    store.write(Source::App, undo::undo_last).expect("undo");
    assert_eq!(store.read(|db| rate::list(db, None)).expect("list"), [kept]);
}

/// What the agreement form shows beside the rate before saving: the
/// amount as it would be stored, by the same rules and errors as a save.
#[test]
fn an_amount_is_converted_as_a_save_would_convert_it() {
    use mission_crm_engine::model::agreement::{convert, Conversion};
    let usd = |minor| Conversion {
        base_amount_minor: minor,
        base_exponent: 2,
    };
    assert_eq!(
        convert("150 000 000", "kzt", Some("0,0021"), "USD").expect("converted"),
        usd(31_500_000)
    );
    // The rate the wrong way round: 70.5 billion dollars, plain to see.
    assert_eq!(
        convert("150000000", "KZT", Some("470"), "USD").expect("converted"),
        usd(7_050_000_000_000)
    );
    assert_eq!(
        convert("99.99", "USD", None, "USD").expect("converted"),
        usd(9_999)
    );
    for (amount, currency, rate, code) in [
        ("100", "KZT", None, ErrorCode::RateRequired),
        ("100", "USD", Some("2"), ErrorCode::BaseRateIsOne),
        ("1.234", "USD", None, ErrorCode::TooManyDecimals),
        ("100", "XYZ", Some("1"), ErrorCode::UnknownCurrency),
    ] {
        let err = convert(amount, currency, rate, "USD").expect_err("refused");
        assert_eq!(err.code(), code, "{amount} {currency} {rate:?}: {err}");
    }
}

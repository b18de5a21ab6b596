//! Domain rules for the values people type: names, e-mail addresses, phone
//! numbers, countries and currencies. Each returns the normalised value or a
//! typed error naming the field.

use std::str::FromStr;

use crate::error::{Error, ErrorCode, Result};

/// Trims a required text; empty (or only spaces) is refused.
pub fn required(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(
            ErrorCode::Required,
            field,
            format!("{field} is required"),
        ));
    }
    Ok(v.to_owned())
}

/// E-mail syntax as people use it (RFC 5321 shape, not its every corner):
/// one `@`, a non-empty local part without spaces, and a domain of dot-
/// separated labels of letters, digits and hyphens (Unicode letters allowed,
/// for internationalised domains). Lower-cases the domain only: the local
/// part is case-sensitive by the standard.
pub fn email(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim();
    let bad = || {
        Error::invalid(
            ErrorCode::InvalidEmail,
            field,
            format!("{field}: {v:?} is not an e-mail address"),
        )
    };
    let (local, domain) = v.rsplit_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"@<>()[]\\,;:\"".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if !(local_ok && domain_ok) {
        return Err(bad());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// An ISO 3166-1 alpha-2 region code as the phone metadata knows it (KZ, TM).
pub fn country(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim().to_uppercase();
    phonenumber::country::Id::from_str(&v).map_err(|_| {
        Error::invalid(
            ErrorCode::InvalidCountry,
            field,
            format!("{field}: {value:?} is not a two-letter country code (e.g. KZ, TM)"),
        )
    })?;
    Ok(v)
}

/// A phone number as typed, in E.164 (`+77011234567`). Numbers without a
/// country code are read in `region` (the mission's default); a number that
/// is not valid for its country is refused rather than stored half-right.
pub fn phone(field: &'static str, value: &str, region: Option<&str>) -> Result<String> {
    let bad = |why: &str| {
        Error::invalid(
            ErrorCode::InvalidPhone,
            field,
            format!("{field}: {value:?} {why}"),
        )
    };
    let lacks = lacks_country(value, region);
    let region = region
        .map(|r| phonenumber::country::Id::from_str(&r.to_uppercase()))
        .transpose()
        .map_err(|_| bad("cannot be read: unknown default region"))?;
    // The parser has panicked on malformed input in past releases; a typed
    // number must never take the app down, so a panic reads as "invalid".
    let text = value.trim().to_owned();
    let parsed = std::panic::catch_unwind(move || {
        phonenumber::parse(region, &text).map(|n| {
            let valid = phonenumber::is_valid(&n);
            (valid, n.format().mode(phonenumber::Mode::E164).to_string())
        })
    });
    match parsed {
        Ok(Ok((true, e164))) => Ok(e164),
        Ok(Ok((false, _))) => Err(bad("is not a valid number for its country")),
        // Digits the parser could not place in any country: written
        // locally. Not a number at all ("n/a", "12") is no country's.
        Ok(Err(phonenumber::ParseError::InvalidCountryCode)) if lacks => Err(Error::invalid(
            ErrorCode::PhoneNeedsCountry,
            field,
            format!("{field}: {value:?} needs a country code (e.g. +7 701 123 45 67)"),
        )),
        Ok(Err(_)) | Err(_) => Err(bad("is not a phone number")),
    }
}

/// Written locally (no "+"), with no default region to read it by.
fn lacks_country(value: &str, region: Option<&str>) -> bool {
    region.is_none() && !value.trim().starts_with('+')
}

/// An ISO 4217 currency code, with the number of minor-unit digits it has
/// (USD 2, KZT 2, JPY 0, KWD 3).
pub fn currency(field: &'static str, value: &str) -> Result<(String, u32)> {
    let code = value.trim().to_uppercase();
    let unknown = || {
        Error::invalid(
            ErrorCode::UnknownCurrency,
            field,
            format!("{field}: {value:?} is not an ISO 4217 currency code (e.g. USD, KZT, TMT)"),
        )
    };
    let c = iso_currency::Currency::from_code(&code).ok_or_else(unknown)?;
    // Funds and metals (XAU, XDR...) have no minor unit and are no price.
    let exponent = c.exponent().ok_or_else(unknown)?;
    Ok((code, u32::from(exponent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_blank_names_refused() {
        assert_eq!(
            required("name", "  Сахметов ").ok().as_deref(),
            Some("Сахметов")
        );
        let err = required("name", " \t ").expect_err("blank");
        assert_eq!(
            (err.code(), err.field()),
            (ErrorCode::Required, Some("name"))
        );
    }

    #[test]
    fn email_syntax() {
        for ok in [
            "a@b.kz",
            "k.sakhmetov@Astana-Club.KZ",
            "info@почта.рф",
            "x+tag@mail.tm",
        ] {
            assert!(email("email", ok).is_ok(), "{ok} should be accepted");
        }
        assert_eq!(
            email("e", "A.B@EXAMPLE.COM").ok().as_deref(),
            Some("A.B@example.com")
        );
        for bad in [
            "", "plain", "a@b", "a@@b.kz", "a b@c.kz", "@b.kz", "a@-b.kz", "a@b..kz", "a.@b.kz",
        ] {
            let err = email("email", bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::InvalidEmail, "{bad}");
        }
    }

    /// "Add the country code" only for digits written locally; what is no
    /// number at all is said to be none.
    #[test]
    fn only_a_local_number_is_asked_for_its_country_code() {
        for (typed, code) in [
            ("8 701 123 45 67", ErrorCode::PhoneNeedsCountry),
            ("n/a", ErrorCode::InvalidPhone),
            ("-", ErrorCode::InvalidPhone),
        ] {
            assert_eq!(
                phone("phone", typed, None).expect_err(typed).code(),
                code,
                "{typed}"
            );
        }
    }

    #[test]
    fn phones_become_e164_using_the_default_region() {
        assert_eq!(
            phone("phone", "8 701 123 45 67", Some("KZ"))
                .ok()
                .as_deref(),
            Some("+77011234567")
        );
        assert_eq!(
            phone("phone", "+7 (701) 123-45-67", None).ok().as_deref(),
            Some("+77011234567")
        );
        assert_eq!(
            phone("phone", "+993 12 94 00 00", Some("KZ"))
                .ok()
                .as_deref(),
            Some("+99312940000")
        );
        for bad in ["12", "hello", "+7 000"] {
            assert_eq!(
                phone("phone", bad, Some("KZ")).expect_err(bad).code(),
                ErrorCode::InvalidPhone
            );
        }
        let err = phone("phone", "701 123 45 67", None).expect_err("no region");
        assert!(err.to_string().contains("country code"), "{err}");
    }

    #[test]
    fn currencies_are_iso_4217_with_their_minor_units() {
        assert_eq!(currency("c", "usd").ok(), Some(("USD".to_owned(), 2)));
        assert_eq!(currency("c", "TMT").ok(), Some(("TMT".to_owned(), 2)));
        assert_eq!(currency("c", "JPY").ok(), Some(("JPY".to_owned(), 0)));
        for bad in ["", "US", "XYZ", "DOLLARS", "XAU"] {
            assert_eq!(
                currency("c", bad).expect_err(bad).code(),
                ErrorCode::UnknownCurrency
            );
        }
    }

    #[test]
    fn countries_are_two_letter_codes() {
        assert_eq!(country("c", "tm").ok().as_deref(), Some("TM"));
        assert_eq!(
            country("c", "Turkmenistan").expect_err("name").code(),
            ErrorCode::InvalidCountry
        );
    }
}

//! Money without floats: amounts are integer minor units of an ISO 4217
//! currency, exchange rates are exact decimals, and a conversion rounds once,
//! half to even, in integer arithmetic.

use std::fmt;

use crate::error::{Error, ErrorCode, Result};

/// An exact positive decimal, `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    mantissa: u128,
    scale: u32,
}

/// Enough for any real exchange rate (1 BTC-era currencies aside) while
/// keeping `amount * mantissa * 10^k` inside i128.
const MAX_SCALE: u32 = 12;

impl Decimal {
    /// Parses `123`, `0.0021`, `1,5` (comma as the decimal mark) exactly.
    fn parse(text: &str) -> Option<Self> {
        let t = text.trim().replace(',', ".");
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits_only(int) || !digits_only(frac) {
            return None;
        }
        let scale = u32::try_from(frac.len()).ok().filter(|s| *s <= MAX_SCALE)?;
        let mut d = Self {
            mantissa: format!("{int}{frac}").parse::<u128>().ok()?,
            scale,
        };
        // Trailing zeros dropped, so equal values compare equal ("1.00" is 1).
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.scale -= 1;
        }
        Some(d)
    }

    fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// Canonical text: no trailing zeros after the point, at least one digit.
    fn canonical(self) -> String {
        let digits = self.mantissa.to_string();
        let scale = self.scale as usize;
        let (int, frac) = if digits.len() > scale {
            digits.split_at(digits.len() - scale)
        } else {
            ("0", digits.as_str())
        };
        let frac = format!("{frac:0>scale$}");
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_owned()
        } else {
            format!("{int}.{frac}")
        }
    }
}

/// Parses an amount typed in major units ("1 250 000.50", "1250000,5") into
/// minor units of a currency with `exponent` decimals. Refuses negatives, more
/// decimals than the currency has, and amounts beyond 2^53 minor units (so a
/// JavaScript number shows them exactly).
pub fn parse_amount(field: &'static str, text: &str, exponent: u32) -> Result<i64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '_')
        .collect();
    if cleaned.starts_with('-') {
        return Err(Error::invalid(
            ErrorCode::NegativeAmount,
            field,
            format!("{field} cannot be negative"),
        ));
    }
    let invalid = |why: &str| {
        Error::invalid(
            ErrorCode::InvalidAmount,
            field,
            format!("{field}: {text:?} {why}"),
        )
    };
    if ambiguous_comma(&cleaned) {
        return Err(Error::invalid(
            ErrorCode::AmbiguousNumber,
            field,
            format!("{field}: {text:?} {AMBIGUOUS}"),
        ));
    }
    let d = Decimal::parse(&cleaned).ok_or_else(|| invalid("is not an amount"))?;
    // The decimals as typed, not as parsed (trailing zeros dropped): "150.000"
    // in dollars is likely 150,000 with a point between thousands, and was
    // taken for 150.00; "250.000" yen for 250.
    let typed = cleaned.split_once(['.', ',']).map_or(0, |(_, f)| f.len());
    if d.scale > exponent || typed > exponent as usize {
        return Err(Error::invalid(
            ErrorCode::TooManyDecimals,
            field,
            format!("{field}: {text:?} has more than {exponent} decimals"),
        ));
    }
    let minor = d
        .mantissa
        .checked_mul(10u128.pow(exponent - d.scale))
        .filter(|m| *m <= MAX_SAFE_MINOR)
        .ok_or_else(|| invalid("is too large"))?;
    i64::try_from(minor).map_err(|_| invalid("is too large"))
}

const MAX_SAFE_MINOR: u128 = (1 << 53) - 1;

/// "1,500" could be 1.5 or 1500, "1,500.5" and "1,000,000" hold thousands
/// separators: refused rather than guessed, for amounts and rates alike (a
/// rate read a thousand times too small would go unnoticed in every total).
/// A comma alone is a decimal mark before other than three digits
/// ("0,2857"), or after a lone zero, which no thousands group follows
/// ("0,002").
const AMBIGUOUS: &str = "is ambiguous: write it without separators, with a point for decimals";

fn ambiguous_comma(text: &str) -> bool {
    text.split_once(',').is_some_and(|(before, after)| {
        text.contains('.')
            || text.matches(',').count() > 1
            || (after.len() == 3 && !before.trim_start_matches('0').is_empty())
    })
}

/// An exchange rate: units of the base currency per one unit of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate(Decimal);

impl Rate {
    pub const ONE: Rate = Rate(Decimal {
        mantissa: 1,
        scale: 0,
    });

    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        if ambiguous_comma(text.trim()) {
            return Err(Error::invalid(
                ErrorCode::AmbiguousNumber,
                field,
                format!("{field}: {text:?} {AMBIGUOUS}"),
            ));
        }
        match Decimal::parse(text) {
            Some(d) if !d.is_zero() => Ok(Self(d)),
            _ => Err(Error::invalid(
                ErrorCode::InvalidRate,
                field,
                format!(
                    "{field}: {text:?} is not a positive exchange rate (at most {MAX_SCALE} decimals)"
                ),
            )),
        }
    }

    /// Converts `amount_minor` (with `from_exp` decimals) into minor units of
    /// the base currency (with `to_exp` decimals), rounding half to even once.
    pub fn convert(self, amount_minor: i64, from_exp: u32, to_exp: u32) -> Option<i64> {
        // amount/10^from * m/10^s * 10^to = amount*m*10^to / 10^(from+s)
        let num = u128::try_from(amount_minor)
            .ok()?
            .checked_mul(self.0.mantissa)?
            .checked_mul(10u128.checked_pow(to_exp)?)?;
        let den = 10u128.checked_pow(from_exp + self.0.scale)?;
        let (q, r) = (num / den, num % den);
        let rounded = match (r * 2).cmp(&den) {
            std::cmp::Ordering::Less => q,
            std::cmp::Ordering::Greater => q + 1,
            std::cmp::Ordering::Equal => q + (q % 2),
        };
        // Capped like typed amounts, so JavaScript shows it exactly.
        i64::try_from(rounded)
            .ok()
            .filter(|v| (*v as u128) <= MAX_SAFE_MINOR)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.canonical())
    }
}

/// Minor-unit digits of a stored currency code (validated when written;
/// 2, the common case, if a hand-edited file holds something else).
pub fn exponent(code: &str) -> u32 {
    crate::validate::currency("currency", code)
        .map(|(_, e)| e)
        .unwrap_or(2)
}

/// Minor units as major-unit text ("300000000", 2 → "3000000.00"), for
/// plain-text output; the UI formats with Intl instead.
pub fn format_minor(minor: i64, exponent: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let digits = minor.unsigned_abs().to_string();
    let e = exponent as usize;
    if e == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = e + 1);
    let (int, frac) = padded.split_at(padded.len() - e);
    format!("{sign}{int}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_exactly_into_minor_units() {
        assert_eq!(parse_amount("a", "1 250 000.50", 2).ok(), Some(125_000_050));
        assert_eq!(parse_amount("a", "1250000,5", 2).ok(), Some(125_000_050));
        for ambiguous in ["1,500", "1,000,000", "1.000,50"] {
            let err = parse_amount("a", ambiguous, 3).expect_err(ambiguous);
            assert_eq!(err.code(), ErrorCode::AmbiguousNumber, "{ambiguous}: {err}");
        }
        assert_eq!(
            parse_amount("a", "0.1", 2).ok(),
            Some(10),
            "0.1 is exact, no float"
        );
        assert_eq!(parse_amount("a", "700", 0).ok(), Some(700));
        assert_eq!(
            parse_amount("a", "-5", 2).expect_err("neg").code(),
            ErrorCode::NegativeAmount
        );
        for bad in ["", "abc", "1e5", "1.2.3", "99999999999999999999"] {
            assert_eq!(
                parse_amount("a", bad, 2).expect_err(bad).code(),
                ErrorCode::InvalidAmount
            );
        }
        for (typed, exponent) in [("1.234", 2), ("150.000", 2), ("250.000", 0), ("1.0", 0)] {
            assert_eq!(
                parse_amount("a", typed, exponent).expect_err(typed).code(),
                ErrorCode::TooManyDecimals,
                "{typed}"
            );
        }
        assert_eq!(parse_amount("a", "150.00", 2).ok(), Some(15_000));
    }

    #[test]
    fn conversion_rounds_half_to_even_once() {
        let r = Rate::parse("rate", "0.0021").expect("rate");
        // 150,000,000.00 KZT * 0.0021 = 315,000.00 USD exactly
        assert_eq!(r.convert(15_000_000_000, 2, 2), Some(31_500_000));
        let half = Rate::parse("rate", "0.5").expect("rate");
        assert_eq!(half.convert(1, 2, 2), Some(0), "0.005 rounds to even 0.00");
        assert_eq!(half.convert(3, 2, 2), Some(2), "0.015 rounds to even 0.02");
        assert_eq!(Rate::ONE.convert(12_345, 2, 2), Some(12_345));
        // Written with zeros after the point, one is still one.
        for one in ["1.00", "1,0", "01.000"] {
            assert_eq!(Rate::parse("rate", one).ok(), Some(Rate::ONE), "{one}");
        }
        assert_eq!(
            Rate::parse("rate", "0.00210").ok().map(|r| r.to_string()),
            Some("0.0021".into())
        );
        // Different exponents: 1000 JPY (0 decimals) at 0.0067 USD = 6.70 USD
        let jpy = Rate::parse("rate", "0.0067").expect("rate");
        assert_eq!(jpy.convert(1000, 0, 2), Some(670));
    }

    #[test]
    fn rates_are_positive_exact_decimals_kept_canonically() {
        assert_eq!(
            Rate::parse("r", "0.28570")
                .map(|r| r.to_string())
                .ok()
                .as_deref(),
            Some("0.2857")
        );
        assert_eq!(
            Rate::parse("r", "1").map(|r| r.to_string()).ok().as_deref(),
            Some("1")
        );
        assert_eq!(
            Rate::parse("r", ".5")
                .map(|r| r.to_string())
                .ok()
                .as_deref(),
            Some("0.5")
        );
        // A decimal comma is read as one; a thousands separator is refused:
        // "1,550" was read as 1.55, a thousand times too small.
        for (typed, kept) in [("0,2857", "0.2857"), ("0,002", "0.002"), (",550", "0.55")] {
            assert_eq!(
                Rate::parse("r", typed)
                    .map(|r| r.to_string())
                    .ok()
                    .as_deref(),
                Some(kept),
                "{typed}"
            );
        }
        for bad in ["0", "-1", "abc", "", "0.0000000000001"] {
            assert_eq!(
                Rate::parse("r", bad).expect_err(bad).code(),
                ErrorCode::InvalidRate
            );
        }
        for ambiguous in ["1,550", "1,550.5", "1,000,000"] {
            assert_eq!(
                Rate::parse("r", ambiguous).expect_err(ambiguous).code(),
                ErrorCode::AmbiguousNumber
            );
        }
    }

    #[test]
    fn minor_units_format_as_major_units() {
        assert_eq!(format_minor(300_000_000, 2), "3000000.00");
        assert_eq!(format_minor(5, 2), "0.05");
        assert_eq!(format_minor(700, 0), "700");
    }
}

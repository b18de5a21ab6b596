//! Instants and dates as stored: instants in UTC as fixed-width RFC 3339 text
//! with milliseconds (sorts as text, reads in any SQLite shell), dates as
//! `YYYY-MM-DD`. The clock is passed in so tests control "now".

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{Error, ErrorCode, Result};

pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// Today's date on this computer's clock: what "due today" means to the
/// person at it (missions' own zones are for meeting times).
pub fn today_local() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn format_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_stored_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Data(format!("bad instant {text:?}: {e}")))
}

pub fn parse_stored_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| Error::Data(format!("bad date {text:?}: {e}")))
}

/// A date typed by a user (`YYYY-MM-DD`).
pub fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            ErrorCode::InvalidDate,
            field,
            format!("{field}: {text:?} is not a date (expected YYYY-MM-DD)"),
        )
    })
}

/// An IANA time zone name such as `Asia/Ashgabat`.
pub fn parse_time_zone(field: &'static str, name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        Error::invalid(
            ErrorCode::InvalidTimeZone,
            field,
            format!("{field}: {name:?} is not an IANA time zone (e.g. Asia/Ashgabat)"),
        )
    })
}

/// A wall-clock time typed in a time zone (`YYYY-MM-DDTHH:MM`, seconds
/// optional), turned into the UTC instant it names. A time that the zone
/// skips or repeats (daylight saving) is refused rather than guessed.
pub fn local_to_utc(field: &'static str, text: &str, tz: Tz) -> Result<DateTime<Utc>> {
    let text = text.trim();
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| {
            Error::invalid(
                ErrorCode::InvalidDate,
                field,
                format!("{field}: {text:?} is not a date and time (expected YYYY-MM-DDTHH:MM)"),
            )
        })?;
    tz.from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            Error::invalid(
                ErrorCode::InvalidDate,
                field,
                format!("{field}: {text} does not exist or is ambiguous in {tz}"),
            )
        })
}

/// The instant showing in `to` the wall-clock time `at` shows in `from`
/// (a zone corrected). Never refused, unlike a time typed: a time `to`
/// repeats is its first, and one `to` skips (daylight saving) is an hour
/// later, as a clock put forward reads.
pub(crate) fn same_wall_clock(at: DateTime<Utc>, from: Tz, to: Tz) -> DateTime<Utc> {
    let local = at.with_timezone(&from).naive_local();
    [local, local + chrono::Duration::hours(1)]
        .iter()
        .find_map(|l| to.from_local_datetime(l).earliest())
        .map_or(at, |t| t.with_timezone(&Utc))
}

/// The wall-clock text of an instant in a zone, the inverse of [`local_to_utc`].
pub fn utc_to_local(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_clock_time_moved_to_a_zone_that_skips_or_repeats_it_is_never_refused() {
        let (utc, berlin) = (chrono_tz::UTC, chrono_tz::Europe::Berlin);
        let at = |s: &str| parse_stored_instant(s).expect("instant");
        // 10:00 in UTC is 10:00 in Berlin (CEST, UTC+2): 08:00Z.
        assert_eq!(
            same_wall_clock(at("2023-10-02T10:00:00Z"), utc, berlin),
            at("2023-10-02T08:00:00Z")
        );
        // 02:30 on 26 March 2023 never happens in Berlin: an hour later.
        assert_eq!(
            same_wall_clock(at("2023-03-26T02:30:00Z"), utc, berlin),
            at("2023-03-26T01:30:00Z")
        );
        // 02:30 on 29 October 2023 happens twice there: the first.
        assert_eq!(
            same_wall_clock(at("2023-10-29T02:30:00Z"), utc, berlin),
            at("2023-10-29T00:30:00Z")
        );
    }

    #[test]
    fn a_meeting_time_in_ashgabat_is_stored_five_hours_earlier_in_utc() {
        let tz = parse_time_zone("tz", "Asia/Ashgabat").expect("known zone");
        let at = local_to_utc("starts", "2023-10-02T10:00", tz).expect("valid time");
        assert_eq!(format_instant(at), "2023-10-02T05:00:00.000Z");
        assert_eq!(utc_to_local(at, tz), "2023-10-02T10:00");
    }

    #[test]
    fn times_skipped_by_daylight_saving_are_refused() {
        let tz = parse_time_zone("tz", "Europe/Berlin").expect("known zone");
        let err = local_to_utc("starts", "2023-03-26T02:30", tz).expect_err("skipped hour");
        assert_eq!(err.code(), ErrorCode::InvalidDate);
    }

    #[test]
    fn unknown_zones_and_dates_are_refused_with_their_codes() {
        assert_eq!(
            parse_time_zone("tz", "Mars/Olympus")
                .map(|_| ())
                .expect_err("no such zone")
                .code(),
            ErrorCode::InvalidTimeZone
        );
        assert_eq!(
            parse_date("d", "2023-02-30")
                .map(|_| ())
                .expect_err("no such day")
                .code(),
            ErrorCode::InvalidDate
        );
    }
}

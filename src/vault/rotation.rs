//! Rotation dates (SPEC.md, "Environments, branches and rotation"):
//! `rotation_due_at` is `rotated_at` plus the period. Periods are exact
//! seconds (a day is 86,400 s in UTC), so month ends and leap years need no
//! special case: 90 days after 2026-12-02 is 2027-03-02.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp, tz::TimeZone};

/// When a secret rotated at `rotated_at` (RFC 3339) is due again; `None` when
/// the timestamp cannot be read (a vault written by hand or by a bug).
pub fn due_at(rotated_at: &str, every: Duration) -> Option<Timestamp> {
    let rotated: Timestamp = rotated_at.parse().ok()?;
    let period = SignedDuration::try_from(every).ok()?;
    rotated.checked_add(period).ok()
}

/// Whether a rotation due at `due` is due at `now` (the due moment counts).
pub fn is_due(due: Timestamp, now: Timestamp) -> bool {
    due <= now
}

/// RFC 3339 UTC with second precision, as every other date in the vault.
pub fn rfc3339(at: Timestamp) -> String {
    at.round(jiff::Unit::Second).unwrap_or(at).to_string()
}

/// The UTC calendar date, `2027-03-02`, for tables.
pub fn date(at: Timestamp) -> String {
    at.to_zoned(TimeZone::UTC).date().to_string()
}

/// Whether `last_read_at` (RFC 3339, or never) is older than `period` at `now`.
pub fn unread_for(last_read_at: Option<&str>, period: Duration, now: Timestamp) -> bool {
    match last_read_at.and_then(|at| due_at(at, period)) {
        Some(limit) => limit <= now,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::duration::Period;

    fn due(rotated_at: &str, every: &str) -> String {
        rfc3339(due_at(rotated_at, Period::parse(every).unwrap().as_duration()).unwrap())
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn ninety_days_across_the_year_end() {
        assert_eq!(due("2026-12-02T04:00:00Z", "90d"), "2027-03-02T04:00:00Z");
        assert_eq!(date(ts("2027-03-02T04:00:00Z")), "2027-03-02");
    }

    #[test]
    fn month_ends_and_leap_years() {
        // 2024 is a leap year: January 31 + 29 days is February 29.
        assert_eq!(due("2024-01-31T10:00:00Z", "29d"), "2024-02-29T10:00:00Z");
        assert_eq!(due("2024-01-31T10:00:00Z", "30d"), "2024-03-01T10:00:00Z");
        // 2023 is not: the same 30 days end on March 2.
        assert_eq!(due("2023-01-31T10:00:00Z", "30d"), "2023-03-02T10:00:00Z");
        assert_eq!(due("2024-02-28T23:59:59Z", "1s"), "2024-02-29T00:00:00Z");
        assert_eq!(due("2023-02-28T23:59:59Z", "1s"), "2023-03-01T00:00:00Z");
        // 2100 is not a leap year (divisible by 100, not by 400); 2000 was.
        assert_eq!(due("2100-02-28T00:00:00Z", "1d"), "2100-03-01T00:00:00Z");
        assert_eq!(due("2000-02-28T00:00:00Z", "1d"), "2000-02-29T00:00:00Z");
        // A year of weeks from a leap day, and 30 days from April 30.
        assert_eq!(due("2024-02-29T00:00:00Z", "52w"), "2025-02-27T00:00:00Z");
        assert_eq!(due("2026-04-30T12:00:00Z", "30d"), "2026-05-30T12:00:00Z");
        assert_eq!(due("2026-12-31T23:30:00Z", "45m"), "2027-01-01T00:15:00Z");
        assert_eq!(due("2026-12-31T22:00:00Z", "2h"), "2027-01-01T00:00:00Z");
    }

    #[test]
    fn a_date_is_the_utc_calendar_day() {
        assert_eq!(date(ts("2024-02-29T23:59:59Z")), "2024-02-29");
        assert_eq!(date(ts("2024-03-01T00:00:00Z")), "2024-03-01");
    }

    #[test]
    fn due_counts_from_the_due_moment_itself() {
        let due = ts("2027-03-02T04:00:00Z");
        assert!(!is_due(due, ts("2027-03-02T03:59:59Z")));
        assert!(is_due(due, ts("2027-03-02T04:00:00Z")));
        assert!(is_due(due, ts("2028-01-01T00:00:00Z")));
    }

    #[test]
    fn unreadable_rotation_dates_are_not_guessed() {
        let every = Period::parse("90d").unwrap().as_duration();
        assert!(due_at("", every).is_none());
        assert!(due_at("yesterday", every).is_none());
    }

    #[test]
    fn unread_means_never_read_or_read_too_long_ago() {
        let now = ts("2026-12-02T00:00:00Z");
        let thirty = Period::parse("30d").unwrap().as_duration();
        assert!(unread_for(None, thirty, now));
        assert!(unread_for(Some("2026-11-01T00:00:00Z"), thirty, now));
        assert!(unread_for(Some("2026-11-02T00:00:00Z"), thirty, now));
        assert!(!unread_for(Some("2026-11-02T00:00:01Z"), thirty, now));
    }
}

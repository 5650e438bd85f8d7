//! Durations as the contract writes them (SPEC.md, "Validation"): a positive
//! whole number and a unit, `s`, `m`, `h`, `d` or `w` (`90s`, `10m`, `1h`,
//! `90d`, `12w`). Used by `unlock --ttl`, `--rotate-every` and `check --unread-for`.

use std::fmt;
use std::time::Duration;

/// A parsed duration that remembers how it was written, so that `90d` is
/// shown as `90d` and not as a number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub count: u64,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
}

impl Unit {
    fn seconds(self) -> u64 {
        match self {
            Unit::Seconds => 1,
            Unit::Minutes => 60,
            Unit::Hours => 3_600,
            Unit::Days => 86_400,
            Unit::Weeks => 7 * 86_400,
        }
    }

    fn suffix(self) -> char {
        match self {
            Unit::Seconds => 's',
            Unit::Minutes => 'm',
            Unit::Hours => 'h',
            Unit::Days => 'd',
            Unit::Weeks => 'w',
        }
    }
}

/// The longest duration accepted anywhere: 1,000 years, so that adding one to
/// a date can never overflow.
const MAX_SECONDS: u64 = 1_000 * 366 * 86_400;

impl Period {
    /// Parses `90s`, `10m`, `1h`, `90d` or `12w`; the error says what to write.
    pub fn parse(text: &str) -> Result<Period, String> {
        let example =
            "write a whole number and a unit (s, m, h, d, w), e.g. 90s, 10m, 1h, 90d, 12w";
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let unit = match unit {
            "s" => Unit::Seconds,
            "m" => Unit::Minutes,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "w" => Unit::Weeks,
            "" if !number.is_empty() => return Err(format!("'{text}' has no unit: {example}")),
            _ => return Err(format!("'{text}' is not a duration: {example}")),
        };
        let count: u64 = number
            .parse()
            .map_err(|_| format!("'{text}' is not a duration: {example}"))?;
        if count == 0 {
            return Err(format!("'{text}' is not a positive duration: {example}"));
        }
        if count.saturating_mul(unit.seconds()) > MAX_SECONDS {
            return Err(format!("'{text}' is too long: the limit is 1000 years"));
        }
        Ok(Period { count, unit })
    }

    pub fn seconds(self) -> u64 {
        self.count * self.unit.seconds()
    }

    pub fn as_duration(self) -> Duration {
        Duration::from_secs(self.seconds())
    }
}

/// A stored period as the contract shows it: in days when it is whole days
/// (`90d`, and `12w` as `84d`), else in the largest unit that divides it.
pub fn display(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let unit = [Unit::Days, Unit::Hours, Unit::Minutes]
        .into_iter()
        .find(|unit| seconds > 0 && seconds.is_multiple_of(unit.seconds()))
        .unwrap_or(Unit::Seconds);
    Period {
        count: seconds / unit.seconds(),
        unit,
    }
    .to_string()
}

/// `--rotate-every`: a duration, or `never` (`None`) to clear it.
pub fn parse_rotation(text: &str) -> Result<Option<Duration>, String> {
    match text {
        "never" => Ok(None),
        _ => Period::parse(text)
            .map(|period| Some(period.as_duration()))
            .map_err(|why| format!("--rotate-every: {why}, or never")),
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_parses_and_prints_as_written() {
        for (text, seconds) in [
            ("90s", 90),
            ("10m", 600),
            ("1h", 3_600),
            ("90d", 90 * 86_400),
            ("12w", 12 * 7 * 86_400),
        ] {
            let period = Period::parse(text).unwrap();
            assert_eq!(period.seconds(), seconds, "{text}");
            assert_eq!(period.to_string(), text);
        }
    }

    #[test]
    fn stored_periods_display_in_days_when_whole_days() {
        let show = |text: &str| display(Period::parse(text).unwrap().as_duration());
        assert_eq!(show("90d"), "90d");
        assert_eq!(show("12w"), "84d");
        assert_eq!(show("48h"), "2d");
        assert_eq!(show("36h"), "36h");
        assert_eq!(show("120m"), "2h");
        assert_eq!(show("90s"), "90s");
        assert_eq!(show("60s"), "1m");
    }

    #[test]
    fn rotation_takes_never_to_clear() {
        assert_eq!(parse_rotation("never"), Ok(None));
        assert_eq!(
            parse_rotation("90d"),
            Ok(Some(Duration::from_secs(90 * 86_400)))
        );
        assert!(parse_rotation("Never").is_err());
        assert!(parse_rotation("90").unwrap_err().contains("never"));
    }

    #[test]
    fn bad_durations_are_refused_with_an_example() {
        for bad in [
            "",
            "10",
            "m",
            "1x",
            "-1s",
            "0s",
            "0d",
            "1.5h",
            " 1h",
            "1h ",
            "1H",
            "1d2h",
            "+1d",
            "99999999999999999999d",
            "400000w",
        ] {
            let err = Period::parse(bad).unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{bad}: {err}");
        }
    }
}

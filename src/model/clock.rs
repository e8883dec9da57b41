//! The simulated clock: Unix seconds that only move when a command says so, with the
//! display helpers ("Day 0 09:00", ISO 8601) the rest of the simulator prints.

use crate::model::json::{FromJson, ToJson};
use std::fmt;

/// A point in simulated time, in seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, ToJson, FromJson)]
#[serde(transparent)]
pub struct SimTime(pub i64);

/// 2026-01-05T09:00:00Z, a Monday morning: where every new world starts.
pub const DEFAULT_START: SimTime = SimTime(1_767_603_600);

/// Seconds in a minute, for readable arithmetic on [`SimTime`].
pub const MINUTE: i64 = 60;
/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

impl SimTime {
    /// This time plus `seconds` (which may be negative).
    pub fn plus(self, seconds: i64) -> SimTime {
        SimTime(self.0.saturating_add(seconds))
    }

    /// Seconds from `earlier` to `self` (negative if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The time as ISO 8601 UTC with a `Z`: `2026-01-05T09:00:00Z`.
    pub fn iso8601(self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.0);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// The time relative to a world's start, as a person reads it: `Day 0 09:00`
    /// (days count from the start's calendar day, the clock shows UTC hours and minutes).
    pub fn day_label(self, start: SimTime) -> String {
        let day = self.0.div_euclid(DAY) - start.0.div_euclid(DAY);
        let (_, _, _, h, mi, _) = civil(self.0);
        format!("Day {day} {h:02}:{mi:02}")
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso8601())
    }
}

/// A duration as a person says it: `10 min`, `4 min 30 s`, `2 h 5 min`, `1 day 3 h`.
pub fn describe_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / DAY, (s % DAY) / HOUR, (s % HOUR) / MINUTE, s % MINUTE);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(if d == 1 {
            "1 day".to_string()
        } else {
            format!("{d} days")
        });
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 && d == 0 {
        parts.push(format!("{m} min"));
    }
    if sec > 0 && d == 0 && h == 0 {
        parts.push(format!("{sec} s"));
    }
    if parts.is_empty() {
        "0 s".to_string()
    } else {
        parts.join(" ")
    }
}

/// Splits Unix seconds into UTC (year, month, day, hour, minute, second), using Howard
/// Hinnant's days-from-civil inverse so no date library is needed.
fn civil(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(DAY);
    let secs = unix.rem_euclid(DAY);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s) = (secs / HOUR, (secs % HOUR) / MINUTE, secs % MINUTE);
    (y, m, d, h as u32, mi as u32, s as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_start_is_monday_fifth_of_january_2026_at_nine() {
        assert_eq!(DEFAULT_START.iso8601(), "2026-01-05T09:00:00Z");
        assert_eq!(DEFAULT_START.day_label(DEFAULT_START), "Day 0 09:00");
    }

    #[test]
    fn day_labels_count_calendar_days_from_the_start() {
        let cases = [
            (10 * MINUTE, "Day 0 09:10"),
            (15 * HOUR, "Day 1 00:00"),
            (DAY + 2 * HOUR + 5 * MINUTE, "Day 1 11:05"),
            (30 * DAY, "Day 30 09:00"),
        ];
        for (offset, label) in cases {
            assert_eq!(
                DEFAULT_START.plus(offset).day_label(DEFAULT_START),
                label,
                "{offset}"
            );
        }
    }

    #[test]
    fn iso8601_handles_leap_years_and_the_epoch() {
        assert_eq!(SimTime(0).iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(SimTime(951_782_400).iso8601(), "2000-02-29T00:00:00Z");
        assert_eq!(SimTime(1_629_759_148).iso8601(), "2021-08-23T22:52:28Z");
    }

    #[test]
    fn durations_read_like_speech() {
        let cases = [
            (0, "0 s"),
            (45, "45 s"),
            (600, "10 min"),
            (270, "4 min 30 s"),
            (2 * HOUR + 5 * MINUTE, "2 h 5 min"),
            (DAY + 3 * HOUR, "1 day 3 h"),
            (-5, "0 s"),
        ];
        for (secs, text) in cases {
            assert_eq!(describe_duration(secs), text);
        }
    }

    #[test]
    fn arithmetic_is_in_seconds() {
        let t = DEFAULT_START.plus(5 * MINUTE);
        assert_eq!(t.since(DEFAULT_START), 300);
        assert_eq!(DEFAULT_START.since(t), -300);
    }
}

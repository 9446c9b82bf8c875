//! Calendar arithmetic for the time directories: proleptic Gregorian dates, fixed zone offsets,
//! epoch milliseconds. Hand-written (days-from-civil) so the browser build carries no date crate.

use std::fmt;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;

/// Whether `year` has a 29 February.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1 to 12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date (month 1 to 12, day 1 to 31).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A wall-clock time, without a zone of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl DateTime {
    /// A checked wall-clock time; `None` when any field is out of its range (30 February,
    /// hour 24, second 60).
    pub fn new(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        let valid = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The wall-clock time at `epoch_ms` in `zone`.
    pub fn from_epoch_ms(epoch_ms: i64, zone: ZoneOffset) -> Self {
        let local = epoch_ms.saturating_add(i64::from(zone.minutes()) * MS_PER_MINUTE);
        let days = local.div_euclid(MS_PER_DAY);
        let ms_of_day = local.rem_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        DateTime {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
        }
    }

    /// The instant this wall-clock time names in `zone`.
    pub fn to_epoch_ms(self, zone: ZoneOffset) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let secs =
            i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second);
        days * MS_PER_DAY + secs * 1000 - i64::from(zone.minutes()) * MS_PER_MINUTE
    }

    /// `yyyy-MM-ddTHH:mm:ss`: with a `Z` after it, what an HTML `datetime` attribute takes.
    pub fn to_iso_string(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `yyyy-MM-dd HH:mm`, the way the console shows a moment to an operator.
    pub fn to_minute_string(self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

/// How long ago `then_ms` was at `now_ms`, in the coarsest unit that fits: "just now",
/// "5 min ago", "3 h ago", "2 days ago". A moment ahead of `now_ms` (clock skew between DIS and
/// the browser) is "just now".
pub fn relative(then_ms: i64, now_ms: i64) -> String {
    let seconds = now_ms.saturating_sub(then_ms) / 1000;
    match seconds {
        ..=59 => "just now".to_owned(),
        60..=3599 => format!("{} min ago", seconds / 60),
        3600..=86_399 => format!("{} h ago", seconds / 3600),
        86_400..=172_799 => "1 day ago".to_owned(),
        _ => format!("{} days ago", seconds / 86_400),
    }
}

/// A fixed offset from UTC, such as UTC+8. DIS regions do not observe daylight saving time, so a
/// fixed offset is all the time directories need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ZoneOffset {
    minutes: i32,
}

/// The widest offsets in use anywhere: UTC-12:00 to UTC+14:00.
const MIN_OFFSET_MINUTES: i32 = -12 * 60;
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

impl ZoneOffset {
    pub const UTC: ZoneOffset = ZoneOffset { minutes: 0 };
    /// Beijing time, the zone DIS's own pages render times in.
    pub const UTC_PLUS_8: ZoneOffset = ZoneOffset { minutes: 480 };

    /// An offset of whole minutes east of UTC, within UTC-12:00 to UTC+14:00.
    pub fn from_minutes(minutes: i32) -> Option<Self> {
        (MIN_OFFSET_MINUTES..=MAX_OFFSET_MINUTES)
            .contains(&minutes)
            .then_some(ZoneOffset { minutes })
    }

    pub fn minutes(self) -> i32 {
        self.minutes
    }

    /// The assumed zone of a region's time directories: UTC+8 for the `cn-*` regions, UTC
    /// elsewhere. An assumption, which is why `DIS_TIME_ZONE` can override it.
    pub fn default_for_region(region: &str) -> Self {
        if region.starts_with("cn-") {
            ZoneOffset::UTC_PLUS_8
        } else {
            ZoneOffset::UTC
        }
    }

    /// Reads `UTC`, `UTC+8`, `UTC+08`, `UTC+8:00`, `UTC-03:30`, or the same without `UTC`.
    pub fn parse(input: &str) -> Result<Self, String> {
        const HELP: &str = "Write the offset like UTC, UTC+8, UTC+08:00 or UTC-03:30.";
        let s = input.trim();
        let rest = s
            .strip_prefix("UTC")
            .or_else(|| s.strip_prefix("utc"))
            .or_else(|| s.strip_prefix("GMT"))
            .unwrap_or(s);
        if rest.is_empty() {
            return if s.is_empty() {
                Err(HELP.to_string())
            } else {
                Ok(ZoneOffset::UTC)
            };
        }
        let (sign, body) = match rest.as_bytes()[0] {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ => return Err(HELP.to_string()),
        };
        let (hours, minutes) = match body.split_once(':') {
            Some((h, m)) => (h, m),
            None => (body, "0"),
        };
        let digits = |t: &str, max_len: usize| {
            (!t.is_empty() && t.len() <= max_len && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<i32>().ok())
                .flatten()
        };
        let (Some(h), Some(m)) = (digits(hours, 2), digits(minutes, 2)) else {
            return Err(HELP.to_string());
        };
        if m >= 60 {
            return Err(HELP.to_string());
        }
        ZoneOffset::from_minutes(sign * (h * 60 + m))
            .ok_or_else(|| "Offsets run from UTC-12:00 to UTC+14:00.".to_string())
    }
}

impl fmt::Display for ZoneOffset {
    /// `UTC`, `UTC+8`, `UTC+5:30`, `UTC-3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.minutes == 0 {
            return f.write_str("UTC");
        }
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let abs = self.minutes.unsigned_abs();
        match abs % 60 {
            0 => write!(f, "UTC{sign}{}", abs / 60),
            m => write!(f, "UTC{sign}{}:{m:02}", abs / 60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_use_the_coarsest_unit() {
        let now = 1_700_000_000_000;
        assert_eq!(relative(now + 5_000, now), "just now");
        assert_eq!(relative(now - 59_999, now), "just now");
        assert_eq!(relative(now - 60_000, now), "1 min ago");
        assert_eq!(relative(now - 3_599_000, now), "59 min ago");
        assert_eq!(relative(now - 3_600_000, now), "1 h ago");
        assert_eq!(relative(now - 86_400_000, now), "1 day ago");
        assert_eq!(relative(now - 10 * 86_400_000, now), "10 days ago");
        assert_eq!(
            relative(i64::MIN, now),
            format!("{} days ago", i64::MAX / 1000 / 86_400)
        );
        let t = DateTime::from_epoch_ms(1_700_000_000_000, ZoneOffset::UTC);
        assert_eq!(t.to_iso_string(), "2023-11-14T22:13:20");
    }

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 2024-02-29 is a real day; the day after is 1 March.
        let leap = days_from_civil(2024, 2, 29);
        assert_eq!(civil_from_days(leap + 1), (2024, 3, 1));
        assert_eq!(
            civil_from_days(days_from_civil(2023, 2, 28) + 1),
            (2023, 3, 1)
        );
    }

    #[test]
    fn round_trip_over_four_centuries() {
        let start = days_from_civil(1900, 1, 1);
        let end = days_from_civil(2300, 1, 1);
        for d in start..end {
            let (y, m, day) = civil_from_days(d);
            assert!(day >= 1 && day <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, day), d);
        }
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2400, 2), 29);
    }

    #[test]
    fn wall_clock_in_zones() {
        // 2017-11-10 06:49:00 UTC is 14:49 in Beijing.
        let ms = DateTime::new(2017, 11, 10, 6, 49, 0)
            .unwrap()
            .to_epoch_ms(ZoneOffset::UTC);
        assert_eq!(ms, 1_510_296_540_000);
        let bj = DateTime::from_epoch_ms(ms, ZoneOffset::UTC_PLUS_8);
        assert_eq!((bj.day, bj.hour, bj.minute), (10, 14, 49));
        // 23:59 on New Year's Eve in UTC is already the next year in UTC+8.
        let eve = DateTime::new(2023, 12, 31, 23, 59, 59)
            .unwrap()
            .to_epoch_ms(ZoneOffset::UTC);
        let next = DateTime::from_epoch_ms(eve, ZoneOffset::UTC_PLUS_8);
        assert_eq!(
            (next.year, next.month, next.day, next.hour),
            (2024, 1, 1, 7)
        );
        // Before 1970.
        let before = DateTime::from_epoch_ms(-1, ZoneOffset::UTC);
        assert_eq!(before, DateTime::new(1969, 12, 31, 23, 59, 59).unwrap());
    }

    #[test]
    fn invalid_wall_clock_times_are_refused() {
        assert!(DateTime::new(2023, 2, 29, 0, 0, 0).is_none());
        assert!(DateTime::new(2024, 2, 29, 0, 0, 0).is_some());
        assert!(DateTime::new(2024, 4, 31, 0, 0, 0).is_none());
        assert!(DateTime::new(2024, 13, 1, 0, 0, 0).is_none());
        assert!(DateTime::new(2024, 1, 1, 24, 0, 0).is_none());
        assert!(DateTime::new(2024, 1, 1, 23, 60, 0).is_none());
        assert!(DateTime::new(2024, 1, 1, 23, 59, 60).is_none());
    }

    #[test]
    fn zone_offsets_parse_and_print() {
        for (text, minutes, shown) in [
            ("UTC", 0, "UTC"),
            ("UTC+8", 480, "UTC+8"),
            ("UTC+08:00", 480, "UTC+8"),
            ("+05:30", 330, "UTC+5:30"),
            ("UTC-3", -180, "UTC-3"),
            ("utc-03:30", -210, "UTC-3:30"),
            (" UTC+14 ", 840, "UTC+14"),
        ] {
            let z = ZoneOffset::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(z.minutes(), minutes, "{text}");
            assert_eq!(z.to_string(), shown);
        }
        for bad in [
            "",
            "UTC+15",
            "UTC-13",
            "UTC+8:60",
            "Asia/Shanghai",
            "UTC+",
            "UTC+123",
            "8",
        ] {
            assert!(ZoneOffset::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn region_defaults() {
        assert_eq!(
            ZoneOffset::default_for_region("cn-north-4"),
            ZoneOffset::UTC_PLUS_8
        );
        assert_eq!(
            ZoneOffset::default_for_region("ap-southeast-1"),
            ZoneOffset::UTC
        );
    }
}

//! Where a dump task's files land: the object directory for an instant, the span of time one
//! directory covers, the directory a sample record lands in, and how records sit in a text file.
//! Pure functions; the wizard calls them on every keystroke.
//!
//! DIS documents no time zone for its time directories. Its own pages render times in UTC+8, so
//! region-local time is plausible but unconfirmed: previews therefore show UTC and the region's
//! zone side by side, and say the zone is an assumption.

use super::civil::{DateTime, ZoneOffset};
use super::clock::RegionClock;
use super::task::{
    DumpTask, PartitionFormat, ProcessingSchema, RecordDelimiter, RecordTime, TimestampFormat,
};

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_HOUR: i64 = 3_600_000;
const MS_PER_DAY: i64 = 86_400_000;

impl PartitionFormat {
    /// The time directories for a wall-clock time: `2017/11/10/14/49` for `yyyy/MM/dd/HH/mm`.
    pub fn render(self, t: &DateTime) -> String {
        let y = format!("{:04}", t.year);
        match self {
            PartitionFormat::Flat => String::new(),
            PartitionFormat::Year => y,
            PartitionFormat::Month => format!("{y}/{:02}", t.month),
            PartitionFormat::Day => format!("{y}/{:02}/{:02}", t.month, t.day),
            PartitionFormat::Hour => format!("{y}/{:02}/{:02}/{:02}", t.month, t.day, t.hour),
            PartitionFormat::Minute => format!(
                "{y}/{:02}/{:02}/{:02}/{:02}",
                t.month, t.day, t.hour, t.minute
            ),
        }
    }

    /// How much time one directory holds, in words; `None` without time directories.
    pub fn span_words(self) -> Option<&'static str> {
        match self {
            PartitionFormat::Flat => None,
            PartitionFormat::Year => Some("one year"),
            PartitionFormat::Month => Some("one month"),
            PartitionFormat::Day => Some("one day"),
            PartitionFormat::Hour => Some("one hour"),
            PartitionFormat::Minute => Some("one minute"),
        }
    }

    /// The first and the first-after-last wall-clock times of the directory holding `t`.
    pub fn span(self, t: &DateTime) -> Option<(DateTime, DateTime)> {
        let start = match self {
            PartitionFormat::Flat => return None,
            PartitionFormat::Year => (t.year, 1, 1, 0, 0),
            PartitionFormat::Month => (t.year, t.month, 1, 0, 0),
            PartitionFormat::Day => (t.year, t.month, t.day, 0, 0),
            PartitionFormat::Hour => (t.year, t.month, t.day, t.hour, 0),
            PartitionFormat::Minute => (t.year, t.month, t.day, t.hour, t.minute),
        };
        let start = DateTime {
            year: start.0,
            month: start.1,
            day: start.2,
            hour: start.3,
            minute: start.4,
            second: 0,
        };
        // Wall-clock arithmetic in a zone-free frame: treat the start as UTC, step, read back.
        let base = start.to_epoch_ms(ZoneOffset::UTC);
        let end_ms = match self {
            PartitionFormat::Flat => unreachable!("returned above"),
            PartitionFormat::Year => DateTime {
                year: start.year + 1,
                ..start
            }
            .to_epoch_ms(ZoneOffset::UTC),
            PartitionFormat::Month => {
                let (year, month) = if start.month == 12 {
                    (start.year + 1, 1)
                } else {
                    (start.year, start.month + 1)
                };
                DateTime {
                    year,
                    month,
                    ..start
                }
                .to_epoch_ms(ZoneOffset::UTC)
            }
            PartitionFormat::Day => base + MS_PER_DAY,
            PartitionFormat::Hour => base + MS_PER_HOUR,
            PartitionFormat::Minute => base + MS_PER_MINUTE,
        };
        Some((start, DateTime::from_epoch_ms(end_ms, ZoneOffset::UTC)))
    }
}

/// `bucket/prefix/time-directories`, leaving out the parts that are empty.
pub fn object_directory(bucket: &str, file_prefix: &str, time_directories: &str) -> String {
    [
        bucket.trim(),
        file_prefix.trim().trim_matches('/'),
        time_directories,
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join("/")
}

/// One directory as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPreview {
    /// Which clock the directory was read on: `UTC`, `UTC+8 (region time, assumed)`, or the
    /// record's own time.
    pub clock: String,
    /// `bucket/prefix/2024/01/02`.
    pub directory: String,
    /// `2024-01-02 00:00 to 2024-01-03 00:00`, the wall-clock span of the directory on that
    /// clock; `None` without time directories.
    pub covers: Option<String>,
}

fn preview_on(
    clock: String,
    bucket: &str,
    file_prefix: &str,
    format: PartitionFormat,
    t: &DateTime,
) -> DirectoryPreview {
    DirectoryPreview {
        clock,
        directory: object_directory(bucket, file_prefix, &format.render(t)),
        covers: format.span(t).map(|(start, end)| {
            format!("{} to {}", start.to_minute_string(), end.to_minute_string())
        }),
    }
}

/// The directory a task's dump at `dumped_at_ms` wrote to: its time directories are the dump's
/// time on the region's clock. `None` before the first dump, and for a task with a processing
/// schema, whose records each go to the directory of their own time.
pub fn dump_directory(
    task: &DumpTask,
    dumped_at_ms: i64,
    region_zone: ZoneOffset,
) -> Option<String> {
    if dumped_at_ms <= 0 || task.processing_schema.is_some() {
        return None;
    }
    let time = DateTime::from_epoch_ms(dumped_at_ms, region_zone);
    Some(object_directory(
        task.obs_bucket_path.as_str(),
        task.file_prefix.as_str(),
        &task.partition_format.render(&time),
    ))
}

/// The directory an instant's files go to, on the UTC clock and, when it differs, on the
/// region's assumed clock.
pub fn directories_at(
    bucket: &str,
    file_prefix: &str,
    format: PartitionFormat,
    epoch_ms: i64,
    region: RegionClock,
) -> Vec<DirectoryPreview> {
    let region_zone = region.zone();
    let mut out = vec![preview_on(
        "UTC".to_string(),
        bucket,
        file_prefix,
        format,
        &DateTime::from_epoch_ms(epoch_ms, ZoneOffset::UTC),
    )];
    if region_zone != ZoneOffset::UTC {
        out.push(preview_on(
            region.label(),
            bucket,
            file_prefix,
            format,
            &DateTime::from_epoch_ms(epoch_ms, region_zone),
        ));
    }
    out
}

/// Where a sample record lands, with a warning when its timestamp is probably in the wrong unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleLanding {
    /// The time read from the record, as the console understood it.
    pub record_time: String,
    pub directories: Vec<DirectoryPreview>,
    pub warning: Option<String>,
}

/// Reads a pasted JSON record's timestamp as DIS would and says which directory it lands in.
pub fn sample_landing(
    record: &str,
    schema: &ProcessingSchema,
    bucket: &str,
    file_prefix: &str,
    format: PartitionFormat,
    region: RegionClock,
) -> Result<SampleLanding, String> {
    let value: serde_json::Value = serde_json::from_str(record.trim()).map_err(|e| {
        format!(
            "The sample is not valid JSON (line {}, column {}). Paste one record, such as {{\"{}\": …}}.",
            e.line(),
            e.column(),
            schema.timestamp_name
        )
    })?;
    let object = value
        .as_object()
        .ok_or("The sample must be a JSON object, one record in braces { }.")?;
    let name = &schema.timestamp_name;
    let field = object.get(name).ok_or_else(|| {
        let mut keys: Vec<&str> = object.keys().map(String::as_str).take(8).collect();
        keys.sort_unstable();
        if keys.is_empty() {
            format!("The record has no field \"{name}\" (it has no fields at all).")
        } else {
            format!(
                "The record has no field \"{name}\". Its fields are: {}.",
                keys.join(", ")
            )
        }
    })?;
    match schema.timestamp {
        RecordTime::String(fmt) => {
            let text = field.as_str().ok_or_else(|| {
                format!(
                    "Field \"{name}\" holds {}, but a String timestamp is text such as \"{}\".",
                    json_kind(field),
                    example_of(fmt)
                )
            })?;
            let t = parse_timestamp(text, fmt)?;
            // The record's wall-clock fields are the directory: no zone is applied to them.
            Ok(SampleLanding {
                record_time: format!("{text} (read as {})", t.to_minute_string()),
                directories: vec![preview_on(
                    "The record's own time".to_string(),
                    bucket,
                    file_prefix,
                    format,
                    &t,
                )],
                warning: None,
            })
        }
        RecordTime::Timestamp => {
            let ms = field.as_i64().ok_or_else(|| match field {
                serde_json::Value::Number(_) => format!(
                    "Field \"{name}\" must be a whole number of epoch milliseconds, such as 1704164645000."
                ),
                other => format!(
                    "Field \"{name}\" holds {}, but a Timestamp is a number of epoch milliseconds, such as 1704164645000.",
                    json_kind(other)
                ),
            })?;
            let directories = directories_at(bucket, file_prefix, format, ms, region);
            let utc = DateTime::from_epoch_ms(ms, ZoneOffset::UTC);
            Ok(SampleLanding {
                record_time: format!("{ms} ms = {} UTC", utc.to_minute_string()),
                directories,
                warning: unit_warning(ms),
            })
        }
    }
}

/// A JSON value's kind in words: "text", "a number", "null"…
pub(super) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Why a numeric timestamp probably is not epoch milliseconds, judged by its digit count.
pub fn unit_warning(value: i64) -> Option<String> {
    let digits = value.unsigned_abs().to_string().len();
    let lands = DateTime::from_epoch_ms(value, ZoneOffset::UTC);
    let unit = match digits {
        13 => return None,
        10 => "epoch seconds",
        16 => "epoch microseconds",
        19 => "epoch nanoseconds",
        _ => {
            return Some(format!(
                "This value has {digits} digits; DIS expects 13-digit epoch milliseconds, so this record lands in the year {}.",
                lands.year
            ))
        }
    };
    Some(format!(
        "This value has {digits} digits: it looks like {unit}. DIS reads it as milliseconds, so the record lands in {}. Send 13-digit epoch milliseconds.",
        if lands.year < 1971 {
            format!("{:04}-{:02} (January 1970)", lands.year, lands.month)
        } else {
            format!("the year {}", lands.year)
        }
    ))
}

fn example_of(format: TimestampFormat) -> &'static str {
    match format {
        TimestampFormat::SlashYmd => "2024/01/02 03:04:05",
        TimestampFormat::SlashMdy => "01/02/2024 03:04:05",
        TimestampFormat::SlashDmy => "02/01/2024 03:04:05",
        TimestampFormat::DashYmd => "2024-01-02 03:04:05",
        TimestampFormat::DashMdy => "01-02-2024 03:04:05",
        TimestampFormat::DashDmy => "02-01-2024 03:04:05",
    }
}

/// Parses a String timestamp in one of DIS's formats, strictly: every digit present, every field
/// in range, the date a real one.
pub fn parse_timestamp(text: &str, format: TimestampFormat) -> Result<DateTime, String> {
    let pattern = format.as_wire();
    let mismatch = || {
        format!(
            "\"{text}\" does not match {pattern} (for example {}).",
            example_of(format)
        )
    };
    let t = text.trim();
    if t.len() != pattern.len() || !t.is_ascii() {
        return Err(mismatch());
    }
    let (mut year, mut month, mut day, mut hour, mut minute, mut second) = (0i64, 0, 0, 0, 0, 0);
    let (p, s) = (pattern.as_bytes(), t.as_bytes());
    let mut i = 0;
    while i < p.len() {
        let token_len = p[i..].iter().take_while(|&&c| c == p[i]).count();
        if p[i].is_ascii_alphabetic() {
            let digits = &s[i..i + token_len];
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(mismatch());
            }
            let n: u32 = digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
            match p[i] {
                b'y' => year = i64::from(n),
                b'M' => month = n,
                b'd' => day = n,
                b'H' => hour = n,
                b'm' => minute = n,
                b's' => second = n,
                _ => unreachable!("patterns use only y, M, d, H, m and s"),
            }
        } else if s[i..i + token_len] != p[i..i + token_len] {
            return Err(mismatch());
        }
        i += token_len;
    }
    if !(1..=12).contains(&month) {
        return Err(format!(
            "\"{text}\": month {month} does not exist (01 to 12)."
        ));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "\"{text}\": the time {hour:02}:{minute:02}:{second:02} is out of range (00:00:00 to 23:59:59)."
        ));
    }
    DateTime::new(year, month, day, hour, minute, second).ok_or_else(|| {
        let max = super::civil::days_in_month(year, month);
        format!(
            "\"{text}\": day {day} does not exist in {year:04}-{month:02}, which has {max} days."
        )
    })
}

/// The records of a pasted sample: one per non-empty line.
pub fn sample_lines(input: &str) -> Vec<&str> {
    input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// How records sit in a text file: joined by the task's delimiter.
pub fn text_file_contents(records: &[&str], delimiter: RecordDelimiter) -> String {
    records.join(delimiter.as_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::task::TimestampFormat as F;

    fn at(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime {
        DateTime::new(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn a_dump_lands_in_the_directory_of_its_time_on_the_region_clock() {
        use crate::domain::{DataType, TaskDraft};
        let draft = TaskDraft {
            task_name: "t".into(),
            obs_bucket_path: "bucket".into(),
            file_prefix: "logs/app".into(),
            partition_format: "yyyy/MM/dd/HH".into(),
            ..TaskDraft::default()
        };
        let task = DumpTask::parse(&draft, DataType::Json).unwrap();
        // 2023-11-14 22:13:20 UTC is 06:13 on the 15th at UTC+8.
        let at = 1_700_000_000_000;
        assert_eq!(
            dump_directory(&task, at, ZoneOffset::UTC_PLUS_8).as_deref(),
            Some("bucket/logs/app/2023/11/15/06")
        );
        assert_eq!(dump_directory(&task, 0, ZoneOffset::UTC), None);
        let with_schema = TaskDraft {
            use_processing_schema: true,
            timestamp_name: "ts".into(),
            timestamp_type: "Timestamp".into(),
            timestamp_format: String::new(),
            ..draft
        };
        let task = DumpTask::parse(&with_schema, DataType::Json).unwrap();
        assert_eq!(dump_directory(&task, at, ZoneOffset::UTC), None);
    }

    #[test]
    fn every_partition_format_renders() {
        let t = at(2017, 11, 10, 14, 49, 30);
        let cases = [
            (PartitionFormat::Flat, ""),
            (PartitionFormat::Year, "2017"),
            (PartitionFormat::Month, "2017/11"),
            (PartitionFormat::Day, "2017/11/10"),
            (PartitionFormat::Hour, "2017/11/10/14"),
            (PartitionFormat::Minute, "2017/11/10/14/49"),
        ];
        for (f, want) in cases {
            assert_eq!(f.render(&t), want, "{f:?}");
        }
        assert_eq!(
            PartitionFormat::Day.render(&at(5, 1, 2, 0, 0, 0)),
            "0005/01/02"
        );
    }

    #[test]
    fn object_directory_skips_empty_parts() {
        assert_eq!(object_directory("b", "", ""), "b");
        assert_eq!(
            object_directory("b", "logs/app", "2024/01"),
            "b/logs/app/2024/01"
        );
        assert_eq!(object_directory("b", "", "2024"), "b/2024");
        assert_eq!(object_directory("b", "x", ""), "b/x");
    }

    #[test]
    fn spans_cover_month_ends_leap_days_and_rollovers() {
        let span = |f: PartitionFormat, t: DateTime| {
            let (a, b) = f.span(&t).unwrap();
            (a.to_minute_string(), b.to_minute_string())
        };
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        // Leap day: the day directory and the month directory of 29 February 2024.
        assert_eq!(
            span(PartitionFormat::Day, at(2024, 2, 29, 12, 0, 0)),
            s("2024-02-29 00:00", "2024-03-01 00:00")
        );
        assert_eq!(
            span(PartitionFormat::Month, at(2024, 2, 29, 12, 0, 0)),
            s("2024-02-01 00:00", "2024-03-01 00:00")
        );
        assert_eq!(
            span(PartitionFormat::Month, at(2023, 2, 28, 0, 0, 0)),
            s("2023-02-01 00:00", "2023-03-01 00:00")
        );
        // December rolls into the next year.
        assert_eq!(
            span(PartitionFormat::Month, at(2023, 12, 31, 23, 59, 59)),
            s("2023-12-01 00:00", "2024-01-01 00:00")
        );
        // 23:59 rolls into the next day, month and year.
        assert_eq!(
            span(PartitionFormat::Minute, at(2023, 12, 31, 23, 59, 59)),
            s("2023-12-31 23:59", "2024-01-01 00:00")
        );
        assert_eq!(
            span(PartitionFormat::Hour, at(2024, 4, 30, 23, 15, 0)),
            s("2024-04-30 23:00", "2024-05-01 00:00")
        );
        assert_eq!(
            span(PartitionFormat::Year, at(2024, 7, 1, 0, 0, 0)),
            s("2024-01-01 00:00", "2025-01-01 00:00")
        );
        assert!(PartitionFormat::Flat
            .span(&at(2024, 1, 1, 0, 0, 0))
            .is_none());
    }

    #[test]
    fn now_shows_utc_and_the_region_clock() {
        // 2023-12-31 20:30 UTC is already 2024-01-01 04:30 in UTC+8.
        let ms = at(2023, 12, 31, 20, 30, 0).to_epoch_ms(ZoneOffset::UTC);
        let got = directories_at(
            "bkt",
            "app",
            PartitionFormat::Hour,
            ms,
            RegionClock::assumed(ZoneOffset::UTC_PLUS_8),
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].clock, "UTC");
        assert_eq!(got[0].directory, "bkt/app/2023/12/31/20");
        assert_eq!(
            got[0].covers.as_deref(),
            Some("2023-12-31 20:00 to 2023-12-31 21:00")
        );
        assert_eq!(got[1].clock, "UTC+8 (region time, assumed)");
        assert_eq!(got[1].directory, "bkt/app/2024/01/01/04");
        // With the region on UTC there is one clock only.
        assert_eq!(
            directories_at(
                "b",
                "",
                PartitionFormat::Day,
                ms,
                RegionClock::assumed(ZoneOffset::UTC)
            )
            .len(),
            1
        );
    }

    #[test]
    fn every_timestamp_format_parses() {
        let want = at(2024, 2, 29, 23, 59, 58);
        for (f, text) in [
            (F::SlashYmd, "2024/02/29 23:59:58"),
            (F::SlashMdy, "02/29/2024 23:59:58"),
            (F::SlashDmy, "29/02/2024 23:59:58"),
            (F::DashYmd, "2024-02-29 23:59:58"),
            (F::DashMdy, "02-29-2024 23:59:58"),
            (F::DashDmy, "29-02-2024 23:59:58"),
        ] {
            assert_eq!(parse_timestamp(text, f), Ok(want), "{f:?}");
            // Each example in the messages parses in its own format.
            assert!(parse_timestamp(example_of(f), f).is_ok());
        }
    }

    #[test]
    fn bad_string_timestamps_say_what_is_wrong() {
        let e = parse_timestamp("2024/01/02 03:04:05", F::DashYmd).unwrap_err();
        assert!(e.contains("does not match yyyy-MM-dd HH:mm:ss"), "{e}");
        assert!(parse_timestamp("2024-1-2 03:04:05", F::DashYmd).is_err());
        assert!(parse_timestamp("", F::DashYmd).is_err());
        assert!(parse_timestamp("２０２４-01-02 03:04:05", F::DashYmd).is_err());
        let e = parse_timestamp("2024-13-01 00:00:00", F::DashYmd).unwrap_err();
        assert!(e.contains("month 13 does not exist"), "{e}");
        let e = parse_timestamp("2023-02-29 00:00:00", F::DashYmd).unwrap_err();
        assert!(
            e.contains("day 29 does not exist in 2023-02, which has 28 days"),
            "{e}"
        );
        let e = parse_timestamp("2024-01-01 24:00:00", F::DashYmd).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        // Day-first and month-first are not confused: 13/01 is 13 January only day-first.
        assert!(parse_timestamp("13/01/2024 00:00:00", F::SlashMdy).is_err());
        assert!(parse_timestamp("13/01/2024 00:00:00", F::SlashDmy).is_ok());
    }

    fn schema(name: &str, t: RecordTime) -> ProcessingSchema {
        ProcessingSchema {
            timestamp_name: name.to_string(),
            timestamp: t,
        }
    }

    #[test]
    fn a_string_sample_lands_by_its_own_fields() {
        let s = schema("ts", RecordTime::String(F::DashYmd));
        let got = sample_landing(
            r#"{"ts": "2024-02-29 23:59:58", "v": 1}"#,
            &s,
            "bkt",
            "p",
            PartitionFormat::Minute,
            RegionClock::assumed(ZoneOffset::UTC_PLUS_8),
        )
        .unwrap();
        assert_eq!(got.directories.len(), 1);
        assert_eq!(got.directories[0].directory, "bkt/p/2024/02/29/23/59");
        assert_eq!(got.warning, None);
    }

    #[test]
    fn a_millisecond_sample_lands_on_both_clocks() {
        let s = schema("t", RecordTime::Timestamp);
        let ms = at(2024, 1, 2, 3, 4, 5).to_epoch_ms(ZoneOffset::UTC);
        let got = sample_landing(
            &format!("{{\"t\": {ms}}}"),
            &s,
            "b",
            "",
            PartitionFormat::Hour,
            RegionClock::assumed(ZoneOffset::UTC_PLUS_8),
        )
        .unwrap();
        assert_eq!(got.directories[0].directory, "b/2024/01/02/03");
        assert_eq!(got.directories[1].directory, "b/2024/01/02/11");
        assert_eq!(got.warning, None);
    }

    #[test]
    fn seconds_and_microseconds_are_named() {
        let secs = unit_warning(1_704_164_645).unwrap();
        assert!(
            secs.contains("10 digits") && secs.contains("epoch seconds"),
            "{secs}"
        );
        assert!(secs.contains("January 1970"), "{secs}");
        let micros = unit_warning(1_704_164_645_000_000).unwrap();
        assert!(
            micros.contains("16 digits") && micros.contains("microseconds"),
            "{micros}"
        );
        assert!(micros.contains("the year 55972"), "{micros}");
        assert!(unit_warning(1_704_164_645_000).is_none());
        assert!(unit_warning(12345).unwrap().contains("5 digits"));
        // The extremes do not panic.
        let _ = unit_warning(i64::MIN);
        let _ = unit_warning(i64::MAX);
    }

    #[test]
    fn sample_errors_are_specific() {
        let s = schema("ts", RecordTime::String(F::DashYmd));
        let land = |r: &str| {
            sample_landing(
                r,
                &s,
                "b",
                "",
                PartitionFormat::Day,
                RegionClock::assumed(ZoneOffset::UTC),
            )
            .unwrap_err()
        };
        assert!(land("not json").contains("not valid JSON"));
        assert!(land("[1,2]").contains("JSON object"));
        let e = land(r#"{"time": "x", "id": 1}"#);
        assert!(
            e.contains("no field \"ts\"") && e.contains("id, time"),
            "{e}"
        );
        assert!(land(r#"{"ts": 1704164645000}"#).contains("holds a number"));
        assert!(land(r#"{"ts": "2024-02-30 00:00:00"}"#).contains("day 30 does not exist"));
        let n = schema("ts", RecordTime::Timestamp);
        let e = sample_landing(
            r#"{"ts": "1704164645000"}"#,
            &n,
            "b",
            "",
            PartitionFormat::Day,
            RegionClock::assumed(ZoneOffset::UTC),
        )
        .unwrap_err();
        assert!(e.contains("holds text"), "{e}");
        let e = sample_landing(
            r#"{"ts": 1.5}"#,
            &n,
            "b",
            "",
            PartitionFormat::Day,
            RegionClock::assumed(ZoneOffset::UTC),
        )
        .unwrap_err();
        assert!(e.contains("whole number"), "{e}");
    }

    #[test]
    fn text_files_join_records_with_the_delimiter() {
        let recs = sample_lines("{\"a\":1}\n\n  {\"a\":2}  \n");
        assert_eq!(recs, vec!["{\"a\":1}", "{\"a\":2}"]);
        assert_eq!(
            text_file_contents(&recs, RecordDelimiter::Pipe),
            "{\"a\":1}|{\"a\":2}"
        );
        assert_eq!(
            text_file_contents(&recs, RecordDelimiter::Newline),
            "{\"a\":1}\n{\"a\":2}"
        );
        assert_eq!(
            text_file_contents(&recs, RecordDelimiter::Empty),
            "{\"a\":1}{\"a\":2}"
        );
    }
}

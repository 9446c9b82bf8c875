//! What landed in OBS: which directories to list for a task's recent files, the files newest
//! first, totals per directory, and a file's first lines. Pure: the server lists and reads the
//! objects; everything an operator is shown about them is worked out here.

use super::civil::{DateTime, ZoneOffset};
use super::clock::{ClockFinding, Landed};
use super::task::PartitionFormat;
use serde::{Deserialize, Serialize};

/// An object a listing returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub key: String,
    pub size: u64,
    pub last_modified_ms: i64,
}

/// One page of a listing: its objects, the common prefixes of a listing with a delimiter, and,
/// when there are more, the token of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectPage {
    pub objects: Vec<StoredObject>,
    pub prefixes: Vec<String>,
    pub next: Option<String>,
}

/// A task's recent files, newest first, as one read of OBS found them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recent {
    pub objects: Vec<StoredObject>,
    /// The listing stopped at its limit: older files of the window are left out.
    pub truncated: bool,
}

/// How far a time directory's clock can be from UTC, either way: every offset in use lies within.
const ZONE_REACH_MS: i64 = 14 * 3_600_000;

/// How many files the Files panel shows a page.
pub const FILES_PER_PAGE: usize = 50;

/// The most bytes "Show first lines" reads of a file.
pub const FIRST_BYTES: u64 = 4096;

/// How many of the newest files measure the clock: recent enough to be today's behaviour.
pub const CLOCK_SAMPLE: usize = 48;

/// The key prefix a task's files share: its directory prefix and a `/`, or nothing.
pub fn key_prefix(file_prefix: &str) -> String {
    let prefix = file_prefix.trim().trim_matches('/');
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    }
}

/// The directory prefixes that hold every file whose time directories name a moment from
/// `window_ms` before `now_ms` until now, on any clock in use: day directories (month or
/// year directories for coarser formats), oldest first. A task without time directories has
/// one prefix, its own.
pub fn listing_prefixes(
    file_prefix: &str,
    format: PartitionFormat,
    now_ms: i64,
    window_ms: i64,
) -> Vec<String> {
    let base = key_prefix(file_prefix);
    let coarse = match format {
        PartitionFormat::Flat => return vec![base],
        PartitionFormat::Year => PartitionFormat::Year,
        PartitionFormat::Month => PartitionFormat::Month,
        PartitionFormat::Day | PartitionFormat::Hour | PartitionFormat::Minute => {
            PartitionFormat::Day
        }
    };
    let (from, to) = (now_ms - window_ms - ZONE_REACH_MS, now_ms + ZONE_REACH_MS);
    let mut out: Vec<String> = Vec::new();
    // Stepping an hour at a time meets every day, month and year in between.
    let mut t = from;
    while t <= to + 3_600_000 {
        let dirs = coarse.render(&DateTime::from_epoch_ms(t.min(to), ZoneOffset::UTC));
        let prefix = format!("{base}{dirs}/");
        if out.last() != Some(&prefix) {
            out.push(prefix);
        }
        t += 3_600_000;
    }
    out.dedup();
    out
}

/// How many time directories make a "day" of the Files panel for `format`: days, or months or
/// years for coarser formats; 0 without time directories.
pub fn day_depth(format: PartitionFormat) -> usize {
    match format {
        PartitionFormat::Flat => 0,
        PartitionFormat::Year => 1,
        PartitionFormat::Month => 2,
        PartitionFormat::Day | PartitionFormat::Hour | PartitionFormat::Minute => 3,
    }
}

/// Whether `common` (a listing's common prefix under `parent`) is a time directory of level
/// `level` (0 for years): four digits for a year, two for the rest, then `/`.
pub fn is_time_directory(parent: &str, common: &str, level: usize) -> bool {
    let Some(name) = common
        .strip_prefix(parent)
        .and_then(|rest| rest.strip_suffix('/'))
    else {
        return false;
    };
    let width = if level == 0 { 4 } else { 2 };
    name.len() == width && name.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a day an operator asked to see: the task's prefix and [`day_depth`] time
/// directories, such as `logs/2026/12/01/`.
pub fn check_day(day: &str, file_prefix: &str, format: PartitionFormat) -> Result<(), String> {
    let base = key_prefix(file_prefix);
    let depth = day_depth(format);
    let mut parent = base.clone();
    let ok = depth > 0
        && day.starts_with(&base)
        && day.ends_with('/')
        && day[base.len()..].matches('/').count() == depth
        && day[base.len()..]
            .split_terminator('/')
            .enumerate()
            .all(|(level, name)| {
                let common = format!("{parent}{name}/");
                let fits = is_time_directory(&parent, &common, level);
                parent = common;
                fits
            });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{day:?} is not one of this task's time directories."
        ))
    }
}

/// The files newest first (then by key, for a stable order).
pub fn newest_first(objects: &mut [StoredObject]) {
    objects.sort_by(|a, b| {
        b.last_modified_ms
            .cmp(&a.last_modified_ms)
            .then_with(|| b.key.cmp(&a.key))
    });
}

/// The directory part of a key (`p/2026/12/01/16` of `p/2026/12/01/16/file.txt`).
pub fn directory_of(key: &str) -> &str {
    key.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("")
}

/// The files and bytes of one directory written in a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryTotal {
    pub directory: String,
    pub files: usize,
    pub bytes: u64,
    pub newest_ms: i64,
}

/// Totals per directory of the files written at or after `since_ms`, newest directory first.
pub fn totals_since(objects: &[StoredObject], since_ms: i64) -> Vec<DirectoryTotal> {
    let mut out: Vec<DirectoryTotal> = Vec::new();
    for o in objects.iter().filter(|o| o.last_modified_ms >= since_ms) {
        let dir = directory_of(&o.key);
        match out.iter_mut().find(|t| t.directory == dir) {
            Some(t) => {
                t.files += 1;
                t.bytes += o.size;
                t.newest_ms = t.newest_ms.max(o.last_modified_ms);
            }
            None => out.push(DirectoryTotal {
                directory: dir.to_owned(),
                files: 1,
                bytes: o.size,
                newest_ms: o.last_modified_ms,
            }),
        }
    }
    out.sort_by(|a, b| b.directory.cmp(&a.directory));
    out
}

/// Files and bytes written at or after `since_ms`.
pub fn written_since(objects: &[StoredObject], since_ms: i64) -> (usize, u64) {
    objects
        .iter()
        .filter(|o| o.last_modified_ms >= since_ms)
        .fold((0, 0), |(n, b), o| (n + 1, b + o.size))
}

/// What the newest files (at most [`CLOCK_SAMPLE`]) say about DIS's clock. `objects` are
/// newest first.
pub fn clock_from(
    objects: &[StoredObject],
    file_prefix: &str,
    format: PartitionFormat,
) -> ClockFinding {
    let landed: Vec<Landed> = objects
        .iter()
        .take(CLOCK_SAMPLE)
        .map(|o| Landed {
            key: o.key.clone(),
            last_modified_ms: o.last_modified_ms,
        })
        .collect();
    super::clock::measure(&landed, file_prefix, format)
}

/// Checks a key an operator asked to read: one of the task's files (under its prefix), made of
/// the characters DIS's file names use, with no `.` or `..` segment.
pub fn check_task_key(key: &str, file_prefix: &str) -> Result<(), String> {
    let prefix = key_prefix(file_prefix);
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    if key.len() > 1024
        || !key.starts_with(&prefix)
        || !key.chars().all(allowed)
        || key
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(format!(
            "{key:?} is not one of this task's files: they are under {:?}.",
            if prefix.is_empty() { "/" } else { &prefix }
        ));
    }
    Ok(())
}

/// The start of a file, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstLines {
    /// Whole lines (the last one cut if the file goes on), and whether the file goes on.
    Text { text: String, more: bool },
    /// Not text: NUL bytes or bytes that are not UTF-8.
    Binary,
}

/// The first lines of a file whose first bytes are `bytes`, out of `size` bytes in all.
pub fn first_lines(bytes: &[u8], size: u64) -> FirstLines {
    let bytes = &bytes[..bytes.len().min(FIRST_BYTES as usize)];
    let more = size > bytes.len() as u64;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // A character cut at the end of the read is not a sign of binary data.
        Err(e) if more && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return FirstLines::Binary,
    };
    if text.contains('\0') {
        return FirstLines::Binary;
    }
    FirstLines::Text {
        text: text.to_owned(),
        more,
    }
}

/// A size in words: `512 B`, `4.0 KB`, `1.2 MB`.
pub fn size_words(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(y: i64, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        DateTime::new(y, mo, d, h, mi, 0)
            .unwrap()
            .to_epoch_ms(ZoneOffset::UTC)
    }

    fn object(key: &str, size: u64, at_ms: i64) -> StoredObject {
        StoredObject {
            key: key.into(),
            size,
            last_modified_ms: at_ms,
        }
    }

    #[test]
    fn a_day_of_hour_directories_is_listed_by_its_days_on_every_clock() {
        let now = at(2026, 12, 1, 16, 30);
        let prefixes = listing_prefixes("/logs/", PartitionFormat::Hour, now, 24 * 3_600_000);
        // From 24 h + 14 h before (UTC-12's and UTC+14's reach) to 14 h after.
        assert_eq!(
            prefixes,
            ["logs/2026/11/30/", "logs/2026/12/01/", "logs/2026/12/02/"]
        );
        let month_end = at(2026, 12, 31, 20, 0);
        let prefixes = listing_prefixes("", PartitionFormat::Month, month_end, 3_600_000);
        assert_eq!(prefixes, ["2026/12/", "2027/01/"]);
        assert_eq!(
            listing_prefixes("a/b", PartitionFormat::Flat, now, 1),
            ["a/b/"]
        );
        assert_eq!(listing_prefixes("", PartitionFormat::Flat, now, 1), [""]);
    }

    #[test]
    fn totals_group_recent_files_by_directory_newest_first() {
        let files = [
            object("p/2026/12/01/15/a", 10, 100),
            object("p/2026/12/01/16/b", 20, 200),
            object("p/2026/12/01/16/c", 30, 300),
            object("p/2026/11/30/09/old", 99, 1),
        ];
        let totals = totals_since(&files, 50);
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[0].directory, "p/2026/12/01/16");
        assert_eq!(
            (totals[0].files, totals[0].bytes, totals[0].newest_ms),
            (2, 50, 300)
        );
        assert_eq!(written_since(&files, 150), (2, 50));
        let mut sorted = files.to_vec();
        newest_first(&mut sorted);
        assert_eq!(sorted[0].key, "p/2026/12/01/16/c");
        assert_eq!(sorted[3].key, "p/2026/11/30/09/old");
    }

    #[test]
    fn only_the_tasks_own_files_can_be_read() {
        assert!(check_task_key("logs/2026/12/01/t_shardId-0_1-2.txt", "logs").is_ok());
        assert!(check_task_key("2026/12/01/t.txt", "").is_ok());
        for key in [
            "other/2026/t.txt",
            "logs/../secret",
            "logs//t",
            "logs/a b",
            "logs/%2e%2e/x",
            "logsx/t",
        ] {
            assert!(check_task_key(key, "logs").is_err(), "{key}");
        }
    }

    #[test]
    fn first_lines_are_text_cut_at_4_kb() {
        assert_eq!(
            first_lines(b"{\"a\":1}\n{\"a\":2}", 15),
            FirstLines::Text {
                text: "{\"a\":1}\n{\"a\":2}".into(),
                more: false
            }
        );
        let long = "é".repeat(3000);
        match first_lines(&long.as_bytes()[..4096], long.len() as u64) {
            FirstLines::Text { text, more } => {
                assert!(more);
                assert_eq!(text.len(), 4096, "a cut character is left out, not refused");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(first_lines(b"PAR1\0\0\x15", 7), FirstLines::Binary);
        assert_eq!(first_lines(&[0xff, 0xfe, b'a'], 3), FirstLines::Binary);
    }

    #[test]
    fn days_are_the_tasks_own_time_directories() {
        assert_eq!(day_depth(PartitionFormat::Minute), 3);
        assert_eq!(day_depth(PartitionFormat::Flat), 0);
        assert!(is_time_directory("p/", "p/2026/", 0));
        assert!(is_time_directory("p/2026/", "p/2026/02/", 1));
        assert!(!is_time_directory("p/", "p/26/", 0));
        assert!(!is_time_directory("p/2026/", "p/2026/tmp/", 1));
        assert!(!is_time_directory("p/2026/", "q/2026/02/", 1));
        assert!(check_day("p/2026/12/01/", "/p/", PartitionFormat::Hour).is_ok());
        assert!(check_day("2026/12/", "", PartitionFormat::Month).is_ok());
        for day in [
            "p/2026/12/",
            "p/2026/12/01",
            "p/2026/12/aa/",
            "q/2026/12/01/",
            "p/../12/01/",
        ] {
            assert!(check_day(day, "p", PartitionFormat::Day).is_err(), "{day}");
        }
        assert!(check_day("p/", "p", PartitionFormat::Flat).is_err());
    }

    #[test]
    fn sizes_read_in_words() {
        assert_eq!(size_words(512), "512 B");
        assert_eq!(size_words(4096), "4.0 KB");
        assert_eq!(size_words(5 * 1024 * 1024 + 1), "5.0 MB");
    }

    proptest! {
        /// Whatever the clock, every directory a file of the window can be in is listed.
        #[test]
        fn every_file_of_the_window_is_under_a_listed_prefix(
            now in 0i64..4_000_000_000_000,
            back in 0i64..86_400_000,
            zone in -720i32..=840,
        ) {
            let zone = ZoneOffset::from_minutes(zone - zone % 15).unwrap();
            let prefixes = listing_prefixes("p", PartitionFormat::Minute, now, 86_400_000);
            let dirs = PartitionFormat::Minute.render(&DateTime::from_epoch_ms(now - back, zone));
            let key = format!("p/{dirs}/file");
            prop_assert!(prefixes.iter().any(|p| key.starts_with(p.as_str())), "{key} {prefixes:?}");
        }
    }
}

//! The clock DIS names its time directories with, measured from the files a task wrote.
//!
//! A text task without a timestamp schema puts each file in the directories of the time of its
//! dump, on DIS's clock; OBS stamps the object when its upload completes, a moment later. So a
//! file is evidence for a clock when its last-modified time, read on that clock, falls inside
//! the span its directories name, or up to [`UPLOAD_GRACE_MS`] after it (a dump just before the
//! hour whose upload ended after it). Each offset in use in the world is tried; the one a clear
//! majority of the files fit, and no other as well, is the measured clock. Anything less keeps
//! the configured zone, and says why.

use super::civil::{DateTime, ZoneOffset};
use super::task::PartitionFormat;
use serde::{Deserialize, Serialize};

/// How long after its directory's span a file may still have landed: the upload of a dump that
/// started just before the span ended.
pub const UPLOAD_GRACE_MS: i64 = 120_000;

/// The fewest files that can measure a clock.
pub const MIN_FILES: usize = 3;

/// Offsets in use somewhere, in minutes east of UTC: every whole hour from UTC-12 to UTC+14 and
/// the half and three-quarter hours some countries keep.
const OFFSETS_IN_USE: [i32; 39] = [
    -720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0, 60, 120,
    180, 210, 240, 270, 300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720, 765,
    780, 825, 840,
];

/// A file a task wrote: its key in the bucket and when OBS last modified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landed {
    pub key: String,
    pub last_modified_ms: i64,
}

/// What the files say about DIS's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockFinding {
    /// `agree` of `files` files fit `zone`, and no other clock fits as many.
    Measured {
        zone: ZoneOffset,
        agree: usize,
        files: usize,
    },
    /// The files cannot tell; the configured zone stays. `why` says what is missing.
    Kept { why: String },
}

impl ClockFinding {
    /// The zone previews use: the measured one, else `configured`.
    pub fn zone_or(&self, configured: ZoneOffset) -> ZoneOffset {
        match self {
            ClockFinding::Measured { zone, .. } => *zone,
            ClockFinding::Kept { .. } => configured,
        }
    }

    /// The finding in words: "DIS wrote 12 of 12 recent files in UTC+8 directories."
    pub fn words(&self, configured: ZoneOffset) -> String {
        match self {
            ClockFinding::Measured { zone, agree, files } => {
                format!("DIS wrote {agree} of {files} recent files in {zone} directories.")
            }
            ClockFinding::Kept { why } => format!("{why} The previews keep {configured}."),
        }
    }
}

/// The time directories of `key` under `file_prefix`, as the span of wall-clock time they name
/// (start, end), on a frame where wall-clock times are read as UTC milliseconds. `None` when the
/// key is not a file in such directories.
pub fn directory_span(key: &str, file_prefix: &str, format: PartitionFormat) -> Option<(i64, i64)> {
    let depth = match format {
        PartitionFormat::Flat => return None,
        PartitionFormat::Year => 1,
        PartitionFormat::Month => 2,
        PartitionFormat::Day => 3,
        PartitionFormat::Hour => 4,
        PartitionFormat::Minute => 5,
    };
    let prefix = file_prefix.trim_matches('/');
    let rest = if prefix.is_empty() {
        key
    } else {
        key.strip_prefix(prefix)?.strip_prefix('/')?
    };
    let mut parts = rest.split('/');
    let mut fields = [1u32; 5];
    for (i, field) in fields.iter_mut().enumerate().take(depth) {
        let part = parts.next()?;
        let width = if i == 0 { 4 } else { 2 };
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *field = part.parse().ok()?;
    }
    // A file, not a deeper directory: exactly one name after the time directories.
    let file = parts.next()?;
    if file.is_empty() || parts.next().is_some() {
        return None;
    }
    if depth < 4 {
        fields[3] = 0;
    }
    if depth < 5 {
        fields[4] = 0;
    }
    let start = DateTime::new(
        i64::from(fields[0]),
        fields[1],
        fields[2],
        fields[3],
        fields[4],
        0,
    )?;
    let (start, end) = format.span(&start)?;
    Some((
        start.to_epoch_ms(ZoneOffset::UTC),
        end.to_epoch_ms(ZoneOffset::UTC),
    ))
}

/// Whether a file in directories spanning `span` and stamped at `last_modified_ms` fits `zone`.
fn fits(span: (i64, i64), last_modified_ms: i64, zone: ZoneOffset) -> bool {
    let wall = last_modified_ms + i64::from(zone.minutes()) * 60_000;
    span.0 <= wall && wall < span.1 + UPLOAD_GRACE_MS
}

/// Measures DIS's clock from `files` a text task without a timestamp schema wrote under
/// `file_prefix` with time directories `format`. Keys that are not files in such directories
/// are left out.
pub fn measure(files: &[Landed], file_prefix: &str, format: PartitionFormat) -> ClockFinding {
    if format == PartitionFormat::Flat {
        return ClockFinding::Kept {
            why: "The task writes no time directories, so its files cannot show DIS's clock."
                .into(),
        };
    }
    let evidence: Vec<((i64, i64), i64)> = files
        .iter()
        .filter_map(|f| {
            directory_span(&f.key, file_prefix, format).map(|span| (span, f.last_modified_ms))
        })
        .collect();
    let n = evidence.len();
    if n < MIN_FILES {
        return ClockFinding::Kept {
            why: format!(
                "{n} recent file(s) in time directories; measuring DIS's clock needs at least {MIN_FILES}."
            ),
        };
    }
    let support: Vec<(ZoneOffset, usize)> = OFFSETS_IN_USE
        .iter()
        .filter_map(|m| ZoneOffset::from_minutes(*m))
        .map(|zone| {
            let agree = evidence
                .iter()
                .filter(|(span, at)| fits(*span, *at, zone))
                .count();
            (zone, agree)
        })
        .collect();
    let best = support.iter().map(|(_, agree)| *agree).max().unwrap_or(0);
    // A clear majority: at least two files in three.
    if best * 3 < n * 2 {
        return ClockFinding::Kept {
            why: format!(
                "The files disagree: no one clock fits more than {best} of {n} recent files."
            ),
        };
    }
    let winners: Vec<ZoneOffset> = support
        .iter()
        .filter(|(_, agree)| *agree == best)
        .map(|(zone, _)| *zone)
        .collect();
    match winners.as_slice() {
        [zone] => ClockFinding::Measured {
            zone: *zone,
            agree: best,
            files: n,
        },
        [first, .., last] => ClockFinding::Kept {
            why: format!(
                "{best} of {n} recent files fit every clock from {first} to {last} alike{}.",
                match format.span_words() {
                    Some(span) if format != PartitionFormat::Minute =>
                        format!(": directories of {span} cannot tell them apart"),
                    _ => String::new(),
                }
            ),
        },
        [] => ClockFinding::Kept {
            why: "No clock fits the files.".into(),
        },
    }
}

/// Where the clock of time directories comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockSource {
    /// The default for the region: nothing has measured it yet.
    Assumed,
    /// `DIS_TIME_ZONE`, which overrides any measurement.
    Setting,
    /// Measured from this many recent files.
    Measured { files: usize },
}

/// The clock the previews read time directories on, and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionClock {
    pub zone_minutes: i32,
    pub source: ClockSource,
}

impl RegionClock {
    /// The configured zone, unless a measurement replaces it; a zone set in `DIS_TIME_ZONE`
    /// stays whatever the files say.
    pub fn resolve(configured: ZoneOffset, set: bool, finding: Option<&ClockFinding>) -> Self {
        let (zone, source) = match finding {
            _ if set => (configured, ClockSource::Setting),
            Some(ClockFinding::Measured { zone, files, .. }) => {
                (*zone, ClockSource::Measured { files: *files })
            }
            _ => (configured, ClockSource::Assumed),
        };
        RegionClock {
            zone_minutes: zone.minutes(),
            source,
        }
    }

    /// `zone`, assumed: nothing measured or set it.
    pub fn assumed(zone: ZoneOffset) -> Self {
        RegionClock {
            zone_minutes: zone.minutes(),
            source: ClockSource::Assumed,
        }
    }

    pub fn zone(&self) -> ZoneOffset {
        ZoneOffset::from_minutes(self.zone_minutes).unwrap_or(ZoneOffset::UTC)
    }

    /// "UTC+8 (region time, measured from 12 files)".
    pub fn label(&self) -> String {
        let how = match self.source {
            ClockSource::Assumed => "assumed".to_owned(),
            ClockSource::Setting => "set by DIS_TIME_ZONE".to_owned(),
            ClockSource::Measured { files } => format!("measured from {files} files"),
        };
        format!("{} (region time, {how})", self.zone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: i64 = 3_600_000;
    const UTC8: ZoneOffset = ZoneOffset::UTC_PLUS_8;

    /// The file a dump at `dumped_ms` on `zone`'s clock writes, landed `upload_ms` later.
    fn file(
        prefix: &str,
        format: PartitionFormat,
        zone: ZoneOffset,
        dumped_ms: i64,
        upload_ms: i64,
    ) -> Landed {
        let dirs = format.render(&DateTime::from_epoch_ms(dumped_ms, zone));
        Landed {
            key: format!("{prefix}/{dirs}/task_{dumped_ms}"),
            last_modified_ms: dumped_ms + upload_ms,
        }
    }

    fn at(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        DateTime::new(y, mo, d, h, mi, s)
            .unwrap()
            .to_epoch_ms(ZoneOffset::UTC)
    }

    #[test]
    fn directories_read_back_as_the_span_they_name() {
        let key = "logs/app/2026/02/28/23/task_1";
        let (start, end) = directory_span(key, "/logs/app/", PartitionFormat::Hour).unwrap();
        assert_eq!(start, at(2026, 2, 28, 23, 0, 0));
        assert_eq!(end, at(2026, 3, 1, 0, 0, 0));
        let (start, end) = directory_span("2024/02/task", "", PartitionFormat::Month).unwrap();
        assert_eq!(
            (start, end),
            (at(2024, 2, 1, 0, 0, 0), at(2024, 3, 1, 0, 0, 0))
        );
        // Not a file in time directories of this shape.
        for key in [
            "logs/app/2026/02/30/23/task",
            "logs/app/2026/2/28/23/task",
            "logs/app/2026/02/28/23/",
            "logs/app/2026/02/28/23/extra/task",
            "other/2026/02/28/23/task",
            "logs/application/2026/02/28/23/task",
        ] {
            assert_eq!(
                directory_span(key, "logs/app", PartitionFormat::Hour),
                None,
                "{key}"
            );
        }
    }

    #[test]
    fn hourly_files_through_a_day_measure_the_clock() {
        let start = at(2026, 12, 1, 0, 0, 0);
        let files: Vec<Landed> = (0..12)
            .map(|i| {
                file(
                    "p",
                    PartitionFormat::Hour,
                    UTC8,
                    start + i * 5 * 60_000 + 37_000,
                    4_000,
                )
            })
            .collect();
        let finding = measure(&files, "p", PartitionFormat::Hour);
        assert_eq!(
            finding,
            ClockFinding::Measured {
                zone: UTC8,
                agree: 12,
                files: 12
            }
        );
        assert_eq!(
            finding.words(ZoneOffset::UTC),
            "DIS wrote 12 of 12 recent files in UTC+8 directories."
        );
        assert_eq!(finding.zone_or(ZoneOffset::UTC), UTC8);
    }

    #[test]
    fn a_file_written_just_before_the_hour_still_fits() {
        // Dumped at 09:59:50 on DIS's clock, stamped by OBS at 10:00:20: still directory 09.
        let dumped = at(2026, 12, 31, 1, 59, 50);
        let files: Vec<Landed> = [dumped - 3 * 60_000, dumped - 2 * 60_000, dumped]
            .into_iter()
            .map(|t| file("p", PartitionFormat::Hour, UTC8, t, 30_000))
            .collect();
        assert_eq!(files[2].key, format!("p/2026/12/31/09/task_{dumped}"));
        assert!(matches!(
            measure(&files, "p", PartitionFormat::Hour),
            ClockFinding::Measured { zone, agree: 3, .. } if zone == UTC8
        ));
    }

    #[test]
    fn month_and_year_ends_on_the_region_clock() {
        // 16:30 UTC on 31 December is already the next year in UTC+8.
        let new_year = at(2026, 12, 31, 16, 30, 0);
        let files: Vec<Landed> = (0..4)
            .map(|i| {
                file(
                    "p",
                    PartitionFormat::Minute,
                    UTC8,
                    new_year + i * 60_000,
                    1_000,
                )
            })
            .collect();
        assert!(files[0].key.starts_with("p/2027/01/01/00/30/"));
        assert_eq!(
            measure(&files, "p", PartitionFormat::Minute),
            ClockFinding::Measured {
                zone: UTC8,
                agree: 4,
                files: 4
            }
        );
        // UTC, across the end of February in a leap year.
        let leap = at(2028, 2, 29, 23, 58, 0);
        let files: Vec<Landed> = (0..4)
            .map(|i| {
                file(
                    "p",
                    PartitionFormat::Minute,
                    ZoneOffset::UTC,
                    leap + i * 60_000,
                    1_000,
                )
            })
            .collect();
        assert!(files[3].key.starts_with("p/2028/03/01/00/01/"));
        assert!(matches!(
            measure(&files, "p", PartitionFormat::Minute),
            ClockFinding::Measured { zone, .. } if zone == ZoneOffset::UTC
        ));
    }

    #[test]
    fn day_directories_cannot_tell_nearby_clocks_apart() {
        let noon = at(2026, 12, 1, 4, 0, 0);
        let files: Vec<Landed> = (0..6)
            .map(|i| file("p", PartitionFormat::Day, UTC8, noon + i * HOUR, 2_000))
            .collect();
        let finding = measure(&files, "p", PartitionFormat::Day);
        let ClockFinding::Kept { why } = &finding else {
            panic!("{finding:?}");
        };
        assert!(why.contains("fit every clock from"), "{why}");
        assert!(
            why.contains("directories of one day cannot tell them apart"),
            "{why}"
        );
        assert_eq!(finding.zone_or(UTC8), UTC8);
        assert!(finding.words(UTC8).ends_with("The previews keep UTC+8."));
    }

    #[test]
    fn too_few_files_or_mixed_evidence_keep_the_setting() {
        let t = at(2026, 12, 1, 3, 10, 0);
        let two: Vec<Landed> = (0..2)
            .map(|i| file("p", PartitionFormat::Hour, UTC8, t + i * HOUR, 1_000))
            .collect();
        assert!(matches!(
            measure(&two, "p", PartitionFormat::Hour),
            ClockFinding::Kept { ref why } if why.starts_with("2 recent file(s)")
        ));
        // Half the files on one clock, half on another nine hours away.
        let mixed: Vec<Landed> = (0..6)
            .map(|i| {
                let zone = if i % 2 == 0 {
                    UTC8
                } else {
                    ZoneOffset::from_minutes(-60).unwrap()
                };
                file("p", PartitionFormat::Hour, zone, t + i * 7 * 60_000, 1_000)
            })
            .collect();
        assert!(matches!(
            measure(&mixed, "p", PartitionFormat::Hour),
            ClockFinding::Kept { ref why } if why.starts_with("The files disagree: no one clock fits more than 3 of 6")
        ));
        // Keys of other shapes are not evidence.
        let mut others = two.clone();
        others.push(Landed {
            key: "p/readme.txt".into(),
            last_modified_ms: t,
        });
        assert!(matches!(
            measure(&others, "p", PartitionFormat::Hour),
            ClockFinding::Kept { .. }
        ));
        assert!(matches!(
            measure(&mixed, "p", PartitionFormat::Flat),
            ClockFinding::Kept { ref why } if why.contains("no time directories")
        ));
    }

    proptest! {
        /// Whatever the clock and the dump times, the true clock fits every file, and a clock
        /// that is measured is the true one.
        #[test]
        fn a_measured_clock_is_the_true_one(
            zone in prop::sample::select(OFFSETS_IN_USE.to_vec()),
            hourly in any::<bool>(),
            start in 1_700_000_000_000i64..1_900_000_000_000,
            steps in proptest::collection::vec((0i64..7_200_000, 0i64..UPLOAD_GRACE_MS), 3..20),
        ) {
            let zone = ZoneOffset::from_minutes(zone).unwrap();
            let format = if hourly { PartitionFormat::Hour } else { PartitionFormat::Minute };
            let mut t = start;
            let files: Vec<Landed> = steps
                .iter()
                .map(|(gap, upload)| {
                    t += gap;
                    file("a/b", format, zone, t, *upload)
                })
                .collect();
            for f in &files {
                let span = directory_span(&f.key, "a/b", format).unwrap();
                prop_assert!(fits(span, f.last_modified_ms, zone));
            }
            if let ClockFinding::Measured { zone: measured, agree, files: n } = measure(&files, "a/b", format) {
                prop_assert_eq!(measured, zone);
                prop_assert_eq!((agree, n), (files.len(), files.len()));
            }
        }
    }

    #[test]
    fn the_region_clock_says_where_it_comes_from() {
        let measured = ClockFinding::Measured {
            zone: ZoneOffset::UTC,
            agree: 12,
            files: 12,
        };
        let utc8 = ZoneOffset::UTC_PLUS_8;
        let clock = RegionClock::resolve(utc8, false, Some(&measured));
        assert_eq!(clock.zone(), ZoneOffset::UTC);
        assert_eq!(clock.label(), "UTC (region time, measured from 12 files)");
        let kept = ClockFinding::Kept { why: "few".into() };
        assert_eq!(
            RegionClock::resolve(utc8, false, Some(&kept)).label(),
            "UTC+8 (region time, assumed)"
        );
        assert_eq!(
            RegionClock::resolve(utc8, true, Some(&measured)).label(),
            "UTC+8 (region time, set by DIS_TIME_ZONE)"
        );
    }
}

//! Where a stream's own records would land under a task's settings, and which DIS would discard:
//! the analysis behind a preview with recent records. Pure: records come in as bytes with their
//! arrival time; directories, flags, a summary, a lateness histogram and timestamp field
//! suggestions come out. The embedded backend's dumper reads record times with
//! [`record_time`], so the two agree by construction.

use super::civil::{DateTime, ZoneOffset};
use super::preview::{json_kind, object_directory, parse_timestamp};
use super::task::{PartitionFormat, ProcessingSchema, RecordTime, TimestampFormat};
use super::{DumpTask, TaskDraft};
use serde::{Deserialize, Serialize};

/// How far a record's own time may be from its arrival before it is flagged.
pub const FAR_MS: i64 = 3_600_000;

const DAY_MS: i64 = 86_400_000;

/// A record read from the stream: its partition, when it arrived (DIS's timestamp, epoch ms)
/// and its bytes (decoded from base64). On the wire its bytes travel as text: bytes that are
/// not UTF-8 become U+FFFD, which reads as "not a JSON object", as DIS would read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sampled {
    pub partition: String,
    pub arrival_ms: i64,
    #[serde(with = "as_text")]
    pub data: Vec<u8>,
}

mod as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        String::deserialize(d).map(String::into_bytes)
    }
}

/// Where a preview's records start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SampleFrom {
    /// Those that arrived in the last [`RECENT_MS`].
    #[default]
    Recent,
    /// The newest [`NEWEST`] of the stream.
    Newest,
    /// The oldest the stream still keeps.
    Oldest,
}

/// How far back a recent read starts.
pub const RECENT_MS: i64 = 15 * 60_000;

/// How many records a read of the newest keeps.
pub const NEWEST: usize = 100;

/// How much of a record the preview shows.
pub const SHOWN_BYTES: usize = 2048;

impl SampleFrom {
    pub const ALL: [SampleFrom; 3] = [SampleFrom::Recent, SampleFrom::Newest, SampleFrom::Oldest];

    pub fn as_wire(self) -> &'static str {
        match self {
            SampleFrom::Recent => "recent",
            SampleFrom::Newest => "newest",
            SampleFrom::Oldest => "oldest",
        }
    }

    pub fn parse(text: &str) -> SampleFrom {
        SampleFrom::ALL
            .into_iter()
            .find(|f| f.as_wire() == text)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            SampleFrom::Recent => "Read the last 15 minutes",
            SampleFrom::Newest => "Read the newest 100",
            SampleFrom::Oldest => "Read from the oldest kept",
        }
    }
}

/// What a read of a stream's records brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StreamSample {
    pub from: SampleFrom,
    /// The stream's data type, as DIS describes it.
    pub data_type: super::DataType,
    /// When the read began (epoch ms).
    pub read_at_ms: i64,
    pub partitions: Vec<PartitionRead>,
    /// By arrival, oldest first.
    pub records: Vec<Sampled>,
}

/// One partition's part of a read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PartitionRead {
    pub partition: String,
    pub records: usize,
    /// Why the read stopped before it caught up with the partition: a limit, the time budget,
    /// or DIS's refusal in words.
    pub stopped: Option<String>,
}

impl StreamSample {
    /// "Read 200 records from 2 partitions (shardId-0000000000: 120, shardId-0000000001: 80),
    /// which arrived from 2026-12-01 19:40:02 to 19:54:10 (UTC+8); asked for: the last 15
    /// minutes." Times are on `zone`'s clock.
    pub fn words(&self, zone: ZoneOffset) -> String {
        let n = self.records.len();
        let parts: Vec<String> = self
            .partitions
            .iter()
            .map(|p| format!("{}: {}", p.partition, p.records))
            .collect();
        let asked = match self.from {
            SampleFrom::Recent => "the last 15 minutes",
            SampleFrom::Newest => "the newest 100",
            SampleFrom::Oldest => "from the oldest kept",
        };
        let arrived = match (self.records.first(), self.records.last()) {
            (Some(first), Some(last)) => {
                let at = |ms| {
                    DateTime::from_epoch_ms(ms, zone)
                        .to_iso_string()
                        .replace('T', " ")
                };
                let (from, to) = (at(first.arrival_ms), at(last.arrival_ms));
                // The second time drops the day when it is the same.
                let to = match to.split_once(' ') {
                    Some((day, time)) if from.starts_with(day) => time.to_owned(),
                    _ => to,
                };
                format!(", which arrived from {from} to {to} ({zone})")
            }
            _ => String::new(),
        };
        format!(
            "Read {n} record{} from {} partition{} ({}){arrived}; asked for: {asked}.",
            if n == 1 { "" } else { "s" },
            parts.len(),
            if parts.len() == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

/// The start of a record as the preview shows it: at most [`SHOWN_BYTES`], cut at a character.
pub fn shown(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    if text.len() <= SHOWN_BYTES {
        return text.into_owned();
    }
    let mut end = SHOWN_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The records as a text file holds them: joined by the delimiter, each cut as [`shown`].
pub fn as_text_file<'a>(records: impl IntoIterator<Item = &'a Sampled>, delimiter: &str) -> String {
    records
        .into_iter()
        .map(|r| shown(&r.data))
        .collect::<Vec<_>>()
        .join(delimiter)
}

/// Where files go: a task's bucket, prefix, time directories and schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub bucket: String,
    pub file_prefix: String,
    pub format: PartitionFormat,
    pub schema: Option<ProcessingSchema>,
}

impl Layout {
    /// A draft's layout as it stands, for a preview: an empty bucket shows as `<bucket>`, an
    /// unknown format as no time directories, and an incomplete schema as none.
    pub fn draft(d: &TaskDraft) -> Layout {
        let bucket = d.obs_bucket_path.trim();
        Layout {
            bucket: if bucket.is_empty() {
                "<bucket>"
            } else {
                bucket
            }
            .to_owned(),
            file_prefix: d.file_prefix.clone(),
            format: PartitionFormat::parse(&d.partition_format).unwrap_or(PartitionFormat::Flat),
            schema: d
                .use_processing_schema
                .then(|| ProcessingSchema::from_draft(d).ok())
                .flatten(),
        }
    }

    pub fn of(task: &DumpTask) -> Layout {
        Layout {
            bucket: task.obs_bucket_path.as_str().to_owned(),
            file_prefix: task.file_prefix.as_str().to_owned(),
            format: task.partition_format,
            schema: task.processing_schema.clone(),
        }
    }
}

/// Why DIS would discard a record: its time cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Discard {
    /// Not a JSON object, so no field can be read.
    NotJson,
    /// The timestamp field is not there.
    Missing,
    /// The field holds another kind of value (`found`: "text", "a number"…).
    WrongType { found: &'static str },
    /// The text does not match the format.
    Unreadable,
}

impl Discard {
    pub fn words(&self, field: &str) -> String {
        match self {
            Discard::NotJson => "not a JSON object".to_owned(),
            Discard::Missing => format!("no field \"{field}\""),
            Discard::WrongType { found } => format!("\"{field}\" holds {found}"),
            Discard::Unreadable => format!("\"{field}\" does not match the format"),
        }
    }
}

/// Something about a record that is probably not what the operator meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A Timestamp with `digits` digits or landing in `year`: probably not epoch milliseconds.
    Unit { digits: usize, year: i64 },
    /// Its own time is this much before its arrival (more than [`FAR_MS`]).
    Late { by_ms: i64 },
    /// Its own time is this much after its arrival (more than [`FAR_MS`]).
    Future { by_ms: i64 },
}

impl Warning {
    /// "a 10-digit Timestamp lands in 1970: epoch seconds, not milliseconds?"
    pub fn words(&self) -> String {
        match *self {
            Warning::Unit { digits, year } => {
                let unit = match digits {
                    10 => "epoch seconds, not milliseconds?",
                    16 => "epoch microseconds, not milliseconds?",
                    19 => "epoch nanoseconds, not milliseconds?",
                    _ => "DIS reads 13-digit epoch milliseconds.",
                };
                format!("a {digits}-digit Timestamp lands in {year}: {unit}")
            }
            Warning::Late { by_ms } => format!(
                "its own time is {} before its arrival",
                super::health::duration_words(by_ms)
            ),
            Warning::Future { by_ms } => format!(
                "its own time is {} after its arrival",
                super::health::duration_words(by_ms)
            ),
        }
    }
}

/// A record's time as DIS reads it under `schema`: the wall-clock time its directories name,
/// and that time as an instant on `zone`'s clock. A String timestamp's fields are the
/// directories as they are; a Timestamp is epoch milliseconds, read on `zone`'s clock.
pub fn record_time(
    bytes: &[u8],
    schema: &ProcessingSchema,
    zone: ZoneOffset,
) -> Result<(DateTime, i64), Discard> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| Discard::NotJson)?;
    let object = value.as_object().ok_or(Discard::NotJson)?;
    let field = object.get(&schema.timestamp_name).ok_or(Discard::Missing)?;
    match schema.timestamp {
        RecordTime::String(format) => {
            let text = field.as_str().ok_or(Discard::WrongType {
                found: json_kind(field),
            })?;
            let wall = parse_timestamp(text, format).map_err(|_| Discard::Unreadable)?;
            Ok((wall, wall.to_epoch_ms(zone)))
        }
        RecordTime::Timestamp => {
            let ms = field.as_i64().ok_or(Discard::WrongType {
                found: match field {
                    serde_json::Value::Number(_) => "a number that is not whole",
                    other => json_kind(other),
                },
            })?;
            Ok((DateTime::from_epoch_ms(ms, zone), ms))
        }
    }
}

/// Where one record would land.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landing {
    /// `bucket/prefix/2026/12/01`, or why DIS would discard the record.
    pub directory: Result<String, Discard>,
    /// Its own time (epoch ms), with a schema.
    pub event_ms: Option<i64>,
    pub warnings: Vec<Warning>,
}

/// Where `record` would land under `layout`, with DIS's clock `zone`: by its arrival without a
/// schema (a dump files records by its own time, which follows their arrival by at most the
/// interval), else by its own time.
pub fn land(record: &Sampled, layout: &Layout, zone: ZoneOffset, now_ms: i64) -> Landing {
    let dir = |t: &DateTime| {
        object_directory(
            &layout.bucket,
            &layout.file_prefix,
            &layout.format.render(t),
        )
    };
    let Some(schema) = &layout.schema else {
        return Landing {
            directory: Ok(dir(&DateTime::from_epoch_ms(record.arrival_ms, zone))),
            event_ms: None,
            warnings: Vec::new(),
        };
    };
    match record_time(&record.data, schema, zone) {
        Err(why) => Landing {
            directory: Err(why),
            event_ms: None,
            warnings: Vec::new(),
        },
        Ok((wall, event_ms)) => {
            let mut warnings = Vec::new();
            if schema.timestamp == RecordTime::Timestamp {
                let digits = event_ms.unsigned_abs().to_string().len();
                let year = DateTime::from_epoch_ms(event_ms, ZoneOffset::UTC).year;
                let latest = DateTime::from_epoch_ms(now_ms, ZoneOffset::UTC).year + 1;
                if digits != 13 || !(2000..=latest).contains(&year) {
                    warnings.push(Warning::Unit { digits, year });
                }
            }
            let off = event_ms.saturating_sub(record.arrival_ms);
            if off < -FAR_MS {
                warnings.push(Warning::Late { by_ms: -off });
            } else if off > FAR_MS {
                warnings.push(Warning::Future { by_ms: off });
            }
            Landing {
                directory: Ok(dir(&wall)),
                event_ms: Some(event_ms),
                warnings,
            }
        }
    }
}

/// Lateness bins, by a record's own time minus its arrival, in milliseconds: each label with
/// the span it covers (`from` inclusive, `to` exclusive).
pub const LATENESS_BINS: [(&str, i64, i64); 8] = [
    ("over 1 day before", i64::MIN, -DAY_MS),
    ("1 h to 1 day before", -DAY_MS, -FAR_MS),
    ("5 min to 1 h before", -FAR_MS, -300_000),
    ("up to 5 min before", -300_000, 0),
    ("up to 5 min after", 0, 300_001),
    ("5 min to 1 h after", 300_001, FAR_MS + 1),
    ("1 h to 1 day after", FAR_MS + 1, DAY_MS + 1),
    ("over 1 day after", DAY_MS + 1, i64::MAX),
];

/// What a sample says in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub records: usize,
    /// Each directory with how many records land there, in directory order.
    pub directories: Vec<(String, usize)>,
    /// Each reason for a discard, in words, with how many records it takes.
    pub discards: Vec<(String, usize)>,
    /// Records with a warning.
    pub warned: usize,
    /// Records in each of [`LATENESS_BINS`] (all zero without a schema).
    pub lateness: [usize; 8],
}

/// The summary of `landings` of `records`, under a schema whose field is `field` (for the
/// discards' words).
pub fn summarize(records: &[Sampled], landings: &[Landing], field: &str) -> Summary {
    let mut s = Summary {
        records: landings.len(),
        ..Summary::default()
    };
    let mut discards: Vec<(Discard, usize)> = Vec::new();
    for (record, landing) in records.iter().zip(landings) {
        match &landing.directory {
            Ok(dir) => match s.directories.iter_mut().find(|(d, _)| d == dir) {
                Some((_, n)) => *n += 1,
                None => s.directories.push((dir.clone(), 1)),
            },
            Err(why) => match discards.iter_mut().find(|(d, _)| d == why) {
                Some((_, n)) => *n += 1,
                None => discards.push((why.clone(), 1)),
            },
        }
        if !landing.warnings.is_empty() {
            s.warned += 1;
        }
        if let Some(event) = landing.event_ms {
            let off = event.saturating_sub(record.arrival_ms);
            if let Some(bin) = LATENESS_BINS
                .iter()
                .position(|(_, from, to)| (*from..*to).contains(&off))
            {
                s.lateness[bin] += 1;
            }
        }
    }
    s.directories.sort();
    discards.sort();
    s.discards = discards
        .into_iter()
        .map(|(why, n)| (why.words(field), n))
        .collect();
    s
}

/// A field whose values read as a record time in most records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub field: String,
    pub time: RecordTime,
    /// Records whose value reads so, of `of` JSON objects.
    pub readable: usize,
    pub of: usize,
}

impl Suggestion {
    /// "Use `ts`: epoch ms, 198 of 200 readable".
    pub fn words(&self) -> String {
        let how = match self.time {
            RecordTime::Timestamp => "epoch ms".to_owned(),
            RecordTime::String(format) => format.as_wire().to_owned(),
        };
        format!(
            "Use `{}`: {how}, {} of {} readable",
            self.field, self.readable, self.of
        )
    }
}

/// Top-level fields of JSON records whose values are 13-digit epoch milliseconds from 2000 to
/// a year from now, or text in one of DIS's six formats, in more than half the JSON objects;
/// most readable first. DIS reads a top-level field by its name, so nested fields are not
/// offered.
pub fn suggest(records: &[Sampled], now_ms: i64) -> Vec<Suggestion> {
    let latest = DateTime::from_epoch_ms(now_ms, ZoneOffset::UTC).year + 1;
    let mut objects = 0usize;
    let mut counts: Vec<(String, RecordTime, usize)> = Vec::new();
    for record in records {
        let Ok(serde_json::Value::Object(map)) =
            serde_json::from_slice::<serde_json::Value>(&record.data)
        else {
            continue;
        };
        objects += 1;
        for (name, value) in &map {
            let time = match value {
                serde_json::Value::Number(n) => n
                    .as_i64()
                    .filter(|ms| {
                        let year = DateTime::from_epoch_ms(*ms, ZoneOffset::UTC).year;
                        ms.unsigned_abs().to_string().len() == 13 && (2000..=latest).contains(&year)
                    })
                    .map(|_| RecordTime::Timestamp),
                serde_json::Value::String(text) => TimestampFormat::ALL
                    .iter()
                    .find(|f| parse_timestamp(text, **f).is_ok())
                    .map(|f| RecordTime::String(*f)),
                _ => None,
            };
            let Some(time) = time else { continue };
            match counts.iter_mut().find(|(n, t, _)| n == name && *t == time) {
                Some((_, _, count)) => *count += 1,
                None => counts.push((name.clone(), time, 1)),
            }
        }
    }
    let mut out: Vec<Suggestion> = counts
        .into_iter()
        .filter(|(_, _, readable)| readable * 2 > objects)
        .map(|(field, time, readable)| Suggestion {
            field,
            time,
            readable,
            of: objects,
        })
        .collect();
    out.sort_by(|a, b| {
        b.readable
            .cmp(&a.readable)
            .then_with(|| a.field.cmp(&b.field))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const UTC8: ZoneOffset = ZoneOffset::UTC_PLUS_8;
    /// 2026-12-01 16:30 UTC.
    const NOW: i64 = 1_796_142_600_000;

    fn record(json: &str, arrival_ms: i64) -> Sampled {
        Sampled {
            partition: "shardId-0000000000".into(),
            arrival_ms,
            data: json.as_bytes().to_vec(),
        }
    }

    fn layout(format: PartitionFormat, schema: Option<RecordTime>) -> Layout {
        Layout {
            bucket: "b".into(),
            file_prefix: "p".into(),
            format,
            schema: schema.map(|timestamp| ProcessingSchema {
                timestamp_name: "ts".into(),
                timestamp,
            }),
        }
    }

    #[test]
    fn without_a_schema_records_land_by_arrival_on_the_region_clock() {
        let l = land(
            &record("anything", NOW),
            &layout(PartitionFormat::Hour, None),
            UTC8,
            NOW,
        );
        assert_eq!(l.directory, Ok("b/p/2026/12/02/00".to_owned()));
        let l = land(
            &record("x", NOW),
            &layout(PartitionFormat::Day, None),
            ZoneOffset::UTC,
            NOW,
        );
        assert_eq!(l.directory, Ok("b/p/2026/12/01".to_owned()));
    }

    #[test]
    fn records_land_by_their_own_time_or_are_discarded_with_the_reason() {
        let lay = layout(PartitionFormat::Day, Some(RecordTime::Timestamp));
        let ok = land(&record(r#"{"ts": 1796142600000}"#, NOW), &lay, UTC8, NOW);
        assert_eq!(ok.directory, Ok("b/p/2026/12/02".to_owned()));
        assert!(ok.warnings.is_empty());
        // Seconds read as milliseconds land in 1970.
        let seconds = land(&record(r#"{"ts": 1796142600}"#, NOW), &lay, UTC8, NOW);
        assert_eq!(seconds.directory, Ok("b/p/1970/01/22".to_owned()));
        assert_eq!(
            seconds.warnings[0],
            Warning::Unit {
                digits: 10,
                year: 1970
            }
        );
        assert!(matches!(seconds.warnings[1], Warning::Late { .. }));
        for (json, why) in [
            (r#"{"other": 1}"#, Discard::Missing),
            (r#"{"ts": "soon"}"#, Discard::WrongType { found: "text" }),
            (
                r#"{"ts": 1.5}"#,
                Discard::WrongType {
                    found: "a number that is not whole",
                },
            ),
            ("[1, 2]", Discard::NotJson),
            ("not json", Discard::NotJson),
        ] {
            assert_eq!(
                land(&record(json, NOW), &lay, UTC8, NOW).directory,
                Err(why),
                "{json}"
            );
        }
        let text = layout(
            PartitionFormat::Hour,
            Some(RecordTime::String(TimestampFormat::DashYmd)),
        );
        let l = land(
            &record(r#"{"ts": "2026-12-01 23:10:00"}"#, NOW),
            &text,
            UTC8,
            NOW,
        );
        assert_eq!(l.directory, Ok("b/p/2026/12/01/23".to_owned()));
        // 23:10 on UTC+8 is 15:10 UTC, 80 minutes before the arrival.
        assert_eq!(l.warnings, [Warning::Late { by_ms: 80 * 60_000 }]);
        let bad = land(&record(r#"{"ts": "12/01/2026"}"#, NOW), &text, UTC8, NOW);
        assert_eq!(bad.directory, Err(Discard::Unreadable));
    }

    #[test]
    fn the_summary_counts_directories_discards_and_lateness() {
        let lay = layout(PartitionFormat::Day, Some(RecordTime::Timestamp));
        let records = vec![
            record(r#"{"ts": 1796142600000}"#, NOW),
            record(r#"{"ts": 1796142540000}"#, NOW),
            record(r#"{"ts": 1796056200000}"#, NOW),
            record(r#"{"x": 1}"#, NOW),
            record(r#"{"x": 2}"#, NOW),
            record("oops", NOW),
        ];
        let landings: Vec<Landing> = records.iter().map(|r| land(r, &lay, UTC8, NOW)).collect();
        let s = summarize(&records, &landings, "ts");
        assert_eq!(s.records, 6);
        assert_eq!(
            s.directories,
            [
                ("b/p/2026/12/01".to_owned(), 1),
                ("b/p/2026/12/02".to_owned(), 2)
            ]
        );
        assert_eq!(
            s.discards,
            [
                ("not a JSON object".to_owned(), 1),
                ("no field \"ts\"".to_owned(), 2)
            ]
        );
        assert_eq!(s.warned, 1);
        // On time, a minute before, a day before.
        assert_eq!(s.lateness, [0, 1, 0, 1, 1, 0, 0, 0]);
    }

    #[test]
    fn fields_that_read_as_times_in_most_records_are_suggested() {
        let records = vec![
            record(
                r#"{"ts": 1796142600000, "at": "2026-12-01 16:30:00", "n": 5}"#,
                NOW,
            ),
            record(
                r#"{"ts": 1796142601000, "at": "2026-12-01 16:30:01", "n": 6}"#,
                NOW,
            ),
            record(
                r#"{"ts": 1796142602, "at": "later", "n": 1796142602000}"#,
                NOW,
            ),
            record("not json", NOW),
        ];
        let s = suggest(&records, NOW);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].field, "at");
        assert_eq!(
            s[0].words(),
            "Use `at`: yyyy-MM-dd HH:mm:ss, 2 of 3 readable"
        );
        assert_eq!(s[1].words(), "Use `ts`: epoch ms, 2 of 3 readable");
        assert!(suggest(&[], NOW).is_empty());
    }

    proptest! {
        /// Any record under any layout gets a directory or a reason, never a panic.
        #[test]
        fn any_record_lands_or_is_discarded(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            ts in any::<i64>(),
            text in ".{0,24}",
            arrival in -10_000_000_000_000i64..10_000_000_000_000,
            format in 0usize..6,
            kind in 0usize..3,
        ) {
            let format = PartitionFormat::ALL[format];
            let schema = match kind {
                0 => None,
                1 => Some(RecordTime::Timestamp),
                _ => Some(RecordTime::String(TimestampFormat::SlashYmd)),
            };
            let lay = layout(format, schema);
            for bytes in [
                data,
                format!(r#"{{"ts": {ts}}}"#).into_bytes(),
                serde_json::json!({ "ts": text }).to_string().into_bytes(),
            ] {
                let r = Sampled { partition: "0".into(), arrival_ms: arrival, data: bytes };
                let l = land(&r, &lay, UTC8, NOW);
                if let Ok(dir) = &l.directory {
                    prop_assert!(dir.starts_with("b/p"));
                }
                let s = summarize(std::slice::from_ref(&r), std::slice::from_ref(&l), "ts");
                prop_assert_eq!(s.records, 1);
            }
        }
    }
}

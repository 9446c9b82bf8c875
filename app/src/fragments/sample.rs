//! The preview with a stream's own records, for the draft as it stands: where each record would
//! land, what DIS would discard and why, the lateness of their own times, and the fields that
//! read as times. Suggestions are buttons with `data-action="use-field"` and `data-value`
//! `<field>|<type>|<format>` for the wizard's click handler.

use crate::domain::chart::bars;
use crate::domain::clock::RegionClock;
use crate::domain::preview::sample_landing;
use crate::domain::sample::{self, Landing, Layout, SampleFrom, StreamSample, LATENESS_BINS};
use crate::domain::task::{RecordDelimiter, RecordTime, TimestampType};
use crate::domain::ProcessingSchema;
use crate::domain::{DataType, TaskDraft, ZoneOffset};
use crate::pages::wizard::DirectoryList;
use leptos::prelude::*;

/// How many records the panel lists one by one, newest first.
pub const LISTED: usize = 20;

/// Where a pasted sample record lands under `draft`'s schema on the region's clock, or what
/// to fix: in the sample or in the schema above it.
pub fn pasted(text: &str, draft: &TaskDraft, clock: RegionClock) -> String {
    let Ok(schema) = ProcessingSchema::from_draft(draft) else {
        return super::html(view! {
            <p class="field-error">"Complete the timestamp field, type and format above first."</p>
        });
    };
    let layout = Layout::draft(draft);
    match sample_landing(
        text,
        &schema,
        &layout.bucket,
        &layout.file_prefix,
        layout.format,
        clock,
    ) {
        Ok(l) => super::html(view! {
            <p>"Read " <code>{l.record_time}</code> "; it lands in:"</p>
            <DirectoryList rows=l.directories/>
            {l.warning.map(|w| view! { <p class="warning" role="status">{w}</p> })}
        }),
        Err(e) => super::html(view! { <p class="field-error">{e}</p> }),
    }
}

/// The buttons that read the stream (`data-action="read"`, `data-value` a [`SampleFrom`]), and
/// what a read does.
pub fn read_buttons() -> String {
    super::html(view! {
        <p class="hint">"Reads up to 200 records of each partition once; the preview then follows the settings as they change."</p>
        <div class="read-records">
            {SampleFrom::ALL.map(|f| view! {
                <button type="button" data-action="read" data-value=f.as_wire()>{f.label()}</button>
            })}
        </div>
    })
}

/// The panel for `sample` under `draft`, on DIS's clock `zone`; `suggest` offers timestamp
/// fields (the schema step).
pub fn records(
    sample: &StreamSample,
    draft: &TaskDraft,
    zone: ZoneOffset,
    suggest: bool,
) -> String {
    read_buttons() + &read(sample, draft, zone, suggest)
}

fn read(sample: &StreamSample, draft: &TaskDraft, zone: ZoneOffset, suggest: bool) -> String {
    let stopped: Vec<String> = sample
        .partitions
        .iter()
        .filter_map(|p| Some(format!("{}: {}", p.partition, p.stopped.as_ref()?)))
        .collect();
    let head = view! {
        <p>{sample.words(zone)}</p>
        {(!stopped.is_empty()).then(|| view! {
            <ul class="warning">{stopped.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
        })}
    };
    if sample.records.is_empty() {
        let window = match sample.from {
            SampleFrom::Recent => "from the last 15 minutes",
            SampleFrom::Newest | SampleFrom::Oldest => "to read",
        };
        return super::html(view! {
            {head}
            <p role="status">
                {format!("The stream has no records {window}. ")}
                "Read from the oldest record kept, or paste a sample record on the Timestamp schema step."
            </p>
        });
    }
    let layout = Layout::draft(draft);
    let landings: Vec<Landing> = sample
        .records
        .iter()
        .map(|r| sample::land(r, &layout, zone, sample.read_at_ms))
        .collect();
    let field = draft.timestamp_name.trim();
    let summary = sample::summarize(&sample.records, &landings, field);
    let discarded: usize = summary.discards.iter().map(|(_, n)| n).sum();
    let directories = summary.directories.len();
    let offered = if suggest && sample.data_type == DataType::Json {
        sample::suggest(&sample.records, sample.read_at_ms)
    } else {
        Vec::new()
    };
    let newest: Vec<(&sample::Sampled, &Landing)> = sample
        .records
        .iter()
        .zip(&landings)
        .rev()
        .take(LISTED)
        .collect();
    // BLOB and CSV records, as the text file holds them: newest last, joined by the delimiter.
    let text = (sample.data_type != DataType::Json).then(|| {
        let delimiter =
            RecordDelimiter::parse(&draft.record_delimiter).map_or("\n", RecordDelimiter::as_text);
        sample::as_text_file(newest.iter().rev().map(|(r, _)| *r), delimiter)
    });
    let rows = newest
        .iter()
        .map(|(r, l)| {
            let (place, flags) = match &l.directory {
                Ok(dir) => (
                    format!("{dir}/"),
                    l.warnings
                        .iter()
                        .map(|w| w.words())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Err(why) => ("discarded".to_owned(), why.words(field)),
            };
            view! {
                <tr>
                    <td>{r.partition.clone()}</td>
                    <td><code class="object-path">{place}</code></td>
                    <td>{flags}</td>
                    <td><code class="record">{sample::shown(&r.data)}</code></td>
                </tr>
            }
        })
        .collect_view();
    let lateness = layout.schema.is_some().then(|| {
        let counts: Vec<(&str, usize)> = LATENESS_BINS
            .iter()
            .zip(summary.lateness)
            .map(|((label, ..), n)| (*label, n))
            .collect();
        let chart = bars("lateness", "Records by their own time minus their arrival", &counts);
        view! {
            <div class="chart-wrap" inner_html=chart></div>
            <table>
                <caption>"Their own time minus their arrival"</caption>
                <tbody>
                    {counts.into_iter().map(|(label, n)| view! { <tr><td>{label}</td><td>{n}</td></tr> }).collect_view()}
                </tbody>
            </table>
        }
    });
    super::html(view! {
        {head}
        {(!offered.is_empty()).then(|| view! {
            <div class="suggestions">
                <p>"Fields that read as times (DIS reads a top-level field by its name, so nested fields are not offered):"</p>
                {offered.into_iter().map(|o| {
                    let (kind, format) = match o.time {
                        RecordTime::Timestamp => (TimestampType::Timestamp.as_wire(), ""),
                        RecordTime::String(f) => (TimestampType::String.as_wire(), f.as_wire()),
                    };
                    let value = format!("{}|{kind}|{format}", o.field);
                    view! { <button type="button" data-action="use-field" data-value=value>{o.words()}</button> }
                }).collect_view()}
            </div>
        })}
        <p class="summary" role="status">
            {format!(
                "{} records → {directories} director{}; {discarded} discarded, {} with a warning.",
                summary.records,
                if directories == 1 { "y" } else { "ies" },
                summary.warned
            )}
        </p>
        <table>
            <caption>"Where the records land"</caption>
            <thead><tr><th scope="col">"Directory"</th><th scope="col">"Records"</th></tr></thead>
            <tbody>
                {summary.directories.iter().map(|(d, n)| view! {
                    <tr><td><code class="object-path">{format!("{d}/")}</code></td><td>{*n}</td></tr>
                }).collect_view()}
                {summary.discards.iter().map(|(why, n)| view! {
                    <tr class="discard"><td>{format!("Discarded: {why}")}</td><td>{*n}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        {lateness}
        {text.map(|t| view! {
            <p>"As the text file holds them:"</p>
            <pre class="records-text">{t}</pre>
        })}
        <div class="table-wrap">
            <table class="records">
                <caption>{format!("The newest {} records", newest.len())}</caption>
                <thead><tr>
                    <th scope="col">"Partition"</th>
                    <th scope="col">"Lands in"</th>
                    <th scope="col">"Flags"</th>
                    <th scope="col">"Record"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::{PartitionRead, Sampled};

    /// 2026-12-01 16:30 UTC.
    const NOW: i64 = 1_796_142_600_000;

    fn sample(data_type: DataType, records: &[&str]) -> StreamSample {
        StreamSample {
            from: SampleFrom::Recent,
            data_type,
            read_at_ms: NOW,
            partitions: vec![PartitionRead {
                partition: "shardId-0000000000".into(),
                records: records.len(),
                stopped: None,
            }],
            records: records
                .iter()
                .map(|r| Sampled {
                    partition: "shardId-0000000000".into(),
                    arrival_ms: NOW - 60_000,
                    data: r.as_bytes().to_vec(),
                })
                .collect(),
        }
    }

    fn draft(schema: bool) -> TaskDraft {
        TaskDraft {
            obs_bucket_path: "b".into(),
            file_prefix: "p".into(),
            partition_format: "yyyy/MM/dd".into(),
            use_processing_schema: schema,
            timestamp_name: "ts".into(),
            timestamp_type: "Timestamp".into(),
            timestamp_format: String::new(),
            ..TaskDraft::default()
        }
    }

    #[test]
    fn a_schema_files_records_by_their_own_time_and_counts_discards() {
        let s = sample(
            DataType::Json,
            &[
                r#"{"ts": 1796142540000}"#,
                r#"{"ts": 1796142540}"#,
                r#"{"id": 3}"#,
                "<b>not json</b>",
            ],
        );
        let html = records(&s, &draft(true), ZoneOffset::UTC_PLUS_8, true);
        assert!(
            html.contains("4 records → 2 directories; 2 discarded, 1 with a warning."),
            "{html}"
        );
        assert!(html.contains("b/p/2026/12/02/"), "{html}");
        assert!(html.contains("b/p/1970/01/22/"), "{html}");
        assert!(
            html.contains("a 10-digit Timestamp lands in 1970: epoch seconds"),
            "{html}"
        );
        assert!(
            html.contains("Discarded: no field &quot;ts&quot;")
                || html.contains(r#"Discarded: no field "ts""#),
            "{html}"
        );
        assert!(
            html.contains("&lt;b&gt;not json&lt;/b&gt;"),
            "record text is escaped: {html}"
        );
        assert!(html.contains("<svg"), "the lateness chart: {html}");
        // One in four is epoch ms: not most, so nothing is offered.
        assert!(!html.contains("use-field"), "{html}");
    }

    #[test]
    fn without_a_schema_records_land_by_arrival_and_fields_are_offered() {
        let s = sample(
            DataType::Json,
            &[r#"{"ts": 1796142540000}"#, r#"{"ts": 1796142541000}"#],
        );
        let html = records(&s, &draft(false), ZoneOffset::UTC, true);
        assert!(
            html.contains("2 records → 1 directory; 0 discarded"),
            "{html}"
        );
        assert!(html.contains("b/p/2026/12/01/"), "{html}");
        assert!(html.contains(r#"data-value="ts|Timestamp|""#), "{html}");
        assert!(
            html.contains("Use `ts`: epoch ms, 2 of 2 readable"),
            "{html}"
        );
        assert!(!html.contains("<svg"), "no lateness without a schema");
    }

    #[test]
    fn csv_records_show_as_the_text_file_and_an_empty_read_says_so() {
        let s = sample(DataType::Csv, &["a,1", "b,2"]);
        let d = TaskDraft {
            record_delimiter: "|".into(),
            ..draft(false)
        };
        let html = records(&s, &d, ZoneOffset::UTC, true);
        assert!(html.contains("a,1|b,2"), "{html}");
        let empty = records(&sample(DataType::Json, &[]), &d, ZoneOffset::UTC, true);
        assert!(
            empty.contains("The stream has no records from the last 15 minutes."),
            "{empty}"
        );
        assert!(
            html.contains("Read 2 records from 1 partition (shardId-0000000000: 2), which arrived from 2026-12-01 16:29:00 to 16:29:00 (UTC); asked for: the last 15 minutes."),
            "{html}"
        );
    }

    #[test]
    fn a_pasted_record_lands_or_says_what_to_fix() {
        let clock = RegionClock::assumed(ZoneOffset::UTC);
        let ok = pasted(r#"{"ts": 1704164645000}"#, &draft(true), clock);
        assert!(ok.contains("b/p/2024/01/02"), "{ok}");
        let seconds = pasted(r#"{"ts": 1704164645}"#, &draft(true), clock);
        assert!(seconds.contains("10 digits"), "{seconds}");
        let broken = pasted("{", &draft(true), clock);
        assert!(broken.contains("not valid JSON"), "{broken}");
        let no_schema = TaskDraft {
            timestamp_name: String::new(),
            ..draft(true)
        };
        let incomplete = pasted("{}", &no_schema, clock);
        assert!(
            incomplete.contains("Complete the timestamp field"),
            "{incomplete}"
        );
    }
}

//! A stream's own settings: the list the stream page shows with its scaling history, and what
//! the create form's review shows (the stream to be, the request and the code that sends it).

use super::request::snippet;
use crate::components::table::{columns, Table};
use crate::domain::export::{stream_snippets, ExportTarget};
use crate::domain::stream::{CreateStreamRequest, StreamDescription};
use crate::domain::{DateTime, ZoneOffset};
use leptos::prelude::*;

/// The settings as a list: `(label, value)`.
fn facts(r: &CreateStreamRequest) -> Vec<(&'static str, String)> {
    let or_none = |v: Option<&str>| v.filter(|v| !v.is_empty()).unwrap_or("none").to_owned();
    let auto = match (
        r.auto_scale_enabled,
        r.auto_scale_min_partition_count,
        r.auto_scale_max_partition_count,
    ) {
        (Some(true), Some(min), Some(max)) => format!("on, {min} to {max} partitions"),
        (Some(true), ..) => "on".to_owned(),
        _ => "off".to_owned(),
    };
    let tags = r
        .tags
        .iter()
        .map(|t| format!("{}={}", t.key, t.value))
        .collect::<Vec<_>>()
        .join(", ");
    let mut list = vec![
        ("Stream name", r.stream_name.clone()),
        ("Stream type", or_none(r.stream_type.as_deref())),
        ("Partitions", r.partition_count.to_string()),
        ("Data type", or_none(r.data_type.as_deref())),
        (
            "Retention",
            format!("{} hours", r.data_duration.unwrap_or(24)),
        ),
        ("Compression", or_none(r.compression_format.as_deref())),
        ("Auto-scaling", auto),
        ("Tags", if tags.is_empty() { "none".into() } else { tags }),
    ];
    if let Some(csv) = &r.csv_properties {
        list.push(("CSV delimiter", format!("{:?}", csv.delimiter)));
    }
    list
}

fn facts_list(r: &CreateStreamRequest) -> impl IntoView {
    let schema = r.data_schema.clone();
    view! {
        <dl class="facts review">
            {facts(r).into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
            <dt>"Schema"</dt>
            <dd>{match schema {
                Some(s) => view! { <pre class="schema"><code>{s}</code></pre> }.into_any(),
                None => view! { <span>"none"</span> }.into_any(),
            }}</dd>
        </dl>
    }
}

/// The create form's review: the stream to be, then its request and the code that sends it.
pub fn new_stream(request: &CreateStreamRequest, target: &ExportTarget) -> String {
    super::html(view! {
        <section aria-labelledby="new-stream-heading">
            <h3 id="new-stream-heading">"The stream"</h3>
            {facts_list(request)}
        </section>
        <section aria-labelledby="stream-export-heading">
            <h3 id="stream-export-heading">"The request and how to send it yourself"</h3>
            {stream_snippets(request, target)
                .into_iter()
                .map(|(title, text)| snippet(title, text))
                .collect_view()}
        </section>
    })
}

/// The stream page's settings: what DIS reports, and the stream's scalings, newest first.
pub fn settings(d: &StreamDescription) -> String {
    let s = &d.stream;
    let as_request = CreateStreamRequest {
        stream_name: s.stream_name.clone(),
        partition_count: s.writable_partition_count,
        stream_type: Some(s.stream_type.clone()),
        data_type: Some(s.data_type().as_str().to_owned()),
        data_duration: Some(s.retention_period),
        auto_scale_enabled: Some(d.auto_scale_enabled),
        auto_scale_min_partition_count: d.auto_scale_min_partition_count,
        auto_scale_max_partition_count: d.auto_scale_max_partition_count,
        data_schema: d.data_schema.clone().filter(|s| !s.is_empty()),
        csv_properties: d.csv_properties.clone(),
        compression_format: d.compression_format.clone(),
        tags: d.tags.clone(),
    };
    let history = if d.update_partition_counts.is_empty() {
        view! { <p class="hint">"The stream has kept its partitions since it was created."</p> }
            .into_any()
    } else {
        let rows: Vec<[String; 4]> = d
            .update_partition_counts
            .iter()
            .rev()
            .map(|c| {
                [
                    DateTime::from_epoch_ms(c.create_timestamp, ZoneOffset::UTC)
                        .to_minute_string()
                        .replace('T', " ")
                        + " UTC",
                    format!("{} → {}", c.src_partition_count, c.target_partition_count),
                    if c.auto_scale {
                        "auto-scaling"
                    } else {
                        "a request"
                    }
                    .to_owned(),
                    if c.result_code == 0 {
                        "done".to_owned()
                    } else {
                        format!("failed ({})", c.result_code)
                    },
                ]
            })
            .collect();
        view! {
            <Table caption="Scaling history" columns=columns(&["When", "Partitions", "By", "Result"])>
                {rows.into_iter().map(|[when, change, by, result]| view! {
                    <tr><td>{when}</td><td>{change}</td><td>{by}</td><td>{result}</td></tr>
                }).collect_view()}
            </Table>
        }
        .into_any()
    };
    super::html(view! {
        <section aria-labelledby="stream-settings-heading">
            <h2 id="stream-settings-heading">"Settings"</h2>
            {facts_list(&as_request)}
            <h3>"Scaling history"</h3>
            {history}
        </section>
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dis::DescribeStreamResponse;
    use crate::domain::stream::{PartitionCountChange, Tag};
    use crate::domain::StreamName;

    #[test]
    fn the_review_lists_the_stream_and_escapes_what_was_typed() {
        let request = CreateStreamRequest {
            stream_name: "orders".into(),
            partition_count: 2,
            data_type: Some("JSON".into()),
            data_schema: Some(r#"{"name":"<b>"}"#.into()),
            tags: vec![Tag {
                key: "team".into(),
                value: "a".into(),
            }],
            ..Default::default()
        };
        let target = ExportTarget {
            endpoint: "http://127.0.0.1:4000".into(),
            region: "local".into(),
            project_id: "p".into(),
            stream: StreamName::parse("orders").unwrap(),
        };
        let html = new_stream(&request, &target);
        assert!(html.contains("<dt>Partitions</dt><dd>2</dd>"), "{html}");
        assert!(html.contains("<dt>Tags</dt><dd>team=a</dd>"), "{html}");
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("Copy Python SDK"), "{html}");
    }

    #[test]
    fn the_settings_show_the_scalings_newest_first() {
        let change = |at: i64, from: u32, to: u32| PartitionCountChange {
            create_timestamp: at,
            src_partition_count: from,
            target_partition_count: to,
            ..Default::default()
        };
        let d = StreamDescription {
            stream: DescribeStreamResponse {
                stream_name: "s".into(),
                retention_period: 48,
                ..Default::default()
            },
            update_partition_counts: vec![change(0, 1, 2), change(3_600_000, 2, 3)],
            ..Default::default()
        };
        let html = settings(&d);
        assert!(
            html.contains("<dt>Retention</dt><dd>48 hours</dd>"),
            "{html}"
        );
        let (newer, older) = (html.find("2 → 3").unwrap(), html.find("1 → 2").unwrap());
        assert!(newer < older, "{html}");
        assert!(html.contains("1970-01-01 01:00 UTC"), "{html}");
        let none = settings(&StreamDescription::default());
        assert!(none.contains("kept its partitions"), "{none}");
    }
}

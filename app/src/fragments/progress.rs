//! How far tasks have dumped: the stream page's partitions table and a task's health and
//! partitions.

use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::dis::{StreamPartition, TaskDetails, TaskPartition};
use crate::domain::export::{Call, ExportTarget};
use crate::domain::health::{thousands, Attention, PartitionLag, SeqRange, TaskHealth};
use crate::domain::preview::{dump_directory, object_directory};
use crate::domain::ZoneOffset;
use leptos::prelude::*;

/// A partition's range as the tables show it: `[0 : 25] (25 records)`, or DIS's text when it
/// is not a range.
fn range_text(raw: &str) -> String {
    SeqRange::parse(raw)
        .map(|r| format!("{r} ({} records)", thousands(r.len())))
        .unwrap_or_else(|| raw.to_owned())
}

/// The stream's partitions, with where each task has dumped each to and what waits.
pub fn stream_partitions(
    partitions: &[StreamPartition],
    tasks: &[(String, Vec<PartitionLag>)],
) -> String {
    let rows: Vec<[String; 4]> = partitions
        .iter()
        .map(|p| {
            let progress: Vec<String> = tasks
                .iter()
                .filter_map(|(task, lags)| {
                    lags.iter()
                        .find(|l| l.partition_id == p.partition_id)
                        .map(|l| format!("{task}: at {}, {} behind", l.offset, thousands(l.behind)))
                })
                .collect();
            [
                p.partition_id.clone(),
                p.status.clone(),
                range_text(&p.sequence_number_range),
                if progress.is_empty() {
                    "—".to_owned()
                } else {
                    progress.join("; ")
                },
            ]
        })
        .collect();
    super::html(view! {
        <Table caption="Partitions" columns=columns(&["Partition", "Status", "Sequence numbers", "Dump tasks"])>
            {rows.into_iter().map(|[id, status, range, progress]| view! {
                <tr><td>{id}</td><td>{status}</td><td>{range}</td><td>{progress}</td></tr>
            }).collect_view()}
        </Table>
    })
}

/// A task's settings and where it writes, its health in words, each of its partitions, and the
/// task exported as the request that creates it (sent to `target`). Dump directories are on
/// `zone`'s clock.
pub fn task_progress(
    t: &TaskDetails,
    health: &TaskHealth,
    lags: &[PartitionLag],
    zone: ZoneOffset,
    target: &ExportTarget,
) -> String {
    let attention = health.attention;
    let partitions = &t.partitions;
    let d = t.obs_destination_description.clone().unwrap_or_default();
    let path = object_directory(
        d.obs_bucket_path.as_deref().unwrap_or(""),
        d.file_prefix.as_deref().unwrap_or(""),
        d.partition_format.as_deref().unwrap_or(""),
    );
    let parsed = t.read_back();
    let last_dump = match &parsed {
        Some(task) if task.processing_schema.is_some() => Some(view! {
            <span>"Each record goes to the directory of its own "<code>{task.processing_schema.as_ref().map(|s| s.timestamp_name.clone())}</code>" time."</span>
        }.into_any()),
        Some(task) => dump_directory(task, t.last_transfer_timestamp, zone).map(|dir| view! {
            <code class="object-path">{format!("{dir}/")}</code>
            <span class="hint">{format!(" (the dump's time on the {zone} clock)")}</span>
        }.into_any()),
        None => None,
    }
    .unwrap_or_else(|| view! { <span class="muted">"Nothing dumped yet."</span> }.into_any());
    let export = parsed
        .as_ref()
        .map(|task| super::request::export(task, target, Call::Create));
    let rows: Vec<(TaskPartition, PartitionLag)> = partitions
        .iter()
        .cloned()
        .zip(lags.iter().cloned())
        .collect();
    super::html(view! {
        <dl class="facts card">
            <dt>"Task ID"</dt><dd><code>{t.task_id.clone()}</code></dd>
            <dt>"Writes to"</dt><dd><code class="object-path">{path}"/"</code></dd>
            <dt>"Last dump went to"</dt><dd>{last_dump}</dd>
            <dt>"File type"</dt><dd>{d.destination_file_type.clone().unwrap_or_default()}</dd>
            <dt>"Dump interval"</dt><dd>{d.deliver_time_interval.map(|n| format!("{n} seconds")).unwrap_or_default()}</dd>
            <dt>"Start from"</dt><dd>{d.consumer_strategy.clone().unwrap_or_default()}</dd>
            <dt>"IAM agency"</dt><dd>{d.agency_name.clone().unwrap_or_default()}</dd>
            <dt>"Last dump"</dt><dd><Ago ms=t.last_transfer_timestamp/></dd>
            <dt>"Created"</dt><dd><Ago ms=t.create_time/></dd>
        </dl>
        <p class="health" class:bad={attention != Attention::Healthy}>
            {(attention != Attention::Healthy).then(|| view! {
                <span class="badge badge-bad">{attention.as_str()}</span>" "
            })}
            {format!("{}: {}.", attention.as_str(), health.reason)}
        </p>
        <dl class="facts card">
            <dt>"Records behind"</dt><dd>{thousands(health.behind)}</dd>
            <dt>"Discarded"</dt><dd>{thousands(health.discard)}</dd>
        </dl>
        <h2>"Partitions"</h2>
        <Table caption="Partitions" columns=columns(&["Partition", "State", "Sequence numbers", "Dumped up to", "Records behind", "Discarded", "Last dump"])>
            {rows.into_iter().map(|(p, l)| view! {
                <tr>
                    <td>{p.partition_id}</td>
                    <td>{p.state}</td>
                    <td>{l.range.map(|r| r.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                    <td class="num">{p.last_transfer_offset}</td>
                    <td class="num">{thousands(l.behind)}</td>
                    <td class="num">{p.discard}</td>
                    <td><Ago ms=p.last_transfer_timestamp/></td>
                </tr>
            }).collect_view()}
        </Table>
        // Folded: the snippets are long, and the Files panel follows them.
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">"Export"</h2>
            <details>
                <summary>"The request that creates this task, and curl, Python, Java and Go that send it"</summary>
                <div inner_html=export></div>
            </details>
        </section>
    })
}

//! The overview's body: counts, the stale warning, every task (those that need attention
//! first) after the operator's filter, the streams nothing dumps, and for admins the latest
//! audit lines.

use super::audit::AuditTable;
use crate::components::badge::StateBadge;
use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::health::{thousands, Attention};
use crate::domain::overview::{OverviewSnapshot, StateFilter};
use crate::domain::AuditEntry;
use leptos::prelude::*;

/// The overview at `now_ms`, its task list narrowed to `filter` and `name`.
pub fn overview(
    s: &OverviewSnapshot,
    filter: StateFilter,
    name: &str,
    recent: Option<Vec<AuditEntry>>,
    now_ms: i64,
) -> String {
    if s.read == 0 {
        return super::html(view! {
            <p class="muted" aria-busy="true">"The console is reading DIS for the first time. Refresh in a moment."</p>
        });
    }
    let counts = s.counts();
    let by_state = counts
        .by_state
        .iter()
        .map(|(state, n)| format!("{n} {}", state.as_str().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let stale = s.is_stale(now_ms).then(|| {
        let why = s.problem.as_ref().map_or_else(
            || "The console has not read DIS for a while.".to_owned(),
            |p| p.to_string(),
        );
        view! {
            <p role="alert" class="error banner">{why}" Showing what was read "<Ago ms=s.taken_ms/>"."</p>
        }
    });
    let shown: Vec<_> = s
        .tasks
        .iter()
        .filter(|t| t.matches(filter, name))
        .cloned()
        .collect();
    let undumped: Vec<_> = s.undumped().cloned().collect();
    let tasks = (!s.tasks.is_empty()).then(|| {
        let rows = if shown.is_empty() {
            view! { <p class="empty">"No dump task matches the filter."</p> }.into_any()
        } else {
            view! {
                <Table caption="Dump tasks, those that need attention first" columns=columns(&["Stream", "Task", "State", "Destination", "Records behind", "Last dump", "Discarded", "Why"])>
                    {shown.into_iter().map(|t| {
                        let attention = t.health.attention;
                        view! {
                            <tr class:attention={attention != Attention::Healthy}>
                                <td><a href=format!("/streams/{}", t.stream)>{t.stream.clone()}</a></td>
                                <td><a href=format!("/streams/{}/tasks/{}", t.stream, t.task)>{t.task.clone()}</a></td>
                                <td>
                                    <StateBadge state=t.state/>
                                    {(attention != Attention::Healthy).then(|| view! {
                                        " "<span class="badge badge-bad">{attention.as_str()}</span>
                                    })}
                                </td>
                                <td><code>{t.destination.clone().unwrap_or_default()}</code></td>
                                <td class="num">{thousands(t.health.behind)}</td>
                                <td><Ago ms=t.last_dump_ms/></td>
                                <td class="num">{thousands(t.health.discard)}</td>
                                <td>{t.health.reason.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </Table>
            }.into_any()
        };
        view! { <h2>"Dump tasks"</h2>{rows} }
    });
    super::html(view! {
        {stale}
        <p class="muted">"Read from DIS "<Ago ms=s.taken_ms/>{format!(" in {} calls; read again every {} s.", s.calls, s.refresh_seconds)}</p>
        <dl class="facts card counts">
            <dt>"Streams"</dt><dd>{counts.streams}</dd>
            <dt>"Dump tasks"</dt><dd>{counts.tasks}{(!by_state.is_empty()).then(|| format!(" ({by_state})"))}</dd>
            <dt>"Late"</dt><dd class:bad={counts.late > 0}>{counts.late}</dd>
            <dt>"Need attention"</dt><dd class:bad={counts.attention > 0}>{counts.attention}</dd>
        </dl>
        {s.streams.is_empty().then(|| view! {
            <p class="empty">"This project has no streams yet. Create one in DIS (its console or its API); it appears here at the next read."</p>
        })}
        {tasks}
        {(!undumped.is_empty()).then(|| view! {
            <h2>"Streams without dump tasks"</h2>
            <p class="muted">"Records that reach these streams are not dumped anywhere."</p>
            <Table caption="Streams without dump tasks" columns=columns(&["Stream", "Data type", "Partitions", "Records in the last hour"])>
                {undumped.into_iter().map(|s| view! {
                    <tr>
                        <td><a href=format!("/streams/{}", s.name)>{s.name.clone()}</a></td>
                        <td>{s.data_type}</td>
                        <td class="num">{s.partitions}</td>
                        <td class="num">{match (s.problem, s.recent_records) {
                            (Some(p), _) => p,
                            (None, Some(n)) => thousands(n),
                            (None, None) => "—".to_owned(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </Table>
        })}
        {recent.map(|list| view! {
            <section aria-labelledby="recent-heading">
                <h2 id="recent-heading">"Recent changes"</h2>
                <AuditTable caption="Recent changes" list/>
                <p><a href="/audit">"The whole audit log"</a></p>
            </section>
        })}
    })
}

//! Streams, a stream with its dump tasks, and a dump task, as DIS reports them.

use crate::api::streams::{get_dump_task, get_stream, list_streams};
use crate::domain::dis::TaskState;
use crate::domain::preview::object_directory;
use crate::domain::DateTime;
use crate::domain::ZoneOffset;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `yyyy-MM-dd HH:mm UTC` for epoch milliseconds; a dash for none.
fn when(ms: i64) -> String {
    if ms <= 0 {
        "—".into()
    } else {
        format!(
            "{} UTC",
            DateTime::from_epoch_ms(ms, ZoneOffset::UTC).to_minute_string()
        )
    }
}

#[component]
fn StateBadge(state: TaskState) -> impl IntoView {
    let class = match state {
        TaskState::Running => "badge badge-ok",
        TaskState::Paused => "badge badge-paused",
        TaskState::Starting => "badge badge-info",
        TaskState::Error | TaskState::Abnormal => "badge badge-bad",
        TaskState::Delete | TaskState::Unknown => "badge",
    };
    view! { <span class=class>{state.as_str()}</span> }
}

/// `/streams`.
#[component]
pub fn Streams() -> impl IntoView {
    let streams = Resource::new(|| (), |_| list_streams());
    view! {
        <Title text="Streams"/>
        <div class="page-head">
            <h1>"Streams"</h1>
            <a class="button primary" href="/add-task">"Add dump task"</a>
        </div>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading streams…"</p> }>
            {move || Suspend::new(async move {
                match streams.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"There are no streams."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table>
                                <caption class="visually-hidden">"Streams"</caption>
                                <thead><tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Data type"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Partitions"</th>
                                    <th scope="col">"Retention"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| view! {
                                        <tr>
                                            <td><a href=format!("/streams/{}", s.stream_name)>{s.stream_name.clone()}</a></td>
                                            <td>{s.data_type}</td>
                                            <td>{s.status}</td>
                                            <td>{s.partition_count}</td>
                                            <td>{format!("{} h", s.retention_period)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/streams/:stream`.
#[component]
pub fn Stream() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("stream").unwrap_or_default());
    let data = Resource::new(name, get_stream);
    view! {
        <Title text=move || name()/>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the stream…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let s = v.stream;
                        let add = format!("/streams/{}/add-task", s.stream_name);
                        let stream_name = s.stream_name.clone();
                        view! {
                            <div class="page-head">
                                <h1>{s.stream_name.clone()}</h1>
                                <a class="button primary" href=add>"Add dump task"</a>
                            </div>
                            <dl class="facts card">
                                <dt>"Data type"</dt><dd>{s.data_type().as_str()}</dd>
                                <dt>"Status"</dt><dd>{s.status}</dd>
                                <dt>"Partitions"</dt><dd>{s.partitions.len()}</dd>
                                <dt>"Retention"</dt><dd>{format!("{} h", s.retention_period)}</dd>
                            </dl>
                            <h2>"Dump tasks"</h2>
                            <p>{format!("{} of {} tasks used", v.tasks.len(), v.quota)}</p>
                            {if v.tasks.is_empty() {
                                view! { <p class="empty">"This stream has no dump tasks yet."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table>
                                            <caption class="visually-hidden">"Dump tasks"</caption>
                                            <thead><tr>
                                                <th scope="col">"Name"</th>
                                                <th scope="col">"State"</th>
                                                <th scope="col">"Destination"</th>
                                                <th scope="col">"Last dump"</th>
                                                <th scope="col">"Created"</th>
                                            </tr></thead>
                                            <tbody>
                                                {v.tasks.into_iter().map(|t| view! {
                                                    <tr>
                                                        <td><a href=format!("/streams/{}/tasks/{}", stream_name, t.task_name)>{t.task_name.clone()}</a></td>
                                                        <td><StateBadge state=t.state/></td>
                                                        <td>{t.destination_type}</td>
                                                        <td>{when(t.last_transfer_timestamp)}</td>
                                                        <td>{when(t.create_time)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/streams/:stream/tasks/:task`.
#[component]
pub fn Task() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (
                p.get("stream").unwrap_or_default(),
                p.get("task").unwrap_or_default(),
            )
        })
    };
    let data = Resource::new(key, |(s, t)| get_dump_task(s, t));
    view! {
        <Title text=move || key().1/>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the dump task…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => {
                        let d = t.obs_destination_description.clone().unwrap_or_default();
                        let path = object_directory(
                            d.obs_bucket_path.as_deref().unwrap_or(""),
                            d.file_prefix.as_deref().unwrap_or(""),
                            d.partition_format.as_deref().unwrap_or(""),
                        );
                        let stream_href = format!("/streams/{}", t.stream_name);
                        view! {
                            <p class="context"><a href=stream_href>{t.stream_name.clone()}</a></p>
                            <div class="page-head">
                                <h1>{t.task_name.clone()}</h1>
                                <StateBadge state=t.state/>
                            </div>
                            <dl class="facts card">
                                <dt>"Writes to"</dt><dd><code class="object-path">{path}"/"</code></dd>
                                <dt>"File type"</dt><dd>{d.destination_file_type.clone().unwrap_or_default()}</dd>
                                <dt>"Dump interval"</dt><dd>{d.deliver_time_interval.map(|n| format!("{n} seconds")).unwrap_or_default()}</dd>
                                <dt>"Start from"</dt><dd>{d.consumer_strategy.clone().unwrap_or_default()}</dd>
                                <dt>"IAM agency"</dt><dd>{d.agency_name.clone().unwrap_or_default()}</dd>
                                <dt>"Last dump"</dt><dd>{when(t.last_transfer_timestamp)}</dd>
                                <dt>"Created"</dt><dd>{when(t.create_time)}</dd>
                            </dl>
                            <h2>"Partitions"</h2>
                            <div class="table-wrap">
                                <table>
                                    <caption class="visually-hidden">"Partitions"</caption>
                                    <thead><tr>
                                        <th scope="col">"Partition"</th>
                                        <th scope="col">"State"</th>
                                        <th scope="col">"Offset"</th>
                                        <th scope="col">"Discarded"</th>
                                        <th scope="col">"Last dump"</th>
                                    </tr></thead>
                                    <tbody>
                                        {t.partitions.into_iter().map(|p| view! {
                                            <tr>
                                                <td>{p.partition_id}</td>
                                                <td>{p.state}</td>
                                                <td>{p.last_transfer_offset}</td>
                                                <td>{p.discard}</td>
                                                <td>{when(p.last_transfer_timestamp)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! Streams, a stream with its dump tasks, and a dump task, as DIS reports them.

use crate::api::access::Role;
use crate::api::status::{get_console_status, ConsoleStatus};
use crate::api::streams::{
    get_dump_task, get_stream, list_stream_page, send_test_records, StreamPage, STREAM_PAGE_SIZES,
};
use crate::api::tasks::{delete_dump_task, set_task_state};
use crate::components::session::{allows, my_role};
use crate::components::time::Ago;
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::dis::{TaskAction, TaskDetails, TaskState, MAX_STREAM_FILTER};
use crate::domain::export::{self, ExportTarget};
use crate::domain::preview::{dump_directory, object_directory};
use crate::domain::{DataType, DumpTask, StreamName, ZoneOffset};
use crate::pages::wizard::Snippet;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

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

/// A streams-list URL: `/streams?after=…&limit=…&q=…`, leaving out what is at its default.
fn streams_href(after: &str, limit: u32, filter: &str) -> String {
    let limit = (limit != STREAM_PAGE_SIZES[0]).then(|| limit.to_string());
    let query: Vec<String> = [
        ("after", Some(after)),
        ("limit", limit.as_deref()),
        ("q", Some(filter)),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.filter(|v| !v.is_empty()).map(|v| (key, v)))
    .map(|(key, value)| format!("{key}={}", crate::url::percent_encode(value, b"")))
    .collect();
    if query.is_empty() {
        "/streams".to_owned()
    } else {
        format!("/streams?{}", query.join("&"))
    }
}

/// `/streams`: one page of DIS's streams at a time, filtered by name; the page, its size and
/// the filter live in the URL, so a link shares them and the back button returns to them.
#[component]
pub fn Streams() -> impl IntoView {
    let query = use_query_map();
    let after = move || query.with(|q| q.get("after").unwrap_or_default());
    let limit = move || {
        query.with(|q| {
            q.get("limit")
                .and_then(|l| l.parse::<u32>().ok())
                .unwrap_or(STREAM_PAGE_SIZES[0])
        })
    };
    let filter = move || query.with(|q| q.get("q").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let page = Resource::new(
        move || (after(), limit(), filter(), version.get()),
        |(after, limit, filter, _)| {
            list_stream_page((!after.is_empty()).then_some(after), limit, filter)
        },
    );
    let typed = RwSignal::new(filter());
    let navigate = use_navigate();
    let replace = NavigateOptions {
        replace: true,
        scroll: false,
        ..NavigateOptions::default()
    };
    let on_filter = {
        let (navigate, replace) = (navigate.clone(), replace.clone());
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            typed.set(value.clone());
            navigate(&streams_href("", limit(), value.trim()), replace.clone());
        }
    };
    let on_limit = move |ev: leptos::ev::Event| {
        let size = event_target_value(&ev)
            .parse()
            .unwrap_or(STREAM_PAGE_SIZES[0]);
        navigate(&streams_href("", size, &filter()), replace.clone());
    };
    view! {
        <Title text="Streams"/>
        <div class="page-head">
            <h1>"Streams"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    allows(my_role().await, Role::Operator)
                        .then(|| view! { <a class="button primary" href="/add-task">"Add dump task"</a> })
                })}
            </Transition>
        </div>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="stream-filter">"Filter by name"</label>
                <input id="stream-filter" type="search" autocomplete="off" spellcheck="false"
                    maxlength=MAX_STREAM_FILTER.to_string()
                    prop:value=move || typed.get() on:input=on_filter/>
            </div>
            <div class="field">
                <label for="stream-page-size">"Rows per page"</label>
                <select id="stream-page-size" on:change=on_limit>
                    {STREAM_PAGE_SIZES.into_iter().map(|n| view! {
                        <option value=n.to_string() selected=move || limit() == n>{n}</option>
                    }).collect_view()}
                </select>
            </div>
        </form>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading streams…"</p> }>
            {move || Suspend::new(async move {
                let (after, limit, filter) = (after(), limit(), filter());
                match page.await {
                    Ok(p) => view! { <StreamTable p after limit filter/> }.into_any(),
                    Err(e) => view! {
                        <div role="alert" class="error banner">
                            <p>{e.to_string()}</p>
                            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"Try again"</button>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StreamTable(p: StreamPage, after: String, limit: u32, filter: String) -> impl IntoView {
    let first_page = (!after.is_empty()).then(|| streams_href("", limit, &filter));
    let next_page = p.next.as_deref().map(|n| streams_href(n, limit, &filter));
    let summary = if filter.is_empty() {
        format!("{} stream(s) in this project.", p.total)
    } else {
        format!(
            "{} stream(s) on this page contain “{}”.",
            p.streams.len(),
            filter
        )
    };
    let empty = match (p.streams.is_empty(), filter.is_empty(), after.is_empty()) {
        (false, ..) => None,
        (true, false, _) => Some(format!("No stream name contains “{filter}”{}.", if after.is_empty() { "" } else { " after this point" })),
        (true, true, false) => Some("There are no more streams.".to_owned()),
        (true, true, true) => Some(
            "This project has no streams yet. Streams are created in the DIS console or through its API; they appear here as soon as they exist.".to_owned(),
        ),
    };
    let clear = (!filter.is_empty()).then(|| streams_href("", limit, ""));
    view! {
        <p class="muted" aria-live="polite">{summary}</p>
        {match empty {
            Some(text) => view! {
                <div class="empty">
                    <p>{text}</p>
                    {clear.map(|href| view! { <a href=href>"Clear the filter"</a> })}
                </div>
            }.into_any(),
            None => view! {
                <div class="table-wrap">
                    <table>
                        <caption class="visually-hidden">"Streams"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Data type"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Partitions"</th>
                            <th scope="col">"Retention"</th>
                            <th scope="col">"Created"</th>
                        </tr></thead>
                        <tbody>
                            {p.streams.into_iter().map(|s| view! {
                                <tr>
                                    <td><a href=format!("/streams/{}", s.stream_name)>{s.stream_name.clone()}</a></td>
                                    <td>{s.data_type}</td>
                                    <td>{s.status}</td>
                                    <td>{s.partition_count}</td>
                                    <td>{format!("{} h", s.retention_period)}</td>
                                    <td><Ago ms=s.create_time/></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        }}
        <nav class="pager" aria-label="Stream pages">
            {first_page.map(|href| view! { <a class="button" href=href>"First page"</a> })}
            {next_page.map(|href| view! { <a class="button" href=href>"Next page"</a> })}
        </nav>
    }
}

/// How often a stream's page asks DIS again while the tab is visible.
#[cfg(feature = "hydrate")]
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// `/streams/:stream`.
#[component]
pub fn Stream() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("stream").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || (name(), version.get()), |(n, _)| get_stream(n));
    // In the browser: refresh every few seconds while the tab is visible.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let handle = set_interval_with_handle(
                move || {
                    let visible =
                        document().visibility_state() == web_sys::VisibilityState::Visible;
                    if visible {
                        version.update(|v| *v += 1);
                    }
                },
                REFRESH_EVERY,
            );
            if let Ok(handle) = handle {
                on_cleanup(move || handle.clear());
            }
        }
    });
    view! {
        <Title text=move || name()/>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading the stream…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let role = my_role().await;
                        view! { <StreamView v version role/> }.into_any()
                    }
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StreamView(
    v: crate::api::streams::StreamView,
    version: RwSignal<u32>,
    role: Option<Role>,
) -> impl IntoView {
    // What the role cannot do is not offered (the server refuses it regardless).
    let can_change = allows(role, Role::Operator);
    let s = v.stream;
    let add = format!("/streams/{}/add-task", s.stream_name);
    let stream_name = s.stream_name.clone();
    let selected = RwSignal::new(std::collections::BTreeSet::<String>::new());
    // What is running, for the progress line; `None` when idle.
    let busy = RwSignal::new(None::<&'static str>);
    let problem = RwSignal::new(None::<String>);
    let toasts = use_toasts();
    let batch = {
        let stream = stream_name.clone();
        move |action: TaskAction| {
            let ids: Vec<String> = selected.get_untracked().into_iter().collect();
            if ids.is_empty() {
                return;
            }
            let stream = stream.clone();
            busy.set(Some(if action == TaskAction::Start {
                "Starting the selected tasks…"
            } else {
                "Pausing the selected tasks…"
            }));
            problem.set(None);
            leptos::task::spawn_local(async move {
                let count = ids.len();
                let result = set_task_state(stream, ids, action).await;
                busy.set(None);
                match result {
                    Ok(()) => {
                        let verb = if action == TaskAction::Start {
                            "started"
                        } else {
                            "paused"
                        };
                        toasts.push(ToastKind::Success, format!("{count} dump task(s) {verb}."));
                        selected.set(Default::default());
                        version.update(|v| *v += 1);
                    }
                    Err(e) => problem.set(Some(e.to_string())),
                }
            });
        }
    };
    let start_selected = {
        let batch = batch.clone();
        move |_| batch(TaskAction::Start)
    };
    let pause_selected = move |_| batch(TaskAction::Stop);
    let none_selected = move || selected.with(|s| s.is_empty()) || busy.get().is_some();
    let tasks = v.tasks;
    view! {
        <div class="page-head">
            <h1>{s.stream_name.clone()}</h1>
            <div class="actions">
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
                {can_change.then(|| view! { <a class="button primary" href=add>"Add dump task"</a> })}
            </div>
        </div>
        <dl class="facts card">
            <dt>"Data type"</dt><dd>{s.data_type().as_str()}</dd>
            <dt>"Status"</dt><dd>{s.status.clone()}</dd>
            <dt>"Partitions"</dt><dd>{s.partitions.len()}</dd>
            <dt>"Retention"</dt><dd>{format!("{} h", s.retention_period)}</dd>
        </dl>
        <h2>"Dump tasks"</h2>
        <p>{format!("{} of {} tasks used", tasks.len(), v.quota)}</p>
        <p class="progress muted" aria-live="polite">{move || busy.get()}</p>
        {move || problem.get().map(|p| view! { <p role="alert" class="error banner">{p}</p> })}
        {if tasks.is_empty() {
            view! { <p class="empty">"This stream has no dump tasks yet."</p> }.into_any()
        } else {
            view! {
                {can_change.then(|| view! {
                    <div class="actions" role="group" aria-label="Selected tasks">
                        <button type="button" on:click=start_selected disabled=none_selected>"Start selected"</button>
                        <button type="button" on:click=pause_selected disabled=none_selected>"Pause selected"</button>
                    </div>
                })}
                <div class="table-wrap">
                    <table>
                        <caption class="visually-hidden">"Dump tasks"</caption>
                        <thead><tr>
                            {can_change.then(|| view! { <th scope="col"><span class="visually-hidden">"Select"</span></th> })}
                            <th scope="col">"Name"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Destination"</th>
                            <th scope="col">"Interval"</th>
                            <th scope="col">"Last dump"</th>
                            <th scope="col">"Created"</th>
                        </tr></thead>
                        <tbody>
                            {tasks.into_iter().map(|row| {
                                let t = row.summary;
                                let id = t.task_id.clone();
                                let id_for_check = t.task_id.clone();
                                view! {
                                    <tr>
                                        {can_change.then(|| view! { <td>
                                            <input
                                                type="checkbox"
                                                aria-label=format!("Select {}", t.task_name)
                                                prop:checked=move || selected.with(|s| s.contains(&id_for_check))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    let id = id.clone();
                                                    selected.update(|s| {
                                                        if on { s.insert(id); } else { s.remove(&id); }
                                                    });
                                                }
                                            />
                                        </td> })}
                                        <td><a href=format!("/streams/{}/tasks/{}", stream_name, t.task_name)>{t.task_name.clone()}</a></td>
                                        <td><StateBadge state=t.state/></td>
                                        <td>{match row.destination {
                                            Some(d) => view! { <code>{format!("{} → {d}/", t.destination_type)}</code> }.into_any(),
                                            None => view! { <span>{t.destination_type}</span> }.into_any(),
                                        }}</td>
                                        <td>{row.interval_seconds.map(|n| format!("{n} s")).unwrap_or_else(|| "—".into())}</td>
                                        <td><Ago ms=t.last_transfer_timestamp/></td>
                                        <td><Ago ms=t.create_time/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {can_change.then(|| view! { <TestRecords stream=s.stream_name.clone() data_type=s.data_type()/> })}
    }
}

/// Puts a few records into the stream, so a new task has something to dump.
#[component]
fn TestRecords(stream: String, data_type: DataType) -> impl IntoView {
    let lines = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<u64, String>>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let stream = stream.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = send_test_records(stream, lines.get_untracked()).await;
            busy.set(false);
            result.set(Some(r.map_err(|e| e.to_string())));
        });
    };
    let hint = match data_type {
        DataType::Json => "One JSON record a line. Leave empty to send five records with a \"ts\" in epoch milliseconds.",
        DataType::Csv => "One CSV line a record. Leave empty to send five generated lines.",
        DataType::Blob => "One record a line. Leave empty to send five generated records.",
    };
    view! {
        <section class="card" aria-labelledby="test-records-heading">
            <h2 id="test-records-heading">"Send test records"</h2>
            <form on:submit=send>
                <div class="field">
                    <label for="test-records">"Records"</label>
                    <textarea id="test-records" rows="3" spellcheck="false" aria-describedby="test-records-hint"
                        prop:value=move || lines.get()
                        on:input=move |ev| lines.set(event_target_value(&ev))></textarea>
                    <p class="hint" id="test-records-hint">{hint}</p>
                </div>
                <button type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Sending…" } else { "Send records" }}
                </button>
            </form>
            <div aria-live="polite">
                {move || result.get().map(|r| match r {
                    Ok(n) => view! { <p class="ok">{format!("DIS accepted {n} record(s).")}</p> }.into_any(),
                    Err(e) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
                })}
            </div>
        </section>
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
    // Bumped after every change, so the page shows DIS's state again.
    let version = RwSignal::new(0u32);
    let data = Resource::new(
        move || (key(), version.get()),
        |((s, t), _)| get_dump_task(s, t),
    );
    let status = Resource::new(|| (), |_| get_console_status());
    view! {
        <Title text=move || key().1/>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading the dump task…"</p> }>
            {move || Suspend::new(async move {
                match (data.await, status.await) {
                    (Ok(t), Ok(status)) => {
                        let role = my_role().await;
                        view! { <TaskDetailsView t status version role/> }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskDetailsView(
    t: TaskDetails,
    status: ConsoleStatus,
    version: RwSignal<u32>,
    role: Option<Role>,
) -> impl IntoView {
    let (can_change, can_delete) = (allows(role, Role::Operator), allows(role, Role::Admin));
    let d = t.obs_destination_description.clone().unwrap_or_default();
    let path = object_directory(
        d.obs_bucket_path.as_deref().unwrap_or(""),
        d.file_prefix.as_deref().unwrap_or(""),
        d.partition_format.as_deref().unwrap_or(""),
    );
    let stream_href = format!("/streams/{}", t.stream_name);
    let clone_href = format!("/streams/{}/add-task?clone={}", t.stream_name, t.task_name);
    let toasts = use_toasts();
    let navigate = use_navigate();
    // What is running, for the progress line; `None` when idle.
    let busy = RwSignal::new(None::<&'static str>);
    let problem = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let stream = t.stream_name.clone();
    let name = t.task_name.clone();
    let id = t.task_id.clone();
    let state = t.state;

    let change = {
        let (stream, name, id) = (stream.clone(), name.clone(), id.clone());
        move |action: TaskAction| {
            let (stream, name, id) = (stream.clone(), name.clone(), id.clone());
            busy.set(Some(if action == TaskAction::Start {
                "Starting…"
            } else {
                "Pausing…"
            }));
            problem.set(None);
            leptos::task::spawn_local(async move {
                let result = set_task_state(stream, vec![id], action).await;
                busy.set(None);
                match result {
                    Ok(()) => {
                        let verb = if action == TaskAction::Start {
                            "started"
                        } else {
                            "paused"
                        };
                        toasts.push(ToastKind::Success, format!("Dump task {name} {verb}."));
                        version.update(|v| *v += 1);
                    }
                    Err(e) => problem.set(Some(e.to_string())),
                }
            });
        }
    };
    let delete = {
        let (stream, name) = (stream.clone(), name.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (stream, name, confirm) = (stream.clone(), name.clone(), typed.get_untracked());
            let navigate = navigate.clone();
            busy.set(Some("Deleting…"));
            problem.set(None);
            leptos::task::spawn_local(async move {
                let result = delete_dump_task(stream.clone(), name.clone(), confirm).await;
                busy.set(None);
                match result {
                    Ok(()) => {
                        toasts.push(ToastKind::Success, format!("Dump task {name} deleted."));
                        navigate(&format!("/streams/{stream}"), NavigateOptions::default());
                    }
                    Err(e) => problem.set(Some(e.to_string())),
                }
            });
        }
    };
    let start = {
        let change = change.clone();
        move |_| change(TaskAction::Start)
    };
    let pause = move |_| change(TaskAction::Stop);
    // DIS reports the descriptor; read it with the shared rules (the stream's data type does
    // not matter for reading a task back).
    let parsed = t
        .obs_destination_description
        .as_ref()
        .and_then(|d| DumpTask::from_descriptor(d, DataType::Json).ok());
    let zone = ZoneOffset::from_minutes(status.time_zone_minutes).unwrap_or(ZoneOffset::UTC);
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
    let snippets = parsed
        .zip(StreamName::parse(&t.stream_name).ok())
        .map(|(task, stream)| {
            let target = ExportTarget {
                endpoint: status.export.endpoint.clone(),
                region: status.export.region.clone(),
                project_id: status.export.project_id.clone(),
                stream,
            };
            vec![
                ("Request JSON", export::request_json(&task)),
                ("curl", export::curl(&task, &target)),
                ("Python SDK", export::python(&task, &target)),
                ("Java SDK", export::java(&task, &target)),
                ("Go SDK", export::go(&task, &target)),
            ]
        })
        .unwrap_or_default();
    let confirm_name = name.clone();
    view! {
        <p class="context"><a href=stream_href>{t.stream_name.clone()}</a></p>
        <div class="page-head">
            <h1>{t.task_name.clone()}</h1>
            <StateBadge state=t.state/>
        </div>
        <div class="actions" role="group" aria-label="Task actions">
            {(can_change && state != TaskState::Running).then(|| view! {
                <button type="button" on:click=start.clone() disabled=move || busy.get().is_some()>"Start"</button>
            })}
            {(can_change && state == TaskState::Running).then(|| view! {
                <button type="button" on:click=pause.clone() disabled=move || busy.get().is_some()>"Pause"</button>
            })}
            {can_change.then(|| view! { <a class="button" href=clone_href>"Clone"</a> })}
            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
            {can_delete.then(|| view! {
                <button type="button" class="danger" on:click=move |_| confirming.set(true) disabled=move || busy.get().is_some()>"Delete"</button>
            })}
        </div>
        <p class="progress muted" aria-live="polite">{move || busy.get()}</p>
        {move || problem.get().map(|p| view! { <p role="alert" class="error banner">{p}</p> })}
        <Show when=move || confirming.get()>
            <form class="card confirm" on:submit=delete.clone()>
                <div class="field">
                    <label for="confirm-delete">{format!("Type {} to delete this task", confirm_name)}</label>
                    <input id="confirm-delete" type="text" autocomplete="off"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="danger" disabled=move || busy.get().is_some()>"Delete dump task"</button>
                <button type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
            </form>
        </Show>
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
                            <td><Ago ms=p.last_transfer_timestamp/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">"Export"</h2>
            {snippets.into_iter().map(|(title, text)| view! { <Snippet title text/> }).collect_view()}
        </section>
    }
}

//! `/streams/:stream`: a stream with its dump tasks, refreshed while the tab is visible, with
//! batch start and pause and test records.

use crate::api::streams::{get_stream, send_test_records, StreamView};
use crate::api::tasks::set_task_state;
use crate::components::action::Pending;
use crate::components::badge::StateBadge;
use crate::components::files::StreamFiles;
use crate::components::notes::{ErrorNote, Problem};
use crate::components::session::{allows, my_role, role_now};
use crate::components::table::{columns, Column, Table};
use crate::components::time::Ago;
use crate::components::toast::{use_toasts, ToastKind};
use crate::components::traffic::Traffic;
use crate::domain::dis::TaskAction;
use crate::domain::{DataType, Role};
use crate::pages::stream_manage::{ManageStream, StreamEdits};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// How often a stream's page asks DIS again while the tab is visible.
#[cfg(feature = "hydrate")]
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// `/streams/:stream`.
#[component]
pub fn Stream() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("stream").unwrap_or_default());
    let version = RwSignal::new(0u32);
    // The charts are read again only when asked (Refresh, records sent), not every few seconds.
    let traffic_version = RwSignal::new(0u64);
    let chart_partition = RwSignal::new(None::<String>);
    // What the operator types or ticks lives here, above the part each refresh renders anew,
    // so a refresh loses none of it.
    let edits = StreamEdits::new();
    let data = Resource::new(move || (name(), version.get()), |(n, _)| get_stream(n));
    // The forms that change the stream are made again only when what they start from changes
    // (its settings, its partitions or its tasks' count), not at each refresh. They are the
    // browser's alone: the server renders the page without them; they appear once hydrated.
    let hydrated = RwSignal::new(false);
    let manage = Memo::new(move |_| {
        let v = data.get()?.ok().filter(|_| hydrated.get())?;
        let role = role_now();
        allows(role, Role::Operator).then_some((
            v.draft,
            v.writable_partitions,
            v.tasks.len(),
            role,
        ))
    });
    // In the browser: refresh every few seconds while the tab is visible.
    Effect::new(move |_| {
        hydrated.set(true);
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
    // Made before the stream's part, which waits (see `Traffic`).
    let traffic = view! {
        <Traffic stream=Signal::derive(name) heading="Traffic".to_owned() version=traffic_version/>
    };
    let files = view! { <StreamFiles stream=Signal::derive(name) version=traffic_version/> };
    view! {
        <Title text=move || name()/>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading the stream…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let role = my_role().await;
                        view! { <StreamView v version traffic_version chart_partition role edits/> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        {move || manage.get().map(|(draft, current, tasks, role)| view! {
            <ManageStream draft current tasks role edits reread=version/>
        })}
        {files}
        {traffic}
        {move || chart_partition.get().map(|p| view! {
            <Traffic stream=name() heading=format!("Traffic of partition {p}") partition=p version=traffic_version/>
        })}
    }
}

#[component]
fn StreamView(
    v: StreamView,
    version: RwSignal<u32>,
    traffic_version: RwSignal<u64>,
    chart_partition: RwSignal<Option<String>>,
    role: Option<Role>,
    edits: StreamEdits,
) -> impl IntoView {
    let selected = edits.selected;
    // What the role cannot do is not offered (the server refuses it regardless).
    let can_change = allows(role, Role::Operator);
    let data_type = v.data_type();
    let s = v.draft;
    let add = format!("/streams/{}/add-task", s.stream_name);
    let stream_name = s.stream_name.clone();
    let pending = Pending::new();
    let toasts = use_toasts();
    let batch = {
        let stream = stream_name.clone();
        move |action: TaskAction| {
            let ids = selected.get_untracked();
            if ids.is_empty() {
                return;
            }
            let count = ids.len();
            let progress = if action == TaskAction::Start {
                "Starting the selected tasks…"
            } else {
                "Pausing the selected tasks…"
            };
            let work = set_task_state(stream.clone(), ids, action);
            pending.run(progress, work, move |()| {
                let verb = action.done();
                toasts.push(ToastKind::Success, format!("{count} dump task(s) {verb}."));
                selected.set(Default::default());
                version.update(|v| *v += 1);
            });
        }
    };
    let start_selected = {
        let batch = batch.clone();
        move |_| batch(TaskAction::Start)
    };
    let pause_selected = move |_| batch(TaskAction::Stop);
    let none_selected = move || selected.with(|s| s.is_empty()) || pending.running();
    let tasks = v.tasks;
    let partition_ids = v.partition_ids;
    let partitions = partition_ids.len();
    view! {
        <div class="page-head">
            <h1>{s.stream_name.clone()}</h1>
            <div class="actions">
                <button type="button" on:click=move |_| {
                    version.update(|v| *v += 1);
                    traffic_version.update(|v| *v += 1);
                }>"Refresh"</button>
                {can_change.then(|| view! { <a class="button primary" href=add>"Add dump task"</a> })}
            </div>
        </div>
        <dl class="facts card">
            <dt>"Data type"</dt><dd>{data_type.as_str()}</dd>
            <dt>"Status"</dt><dd>{v.status}</dd>
            <dt>"Partitions"</dt><dd>{partitions}</dd>
            <dt>"Retention"</dt><dd>{format!("{} h", s.retention)}</dd>
        </dl>
        <h2>"Dump tasks"</h2>
        <p>{format!("{} of {} tasks used", tasks.len(), v.quota)}</p>
        <p class="progress muted" aria-live="polite">{move || pending.busy.get()}</p>
        <Problem problem=pending.problem/>
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
                <Table caption="Dump tasks" columns=task_columns(can_change)>
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
                                                        s.retain(|x| *x != id);
                                                        if on { s.push(id); }
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
                                        <td>{row.behind.unwrap_or_else(|| "—".to_owned())}</td>
                                        <td><Ago ms=t.create_time/></td>
                                    </tr>
                                }
                            }).collect_view()}
                </Table>
            }.into_any()
        }}
        <h2>"Partitions"</h2>
        <div inner_html=v.partitions></div>
        <div class="field">
            <label for="partition-chart">"Chart a partition"</label>
            <select id="partition-chart" on:change=move |ev| {
                let id = event_target_value(&ev);
                chart_partition.set((!id.is_empty()).then_some(id));
            }>
                <option value="" selected=move || chart_partition.get().is_none()>"None"</option>
                {partition_ids.into_iter().map(|id| {
                    let (chosen, value) = (id.clone(), id.clone());
                    view! {
                        <option value=value selected=move || chart_partition.get().as_ref() == Some(&chosen)>{id}</option>
                    }
                }).collect_view()}
            </select>
        </div>
        <div inner_html=v.consumers></div>
        <div inner_html=v.settings></div>
        {can_change.then(|| view! { <TestRecords stream=s.stream_name.clone() data_type sent=traffic_version lines=edits.test_lines/> })}
    }
}

/// Puts a few records into the stream, so a new task has something to dump.
#[component]
fn TestRecords(
    stream: String,
    data_type: DataType,
    sent: RwSignal<u64>,
    lines: RwSignal<String>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<u64, String>>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let stream = stream.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = send_test_records(stream, lines.get_untracked()).await;
            busy.set(false);
            if r.is_ok() {
                sent.update(|v| *v += 1);
            }
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
                    Err(e) => view! { <ErrorNote message=e/> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// The tasks table's columns: a hidden one for the checkboxes when the role may change tasks.
fn task_columns(can_change: bool) -> Vec<Column> {
    let select = can_change.then(|| Column::hidden("Select"));
    select
        .into_iter()
        .chain(columns(&[
            "Name",
            "State",
            "Destination",
            "Interval",
            "Last dump",
            "Records behind",
            "Created",
        ]))
        .collect()
}

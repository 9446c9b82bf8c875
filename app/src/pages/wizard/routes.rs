//! The wizard's routes: `/streams/:stream/add-task` (with `?clone=task` to start from a copy),
//! `/streams/:stream/tasks/:task/modify`, and `/add-task`, which asks for the stream first.

use super::flow::Wizard;
use super::state::{reported_draft, Mode};
use crate::api::status::get_console_status;
use crate::api::streams::{get_dump_task, get_stream, list_streams};
use crate::components::notes::ErrorNote;
use crate::components::session::{allows, my_role};
use crate::domain::{Role, TaskDraft};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

/// `/streams/:stream/add-task`, and `?clone=task` to start from a copy of a task.
#[component]
pub fn AddTask() -> impl IntoView {
    task_form(false)
}

/// `/streams/:stream/tasks/:task/modify`: the wizard filled with the task's settings as DIS
/// reports them, its name and start position fixed.
#[component]
pub fn ModifyTask() -> impl IntoView {
    task_form(true)
}

/// The wizard for a new task, a copy or a modify, once the stream and the task it starts from
/// are read.
fn task_form(modify: bool) -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let stream = move || params.with(|p| p.get("stream").unwrap_or_default());
    let source_task = move || {
        if modify {
            params.with(|p| p.get("task"))
        } else {
            query.with(|q| q.get("clone"))
        }
    };
    let view_data = Resource::new(stream, get_stream);
    let status = Resource::new(|| (), |_| get_console_status());
    // A copy or a modify starts from the task's settings as DIS reports them.
    let source = Resource::new(
        move || (stream(), source_task()),
        |(stream, task)| async move {
            match task {
                Some(task) => get_dump_task(stream, task).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let title = if modify {
        "Modify dump task"
    } else {
        "Add dump task"
    };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the stream…"</p> }>
            {move || Suspend::new(async move {
                // The server refuses viewers too; the page says so before anything is typed.
                let role = my_role().await;
                if !allows(role, Role::Operator) {
                    let role = role.map_or("none", Role::as_str);
                    return view! {
                        <ErrorNote message=format!("Your role, {role}, cannot change dump tasks: it needs operator.")/>
                    }
                    .into_any();
                }
                match (view_data.await, status.await, source.await) {
                    (Ok(v), Ok(status), Ok(source)) => {
                        let data_type = v.data_type();
                        let stream = v.stream_name().to_owned();
                        let read = source.map(|t| (reported_draft(&t, data_type), t.task_name));
                        match read {
                            None => view! { <Wizard stream data_type status mode=Mode::New initial=TaskDraft::default()/> }.into_any(),
                            Some((Ok(draft), task)) if modify => view! { <Wizard stream data_type status mode=Mode::Modify(task) initial=draft/> }.into_any(),
                            // A copy takes everything but the name.
                            Some((Ok(draft), task)) => {
                                let initial = TaskDraft { task_name: String::new(), ..draft };
                                view! { <Wizard stream data_type status mode=Mode::Clone(task) initial/> }.into_any()
                            }
                            Some((Err(e), _)) => view! { <ErrorNote message=e/> }.into_any(),
                        }
                    }
                    (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! {
                        <ErrorNote message=e.to_string()/>
                        <p><a href="/streams">"Back to the streams"</a></p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/add-task`: asks for the stream first.
#[component]
pub fn PickStream() -> impl IntoView {
    let streams = Resource::new(|| (), |_| list_streams());
    let navigate = use_navigate();
    let chosen = RwSignal::new(String::new());
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = chosen.get();
        if !s.is_empty() {
            navigate(
                &format!("/streams/{s}/add-task"),
                NavigateOptions::default(),
            );
        }
    };
    view! {
        <Title text="Add dump task"/>
        <h1>"Add dump task"</h1>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading streams…"</p> }>
            {move || {
                let go = go.clone();
                Suspend::new(async move {
                match streams.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"There are no streams. Create one in DIS first."</p>
                    }.into_any(),
                    Ok(list) => {
                        if chosen.get_untracked().is_empty() {
                            chosen.set(list[0].stream_name.clone());
                        }
                        let options = list
                            .into_iter()
                            .map(|s| {
                                let label = format!("{} ({})", s.stream_name, s.data_type);
                                view! { <option value=s.stream_name.clone()>{label}</option> }
                            })
                            .collect_view();
                        view! {
                            <form class="card" on:submit=go>
                                <div class="field">
                                    <label for="pick-stream">"Stream"</label>
                                    <select id="pick-stream" on:change=move |ev| chosen.set(event_target_value(&ev))>
                                        {options}
                                    </select>
                                </div>
                                <button type="submit" class="primary">"Continue"</button>
                            </form>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

//! The wizard's two routes: `/streams/:stream/add-task` (with `?clone=task` to start from a
//! copy) and `/add-task`, which asks for the stream first.

use super::flow::Wizard;
use crate::api::status::get_console_status;
use crate::api::streams::{get_dump_task, get_stream, list_streams};
use crate::components::notes::ErrorNote;
use crate::domain::{DumpTask, TaskDraft};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

/// `/streams/:stream/add-task`.
#[component]
pub fn AddTask() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let stream = move || params.with(|p| p.get("stream").unwrap_or_default());
    let clone_of = move || query.with(|q| q.get("clone"));
    let view_data = Resource::new(stream, get_stream);
    let status = Resource::new(|| (), |_| get_console_status());
    // Cloning starts from the source task's settings as DIS reports them, with the name cleared.
    let source = Resource::new(
        move || (stream(), clone_of()),
        |(stream, clone)| async move {
            match clone {
                Some(task) => get_dump_task(stream, task).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Add dump task"/>
        <h1>"Add dump task"</h1>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the stream…"</p> }>
            {move || Suspend::new(async move {
                match (view_data.await, status.await, source.await) {
                    (Ok(v), Ok(status), Ok(source)) => {
                        let data_type = v.stream.data_type();
                        let initial = source.map(|t| {
                            let draft = t
                                .obs_destination_description
                                .as_ref()
                                .and_then(|d| DumpTask::from_descriptor(d, data_type).ok())
                                .map(|task| task.to_draft())
                                .unwrap_or_default();
                            (t.task_name, TaskDraft { task_name: String::new(), ..draft })
                        });
                        view! { <Wizard stream=v.stream.stream_name.clone() data_type status initial/> }.into_any()
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

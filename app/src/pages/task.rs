//! `/streams/:stream/tasks/:task`: one dump task, where it writes, its partitions and its export
//! (the server renders them), and start, pause, modify, clone and delete.

use crate::api::parts::Part;
use crate::api::streams::get_dump_task;
use crate::api::tasks::{delete_dump_task, set_task_state};
use crate::components::action::Pending;
use crate::components::badge::StateBadge;
use crate::components::browser;
use crate::components::files::TaskFiles;
use crate::components::notes::{ErrorNote, Problem};
use crate::components::part::ServerPart;
use crate::components::session::{allows, my_role};
use crate::components::toast::{use_toasts, ToastKind};
use crate::components::traffic::Traffic;
use crate::domain::dis::{TaskAction, TaskDetails, TaskState};
use crate::domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

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
    let version = RwSignal::new(0u64);
    let data = Resource::new(
        move || (key(), version.get()),
        |((s, t), _)| get_dump_task(s, t),
    );
    // Made before the task's part, which waits (see `Traffic`).
    let files = view! {
        <TaskFiles stream=Signal::derive(move || key().0) task=Signal::derive(move || key().1) version=version/>
    };
    let traffic = view! {
        <Traffic stream=Signal::derive(move || key().0) heading="Stream traffic".to_owned() version=version/>
    };
    view! {
        <Title text=move || key().1/>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading the dump task…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(t) => {
                        let role = my_role().await;
                        view! { <TaskDetailsView t version role/> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        {files}
        {traffic}
        <p class="muted">"DIS reports traffic per stream and per partition, not per task: records out count every reader of the stream."</p>
    }
}

#[component]
fn TaskDetailsView(t: TaskDetails, version: RwSignal<u64>, role: Option<Role>) -> impl IntoView {
    let (can_change, can_delete) = (allows(role, Role::Operator), allows(role, Role::Admin));
    let stream_href = format!("/streams/{}", t.stream_name);
    let clone_href = format!("/streams/{}/add-task?clone={}", t.stream_name, t.task_name);
    let modify_href = format!("/streams/{}/tasks/{}/modify", t.stream_name, t.task_name);
    let toasts = use_toasts();
    let navigate = use_navigate();
    let pending = Pending::new();
    let confirming = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let stream = t.stream_name.clone();
    let name = t.task_name.clone();
    let id = t.task_id.clone();
    let state = t.state;

    let change = {
        let (stream, name, id) = (stream.clone(), name.clone(), id.clone());
        move |action: TaskAction| {
            let name = name.clone();
            let progress = if action == TaskAction::Start {
                "Starting…"
            } else {
                "Pausing…"
            };
            let work = set_task_state(stream.clone(), vec![id.clone()], action);
            pending.run(progress, work, move |()| {
                let verb = action.done();
                toasts.push(ToastKind::Success, format!("Dump task {name} {verb}."));
                version.update(|v| *v += 1);
            });
        }
    };
    let delete = {
        let (stream, name) = (stream.clone(), name.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (stream, name, confirm) = (stream.clone(), name.clone(), typed.get_untracked());
            let navigate = navigate.clone();
            let work = delete_dump_task(stream.clone(), name.clone(), confirm);
            pending.run("Deleting…", work, move |()| {
                toasts.push(ToastKind::Success, format!("Dump task {name} deleted."));
                navigate(&format!("/streams/{stream}"), NavigateOptions::default());
            });
        }
    };
    let start = {
        let change = change.clone();
        move |_| change(TaskAction::Start)
    };
    let pause = move |_| change(TaskAction::Stop);
    // Modify needs settings the console can read back.
    let modifiable = t.read_back().is_some();
    let confirm_name = name.clone();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let open_dialog = move |_| {
        pending.problem.set(None);
        if let Some(d) = dialog.get() {
            if d.show_modal().is_ok() {
                confirming.set(true);
            }
        }
    };
    let close_dialog = move |_| {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    view! {
        <p class="context"><a href=stream_href>{t.stream_name.clone()}</a></p>
        <div class="page-head">
            <h1>{t.task_name.clone()}</h1>
            <StateBadge state=t.state/>
        </div>
        <div class="actions" role="group" aria-label="Task actions">
            {(can_change && state != TaskState::Running).then(|| view! {
                <button type="button" on:click=start.clone() disabled=move || pending.running()>"Start"</button>
            })}
            {(can_change && state == TaskState::Running).then(|| view! {
                <button type="button" on:click=pause.clone() disabled=move || pending.running()>"Pause"</button>
            })}
            {(can_change && modifiable).then(|| view! { <a class="button" href=modify_href>"Modify"</a> })}
            {can_change.then(|| view! { <a class="button" href=clone_href>"Clone"</a> })}
            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
            {can_delete.then(|| view! {
                <button type="button" class="danger" node_ref=delete_button on:click=open_dialog disabled=move || pending.running()>"Delete"</button>
            })}
        </div>
        <p class="progress muted" aria-live="polite">{move || pending.busy.get()}</p>
        // A problem shows where the operator is: in the dialog while it is open.
        {move || (!confirming.get()).then(|| view! { <Problem problem=pending.problem/> })}
        {can_delete.then(|| view! {
            // A modal dialog: the page behind it is inert, Escape closes it, and focus goes back
            // to Delete.
            <dialog class="card confirm-dialog" node_ref=dialog aria-labelledby="delete-heading"
                on:keydown=|ev| browser::keep_tab_within(&ev, "confirm-delete", "cancel-delete")
                on:close=move |_| {
                    confirming.set(false);
                    if let Some(button) = delete_button.get() {
                        let _ = button.focus();
                    }
                }>
                <form class="confirm" on:submit=delete.clone()>
                    <h2 id="delete-heading">{format!("Delete {confirm_name}")}</h2>
                    {move || confirming.get().then(|| view! { <Problem problem=pending.problem/> })}
                    <div class="field">
                        <label for="confirm-delete">{format!("Type {} to delete this task", confirm_name)}</label>
                        <input id="confirm-delete" type="text" autocomplete="off"
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" class="danger" disabled=move || pending.running()>"Delete dump task"</button>
                    <button type="button" id="cancel-delete" on:click=close_dialog>"Cancel"</button>
                </form>
            </dialog>
        })}
        <ServerPart
            part=Part::TaskProgress { stream: t.stream_name.clone(), task: t.task_name.clone() }
            version=version/>
    }
}

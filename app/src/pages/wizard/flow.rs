//! The wizard itself: which step shows, moving between steps, restoring and saving the draft,
//! and creating or modifying the task. A failed save keeps every field and puts the error where
//! the operator can act on it.

use super::records::StreamRecords;
use super::review::ReviewStep;
use super::state::{reported_draft, touched_bit, Mode, Saved, Step, WizardState};
use super::steps::{DestinationStep, FileTypeStep, PartitionStep, SchemaStep};
use crate::api::status::ConsoleStatus;
use crate::api::streams::get_dump_task;
use crate::api::tasks::{create_dump_task, update_dump_task};
use crate::components::browser;
use crate::components::fields::field_id;
use crate::components::notes::Problem;
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::{DataType, DumpTask, Field, FieldErrors, TaskDraft};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// `initial`: the draft the form starts from (a copy's or a modify's settings as DIS reports
/// them).
#[component]
pub(super) fn Wizard(
    stream: String,
    data_type: DataType,
    status: ConsoleStatus,
    mode: Mode,
    initial: TaskDraft,
) -> impl IntoView {
    let key = mode.storage_key(&stream);
    let modified = match &mode {
        Mode::Modify(task) => Some(task.clone()),
        Mode::New | Mode::Clone(_) => None,
    };
    // What a modify compares with: DIS's settings when the form was filled.
    let base = RwSignal::new(modified.is_some().then(|| initial.clone()));
    let draft = RwSignal::new(initial);
    let step = RwSignal::new(Step::Destination);
    let sample = RwSignal::new(String::new());
    let touched = RwSignal::new(0u32);
    let server_errors = RwSignal::new(FieldErrors::new());
    let banner = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let now = RwSignal::new(None::<i64>);
    let errors =
        Memo::new(move |_| draft.with(|d| DumpTask::parse(d, data_type).err().unwrap_or_default()));
    let state = WizardState {
        draft,
        touched,
        server_errors,
        errors,
    };
    let clock = status.clock;
    let records = StreamRecords::new(stream.clone());

    // In the browser only: restore a saved draft once, then save every change. Effects do not
    // run on the server, so the server always renders a fresh wizard.
    {
        let key = key.clone();
        Effect::new(move |_| {
            now.set(browser::now_ms());
            if let Some(saved) =
                browser::session_get(&key).and_then(|s| serde_json::from_str::<Saved>(&s).ok())
            {
                draft.set(saved.draft);
                step.set(saved.step);
                sample.set(saved.sample);
                if saved.base.is_some() {
                    base.set(saved.base);
                }
            }
        });
    }
    {
        let key = key.clone();
        Effect::new(move |first_run_done: Option<()>| {
            let saved = Saved {
                draft: draft.get(),
                step: step.get(),
                sample: sample.get(),
                base: base.get(),
            };
            // The first run only subscribes: it must not overwrite what the restore reads.
            if first_run_done.is_some() {
                if let Ok(json) = serde_json::to_string(&saved) {
                    browser::session_set(&key, &json);
                }
            }
        });
    }

    let go_to = move |target: Step| {
        step.set(target);
        browser::focus_id("wizard-step-heading");
    };

    let next = move |_| {
        let current = step.get_untracked();
        let fields = current.fields();
        touched.update(|t| *t |= fields.iter().fold(0, |all, f| all | touched_bit(*f)));
        let step_errors = errors.with_untracked(|e| e.only(fields));
        let server = server_errors.with_untracked(|e| e.only(fields));
        if let Some(first) = fields
            .iter()
            .find(|f| step_errors.has(**f) || server.has(**f))
        {
            browser::focus_id(&field_id(first.wire_name()));
            return;
        }
        if let Some(n) = Step::ALL.get(current.index() + 1) {
            go_to(*n);
        }
    };
    let back = move |_| {
        let current = step.get_untracked();
        if current.index() > 0 {
            go_to(Step::ALL[current.index() - 1]);
        }
    };

    // A modify that would send the settings DIS already has: Save stays disabled.
    let unchanged = Memo::new(move |_| {
        base.with(|b| {
            b.as_ref().is_some_and(|b| {
                draft.with(|d| {
                    matches!(
                        (DumpTask::parse(d, data_type), DumpTask::parse(b, data_type)),
                        (Ok(now), Ok(before)) if now == before
                    )
                })
            })
        })
    });

    let toasts = use_toasts();
    let navigate = use_navigate();
    let save = {
        let stream = stream.clone();
        let key = key.clone();
        let modified = modified.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            let all_errors = errors.get_untracked();
            if let Some(first) = all_errors.iter().next() {
                touched.set(u32::MAX);
                let target = Step::of(first.field);
                go_to(target);
                banner.set(Some(format!(
                    "Fix the fields marked on the {} step first.",
                    target.title()
                )));
                return;
            }
            busy.set(true);
            banner.set(None);
            let (stream, key, modified) = (stream.clone(), key.clone(), modified.clone());
            let navigate = navigate.clone();
            let d = draft.get_untracked();
            let before = base.get_untracked();
            leptos::task::spawn_local(async move {
                let result = match (&modified, before) {
                    (Some(task), Some(before)) => {
                        update_dump_task(stream.clone(), task.clone(), d, before).await
                    }
                    _ => create_dump_task(stream.clone(), d).await,
                };
                busy.set(false);
                match result {
                    Ok(saved) => {
                        browser::session_remove(&key);
                        let note = if saved.confirmed_after_timeout {
                            " (DIS answered late, then confirmed it)"
                        } else {
                            ""
                        };
                        let done = if saved.changed.is_empty() {
                            "created".to_string()
                        } else {
                            format!("modified: {}", saved.changed.join(", "))
                        };
                        toasts.push(
                            ToastKind::Success,
                            format!("Dump task {} {done}{note}.", saved.task_name),
                        );
                        navigate(
                            &format!("/streams/{}/tasks/{}", saved.stream, saved.task_name),
                            NavigateOptions::default(),
                        );
                    }
                    // Someone else modified the task: the review now lists what saving would
                    // change from their settings, and saving again overwrites them.
                    Err(AppError::Conflict(message)) => {
                        banner.set(Some(message));
                        if let Some(task) = modified {
                            match get_dump_task(stream, task)
                                .await
                                .map_err(|e| e.to_string())
                                .and_then(|t| reported_draft(&t, data_type))
                            {
                                Ok(now) => base.set(Some(now)),
                                Err(e) => banner.update(|b| {
                                    if let Some(b) = b {
                                        b.push_str(&format!(
                                            " The task could not be read again: {e}"
                                        ));
                                    }
                                }),
                            }
                        }
                        go_to(Step::Review);
                    }
                    Err(e) => show_save_error(e, state, banner, go_to),
                }
            });
        }
    };
    let task_href = modified
        .as_ref()
        .map(|task| format!("/streams/{stream}/tasks/{task}"));
    let cancel = {
        let key = key.clone();
        move |_| browser::session_remove(&key)
    };

    let is_modify = modified.is_some();
    let stream_label = stream.clone();
    view! {
        <p class="context">
            "Stream " <strong>{stream_label}</strong> " · data type " <strong>{data_type.as_str()}</strong>
            {match mode {
                Mode::Clone(task) => Some(view! { " · a copy of " <strong>{task}</strong> }.into_any()),
                Mode::Modify(task) => Some(view! { " · modifying " <strong>{task}</strong> }.into_any()),
                Mode::New => None,
            }}
        </p>
        <nav aria-label="Wizard steps">
            <ol class="steps">
                {Step::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li
                                class=move || {
                                    let now = step.get().index();
                                    if now == s.index() { "current" } else if now > s.index() { "done" } else { "" }
                                }
                                aria-current=move || (step.get() == s).then_some("step")
                            >
                                <span class="step-number">{s.index() + 1}</span>
                                " "
                                {s.title()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <Problem problem=banner/>
        <form class="card wizard" on:submit=|ev| ev.prevent_default() novalidate>
            <h2 id="wizard-step-heading" tabindex="-1">
                {move || format!("Step {} of 5: {}", step.get().index() + 1, step.get().title())}
            </h2>
            {move || match step.get() {
                Step::Destination => view! { <DestinationStep state fixed=is_modify/> }.into_any(),
                Step::FileType => view! { <FileTypeStep state data_type/> }.into_any(),
                Step::Partition => view! { <PartitionStep state clock now records/> }.into_any(),
                Step::Schema => view! { <SchemaStep state sample now records/> }.into_any(),
                Step::Review => view! { <ReviewStep state clock now stream=stream.clone() base/> }.into_any(),
            }}
            <div class="wizard-actions">
                <button type="button" on:click=back disabled=move || step.get() == Step::Destination>
                    "Back"
                </button>
                {task_href.map(|href| view! { <a class="button" href=href on:click=cancel>"Cancel"</a> })}
                {move || {
                    if step.get() == Step::Review {
                        let save = save.clone();
                        let (label, working) = if is_modify {
                            ("Save changes", "Saving…")
                        } else {
                            ("Create dump task", "Creating…")
                        };
                        view! {
                            <button type="button" class="primary" on:click=save
                                aria-busy=move || busy.get().to_string()
                                disabled=move || unchanged.get()
                                aria-describedby=move || unchanged.get().then_some("nothing-to-save")>
                                {move || if busy.get() { working } else { label }}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! { <button type="submit" class="primary" on:click=next>"Next"</button> }.into_any()
                    }
                }}
            </div>
            <Show when=move || unchanged.get() && step.get() == Step::Review>
                <p class="hint" id="nothing-to-save">"Nothing to save: these are the task's settings as DIS reports them. Change one first."</p>
            </Show>
        </form>
    }
}

/// Puts a failed save where the operator can act on it, keeping every field.
fn show_save_error(
    e: AppError,
    state: WizardState,
    banner: RwSignal<Option<String>>,
    go_to: impl Fn(Step),
) {
    match e {
        AppError::Invalid { fields } => {
            let first = fields.iter().next().map(|f| f.field);
            state.server_errors.set(fields);
            banner.set(Some(
                "The console refused some fields; they are marked.".into(),
            ));
            if let Some(f) = first {
                go_to(Step::of(f));
            }
        }
        AppError::Dis {
            ref code,
            ref message,
            ref request_id,
        } if code == "DIS.4355" => {
            let mut fields = FieldErrors::new();
            fields.push(
                Field::TaskName,
                format!("{message} ({code}; request id {request_id})"),
            );
            state.server_errors.set(fields);
            banner.set(Some(e.to_string()));
            go_to(Step::Destination);
        }
        other => banner.set(Some(other.to_string())),
    }
}

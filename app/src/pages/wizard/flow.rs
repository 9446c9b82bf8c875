//! The wizard itself: which step shows, moving between steps, restoring and saving the draft,
//! and creating the task. A failed create keeps every field and puts the error where the
//! operator can act on it.

use super::review::ReviewStep;
use super::state::{storage_key, Saved, Step, WizardState};
use super::steps::{DestinationStep, FileTypeStep, PartitionStep, SchemaStep};
use crate::api::status::ConsoleStatus;
use crate::api::tasks::create_dump_task;
use crate::components::browser;
use crate::components::fields::field_id;
use crate::components::notes::Problem;
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::{DataType, DumpTask, Field, FieldErrors, StreamName, TaskDraft, ZoneOffset};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use std::collections::BTreeSet;

/// `initial`: the task being cloned and the draft made from it.
#[component]
pub(super) fn Wizard(
    stream: String,
    data_type: DataType,
    status: ConsoleStatus,
    initial: Option<(String, TaskDraft)>,
) -> impl IntoView {
    let key = match &initial {
        Some((source, _)) => format!("{}:clone:{source}", storage_key(&stream)),
        None => storage_key(&stream),
    };
    let cloned_from = initial.as_ref().map(|(source, _)| source.clone());
    let draft = RwSignal::new(initial.map(|(_, d)| d).unwrap_or_default());
    let step = RwSignal::new(Step::Destination);
    let sample = RwSignal::new(String::new());
    let touched = RwSignal::new(BTreeSet::new());
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
    let zone = ZoneOffset::from_minutes(status.time_zone_minutes).unwrap_or(ZoneOffset::UTC);

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
        touched.update(|t| t.extend(fields.iter().copied()));
        let step_errors = errors.with_untracked(|e| e.only(fields));
        let server = server_errors.with_untracked(|e| e.only(fields));
        if let Some(first) = fields
            .iter()
            .find(|f| step_errors.has(**f) || server.has(**f))
        {
            browser::focus_id(&field_id(*first));
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

    let toasts = use_toasts();
    let navigate = use_navigate();
    let create = {
        let stream = stream.clone();
        let key = key.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            let all_errors = errors.get_untracked();
            if let Some(first) = all_errors.iter().next() {
                touched.set(Field::ALL.into_iter().collect());
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
            let stream = stream.clone();
            let key = key.clone();
            let navigate = navigate.clone();
            let d = draft.get_untracked();
            leptos::task::spawn_local(async move {
                let result = create_dump_task(stream.clone(), d).await;
                busy.set(false);
                match result {
                    Ok(created) => {
                        browser::session_remove(&key);
                        let note = if created.confirmed_after_timeout {
                            " (DIS answered late, then confirmed it)"
                        } else {
                            ""
                        };
                        toasts.push(
                            ToastKind::Success,
                            format!("Dump task {} created{note}.", created.task_name),
                        );
                        navigate(
                            &format!("/streams/{}/tasks/{}", created.stream, created.task_name),
                            NavigateOptions::default(),
                        );
                    }
                    Err(e) => show_create_error(e, state, banner, go_to),
                }
            });
        }
    };

    let target = status.export.target(
        StreamName::parse(&stream)
            .unwrap_or_else(|_| StreamName::parse("stream").expect("a literal valid name")),
    );

    let stream_label = stream.clone();
    view! {
        <p class="context">
            "Stream " <strong>{stream_label}</strong> " · data type " <strong>{data_type.as_str()}</strong>
            {cloned_from.map(|s| view! { " · a copy of " <strong>{s}</strong> })}
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
                Step::Destination => view! { <DestinationStep state/> }.into_any(),
                Step::FileType => view! { <FileTypeStep state data_type/> }.into_any(),
                Step::Partition => view! { <PartitionStep state zone now/> }.into_any(),
                Step::Schema => view! { <SchemaStep state zone sample now/> }.into_any(),
                Step::Review => view! { <ReviewStep state data_type zone now target=target.clone()/> }.into_any(),
            }}
            <div class="wizard-actions">
                <button type="button" on:click=back disabled=move || step.get() == Step::Destination>
                    "Back"
                </button>
                {move || {
                    if step.get() == Step::Review {
                        let create = create.clone();
                        view! {
                            <button type="button" class="primary" on:click=create aria-busy=move || busy.get().to_string()>
                                {move || if busy.get() { "Creating…" } else { "Create dump task" }}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! { <button type="submit" class="primary" on:click=next>"Next"</button> }.into_any()
                    }
                }}
            </div>
        </form>
    }
}

/// Puts a failed create where the operator can act on it, keeping every field.
fn show_create_error(
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

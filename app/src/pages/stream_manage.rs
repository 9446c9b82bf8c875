//! The stream page's own life cycle: scale the stream, change its settings, delete it. What the
//! operator types is held by the page ([`StreamEdits`]), so the refresh every few seconds, which
//! renders the stream again, loses none of it.

use super::stream_form::{StreamFields, StreamForm};
use crate::api::streams::{change_stream, delete_stream, scale_stream};
use crate::components::action::Pending;
use crate::components::fields::{field_id, FieldModel, TextField};
use crate::components::notes::Problem;
use crate::components::session::allows;
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::stream::{check_scale, StreamType};
use crate::domain::stream_form::{StreamDraft, CHANGEABLE};
use crate::domain::{FieldMeta, Role};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// What the stream page's forms hold between refreshes.
#[derive(Clone, Copy)]
pub struct StreamEdits {
    /// The lines of "Send test records".
    pub test_lines: RwSignal<String>,
    /// The ids of the tasks ticked for a batch start or pause. (A list, not a set: a stream
    /// holds few tasks, and the browser then needs no ordered-set code.)
    pub selected: RwSignal<Vec<String>>,
    scale_to: RwSignal<String>,
    /// The change form's draft once the operator has edited it; until then the form shows the
    /// stream's settings as DIS reports them.
    kept: RwSignal<Option<StreamDraft>>,
    confirm: RwSignal<String>,
    with_tasks: RwSignal<bool>,
    pending: Pending,
}

impl StreamEdits {
    pub fn new() -> StreamEdits {
        StreamEdits {
            test_lines: RwSignal::new(String::new()),
            selected: RwSignal::new(Vec::new()),
            scale_to: RwSignal::new(String::new()),
            kept: RwSignal::new(None),
            confirm: RwSignal::new(String::new()),
            with_tasks: RwSignal::new(false),
            pending: Pending::new(),
        }
    }
}

impl Default for StreamEdits {
    fn default() -> Self {
        StreamEdits::new()
    }
}

const SCALE_TO: FieldMeta = FieldMeta {
    name: "target_partition_count",
    label: "Partitions after scaling",
    hint: Some("DIS allows a few scalings an hour; the scaling history is above."),
    numeric: true,
};

const CONFIRM: FieldMeta = FieldMeta {
    name: "confirm_stream_name",
    label: "Type the stream's name to confirm",
    hint: Some("Its records go with it and cannot be brought back."),
    numeric: false,
};

/// Scale, change settings, and (for admins) delete.
#[component]
pub fn ManageStream(
    /// The stream's settings as DIS reports them now.
    draft: StreamDraft,
    /// Its writable partitions.
    current: u32,
    /// How many dump tasks it has.
    tasks: usize,
    role: Option<Role>,
    edits: StreamEdits,
    /// The page's version: bumped, the stream is read again (and these forms with it).
    reread: RwSignal<u32>,
) -> impl IntoView {
    // The change form, made whenever what it starts from changes, from what the operator kept,
    // or else from DIS's settings now. (Signals are only read here: a render writes none.)
    let change_form = StreamForm::new(
        edits.kept.get_untracked().unwrap_or_else(|| draft.clone()),
        &CHANGEABLE,
    )
    .keeping(edits.kept);
    let name = draft.stream_name.clone();
    let quota = StreamType::parse(&draft.stream_type)
        .unwrap_or_default()
        .quota();
    let pending = edits.pending;
    let toasts = use_toasts();

    // Scale.
    let scale_error = Signal::derive(move || {
        let typed = edits.scale_to.get();
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        match typed.parse::<u32>() {
            Ok(target) => check_scale(current, target, quota).err(),
            Err(_) => Some(format!(
                "{typed:?} is not a whole number: enter one such as 3."
            )),
        }
    });
    let scale_model = FieldModel {
        meta: SCALE_TO,
        value: edits.scale_to.into(),
        on_change: Callback::new(move |v| edits.scale_to.set(v)),
        error: scale_error,
        on_blur: Callback::new(|_| ()),
    };
    let scale = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let typed = edits.scale_to.get_untracked().trim().parse::<u32>();
            let (Ok(target), None) = (typed, scale_error.get_untracked()) else {
                crate::components::browser::focus_id(&field_id(SCALE_TO.name));
                return;
            };
            let name = name.clone();
            let work = scale_stream(name.clone(), target);
            pending.run("Scaling the stream…", work, move |()| {
                toasts.push(
                    ToastKind::Success,
                    format!("Stream {name} scaled to {target} partitions."),
                );
                edits.scale_to.set(String::new());
                reread.update(|v| *v += 1);
            });
        }
    };

    // Change settings.
    let change = move || change_form.draft.with(|d| d.change_from(&draft));
    let unchanged = {
        let change = change.clone();
        Signal::derive(move || matches!(change(), Ok(None)))
    };
    let save = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !change_form.check() {
                return;
            }
            let request = match untrack(&change) {
                Ok(Some(request)) => request,
                Ok(None) => return,
                // A rule of a field this form does not show (the stream's name, type or
                // partitions as DIS reports them): said above the forms, not swallowed.
                Err(problems) => {
                    let said = problems
                        .into_iter()
                        .map(|(field, message)| format!("{}: {message}", field.meta().label))
                        .collect::<Vec<_>>();
                    pending.problem.set(Some(said.join(" ")));
                    return;
                }
            };
            let name = name.clone();
            let work = change_stream(name.clone(), request);
            pending.run("Saving the settings…", work, move |()| {
                toasts.push(ToastKind::Success, format!("Settings of {name} saved."));
                // The form shows DIS's settings again, which now are the operator's.
                edits.kept.set(None);
                reread.update(|v| *v += 1);
            });
        }
    };

    // Delete.
    let confirm_model = FieldModel {
        meta: CONFIRM,
        value: edits.confirm.into(),
        on_change: Callback::new(move |v| edits.confirm.set(v)),
        error: Signal::derive(|| None),
        on_blur: Callback::new(|_| ()),
    };
    let navigate = use_navigate();
    let delete = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (name, navigate) = (name.clone(), navigate.clone());
            let confirm = edits.confirm.get_untracked();
            let with_tasks = edits.with_tasks.get_untracked();
            let work = delete_stream(name.clone(), confirm, with_tasks);
            pending.run("Deleting the stream…", work, move |()| {
                toasts.push(ToastKind::Success, format!("Stream {name} deleted."));
                navigate("/streams", NavigateOptions::default());
            });
        }
    };
    let typed_name = name.clone();
    let mismatch = move || edits.confirm.with(|c| c.trim() != typed_name);
    let is_admin = allows(role, Role::Admin);
    view! {
        <section class="card manage" aria-labelledby="manage-heading">
            <h2 id="manage-heading">"Manage the stream"</h2>
            <p class="progress muted" aria-live="polite">{move || pending.busy.get()}</p>
            <Problem problem=pending.problem/>
            <form on:submit=scale novalidate aria-labelledby="scale-heading">
                <h3 id="scale-heading">"Scale"</h3>
                <p>{format!("The stream has {current} partitions.")}</p>
                <TextField model=scale_model/>
                // Offered once a count is typed (a wrong one says why under the field).
                <button type="submit" disabled=move || pending.running() || edits.scale_to.with(|t| t.trim().is_empty())>
                    "Scale"
                </button>
            </form>
            <form on:submit=save novalidate aria-labelledby="change-heading">
                <h3 id="change-heading">"Change settings"</h3>
                <StreamFields form=change_form fields=&CHANGEABLE/>
                <button type="submit" disabled=move || pending.running() || unchanged.get()
                    aria-describedby=move || unchanged.get().then_some("nothing-to-change")>
                    "Save settings"
                </button>
                <p class="hint" id="nothing-to-change" hidden=move || !unchanged.get()>
                    "These are the stream's settings as DIS reports them. Change one to save."
                </p>
            </form>
            {is_admin.then(|| view! {
                <form on:submit=delete novalidate aria-labelledby="delete-heading">
                    <h3 id="delete-heading">"Delete stream"</h3>
                    <TextField model=confirm_model/>
                    {(tasks > 0).then(|| view! {
                        <div class="field checkbox">
                            <input id="delete-with-tasks" type="checkbox"
                                prop:checked=move || edits.with_tasks.get()
                                on:change=move |ev| edits.with_tasks.set(event_target_checked(&ev))/>
                            <label for="delete-with-tasks">{format!("Also delete its {tasks} dump task(s)")}</label>
                        </div>
                    })}
                    <button type="submit" class="danger" disabled=move || pending.running() || mismatch()>
                        "Delete stream"
                    </button>
                </form>
            })}
        </section>
    }
}

//! The add-dump-task wizard: destination, file type, partition, timestamp schema, review.
//!
//! The draft is checked on every keystroke with the same `domain` rules the server applies, kept
//! in session storage so a reload or a back-navigation restores it, and never cleared by a
//! failed create.

use crate::api::status::{get_console_status, ConsoleStatus};
use crate::api::streams::{get_stream, list_streams};
use crate::api::tasks::create_dump_task;
use crate::components::browser;
use crate::components::fields::{field_id, Choice, RadioField, SelectField, TextField};
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::export::{self, ExportTarget};
use crate::domain::preview::{self, DirectoryPreview};
use crate::domain::task::{
    FileType, PartitionFormat, RecordDelimiter, TimestampFormat, TimestampType,
};
use crate::domain::{
    ConsumerStrategy, DataType, DumpTask, Field, FieldErrors, StreamName, TaskDraft, ZoneOffset,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Destination,
    FileType,
    Partition,
    Schema,
    Review,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Destination,
        Step::FileType,
        Step::Partition,
        Step::Schema,
        Step::Review,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Destination => "Destination",
            Step::FileType => "File type",
            Step::Partition => "Partition",
            Step::Schema => "Timestamp schema",
            Step::Review => "Review",
        }
    }

    fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The fields this step asks for, in the order it shows them.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::Destination => &[Field::TaskName, Field::AgencyName, Field::ConsumerStrategy],
            Step::FileType => &[Field::DestinationFileType, Field::RecordDelimiter],
            Step::Partition => &[
                Field::ObsBucketPath,
                Field::FilePrefix,
                Field::PartitionFormat,
                Field::DeliverTimeInterval,
                Field::DeliverSizeInterval,
            ],
            Step::Schema => &[
                Field::TimestampName,
                Field::TimestampType,
                Field::TimestampFormat,
            ],
            Step::Review => &[],
        }
    }

    /// The step that asks for `field`.
    pub fn of(field: Field) -> Step {
        Step::ALL
            .into_iter()
            .find(|s| s.fields().contains(&field))
            .unwrap_or(Step::Review)
    }
}

/// What session storage keeps of a wizard in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    draft: TaskDraft,
    step: Step,
    sample: String,
}

fn storage_key(stream: &str) -> String {
    format!("dis-console:add-task:{stream}")
}

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
                Some(task) => crate::api::streams::get_dump_task(stream, task)
                    .await
                    .map(Some),
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
                        <p role="alert" class="error">{e.to_string()}</p>
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
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// Reads and writes one text field of the draft.
#[derive(Clone, Copy)]
struct Binding {
    get: fn(&TaskDraft) -> &String,
    set: fn(&mut TaskDraft) -> &mut String,
}

macro_rules! bind {
    ($f:ident) => {
        Binding {
            get: |d| &d.$f,
            set: |d| &mut d.$f,
        }
    };
}

#[derive(Clone, Copy)]
struct WizardState {
    draft: RwSignal<TaskDraft>,
    touched: RwSignal<BTreeSet<Field>>,
    /// Errors the server reported for the last create, until the field is edited.
    server_errors: RwSignal<FieldErrors>,
    errors: Memo<FieldErrors>,
}

impl WizardState {
    fn value(self, b: Binding) -> Signal<String> {
        let draft = self.draft;
        Signal::derive(move || draft.with(|d| (b.get)(d).clone()))
    }

    fn setter(self, field: Field, b: Binding) -> Callback<String> {
        let s = self;
        Callback::new(move |v: String| {
            s.draft.update(|d| *(b.set)(d) = v);
            s.touched.update(|t| {
                t.insert(field);
            });
            s.server_errors.update(|e| *e = e.without(field));
        })
    }

    fn touch(self, field: Field) -> Callback<()> {
        let touched = self.touched;
        Callback::new(move |_| {
            touched.update(|t| {
                t.insert(field);
            })
        })
    }

    /// The message to show under a field: the server's, else the rule's once touched.
    fn error(self, field: Field) -> Signal<Option<String>> {
        let s = self;
        Signal::derive(move || {
            if let Some(m) = s
                .server_errors
                .with(|e| e.message_for(field).map(str::to_string))
            {
                return Some(m);
            }
            if !s.touched.with(|t| t.contains(&field)) {
                return None;
            }
            s.errors.with(|e| e.message_for(field).map(str::to_string))
        })
    }
}

/// `initial`: the task being cloned and the draft made from it.
#[component]
fn Wizard(
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

    let target = ExportTarget {
        endpoint: status.export.endpoint.clone(),
        region: status.export.region.clone(),
        project_id: status.export.project_id.clone(),
        stream: StreamName::parse(&stream)
            .unwrap_or_else(|_| StreamName::parse("stream").expect("a literal valid name")),
    };

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
        {move || banner.get().map(|b| view! { <p role="alert" class="error banner">{b}</p> })}
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

#[component]
fn DestinationStep(state: WizardState) -> impl IntoView {
    let destinations = vec![
        Choice::new("OBS", "OBS (object storage)"),
        Choice {
            value: "MRS".into(),
            label: "MRS".into(),
            disabled: Some("Not offered by this console yet".into()),
        },
        Choice {
            value: "DLI".into(),
            label: "DLI".into(),
            disabled: Some("Not offered by this console yet".into()),
        },
        Choice {
            value: "DWS".into(),
            label: "DWS".into(),
            disabled: Some("Not offered by this console yet".into()),
        },
        Choice {
            value: "CLOUDTABLE".into(),
            label: "CloudTable".into(),
            disabled: Some("Not offered by this console yet".into()),
        },
    ];
    let consumer = ConsumerStrategy::ALL
        .iter()
        .map(|c| Choice::new(c.as_wire(), c.label()))
        .collect();
    view! {
        <fieldset class="field">
            <legend>"Destination"</legend>
            {destinations
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let id = format!("destination-{i}");
                    let disabled = d.disabled.is_some();
                    view! {
                        <div class="radio" class:disabled=disabled>
                            <input type="radio" id=id.clone() name="destination_type" value=d.value.clone() disabled=disabled checked=!disabled/>
                            <label for=id>{d.label}</label>
                            {d.disabled.map(|why| view! { <span class="reason">{why}</span> })}
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
        <TextField
            field=Field::TaskName
            label="Task name"
            hint="1 to 64 letters, digits, '-' or '_'; unique within the stream."
            value=state.value(bind!(task_name))
            on_change=state.setter(Field::TaskName, bind!(task_name))
            error=state.error(Field::TaskName)
            on_blur=state.touch(Field::TaskName)
        />
        <TextField
            field=Field::AgencyName
            label="IAM agency"
            hint="The agency DIS uses to write to OBS. The DIS console creates dis_admin_agency."
            value=state.value(bind!(agency_name))
            on_change=state.setter(Field::AgencyName, bind!(agency_name))
            error=state.error(Field::AgencyName)
            on_blur=state.touch(Field::AgencyName)
        />
        <RadioField
            field=Field::ConsumerStrategy
            legend="Start from (cannot be changed later)"
            choices=consumer
            value=state.value(bind!(consumer_strategy))
            on_change=state.setter(Field::ConsumerStrategy, bind!(consumer_strategy))
            error=state.error(Field::ConsumerStrategy)
        />
    }
}

#[component]
fn FileTypeStep(state: WizardState, data_type: DataType) -> impl IntoView {
    let file_types = FileType::ALL
        .iter()
        .map(|f| Choice {
            value: f.as_wire().into(),
            label: f.label().into(),
            disabled: (*f != FileType::Text && data_type != DataType::Json)
                .then(|| format!("Needs a JSON stream; this one holds {data_type}.")),
        })
        .collect();
    let draft = state.draft;
    let is_text = move || draft.with(|d| d.destination_file_type == FileType::Text.as_wire());
    let delimiter_value = Signal::derive(move || {
        draft.with(|d| {
            RecordDelimiter::parse(&d.record_delimiter)
                .map(delimiter_token)
                .unwrap_or_else(|_| d.record_delimiter.clone())
        })
    });
    let set_delimiter = {
        let set = state.setter(Field::RecordDelimiter, bind!(record_delimiter));
        Callback::new(move |token: String| {
            let wire = RecordDelimiter::parse(&token)
                .map(|d| d.as_wire().to_string())
                .unwrap_or(token);
            set.run(wire)
        })
    };
    view! {
        <RadioField
            field=Field::DestinationFileType
            legend="File type"
            choices=file_types
            value=state.value(bind!(destination_file_type))
            on_change=state.setter(Field::DestinationFileType, bind!(destination_file_type))
            error=state.error(Field::DestinationFileType)
        />
        <Show when=is_text fallback=|| view! {
            <p class="hint">"Parquet and carbon files hold their own record boundaries: no delimiter."</p>
        }>
            <SelectField
                field=Field::RecordDelimiter
                label="Record delimiter"
                hint="What separates records inside a text file."
                choices=delimiter_choices()
                value=delimiter_value
                on_change=set_delimiter
                error=state.error(Field::RecordDelimiter)
            />
        </Show>
    }
}

fn delimiter_choices() -> Vec<Choice> {
    RecordDelimiter::ALL
        .iter()
        .map(|d| Choice::new(delimiter_token(*d), d.label()))
        .collect()
}

/// The form value of a delimiter (a line break cannot sit in an option's value reliably).
fn delimiter_token(d: RecordDelimiter) -> String {
    match d {
        RecordDelimiter::Newline => "\\n".into(),
        other => other.as_wire().into(),
    }
}

#[component]
fn PartitionStep(
    state: WizardState,
    zone: ZoneOffset,
    now: RwSignal<Option<i64>>,
) -> impl IntoView {
    let formats = PartitionFormat::ALL
        .iter()
        .map(|p| Choice::new(p.as_wire(), p.label()))
        .collect();
    view! {
        <TextField
            field=Field::ObsBucketPath
            label="OBS bucket"
            hint="3 to 63 lowercase letters, digits, '-' and '.'."
            value=state.value(bind!(obs_bucket_path))
            on_change=state.setter(Field::ObsBucketPath, bind!(obs_bucket_path))
            error=state.error(Field::ObsBucketPath)
            on_blur=state.touch(Field::ObsBucketPath)
        />
        <TextField
            field=Field::FilePrefix
            label="Directory prefix"
            hint="Optional. Up to 50 letters, digits, '_' and '/' between directories; no leading '/'."
            value=state.value(bind!(file_prefix))
            on_change=state.setter(Field::FilePrefix, bind!(file_prefix))
            error=state.error(Field::FilePrefix)
            on_blur=state.touch(Field::FilePrefix)
        />
        <SelectField
            field=Field::PartitionFormat
            label="Time directories"
            choices=formats
            value=state.value(bind!(partition_format))
            on_change=state.setter(Field::PartitionFormat, bind!(partition_format))
            error=state.error(Field::PartitionFormat)
        />
        <TextField
            field=Field::DeliverTimeInterval
            label="Dump interval (seconds)"
            hint="30 to 900. DIS writes a file this often when records arrived."
            input_mode="numeric"
            value=state.value(bind!(deliver_time_interval))
            on_change=state.setter(Field::DeliverTimeInterval, bind!(deliver_time_interval))
            error=state.error(Field::DeliverTimeInterval)
            on_blur=state.touch(Field::DeliverTimeInterval)
        />
        <TextField
            field=Field::DeliverSizeInterval
            label="Dump size (MB, optional)"
            hint="1 to 300: also dump once this much has gathered. Newer DIS endpoints only."
            input_mode="numeric"
            value=state.value(bind!(deliver_size_interval))
            on_change=state.setter(Field::DeliverSizeInterval, bind!(deliver_size_interval))
            error=state.error(Field::DeliverSizeInterval)
            on_blur=state.touch(Field::DeliverSizeInterval)
        />
        <PathPreview state zone now/>
    }
}

/// The object directory for now, on the UTC clock and the region's assumed clock.
#[component]
fn PathPreview(state: WizardState, zone: ZoneOffset, now: RwSignal<Option<i64>>) -> impl IntoView {
    let draft = state.draft;
    let rows = move || {
        let now = now.get()?;
        Some(draft.with(|d| {
            let format =
                PartitionFormat::parse(&d.partition_format).unwrap_or(PartitionFormat::Flat);
            let bucket = if d.obs_bucket_path.trim().is_empty() {
                "<bucket>"
            } else {
                d.obs_bucket_path.as_str()
            };
            (
                preview::directories_at(bucket, &d.file_prefix, format, now, zone),
                format.span_words(),
            )
        }))
    };
    view! {
        <section class="preview" aria-labelledby="preview-heading" aria-live="polite">
            <h3 id="preview-heading">"Where files land"</h3>
            {move || match rows() {
                None => view! { <p class="hint">"The preview appears once the page has loaded."</p> }.into_any(),
                Some((rows, span)) => view! {
                    <DirectoryList rows/>
                    <p class="hint">
                        {match span {
                            Some(words) => format!("One directory holds {words} of records. "),
                            None => "No time directories: every file lands in the same directory. ".to_string(),
                        }}
                        "DIS does not document the time zone of its time directories; "
                        {region_note(zone)}
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

fn region_note(zone: ZoneOffset) -> String {
    if zone == ZoneOffset::UTC {
        "this console assumes UTC (set DIS_TIME_ZONE to change it).".into()
    } else {
        format!("the {zone} line is an assumption (DIS's own pages show {zone}); the UTC line shows the other reading.")
    }
}

#[component]
fn DirectoryList(rows: Vec<DirectoryPreview>) -> impl IntoView {
    view! {
        <dl class="directories">
            {rows
                .into_iter()
                .map(|r| {
                    view! {
                        <dt>{r.clock}</dt>
                        <dd>
                            <code class="object-path">{r.directory}"/"</code>
                            {r.covers.map(|c| view! { <span class="covers">{format!(" covers {c}")}</span> })}
                        </dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[component]
fn SchemaStep(
    state: WizardState,
    zone: ZoneOffset,
    sample: RwSignal<String>,
    now: RwSignal<Option<i64>>,
) -> impl IntoView {
    let draft = state.draft;
    let enabled = Signal::derive(move || draft.with(|d| d.use_processing_schema));
    let is_string = move || draft.with(|d| d.timestamp_type == TimestampType::String.as_wire());
    let offered = move || draft.with(|d| d.destination_file_type != FileType::Text.as_wire());
    let set_type = {
        let set = state.setter(Field::TimestampType, bind!(timestamp_type));
        Callback::new(move |v: String| {
            // A Timestamp has no format; a String starts from the usual one.
            let format = if v == TimestampType::Timestamp.as_wire() {
                String::new()
            } else {
                TimestampFormat::DashYmd.as_wire().to_string()
            };
            draft.update(|d| d.timestamp_format = format);
            set.run(v)
        })
    };
    let landing = move || {
        let text = sample.get();
        if text.trim().is_empty() {
            return None;
        }
        Some(draft.with(|d| {
            let schema = crate::domain::ProcessingSchema::from_draft(d).ok();
            match schema {
                None => {
                    Err("Complete the timestamp field, type and format above first.".to_string())
                }
                Some(schema) => {
                    let format = PartitionFormat::parse(&d.partition_format)
                        .unwrap_or(PartitionFormat::Flat);
                    let bucket = if d.obs_bucket_path.trim().is_empty() {
                        "<bucket>"
                    } else {
                        d.obs_bucket_path.as_str()
                    };
                    preview::sample_landing(&text, &schema, bucket, &d.file_prefix, format, zone)
                }
            }
        }))
    };
    let _ = now;
    view! {
        <p class="hint">
            {move || if offered() {
                "Parquet and carbon tasks can take the time directories from each record's own timestamp."
            } else {
                "Optional for text files: with a schema, the time directories come from each record's own timestamp instead of the time of the dump."
            }}
        </p>
        <div class="field checkbox">
            <input
                type="checkbox"
                id="field-use_processing_schema"
                prop:checked=move || enabled.get()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.update(|d| d.use_processing_schema = on);
                }
            />
            <label for="field-use_processing_schema">"Use each record's own timestamp"</label>
        </div>
        <Show when=move || enabled.get()>
            <TextField
                field=Field::TimestampName
                label="Timestamp field"
                hint="The attribute of each JSON record that holds its time."
                value=state.value(bind!(timestamp_name))
                on_change=state.setter(Field::TimestampName, bind!(timestamp_name))
                error=state.error(Field::TimestampName)
                on_blur=state.touch(Field::TimestampName)
            />
            <RadioField
                field=Field::TimestampType
                legend="Timestamp type"
                choices=timestamp_type_choices()
                value=state.value(bind!(timestamp_type))
                on_change=set_type
                error=state.error(Field::TimestampType)
            />
            <Show when=is_string>
                <SelectField
                    field=Field::TimestampFormat
                    label="Timestamp format"
                    choices=timestamp_format_choices()
                    value=state.value(bind!(timestamp_format))
                    on_change=state.setter(Field::TimestampFormat, bind!(timestamp_format))
                    error=state.error(Field::TimestampFormat)
                />
            </Show>
            <div class="field">
                <label for="sample-record">"Sample record (JSON)"</label>
                <textarea
                    id="sample-record"
                    rows="3"
                    spellcheck="false"
                    aria-describedby="sample-result"
                    prop:value=move || sample.get()
                    on:input=move |ev| sample.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div id="sample-result" aria-live="polite">
                {move || landing().map(|r| match r {
                    Ok(l) => view! {
                        <p>"Read " <code>{l.record_time}</code> "; it lands in:"</p>
                        <DirectoryList rows=l.directories/>
                        {l.warning.map(|w| view! { <p class="warning" role="status">{w}</p> })}
                    }.into_any(),
                    Err(e) => view! { <p class="field-error">{e}</p> }.into_any(),
                })}
            </div>
        </Show>
    }
}

fn timestamp_type_choices() -> Vec<Choice> {
    TimestampType::ALL
        .iter()
        .map(|t| {
            Choice::new(
                t.as_wire(),
                match t {
                    TimestampType::String => "String: formatted text",
                    TimestampType::Timestamp => "Timestamp: 13-digit epoch milliseconds",
                },
            )
        })
        .collect()
}

fn timestamp_format_choices() -> Vec<Choice> {
    TimestampFormat::ALL
        .iter()
        .map(|f| Choice::new(f.as_wire(), f.label()))
        .collect()
}

#[component]
fn ReviewStep(
    state: WizardState,
    data_type: DataType,
    zone: ZoneOffset,
    now: RwSignal<Option<i64>>,
    target: ExportTarget,
) -> impl IntoView {
    let task = move || state.draft.with(|d| DumpTask::parse(d, data_type));
    view! {
        {move || match task() {
            Err(errors) => view! {
                <p role="alert" class="error">
                    {format!("{} field(s) still need attention; go back to fix them.", errors.len())}
                </p>
            }.into_any(),
            Ok(t) => {
                let d = t.to_draft();
                let schema = t.processing_schema.as_ref().map(|s| match s.timestamp.format() {
                    Some(f) => format!("{} (String, {})", s.timestamp_name, f.as_wire()),
                    None => format!("{} (Timestamp, epoch milliseconds)", s.timestamp_name),
                }).unwrap_or_else(|| "None: directories follow the time of the dump".into());
                let snippets = vec![
                    ("Request JSON", export::request_json(&t)),
                    ("curl", export::curl(&t, &target)),
                    ("Python SDK", export::python(&t, &target)),
                    ("Java SDK", export::java(&t, &target)),
                    ("Go SDK", export::go(&t, &target)),
                ];
                view! {
                    <dl class="facts review">
                        <dt>"Destination"</dt><dd>"OBS"</dd>
                        <dt>"Task name"</dt><dd>{d.task_name}</dd>
                        <dt>"IAM agency"</dt><dd>{d.agency_name}</dd>
                        <dt>"Start from"</dt><dd>{t.consumer_strategy.label()}</dd>
                        <dt>"File type"</dt><dd>{t.destination_file_type.label()}</dd>
                        <dt>"Record delimiter"</dt><dd>{t.record_delimiter.label()}</dd>
                        <dt>"OBS bucket"</dt><dd>{d.obs_bucket_path}</dd>
                        <dt>"Directory prefix"</dt><dd>{if d.file_prefix.is_empty() { "(none)".to_string() } else { d.file_prefix }}</dd>
                        <dt>"Time directories"</dt><dd>{t.partition_format.label()}</dd>
                        <dt>"Dump interval"</dt><dd>{format!("{} seconds", t.deliver_time_interval)}</dd>
                        <dt>"Dump size"</dt><dd>{t.deliver_size_interval.map(|m| format!("{m} MB")).unwrap_or_else(|| "(not set)".into())}</dd>
                        <dt>"Timestamp schema"</dt><dd>{schema}</dd>
                    </dl>
                    <PathPreview state zone now/>
                    <section aria-labelledby="export-heading">
                        <h3 id="export-heading">"The request and how to send it yourself"</h3>
                        {snippets.into_iter().map(|(title, text)| view! { <Snippet title text/> }).collect_view()}
                    </section>
                }.into_any()
            }
        }}
    }
}

/// A block of text with a copy button.
#[component]
pub fn Snippet(title: &'static str, text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let to_copy = text.clone();
    let slug = title.to_lowercase().replace(' ', "-");
    view! {
        <div class="snippet">
            <div class="snippet-head">
                <h4 id=format!("snippet-{slug}")>{title}</h4>
                <button
                    type="button"
                    aria-label=format!("Copy {title}")
                    on:click=move |_| {
                        browser::copy_text(&to_copy);
                        copied.set(true);
                    }
                >
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            <pre aria-labelledby=format!("snippet-{slug}")><code>{text}</code></pre>
        </div>
    }
}

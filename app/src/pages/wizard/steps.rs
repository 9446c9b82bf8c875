//! The steps that ask for the task's settings: destination, file type, partition and timestamp
//! schema. Each field shows the same rule messages the server would answer with.

use super::preview::PathPreview;
use super::records::{RecordsPreview, StreamRecords};
use super::state::WizardState;
use crate::api::parts::Part;
use crate::components::fields::{Choice, FieldModel, RadioField, SelectField, TextField};
use crate::components::part::ServerPart;
use crate::domain::clock::RegionClock;
use crate::domain::task::{
    FileType, PartitionFormat, RecordDelimiter, TimestampFormat, TimestampType,
};
use crate::domain::{ConsumerStrategy, DataType, Field};
use leptos::prelude::*;

/// `fixed`: a modify, where the task's name and start position stay as they are.
#[component]
pub(super) fn DestinationStep(state: WizardState, fixed: bool) -> impl IntoView {
    let not_yet = "Not offered by this console yet";
    let destinations = vec![
        Choice::new("OBS", "OBS (object storage)"),
        Choice::unavailable("MRS", "MRS", not_yet),
        Choice::unavailable("DLI", "DLI", not_yet),
        Choice::unavailable("DWS", "DWS", not_yet),
        Choice::unavailable("CLOUDTABLE", "CloudTable", not_yet),
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
        {if fixed {
            let (name, start) = state.draft.with_untracked(|d| {
                let start = ConsumerStrategy::parse(&d.consumer_strategy)
                    .map(ConsumerStrategy::label)
                    .unwrap_or_default();
                (d.task_name.clone(), start)
            });
            view! {
                <dl class="facts">
                    <dt>"Task name"</dt><dd>{name}</dd>
                    <dt>"Start from"</dt><dd>{start}</dd>
                </dl>
                <p class="hint">"A task keeps its name and where it started reading: DIS goes on from its position in the stream."</p>
                <TextField model=state.model(Field::AgencyName)/>
            }
            .into_any()
        } else {
            view! {
                <TextField model=state.model(Field::TaskName)/>
                <TextField model=state.model(Field::AgencyName)/>
                <RadioField
                    model=state.model(Field::ConsumerStrategy)
                    choices=consumer
                />
            }
            .into_any()
        }}
    }
}

#[component]
pub(super) fn FileTypeStep(state: WizardState, data_type: DataType) -> impl IntoView {
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
    // The select shows a token for each delimiter; the draft keeps the wire form.
    let delimiter = {
        let model = state.model(Field::RecordDelimiter);
        let set = model.on_change;
        FieldModel {
            value: delimiter_value,
            on_change: Callback::new(move |token: String| {
                let wire = RecordDelimiter::parse(&token)
                    .map(|d| d.as_wire().to_string())
                    .unwrap_or(token);
                set.run(wire)
            }),
            ..model
        }
    };
    view! {
        <RadioField
            model=state.model(Field::DestinationFileType)
            choices=file_types
        />
        <Show when=is_text fallback=|| view! {
            <p class="hint">"Parquet and carbon files hold their own record boundaries: no delimiter."</p>
        }>
            <SelectField
                model=delimiter
                choices=delimiter_choices()
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
pub(super) fn PartitionStep(
    state: WizardState,
    clock: RegionClock,
    now: RwSignal<Option<i64>>,
    records: StreamRecords,
) -> impl IntoView {
    let formats = PartitionFormat::ALL
        .iter()
        .map(|p| Choice::new(p.as_wire(), p.label()))
        .collect();
    view! {
        <TextField model=state.model(Field::ObsBucketPath)/>
        <TextField model=state.model(Field::FilePrefix)/>
        <SelectField
            model=state.model(Field::PartitionFormat)
            choices=formats
        />
        <TextField model=state.model(Field::DeliverTimeInterval)/>
        <TextField model=state.model(Field::DeliverSizeInterval)/>
        <PathPreview state clock now/>
        <RecordsPreview state records suggest=false/>
    }
}

#[component]
pub(super) fn SchemaStep(
    state: WizardState,
    sample: RwSignal<String>,
    now: RwSignal<Option<i64>>,
    records: StreamRecords,
) -> impl IntoView {
    let draft = state.draft;
    let enabled = Signal::derive(move || draft.with(|d| d.use_processing_schema));
    let is_string = move || draft.with(|d| d.timestamp_type == TimestampType::String.as_wire());
    let offered = move || draft.with(|d| d.destination_file_type != FileType::Text.as_wire());
    let timestamp_type = {
        let model = state.model(Field::TimestampType);
        let set = model.on_change;
        FieldModel {
            on_change: Callback::new(move |v: String| {
                // A Timestamp has no format; a String starts from the usual one.
                let format = if v == TimestampType::Timestamp.as_wire() {
                    String::new()
                } else {
                    TimestampFormat::DashYmd.as_wire().to_string()
                };
                draft.update(|d| d.timestamp_format = format);
                set.run(v)
            }),
            ..model
        }
    };
    // The server reads the pasted record (none of the JSON reading weighs on the WASM).
    let pasted = Signal::derive(move || Part::PastedSample {
        text: sample.get(),
        draft: Box::new(draft.get()),
    });
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
            <TextField model=state.model(Field::TimestampName)/>
            <RadioField
                model=timestamp_type
                choices=timestamp_type_choices()
            />
            <Show when=is_string>
                <SelectField
                    model=state.model(Field::TimestampFormat)
                    choices=timestamp_format_choices()
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
                <Show when=move || sample.with(|s| !s.trim().is_empty())>
                    <ServerPart part=pasted/>
                </Show>
            </div>
        </Show>
        <RecordsPreview state records suggest=true/>
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

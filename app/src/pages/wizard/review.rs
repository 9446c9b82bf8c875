//! The last step: the task as it will be sent, where its files land, and the request with the
//! snippets that send it from elsewhere.

use super::preview::PathPreview;
use super::state::WizardState;
use crate::components::snippet::ExportSnippets;
use crate::domain::export::ExportTarget;
use crate::domain::{DataType, DumpTask, ZoneOffset};
use leptos::prelude::*;

#[component]
pub(super) fn ReviewStep(
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
                        <ExportSnippets task=t.clone() target=target.clone()/>
                    </section>
                }.into_any()
            }
        }}
    }
}

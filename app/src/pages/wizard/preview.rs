//! Where files land: the object directory for now, on the UTC clock and on the zone the
//! console assumes DIS writes with.

use super::state::WizardState;
use crate::domain::clock::{ClockSource, RegionClock};
use crate::domain::preview::{self, DirectoryPreview};
use crate::domain::task::PartitionFormat;
use crate::domain::ZoneOffset;
use leptos::prelude::*;

/// The object directory for now, on the UTC clock and the region's assumed clock.
#[component]
pub(super) fn PathPreview(
    state: WizardState,
    clock: RegionClock,
    now: RwSignal<Option<i64>>,
) -> impl IntoView {
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
                preview::directories_at(bucket, &d.file_prefix, format, now, clock),
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
                        {region_note(clock)}
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

fn region_note(clock: RegionClock) -> String {
    let zone = clock.zone();
    match clock.source {
        ClockSource::Measured { files } => format!(
            "DIS's clock is {zone}, measured from the directories and times of {files} files its tasks wrote."
        ),
        ClockSource::Setting => format!("DIS_TIME_ZONE sets DIS's clock to {zone}."),
        ClockSource::Assumed if zone == ZoneOffset::UTC => {
            "DIS does not document the time zone of its time directories; this console assumes UTC until a task's files show it (or DIS_TIME_ZONE sets it).".into()
        }
        ClockSource::Assumed => format!(
            "DIS does not document the time zone of its time directories; the {zone} line is an assumption (DIS's own pages show {zone}) until a task's files show it; the UTC line shows the other reading."
        ),
    }
}

#[component]
pub fn DirectoryList(rows: Vec<DirectoryPreview>) -> impl IntoView {
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

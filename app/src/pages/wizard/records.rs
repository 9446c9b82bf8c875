//! The preview with the stream's own records. DIS is read once, when the operator asks; the
//! server keeps that read for a few minutes and renders the preview for the draft as it stands
//! (`fragments::sample`, over `domain::sample`), so the preview follows every change without
//! another DIS call and none of the analysis weighs on the WASM.

use super::state::WizardState;
use crate::api::parts::Part;
use crate::components::part::ServerPart;
use crate::domain::sample::SampleFrom;
use leptos::prelude::*;

/// The read the operator last asked for, shared by the steps that show it.
#[derive(Clone, Copy)]
pub(super) struct StreamRecords {
    pub stream: StoredValue<String>,
    /// When the operator asked (epoch ms) and what they chose to read, or `None` before.
    pub read: RwSignal<Option<(i64, SampleFrom)>>,
}

impl StreamRecords {
    pub fn new(stream: String) -> Self {
        StreamRecords {
            stream: StoredValue::new(stream),
            read: RwSignal::new(None),
        }
    }
}

/// "Preview with recent records": the server renders the panel, its read buttons
/// (`data-action="read"`) and, with `suggest`, timestamp fields that fill the schema step when
/// chosen (`data-action="use-field"`).
#[component]
pub(super) fn RecordsPreview(
    state: WizardState,
    records: StreamRecords,
    suggest: bool,
) -> impl IntoView {
    let draft = state.draft;
    let StreamRecords { stream, read } = records;
    let pressed = Callback::new(move |(action, value): (String, String)| {
        if action == "read" {
            read.set(Some((crate::clock::now_ms(), SampleFrom::parse(&value))));
            return;
        }
        let mut parts = value.splitn(3, '|').map(str::to_owned);
        if let (true, Some(name), Some(kind), Some(format)) = (
            action == "use-field",
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            draft.update(|d| {
                d.use_processing_schema = true;
                d.timestamp_name = name;
                d.timestamp_type = kind;
                d.timestamp_format = format;
            });
        }
    });
    // Before a read the part does not depend on the draft, so typing asks the server nothing.
    let part = Signal::derive(move || {
        let (read, from, draft) = match read.get() {
            Some((at, from)) => (at, from, draft.get()),
            None => (0, SampleFrom::default(), Default::default()),
        };
        Part::Records {
            stream: stream.get_value(),
            from,
            read,
            draft: Box::new(draft),
            suggest,
        }
    });
    // Only the summary line is a live region (`role="status"` in the part): the whole panel
    // would be read out again at every keystroke.
    view! {
        <section class="preview records" aria-labelledby="records-heading">
            <h3 id="records-heading">"Preview with recent records"</h3>
            <ServerPart part on_action=pressed/>
        </section>
    }
}

//! The last step: the task's settings (for a modify, what changes first), where its files land,
//! and the request with the snippets that send it from elsewhere. The server renders the
//! settings and the request from the draft.

use super::preview::PathPreview;
use super::state::WizardState;
use crate::api::parts::Part;
use crate::components::part::ServerPart;
use crate::domain::clock::RegionClock;
use crate::domain::TaskDraft;
use leptos::prelude::*;

/// `base`: the settings a modify starts from (`None` for a new task).
#[component]
pub(super) fn ReviewStep(
    state: WizardState,
    clock: RegionClock,
    now: RwSignal<Option<i64>>,
    stream: String,
    base: RwSignal<Option<TaskDraft>>,
) -> impl IntoView {
    let (draft, errors) = (state.draft, state.errors);
    let settings = Signal::derive(move || Part::TaskSettings {
        draft: Box::new(draft.get()),
        before: base.get().map(Box::new),
    });
    let export = Signal::derive(move || Part::Export {
        stream: stream.clone(),
        draft: Box::new(draft.get()),
        modify: base.with(Option::is_some),
    });
    let open = move || errors.with(|e| e.len());
    view! {
        <Show
            when=move || open() == 0
            fallback=move || view! {
                <p role="alert" class="error">
                    {format!("{} field(s) still need attention; go back to fix them.", open())}
                </p>
            }
        >
            <ServerPart part=settings/>
            <PathPreview state clock now/>
            <section aria-labelledby="export-heading">
                <h3 id="export-heading">"The request and how to send it yourself"</h3>
                <ServerPart part=export/>
            </section>
        </Show>
    }
}

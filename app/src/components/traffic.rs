//! A stream's or a partition's traffic: charts and a table the server rendered
//! (`fragments::traffic`), for a window the operator picks, charts or table at a press.

use crate::api::parts::Part;
use crate::components::part::ServerPart;
use crate::domain::metrics::Window;
use leptos::prelude::*;

/// Traffic of `stream`, or of its `partition`, read again whenever `version` changes.
///
/// A page makes it before any part of the page that waits for an answer (and places it
/// afterwards): resources are matched to the server's answers in the order they are made, and
/// a part that waits is made at once in the browser but later on the server.
#[component]
pub fn Traffic(
    #[prop(into)] stream: Signal<String>,
    #[prop(optional)] partition: Option<String>,
    heading: String,
    #[prop(into)] version: Signal<u64>,
) -> impl IntoView {
    let window = RwSignal::new(Window::Hour);
    let as_table = RwSignal::new(false);
    let heading_id = match &partition {
        Some(p) => format!("traffic-{p}"),
        None => "traffic-stream".to_owned(),
    };
    let labelled_by = heading_id.clone();
    let part = Signal::derive(move || Part::Traffic {
        stream: stream.get(),
        partition: partition.clone(),
        window: window.get().as_str().to_owned(),
    });
    view! {
        <section class="card traffic" class:as-table=move || as_table.get() aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            <div class="actions" role="group" aria-label="Time window">
                {Window::ALL.into_iter().map(|w| view! {
                    <button type="button" aria-pressed=move || (window.get() == w).to_string()
                        on:click=move |_| window.set(w)>{w.as_str()}</button>
                }).collect_view()}
                <button type="button" aria-pressed=move || as_table.get().to_string()
                    on:click=move |_| as_table.update(|t| *t = !*t)>"Show as table"</button>
            </div>
            <ServerPart part version/>
        </section>
    }
}

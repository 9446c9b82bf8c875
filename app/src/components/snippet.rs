//! Text an operator copies: a block with a copy button, and the export snippets of a task (the
//! request JSON and the code that sends it with curl or an official SDK).

use crate::components::browser;
use crate::domain::export::{self, ExportTarget};
use crate::domain::DumpTask;
use leptos::prelude::*;

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

/// The request that adds `task`, and the same request as curl and SDK code for `target`.
#[component]
pub fn ExportSnippets(task: DumpTask, target: ExportTarget) -> impl IntoView {
    let snippets = [
        ("Request JSON", export::request_json(&task)),
        ("curl", export::curl(&task, &target)),
        ("Python SDK", export::python(&task, &target)),
        ("Java SDK", export::java(&task, &target)),
        ("Go SDK", export::go(&task, &target)),
    ];
    snippets
        .into_iter()
        .map(|(title, text)| view! { <Snippet title text/> })
        .collect_view()
}

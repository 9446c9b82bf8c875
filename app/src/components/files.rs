//! What landed in OBS, as panels of the task and stream pages. The server renders their
//! contents (`fragments::files`); the browser keeps only which day and page are shown and
//! which file's first lines are open.

use crate::api::parts::Part;
use crate::components::browser;
use crate::components::part::ServerPart;
use leptos::prelude::*;

/// A task's files: newest first, paged, with the clock they show; a file's first lines on
/// request. Like `Traffic`, a page makes it before any part that waits.
#[component]
pub fn TaskFiles(
    #[prop(into)] stream: Signal<String>,
    #[prop(into)] task: Signal<String>,
    #[prop(into)] version: Signal<u64>,
) -> impl IntoView {
    let page = RwSignal::new(0u32);
    let day = RwSignal::new(String::new());
    let opened = RwSignal::new(None::<String>);
    let part = Signal::derive(move || Part::TaskFiles {
        stream: stream.get(),
        task: task.get(),
        day: day.get(),
        page: page.get(),
    });
    let on_action = Callback::new(
        move |(action, value): (String, String)| match action.as_str() {
            "files-page" => page.set(value.parse().unwrap_or(0)),
            "files-day" => {
                page.set(0);
                day.set(value);
            }
            "first-lines" => opened.set(Some(value)),
            _ => {}
        },
    );
    view! {
        <section class="card files" aria-labelledby="files-heading">
            <h2 id="files-heading" tabindex="-1">"Files"</h2>
            <ServerPart part version on_action/>
            {move || opened.get().map(|key| {
                let part = Part::FirstLines { stream: stream.get_untracked(), task: task.get_untracked(), key };
                view! {
                    <div id="first-lines">
                        <ServerPart part/>
                        <button type="button" on:click=move |_| {
                            opened.set(None);
                            browser::focus_id("files-heading");
                        }>"Hide first lines"</button>
                    </div>
                }
            })}
        </section>
    }
}

/// The files and bytes each of a stream's tasks wrote in the last hour.
#[component]
pub fn StreamFiles(
    #[prop(into)] stream: Signal<String>,
    #[prop(into)] version: Signal<u64>,
) -> impl IntoView {
    let part = Signal::derive(move || Part::StreamFiles {
        stream: stream.get(),
    });
    view! {
        <section class="card files" aria-labelledby="stream-files-heading">
            <h2 id="stream-files-heading">"Files in the last hour"</h2>
            <ServerPart part version/>
        </section>
    }
}

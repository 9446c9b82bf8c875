//! A part of a page the server renders (`api::parts::get_part`), inserted as it comes: one
//! component, one resource, for every such part, so the WASM carries their code once.

use crate::api::parts::{get_part, Part};
use crate::components::browser;
use leptos::prelude::*;

/// `part`, read again whenever it or `version` changes. A failure is said in plain words, with
/// a button to try again. Copy buttons in the markup copy (`browser::copy_on_click`); a press
/// on a button with `data-action` calls `on_action` with its action and `data-value`.
#[component]
pub fn ServerPart(
    #[prop(into)] part: Signal<Part>,
    #[prop(optional, into)] version: Option<Signal<u64>>,
    #[prop(optional)] on_action: Option<Callback<(String, String)>>,
) -> impl IntoView {
    let retries = RwSignal::new(0u32);
    let html = Resource::new(
        move || (part.get(), version.map(|v| v.get()), retries.get()),
        |(part, ..)| get_part(part),
    );
    view! {
        <Transition fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match html.await {
                    Ok(html) => view! {
                        <div class="server-part" inner_html=html on:click=move |ev| {
                            browser::copy_on_click(&ev);
                            if let (Some(act), Some(pressed)) = (on_action, browser::action_of(&ev)) {
                                act.run(pressed);
                            }
                        }></div>
                    }.into_any(),
                    Err(e) => view! {
                        <div role="alert" class="error banner">
                            <p>{e.to_string()}</p>
                            <button type="button" on:click=move |_| retries.update(|r| *r += 1)>"Try again"</button>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

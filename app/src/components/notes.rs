//! How a page says something went wrong: one alert, in plain words, with the request id the
//! error carries.

use leptos::prelude::*;

/// An error, announced to assistive technology as it appears. A `banner` spans the page above
/// what failed; otherwise it sits where the content would have been.
#[component]
pub fn ErrorNote(#[prop(into)] message: String, #[prop(optional)] banner: bool) -> impl IntoView {
    view! { <p role="alert" class="error" class:banner=banner>{message}</p> }
}

/// The latest problem of an action on the page, while there is one.
#[component]
pub fn Problem(problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|message| view! { <ErrorNote message banner=true/> })
    }
}

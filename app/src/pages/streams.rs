use leptos::prelude::*;
use leptos_meta::Title;

/// The streams page. Listing streams needs the DIS client, which this version does not have yet.
#[component]
pub fn Streams() -> impl IntoView {
    view! {
        <Title text="Streams"/>
        <h1>"Streams"</h1>
        <p class="empty">"Listing streams is not available in this version of the console."</p>
    }
}

use leptos::prelude::*;
use leptos_meta::Title;

/// The audit log page. The log itself needs operator accounts, which this version does not have.
#[component]
pub fn Audit() -> impl IntoView {
    view! {
        <Title text="Audit"/>
        <h1>"Audit"</h1>
        <p class="empty">"The audit log is not available in this version of the console."</p>
    }
}

//! Moments as an operator reads them: relative, with the exact time on hover.

use crate::domain::civil::relative;
use crate::domain::{DateTime, ZoneOffset};
use leptos::prelude::*;

/// `3 min ago`, with the exact UTC time as its tooltip and `datetime`; "never" for none.
#[component]
pub fn Ago(ms: i64) -> impl IntoView {
    if ms <= 0 {
        return view! { <span class="muted">"never"</span> }.into_any();
    }
    let exact = DateTime::from_epoch_ms(ms, ZoneOffset::UTC);
    view! {
        <time datetime=format!("{}Z", exact.to_iso_string())
            title=format!("{} UTC", exact.to_iso_string().replace('T', " "))>
            {relative(ms, crate::clock::now_ms())}
        </time>
    }
    .into_any()
}

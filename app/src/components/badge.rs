//! A dump task's state as a coloured badge.

use crate::domain::dis::TaskState;
use leptos::prelude::*;

/// The state in DIS's words, coloured by whether it needs attention.
#[component]
pub fn StateBadge(state: TaskState) -> impl IntoView {
    let class = match state {
        TaskState::Running => "badge badge-ok",
        TaskState::Paused => "badge badge-paused",
        TaskState::Starting => "badge badge-info",
        TaskState::Error | TaskState::Abnormal => "badge badge-bad",
        TaskState::Delete | TaskState::Unknown => "badge",
    };
    view! { <span class=class>{state.as_str()}</span> }
}

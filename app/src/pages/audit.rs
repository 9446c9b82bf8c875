//! `/audit`: every login, change and test send, newest first, for admins.

use crate::api::parts::Part;
use crate::components::part::ServerPart;
use crate::domain::audit::{AuditAction, AuditFilter, AuditOutcome};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The audit page showing `f`.
pub fn audit_href(f: &AuditFilter) -> String {
    let mut query = leptos_router::params::ParamsMap::new();
    for (key, value) in [
        ("operator", &f.operator),
        ("action", &f.action),
        ("outcome", &f.outcome),
    ] {
        if !value.is_empty() {
            query.insert(key, value.clone());
        }
    }
    if f.before_ms > 0 {
        query.insert("before", f.before_ms.to_string());
    }
    format!("/audit{}", query.to_query_string())
}

#[component]
pub fn Audit() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| AuditFilter {
            operator: q.get("operator").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            outcome: q.get("outcome").unwrap_or_default(),
            before_ms: q.get("before").and_then(|b| b.parse().ok()).unwrap_or(0),
        })
    };
    let navigate = use_navigate();
    // Each control sets one part of the filter from its value, and the list starts over.
    let on_change = move |part: fn(&mut AuditFilter) -> &mut String| {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            let mut f = filter();
            *part(&mut f) = event_target_value(&ev).trim().to_owned();
            f.before_ms = 0;
            let options = NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            };
            navigate(&audit_href(&f), options);
        }
    };
    let set_operator = on_change(|f| &mut f.operator);
    let set_action = on_change(|f| &mut f.action);
    let set_outcome = on_change(|f| &mut f.outcome);
    view! {
        <Title text="Audit"/>
        <h1>"Audit"</h1>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="audit-operator">"Operator"</label>
                <input id="audit-operator" type="search" autocomplete="off" maxlength="64"
                    prop:value=move || filter().operator on:change=set_operator/>
            </div>
            <WordChoice id="audit-action" label="Action" words=AuditAction::ALL.iter().map(|a| a.as_str()).collect()
                chosen=Signal::derive(move || filter().action) on_change=set_action/>
            <WordChoice id="audit-outcome" label="Outcome" words=AuditOutcome::ALL.iter().map(|o| o.as_str()).collect()
                chosen=Signal::derive(move || filter().outcome) on_change=set_outcome/>
        </form>
        <ServerPart part=Signal::derive(move || Part::Audit(filter()))/>
    }
}

/// A filter that is one of the log's words, or any.
#[component]
fn WordChoice(
    id: &'static str,
    label: &'static str,
    words: Vec<&'static str>,
    chosen: Signal<String>,
    on_change: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=on_change>
                {std::iter::once("").chain(words).map(|w| view! {
                    <option value=w selected=move || chosen.get() == w>{if w.is_empty() { "Any" } else { w }}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

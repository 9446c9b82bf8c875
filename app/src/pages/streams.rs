//! `/streams`: the streams DIS reports, one page at a time, filtered by name.

use crate::api::parts::Part;
use crate::api::streams::STREAM_PAGE_SIZES;
use crate::components::part::ServerPart;
use crate::components::session::{allows, my_role};
use crate::domain::dis::MAX_STREAM_FILTER;
use crate::domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// A streams-list URL: `/streams?after=…&limit=…&q=…`, leaving out what is at its default.
pub fn streams_href(after: &str, limit: u32, filter: &str) -> String {
    let limit = (limit != STREAM_PAGE_SIZES[0]).then(|| limit.to_string());
    let query: Vec<String> = [
        ("after", Some(after)),
        ("limit", limit.as_deref()),
        ("q", Some(filter)),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.filter(|v| !v.is_empty()).map(|v| (key, v)))
    .map(|(key, value)| format!("{key}={}", crate::url::percent_encode(value, b"")))
    .collect();
    if query.is_empty() {
        "/streams".to_owned()
    } else {
        format!("/streams?{}", query.join("&"))
    }
}

/// `/streams`: one page of DIS's streams at a time, filtered by name; the page, its size and
/// the filter live in the URL, so a link shares them and the back button returns to them.
#[component]
pub fn Streams() -> impl IntoView {
    let query = use_query_map();
    let after = move || query.with(|q| q.get("after").unwrap_or_default());
    let limit = move || {
        query.with(|q| {
            q.get("limit")
                .and_then(|l| l.parse::<u32>().ok())
                .unwrap_or(STREAM_PAGE_SIZES[0])
        })
    };
    let filter = move || query.with(|q| q.get("q").unwrap_or_default());
    let part = Signal::derive(move || Part::Streams {
        after: after(),
        limit: limit(),
        filter: filter(),
    });
    let typed = RwSignal::new(filter());
    let navigate = use_navigate();
    let replace = NavigateOptions {
        replace: true,
        scroll: false,
        ..NavigateOptions::default()
    };
    let on_filter = {
        let (navigate, replace) = (navigate.clone(), replace.clone());
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            typed.set(value.clone());
            navigate(&streams_href("", limit(), value.trim()), replace.clone());
        }
    };
    let on_limit = move |ev: leptos::ev::Event| {
        let size = event_target_value(&ev)
            .parse()
            .unwrap_or(STREAM_PAGE_SIZES[0]);
        navigate(&streams_href("", size, &filter()), replace.clone());
    };
    view! {
        <Title text="Streams"/>
        <div class="page-head">
            <h1>"Streams"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    allows(my_role().await, Role::Operator).then(|| view! {
                        <div class="actions">
                            <a class="button" href="/new-stream">"Create stream"</a>
                            <a class="button primary" href="/add-task">"Add dump task"</a>
                        </div>
                    })
                })}
            </Transition>
        </div>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="stream-filter">"Filter by name"</label>
                <input id="stream-filter" type="search" autocomplete="off" spellcheck="false"
                    maxlength=MAX_STREAM_FILTER.to_string()
                    prop:value=move || typed.get() on:input=on_filter/>
            </div>
            <div class="field">
                <label for="stream-page-size">"Rows per page"</label>
                <select id="stream-page-size" on:change=on_limit>
                    {STREAM_PAGE_SIZES.into_iter().map(|n| view! {
                        <option value=n.to_string() selected=move || limit() == n>{n}</option>
                    }).collect_view()}
                </select>
            </div>
        </form>
        <ServerPart part/>
    }
}

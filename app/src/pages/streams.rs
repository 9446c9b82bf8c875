//! `/streams`: the streams DIS reports, one page at a time, filtered by name.

use crate::api::streams::{list_stream_page, StreamPage, STREAM_PAGE_SIZES};
use crate::components::session::{allows, my_role};
use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::dis::MAX_STREAM_FILTER;
use crate::domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// A streams-list URL: `/streams?after=…&limit=…&q=…`, leaving out what is at its default.
fn streams_href(after: &str, limit: u32, filter: &str) -> String {
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
    let version = RwSignal::new(0u32);
    let page = Resource::new(
        move || (after(), limit(), filter(), version.get()),
        |(after, limit, filter, _)| {
            list_stream_page((!after.is_empty()).then_some(after), limit, filter)
        },
    );
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
                    allows(my_role().await, Role::Operator)
                        .then(|| view! { <a class="button primary" href="/add-task">"Add dump task"</a> })
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
        <Transition fallback=|| view! { <p aria-busy="true">"Loading streams…"</p> }>
            {move || Suspend::new(async move {
                let (after, limit, filter) = (after(), limit(), filter());
                match page.await {
                    Ok(p) => view! { <StreamTable p after limit filter/> }.into_any(),
                    Err(e) => view! {
                        <div role="alert" class="error banner">
                            <p>{e.to_string()}</p>
                            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"Try again"</button>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StreamTable(p: StreamPage, after: String, limit: u32, filter: String) -> impl IntoView {
    let first_page = (!after.is_empty()).then(|| streams_href("", limit, &filter));
    let next_page = p.next.as_deref().map(|n| streams_href(n, limit, &filter));
    let summary = if filter.is_empty() {
        format!("{} stream(s) in this project.", p.total)
    } else {
        format!(
            "{} stream(s) on this page contain “{}”.",
            p.streams.len(),
            filter
        )
    };
    let empty = match (p.streams.is_empty(), filter.is_empty(), after.is_empty()) {
        (false, ..) => None,
        (true, false, _) => Some(format!("No stream name contains “{filter}”{}.", if after.is_empty() { "" } else { " after this point" })),
        (true, true, false) => Some("There are no more streams.".to_owned()),
        (true, true, true) => Some(
            "This project has no streams yet. Streams are created in the DIS console or through its API; they appear here as soon as they exist.".to_owned(),
        ),
    };
    let clear = (!filter.is_empty()).then(|| streams_href("", limit, ""));
    view! {
        <p class="muted" aria-live="polite">{summary}</p>
        {match empty {
            Some(text) => view! {
                <div class="empty">
                    <p>{text}</p>
                    {clear.map(|href| view! { <a href=href>"Clear the filter"</a> })}
                </div>
            }.into_any(),
            None => view! {
                <Table caption="Streams" columns=columns(&["Name", "Data type", "Status", "Partitions", "Retention", "Created"])>
                            {p.streams.into_iter().map(|s| view! {
                                <tr>
                                    <td><a href=format!("/streams/{}", s.stream_name)>{s.stream_name.clone()}</a></td>
                                    <td>{s.data_type}</td>
                                    <td>{s.status}</td>
                                    <td>{s.partition_count}</td>
                                    <td>{format!("{} h", s.retention_period)}</td>
                                    <td><Ago ms=s.create_time/></td>
                                </tr>
                            }).collect_view()}
                </Table>
            }.into_any(),
        }}
        <nav class="pager" aria-label="Stream pages">
            {first_page.map(|href| view! { <a class="button" href=href>"First page"</a> })}
            {next_page.map(|href| view! { <a class="button" href=href>"Next page"</a> })}
        </nav>
    }
}

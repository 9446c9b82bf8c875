//! A page of the streams list: the count, the table, the empty states and the pager.

use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::views::StreamPage;
use crate::pages::streams::streams_href;
use leptos::prelude::*;

pub fn streams(p: StreamPage, after: &str, limit: u32, filter: &str) -> String {
    let first_page = (!after.is_empty()).then(|| streams_href("", limit, filter));
    let next_page = p.next.as_deref().map(|n| streams_href(n, limit, filter));
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
        (true, false, _) => Some(format!(
            "No stream name contains “{filter}”{}.",
            if after.is_empty() { "" } else { " after this point" }
        )),
        (true, true, false) => Some("There are no more streams.".to_owned()),
        (true, true, true) => Some(
            "This project has no streams yet. Streams are created in the DIS console or through its API; they appear here as soon as they exist.".to_owned(),
        ),
    };
    let clear = (!filter.is_empty()).then(|| streams_href("", limit, ""));
    super::html(view! {
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
    })
}

//! Audit lines as a table: the audit page's list with its pager, and the overview's recent
//! changes.

use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::audit::{AuditEntry, AuditFilter, AUDIT_PAGE};
use crate::pages::audit::audit_href;
use leptos::prelude::*;

/// Audit lines as a table.
#[component]
pub fn AuditTable(caption: &'static str, list: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <Table caption columns=columns(&["When", "Operator", "Action", "Target", "Outcome", "DIS code", "Request id"])>
            {list.into_iter().map(|l| view! {
                <tr>
                    <td><Ago ms=l.at_ms/></td>
                    <td class="source">
                        {l.operator}
                        {l.identity.map(|who| view! {
                            <span class="muted subject">{who.to_string()}</span>
                        })}
                    </td>
                    <td>{l.action.as_str()}</td>
                    <td>{l.target}</td>
                    <td>{l.outcome.as_str()}</td>
                    <td>{l.dis_code.unwrap_or_default()}</td>
                    <td><code>{l.request_id}</code></td>
                </tr>
            }).collect_view()}
        </Table>
    }
}

/// The lines that match `filter`, newest first, with a link to the older ones when the page is
/// full.
pub fn audit(filter: &AuditFilter, list: Vec<AuditEntry>) -> String {
    if list.is_empty() {
        return super::html(view! { <p class="empty">"No audit lines match."</p> });
    }
    let older = (list.len() as u32 == AUDIT_PAGE).then(|| {
        audit_href(&AuditFilter {
            before_ms: list.last().map_or(0, |l| l.at_ms),
            ..filter.clone()
        })
    });
    super::html(view! {
        <AuditTable caption="Audit log" list/>
        <nav class="pager" aria-label="Audit pages">
            {older.map(|href| view! { <a class="button" href=href>"Older lines"</a> })}
        </nav>
    })
}

//! `/audit`: every login, change and test send, newest first, for admins.

use crate::api::admin::list_audit;
use crate::components::notes::ErrorNote;
use crate::components::table::{columns, Table};
use crate::components::time::Ago;
use crate::domain::audit::{AuditAction, AuditFilter, AuditOutcome, AUDIT_PAGE};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

fn audit_href(f: &AuditFilter) -> String {
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
    let lines = Resource::new(filter, list_audit);
    let navigate = use_navigate();
    let set = move |edit: &dyn Fn(&mut AuditFilter)| {
        let mut f = filter();
        edit(&mut f);
        f.before_ms = 0;
        navigate(
            &audit_href(&f),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let set_operator = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f| f.operator = v.trim().to_owned())
        }
    };
    let set_action = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f| f.action = v.clone())
        }
    };
    let set_outcome = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        set(&|f| f.outcome = v.clone())
    };
    view! {
        <Title text="Audit"/>
        <h1>"Audit"</h1>
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="audit-operator">"Operator"</label>
                <input id="audit-operator" type="search" autocomplete="off" maxlength="64"
                    prop:value=move || filter().operator on:change=set_operator/>
            </div>
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" on:change=set_action>
                    {std::iter::once("").chain(AuditAction::ALL.iter().map(|a| a.as_str())).map(|a| view! {
                        <option value=a selected=move || filter().action == a>{if a.is_empty() { "Any" } else { a }}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-outcome">"Outcome"</label>
                <select id="audit-outcome" on:change=set_outcome>
                    {std::iter::once("").chain(AuditOutcome::ALL.iter().map(|o| o.as_str())).map(|o| view! {
                        <option value=o selected=move || filter().outcome == o>{if o.is_empty() { "Any" } else { o }}</option>
                    }).collect_view()}
                </select>
            </div>
        </form>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                let f = filter();
                match lines.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No audit lines match."</p> }.into_any(),
                    Ok(list) => {
                        let older = (list.len() as u32 == AUDIT_PAGE).then(|| {
                            audit_href(&AuditFilter { before_ms: list.last().map(|l| l.at_ms).unwrap_or(0), ..f.clone() })
                        });
                        view! {
                            <Table caption="Audit log" columns=columns(&["When", "Operator", "Action", "Target", "Outcome", "DIS code", "Request id"])>
                                        {list.into_iter().map(|l| view! {
                                            <tr>
                                                <td><Ago ms=l.at_ms/></td>
                                                <td>{l.operator}</td>
                                                <td>{l.action.as_str()}</td>
                                                <td>{l.target}</td>
                                                <td>{l.outcome.as_str()}</td>
                                                <td>{l.dis_code.unwrap_or_default()}</td>
                                                <td><code>{l.request_id}</code></td>
                                            </tr>
                                        }).collect_view()}
                            </Table>
                            <nav class="pager" aria-label="Audit pages">
                                {older.map(|href| view! { <a class="button" href=href>"Older lines"</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

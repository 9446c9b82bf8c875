//! The landing page: is everything dumping? The server renders the body from the snapshot it
//! shares with every operator (`fragments::overview`); this page holds the filter, Refresh and
//! what the console is connected to.

use crate::api::parts::{refresh_overview, Part};
use crate::api::status::{get_console_status, ConsoleStatus, DisTargetSummary};
use crate::components::action::Pending;
use crate::components::notes::{ErrorNote, Problem};
use crate::components::part::ServerPart;
use crate::domain::overview::StateFilter;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Overview() -> impl IntoView {
    // The filter travels as its words; the server reads them (`StateFilter::parse`).
    let filter = RwSignal::new(StateFilter::All.as_str().to_owned());
    let name = RwSignal::new(String::new());
    // Bumped after a Refresh, so the page shows the new read.
    let version = RwSignal::new(0u64);
    let part = Signal::derive(move || Part::Overview {
        state: filter.get(),
        name: name.get(),
    });
    let pending = Pending::new();
    let refresh = move |_| {
        pending.run("Reading DIS…", refresh_overview(), move |read| {
            version.set(read)
        })
    };
    view! {
        <Title text="Overview"/>
        <div class="page-head">
            <h1>"Overview"</h1>
            <div class="actions">
                <button type="button" on:click=refresh disabled=move || pending.running()>"Refresh"</button>
            </div>
        </div>
        <p class="progress muted" aria-live="polite">{move || pending.busy.get()}</p>
        <Problem problem=pending.problem/>
        <form class="toolbar" role="search" aria-label="Filter the dump tasks" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="overview-state">"Show"</label>
                <select id="overview-state" on:change=move |ev| filter.set(event_target_value(&ev))>
                    {StateFilter::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() selected=move || filter.get() == f.as_str()>{f.as_str()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="overview-name">"Stream or task name"</label>
                <input id="overview-name" type="search" autocomplete="off" maxlength="64"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
        </form>
        <ServerPart part version/>
        <Connection/>
    }
}

/// What this console is connected to.
#[component]
fn Connection() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_console_status());
    view! {
        <section aria-labelledby="connection-heading" class="card">
            <h2 id="connection-heading">"Connection"</h2>
            <Suspense fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) => view! { <StatusDetails status/> }.into_any(),
                        Err(e) => view! { <ErrorNote message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn StatusDetails(status: ConsoleStatus) -> impl IntoView {
    let target = match status.dis {
        DisTargetSummary::Embedded => view! {
            <dt>"DIS"</dt>
            <dd>"Embedded DIS-compatible backend (DIS_ENDPOINT is not set)"</dd>
        }
        .into_any(),
        DisTargetSummary::Remote {
            endpoint,
            region,
            project_id,
        } => view! {
            <dt>"DIS endpoint"</dt>
            <dd><code>{endpoint}</code></dd>
            <dt>"Region"</dt>
            <dd>{region}</dd>
            <dt>"Project"</dt>
            <dd><code>{project_id}</code></dd>
        }
        .into_any(),
    };
    view! {
        <dl class="facts">
            {target}
            <dt>"Console version"</dt>
            <dd>{status.version}</dd>
        </dl>
    }
}

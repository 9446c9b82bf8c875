use crate::api::status::{get_console_status, ConsoleStatus, DisTargetSummary};
use crate::components::notes::ErrorNote;
use leptos::prelude::*;
use leptos_meta::Title;

/// The landing page: what this console is connected to.
#[component]
pub fn Overview() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_console_status());
    view! {
        <Title text="Overview"/>
        <h1>"Overview"</h1>
        <p class="lede">
            "Create and run the dump tasks that copy DIS stream records into OBS buckets."
        </p>
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

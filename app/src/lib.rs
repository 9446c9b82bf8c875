//! The console's user interface and everything shared between browser and server: the shell,
//! the routes, the pages, the components and the server functions.
//!
//! This crate never depends on `server`. Server-only code sits behind the `ssr` feature; what the
//! server provides (configuration summaries, the DIS and accounts ports) reaches server
//! functions through Leptos context. From the floor up: `domain` (rules, no I/O), `ports`
//! (traits the server implements), `services` (the work, over the ports), `api` (server
//! functions: guard, audit, a call), `components` and `pages`.

pub mod api;
pub mod clock;
pub mod components;
pub mod domain;
pub mod error;
#[cfg(feature = "ssr")]
pub mod fragments;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod services;
pub mod url;

use components::toast::{ToastRegion, Toasts};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path,
};

/// The product name shown in the header and in page titles.
pub const PRODUCT_NAME: &str = "DIS Dump Console";

/// The name cargo-leptos gives the generated `pkg/<name>.{js,wasm,css}` files. It must equal
/// `name` under `[[workspace.metadata.leptos]]` in the workspace `Cargo.toml`.
pub const OUTPUT_NAME: &str = "dis-console";

/// The folder under the site root that holds the generated bundle. It must equal `site-pkg-dir`
/// under `[[workspace.metadata.leptos]]`.
pub const PKG_DIR: &str = "pkg";

/// The attribute set on `<body>` once the page has hydrated; end-to-end tests wait for it.
pub const HYDRATED_ATTRIBUTE: &str = "data-hydrated";

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // A plain link, not leptos_meta's <Stylesheet>: the sheet never changes between
                // pages, and the meta component fails to hydrate in cargo-leptos dev builds.
                <link
                    rel="stylesheet"
                    id="leptos"
                    href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
                />
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The console: header, navigation, the routed page and the notification region.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(Toasts::new());
    let me = components::session::provide_me();
    let log_out = move |_| {
        leptos::task::spawn_local(async move {
            // The login page, or the identity provider's logout for someone who signed on
            // there. A failed logout goes to the login page too: it is logged on the server
            // and the session's idle limit still ends it.
            let target = api::session::logout().await;
            components::session::reload_to(target.as_deref().unwrap_or("/login"));
        });
    };

    // Effects run only in the browser, after hydration has attached every handler.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute(HYDRATED_ATTRIBUTE, "true");
        }
    });

    // The router would treat "#main" as a navigation and leave focus where it was; the skip link
    // moves keyboard focus to the page itself.
    let main_ref = NodeRef::<leptos::html::Main>::new();
    let skip_to_main = move |ev: leptos::ev::MouseEvent| {
        if let Some(main) = main_ref.get() {
            ev.prevent_default();
            let _ = main.focus();
        }
    };

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { PRODUCT_NAME.to_string() } else { format!("{page} · {PRODUCT_NAME}") }
        }/>
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <header class="topbar">
                <a class="brand" href="/">{PRODUCT_NAME}</a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        use domain::Role;
                        use components::session::allows;
                        let who = me.0.await.ok().and_then(|w| w.me);
                        let role = who.as_ref().map(|m| m.role);
                        view! {
                            <nav class="mainnav" aria-label="Main">
                                {who.is_some().then(|| view! { <A href="/streams">"Streams"</A> })}
                                {allows(role, Role::Operator).then(|| view! { <A href="/add-task">"Add dump task"</A> })}
                                {allows(role, Role::Admin).then(|| view! {
                                    <A href="/audit">"Audit"</A>
                                    <A href="/operators">"Operators"</A>
                                })}
                            </nav>
                            {who.map(|m| view! {
                                <div class="who">
                                    <span>{m.name}" "<span class="muted">{format!("({})", m.role.as_str())}</span></span>
                                    <button type="button" class="quiet" on:click=log_out>"Log out"</button>
                                </div>
                            })}
                        }
                    })}
                </Transition>
            </header>
            <main id="main" class="page" tabindex="-1" node_ref=main_ref>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view=pages::overview::Overview/>
                    <Route path=path!("streams") view=pages::streams::Streams/>
                    <Route path=path!("new-stream") view=pages::stream_form::NewStream/>
                    <Route path=path!("streams/:stream") view=pages::stream::Stream/>
                    <Route path=path!("streams/:stream/add-task") view=pages::wizard::AddTask/>
                    <Route path=path!("streams/:stream/tasks/:task") view=pages::task::Task/>
                    <Route path=path!("streams/:stream/tasks/:task/modify") view=pages::wizard::ModifyTask/>
                    <Route path=path!("add-task") view=pages::wizard::PickStream/>
                    <Route path=path!("audit") view=pages::audit::Audit/>
                    <Route path=path!("operators") view=pages::operators::Operators/>
                    <Route path=path!("login") view=pages::login::Login/>
                </Routes>
            </main>
            <ToastRegion/>
        </Router>
    }
}

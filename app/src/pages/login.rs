//! `/login`.

use crate::api::session::{login, Password};
use crate::components::notes::ErrorNote;
use crate::components::session::reload_to;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = query.with_untracked(|q| q.get("next").unwrap_or_else(|| "/".into()));
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let result = login(
                name.get_untracked(),
                Password::new(password.get_untracked()),
                next,
            )
            .await;
            match result {
                Ok(target) => reload_to(&target),
                Err(e) => {
                    busy.set(false);
                    password.set(String::new());
                    problem.set(Some(e.to_string()));
                }
            }
        });
    };
    view! {
        <Title text="Log in"/>
        <div class="login card">
            <h1>"Log in"</h1>
            <form on:submit=submit>
                <div class="field">
                    <label for="login-name">"Name"</label>
                    <input id="login-name" type="text" autocomplete="username" required
                        autocapitalize="none" spellcheck="false"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="login-password">"Password"</label>
                    <input id="login-password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || problem.get().map(|p| view! { <ErrorNote message=p/> })}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Logging in…" } else { "Log in" }}
                </button>
            </form>
        </div>
    }
}

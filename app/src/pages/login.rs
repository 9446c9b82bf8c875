//! `/login`.

use crate::api::session::{login, Password};
use crate::components::notes::ErrorNote;
use crate::components::session::reload_to;
use crate::components::session::MeResource;
use crate::domain::sso::SignOnRefusal;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map();
    let me = use_context::<MeResource>();
    // A sign-on refused by the callback comes back with its code and request id.
    let refusal = move || query.with(|q| SignOnRefusal::message(q.get("sso"), q.get("request")));
    let sign_on_href = move || {
        let next = query.with(|q| q.get("next").unwrap_or_else(|| "/".into()));
        format!(
            "/auth/login?next={}",
            crate::url::percent_encode(&next, b"/")
        )
    };
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
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let options = match me {
                        Some(me) => me.0.await.map(|w| w.sign_in).unwrap_or_default(),
                        None => Default::default(),
                    };
                    let refusal = refusal().map(|message| view! { <ErrorNote message/> });
                    // The provider's button is the main way in when there is one.
                    let provider_absent = options.provider.is_none();
                    let provider = options.provider.map(|name| view! {
                        <p><a class="button primary sign-on" rel="external" href=sign_on_href>{format!("Sign in with {name}")}</a></p>
                    });
                    let or = (provider.is_some() && options.local)
                        .then(|| view! { <p class="muted">"Or log in with a console password:"</p> });
                    let form = options.local.then(|| view! {
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
                            <button type="submit" class:primary=provider_absent disabled=move || busy.get()>
                                {move || if busy.get() { "Logging in…" } else { "Log in" }}
                            </button>
                        </form>
                    });
                    view! { {refusal} {provider} {or} {form} }
                })}
            </Suspense>
        </div>
    }
}

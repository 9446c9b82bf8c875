//! `/operators`: who may use the console, and with which role. For admins.

use crate::api::admin::{list_operators, save_operator, OperatorEdit};
use crate::api::session::Password;
use crate::components::notes::{ErrorNote, Problem};
use crate::components::table::{columns, Column, Table};
use crate::components::time::Ago;
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Operators() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| list_operators());
    let problem = RwSignal::new(None::<String>);
    let toasts = use_toasts();
    let save = move |edit: OperatorEdit, done: &'static str| {
        let name = edit.name().to_owned();
        problem.set(None);
        leptos::task::spawn_local(async move {
            match save_operator(edit).await {
                Ok(()) => {
                    toasts.push(ToastKind::Success, format!("{name}: {done}."));
                    version.update(|v| *v += 1);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    let (new_name, new_role, new_password) = (
        RwSignal::new(String::new()),
        RwSignal::new(Role::Operator),
        RwSignal::new(String::new()),
    );
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(
            OperatorEdit::Add {
                name: new_name.get_untracked(),
                role: new_role.get_untracked(),
                password: Password::new(new_password.get_untracked()),
            },
            "added",
        );
        new_password.set(String::new());
    };
    view! {
        <Title text="Operators"/>
        <h1>"Operators"</h1>
        <Problem problem/>
        <Transition fallback=|| view! { <p aria-busy="true">"Loading operators…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! {
                        <Table caption="Operators" columns=operator_columns()>
                                    {list.into_iter().map(|o| {
                                        let (n1, n2) = (o.name.clone(), o.name.clone());
                                        let disabled = o.disabled;
                                        // Whoever signs on has the role their groups give at
                                        // each sign-on: it is shown, not set here.
                                        let role = match o.sign_on.is_some() {
                                            true => view! { <span title="From their groups at the identity provider">{o.role.as_str()}</span> }.into_any(),
                                            false => view! {
                                                    <select aria-label=format!("Role of {}", o.name) on:change=move |ev| {
                                                        if let Ok(role) = Role::parse(&event_target_value(&ev)) {
                                                            save(OperatorEdit::SetRole { name: n1.clone(), role }, "role changed");
                                                        }
                                                    }>
                                                        {Role::ALL.into_iter().map(|r| view! {
                                                            <option value=r.as_str() selected=r == o.role>{r.as_str()}</option>
                                                        }).collect_view()}
                                                    </select>
                                            }.into_any(),
                                        };
                                        let source = match &o.sign_on {
                                            Some(who) => view! {
                                                <span>"identity provider"</span>
                                                <span class="muted subject">{who.to_string()}</span>
                                            }.into_any(),
                                            None => "local".into_any(),
                                        };
                                        view! {
                                            <tr>
                                                <td>{o.name.clone()}</td>
                                                <td>{role}</td>
                                                <td class="source">{source}</td>
                                                <td>{if disabled { "disabled" } else { "enabled" }}</td>
                                                <td><Ago ms=o.created_ms/></td>
                                                <td>{match o.last_login_ms {
                                                    Some(ms) => view! { <Ago ms/> }.into_any(),
                                                    None => "never".into_any(),
                                                }}</td>
                                                <td>
                                                    <button type="button" on:click=move |_| save(
                                                        OperatorEdit::SetDisabled { name: n2.clone(), disabled: !disabled },
                                                        if disabled { "enabled" } else { "disabled" },
                                                    )>{if disabled { format!("Enable {}", o.name) } else { format!("Disable {}", o.name) }}</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                        </Table>
                    }.into_any(),
                    Err(e) => view! { <ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="add-operator-heading">
            <h2 id="add-operator-heading">"Add an operator or set a password"</h2>
            <form on:submit=add>
                <div class="field">
                    <label for="operator-name">"Name"</label>
                    <input id="operator-name" type="text" autocomplete="off" spellcheck="false" aria-describedby="operator-name-hint"
                        prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                    <p class="hint" id="operator-name-hint">"1 to 32 lowercase letters, digits, '.', '_' or '-', starting with a letter."</p>
                </div>
                <div class="field">
                    <label for="operator-role">"Role"</label>
                    <select id="operator-role" on:change=move |ev| {
                        if let Ok(r) = Role::parse(&event_target_value(&ev)) { new_role.set(r) }
                    }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || new_role.get() == r>{r.as_str()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="operator-password">"Password"</label>
                    <input id="operator-password" type="password" autocomplete="new-password" aria-describedby="operator-password-hint"
                        prop:value=move || new_password.get() on:input=move |ev| new_password.set(event_target_value(&ev))/>
                    <p class="hint" id="operator-password-hint">"12 to 128 characters."</p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">"Add operator"</button>
                    <button type="button" on:click=move |_| {
                        save(OperatorEdit::SetPassword {
                            name: new_name.get_untracked(),
                            password: Password::new(new_password.get_untracked()),
                        }, "password set");
                        new_password.set(String::new());
                    }>"Set password"</button>
                </div>
            </form>
        </section>
    }
}

fn operator_columns() -> Vec<Column> {
    let mut all = columns(&[
        "Name",
        "Role",
        "Signs in with",
        "Status",
        "Added",
        "Last login",
    ]);
    all.push(Column::hidden("Actions"));
    all
}

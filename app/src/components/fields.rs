//! Form fields with their label, hint and inline error, wired for assistive technology:
//! `aria-invalid` while the field is wrong, `aria-describedby` naming the hint and the error.

use crate::domain::Field;
use leptos::prelude::*;

/// The element id of a field's input; error focus and tests find fields by it.
pub fn field_id(field: Field) -> String {
    format!("field-{}", field.wire_name())
}

fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// A one-line text input.
#[component]
pub fn TextField(
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    value: Signal<String>,
    on_change: Callback<String>,
    error: Signal<Option<String>>,
    on_blur: Callback<()>,
    #[prop(optional)] input_mode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(field);
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=field.wire_name()
                type="text"
                autocomplete="off"
                spellcheck="false"
                inputmode=input_mode
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| on_change.run(event_target_value(&ev))
                on:blur=move |_| on_blur.run(())
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by(&id, hint.is_some())
            />
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <p class="field-error" id=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

/// One choice of a select or radio group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Why the choice is unavailable; `None` when it can be chosen.
    pub disabled: Option<String>,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
            disabled: None,
        }
    }
}

/// A group of radio buttons in a fieldset; disabled choices say why beside them.
#[component]
pub fn RadioField(
    field: Field,
    legend: &'static str,
    choices: Vec<Choice>,
    value: Signal<String>,
    on_change: Callback<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(field);
    let name = field.wire_name();
    let options = choices
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            // The first radio carries the field id, so focus-on-error lands in the group.
            let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
            let reason_id = format!("{input_id}-reason");
            let disabled = choice.disabled.is_some();
            let v = choice.value.clone();
            let checked_value = choice.value.clone();
            view! {
                <div class="radio" class:disabled=disabled>
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=name
                        value=choice.value.clone()
                        disabled=disabled
                        prop:checked=move || value.get() == checked_value
                        on:change=move |_| on_change.run(v.clone())
                        aria-describedby=choice.disabled.as_ref().map(|_| reason_id.clone())
                    />
                    <label for=input_id>{choice.label.clone()}</label>
                    {choice.disabled.map(|why| view! { <span class="reason" id=reason_id>{why}</span> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" class:invalid=move || error.get().is_some()>
            <legend>{legend}</legend>
            {options}
            <p class="field-error" id=format!("{id}-error")>{move || error.get()}</p>
        </fieldset>
    }
}

/// A drop-down list.
#[component]
pub fn SelectField(
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    choices: Vec<Choice>,
    value: Signal<String>,
    on_change: Callback<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(field);
    let options = choices
        .into_iter()
        .map(|c| {
            let v = c.value.clone();
            view! {
                <option value=c.value.clone() selected=move || value.get() == v disabled=c.disabled.is_some()>
                    {c.label}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                name=field.wire_name()
                on:change=move |ev| on_change.run(event_target_value(&ev))
                prop:value=move || value.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by(&id, hint.is_some())
            >
                {options}
            </select>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <p class="field-error" id=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

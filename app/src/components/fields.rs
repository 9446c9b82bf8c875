//! Form fields with their label, hint and inline error, wired for assistive technology:
//! `aria-invalid` while the field is wrong, `aria-describedby` naming the hint and the error.
//! Each takes the [`FieldMeta`] of the field it edits (a dump task's or a stream's) and shows
//! that field's own label and hint, so a field is named and explained the same wherever it
//! appears.

use crate::domain::FieldMeta;
use leptos::prelude::*;

/// The element id of the input named `name`; error focus and tests find fields by it.
pub fn field_id(name: &str) -> String {
    format!("field-{name}")
}

fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// A field and what it shows and reports: its value, the change it makes, its error, and (for
/// text) a touch when focus leaves it.
#[derive(Clone, Copy)]
pub struct FieldModel {
    pub meta: FieldMeta,
    pub value: Signal<String>,
    pub on_change: Callback<String>,
    pub error: Signal<Option<String>>,
    pub on_blur: Callback<()>,
}

impl FieldModel {
    fn invalid(self) -> impl Fn() -> &'static str + Copy {
        move || {
            if self.error.get().is_some() {
                "true"
            } else {
                "false"
            }
        }
    }
}

/// The hint and the error line under a field.
#[component]
fn Notes(id: String, hint: Option<&'static str>, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
        <p class="field-error" id=format!("{id}-error")>{move || error.get()}</p>
    }
}

/// What every text and list field shows around its control: the label above, the hint and the
/// error below, and the field marked while it is wrong.
#[component]
fn Frame(model: FieldModel, children: Children) -> impl IntoView {
    let id = field_id(model.meta.name);
    view! {
        <div class="field" class:invalid=move || model.error.get().is_some()>
            <label for=id.clone()>{model.meta.label}</label>
            {children()}
            <Notes id hint=model.meta.hint error=model.error/>
        </div>
    }
}

/// A one-line text input.
#[component]
pub fn TextField(model: FieldModel) -> impl IntoView {
    let meta = model.meta;
    let id = field_id(meta.name);
    view! {
        <Frame model>
            <input
                id=id.clone()
                name=meta.name
                type="text"
                autocomplete="off"
                spellcheck="false"
                inputmode=meta.numeric.then_some("numeric")
                prop:value=move || model.value.get()
                on:input=move |ev| model.on_change.run(event_target_value(&ev))
                on:blur=move |_| model.on_blur.run(())
                aria-invalid=model.invalid()
                aria-describedby=described_by(&id, meta.hint.is_some())
            />
        </Frame>
    }
}

/// Text over several lines, such as a schema or a list of tags.
#[component]
pub fn TextAreaField(model: FieldModel, rows: u32) -> impl IntoView {
    let meta = model.meta;
    let id = field_id(meta.name);
    view! {
        <Frame model>
            <textarea
                id=id.clone()
                name=meta.name
                rows=rows
                spellcheck="false"
                prop:value=move || model.value.get()
                on:input=move |ev| model.on_change.run(event_target_value(&ev))
                on:blur=move |_| model.on_blur.run(())
                aria-invalid=model.invalid()
                aria-describedby=described_by(&id, meta.hint.is_some())
            ></textarea>
        </Frame>
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

    /// A choice shown but not offered, with the reason beside it.
    pub fn unavailable(
        value: impl Into<String>,
        label: impl Into<String>,
        why: impl Into<String>,
    ) -> Self {
        Choice {
            disabled: Some(why.into()),
            ..Choice::new(value, label)
        }
    }
}

/// A group of radio buttons in a fieldset; disabled choices say why beside them.
#[component]
pub fn RadioField(model: FieldModel, choices: Vec<Choice>) -> impl IntoView {
    let (id, name) = (field_id(model.meta.name), model.meta.name);
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
                        prop:checked=move || model.value.get() == checked_value
                        on:change=move |_| model.on_change.run(v.clone())
                        aria-describedby=choice.disabled.as_ref().map(|_| reason_id.clone())
                    />
                    <label for=input_id>{choice.label.clone()}</label>
                    {choice.disabled.map(|why| view! { <span class="reason" id=reason_id>{why}</span> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" class:invalid=move || model.error.get().is_some()>
            <legend>{model.meta.label}</legend>
            {options}
            <p class="field-error" id=format!("{id}-error")>{move || model.error.get()}</p>
        </fieldset>
    }
}

/// A drop-down list.
#[component]
pub fn SelectField(model: FieldModel, choices: Vec<Choice>) -> impl IntoView {
    let meta = model.meta;
    let id = field_id(meta.name);
    let options = choices
        .into_iter()
        .map(|c| {
            let v = c.value.clone();
            view! {
                <option value=c.value.clone() selected=move || model.value.get() == v disabled=c.disabled.is_some()>
                    {c.label}
                </option>
            }
        })
        .collect_view();
    view! {
        <Frame model>
            <select
                id=id.clone()
                name=meta.name
                on:change=move |ev| model.on_change.run(event_target_value(&ev))
                prop:value=move || model.value.get()
                aria-invalid=model.invalid()
                aria-describedby=described_by(&id, meta.hint.is_some())
            >
                {options}
            </select>
        </Frame>
    }
}

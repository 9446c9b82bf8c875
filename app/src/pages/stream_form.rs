//! `/new-stream`: the create-stream form, and the fields it shares with a stream's settings
//! change. Every rule is `domain::stream_form`'s, checked as the operator types; the review
//! shows the request and the code that sends it; a failed create keeps every field.

use crate::api::parts::Part;
use crate::api::streams::create_stream;
use crate::components::action::Pending;
use crate::components::browser;
use crate::components::fields::{
    field_id, Choice, FieldModel, RadioField, SelectField, TextAreaField, TextField,
};
use crate::components::notes::{ErrorNote, Problem};
use crate::components::part::ServerPart;
use crate::components::session::{allows, my_role};
use crate::components::toast::{use_toasts, ToastKind};
use crate::domain::stream::StreamField;
use crate::domain::stream_form::{StreamDraft, StreamProblems};
use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// A stream form's draft, what the operator has touched, and the messages under its fields.
/// (Sets of fields are bits of a `u32`, and the server's refusal one message with its field's
/// bit: signals of types the pages use already, so the WASM carries no new code for them.)
#[derive(Clone, Copy)]
pub struct StreamForm {
    pub draft: RwSignal<StreamDraft>,
    touched: RwSignal<u32>,
    /// What the server refused in the last save, under its field until that is edited.
    refused: RwSignal<Option<String>>,
    refused_field: RwSignal<u32>,
    /// The rules' problems with the draft, of the fields the form shows.
    pub problems: Memo<StreamProblems>,
    /// Where each edit is kept too, beyond this form's life (see [`StreamForm::keeping`]).
    kept: Option<RwSignal<Option<StreamDraft>>>,
}

fn bit(field: StreamField) -> u32 {
    1 << field as u32
}

impl StreamForm {
    /// A form over `fields`, starting from `initial`.
    pub fn new(initial: StreamDraft, fields: &'static [StreamField]) -> StreamForm {
        let draft = RwSignal::new(initial);
        StreamForm {
            draft,
            touched: RwSignal::new(0),
            refused: RwSignal::new(None),
            refused_field: RwSignal::new(0),
            problems: Memo::new(move |_| {
                draft.with(|d| {
                    d.parse()
                        .err()
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|(f, _)| fields.contains(f) && d.shows(*f))
                        .collect()
                })
            }),
            kept: None,
        }
    }

    /// Keeps each edit in `kept` too: a form made anew (a page that renders itself again)
    /// starts from it.
    pub fn keeping(self, kept: RwSignal<Option<StreamDraft>>) -> StreamForm {
        StreamForm {
            kept: Some(kept),
            ..self
        }
    }

    fn model(self, field: StreamField) -> FieldModel {
        let s = self;
        FieldModel {
            meta: field.meta(),
            value: Signal::derive(move || s.draft.with(|d| d.text(field).clone())),
            on_change: Callback::new(move |v: String| {
                s.draft.update(|d| *d.text_mut(field) = v);
                if let Some(kept) = s.kept {
                    kept.set(Some(s.draft.get_untracked()));
                }
                s.touched.update(|t| *t |= bit(field));
                if s.refused_field.get_untracked() == bit(field) {
                    s.refused.set(None);
                }
            }),
            error: Signal::derive(move || {
                if s.refused_field.get() == bit(field) {
                    if let Some(m) = s.refused.get() {
                        return Some(m);
                    }
                }
                if s.touched.get() & bit(field) == 0 {
                    return None;
                }
                s.problems.with(|list| {
                    list.iter()
                        .find(|(f, _)| *f == field)
                        .map(|(_, m)| m.clone())
                })
            }),
            on_blur: Callback::new(move |_| s.touched.update(|t| *t |= bit(field))),
        }
    }

    /// Shows every message, and puts focus on the first field that has one. Whether there was
    /// none.
    pub fn check(self) -> bool {
        self.touched.set(u32::MAX);
        match self.problems.with_untracked(|p| p.first().map(|(f, _)| *f)) {
            Some(first) => {
                browser::focus_id(&field_id(first.meta().name));
                false
            }
            None => true,
        }
    }

    /// Puts a refusal under its field, and focus there once the field is back on the page.
    pub fn refuse(self, field: StreamField, message: String) {
        self.refused_field.set(bit(field));
        self.refused.set(Some(message));
        let id = field_id(field.meta().name);
        request_animation_frame(move || browser::focus_id(&id));
    }
}

fn choices(list: &[(&str, &str)]) -> Vec<Choice> {
    list.iter().map(|(v, l)| Choice::new(*v, *l)).collect()
}

/// The inputs for `fields`, each shown while the draft's data type and auto-scaling call for it.
#[component]
pub fn StreamFields(form: StreamForm, fields: &'static [StreamField]) -> impl IntoView {
    fields
        .iter()
        .map(|&field| {
            let input = move || {
                let model = form.model(field);
                match field {
                    StreamField::StreamType => view! {
                        <RadioField model choices=choices(&[("COMMON", "Common"), ("ADVANCED", "Advanced")])/>
                    }
                    .into_any(),
                    StreamField::DataType => view! {
                        <RadioField model choices=choices(&[("BLOB", "BLOB"), ("JSON", "JSON"), ("CSV", "CSV")])/>
                    }
                    .into_any(),
                    StreamField::Compression => view! {
                        <SelectField model choices=choices(&[("", "None"), ("snappy", "snappy"), ("gzip", "gzip"), ("zip", "zip")])/>
                    }
                    .into_any(),
                    StreamField::AutoScale => view! {
                        <RadioField model choices=choices(&[("", "Off"), ("on", "On, within the bounds below")])/>
                    }
                    .into_any(),
                    StreamField::Schema => view! { <TextAreaField model rows=6/> }.into_any(),
                    StreamField::Tags => view! { <TextAreaField model rows=3/> }.into_any(),
                    _ => view! { <TextField model/> }.into_any(),
                }
            };
            let hidden = move || form.draft.with(|d| !d.shows(field));
            view! { <div hidden=hidden>{input}</div> }
        })
        .collect_view()
}

/// `/new-stream`.
#[component]
pub fn NewStream() -> impl IntoView {
    view! {
        <Title text="Create stream"/>
        <h1>"Create stream"</h1>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading…"</p> }>
            {move || Suspend::new(async move {
                // The server refuses viewers too; the page says so before anything is typed.
                let role = my_role().await;
                if allows(role, Role::Operator) {
                    view! { <CreateForm/> }.into_any()
                } else {
                    let role = role.map_or("none", Role::as_str);
                    view! {
                        <ErrorNote message=format!("Your role, {role}, cannot create streams: it needs operator.")/>
                    }
                    .into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreateForm() -> impl IntoView {
    let form = StreamForm::new(StreamDraft::default(), &StreamField::ALL);
    let draft = form.draft;
    let reviewing = RwSignal::new(false);
    let review = move |_| {
        if form.check() {
            reviewing.set(true);
            browser::focus_id("new-stream-step");
        }
    };
    let back = move |_| {
        reviewing.set(false);
        browser::focus_id("new-stream-step");
    };
    let toasts = use_toasts();
    let navigate = use_navigate();
    let pending = Pending::new();
    let create = move |_| {
        if pending.running() {
            return;
        }
        let Ok(request) = draft.with_untracked(StreamDraft::parse) else {
            reviewing.set(false);
            form.check();
            return;
        };
        let name = request.stream_name.clone();
        let navigate = navigate.clone();
        let done = Box::new(move |result: Result<(), AppError>| match result {
            Ok(()) => {
                toasts.push(ToastKind::Success, format!("Stream {name} created."));
                navigate(&format!("/streams/{name}"), NavigateOptions::default());
            }
            // The name is taken: the form again, the refusal under the name.
            Err(e) if e.dis_code() == Some("DIS.4307") => {
                reviewing.set(false);
                form.refuse(StreamField::Name, e.to_string());
            }
            Err(e) => pending.problem.set(Some(e.to_string())),
        });
        pending.attempt("Creating the stream…", create_stream(request), done);
    };
    let part = Signal::derive(move || Part::NewStream {
        draft: Box::new(draft.get()),
    });
    view! {
        <Problem problem=pending.problem/>
        <form class="card wizard" on:submit=|ev| ev.prevent_default() novalidate>
            <h2 id="new-stream-step" tabindex="-1">
                {move || if reviewing.get() { "Review" } else { "The stream" }}
            </h2>
            {move || if reviewing.get() {
                let create = create.clone();
                view! {
                    <ServerPart part/>
                    <div class="wizard-actions">
                        <button type="button" on:click=back>"Back"</button>
                        <button type="button" class="primary" on:click=create aria-busy=move || pending.running().to_string()>
                            {move || if pending.running() { "Creating…" } else { "Create stream" }}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <StreamFields form fields=&StreamField::ALL/>
                    <div class="wizard-actions">
                        <a class="button" href="/streams">"Cancel"</a>
                        <button type="submit" class="primary" on:click=review>"Review"</button>
                    </div>
                }
                .into_any()
            }}
        </form>
    }
}

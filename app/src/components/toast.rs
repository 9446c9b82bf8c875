//! Notifications: a region at the edge of every page that announces results to screen readers.
//!
//! Pages push a toast through [`use_toasts`]. Successes and information fade after a few seconds;
//! errors stay until the operator dismisses them, because they carry a request id to quote.

use leptos::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Info,
    Error,
}

impl ToastKind {
    fn class(self) -> &'static str {
        match self {
            ToastKind::Success => "toast toast-success",
            ToastKind::Info => "toast toast-info",
            ToastKind::Error => "toast toast-error",
        }
    }

    /// How long the toast stays on screen by itself; `None` for toasts the operator dismisses.
    pub fn lifetime(self) -> Option<Duration> {
        match self {
            ToastKind::Error => None,
            ToastKind::Success | ToastKind::Info => Some(Duration::from_secs(6)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub message: String,
}

/// The list of toasts on screen, shared through context by [`crate::App`].
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

impl Toasts {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// Shows a toast and returns its id. Toasts with a lifetime remove themselves.
    pub fn push(&self, kind: ToastKind, message: impl Into<String>) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| {
            items.push(Toast {
                id,
                kind,
                message: message.into(),
            })
        });
        #[cfg(feature = "hydrate")]
        if let Some(lifetime) = kind.lifetime() {
            let this = *self;
            set_timeout(move || this.dismiss(id), lifetime);
        }
        id
    }

    pub fn dismiss(&self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }

    pub fn current(&self) -> Vec<Toast> {
        self.items.get()
    }
}

/// The toasts provided by [`crate::App`].
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <section class="toasts" aria-label="Notifications">
            <For each=move || toasts.current() key=|t| t.id let:toast>
                <div
                    class=toast.kind.class()
                    role=if toast.kind == ToastKind::Error { "alert" } else { "status" }
                >
                    <p>{toast.message.clone()}</p>
                    <button
                        type="button"
                        class="toast-dismiss"
                        aria-label="Dismiss notification"
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_and_dismiss_keep_order_and_ids() {
        let owner = Owner::new();
        owner.with(|| {
            let toasts = Toasts::new();
            let a = toasts.push(ToastKind::Success, "Task created");
            let b = toasts.push(ToastKind::Error, "DIS.4355: name taken");
            let c = toasts.push(ToastKind::Info, "Refreshed");
            assert_eq!((a, b, c), (0, 1, 2));
            toasts.dismiss(b);
            let left: Vec<_> = toasts.current().into_iter().map(|t| t.message).collect();
            assert_eq!(left, ["Task created", "Refreshed"]);
            toasts.dismiss(99);
            assert_eq!(toasts.current().len(), 2);
        });
    }

    #[test]
    fn errors_stay_until_dismissed() {
        assert_eq!(ToastKind::Error.lifetime(), None);
        assert!(ToastKind::Success.lifetime().is_some());
    }
}

//! The few browser facilities the pages use: the clock, session storage, the clipboard, focus.
//! Each does nothing on the server, where there is no browser.

/// Milliseconds since the epoch from the browser's clock; `None` while rendering on the server,
/// so what depends on the moment (the path preview) appears only once the page is live.
#[cfg(feature = "hydrate")]
pub fn now_ms() -> Option<i64> {
    Some(crate::clock::now_ms())
}

#[cfg(not(feature = "hydrate"))]
pub fn now_ms() -> Option<i64> {
    None
}

/// Reads a value this tab stored.
pub fn session_get(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()?
            .session_storage()
            .ok()??
            .get_item(key)
            .ok()?
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Stores a value for this tab (it survives reloads, not closing the tab).
pub fn session_set(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

pub fn session_remove(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.session_storage()) {
        let _ = storage.remove_item(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Puts text on the clipboard.
pub fn copy_text(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Copies for a copy button in markup the server rendered: a click on an element with
/// `data-copy="id"` (or inside one) puts the text of the element `id` on the clipboard, and the
/// button then says so.
pub fn copy_on_click(ev: &leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-copy]").ok().flatten())
        else {
            return;
        };
        let text = button
            .get_attribute("data-copy")
            .and_then(|id| leptos::prelude::document().get_element_by_id(&id))
            .and_then(|e| e.text_content());
        if let Some(text) = text {
            copy_text(&text);
            button.set_text_content(Some("Copied"));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// The `data-action` and `data-value` of the button a click pressed, if it has them.
pub fn action_of(ev: &leptos::ev::MouseEvent) -> Option<(String, String)> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-action]").ok().flatten())?;
        Some((
            button.get_attribute("data-action")?,
            button.get_attribute("data-value").unwrap_or_default(),
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// Keeps Tab inside a dialog: Tab on its last control (`last_id`) goes to its first
/// (`first_id`), and Shift+Tab on the first to the last, rather than out to the browser.
pub fn keep_tab_within(ev: &leptos::ev::KeyboardEvent, first_id: &str, last_id: &str) {
    #[cfg(feature = "hydrate")]
    {
        if ev.key() != "Tab" {
            return;
        }
        let active = leptos::prelude::document()
            .active_element()
            .map(|e| e.id())
            .unwrap_or_default();
        let target = match ev.shift_key() {
            true if active == first_id => last_id,
            false if active == last_id => first_id,
            _ => return,
        };
        ev.prevent_default();
        focus_id(target);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, first_id, last_id);
}

/// Moves keyboard focus to the element with this id.
pub fn focus_id(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = leptos::prelude::document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

//! The browser entry point: attaches the console's reactive code to the server-rendered page.
//! Built for `wasm32` only; on other targets the crate is empty.

#![cfg(target_arch = "wasm32")]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}

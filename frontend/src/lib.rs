//! The browser bundle: hydrates the server-rendered page.
// Leptos view types of the larger pages nest deeper than the default limit.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}

//! The browser bundle: the islands of a server-rendered page. The page's script calls
//! `hydrate` once, then each island's exported function on its element.
// Leptos view types of the larger pages nest deeper than the default limit.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Calling into `app` links it, and with it every island's exported function.
    app::hydrate_islands();
}

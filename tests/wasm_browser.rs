//! The wasm suite in headless Chromium (see `tests/wasm/suite.rs`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

include!("wasm/suite.rs");

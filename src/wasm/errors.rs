//! Core errors as instances of the package's JavaScript error classes (`errors.js`).

use wasm_bindgen::prelude::*;

use crate::error::Error;

#[wasm_bindgen(module = "/src/wasm/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        class_name: &str,
        message: &str,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        details: Option<String>,
    ) -> JsValue;

    #[wasm_bindgen(js_name = makeWaitTimeoutError)]
    fn make_wait_timeout_error(message: &str, last_seen: Option<String>) -> JsValue;
}

/// The JavaScript error for a core error.
pub(crate) fn to_js(e: &Error) -> JsValue {
    let message = e.to_string();
    match e {
        Error::Validation { field, .. } => make_error(e.class_name(), &message, Some(field.clone()), None, None, None),
        Error::Api { status, code, message, details } => make_error(
            e.class_name(),
            message,
            None,
            Some(*status),
            Some(code.as_str().to_string()),
            Some(details.clone()),
        ),
        Error::WaitTimeout { last_seen, .. } => make_wait_timeout_error(&message, last_seen.clone()),
        _ => make_error(e.class_name(), &message, None, None, None, None),
    }
}

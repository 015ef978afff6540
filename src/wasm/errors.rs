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
        may_have_been_created: bool,
    ) -> JsValue;

    #[wasm_bindgen(js_name = makeWaitTimeoutError)]
    fn make_wait_timeout_error(message: &str, last_seen: Option<String>) -> JsValue;
}

/// The JavaScript error for a core error. An [`Error::OutcomeUnknown`] is its inner
/// error, with the advice added to the message and `mayHaveBeenCreated: true`.
pub(crate) fn to_js(e: &Error) -> JsValue {
    match e {
        Error::OutcomeUnknown { error, advice } => js_error(error, Some(advice)),
        _ => js_error(e, None),
    }
}

fn js_error(e: &Error, advice: Option<&str>) -> JsValue {
    let with_advice = |message: String| match advice {
        Some(advice) => message + "; " + advice,
        None => message,
    };
    let flagged = advice.is_some();
    match e {
        Error::Validation { field, .. } => {
            make_error(e.class_name(), &with_advice(e.message()), Some(field.clone()), None, None, None, flagged)
        }
        Error::Api { status, code, message, details } => make_error(
            e.class_name(),
            &with_advice(message.clone()),
            None,
            Some(*status),
            Some(code.as_str().to_string()),
            Some(details.clone()),
            flagged,
        ),
        Error::WaitTimeout { last_seen, .. } => make_wait_timeout_error(&e.message(), last_seen.clone()),
        _ => make_error(e.class_name(), &with_advice(e.message()), None, None, None, None, flagged),
    }
}

//! `WasmClient`: the class the npm package's `PrebuildClient` wraps. Each call copies
//! what it needs into its own future, so concurrent calls and `free()` stay safe.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::errors::to_js;
use super::transport::FetchTransport;
use crate::api::Method;
use crate::call::{call, CallOptions, ClientConfig};
use crate::error::Error;
use crate::json::Json;

/// A configured client. Methods are called by name through [`WasmClient::call`].
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmClient {
    config: Rc<ClientConfig>,
    fetch: JsValue,
}

/// A JavaScript value as JSON, through the platform's `JSON.stringify`; `undefined`
/// reads as `null`. Values JSON cannot hold (a BigInt, a cycle) are a validation error.
fn to_json(value: &JsValue, what: &str) -> Result<Json<'static>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    let text = JSON::stringify(value)
        .map_err(|_| Error::validation(what, "cannot be written as JSON (it holds a BigInt, a cycle or similar)"))?;
    match text.as_string() {
        None => Ok(Json::Null),
        Some(t) => Json::parse(&t)
            .map(Json::into_owned)
            .map_err(|e| Error::validation(what, format!("is not valid JSON ({e})"))),
    }
}

/// A property of an options object, or `undefined`.
fn property(options: &JsValue, key: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

#[wasm_bindgen]
impl WasmClient {
    /// Makes a client from `ClientOptions`; throws a `ValidationError` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmClient, JsValue> {
        let config =
            to_json(&options, "options").and_then(|o| ClientConfig::from_options(&o)).map_err(|e| to_js(&e))?;
        let fetch = property(&options, "fetch");
        if !fetch.is_undefined() && !fetch.is_null() && !fetch.is_instance_of::<Function>() {
            return Err(to_js(&Error::validation(
                "fetch",
                "must be a function with the signature of the global fetch",
            )));
        }
        Ok(WasmClient { config: Rc::new(config), fetch })
    }

    /// Calls `method` (`createPrebuild`, ...) with `params` and `RequestOptions`.
    /// Never throws: every failure rejects the returned promise.
    pub fn call(&self, method: &str, params: JsValue, options: JsValue) -> Promise {
        let config = Rc::clone(&self.config);
        let method = Method::from_name(method).ok_or_else(|| {
            Error::validation(
                "method",
                format!("is not a method of the PrebuildService: {}", crate::validate::quoted(method)),
            )
        });
        let signal = property(&options, "signal");
        let prepared = method.and_then(|m| {
            let params = to_json(&params, "params")?;
            let options = CallOptions::from_options(&to_json(&options, "options")?)?;
            Ok((m, params, options))
        });
        let transport = FetchTransport { fetch: self.fetch.clone(), signal };
        future_to_promise(async move {
            let (method, params, options) = prepared.map_err(|e| to_js(&e))?;
            let text = call(&transport, &config, method, &params, &options).await.map_err(|e| to_js(&e))?;
            JSON::parse(&text)
                .map_err(|_| to_js(&Error::Decode { message: "the response could not be handed to JavaScript".into() }))
        })
    }
}

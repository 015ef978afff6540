//! `WasmClient`: the class the npm package's `PrebuildClient` wraps. Each call copies
//! what it needs into its own future, so concurrent calls and `free()` stay safe.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::errors::to_js;
use super::follow::{Context, WasmLogs, WasmWatch};
use super::jobs::{spawn, Job};
use super::transport::FetchTransport;
use crate::api::{Call, Method};
use crate::call::{CallOptions, ClientConfig};
use crate::error::Error;
use crate::follow::{FollowSettings, LogFollow, Subject, Watch};
use crate::schema::{self, Ctx, Msg, ReadError, Setup, Source};

/// A configured client. Methods are called by name through [`WasmClient::call`].
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmClient {
    config: Rc<ClientConfig>,
    fetch: Option<Function>,
}

#[wasm_bindgen(module = "/src/wasm/json.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = toJson)]
    fn to_json(value: &JsValue) -> Result<String, JsValue>;
}

/// A JavaScript value (call parameters, options), read by the schema's reader from its
/// JSON text, with the same code that reads the wire. (Reading the value through
/// serde-wasm-bindgen instead costs 17 KB gzip: a second copy of the reader, and the
/// float formatting that its type-mismatch error brings, which no caller can avoid.)
struct FromJs<'a>(&'a JsValue);

impl Source for FromJs<'_> {
    fn read(self, msg: &'static Msg, setup: Setup) -> Result<Ctx, ReadError> {
        match to_json(self.0) {
            Ok(text) => schema::read_text(msg, &text, setup),
            Err(e) => Err(ReadError {
                path: String::new(),
                message: String::from("must be plain data that JSON can hold (")
                    + &super::transport::error_text(&e)
                    + ")",
                syntax: false,
            }),
        }
    }
}

fn from_js(value: &JsValue) -> FromJs<'_> {
    FromJs(value)
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
        let config = ClientConfig::read(from_js(&options)).map_err(|e| to_js(&e))?;
        let fetch = property(&options, "fetch");
        let fetch = if fetch.is_undefined() || fetch.is_null() {
            None
        } else {
            Some(fetch.dyn_into::<Function>().map_err(|_| {
                to_js(&Error::validation("fetch", "must be a function with the signature of the global fetch"))
            })?)
        };
        Ok(WasmClient { config: Rc::new(config), fetch })
    }

    /// The transport of one call or follower: the client's fetch, the caller's signal.
    fn transport(&self, options: &JsValue) -> FetchTransport {
        let signal = property(options, "signal");
        let signal = (signal.is_object()).then(|| signal.unchecked_into::<AbortSignal>());
        FetchTransport { fetch: self.fetch.clone(), signal, token: self.config.token.clone() }
    }

    /// What a follower of `subject` needs: its `get` request, settings and context.
    fn follower(
        &self,
        subject: Subject,
        params: &JsValue,
        wait: &JsValue,
        options: &JsValue,
    ) -> Result<(Call, FollowSettings, Context), Error> {
        let get = Call::read(subject.get_method(), from_js(params))?;
        let settings = FollowSettings::read(subject, from_js(wait))?;
        let context = Context {
            config: Rc::clone(&self.config),
            options: CallOptions::read(from_js(options))?,
            transport: self.transport(options),
        };
        Ok((get, settings, context))
    }

    /// Starts following a prebuild (`subject` "prebuild") or a warm pool ("warmPool"):
    /// `params` as for its get method, `wait` the wait options (`until`, `intervalMs`,
    /// `maxIntervalMs`, `deadlineMs`), `options` the `RequestOptions` of each poll.
    /// Throws a `ValidationError` for bad arguments.
    pub fn watch(&self, subject: &str, params: JsValue, wait: JsValue, options: JsValue) -> Result<WasmWatch, JsValue> {
        let subject = match subject {
            "prebuild" => Subject::Prebuild,
            "warmPool" => Subject::WarmPool,
            other => {
                return Err(to_js(&Error::validation(
                    "subject",
                    String::from("must be \"prebuild\" or \"warmPool\", got ") + &crate::validate::quoted(other),
                )))
            }
        };
        let (get, settings, context) = self.follower(subject, &params, &wait, &options).map_err(|e| to_js(&e))?;
        let watch = Watch::new(get, settings).map_err(|e| to_js(&e))?;
        Ok(WasmWatch::new(watch, context))
    }

    /// Starts streaming a prebuild's log: `params` as for `getPrebuild`, `wait` the
    /// poll options while the log is not there yet, `options` the `RequestOptions` of
    /// its API calls.
    pub fn logs(&self, params: JsValue, wait: JsValue, options: JsValue) -> Result<WasmLogs, JsValue> {
        let (get, settings, context) =
            self.follower(Subject::Prebuild, &params, &wait, &options).map_err(|e| to_js(&e))?;
        let logs = LogFollow::new(get, &settings).map_err(|e| to_js(&e))?;
        Ok(WasmLogs::new(logs, context))
    }

    /// Calls `method` (`createPrebuild`, ...) with `params` and `RequestOptions`.
    /// Never throws: every failure rejects the returned promise.
    pub fn call(&self, method: &str, params: JsValue, options: JsValue) -> Promise {
        let config = Rc::clone(&self.config);
        let prepared = Method::from_name(method)
            .ok_or_else(|| {
                Error::validation(
                    "method",
                    String::from("is not a method of the PrebuildService: ") + &crate::validate::quoted(method),
                )
            })
            .and_then(|m| Call::read(m, from_js(&params)))
            .and_then(|request| Ok((request, CallOptions::read(from_js(&options))?)));
        spawn(Job::Call { prepared, transport: self.transport(&options), config })
    }
}

//! serde field helpers for the typed models (the native Rust API's and the
//! simulator's view of the messages): protobuf JSON's tolerance, for code that reads
//! the models with serde directly. The client itself reads every message through the
//! schema's one reader ([`crate::schema`]); these helpers are not on its path.

mod containers;
mod fields;

pub(crate) use containers::{enum_list, item_message, list, message, opt_message, Item};
pub(crate) use fields::{int32, int64, opt_int32, opt_int64_string, opt_string, opt_text, read_enum, string, text};

//! The plain-Rust error shapes the core returns; the adapter maps them onto the WIT variants.

pub use crate::types::InvalidInput;

/// What a JSON value is, in words, for "expected …, found …" reasons (`a string`, `an object`).
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `json_kind` for the borrowed tree inbound webhooks are read into (`inbound::cursor`).
pub fn borrowed_json_kind(value: &serde_json_borrow::Value) -> &'static str {
    use serde_json_borrow::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::Str(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

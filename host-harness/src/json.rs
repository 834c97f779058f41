//! JSON calls through the component's own door (`wit/json.wit`): the arguments go in as one JSON text,
//! the answer comes back as one, and the mapping (README.md, "JSON mapping") is the component's,
//! generated from the WIT at its build (`plugin/build.rs`). The harness keeps no second definition of
//! it: this file only serializes the argument map, parses the answer, and turns a refusal into a
//! `HostError`. The CLI (`cli_calls.rs`) and the `docs` command call here; the simulation calls the
//! typed bindings.

use serde_json::{Map, Value};
use wasmtime::component::Val;
use whatsapp_runtime::{HostError, Metered};

use crate::bundled::PluginHost;

impl PluginHost {
    /// Call `interface.function` with JSON arguments keyed by parameter name (snake_case or kebab-case);
    /// the answer comes back as JSON (the function's result as itself, `null` for none).
    pub fn call_json(&self, interface: &str, function: &str, args: &Map<String, Value>) -> Result<Value, HostError> {
        self.call_json_metered(interface, function, args).map(|m| m.value)
    }

    /// `call_json`, with the instructions the call cost (the door's JSON reading and writing included).
    /// The fuel budget grows with the size of the arguments as JSON text.
    pub fn call_json_metered(
        &self,
        interface: &str,
        function: &str,
        args: &Map<String, Value>,
    ) -> Result<Metered<Value>, HostError> {
        let text = serde_json::to_string(args).map_err(|e| HostError::BadArguments(e.to_string()))?;
        let answer = self.call_door(interface, function, &text)?;
        let value = serde_json::from_str(&answer.value)
            .map_err(|e| HostError::Trap(format!("the door answered text that is not JSON: {e}")))?;
        Ok(Metered { value, fuel: answer.fuel })
    }

    /// `json.call`: `arguments` as JSON text, the answer as JSON text. The door's refusals become the
    /// host errors a typed call would give: an unknown interface or function `NoSuchExport`, arguments
    /// that do not fit `BadArguments` (`<path>: <reason>`).
    pub fn call_door(&self, interface: &str, function: &str, arguments: &str) -> Result<Metered<String>, HostError> {
        let params = [interface, function, arguments].map(|s| Val::String(s.to_string()));
        let metered = self.call_dynamic("json", "call", arguments.len(), |_| Ok(params.into()))?;
        let value = match metered.value.as_slice() {
            [Val::Result(Ok(Some(ok)))] => match ok.as_ref() {
                Val::String(text) => text.clone(),
                other => return Err(unexpected(other)),
            },
            [Val::Result(Err(Some(error)))] => return Err(refusal(error)),
            [other] => return Err(unexpected(other)),
            _ => return Err(HostError::Trap("json.call answered no value".into())),
        };
        Ok(Metered { value, fuel: metered.fuel })
    }
}

/// A `json-error` as a host error.
fn refusal(error: &Val) -> HostError {
    let text = |v: &Option<Box<Val>>| match v.as_deref() {
        Some(Val::String(s)) => s.clone(),
        _ => String::new(),
    };
    match error {
        Val::Variant(case, payload) => match (case.as_str(), payload.as_deref()) {
            ("unknown-interface" | "unknown-function", _) => HostError::NoSuchExport(text(payload)),
            ("bad-arguments", Some(Val::Record(fields))) => {
                let get = |name: &str| match fields.iter().find(|(k, _)| k == name) {
                    Some((_, Val::String(s))) => s.as_str(),
                    _ => "",
                };
                HostError::BadArguments(format!("{}: {}", get("field"), get("reason")))
            }
            _ => HostError::BadArguments(text(payload)),
        },
        other => unexpected(other),
    }
}

fn unexpected(value: &Val) -> HostError {
    HostError::Trap(format!("json.call answered {value:?}, not a result of a string"))
}

/// `2026-11-20T19:40:00+01:00` → epoch milliseconds (the harness's own inputs: envelopes, scenarios).
pub fn rfc3339_millis(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_millis())
}

/// An object from `(key, value)` pairs: the argument map of `PluginHost::call_json`.
pub fn args<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

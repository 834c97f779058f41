//! JSON for any WIT value, driven by the component's own types, so every export is callable from
//! the CLI without per-type code. The mapping (also in README.md):
//! - record: object; keys are the WIT field names in snake_case (kebab-case is accepted on input);
//!   an absent key is `none` for an `option` field, an error otherwise; unknown keys are errors;
//! - enum: the case name as in WIT, e.g. `"meta-cloud"`;
//! - variant: `"case"` without payload, `{"case": payload}` with one;
//! - option: `null` or the value; result: `{"ok": value}` or `{"error": value}`;
//! - list and tuple: array; flags: array of names;
//! - integers: numbers; a 64-bit signed integer also accepts an RFC 3339 string, read as epoch
//!   milliseconds, because that is how the contract carries instants.

use serde_json::{Map, Value, json};
use wasmtime::component::{Type, Val};
use whatsapp_runtime::{HostError, Metered};

use crate::bundled::PluginHost;

impl PluginHost {
    /// Call `interface.function` with JSON arguments keyed by parameter name (snake_case or kebab-case);
    /// the answer comes back as JSON (one result as itself, none as `null`, several as an array).
    /// Built on the runtime's `call_dynamic`: the JSON becomes `Val`s of the function's own types.
    pub fn call_json(&self, interface: &str, function: &str, args: &Map<String, Value>) -> Result<Value, HostError> {
        self.call_json_metered(interface, function, args).map(|m| m.value)
    }

    /// `call_json`, with the instructions the call cost. The fuel budget grows with the size of the
    /// arguments as JSON text.
    pub fn call_json_metered(
        &self,
        interface: &str,
        function: &str,
        args: &Map<String, Value>,
    ) -> Result<Metered<Value>, HostError> {
        let input_bytes = serde_json::to_string(args).map_or(0, |s| s.len());
        let metered = self.call_dynamic(interface, function, input_bytes, |ty| {
            ty.params()
                .map(|(name, param_ty)| {
                    let arg = args.get(&snake(name)).or_else(|| args.get(name)).unwrap_or(&Value::Null);
                    to_val(arg, &param_ty, &snake(name)).map_err(HostError::BadArguments)
                })
                .collect()
        })?;
        let value = match metered.value.as_slice() {
            [] => Value::Null,
            [one] => from_val(one),
            many => Value::Array(many.iter().map(from_val).collect()),
        };
        Ok(Metered { value, fuel: metered.fuel })
    }
}

/// `last-customer-message` → `last_customer_message`.
pub fn snake(name: &str) -> String {
    name.replace('-', "_")
}

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

/// A WIT value as JSON.
pub fn from_val(val: &Val) -> Value {
    match val {
        Val::Bool(b) => json!(b),
        Val::S8(n) => json!(n),
        Val::U8(n) => json!(n),
        Val::S16(n) => json!(n),
        Val::U16(n) => json!(n),
        Val::S32(n) => json!(n),
        Val::U32(n) => json!(n),
        Val::S64(n) => json!(n),
        Val::U64(n) => json!(n),
        Val::Float32(n) => json!(n),
        Val::Float64(n) => json!(n),
        Val::Char(c) => json!(c.to_string()),
        Val::String(s) => json!(s),
        Val::List(items) | Val::Tuple(items) | Val::FixedLengthList(items) => {
            Value::Array(items.iter().map(from_val).collect())
        }
        Val::Map(pairs) => Value::Array(pairs.iter().map(|(k, v)| json!([from_val(k), from_val(v)])).collect()),
        Val::Record(fields) => Value::Object(fields.iter().map(|(k, v)| (snake(k), from_val(v))).collect()),
        Val::Enum(case) => json!(case),
        Val::Variant(case, None) => json!(case),
        Val::Variant(case, Some(payload)) => json!({ case.as_str(): from_val(payload) }),
        Val::Option(None) => Value::Null,
        Val::Option(Some(v)) => from_val(v),
        Val::Result(Ok(v)) => json!({ "ok": v.as_deref().map_or(Value::Null, from_val) }),
        Val::Result(Err(v)) => json!({ "error": v.as_deref().map_or(Value::Null, from_val) }),
        Val::Flags(names) => json!(names),
        Val::Resource(_) | Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_) => json!("<handle>"),
    }
}

/// JSON as a value of WIT type `ty`; `path` names the place for error messages.
pub fn to_val(json: &Value, ty: &Type, path: &str) -> Result<Val, String> {
    let wrong = |expected: &str| Err(format!("{path}: expected {expected}, found {json}"));
    Ok(match ty {
        Type::Bool => match json.as_bool() {
            Some(b) => Val::Bool(b),
            None => return wrong("true or false"),
        },
        Type::S8 => Val::S8(int(json, path)?),
        Type::U8 => Val::U8(int(json, path)?),
        Type::S16 => Val::S16(int(json, path)?),
        Type::U16 => Val::U16(int(json, path)?),
        Type::S32 => Val::S32(int(json, path)?),
        Type::U32 => Val::U32(int(json, path)?),
        Type::S64 => match json {
            Value::String(s) => Val::S64(
                rfc3339_millis(s)
                    .ok_or_else(|| format!("{path}: expected epoch milliseconds or an RFC 3339 time, found {json}"))?,
            ),
            _ => Val::S64(int(json, path)?),
        },
        Type::U64 => Val::U64(int(json, path)?),
        Type::Float32 => match json.as_f64() {
            Some(f) => Val::Float32(f as f32),
            None => return wrong("a number"),
        },
        Type::Float64 => match json.as_f64() {
            Some(f) => Val::Float64(f),
            None => return wrong("a number"),
        },
        Type::Char => match json.as_str().map(|s| s.chars().collect::<Vec<_>>()).as_deref() {
            Some([c]) => Val::Char(*c),
            _ => return wrong("a one-character string"),
        },
        Type::String => match json.as_str() {
            Some(s) => Val::String(s.to_string()),
            None => return wrong("a string"),
        },
        Type::List(list) => match json.as_array() {
            Some(items) => Val::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| to_val(item, &list.ty(), &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            None => return wrong("an array"),
        },
        Type::Tuple(tuple) => match json.as_array() {
            Some(items) if items.len() == tuple.types().len() => Val::Tuple(
                items
                    .iter()
                    .zip(tuple.types())
                    .enumerate()
                    .map(|(i, (item, t))| to_val(item, &t, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return wrong(&format!("an array of {}", tuple.types().len())),
        },
        Type::Record(record) => {
            let Some(object) = json.as_object() else { return wrong("an object") };
            let known: Vec<String> = record.fields().map(|f| snake(f.name)).collect();
            if let Some(unknown) = object.keys().find(|k| !known.contains(&snake(k))) {
                return Err(format!("{path}: unknown field `{unknown}`; the fields are {}", known.join(", ")));
            }
            let mut fields = Vec::new();
            for field in record.fields() {
                let key = snake(field.name);
                let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let value = object.get(&key).or_else(|| object.get(field.name));
                let val = match (value, &field.ty) {
                    (None, Type::Option(_)) => Val::Option(None),
                    (None, _) => return Err(format!("{here}: missing")),
                    (Some(v), t) => to_val(v, t, &here)?,
                };
                fields.push((field.name.to_string(), val));
            }
            Val::Record(fields)
        }
        Type::Enum(e) => match json.as_str().map(kebab) {
            Some(name) if e.names().any(|n| n == name) => Val::Enum(name),
            _ => return wrong(&format!("one of {}", e.names().collect::<Vec<_>>().join(", "))),
        },
        Type::Variant(variant) => {
            let (name, payload) = match json {
                Value::String(s) => (kebab(s), None),
                Value::Object(o) if o.len() == 1 => {
                    let (k, v) = o.iter().next().expect("one entry");
                    (kebab(k), Some(v))
                }
                _ => return wrong("a case name, or an object with one case name as key"),
            };
            let Some(case) = variant.cases().find(|c| c.name == name) else {
                let names: Vec<_> = variant.cases().map(|c| c.name.to_string()).collect();
                return Err(format!("{path}: `{name}` is not one of {}", names.join(", ")));
            };
            let payload = match (case.ty, payload) {
                (None, None | Some(Value::Null)) => None,
                (Some(t), Some(v)) => Some(Box::new(to_val(v, &t, &format!("{path}.{name}"))?)),
                (Some(_), None) => return Err(format!("{path}: case `{name}` needs a value: {{\"{name}\": ...}}")),
                (None, Some(_)) => return Err(format!("{path}: case `{name}` takes no value")),
            };
            Val::Variant(name, payload)
        }
        Type::Option(option) => match json {
            Value::Null => Val::Option(None),
            v => Val::Option(Some(Box::new(to_val(v, &option.ty(), path)?))),
        },
        Type::Result(result) => {
            let Some(object) = json.as_object().filter(|o| o.len() == 1) else {
                return wrong("{\"ok\": ...} or {\"error\": ...}");
            };
            let side = |key: &str, t: Option<Type>| -> Result<Option<Box<Val>>, String> {
                match (t, object.get(key)) {
                    (Some(t), Some(v)) => Ok(Some(Box::new(to_val(v, &t, &format!("{path}.{key}"))?))),
                    _ => Ok(None),
                }
            };
            if object.contains_key("ok") {
                Val::Result(Ok(side("ok", result.ok())?))
            } else if object.contains_key("error") {
                Val::Result(Err(side("error", result.err())?))
            } else {
                return wrong("{\"ok\": ...} or {\"error\": ...}");
            }
        }
        Type::Flags(flags) => match json.as_array() {
            Some(items) => {
                let names: Vec<String> = items.iter().filter_map(|i| i.as_str().map(kebab)).collect();
                if names.len() != items.len() || names.iter().any(|n| !flags.names().any(|f| f == n)) {
                    return wrong(&format!("an array of {}", flags.names().collect::<Vec<_>>().join(", ")));
                }
                Val::Flags(names)
            }
            None => return wrong("an array of flag names"),
        },
        other => return Err(format!("{path}: values of type {other:?} cannot be written in JSON")),
    })
}

fn int<T: TryFrom<i64> + TryFrom<u64>>(json: &Value, path: &str) -> Result<T, String> {
    let out_of_range = || format!("{path}: {json} is not a whole number in range");
    match json {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (_, Some(u)) => T::try_from(u).map_err(|_| out_of_range()),
            (Some(i), None) => T::try_from(i).map_err(|_| out_of_range()),
            _ => Err(out_of_range()),
        },
        _ => Err(format!("{path}: expected a number, found {json}")),
    }
}

/// `2026-11-20T19:40:00+01:00` → epoch milliseconds.
pub fn rfc3339_millis(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_millis())
}

/// An object from `(key, value)` pairs: the argument map of `PluginHost::call_json`.
pub fn args<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

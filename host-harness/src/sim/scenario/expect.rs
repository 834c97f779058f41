//! The expectation matcher: does the helpdesk's state hold what an `expect` step says, with `$name`
//! references to recorded message ids.

use std::collections::HashMap;

use serde_json::{Value, json};

/// Does `actual` hold `expected`? Objects match on the keys given; an expected array matches when
/// each of its elements matches a later element of the actual array (in order, others may stand
/// between), and an empty expected array only an empty one; `"*"` matches anything; `"~text"`
/// matches a string containing `text`.
pub fn matches(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    let differ = || Err(format!("at {path}:\n      expected {expected}\n      found    {}", preview(actual)));
    match (expected, actual) {
        (Value::String(s), _) if s == "*" => Ok(()),
        (Value::String(s), Value::String(a)) if s.starts_with('~') => {
            if a.contains(&s[1..]) {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            e.iter().try_for_each(|(k, v)| matches(v, a.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}")))
        }
        (Value::Array(e), Value::Array(a)) if e.is_empty() => {
            if a.is_empty() {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            let mut from = 0;
            for (i, want) in e.iter().enumerate() {
                match a[from..].iter().position(|got| matches(want, got, "").is_ok()) {
                    Some(offset) => from += offset + 1,
                    None => {
                        return Err(format!(
                            "at {path}: no element (after the {from} matched before it) matches expected [{i}] {want}\n      the array holds: {}",
                            preview(&Value::Array(a.clone()))
                        ));
                    }
                }
            }
            Ok(())
        }
        _ if expected == actual => Ok(()),
        _ => differ(),
    }
}

fn preview(v: &Value) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_default();
    if s.len() > 1_500 { format!("{}…", &s[..s.char_indices().nth(1_500).map_or(s.len(), |(i, _)| i)]) } else { s }
}

/// Replace `$name` strings with the message ids the steps recorded `as` that name.
pub(super) fn substitute(v: &Value, refs: &HashMap<String, String>) -> Value {
    match v {
        Value::String(s) if s.starts_with('$') => refs.get(&s[1..]).map_or_else(|| v.clone(), |id| json!(id)),
        Value::String(s) if s.starts_with("~$") => {
            refs.get(&s[2..]).map_or_else(|| v.clone(), |id| json!(format!("~{id}")))
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| substitute(i, refs)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), substitute(v, refs))).collect()),
        _ => v.clone(),
    }
}

//! Helpers shared by the integration tests: one plugin host per test binary, fixture files, and a
//! matcher for "this answer contains these fields with these values".

use std::path::PathBuf;
use std::sync::OnceLock;

use host_harness::PluginHost;
use serde_json::Value;

/// The bundled component, loaded once per test binary (compilation is cached on disk by content hash).
pub fn plugin() -> &'static PluginHost {
    static PLUGIN: OnceLock<PluginHost> = OnceLock::new();
    PLUGIN.get_or_init(|| PluginHost::bundled().expect("the bundled component loads"))
}

/// The bundled component with fuel metering (`PluginHost::bundled_metered`), for the tests that count
/// instructions or need a runaway stopped at a fixed count; loaded once per test binary.
pub fn metered_plugin() -> &'static PluginHost {
    static PLUGIN: OnceLock<PluginHost> = OnceLock::new();
    PLUGIN.get_or_init(|| PluginHost::bundled_metered().expect("the bundled component loads"))
}

/// `tests/fixtures/<sub>`.
pub fn fixtures(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(sub)
}

/// Every `*.json` file in a fixture folder, sorted, parsed.
pub fn json_fixtures(sub: &str) -> Vec<(String, Value)> {
    json_files(&fixtures(sub))
}

/// Every `*.json` file in a folder, sorted by name, parsed; named by file stem.
pub fn json_files(dir: &std::path::Path) -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, json)
        })
        .collect()
}

/// Does `actual` hold everything `expected` says? Objects match on the keys `expected` names; arrays
/// element by element and in full; `"*"` matches anything; an RFC 3339 string matches the epoch
/// milliseconds it names. Returns the path and both sides of the first difference.
pub fn contains(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    let differ = || Err(format!("at {path}: expected {expected}, found {actual}"));
    match (expected, actual) {
        (Value::String(s), _) if s == "*" => Ok(()),
        (Value::Object(e), Value::Object(a)) => {
            e.iter().try_for_each(|(k, v)| contains(v, a.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}")))
        }
        (Value::Object(e), Value::String(a)) if e.len() == 1 && e.values().all(|v| v == "*") => {
            // A variant case given with "any payload" matches the same case without one.
            if e.contains_key(a) { Ok(()) } else { differ() }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            e.iter().zip(a).enumerate().try_for_each(|(i, (e, a))| contains(e, a, &format!("{path}[{i}]")))
        }
        (Value::String(s), Value::Number(n)) => match host_harness::json::rfc3339_millis(s) {
            Some(ms) if n.as_i64() == Some(ms) => Ok(()),
            _ => differ(),
        },
        _ if expected == actual => Ok(()),
        _ => differ(),
    }
}

/// Exactly the expected problems: same number, each expected one matching a different actual one.
pub fn same_problems(expected: &Value, actual: &Value) -> Result<(), String> {
    let (Some(expected), Some(actual)) = (expected.as_array(), actual.as_array()) else {
        return Err(format!("expected a list of problems {expected}, found {actual}"));
    };
    let mut unmatched: Vec<&Value> = actual.iter().collect();
    for e in expected {
        match unmatched.iter().position(|a| contains(e, a, "").is_ok()) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => return Err(format!("expected problem {e} not found among {}", Value::Array(actual.clone()))),
        }
    }
    if unmatched.is_empty() {
        Ok(())
    } else {
        Err(format!("unexpected problems: {}", Value::Array(unmatched.into_iter().cloned().collect())))
    }
}

/// A payload string parsed, with Twilio's `ContentVariables` (a JSON string inside) parsed too.
pub fn parsed_payload(payload: &Value) -> Value {
    let mut value: Value = match payload {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        other => other.clone(),
    };
    if let Some(vars) = value.get("ContentVariables").and_then(Value::as_str).map(str::to_string) {
        value["ContentVariables"] = serde_json::from_str(&vars).unwrap_or(Value::String(vars));
    }
    value
}

/// A render case's answer against its `expect`: `{"ok": {...}}` (the payload compared as parsed JSON,
/// the other fields with `contains`) or `{"error": [problems]}` (`same_problems`, in any order).
pub fn check_render_case(expect: &Value, result: &Value) -> Result<(), String> {
    match (expect.get("ok"), expect.get("error")) {
        (Some(ok), _) => {
            let actual = result.get("ok").ok_or_else(|| format!("expected a payload, found {result}"))?;
            let (expected_payload, found_payload) =
                (parsed_payload(&ok["payload"]), parsed_payload(&actual["payload"]));
            if expected_payload != found_payload {
                return Err(format!("payload differs\n   expected {expected_payload}\n   found    {found_payload}"));
            }
            let mut rest = ok.clone();
            rest.as_object_mut().map(|o| o.remove("payload"));
            contains(&rest, actual, "ok")
        }
        (_, Some(error)) => {
            let actual = result.get("error").ok_or_else(|| format!("expected problems, found {result}"))?;
            same_problems(error, actual)
        }
        _ => Err("the case has no expect.ok or expect.error".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::contains;
    use serde_json::json;

    #[test]
    fn the_matcher_reports_differences_and_accepts_subsets() {
        let actual = json!({"state": "open", "closes_at": 1_763_719_200_000_i64, "list": [1, 2]});
        assert!(contains(&json!({"state": "open"}), &actual, "").is_ok());
        assert!(contains(&json!({"closes_at": "2025-11-21T10:00:00Z"}), &actual, "").is_ok());
        assert!(contains(&json!({"closes_at": "2025-11-21T10:00:01Z"}), &actual, "").is_err());
        assert!(contains(&json!({"state": "closed"}), &actual, "").unwrap_err().contains(".state"));
        assert!(contains(&json!({"list": [1]}), &actual, "").is_err());
        assert!(contains(&json!({"missing": 1}), &actual, "").is_err());
        assert!(contains(&json!({"missing": null}), &actual, "").is_ok());
        assert!(contains(&json!({"state": "*"}), &actual, "").is_ok());
    }
}

//! `window`: check a 24-hour window.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use host_harness::json::args;
use host_harness::render::Display;
use host_harness::zones;

use super::{load, print_result, read_json};

/// `window`: the request's `time_zone` may be an IANA name, turned into its POSIX rule first.
pub fn window(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let mut request = read_json(file)?;
    let zone = request.get("time_zone").and_then(Value::as_str).map(str::to_string);
    if let Some(zone) = &zone {
        request["time_zone"] = Value::String(zones::posix_rule(zone)?);
    }
    let plugin = load(bytes)?;
    let result = plugin.call_json("window", "check", &args([("request", request)])).map_err(|e| e.to_string())?;
    print_result(json, &result, |answer| Display::new(zone.as_deref()).window_answer(answer))
}

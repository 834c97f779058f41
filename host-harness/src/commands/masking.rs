//! `mask` and `channel`: masking replies for a viewing service, and the shared-number rules.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use host_harness::json::args;
use host_harness::zones;

use super::{load, pretty, print_result, read_json};

/// `mask`: a reply masked for a viewer under a policy, or an identifier alone.
pub fn mask(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let mut input = read_json(file)?;
    let plugin = load(bytes)?;
    if let Some(identifier) = input.get("identifier").cloned() {
        let masked = plugin
            .call_json("masking", "mask-identifier", &args([("value", identifier)]))
            .map_err(|e| e.to_string())?;
        println!("{}", if json { pretty(&masked) } else { masked.as_str().unwrap_or_default().to_string() });
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(zone) = input["policy"]["time_zone"].as_str().map(str::to_string) {
        input["policy"]["time_zone"] = Value::String(zones::posix_rule(&zone)?);
    }
    let call = args([
        ("message", input["message"].clone()),
        ("viewer", input["viewer"].clone()),
        ("policy", input["policy"].clone()),
    ]);
    let result = plugin.call_json("masking", "format-masked-reply", &call).map_err(|e| e.to_string())?;
    print_result(json, &result, |entry| entry["summary"].as_str().unwrap_or_default().to_string())
}

/// `channel`: one shared-number rule (`action`) called with the rest of the input as its arguments.
pub fn channel(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let action =
        input["action"].as_str().ok_or("`action` must be may-automate, after-disconnect or pick-up")?.to_string();
    let mut call = input.as_object().cloned().unwrap_or_default();
    call.remove("action");
    let plugin = load(bytes)?;
    let result = plugin.call_json("masking", &action, &call).map_err(|e| e.to_string())?;
    if result.get("ok").is_some() || result.get("error").is_some() {
        print_result(json, &result, pretty)
    } else {
        println!("{}", pretty(&result));
        Ok(ExitCode::SUCCESS)
    }
}

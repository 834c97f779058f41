//! `normalize` and `verify`: a webhook envelope into helpdesk events, or its signature alone.

use std::path::PathBuf;
use std::process::ExitCode;

use host_harness::render::Display;
use host_harness::{envelope, render};

use super::{load, pretty, print_result, read_json};

/// `normalize`: the envelope's webhook into helpdesk events.
pub fn normalize(bytes: &[u8], json: bool, file: Option<&PathBuf>, provider: Option<&str>) -> Result<ExitCode, String> {
    let args = envelope::normalize_args(&read_json(file)?, provider)?;
    let plugin = load(bytes)?;
    let result = plugin.call_json("inbound", "normalize", &args).map_err(|e| e.to_string())?;
    print_result(json, &result, |events| render::events(&Display::new(None), events))
}

/// `verify`: the envelope's signature checked with its `secret`.
pub fn verify(bytes: &[u8], json: bool, file: Option<&PathBuf>, provider: Option<&str>) -> Result<ExitCode, String> {
    let args = envelope::verify_args(&read_json(file)?, provider)?;
    let plugin = load(bytes)?;
    let result = plugin.call_json("inbound", "verify-signature", &args).map_err(|e| e.to_string())?;
    print_result(json, &result, |ok| format!("signature ok: {}", pretty(ok)))
}

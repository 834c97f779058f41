//! `window`: check a 24-hour window.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use host_harness::cli_calls;
use host_harness::render::Display;

use super::{load, print_result, read_json};

/// `window`: the request's `time_zone` may be an IANA name, turned into its POSIX rule first.
pub fn window(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let request = read_json(file)?;
    let zone = request.get("time_zone").and_then(Value::as_str).map(str::to_string);
    let result = cli_calls::window(&load(bytes)?, request)?;
    print_result(json, &result, |answer| Display::new(zone.as_deref()).window_answer(answer))
}

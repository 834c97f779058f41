//! `normalize` and `verify`: a webhook envelope into helpdesk events, or its signature alone.

use std::path::PathBuf;
use std::process::ExitCode;

use host_harness::render::Display;
use host_harness::{cli_calls, render};

use super::{load, pretty, print_result, read_json};

/// `normalize`: the envelope's webhook into helpdesk events.
pub fn normalize(bytes: &[u8], json: bool, file: Option<&PathBuf>, provider: Option<&str>) -> Result<ExitCode, String> {
    let envelope = read_json(file)?;
    let result = cli_calls::normalize(&load(bytes)?, &envelope, provider)?;
    print_result(json, &result, |events| render::events(&Display::new(None), events))
}

/// `verify`: the envelope's signature checked with its `secret`.
pub fn verify(bytes: &[u8], json: bool, file: Option<&PathBuf>, provider: Option<&str>) -> Result<ExitCode, String> {
    let envelope = read_json(file)?;
    let result = cli_calls::verify(&load(bytes)?, &envelope, provider)?;
    print_result(json, &result, |ok| format!("signature ok: {}", pretty(ok)))
}

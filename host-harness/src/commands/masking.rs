//! `mask` and `channel`: masking replies for a viewing service, and the shared-number rules.

use std::path::PathBuf;
use std::process::ExitCode;

use host_harness::cli_calls;

use super::{load, pretty, print_result, read_json};

/// `mask`: a reply masked for a viewer under a policy, or an identifier alone.
pub fn mask(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let plugin = load(bytes)?;
    if let Some(identifier) = input.get("identifier").cloned() {
        let masked = cli_calls::mask_identifier(&plugin, identifier)?;
        println!("{}", if json { pretty(&masked) } else { masked.as_str().unwrap_or_default().to_string() });
        return Ok(ExitCode::SUCCESS);
    }
    let result = cli_calls::mask(&plugin, input)?;
    print_result(json, &result, |entry| entry["summary"].as_str().unwrap_or_default().to_string())
}

/// `channel`: one shared-number rule (`action`) called with the rest of the input as its arguments.
pub fn channel(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let result = cli_calls::channel(&load(bytes)?, &input)?;
    if result.get("ok").is_some() || result.get("error").is_some() {
        print_result(json, &result, pretty)
    } else {
        println!("{}", pretty(&result));
        Ok(ExitCode::SUCCESS)
    }
}

//! `compose`, `mark-read` and `read-response`: the provider's send requests and its answers.

use std::path::PathBuf;
use std::process::ExitCode;

use host_harness::{cli_calls, outbound_text};

use super::{load, pretty, print_result, read_json};

/// `compose`: an agent's reply into the provider's send request; exit 1 on problems.
pub fn compose(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let result = cli_calls::compose(&load(bytes)?, cli_calls::outbound_request(read_json(file)?))?;
    let refused = result["ok"]["problems"].as_array().is_some_and(|p| !p.is_empty());
    let code = print_result(json, &result, outbound_text::compose_answer)?;
    Ok(if refused { ExitCode::from(1) } else { code })
}

/// `mark-read`: the read receipt (and typing indicator) request for a message.
pub fn mark_read(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let result = cli_calls::mark_read(&load(bytes)?, cli_calls::outbound_request(read_json(file)?))?;
    print_result(json, &result, |answer| match (answer.get("request"), answer.get("not-available")) {
        (Some(request), _) => outbound_text::request_text(request),
        (_, Some(why)) => format!("not available: {}", why.as_str().unwrap_or_default()),
        _ => pretty(answer),
    })
}

/// `read-response`: the provider's answer to a send; exit 1 on a failure.
pub fn read_response(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let result = cli_calls::read_response(&load(bytes)?, cli_calls::outbound_request(read_json(file)?))?;
    let failed = result["ok"].get("failed").is_some();
    let code = print_result(json, &result, outbound_text::send_outcome)?;
    Ok(if failed { ExitCode::from(1) } else { code })
}

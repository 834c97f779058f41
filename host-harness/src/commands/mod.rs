//! The CLI's commands, a module per group. Each takes the component's bytes and whether to print JSON,
//! and answers the exit code, or an error message (exit 2).

pub mod inbound;
pub mod masking;
pub mod outbound;
pub mod package;
pub mod providers;
pub mod simulation;
pub mod templates;
pub mod window;
pub mod wire;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use host_harness::{Budgets, PluginHost};

/// The plugin loaded from the component's bytes with the default budgets.
fn load(bytes: &[u8]) -> Result<PluginHost, String> {
    PluginHost::new(bytes, Budgets::default()).map_err(|e| e.to_string())
}

/// An `{"ok": ...}` answer printed (as JSON or text); an `{"error": ...}` printed and exit code 1.
fn print_result(json: bool, result: &Value, text: impl Fn(&Value) -> String) -> Result<ExitCode, String> {
    match (result.get("ok"), result.get("error")) {
        (Some(answer), _) => {
            println!("{}", if json { pretty(answer) } else { text(answer) });
            Ok(ExitCode::SUCCESS)
        }
        (_, Some(error)) => {
            if json {
                println!("{}", pretty(&serde_json::json!({ "error": error })));
            } else {
                eprintln!("the plugin refused the request: {}", pretty(error));
            }
            Ok(ExitCode::from(1))
        }
        _ => Err(format!("unexpected answer: {result}")),
    }
}

fn read_json(file: Option<&PathBuf>) -> Result<Value, String> {
    let text = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?,
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| format!("read stdin: {e}"))?;
            text
        }
    };
    serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

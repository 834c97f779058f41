//! `demo` and `run`: the flagship story and scenario files, on the virtual clock.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use host_harness::{demo, sim};

use super::{load, pretty, read_json};

/// `demo`: the weekend on one shared number, narrated (in colour on a terminal without `NO_COLOR`).
pub fn demo(bytes: &[u8], json: bool) -> Result<ExitCode, String> {
    use std::io::IsTerminal;
    let plugin = load(bytes)?;
    let report = demo::play(&plugin)?;
    let epilogue = demo::play_epilogue(&plugin)?;
    if json {
        println!(
            "{}",
            pretty(
                &serde_json::json!({"narration": report.narration, "state": report.state, "failures": report.failures,
                "epilogue": {"narration": epilogue.narration, "state": epilogue.state, "failures": epilogue.failures}})
            )
        );
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        print!("{}", demo::narrate(&report, colour));
        print!("{}", demo::narrate_epilogue(&epilogue, colour));
    }
    Ok(if report.passed() && epilogue.passed() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `run`: play scenario files and print their timelines; exit 1 if an expectation fails.
pub fn run(bytes: &[u8], json: bool, files: &[PathBuf]) -> Result<ExitCode, String> {
    let plugin = load(bytes)?;
    let mut failed = 0;
    let mut reports = Vec::new();
    for file in files {
        let scenario = read_json(Some(file))?;
        let report = sim::scenario::run(&plugin, &scenario).map_err(|e| format!("{}: {e}", file.display()))?;
        if !report.passed() {
            failed += 1;
        }
        if json {
            reports.push(serde_json::json!({"file": file, "name": report.name, "passed": report.passed(),
                "failures": report.failures, "state": report.state}));
        } else {
            println!("{}", sim::scenario::narrate(&report));
        }
    }
    if json {
        println!("{}", pretty(&Value::Array(reports)));
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

//! `host-harness`: try the WhatsApp channel component from a terminal. Thin: every command calls the library.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::Value;

use host_harness::json::args;
use host_harness::render::Display;
use host_harness::{Budgets, PluginHost, demo, envelope, inspect, render, sim, template_input, zones};

#[derive(Parser)]
#[command(name = "host-harness", version, about = "Run the WhatsApp channel component in a simulated helpdesk")]
struct Cli {
    /// Print JSON instead of text for people.
    #[arg(long, global = true)]
    json: bool,
    /// Load this component instead of the one built with the harness.
    #[arg(long, global = true, value_name = "PATH")]
    component: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tell the flagship story (a weekend on one shared number) on a virtual clock, through the real component.
    Demo,
    /// Show the component's contract version, exports, imports, size and sha256.
    Inspect,
    /// Check a 24-hour window: reads a window-request as JSON from FILE or stdin (`-`).
    ///
    /// Field names are the WIT names in snake_case; instants are epoch milliseconds or RFC 3339
    /// strings; `time_zone` may be an IANA name (`Europe/Berlin`) or a POSIX TZ rule.
    Window {
        /// The request file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Normalize a webhook into helpdesk events: reads an envelope as JSON from FILE or stdin.
    ///
    /// `{"provider": "twilio" | "meta-cloud" | "1msg", "url": ..., "headers": {name: value},
    /// "body": "<raw body as sent>", "secret": optional, "received_at": optional RFC 3339}`;
    /// other keys are ignored. Without `secret` the signature is not checked.
    Normalize {
        /// The envelope file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// The provider, when the envelope does not say.
        #[arg(long)]
        provider: Option<String>,
    },
    /// Check a template against Meta's rules: reads `{"template": ...}` (or a bare template) as JSON.
    Validate {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Render a template for a provider: reads `{"template", "values", "target"}` as JSON.
    ///
    /// `values` is the `template-values` record, where `body` may be an object `{"order_id": "LS-4821"}`
    /// and `buttons` an object `{"0": "track/LS-4821"}` or left out; or simply a flat object of body
    /// values. Text output shows Twilio's request as form fields with `ContentVariables` parsed;
    /// `--json` keeps the wire string.
    Render {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// The provider, when the file does not say: meta-cloud, twilio or one-msg.
        #[arg(long)]
        target: Option<String>,
    },
    /// The agent's draft of a template: reads `{"template", "values"}` as JSON (`values` as for `render`).
    Preview {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Pick a template's best language for a customer: reads `{"approved": [template, ...], "name",
    /// "preferences": ["pt_BR", ...], "fallback_language": optional}` as JSON.
    ///
    /// An exact match of a preference wins, then its base language (`pt` for `pt_BR`), then the
    /// fallback; only approved templates count. Exit 1 when none fits, with the languages available.
    Select {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Mask a reply for a viewing service: reads `{"message", "viewer", "policy"}` as JSON
    /// (`policy.time_zone` may be an IANA name), or `{"identifier": "+44 7700 900123"}`.
    Mask {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Shared-number rules: reads `{"action": "may-automate" | "after-disconnect" | "pick-up", ...}` with
    /// that function's arguments (`state`, `service_id`, `kind` / `holds`, `agent`, `service`, `now`).
    Channel {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
    },
    /// Regenerate docs/contract.md from the WIT doc comments and the component's answers to examples.
    Docs {
        /// Where to write it.
        #[arg(long, default_value = host_harness::contract_docs::PATH)]
        out: PathBuf,
    },
    /// Write the marketplace package: the component named with its version, its WIT, manifest.json, SHA256SUMS.
    Dist {
        /// Where to write it.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
    },
    /// Play scenario files on the virtual clock and print their timelines; exits 1 if an expectation fails.
    Run {
        /// Scenario files (see tests/scenarios/README.md).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Verify a webhook's signature alone: reads the same envelope, which must have `secret`.
    Verify {
        /// The envelope file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// The provider, when the envelope does not say.
        #[arg(long)]
        provider: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    let bytes = match &cli.component {
        Some(path) => std::fs::read(path).map_err(|e| format!("read {}: {e}", path.display()))?,
        None => host_harness::BUNDLED_COMPONENT.to_vec(),
    };
    match &cli.command {
        Command::Inspect => {
            let inspection = inspect::inspect(&bytes).map_err(|e| e.to_string())?;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&inspection).map_err(|e| e.to_string())?);
            } else {
                print!("{inspection}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            use std::io::IsTerminal;
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let report = demo::play(&plugin)?;
            if cli.json {
                println!(
                    "{}",
                    pretty(
                        &serde_json::json!({"narration": report.narration, "state": report.state, "failures": report.failures})
                    )
                );
            } else {
                let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                print!("{}", demo::narrate(&report, colour));
            }
            Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Window { file } => {
            let mut request = read_json(file.as_ref())?;
            let zone = request.get("time_zone").and_then(Value::as_str).map(str::to_string);
            if let Some(zone) = &zone {
                request["time_zone"] = Value::String(zones::posix_rule(zone)?);
            }
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result =
                plugin.call_json("window", "check", &args([("request", request)])).map_err(|e| e.to_string())?;
            print_result(cli.json, &result, |answer| Display::new(zone.as_deref()).window_answer(answer))
        }
        Command::Normalize { file, provider } => {
            let args = envelope::normalize_args(&read_json(file.as_ref())?, provider.as_deref())?;
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = plugin.call_json("inbound", "normalize", &args).map_err(|e| e.to_string())?;
            print_result(cli.json, &result, |events| render::events(&Display::new(None), events))
        }
        Command::Validate { file } => {
            let input = read_json(file.as_ref())?;
            let template = input.get("template").cloned().unwrap_or(input);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let problems = plugin
                .call_json("templates", "validate-template", &args([("template", template)]))
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                if cli.json || !problems.as_array().is_some_and(Vec::is_empty) {
                    pretty(&problems)
                } else {
                    "valid".into()
                }
            );
            Ok(if problems.as_array().is_some_and(Vec::is_empty) { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Render { file, target } => {
            let input = read_json(file.as_ref())?;
            let target = input
                .get("target")
                .cloned()
                .or(target.clone().map(Value::String))
                .unwrap_or_else(|| "meta-cloud".into());
            let call = args([
                ("template", input["template"].clone()),
                ("values", template_input::values(&input["values"])?),
                ("target", target),
            ]);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = plugin.call_json("templates", "render", &call).map_err(|e| e.to_string())?;
            print_result(cli.json, &result, template_input::rendered_text)
        }
        Command::Select { file } => {
            let input = read_json(file.as_ref())?;
            let call = args([
                ("approved", input.get("approved").cloned().ok_or("`approved`: the list of approved templates")?),
                ("name", input.get("name").cloned().ok_or("`name`: the template's name")?),
                ("preferences", input.get("preferences").cloned().unwrap_or_else(|| Value::Array(Vec::new()))),
                ("fallback_language", input.get("fallback_language").cloned().unwrap_or(Value::Null)),
            ]);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = plugin.call_json("templates", "select", &call).map_err(|e| e.to_string())?;
            print_result(cli.json, &result, |t| {
                format!("{} in {}", t["name"].as_str().unwrap_or_default(), t["language"].as_str().unwrap_or_default())
            })
        }
        Command::Preview { file } => {
            let input = read_json(file.as_ref())?;
            let call =
                args([("template", input["template"].clone()), ("values", template_input::values(&input["values"])?)]);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let draft = plugin.call_json("templates", "preview", &call).map_err(|e| e.to_string())?;
            println!(
                "{}",
                if cli.json { pretty(&draft) } else { draft["text"].as_str().unwrap_or_default().to_string() }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Mask { file } => {
            let mut input = read_json(file.as_ref())?;
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            if let Some(identifier) = input.get("identifier").cloned() {
                let masked = plugin
                    .call_json("masking", "mask-identifier", &args([("value", identifier)]))
                    .map_err(|e| e.to_string())?;
                println!(
                    "{}",
                    if cli.json { pretty(&masked) } else { masked.as_str().unwrap_or_default().to_string() }
                );
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
            print_result(cli.json, &result, |entry| entry["summary"].as_str().unwrap_or_default().to_string())
        }
        Command::Channel { file } => {
            let input = read_json(file.as_ref())?;
            let action = input["action"]
                .as_str()
                .ok_or("`action` must be may-automate, after-disconnect or pick-up")?
                .to_string();
            let mut call = input.as_object().cloned().unwrap_or_default();
            call.remove("action");
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = plugin.call_json("masking", &action, &call).map_err(|e| e.to_string())?;
            if result.get("ok").is_some() || result.get("error").is_some() {
                print_result(cli.json, &result, pretty)
            } else {
                println!("{}", pretty(&result));
                Ok(ExitCode::SUCCESS)
            }
        }
        Command::Docs { out } => {
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let text = host_harness::contract_docs::generate(&plugin).map_err(|e| e.to_string())?;
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::write(out, &text).map_err(|e| e.to_string())?;
            println!("wrote {} ({} lines)", out.display(), text.lines().count());
            Ok(ExitCode::SUCCESS)
        }
        Command::Dist { out } => {
            let manifest = host_harness::dist::write(out, &bytes)?;
            if cli.json {
                println!("{}", pretty(&serde_json::to_value(&manifest).map_err(|e| e.to_string())?));
            } else {
                println!(
                    "wrote {}/{} ({} bytes, sha256 {})",
                    out.display(),
                    manifest.file,
                    manifest.size_bytes,
                    manifest.sha256
                );
                println!("      {0}/wit/, {0}/manifest.json, {0}/SHA256SUMS", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { files } => {
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let mut failed = 0;
            let mut reports = Vec::new();
            for file in files {
                let scenario = read_json(Some(file))?;
                let report = sim::scenario::run(&plugin, &scenario).map_err(|e| format!("{}: {e}", file.display()))?;
                if !report.passed() {
                    failed += 1;
                }
                if cli.json {
                    reports.push(serde_json::json!({"file": file, "name": report.name, "passed": report.passed(),
                        "failures": report.failures, "state": report.state}));
                } else {
                    println!("{}", sim::scenario::narrate(&report));
                }
            }
            if cli.json {
                println!("{}", pretty(&Value::Array(reports)));
            }
            Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Verify { file, provider } => {
            let args = envelope::verify_args(&read_json(file.as_ref())?, provider.as_deref())?;
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = plugin.call_json("inbound", "verify-signature", &args).map_err(|e| e.to_string())?;
            print_result(cli.json, &result, |ok| format!("signature ok: {}", pretty(ok)))
        }
    }
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

//! `host-harness`: try the WhatsApp channel component from a terminal. Thin: every command calls the library.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{Value, json};

use host_harness::json::args;
use host_harness::render::Display;
use host_harness::{Budgets, PluginHost, demo, envelope, inspect, outbound_text, render, sim, template_input, zones};

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
    ///
    /// Here and in `render` and `preview`, `template` may also be a provider's own template: a Meta
    /// message-template object (it has `components`) or a Twilio Content resource (it has `types`),
    /// converted first through `templates.from-provider`; `namespace` (Meta) and `twilio_approval`
    /// (the ApprovalRequests answer) may stand beside it.
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
    /// Convert a provider's templates into template records and print them: reads a Meta message-template
    /// object or `message_templates` answer (`data`), or a Twilio Content resource or list (`contents`).
    ImportTemplate {
        /// The file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// meta-cloud or twilio, when the shape does not tell (`components`/`data` → Meta, `types`/`contents` → Twilio).
        #[arg(long)]
        provider: Option<String>,
        /// Twilio: a file with the answer of `GET /v1/Content/{sid}/ApprovalRequests` (repeatable).
        #[arg(long, value_name = "FILE")]
        approval: Vec<PathBuf>,
        /// Meta: the WABA's `message_template_namespace`, for 1msg.
        #[arg(long)]
        namespace: Option<String>,
    },
    /// Compose an agent's reply into the provider's send request, checked first: reads a
    /// `compose-request` as JSON (`{"account", "recipient", "content", "window", "now", ...}`; see
    /// `tests/fixtures/outbound/`). Prints the request (form fields one a line, JSON pretty) or the
    /// problems with what to do; `--json` prints the answer as the contract gives it. Exit 1 on problems.
    Compose {
        /// The file; `-` or nothing reads stdin. A fixture file works as it is (its `request`).
        file: Option<PathBuf>,
    },
    /// The read receipt (and typing indicator) request for a message: reads a `read-request` as JSON.
    MarkRead {
        /// The file; `-` or nothing reads stdin. A fixture file works as it is (its `request`).
        file: Option<PathBuf>,
    },
    /// Read the provider's answer to a send: reads `{"provider", "status", "body", "call"}` as JSON
    /// (`provider` `meta-cloud` | `twilio` | `one-msg`; `body` the response text, or its JSON as it is;
    /// `call` `compose` (default) or `mark-read`). Prints "sent <id> (<status>)" or "failed <code> <reason>,
    /// retry: yes|no — <hint>"; `--json` the `send-outcome`. Exit 1 on a failure or an error.
    ReadResponse {
        /// The file; `-` or nothing reads stdin. A fixture file works as it is (its `request`).
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
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let template = template_of(&plugin, &input, true)?;
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
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let call = args([
                ("template", template_of(&plugin, &input, false)?),
                ("values", template_input::values(&input["values"])?),
                ("target", target),
            ]);
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
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let template = template_of(&plugin, &input, false)?;
            let call = args([("template", template), ("values", template_input::values(&input["values"])?)]);
            let draft = plugin.call_json("templates", "preview", &call).map_err(|e| e.to_string())?;
            println!(
                "{}",
                if cli.json { pretty(&draft) } else { draft["text"].as_str().unwrap_or_default().to_string() }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::ImportTemplate { file, provider, approval, namespace } => {
            let source = read_json(file.as_ref())?;
            let provider = match provider {
                Some(p) => p.clone(),
                None => source_provider(&source, true)
                    .ok_or("cannot tell the provider from the shape; pass --provider meta-cloud or twilio")?
                    .to_string(),
            };
            let approvals =
                approval.iter().map(|path| read_json(Some(path))).collect::<Result<Vec<Value>, String>>()?;
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = import(&plugin, &provider, &source, &approvals, namespace.as_deref())?;
            let failed = result["ok"].as_array().is_some_and(|items| items.iter().any(|i| i.get("error").is_some()));
            let code = print_result(cli.json, &result, |items| {
                let mut out = Vec::new();
                for (i, item) in items.as_array().into_iter().flatten().enumerate() {
                    match (item.get("ok"), item.get("error")) {
                        (Some(ok), _) => {
                            out.push(format!("[{i}] {}", pretty(&ok["template"])));
                            for note in ok["notes"].as_array().into_iter().flatten() {
                                out.push(format!("    note: {}", note.as_str().unwrap_or_default()));
                            }
                        }
                        (_, Some(e)) => out.push(format!(
                            "[{i}] not imported: {}: {}",
                            e["field"].as_str().unwrap_or_default(),
                            e["reason"].as_str().unwrap_or_default()
                        )),
                        _ => {}
                    }
                }
                out.join("\n")
            })?;
            Ok(if failed { ExitCode::from(1) } else { code })
        }
        Command::Compose { file } => {
            let input = read_json(file.as_ref())?;
            let request = input.get("request").filter(|_| input.get("function").is_some()).cloned().unwrap_or(input);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result =
                plugin.call_json("outbound", "compose", &args([("request", request)])).map_err(|e| e.to_string())?;
            let refused = result["ok"]["problems"].as_array().is_some_and(|p| !p.is_empty());
            let code = print_result(cli.json, &result, outbound_text::compose_answer)?;
            Ok(if refused { ExitCode::from(1) } else { code })
        }
        Command::MarkRead { file } => {
            let input = read_json(file.as_ref())?;
            let request = input.get("request").filter(|_| input.get("function").is_some()).cloned().unwrap_or(input);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result =
                plugin.call_json("outbound", "mark-read", &args([("request", request)])).map_err(|e| e.to_string())?;
            print_result(cli.json, &result, |answer| match (answer.get("request"), answer.get("not-available")) {
                (Some(request), _) => outbound_text::request_text(request),
                (_, Some(why)) => format!("not available: {}", why.as_str().unwrap_or_default()),
                _ => pretty(answer),
            })
        }
        Command::ReadResponse { file } => {
            let input = read_json(file.as_ref())?;
            let request = input.get("request").filter(|_| input.get("function").is_some()).cloned().unwrap_or(input);
            let request = host_harness::outbound_text::provider_response(request);
            let plugin = PluginHost::new(&bytes, Budgets::default()).map_err(|e| e.to_string())?;
            let result = plugin
                .call_json("outbound", "read-response", &args([("response", request)]))
                .map_err(|e| e.to_string())?;
            let failed = result["ok"].get("failed").is_some();
            let code = print_result(cli.json, &result, outbound_text::send_outcome)?;
            Ok(if failed { ExitCode::from(1) } else { code })
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

/// The provider whose template shape `value` has: a Meta message-template object has `components`, a
/// Twilio Content resource `types`; with `lists`, Meta's `message_templates` answer (`data`) and
/// Twilio's Content list (`contents`) count too.
fn source_provider(value: &Value, lists: bool) -> Option<&'static str> {
    let has = |key: &str| value.get(key).is_some();
    if has("components") || (lists && has("data")) {
        Some("meta-cloud")
    } else if has("types") || (lists && has("contents")) {
        Some("twilio")
    } else {
        None
    }
}

/// `templates.from-provider` on a provider's JSON; the answer as JSON (`{"ok": [{"ok"|"error": ...}]}`).
fn import(
    plugin: &PluginHost,
    provider: &str,
    source: &Value,
    approvals: &[Value],
    namespace: Option<&str>,
) -> Result<Value, String> {
    let request = json!({
        "provider": provider,
        "json": source.to_string(),
        "twilio_approvals": approvals.iter().map(Value::to_string).collect::<Vec<_>>(),
        "namespace": namespace,
    });
    plugin.call_json("templates", "from-provider", &args([("request", request)])).map_err(|e| e.to_string())
}

/// The template record of a CLI input (`{"template": ...}`, or with `bare` the input itself when it has no
/// `template`): used as is, or, when it is a provider's template (see `source_provider`), converted with the
/// `namespace` and `twilio_approval` beside it. Exactly one template must come out.
fn template_of(plugin: &PluginHost, input: &Value, bare: bool) -> Result<Value, String> {
    let template = match input.get("template") {
        Some(t) => t,
        None if bare => input,
        None => &Value::Null,
    };
    let Some(provider) = source_provider(template, false) else {
        return Ok(template.clone());
    };
    let approvals: Vec<Value> = input.get("twilio_approval").filter(|a| !a.is_null()).cloned().into_iter().collect();
    let result = import(plugin, provider, template, &approvals, input.get("namespace").and_then(Value::as_str))?;
    let items = match (result.get("ok").and_then(Value::as_array), result.get("error")) {
        (Some(items), _) => items,
        (_, Some(error)) => return Err(format!("the plugin could not read the {provider} template: {error}")),
        _ => return Err(format!("unexpected answer: {result}")),
    };
    match items.as_slice() {
        [one] => match (one.get("ok"), one.get("error")) {
            (Some(ok), _) => Ok(ok["template"].clone()),
            (_, Some(e)) => Err(format!(
                "the plugin could not read the {provider} template: {}: {}",
                e["field"].as_str().unwrap_or_default(),
                e["reason"].as_str().unwrap_or_default()
            )),
            _ => Err(format!("unexpected answer: {one}")),
        },
        _ => Err(format!("expected one template, found {}; use import-template for lists", items.len())),
    }
}

//! `host-harness`: try the WhatsApp channel component from a terminal. Thin: the clap definitions and the
//! dispatch; each command's body is in `commands/`, and calls the library.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// A dev server for real webhooks: each through the component into SQLite, a page at `/` with the
    /// conversations, windows and a reply box, a JSON API at `/api/conversations`. Secrets and accounts
    /// come from the environment (META_APP_SECRET, TWILIO_AUTH_TOKEN, ...) or the flags.
    Serve(Box<commands::wire::ServeArgs>),
    /// The simulated providers as an HTTP server: sends on the real APIs' paths (with their credentials)
    /// answered as the providers answer, and signed status callbacks (late, duplicated, out of order)
    /// posted to --callback (loopback unless --allow-remote-callback).
    Providers(Box<commands::providers::ProvidersArgs>),
    /// Post a provider's signed webhooks for an event to any URL and print what it answered.
    Trigger(commands::wire::TriggerArgs),
    /// Post recorded webhooks (fixture files) to any URL, byte for byte, and print what it answered.
    Replay(commands::wire::ReplayArgs),
    /// Post many signed webhooks concurrently (with retries racing them) and print the throughput.
    Load(commands::wire::LoadArgs),
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
    let json = cli.json;
    match &cli.command {
        Command::Inspect => commands::package::inspect(&bytes, json),
        Command::Demo => commands::simulation::demo(&bytes, json),
        Command::Window { file } => commands::window::window(&bytes, json, file.as_ref()),
        Command::Normalize { file, provider } => {
            commands::inbound::normalize(&bytes, json, file.as_ref(), provider.as_deref())
        }
        Command::Validate { file } => commands::templates::validate(&bytes, json, file.as_ref()),
        Command::Render { file, target } => commands::templates::render(&bytes, json, file.as_ref(), target.as_deref()),
        Command::Select { file } => commands::templates::select(&bytes, json, file.as_ref()),
        Command::Preview { file } => commands::templates::preview(&bytes, json, file.as_ref()),
        Command::ImportTemplate { file, provider, approval, namespace } => commands::templates::import_template(
            &bytes,
            json,
            file.as_ref(),
            provider.as_deref(),
            approval,
            namespace.as_deref(),
        ),
        Command::Compose { file } => commands::outbound::compose(&bytes, json, file.as_ref()),
        Command::MarkRead { file } => commands::outbound::mark_read(&bytes, json, file.as_ref()),
        Command::ReadResponse { file } => commands::outbound::read_response(&bytes, json, file.as_ref()),
        Command::Mask { file } => commands::masking::mask(&bytes, json, file.as_ref()),
        Command::Channel { file } => commands::masking::channel(&bytes, json, file.as_ref()),
        Command::Docs { out } => commands::package::docs(&bytes, out),
        Command::Dist { out } => commands::package::dist(&bytes, json, out),
        Command::Run { files } => commands::simulation::run(&bytes, json, files),
        Command::Serve(args) => commands::wire::serve(&bytes, args),
        Command::Providers(args) => commands::providers::providers(args),
        Command::Trigger(args) => commands::wire::trigger(json, args),
        Command::Replay(args) => commands::wire::replay(json, args),
        Command::Load(args) => commands::wire::load(json, args),
        Command::Verify { file, provider } => {
            commands::inbound::verify(&bytes, json, file.as_ref(), provider.as_deref())
        }
    }
}

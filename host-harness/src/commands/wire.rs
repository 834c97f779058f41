//! `serve`, `trigger`, `replay` and `load`: the harness on the wire (library: `serve`, `wire`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use host_harness::serve::{self, Config};
use host_harness::sim::providers::Kind;
use host_harness::wire::{load, replay, trigger};

/// `serve`'s flags; each secret and account also from the environment variable of its name.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The SQLite database file (created and migrated if needed).
    #[arg(long, default_value = "host-harness-serve.sqlite")]
    db: PathBuf,
    /// The base URL the providers call, e.g. a tunnel's `https://abc.example.app` (Twilio signs it).
    #[arg(long, env = "PUBLIC_URL")]
    public_url: Option<String>,
    #[arg(long, env = "META_APP_SECRET", hide_env_values = true)]
    meta_app_secret: Option<String>,
    #[arg(long, env = "META_VERIFY_TOKEN", hide_env_values = true)]
    meta_verify_token: Option<String>,
    #[arg(long, env = "TWILIO_AUTH_TOKEN", hide_env_values = true)]
    twilio_auth_token: Option<String>,
    #[arg(long, env = "ONEMSG_WEBHOOK_TOKEN", hide_env_values = true)]
    onemsg_webhook_token: Option<String>,
    #[arg(long, env = "META_ACCESS_TOKEN", hide_env_values = true)]
    meta_access_token: Option<String>,
    #[arg(long, env = "META_PHONE_NUMBER_ID")]
    meta_phone_number_id: Option<String>,
    #[arg(long, env = "TWILIO_ACCOUNT_SID")]
    twilio_account_sid: Option<String>,
    /// The WhatsApp sender, `whatsapp:+E164`.
    #[arg(long, env = "TWILIO_FROM")]
    twilio_from: Option<String>,
    /// The 1msg channel's API URL, `https://api.1msg.io/<instance>`.
    #[arg(long, env = "ONEMSG_API_URL")]
    onemsg_api_url: Option<String>,
    #[arg(long, env = "ONEMSG_API_TOKEN", hide_env_values = true)]
    onemsg_api_token: Option<String>,
    /// Where Meta requests go (default https://graph.facebook.com).
    #[arg(long)]
    meta_api_base: Option<String>,
    /// Where Twilio requests go (default https://api.twilio.com).
    #[arg(long)]
    twilio_api_base: Option<String>,
    /// Where 1msg requests go (default ONEMSG_API_URL).
    #[arg(long)]
    onemsg_api_base: Option<String>,
    /// The business's time zone, an IANA name (default UTC).
    #[arg(long)]
    time_zone: Option<String>,
    /// Business hours, e.g. `mon-fri 09:00-17:00, sat 10:00-14:00`.
    #[arg(long)]
    hours: Option<String>,
    /// Templates the agent may send: a JSON file or a folder of them (e.g. tests/fixtures/templates).
    #[arg(long)]
    templates: Option<PathBuf>,
}

/// `serve`: run the dev server until interrupted.
pub fn serve(bytes: &[u8], a: &ServeArgs) -> Result<ExitCode, String> {
    let plugin = Arc::new(super::load(bytes)?);
    let config = Config {
        listen: Some(a.listen),
        db: a.db.clone(),
        public_url: a.public_url.clone(),
        meta_app_secret: a.meta_app_secret.clone(),
        meta_verify_token: a.meta_verify_token.clone(),
        twilio_auth_token: a.twilio_auth_token.clone(),
        onemsg_webhook_token: a.onemsg_webhook_token.clone(),
        meta_access_token: a.meta_access_token.clone(),
        meta_phone_number_id: a.meta_phone_number_id.clone(),
        twilio_account_sid: a.twilio_account_sid.clone(),
        twilio_from: a.twilio_from.clone(),
        onemsg_api_url: a.onemsg_api_url.clone(),
        onemsg_api_token: a.onemsg_api_token.clone(),
        meta_api_base: a.meta_api_base.clone(),
        twilio_api_base: a.twilio_api_base.clone(),
        onemsg_api_base: a.onemsg_api_base.clone(),
        time_zone: a.time_zone.clone(),
        business_hours: a.hours.as_deref().map(serve::setup::business_hours).transpose()?,
        templates: a.templates.as_deref().map(serve::setup::templates).transpose()?.unwrap_or_default(),
    };
    serve::run(config, plugin)?;
    Ok(ExitCode::SUCCESS)
}

/// `trigger`'s arguments.
#[derive(clap::Args)]
pub struct TriggerArgs {
    /// meta-cloud, twilio or 1msg.
    provider: String,
    /// text, image, video, audio, voice, document, sticker, reaction, statuses, group, call, echo, batch.
    event: String,
    /// The receiver's webhook URL, e.g. http://127.0.0.1:8080/webhooks/meta-cloud.
    #[arg(long)]
    to: String,
    /// The URL the provider knows the receiver by (Twilio signs it); default --to.
    #[arg(long, env = "PUBLIC_URL")]
    public_url: Option<String>,
    /// The secret to sign with; default the provider's variable (META_APP_SECRET, TWILIO_AUTH_TOKEN,
    /// ONEMSG_WEBHOOK_TOKEN).
    #[arg(long, hide_env_values = true)]
    secret: Option<String>,
    #[arg(long, default_value = "+15551230001")]
    phone: String,
    #[arg(long, default_value = "Maya Lindqvist")]
    name: String,
    #[arg(long, default_value = "Hi! Is my order on its way?")]
    text: String,
    /// For `reaction` and `statuses`: the provider message id they are about.
    #[arg(long)]
    message_id: Option<String>,
    /// For `batch`: how many messages.
    #[arg(long, default_value_t = 5)]
    count: usize,
}

fn kind(name: &str) -> Result<Kind, String> {
    Kind::parse(name).ok_or_else(|| format!("unknown provider `{name}`: meta-cloud, twilio or 1msg"))
}

fn secret_for(kind: Kind, given: Option<&String>) -> Result<String, String> {
    let var = match kind {
        Kind::MetaCloud => "META_APP_SECRET",
        Kind::Twilio => "TWILIO_AUTH_TOKEN",
        Kind::OneMsg => "ONEMSG_WEBHOOK_TOKEN",
    };
    given.cloned().or_else(|| std::env::var(var).ok()).ok_or_else(|| format!("give --secret or set {var}"))
}

fn print_answer(what: &str, status: u16, body: &str, json: bool) {
    if json {
        println!("{}", serde_json::json!({"sent": what, "status": status, "answer": body}));
    } else {
        println!("{what} → {status} {}", body.trim());
    }
}

/// `trigger`: post an event's webhooks and print each answer; exit 1 if any was not 2xx.
pub fn trigger(json: bool, a: &TriggerArgs) -> Result<ExitCode, String> {
    let provider = kind(&a.provider)?;
    let t = trigger::Trigger {
        provider,
        event: a.event.clone(),
        to: a.to.clone(),
        public_url: a.public_url.clone(),
        secret: secret_for(provider, a.secret.as_ref())?,
        phone: a.phone.clone(),
        name: a.name.clone(),
        text: a.text.clone(),
        message_id: a.message_id.clone(),
        count: a.count,
    };
    let mut failed = false;
    for (i, (_, answer)) in trigger::run(&t)?.iter().enumerate() {
        failed |= !(200..300).contains(&answer.status);
        print_answer(&format!("{} {} #{}", a.provider, a.event, i + 1), answer.status, &answer.body, json);
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `replay`'s arguments.
#[derive(clap::Args)]
pub struct ReplayArgs {
    /// Recorded webhooks: fixture files (`{"webhook": {"url", "headers", "body"}}`) or bare webhooks.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The receiver's webhook URL.
    #[arg(long)]
    to: String,
    /// Sign again with this secret for --public-url (default --to) instead of posting the recorded signature.
    #[arg(long, hide_env_values = true)]
    resign: Option<String>,
    #[arg(long, env = "PUBLIC_URL")]
    public_url: Option<String>,
}

/// `replay`: post each recording, print each answer; exit 1 if any was not 2xx.
pub fn replay(json: bool, a: &ReplayArgs) -> Result<ExitCode, String> {
    let public = a.public_url.clone().unwrap_or_else(|| a.to.clone());
    let resign = a.resign.as_deref().map(|s| (s, public.as_str()));
    let mut failed = false;
    for (file, answer) in replay::run(&a.files, &a.to, resign)? {
        failed |= !(200..300).contains(&answer.status);
        print_answer(&file, answer.status, &answer.body, json);
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `load`'s arguments.
#[derive(clap::Args)]
pub struct LoadArgs {
    /// The receiver's webhook URL.
    #[arg(long)]
    to: String,
    #[arg(long, default_value = "meta-cloud")]
    provider: String,
    #[arg(long, hide_env_values = true)]
    secret: Option<String>,
    #[arg(long, env = "PUBLIC_URL")]
    public_url: Option<String>,
    /// How many distinct webhooks.
    #[arg(long, default_value_t = 500)]
    count: usize,
    /// How many requests in flight.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
}

/// `load`: post the webhooks concurrently and print the throughput; exit 1 if any was refused.
pub fn load(json: bool, a: &LoadArgs) -> Result<ExitCode, String> {
    let provider = kind(&a.provider)?;
    let secret = secret_for(provider, a.secret.as_ref())?;
    let hooks = load::webhooks(provider, &a.to, a.public_url.as_deref(), &secret, a.count)?;
    let report = load::run(&a.to, provider, hooks, a.concurrency)?;
    if json {
        println!(
            "{}",
            serde_json::json!({"webhooks": report.webhooks, "requests": report.requests, "accepted": report.accepted,
                "refused": report.refused, "seconds": report.elapsed.as_secs_f64(), "per_second": report.per_second()})
        );
    } else {
        println!(
            "{} requests ({} distinct webhooks, every tenth posted three times) in {:.2} s: {:.0} webhooks/s, {} accepted, {} refused",
            report.requests,
            report.webhooks,
            report.elapsed.as_secs_f64(),
            report.per_second(),
            report.accepted,
            report.refused.len()
        );
        println!("count the receiver's rows to see none lost or duplicated (serve: SELECT count(*) FROM entries)");
    }
    Ok(if report.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

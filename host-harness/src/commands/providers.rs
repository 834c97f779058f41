//! `providers`: the simulated providers as an HTTP server (library: `provider_server`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use host_harness::provider_server::{self, Config};
use host_harness::sim::providers::Misbehaviour;

/// `providers`' flags; each secret also from the environment variable of its name (as `serve` reads them).
#[derive(clap::Args)]
pub struct ProvidersArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// The receiver's base URL (`serve`'s address): callbacks go to <URL>/webhooks/meta-cloud,
    /// /webhooks/1msg, and Twilio's to the send's StatusCallback, else <URL>/webhooks/twilio.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    callback: String,
    /// Allow a callback URL that is not a loopback address.
    #[arg(long)]
    allow_remote_callback: bool,
    /// How many times faster than real time the providers' clock runs (60: a minute in a second).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Seeds the misbehaviour, so a run can be repeated.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Chance that a callback is posted twice (0 to 1).
    #[arg(long, default_value_t = 0.2)]
    duplicates: f64,
    /// Callbacks are late by up to this many milliseconds of the providers' clock, so they can overtake each other.
    #[arg(long, default_value_t = 5_000)]
    max_delay_ms: i64,
    /// Chance that a sent message fails after `sent` (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    fail_after_sent: f64,
    /// Signs Meta's callbacks (default the simulation's, printed at start).
    #[arg(long, env = "META_APP_SECRET", hide_env_values = true)]
    meta_app_secret: Option<String>,
    /// Twilio's Basic-auth password and the key of X-Twilio-Signature.
    #[arg(long, env = "TWILIO_AUTH_TOKEN", hide_env_values = true)]
    twilio_auth_token: Option<String>,
    /// 1msg's hook_token in the callback URL.
    #[arg(long, env = "ONEMSG_WEBHOOK_TOKEN", hide_env_values = true)]
    onemsg_webhook_token: Option<String>,
    /// The bearer token Meta sends must carry (default: any).
    #[arg(long, env = "META_ACCESS_TOKEN", hide_env_values = true)]
    meta_access_token: Option<String>,
    /// The token 1msg sends must carry (default: any).
    #[arg(long, env = "ONEMSG_API_TOKEN", hide_env_values = true)]
    onemsg_api_token: Option<String>,
    /// The business's WhatsApp number.
    #[arg(long, default_value = "+15550101234")]
    business_number: String,
    /// Templates the providers know: a JSON file or a folder of them (as `serve --templates`).
    #[arg(long)]
    templates: Option<PathBuf>,
}

/// `providers`: serve until interrupted.
pub fn providers(a: &ProvidersArgs) -> Result<ExitCode, String> {
    let defaulted = |given: &Option<String>, default: &str, name: &str| {
        given.clone().unwrap_or_else(|| {
            println!("{name} not set: signing with the simulation's `{default}` (give serve the same)");
            default.to_string()
        })
    };
    let config = Config {
        listen: Some(a.listen),
        callback: a.callback.clone(),
        allow_remote_callback: a.allow_remote_callback,
        speed: a.speed,
        seed: a.seed,
        misbehaviour: Misbehaviour {
            duplicates: a.duplicates,
            max_delay_ms: a.max_delay_ms,
            fail_after_sent: a.fail_after_sent,
        },
        meta_app_secret: defaulted(&a.meta_app_secret, provider_server::DEFAULT_META_APP_SECRET, "META_APP_SECRET"),
        twilio_auth_token: defaulted(
            &a.twilio_auth_token,
            provider_server::DEFAULT_TWILIO_AUTH_TOKEN,
            "TWILIO_AUTH_TOKEN",
        ),
        onemsg_webhook_token: defaulted(
            &a.onemsg_webhook_token,
            provider_server::DEFAULT_ONEMSG_WEBHOOK_TOKEN,
            "ONEMSG_WEBHOOK_TOKEN",
        ),
        meta_access_token: a.meta_access_token.clone(),
        onemsg_api_token: a.onemsg_api_token.clone(),
        business_number: a.business_number.clone(),
        templates: a.templates.as_deref().map(host_harness::serve::setup::templates).transpose()?.unwrap_or_default(),
    };
    provider_server::run(config)?;
    Ok(ExitCode::SUCCESS)
}

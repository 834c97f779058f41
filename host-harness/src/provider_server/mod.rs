//! `host-harness providers`: the simulated providers (`sim::providers`) as an HTTP server. Sends arrive
//! on the real providers' paths with their credentials and are answered exactly as
//! `Provider::handle_send` decides; the status callbacks the simulation queues (late, twice, out of
//! order, as `Misbehaviour` says) are posted, signed as each provider signs, to the callback URL on a
//! real clock (sped up by `speed`). With `host-harness serve` the whole round trip runs over HTTP on
//! loopback: webhook in, page, reply out, callbacks back.
//!
//! Modules: `routes` (the providers' endpoints and their authentication), `callbacks` (the task that
//! posts what is due), `clock` (the simulated clock).

pub mod callbacks;
pub mod clock;
pub mod routes;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::bindings::exports::helpdesk::whatsapp::templates::Template;
use crate::sim::providers::{Kind, KnownTemplate, Misbehaviour, ONE_MSG_INSTANCE, Provider, Webhook};
use crate::sim::wit::WitName;
pub use crate::wire::background::Running;
use crate::wire::background::{self, runtime};

/// The simulation's signing secrets, used when none is given (printed at start so `serve` can be told).
pub const DEFAULT_META_APP_SECRET: &str = "meta-app-secret-sim";
/// See `DEFAULT_META_APP_SECRET`.
pub const DEFAULT_TWILIO_AUTH_TOKEN: &str = "twilio-auth-token-sim";
/// See `DEFAULT_META_APP_SECRET`.
pub const DEFAULT_ONEMSG_WEBHOOK_TOKEN: &str = "one-msg-hook-token-sim";

/// Everything the providers server is told.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on; port 0 picks a free one.
    pub listen: Option<SocketAddr>,
    /// The receiver's base URL, e.g. `http://127.0.0.1:8080`: Meta's callbacks go to
    /// `<callback>/webhooks/meta-cloud`, 1msg's to `<callback>/webhooks/1msg?hook_token=<token>`, Twilio's
    /// to the send's `StatusCallback`, else `<callback>/webhooks/twilio`.
    pub callback: String,
    /// Allow a callback URL that is not loopback (never under the loopback guard of tests).
    pub allow_remote_callback: bool,
    /// How many times faster than real time the simulated clock runs (1: real time).
    pub speed: f64,
    /// Seeds the providers' misbehaviour, so a run can be repeated.
    pub seed: u64,
    /// How late, how often and how reliably callbacks arrive (timed on the providers' clock).
    pub misbehaviour: Misbehaviour,
    /// Signs Meta's callbacks (`X-Hub-Signature-256`).
    pub meta_app_secret: String,
    /// Twilio's auth token: the Basic-auth password of sends, and the key of `X-Twilio-Signature`.
    pub twilio_auth_token: String,
    /// 1msg's `hook_token`, carried in the callback URL.
    pub onemsg_webhook_token: String,
    /// The bearer token Meta sends must carry; none: any non-empty token.
    pub meta_access_token: Option<String>,
    /// The `token` 1msg sends must carry; none: any non-empty token.
    pub onemsg_api_token: Option<String>,
    /// The business's WhatsApp number, E.164.
    pub business_number: String,
    /// The templates the providers know as approved (or paused, ...), as `serve --templates` reads them.
    pub templates: Vec<Template>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: None,
            callback: "http://127.0.0.1:8080".into(),
            allow_remote_callback: false,
            speed: 1.0,
            seed: 1,
            misbehaviour: Misbehaviour { duplicates: 0.2, max_delay_ms: 5_000, fail_after_sent: 0.0 },
            meta_app_secret: DEFAULT_META_APP_SECRET.into(),
            twilio_auth_token: DEFAULT_TWILIO_AUTH_TOKEN.into(),
            onemsg_webhook_token: DEFAULT_ONEMSG_WEBHOOK_TOKEN.into(),
            meta_access_token: None,
            onemsg_api_token: None,
            business_number: "+15550101234".into(),
            templates: Vec::new(),
        }
    }
}

/// A send request as it arrived, and what the provider answered (`GET /_sim/requests`).
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    /// `meta-cloud`, `twilio` or `one-msg`.
    pub provider: &'static str,
    /// `POST`.
    pub method: String,
    /// The path on the provider's host, without the query (1msg's token is not kept).
    pub path: String,
    /// The body as sent (UTF-8, lossy).
    pub body: String,
    /// The HTTP status answered (401 when the credentials were missing or wrong).
    pub status: u16,
    /// The provider's answer body.
    pub answer: String,
}

/// A callback as it was posted, and what the receiver answered (`GET /_sim/callbacks`).
#[derive(Debug, Clone, Serialize)]
pub struct Posted {
    /// `meta-cloud`, `twilio` or `one-msg`.
    pub provider: &'static str,
    /// Where it was posted (Twilio signs this URL).
    pub url: String,
    /// The body as posted.
    pub body: String,
    /// The receiver's HTTP status; 0 when it could not be reached.
    pub status: u16,
    /// The receiver's answer body, or why the post failed.
    pub answer: String,
    /// 0 the first time; 1, 2, ... for the provider's retries of a post that failed.
    pub attempt: u32,
}

/// A post that failed, to be tried again at `at` on the providers' clock (`callbacks::RETRY`).
#[derive(Debug, Clone)]
pub struct Retry {
    /// When, in epoch milliseconds of the providers' clock.
    pub at: i64,
    /// Which try this will be (1 for the first retry).
    pub attempt: u32,
    /// The provider that posts it.
    pub kind: Kind,
    /// The webhook as first posted (same body, same signature).
    pub webhook: Webhook,
}

/// The three providers and what they saw, behind one lock.
pub struct Sim {
    /// The simulated Meta Cloud API.
    pub meta: Provider,
    /// The simulated Twilio.
    pub twilio: Provider,
    /// The simulated 1msg.
    pub one_msg: Provider,
    /// Every send request received, in order.
    pub requests: Vec<Received>,
    /// Every callback and customer webhook posted, in order.
    pub posted: Vec<Posted>,
    /// Callbacks taken from the queues and not yet posted.
    pub in_flight: usize,
    /// Posts that failed and will be tried again.
    pub retries: Vec<Retry>,
}

impl Sim {
    /// The provider of a kind.
    pub fn provider(&mut self, kind: Kind) -> &mut Provider {
        match kind {
            Kind::MetaCloud => &mut self.meta,
            Kind::Twilio => &mut self.twilio,
            Kind::OneMsg => &mut self.one_msg,
        }
    }

    /// Callbacks due by `now`, each with its provider and attempt, in the order they arrive (retries last).
    pub fn due(&mut self, now: i64) -> Vec<(Kind, Webhook, u32)> {
        let mut due = Vec::new();
        for kind in [Kind::MetaCloud, Kind::Twilio, Kind::OneMsg] {
            due.extend(self.provider(kind).due(now).into_iter().map(|w| (kind, w, 0)));
        }
        self.retries.sort_by_key(|r| r.at);
        let split = self.retries.partition_point(|r| r.at <= now);
        due.extend(self.retries.drain(..split).map(|r| (r.kind, r.webhook, r.attempt)));
        self.in_flight += due.len();
        due
    }

    /// Callbacks queued or being posted.
    pub fn pending(&self) -> usize {
        let queued: usize = [&self.meta, &self.twilio, &self.one_msg].iter().map(|p| p.pending()).sum();
        queued + self.in_flight + self.retries.len()
    }

    /// When the next callback of any provider is due.
    pub fn next_due(&self) -> Option<i64> {
        let retry = self.retries.iter().map(|r| r.at).min();
        [&self.meta, &self.twilio, &self.one_msg].iter().filter_map(|p| p.next_due()).chain(retry).min()
    }
}

/// What every handler shares.
pub struct App {
    /// As started.
    pub config: Config,
    /// The providers' clock (sends and callbacks are timed on it).
    pub clock: clock::Clock,
    /// The providers; `sim()` locks them.
    pub sim: Mutex<Sim>,
    /// Wakes the callback task when a send queued something.
    pub queued: tokio::sync::Notify,
    /// The client the callbacks are posted with.
    pub http: reqwest::Client,
}

impl App {
    /// The providers, even after a panic elsewhere held their lock.
    pub fn sim(&self) -> std::sync::MutexGuard<'_, Sim> {
        self.sim.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `<callback>/webhooks/<endpoint>`.
    pub fn callback_url(&self, endpoint: &str) -> String {
        format!("{}/webhooks/{endpoint}", self.config.callback.trim_end_matches('/'))
    }
}

/// Whether a URL's host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
pub fn is_loopback(url: &str) -> bool {
    match reqwest::Url::parse(url).ok().as_ref().and_then(|u| u.host()) {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The guard on where callbacks go: loopback unless the remote flag is given and the process is not
/// under the loopback guard (`wire::loopback_only`). Errors name the URL and the flag.
pub fn check_callback(url: &str, allow_remote: bool) -> Result<(), String> {
    reqwest::Url::parse(url).map_err(|e| format!("callback `{url}` is not a URL: {e}"))?;
    if is_loopback(url) || (allow_remote && !crate::wire::loopback_only()) {
        Ok(())
    } else if allow_remote {
        Err(format!("callback `{url}` is not a loopback address, and nothing may leave the machine here (tests)"))
    } else {
        Err(format!("callback `{url}` is not a loopback address; give --allow-remote-callback to post there"))
    }
}

/// The providers' record of a template (approved, paused, ...) from the contract's template record.
fn known(t: &Template) -> KnownTemplate {
    let mut keys: Vec<&str> = t.body.split("{{").skip(1).filter_map(|p| p.split("}}").next()).collect();
    keys.sort_unstable();
    keys.dedup();
    KnownTemplate {
        name: t.name.clone(),
        language: t.language.clone(),
        status: t.status.wit_name().into(),
        body_parameters: keys.len(),
        content_sid: t.twilio_content_sid.clone(),
        namespace: t.namespace.clone(),
    }
}

fn prepare(config: Config) -> Result<Arc<App>, String> {
    check_callback(&config.callback, config.allow_remote_callback)?;
    let provider = |kind: Kind, seed: u64, secret: &str, url: String| {
        let mut p = Provider::new(kind, seed, &config.business_number);
        p.secret = secret.to_string();
        p.url = url;
        p.misbehaviour = config.misbehaviour;
        p.templates = config.templates.iter().map(known).collect();
        p
    };
    let base = config.callback.trim_end_matches('/').to_string();
    let token: String = form_urlencoded::byte_serialize(config.onemsg_webhook_token.as_bytes()).collect();
    let sim = Sim {
        meta: provider(Kind::MetaCloud, config.seed, &config.meta_app_secret, format!("{base}/webhooks/meta-cloud")),
        twilio: provider(Kind::Twilio, config.seed + 1, &config.twilio_auth_token, format!("{base}/webhooks/twilio")),
        one_msg: provider(
            Kind::OneMsg,
            config.seed + 2,
            &config.onemsg_webhook_token,
            format!("{base}/webhooks/1msg?hook_token={token}"),
        ),
        requests: Vec::new(),
        posted: Vec::new(),
        in_flight: 0,
        retries: Vec::new(),
    };
    Ok(Arc::new(App {
        clock: clock::Clock::start(config.speed),
        config,
        sim: Mutex::new(sim),
        queued: tokio::sync::Notify::new(),
        http: crate::wire::client(),
    }))
}

/// Serve on a listener already bound (so a test can give its address to `serve` first), on a thread
/// of its own, with the callback task beside it.
pub fn start_on(listener: std::net::TcpListener, config: Config) -> Result<Running, String> {
    let app = prepare(config)?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let runtime = runtime()?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?
    };
    Ok(background::spawn(addr, runtime, move |stopped| async move {
        tokio::select! {
            _ = axum::serve(listener, routes::router(app.clone())) => {}
            _ = callbacks::run(app) => {}
            _ = stopped => {}
        }
    }))
}

/// Bind `config.listen` (default a free loopback port) and serve on a thread of its own.
pub fn start(config: Config) -> Result<Running, String> {
    let listen = config.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = std::net::TcpListener::bind(listen).map_err(|e| format!("listen on {listen}: {e}"))?;
    start_on(listener, config)
}

/// Serve until the process ends (the CLI): prints the endpoints and where callbacks go first.
pub fn run(config: Config) -> Result<(), String> {
    let listen = config.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8090)));
    let app = prepare(config)?;
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let meta_id = crate::sim::providers::META_PHONE_NUMBER_ID;
        let sid = crate::sim::providers::TWILIO_ACCOUNT_SID;
        println!("simulated providers on http://{addr} (clock speed {}x)", app.config.speed);
        println!("  Meta    POST http://{addr}/v26.0/{meta_id}/messages   (META_PHONE_NUMBER_ID={meta_id})");
        println!("  Twilio  POST http://{addr}/2010-04-01/Accounts/{sid}/Messages.json   (TWILIO_ACCOUNT_SID={sid})");
        println!("  1msg    POST http://{addr}/{ONE_MSG_INSTANCE}/sendMessage?token=...   (--onemsg-api-base http://{addr}/{ONE_MSG_INSTANCE})");
        println!("  a customer writes: POST http://{addr}/_sim/customer-message {{\"provider\", \"phone\", \"name\", \"text\"}}");
        println!("  callbacks to {} (what was posted: GET http://{addr}/_sim/callbacks)", app.config.callback);
        tokio::select! {
            served = axum::serve(listener, routes::router(app.clone())) => served.map_err(|e| format!("serve: {e}")),
            _ = callbacks::run(app) => Ok(()),
        }
    })
}

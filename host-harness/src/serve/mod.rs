//! `host-harness serve`: a dev server that takes the providers' real webhooks, passes each through the
//! component, keeps a simulated helpdesk's state in SQLite and shows it in a browser, where an agent's
//! reply is composed by the component and sent to the provider's API.
//!
//! Modules: `migrations` (the schema), `db` (queries), `ingest` (webhook → component → SQLite),
//! `routes` (the HTTP endpoints), `reply` (window, templates, compose), `send` (the provider call),
//! `page` (the HTML), `setup` (templates and business hours read at start).

pub mod db;
pub mod early;
pub mod ingest;
pub mod migrations;
pub mod page;
pub mod reply;
pub mod routes;
pub mod send;
pub mod setup;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use tokio::sync::broadcast;

use crate::PluginHost;
use crate::bindings::exports::helpdesk::whatsapp::{templates, window};
pub use crate::wire::background::Running;
use crate::wire::background::{self, runtime};

/// Everything the server is told: where to listen and store, the secrets to check webhooks with,
/// the accounts and credentials to send with, and where the provider APIs are.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The address to listen on; port 0 picks a free one.
    pub listen: Option<SocketAddr>,
    /// The SQLite file.
    pub db: PathBuf,
    /// The base URL the providers call (Twilio signs it), e.g. `https://abc.ngrok.app`; none: the
    /// request's own `Host`.
    pub public_url: Option<String>,
    /// Meta's app secret: verifies `X-Hub-Signature-256`.
    pub meta_app_secret: Option<String>,
    /// The token Meta's subscription handshake must present.
    pub meta_verify_token: Option<String>,
    /// Twilio's auth token: verifies `X-Twilio-Signature`, and sends with the Account SID.
    pub twilio_auth_token: Option<String>,
    /// The `hook_token` 1msg's webhook URL must carry.
    pub onemsg_webhook_token: Option<String>,
    /// Meta's access token (Bearer) for sends and media.
    pub meta_access_token: Option<String>,
    /// The business phone number id Meta sends from.
    pub meta_phone_number_id: Option<String>,
    /// Twilio's Account SID (`AC…`).
    pub twilio_account_sid: Option<String>,
    /// Twilio's WhatsApp sender, `whatsapp:+E164`.
    pub twilio_from: Option<String>,
    /// The 1msg channel's API URL as 1msg shows it (`https://api.1msg.io/<instance>`).
    pub onemsg_api_url: Option<String>,
    /// 1msg's API token (the `token` query parameter).
    pub onemsg_api_token: Option<String>,
    /// The Graph API base; default `https://graph.facebook.com`.
    pub meta_api_base: Option<String>,
    /// Twilio's API base; default `https://api.twilio.com`.
    pub twilio_api_base: Option<String>,
    /// Where 1msg requests go instead of `onemsg_api_url` (a loopback stand-in); default that URL.
    pub onemsg_api_base: Option<String>,
    /// The business's time zone, an IANA name or POSIX rule; none: UTC.
    pub time_zone: Option<String>,
    /// The business hours for the window's hours check; none: not checked.
    pub business_hours: Option<window::BusinessHours>,
    /// The templates the agent may send (approved ones are offered when only a template can go out).
    pub templates: Vec<templates::Template>,
}

impl Config {
    /// Every provider URL the server may call, for the loopback guard at start.
    fn api_bases(&self) -> Vec<String> {
        vec![
            self.meta_api_base.clone().unwrap_or_else(|| send::META_API.into()),
            self.twilio_api_base.clone().unwrap_or_else(|| send::TWILIO_API.into()),
            self.onemsg_api_base
                .clone()
                .or_else(|| self.onemsg_api_url.clone())
                .unwrap_or_else(|| send::ONE_MSG_API.into()),
        ]
    }
}

/// What every handler shares.
pub struct App {
    /// What the server was started with.
    pub config: Config,
    /// The component.
    pub plugin: Arc<PluginHost>,
    /// The database; one writer at a time, each webhook one transaction.
    pub db: Mutex<Connection>,
    /// Ids of conversations that changed, for the page's live updates.
    pub changes: broadcast::Sender<i64>,
    /// The client for provider calls.
    pub http: reqwest::Client,
}

impl App {
    /// The database, even after a panic elsewhere held its lock.
    pub fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tell the open pages that these conversations changed.
    pub fn changed(&self, ids: &[i64]) {
        for id in ids {
            // No page open is no error.
            let _ = self.changes.send(*id);
        }
    }
}

fn prepare(config: Config, plugin: Arc<PluginHost>) -> Result<Arc<App>, String> {
    for base in config.api_bases() {
        crate::wire::check_destination(&base).map_err(|e| format!("provider API base: {e}"))?;
    }
    let conn = db::open(&config.db).map_err(|e| format!("open {}: {e}", config.db.display()))?;
    let (changes, _) = broadcast::channel(256);
    Ok(Arc::new(App { config, plugin, db: Mutex::new(conn), changes, http: crate::wire::client() }))
}

/// Start serving on a thread of its own; answers once it listens.
pub fn start(config: Config, plugin: Arc<PluginHost>) -> Result<Running, String> {
    let listen = config.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let app = prepare(config, plugin)?;
    let runtime = runtime()?;
    let listener =
        runtime.block_on(tokio::net::TcpListener::bind(listen)).map_err(|e| format!("listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Not a graceful shutdown: an open page's event stream would hold it forever. Every webhook is one
    // transaction, so one cut off is rolled back and the provider's retry brings it again. Ending the
    // runtime drops the tasks, and with them the last handle on the database.
    Ok(background::spawn(addr, runtime, move |stopped| async move {
        tokio::select! {
            _ = axum::serve(listener, routes::router(app)) => {}
            _ = stopped => {}
        }
    }))
}

/// Serve until the process ends (the CLI): prints the address and the endpoints first.
pub fn run(config: Config, plugin: Arc<PluginHost>) -> Result<(), String> {
    let listen = config.listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let db_path = config.db.clone();
    let public = config.public_url.clone();
    let app = prepare(config, plugin)?;
    let runtime = runtime()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening on http://{addr} (database {})", db_path.display());
        let base = public.unwrap_or_else(|| format!("http://{addr}"));
        println!("  page      http://{addr}/");
        println!("  webhooks  {base}/webhooks/meta-cloud  {base}/webhooks/twilio  {base}/webhooks/1msg");
        println!("  JSON API  http://{addr}/api/conversations");
        axum::serve(listener, routes::router(app)).await.map_err(|e| format!("serve: {e}"))
    })
}

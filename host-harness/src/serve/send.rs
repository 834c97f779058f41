//! The provider call: the request `outbound.compose` made, sent to the configured API base with the
//! credential where the component says it goes, and the answer read by `outbound.read-response`.
//! Also Meta media, fetched through the Graph API for the page.

use super::Config;
use crate::PluginHost;
use crate::bindings::exports::helpdesk::whatsapp::outbound::{
    self, CredentialPlacement, HttpRequest, ProviderResponse, SendOutcome, SentCall,
};
use crate::bindings::exports::helpdesk::whatsapp::types::Provider;

/// The Graph API (Meta "Cloud API" reference: `https://graph.facebook.com/<version>/<phone-number-id>/messages`).
pub const META_API: &str = "https://graph.facebook.com";
/// Twilio's REST API (Twilio "Messages resource": `https://api.twilio.com/2010-04-01/Accounts/<sid>/Messages.json`).
pub const TWILIO_API: &str = "https://api.twilio.com";
/// 1msg's API host, used only when no channel URL is configured (1msg shows each channel its own URL).
pub const ONE_MSG_API: &str = "https://api.1msg.io";
/// The Graph API version for media look-ups, as `outbound.compose` defaults to (`v26.0`).
const GRAPH_VERSION: &str = "v26.0";

/// Where a provider's requests go: the configured base, else the one the component wrote.
fn base_for(config: &Config, provider: Provider, request: &HttpRequest) -> String {
    let configured = match provider {
        Provider::MetaCloud => config.meta_api_base.clone(),
        Provider::Twilio => config.twilio_api_base.clone(),
        Provider::OneMsg => config.onemsg_api_base.clone(),
    };
    configured.unwrap_or_else(|| request.base_url.clone()).trim_end_matches('/').to_string()
}

fn missing(name: &str) -> String {
    format!("{name} is not set: the server has no credential to send with")
}

/// Send the request; answers the provider's HTTP status and body, or why it could not be sent.
pub async fn send(
    http: &reqwest::Client,
    config: &Config,
    provider: Provider,
    request: &HttpRequest,
) -> Result<(u16, String), String> {
    // `shown` is the URL without the credential: the only one that goes into a message, which may be
    // stored as a "Not sent" marker and shown on the page.
    let shown = format!("{}{}", base_for(config, provider, request), request.path);
    crate::wire::check_destination(&shown)?;
    let mut url = shown.clone();
    if request.credentials == CredentialPlacement::QueryToken {
        let token = config.onemsg_api_token.as_deref().ok_or_else(|| missing("ONEMSG_API_TOKEN"))?;
        let sep = if url.contains('?') { '&' } else { '?' };
        let encoded: String = form_urlencoded::byte_serialize(token.as_bytes()).collect();
        url = format!("{url}{sep}token={encoded}");
    }
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| format!("method: {e}"))?;
    let mut builder = http.request(method, &url).body(request.body.clone());
    for h in &request.headers {
        builder = builder.header(h.name.as_str(), h.value.as_str());
    }
    builder = match request.credentials {
        CredentialPlacement::BearerHeader => {
            builder.bearer_auth(config.meta_access_token.as_deref().ok_or_else(|| missing("META_ACCESS_TOKEN"))?)
        }
        CredentialPlacement::BasicAuth => builder.basic_auth(
            config.twilio_account_sid.as_deref().ok_or_else(|| missing("TWILIO_ACCOUNT_SID"))?,
            Some(config.twilio_auth_token.as_deref().ok_or_else(|| missing("TWILIO_AUTH_TOKEN"))?),
        ),
        CredentialPlacement::QueryToken => builder,
    };
    // reqwest's errors name the URL they failed on; `without_url` keeps the token out of the message.
    let response = builder.send().await.map_err(|e| format!("{} {shown}: {}", request.method, e.without_url()))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| format!("reading the answer of {shown}: {}", e.without_url()))?;
    Ok((status, body))
}

/// The provider's answer, read by the component.
pub fn read(plugin: &PluginHost, provider: Provider, status: u16, body: String) -> Result<SendOutcome, String> {
    let response = ProviderResponse { provider, call: SentCall::Compose, status, body };
    match plugin.read_response(&response) {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(outbound::ComposeError::InvalidRequest(i))) => Err(format!("{}: {}", i.field, i.reason)),
        Ok(Err(outbound::ComposeError::Internal(e))) => Err(e),
        Err(e) => Err(e.to_string()),
    }
}

/// A Meta media file: the Graph API's media object gives a short-lived URL, fetched with the same
/// token (Meta "Media" reference: `GET /<media-id>` answers `{"url", "mime_type", ...}`).
pub async fn meta_media(http: &reqwest::Client, config: &Config, media_id: &str) -> Result<(String, Vec<u8>), String> {
    let token = config.meta_access_token.as_deref().ok_or_else(|| missing("META_ACCESS_TOKEN"))?;
    let base = config.meta_api_base.as_deref().unwrap_or(META_API).trim_end_matches('/');
    let encoded: String = form_urlencoded::byte_serialize(media_id.as_bytes()).collect();
    let info_url = format!("{base}/{GRAPH_VERSION}/{encoded}");
    crate::wire::check_destination(&info_url)?;
    let info = http.get(&info_url).bearer_auth(token).send().await.map_err(|e| format!("GET {info_url}: {e}"))?;
    if !info.status().is_success() {
        return Err(format!("GET {info_url}: {}", info.status()));
    }
    let info: serde_json::Value = info.json_text().await?;
    let url = info["url"].as_str().ok_or_else(|| format!("GET {info_url}: no `url` in the answer"))?.to_string();
    crate::wire::check_destination(&url)?;
    let file = http.get(&url).bearer_auth(token).send().await.map_err(|e| format!("GET {url}: {e}"))?;
    if !file.status().is_success() {
        return Err(format!("GET {url}: {}", file.status()));
    }
    let content_type = info["mime_type"].as_str().unwrap_or("application/octet-stream").to_string();
    let bytes = file.bytes().await.map_err(|e| format!("GET {url}: {e}"))?;
    Ok((content_type, bytes.to_vec()))
}

/// Reading a JSON answer without reqwest's `json` feature.
trait JsonText {
    async fn json_text(self) -> Result<serde_json::Value, String>;
}

impl JsonText for reqwest::Response {
    async fn json_text(self) -> Result<serde_json::Value, String> {
        let text = self.text().await.map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))
    }
}

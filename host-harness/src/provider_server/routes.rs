//! The providers' endpoints on their real paths, each behind its provider's credential, answered by
//! `Provider::handle_send`; and the simulation's own endpoints under `/_sim/` (a customer writes, files
//! the providers can fetch, what they received and posted).
//!
//! Credentials, and the answers when they are missing or wrong:
//! - Meta: `Authorization: Bearer <access token>`; else HTTP 401 with Graph's error object `{"error":
//!   {"message", "type": "OAuthException", "code": 190, "fbtrace_id"}}` (Meta, Graph API "Handling
//!   Errors", https://developers.facebook.com/docs/graph-api/guides/error-handling: code 190 is an
//!   access token that expired or is invalid). Graph answers some token errors with 400 rather than 401
//!   (unconfirmed which, for a missing token); 401 here.
//! - Twilio: HTTP Basic with the Account SID as user and the auth token as password; else HTTP 401 with
//!   `{"code": 20003, "message": "Authenticate", "more_info", "status": 401}` (Twilio error 20003
//!   "Permission Denied", https://www.twilio.com/docs/api/errors/20003).
//! - 1msg: the `token` query parameter (1msg's public OpenAPI, https://docs.1msg.io/); its answer to a
//!   wrong token is not documented there: 401 with `{"error"}` here (unconfirmed).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{App, Received, callbacks};
use crate::sim::providers::{CustomerMessage, HostedFile, HttpRequest, HttpResponse, Kind};

/// Every route of the providers server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/{version}/{phone_number_id}/messages", post(meta_send))
        // GET: a Meta media object; POST: a 1msg method on an instance.
        .route("/{first}/{second}", get(meta_media).post(one_msg_send))
        .route("/2010-04-01/Accounts/{sid}/{resource}", post(twilio_send))
        .route("/v2/Indicators/Typing.json", post(twilio_typing))
        .route("/_sim/customer-message", post(customer_message))
        .route("/_sim/files", post(add_file))
        .route("/_sim/media/{id}", get(media_download))
        .route("/_sim/requests", get(requests))
        .route("/_sim/callbacks", get(posted))
        .route("/_sim/log", get(log))
        .fallback(not_found)
        .with_state(app)
}

fn json_response(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn graph_auth_error() -> HttpResponse {
    let body = json!({"error": {"message": "Invalid OAuth access token - Cannot parse access token",
        "type": "OAuthException", "code": 190, "fbtrace_id": "SIMtrace"}});
    HttpResponse { status: 401, body: body.to_string().into_bytes() }
}

fn twilio_auth_error() -> HttpResponse {
    let body = json!({"code": 20003, "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401});
    HttpResponse { status: 401, body: body.to_string().into_bytes() }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Equal in constant time (the credentials).
fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The bearer token is present and, when one is configured, the configured one.
fn meta_authorized(app: &App, headers: &HeaderMap) -> bool {
    let given = header_text(headers, header::AUTHORIZATION).strip_prefix("Bearer ").unwrap_or("").trim();
    !given.is_empty() && app.config.meta_access_token.as_deref().is_none_or(|ours| same(ours, given))
}

/// HTTP Basic with the path's Account SID and the auth token.
fn twilio_authorized(app: &App, headers: &HeaderMap, sid: &str) -> bool {
    let encoded = header_text(headers, header::AUTHORIZATION).strip_prefix("Basic ").unwrap_or("").trim();
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
    let text = String::from_utf8_lossy(&decoded);
    text.split_once(':').is_some_and(|(user, password)| {
        (sid.is_empty() || user == sid) && same(password, &app.config.twilio_auth_token)
    })
}

fn wire_request(uri: &Uri, headers: &HeaderMap, body: &Bytes) -> HttpRequest {
    HttpRequest {
        method: "POST".into(),
        path: uri.path().to_string(),
        content_type: header_text(headers, header::CONTENT_TYPE).to_string(),
        body: body.to_vec(),
    }
}

/// Let the provider answer (when authorized), keep the request and answer, and wake the callback task.
fn answer(app: &App, kind: Kind, request: HttpRequest, authorized: Result<(), HttpResponse>) -> Response {
    let now = app.clock.now_ms();
    let mut sim = app.sim();
    let response = match authorized {
        Err(refusal) => refusal,
        Ok(()) if kind == Kind::Twilio => {
            // Twilio posts a message's statuses to the `StatusCallback` it was sent with (Twilio,
            // Messages resource: "StatusCallback: The URL of the endpoint to which Twilio sends Message
            // status callback requests"), else the account's default; signed over that URL.
            let status_callback = form_urlencoded::parse(&request.body)
                .find(|(k, _)| k == "StatusCallback")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| app.callback_url("twilio"));
            let provider = sim.provider(kind);
            let default = std::mem::replace(&mut provider.url, status_callback);
            let response = provider.handle_send(&request, now);
            provider.url = default;
            response
        }
        Ok(()) => sim.provider(kind).handle_send(&request, now),
    };
    sim.requests.push(Received {
        provider: kind.wit_name(),
        method: request.method,
        path: request.path,
        body: String::from_utf8_lossy(&request.body).into_owned(),
        status: response.status,
        answer: response.text(),
    });
    drop(sim);
    app.queued.notify_one();
    let body = serde_json::from_slice(&response.body).unwrap_or_else(|_| Value::String(response.text()));
    json_response(response.status, body)
}

/// Meta `POST /{version}/{phone-number-id}/messages` (sends, read receipts, typing indicators).
async fn meta_send(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let authorized = if meta_authorized(&app, &headers) { Ok(()) } else { Err(graph_auth_error()) };
    answer(&app, Kind::MetaCloud, wire_request(&uri, &headers, &body), authorized)
}

/// Twilio `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`.
async fn twilio_send(
    State(app): State<Arc<App>>,
    Path((sid, _resource)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let authorized = if twilio_authorized(&app, &headers, &sid) { Ok(()) } else { Err(twilio_auth_error()) };
    answer(&app, Kind::Twilio, wire_request(&uri, &headers, &body), authorized)
}

/// Twilio `POST /v2/Indicators/Typing.json` (messaging.twilio.com): read receipt and typing indicator.
async fn twilio_typing(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let authorized = if twilio_authorized(&app, &headers, "") { Ok(()) } else { Err(twilio_auth_error()) };
    answer(&app, Kind::Twilio, wire_request(&uri, &headers, &body), authorized)
}

/// 1msg `POST /{instance}/{method}?token=...`.
async fn one_msg_send(
    State(app): State<Arc<App>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let given = q.get("token").map(String::as_str).unwrap_or("");
    let ok = !given.is_empty() && app.config.onemsg_api_token.as_deref().is_none_or(|ours| same(ours, given));
    let refusal = HttpResponse { status: 401, body: json!({"error": "Wrong token"}).to_string().into_bytes() };
    answer(&app, Kind::OneMsg, wire_request(&uri, &headers, &body), if ok { Ok(()) } else { Err(refusal) })
}

/// Meta `GET /{version}/{media-id}`: `{"messaging_product", "url", "mime_type", "sha256", "file_size",
/// "id"}` (Meta Cloud API "Media" reference, retrieve media URL); the URL is fetched with the same token.
/// An id the provider does not hold: HTTP 400, Graph code 100 "Unsupported get request" (the wording and
/// the status as Graph gives them for a missing object are unconfirmed).
async fn meta_media(
    State(app): State<Arc<App>>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !meta_authorized(&app, &headers) {
        let refusal = graph_auth_error();
        return json_response(refusal.status, serde_json::from_slice(&refusal.body).unwrap_or_default());
    }
    let Some(file) = app.sim().meta.files.uploads.get(&id).cloned() else {
        let error = json!({"error": {"message": format!("Unsupported get request. Object with ID '{id}' does not exist"),
            "type": "GraphMethodException", "code": 100, "fbtrace_id": "SIMtrace"}});
        return json_response(400, error);
    };
    let host = header_text(&headers, header::HOST);
    let bytes = file_bytes(&file);
    let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    json_response(
        200,
        json!({"messaging_product": "whatsapp", "url": format!("http://{host}/_sim/media/{id}"),
            "mime_type": file.mime_type, "sha256": sha, "file_size": file.size_bytes.to_string(), "id": id}),
    )
}

/// The bytes of a simulated file: as many as its size says (up to 20 MB), all the same byte.
fn file_bytes(file: &HostedFile) -> Vec<u8> {
    vec![b'x'; usize::try_from(file.size_bytes.min(20_000_000)).unwrap_or(0)]
}

/// A media download (the `url` of a media object), with the same bearer token.
async fn media_download(State(app): State<Arc<App>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if !meta_authorized(&app, &headers) {
        return (StatusCode::UNAUTHORIZED, "a bearer token is required").into_response();
    }
    match app.sim().meta.files.uploads.get(&id) {
        Some(file) => ([(header::CONTENT_TYPE, file.mime_type.clone())], file_bytes(file)).into_response(),
        None => (StatusCode::NOT_FOUND, "no such media").into_response(),
    }
}

fn kind_of(v: &Value) -> Option<Kind> {
    Kind::parse(v["provider"].as_str().unwrap_or("meta-cloud"))
}

fn unknown_provider() -> Response {
    json_response(400, json!({"error": "provider: meta-cloud, twilio or 1msg"}))
}

/// `POST /_sim/customer-message {"provider", "phone", "name", "text", "reply_to"}`: the customer writes;
/// the provider records it (its own window clock) and posts the webhook now. Answers the message id and
/// what the receiver answered.
async fn customer_message(State(app): State<Arc<App>>, Json(v): Json<Value>) -> Response {
    let Some(kind) = kind_of(&v) else { return unknown_provider() };
    let Some(phone) = v["phone"].as_str().filter(|p| p.starts_with('+')) else {
        return json_response(400, json!({"error": "phone: the customer's number, +E.164"}));
    };
    let message = CustomerMessage {
        text: Some(v["text"].as_str().unwrap_or("Hello").to_string()),
        reply_to: v["reply_to"].as_str().map(str::to_string),
        ..CustomerMessage::default()
    };
    let name = v["name"].as_str().unwrap_or("Customer");
    let now = app.clock.now_ms();
    let (id, webhook) = app.sim().provider(kind).customer_message(phone, name, &message, now);
    let posted = callbacks::post(&app, kind, webhook, 0).await;
    json_response(200, json!({"message_id": id, "posted": posted}))
}

/// `POST /_sim/files {"provider", "link" | "id", "mime_type", "size_bytes", "animated"}`: a file the
/// provider finds when it fetches that link, or an upload's media id (Meta's media endpoint serves it).
async fn add_file(State(app): State<Arc<App>>, Json(v): Json<Value>) -> Response {
    let Some(kind) = kind_of(&v) else { return unknown_provider() };
    let file = HostedFile {
        mime_type: v["mime_type"].as_str().unwrap_or("application/octet-stream").to_string(),
        size_bytes: v["size_bytes"].as_u64().unwrap_or(0),
        animated: v["animated"].as_bool().unwrap_or(false),
    };
    let mut sim = app.sim();
    let files = &mut sim.provider(kind).files;
    match (v["link"].as_str(), v["id"].as_str()) {
        (Some(link), _) => files.links.insert(link.to_string(), file),
        (None, Some(id)) => files.uploads.insert(id.to_string(), file),
        _ => return json_response(400, json!({"error": "give `link` or `id`"})),
    };
    json_response(200, json!({"ok": true}))
}

/// `GET /_sim/requests`: every send request received, with the answer.
async fn requests(State(app): State<Arc<App>>) -> Response {
    Json(json!({"requests": app.sim().requests})).into_response()
}

/// `GET /_sim/callbacks`: every callback posted with the receiver's answer, and how many are queued.
async fn posted(State(app): State<Arc<App>>) -> Response {
    let sim = app.sim();
    Json(json!({"pending": sim.pending(), "posted": sim.posted})).into_response()
}

/// `GET /_sim/log`: each provider's own log (accepted, refused, failed).
async fn log(State(app): State<Arc<App>>) -> Response {
    let sim = app.sim();
    Json(json!({"meta-cloud": sim.meta.log, "twilio": sim.twilio.log, "one-msg": sim.one_msg.log})).into_response()
}

async fn not_found(uri: Uri) -> Response {
    json_response(404, json!({"error": format!("no such endpoint on the simulated providers: {}", uri.path())}))
}

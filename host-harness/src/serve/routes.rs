//! The HTTP endpoints: the providers' webhooks and Meta's subscription handshake, the page and its
//! live updates, the JSON API, and Meta media served through the dev server.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::reply::{self, ReplyInput};
use super::{App, db, ingest, page};
use crate::bindings::exports::helpdesk::whatsapp::inbound;
use crate::bindings::exports::helpdesk::whatsapp::types::Provider;

/// Every route of the dev server.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/fragments/list", get(fragment_list))
        .route("/fragments/conversations/{id}", get(fragment_conversation))
        .route("/events", get(events))
        .route("/webhooks/meta-cloud", post(meta_webhook).get(meta_handshake))
        .route("/webhooks/twilio", post(twilio_webhook))
        .route("/webhooks/1msg", post(one_msg_webhook))
        .route("/webhooks/one-msg", post(one_msg_webhook))
        .route("/api/conversations", get(api_conversations))
        .route("/api/conversations/{id}", get(api_conversation))
        .route("/api/conversations/{id}/compose", post(api_compose))
        .route("/api/conversations/{id}/reply", post(api_reply))
        .route("/media/meta/{id}", get(meta_media))
        .layer(axum::middleware::from_fn(loopback_only_but_webhooks))
        .with_state(app)
}

/// Only the webhooks answer through a tunnel. The page, the JSON API (which reads every conversation and
/// sends with the business's credentials) and the media proxy answer only a request addressed to a
/// loopback host (`127.0.0.1`, `localhost`, `[::1]`): a tunnel keeps the public host name, and so does a
/// DNS-rebinding page, so neither reaches them.
async fn loopback_only_but_webhooks(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if request.uri().path().starts_with("/webhooks/") || addressed_to_loopback(request.headers()) {
        return next.run(request).await;
    }
    let why = "the dev server's page and API answer on loopback only (http://127.0.0.1:PORT/); a tunnel \
               reaches /webhooks/* alone";
    (StatusCode::FORBIDDEN, why).into_response()
}

/// Whether the `Host` header names a loopback host (any port).
pub fn addressed_to_loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The URL the provider called, as the component must see it: `PUBLIC_URL` and the path and query
/// (Twilio signs exactly that), else the request's own `Host`.
fn webhook_url(app: &App, headers: &HeaderMap, uri: &Uri) -> String {
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    match &app.config.public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}{path}")
        }
    }
}

async fn webhook(app: Arc<App>, provider: Provider, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let (secret, name) = match provider {
        Provider::MetaCloud => (app.config.meta_app_secret.clone(), "META_APP_SECRET"),
        Provider::Twilio => (app.config.twilio_auth_token.clone(), "TWILIO_AUTH_TOKEN"),
        Provider::OneMsg => (app.config.onemsg_webhook_token.clone(), "ONEMSG_WEBHOOK_TOKEN"),
    };
    let Some(secret) = secret else {
        // The host is not set up to verify: a server error, so the provider retries once it is.
        return (StatusCode::INTERNAL_SERVER_ERROR, format!("{name} is not set: cannot verify the webhook"))
            .into_response();
    };
    let hook = inbound::Webhook {
        provider,
        url: webhook_url(&app, &headers, &uri),
        headers: headers
            .iter()
            .map(|(k, v)| inbound::Header {
                name: k.as_str().to_string(),
                value: String::from_utf8_lossy(v.as_bytes()).into_owned(),
            })
            .collect(),
        body: body.to_vec(),
        received_at: reply::now_ms(),
    };
    let worker = app.clone();
    match tokio::task::spawn_blocking(move || ingest::ingest(&worker.plugin, &worker.db, &hook, &secret)).await {
        Ok(done) => {
            app.changed(&done.changed);
            let status = StatusCode::from_u16(done.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, done.outcome).into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("the webhook's worker failed: {e}")).into_response(),
    }
}

async fn meta_webhook(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    webhook(app, Provider::MetaCloud, uri, headers, body).await
}

async fn twilio_webhook(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    webhook(app, Provider::Twilio, uri, headers, body).await
}

async fn one_msg_webhook(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    webhook(app, Provider::OneMsg, uri, headers, body).await
}

/// Meta's subscription handshake (Meta "Webhooks: Getting started", verification requests): answer
/// `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` is ours; 403 otherwise.
async fn meta_handshake(State(app): State<Arc<App>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let token_ok = match (&app.config.meta_verify_token, q.get("hub.verify_token")) {
        (Some(ours), Some(given)) => {
            use subtle::ConstantTimeEq;
            bool::from(ours.as_bytes().ct_eq(given.as_bytes()))
        }
        _ => false,
    };
    match (q.get("hub.mode").map(String::as_str), q.get("hub.challenge")) {
        (Some("subscribe"), Some(challenge)) if token_ok => (StatusCode::OK, challenge.clone()).into_response(),
        _ => (StatusCode::FORBIDDEN, "verification refused").into_response(),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
}

/// SQLite and the component are blocking work: run it on tokio's blocking pool, so a page load (one
/// `templates.preview` per template) never ties up the threads that answer webhooks.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(internal)
}

async fn index(State(app): State<Arc<App>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let selected = q.get("c").and_then(|c| c.parse().ok());
    blocking(move || match page::index(&app, selected) {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(e),
    })
    .await
}

async fn fragment_list(State(app): State<Arc<App>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let selected = q.get("c").and_then(|c| c.parse().ok());
    blocking(move || match page::list(&app, selected) {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(e),
    })
    .await
}

async fn fragment_conversation(State(app): State<Arc<App>>, Path(id): Path<i64>) -> Response {
    blocking(move || match page::conversation(&app, id) {
        Ok(Some(html)) => Html(html).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no such conversation").into_response(),
        Err(e) => internal(e),
    })
    .await
}

/// Server-Sent Events: `changed` with a conversation id whenever one changes (`*`: reload everything).
async fn events(State(app): State<Arc<App>>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let receiver = app.changes.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let data = match receiver.recv().await {
            Ok(id) => id.to_string(),
            Err(RecvError::Lagged(_)) => "*".to_string(),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(SseEvent::default().event("changed").data(data)), receiver))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn api_conversations(State(app): State<Arc<App>>) -> Response {
    blocking(move || match db::conversations(&app.db()) {
        Ok(rows) => Json(json!({ "conversations": rows })).into_response(),
        Err(e) => internal(e),
    })
    .await
}

async fn api_conversation(State(app): State<Arc<App>>, Path(id): Path<i64>) -> Response {
    blocking(move || match page::view(&app, id) {
        Ok(Some(view)) => Json(view).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Json(json!({"error": "no such conversation"}))).into_response(),
        Err(e) => internal(e),
    })
    .await
}

fn bad_request(e: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": e }))).into_response()
}

/// Check a reply without sending: every problem, or the request that would go out.
async fn api_compose(State(app): State<Arc<App>>, Path(id): Path<i64>, Json(input): Json<ReplyInput>) -> Response {
    blocking(move || compose(&app, id, &input)).await
}

fn compose(app: &App, id: i64, input: &ReplyInput) -> Response {
    let loaded = {
        let conn = app.db();
        db::conversation(&conn, id).and_then(|c| Ok((c, db::window_facts(&conn, id)?)))
    };
    let (conv, facts) = match loaded {
        Ok((Some(conv), facts)) => (conv, facts),
        Ok((None, _)) => {
            return (StatusCode::NOT_FOUND, Json(json!({"error": "no such conversation"}))).into_response();
        }
        Err(e) => return internal(e),
    };
    match reply::check(app, &conv, facts, input, reply::now_ms()) {
        Ok((checked, _)) => Json(checked).into_response(),
        Err(e) => bad_request(e),
    }
}

/// Check and send a reply: 200 with the outcome when it went out (or the provider refused it, kept
/// with its marker), 422 with the problems when it was not sent, 400 for a request that is not a reply,
/// 502 when the provider's answer could not be read (the reply is kept, marked), 500 when the host failed.
async fn api_reply(State(app): State<Arc<App>>, Path(id): Path<i64>, Json(input): Json<ReplyInput>) -> Response {
    reply::respond(&app, id, &input).await
}

async fn meta_media(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match super::send::meta_media(&app.http, &app.config, &id).await {
        Ok((content_type, bytes)) => {
            // A customer's file, served on the dev server's own origin: never as a page that runs script.
            // Pictures, sound and video show inline; anything else (HTML, SVG, PDF...) downloads.
            let inline = ["image/jpeg", "image/png", "image/webp", "image/gif", "audio/", "video/"]
                .iter()
                .any(|t| content_type.starts_with(t));
            let disposition = if inline { "inline" } else { "attachment" };
            let headers = [
                (header::CONTENT_TYPE, content_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_string()),
                (header::CONTENT_DISPOSITION, disposition.to_string()),
            ];
            (headers, bytes).into_response()
        }
        Err(e) => (StatusCode::BAD_GATEWAY, Json(Value::String(e))).into_response(),
    }
}

//! The webhook envelope the CLI and the fixtures use: a webhook as received, written as JSON.
//!
//! `{"provider": "twilio" | "meta-cloud" | "1msg", "url": ..., "headers": {name: value},
//!   "body": "<raw body as sent>", "secret": optional, "received_at": optional RFC 3339,
//!   "serve_groups": optional bool}`;
//! other keys are ignored. A fixture may hold it under `"webhook"` with `secret` and `received_at` beside it.

use serde_json::{Value, json};

use crate::bindings::exports::helpdesk::whatsapp::{inbound, types};

/// When the envelope gives no receipt time.
pub const DEFAULT_RECEIVED_AT: &str = "2026-11-20T10:00:00Z";

/// An envelope read: the webhook as received and how to treat it.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The provider: from the envelope, else from the caller's hint.
    pub provider: types::Provider,
    /// The URL the provider called (Twilio signs it).
    pub url: String,
    /// The request headers, in the envelope's order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: String,
    /// When the helpdesk received it, epoch milliseconds.
    pub received_at: i64,
    /// The signing secret, when the envelope gives one.
    pub secret: Option<String>,
    /// `inbound-options.redact-card-numbers`.
    pub redact_card_numbers: Option<bool>,
    /// `inbound-options.max-attachment-bytes`.
    pub max_attachment_bytes: Option<u64>,
    /// `inbound-options.serve-groups`.
    pub serve_groups: Option<bool>,
}

impl Envelope {
    /// Read an envelope (or a fixture holding one under `webhook`); `provider_hint` when it names none.
    pub fn read(envelope: &Value, provider_hint: Option<&str>) -> Result<Self, String> {
        let inner = envelope.get("webhook").filter(|w| w.is_object()).unwrap_or(envelope);
        let field = |name: &str| inner.get(name).or_else(|| envelope.get(name));
        let provider = field("provider")
            .and_then(Value::as_str)
            .or(provider_hint)
            .ok_or("the envelope needs `provider`: twilio, meta-cloud or 1msg")?;
        let provider = match provider {
            "1msg" | "one-msg" | "one_msg" => types::Provider::OneMsg,
            "meta" | "meta-cloud" | "meta_cloud" | "360dialog" => types::Provider::MetaCloud,
            "twilio" => types::Provider::Twilio,
            other => return Err(format!("unknown provider `{other}`: twilio, meta-cloud or 1msg")),
        };
        let body =
            field("body").and_then(Value::as_str).ok_or("the envelope needs `body`, the raw body as a string")?;
        let headers = match field("headers") {
            Some(Value::Object(h)) => {
                h.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()
            }
            _ => Vec::new(),
        };
        let received_at = field("received_at").and_then(Value::as_str).unwrap_or(DEFAULT_RECEIVED_AT);
        let received_at =
            crate::json::rfc3339_millis(received_at).ok_or(format!("`received_at` {received_at} is not RFC 3339"))?;
        let kind = |name: &str, expected: &str| format!("`{name}` must be {expected}");
        Ok(Envelope {
            provider,
            url: field("url").and_then(Value::as_str).unwrap_or("https://helpdesk.example.com/webhooks").to_string(),
            headers,
            body: body.to_string(),
            received_at,
            secret: optional(field("secret"), Value::as_str, || kind("secret", "a string"))?.map(str::to_string),
            redact_card_numbers: optional(field("redact_card_numbers"), Value::as_bool, || {
                kind("redact_card_numbers", "true or false")
            })?,
            max_attachment_bytes: optional(field("max_attachment_bytes"), Value::as_u64, || {
                kind("max_attachment_bytes", "a number of bytes")
            })?,
            serve_groups: optional(field("serve_groups"), Value::as_bool, || kind("serve_groups", "true or false"))?,
        })
    }

    /// The typed `webhook` record of `inbound.normalize` and `verify-signature`.
    pub fn webhook(&self) -> inbound::Webhook {
        inbound::Webhook {
            provider: self.provider,
            url: self.url.clone(),
            headers: self
                .headers
                .iter()
                .map(|(name, value)| inbound::Header { name: name.clone(), value: value.clone() })
                .collect(),
            body: self.body.as_bytes().to_vec(),
            received_at: self.received_at,
        }
    }

    /// The typed `inbound-options`.
    pub fn options(&self) -> inbound::InboundOptions {
        inbound::InboundOptions {
            secret: self.secret.clone(),
            redact_card_numbers: self.redact_card_numbers,
            max_attachment_bytes: self.max_attachment_bytes,
            serve_groups: self.serve_groups,
        }
    }
}

/// An optional field: absent or `null` is none; otherwise it must read as `T`.
fn optional<'a, T>(
    value: Option<&'a Value>,
    read: impl Fn(&'a Value) -> Option<T>,
    wrong: impl Fn() -> String,
) -> Result<Option<T>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v).map(Some).ok_or_else(wrong),
    }
}

/// The arguments of `inbound.normalize` (`webhook`, `options`) from an envelope, as JSON for `call_json`.
pub fn normalize_args(envelope: &Value, provider_hint: Option<&str>) -> Result<serde_json::Map<String, Value>, String> {
    let (webhook, options) = parts(envelope, provider_hint)?;
    Ok(crate::json::args([("webhook", webhook), ("options", options)]))
}

/// The arguments of `inbound.verify-signature` (`webhook`, `secret`).
pub fn verify_args(envelope: &Value, provider_hint: Option<&str>) -> Result<serde_json::Map<String, Value>, String> {
    let (webhook, options) = parts(envelope, provider_hint)?;
    let secret = options["secret"].as_str().ok_or("the envelope has no `secret` to verify with")?.to_string();
    Ok(crate::json::args([("webhook", webhook), ("secret", Value::String(secret))]))
}

/// The envelope as the JSON of `webhook` and `inbound-options`.
fn parts(envelope: &Value, provider_hint: Option<&str>) -> Result<(Value, Value), String> {
    let e = Envelope::read(envelope, provider_hint)?;
    let provider = match e.provider {
        types::Provider::MetaCloud => "meta-cloud",
        types::Provider::Twilio => "twilio",
        types::Provider::OneMsg => "one-msg",
    };
    let headers: Vec<Value> = e.headers.iter().map(|(name, value)| json!({"name": name, "value": value})).collect();
    let webhook = json!({
        "provider": provider,
        "url": e.url,
        "headers": headers,
        // The door reads a JSON string as its UTF-8 bytes: the body as sent, without a number per byte.
        "body": e.body,
        "received_at": e.received_at,
    });
    let options = json!({
        "secret": e.secret,
        "redact_card_numbers": e.redact_card_numbers,
        "max_attachment_bytes": e.max_attachment_bytes,
        "serve_groups": e.serve_groups,
    });
    Ok((webhook, options))
}

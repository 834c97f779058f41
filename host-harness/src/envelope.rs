//! The webhook envelope the CLI and the fixtures use: a webhook as received, written as JSON.
//!
//! `{"provider": "twilio" | "meta-cloud" | "1msg", "url": ..., "headers": {name: value},
//!   "body": "<raw body as sent>", "secret": optional, "received_at": optional RFC 3339,
//!   "serve_groups": optional bool}`;
//! other keys are ignored. A fixture may hold it under `"webhook"` with `secret` and `received_at` beside it.

use serde_json::{Value, json};

/// When the envelope gives no receipt time.
pub const DEFAULT_RECEIVED_AT: &str = "2026-11-20T10:00:00Z";

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

fn parts(envelope: &Value, provider_hint: Option<&str>) -> Result<(Value, Value), String> {
    let inner = envelope.get("webhook").filter(|w| w.is_object()).unwrap_or(envelope);
    let field = |name: &str| inner.get(name).or_else(|| envelope.get(name));
    let provider = field("provider")
        .and_then(Value::as_str)
        .or(provider_hint)
        .ok_or("the envelope needs `provider`: twilio, meta-cloud or 1msg")?;
    let provider = match provider {
        "1msg" | "one-msg" | "one_msg" => "one-msg",
        "meta" | "meta-cloud" | "meta_cloud" | "360dialog" => "meta-cloud",
        "twilio" => "twilio",
        other => return Err(format!("unknown provider `{other}`: twilio, meta-cloud or 1msg")),
    };
    let body = field("body").and_then(Value::as_str).ok_or("the envelope needs `body`, the raw body as a string")?;
    let headers: Vec<Value> = match field("headers") {
        Some(Value::Object(h)) => {
            h.iter().map(|(k, v)| json!({"name": k, "value": v.as_str().unwrap_or_default()})).collect()
        }
        _ => Vec::new(),
    };
    let received_at = field("received_at").and_then(Value::as_str).unwrap_or(DEFAULT_RECEIVED_AT);
    let received_at =
        crate::json::rfc3339_millis(received_at).ok_or(format!("`received_at` {received_at} is not RFC 3339"))?;
    let webhook = json!({
        "provider": provider,
        "url": field("url").and_then(Value::as_str).unwrap_or("https://helpdesk.example.com/webhooks"),
        "headers": headers,
        "body": body.as_bytes(),
        "received_at": received_at,
    });
    let options = json!({
        "secret": field("secret").cloned().unwrap_or(Value::Null),
        "redact_card_numbers": field("redact_card_numbers").cloned().unwrap_or(Value::Null),
        "max_attachment_bytes": field("max_attachment_bytes").cloned().unwrap_or(Value::Null),
        "serve_groups": field("serve_groups").cloned().unwrap_or(Value::Null),
    });
    Ok((webhook, options))
}

//! The provider's answer to a request `compose` or `mark-read` made (WIT `outbound.read-response`):
//! the message id and initial status, or a failure in the same words as status webhooks
//! (`crate::failures`), or a typed error naming the field that is not the provider's shape.
//!
//! Shapes followed:
//! - Meta Cloud API "Messages" reference: success `{"messaging_product", "contacts": [{"input", "wa_id"}],
//!   "messages": [{"id": "wamid…", "message_status"?}]}`; a read receipt answers `{"success": true}`;
//!   errors `{"error": {"message", "type", "code", "error_data": {"messaging_product", "details"},
//!   "error_subcode"?, "fbtrace_id"}}` (Meta "WhatsApp error codes", and the same envelope on Meta's
//!   MM Lite API support page, https://developers.facebook.com/docs/whatsapp/marketing-messages-lite-api/support).
//!   `message_status` (`accepted`, `held_for_quality_assessment`, `paused`) is present only for some sends;
//!   read through whatsapp-api-js `OnSentArgs` ("undefined if the message_status property is not present"),
//!   Meta's own list of values not read: passed through as given.
//! - Twilio "Messages resource" (https://www.twilio.com/docs/messaging/api/message-resource): 201 with the
//!   Message resource (`sid` `SM…`/`MM…`, `status` e.g. `queued`/`accepted`, `error_code`); errors
//!   `{"code", "message", "more_info", "status"}` (e.g. https://www.twilio.com/docs/api/errors/20429).
//!   The Typing Indicators resource's answer (`{"success": true}`) is **unconfirmed**.
//! - 1msg OpenAPI (`one-msg-sdk` 2.0.x): `MessageSentResponse` `{"sent", "id", "message", "description"}`
//!   and `ErrorResponse` `{"error"}`; 1msg gives no error code. Its read-receipt answer is **unconfirmed**.

use serde_json::{Map, Value};

use super::model::ComposeError;
use crate::error::{InvalidInput, json_kind};
use crate::failures::{failure, http_failure};
use crate::inbound::model::{Failure, ProviderError};
use crate::types::Provider;

/// Which request the response answers (WIT `sent-call`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentCall {
    Compose,
    MarkRead,
}

/// The provider's HTTP answer as the host received it (WIT `provider-response`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderResponse {
    pub provider: Provider,
    pub call: SentCall,
    /// The HTTP status, 100-599.
    pub status: u16,
    /// The body as text (may be empty).
    pub body: String,
}

/// What the provider accepted (WIT `sent-message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// Meta `messages[0].id`, Twilio `sid`, 1msg `id`; none for a read receipt.
    pub message_id: Option<String>,
    /// The initial status as the provider wrote it: Meta `message_status`, Twilio `status`.
    pub status: Option<String>,
    /// Meta `contacts[0].wa_id`.
    pub wa_id: Option<String>,
}

/// The outcome (WIT `send-outcome`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Sent(SentMessage),
    Failed(Failure),
}

/// Read the provider's answer. A 2xx must have the provider's success shape; a 4xx or 5xx with the
/// provider's error shape is classified by its code; a 429 or 5xx whose body is unreadable is still a
/// failure (retryable), classified by the HTTP status.
pub fn read_response(r: &ProviderResponse) -> Result<SendOutcome, ComposeError> {
    if !(200..=299).contains(&r.status) && !(400..=599).contains(&r.status) {
        return Err(InvalidInput::new(
            "status",
            format!("{} is not a final answer to a send: expected 2xx, 4xx or 5xx", r.status),
        )
        .into());
    }
    let parsed: Result<Value, String> = serde_json::from_str(r.body.trim())
        .map_err(|e| if r.body.trim().is_empty() { "empty".into() } else { e.to_string() });
    let object = match parsed {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!("expected a JSON object, found {}", json_kind(&other))),
        Err(e) => Err(format!("not JSON: {e}")),
    };
    let success = (200..=299).contains(&r.status);
    let body = match object {
        Ok(body) => body,
        // No readable body: a rate limit or a server error is still a typed failure.
        Err(_) if r.status == 429 || r.status >= 500 => return Ok(SendOutcome::Failed(no_body(r.status))),
        Err(reason) => return Err(InvalidInput::new("body", reason).into()),
    };
    let outcome = match (r.provider, success) {
        (Provider::MetaCloud, true) => meta_success(&body, r.call)?,
        (Provider::MetaCloud, false) => meta_error(&body, r.status)?,
        (Provider::Twilio, true) => twilio_success(&body, r.call)?,
        (Provider::Twilio, false) => twilio_error(&body, r.status)?,
        (Provider::OneMsg, true) => one_msg_success(&body, r.status)?,
        (Provider::OneMsg, false) => one_msg_error(&body, r.status),
    };
    Ok(outcome)
}

/// The failure for a 429 or 5xx with no readable body: the HTTP status stands in for the code.
fn no_body(status: u16) -> Failure {
    http_failure(status, format!("HTTP {status} without a readable provider error"), None)
}

fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A required non-empty string at `field` (for the error's path).
fn required_text(value: Option<&Value>, field: &str, what: &str) -> Result<String, InvalidInput> {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(InvalidInput::new(field, format!("{what} must not be empty"))),
        Some(other) => Err(InvalidInput::new(field, format!("{what} must be a string, found {}", json_kind(other)))),
        None => Err(InvalidInput::new(field, format!("missing: {what}"))),
    }
}

/// A provider code: a non-negative integer that fits `u32`.
fn code(value: Option<&Value>, field: &str) -> Result<u32, InvalidInput> {
    match value {
        Some(v) => v
            .as_u64()
            .and_then(|c| u32::try_from(c).ok())
            .ok_or_else(|| InvalidInput::new(field, format!("must be the provider's numeric error code, found {v}"))),
        None => Err(InvalidInput::new(field, "missing: the provider's error code")),
    }
}

/// A read receipt's `{"success": true}`: anything else in a 2xx is not the documented shape.
fn acknowledged(body: &Map<String, Value>) -> Result<SendOutcome, InvalidInput> {
    match body.get("success") {
        Some(Value::Bool(true)) => Ok(SendOutcome::Sent(SentMessage { message_id: None, status: None, wa_id: None })),
        Some(other) => Err(InvalidInput::new("body.success", format!("expected true in a 2xx answer, found {other}"))),
        None => Err(InvalidInput::new("body.success", "missing: a read receipt answers {\"success\": true}")),
    }
}

fn meta_success(body: &Map<String, Value>, call: SentCall) -> Result<SendOutcome, InvalidInput> {
    if call == SentCall::MarkRead {
        return acknowledged(body);
    }
    let first = body
        .get("messages")
        .and_then(Value::as_array)
        .and_then(|m| m.first())
        .and_then(Value::as_object)
        .ok_or_else(|| InvalidInput::new("body.messages[0]", "missing: Meta's send answer lists the message"))?;
    let message_id = required_text(first.get("id"), "body.messages[0].id", "the message id (wamid…)")?;
    let wa_id = body
        .get("contacts")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(|c| c.get("wa_id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(SendOutcome::Sent(SentMessage { message_id: Some(message_id), status: text(first, "message_status"), wa_id }))
}

fn meta_error(body: &Map<String, Value>, status: u16) -> Result<SendOutcome, InvalidInput> {
    let Some(error) = body.get("error").and_then(Value::as_object) else {
        if status == 429 || status >= 500 {
            return Ok(SendOutcome::Failed(no_body(status)));
        }
        return Err(InvalidInput::new("body.error", "missing: Meta's error answer is {\"error\": {\"code\", …}}"));
    };
    let code = code(error.get("code"), "body.error.code")?;
    let title = text(error, "message").unwrap_or_else(|| format!("Meta error {code}"));
    let detail = error.get("error_data").and_then(|d| d.get("details")).and_then(Value::as_str).map(str::to_string);
    Ok(SendOutcome::Failed(failure(ProviderError { code, title, detail })))
}

fn twilio_success(body: &Map<String, Value>, call: SentCall) -> Result<SendOutcome, InvalidInput> {
    if call == SentCall::MarkRead {
        return acknowledged(body);
    }
    let sid = required_text(body.get("sid"), "body.sid", "the Message SID (SM… or MM…)")?;
    if !(sid.starts_with("SM") || sid.starts_with("MM")) {
        return Err(InvalidInput::new("body.sid", format!("`{sid}` is not a Message SID (SM… or MM…)")));
    }
    let status = text(body, "status");
    // The Message resource can carry a failure already (`status` failed/undelivered with `error_code`).
    if matches!(status.as_deref(), Some("failed" | "undelivered"))
        && let Some(c) = body.get("error_code").filter(|c| !c.is_null())
    {
        let code = code(Some(c), "body.error_code")?;
        let title = text(body, "error_message").unwrap_or_else(|| format!("Twilio error {code}"));
        return Ok(SendOutcome::Failed(failure(ProviderError { code, title, detail: None })));
    }
    Ok(SendOutcome::Sent(SentMessage { message_id: Some(sid), status, wa_id: None }))
}

fn twilio_error(body: &Map<String, Value>, status: u16) -> Result<SendOutcome, InvalidInput> {
    if body.get("code").is_none() && (status == 429 || status >= 500) {
        return Ok(SendOutcome::Failed(no_body(status)));
    }
    let code = code(body.get("code"), "body.code")?;
    let title = text(body, "message").unwrap_or_else(|| format!("Twilio error {code}"));
    Ok(SendOutcome::Failed(failure(ProviderError { code, title, detail: text(body, "more_info") })))
}

/// 1msg's `MessageSentResponse`; `sent: false` in a 2xx is a failure with no provider code (HTTP status).
fn one_msg_success(body: &Map<String, Value>, status: u16) -> Result<SendOutcome, InvalidInput> {
    match body.get("sent") {
        Some(Value::Bool(false)) => {
            let title = text(body, "message").unwrap_or_else(|| "1msg did not send the message".into());
            Ok(SendOutcome::Failed(http_failure(status, title, text(body, "description"))))
        }
        Some(Value::Bool(true)) | None => {
            let id = match body.get("id") {
                None | Some(Value::Null) => None,
                v => Some(required_text(v, "body.id", "the message id")?),
            };
            if id.is_none() && body.get("sent").is_none() {
                return Err(InvalidInput::new("body.sent", "missing: 1msg's answer says `sent` and `id`"));
            }
            Ok(SendOutcome::Sent(SentMessage { message_id: id, status: None, wa_id: None }))
        }
        Some(other) => Err(InvalidInput::new("body.sent", format!("must be a boolean, found {}", json_kind(other)))),
    }
}

/// 1msg's `ErrorResponse` `{"error"}` (or a `MessageSentResponse` with `message`): no code, so the HTTP
/// status classifies it.
fn one_msg_error(body: &Map<String, Value>, status: u16) -> SendOutcome {
    let title =
        text(body, "error").or_else(|| text(body, "message")).unwrap_or_else(|| format!("1msg answered HTTP {status}"));
    SendOutcome::Failed(http_failure(status, title, text(body, "description")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbound::model::FailureReason;

    fn read(provider: Provider, call: SentCall, status: u16, body: &str) -> Result<SendOutcome, ComposeError> {
        read_response(&ProviderResponse { provider, call, status, body: body.into() })
    }

    fn failed(outcome: Result<SendOutcome, ComposeError>) -> Failure {
        match outcome {
            Ok(SendOutcome::Failed(f)) => f,
            other => panic!("expected a failure, found {other:?}"),
        }
    }

    fn field(outcome: Result<SendOutcome, ComposeError>) -> String {
        match outcome {
            Err(ComposeError::InvalidRequest(e)) => e.field,
            other => panic!("expected an error, found {other:?}"),
        }
    }

    #[test]
    fn meta_success_gives_the_wamid_status_and_wa_id() {
        let body = r#"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],
            "messages":[{"id":"wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA","message_status":"accepted"}]}"#;
        let Ok(SendOutcome::Sent(s)) = read(Provider::MetaCloud, SentCall::Compose, 200, body) else { panic!() };
        assert_eq!(s.message_id.as_deref(), Some("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"));
        assert_eq!(s.status.as_deref(), Some("accepted"));
        assert_eq!(s.wa_id.as_deref(), Some("16505551234"));
    }

    #[test]
    fn meta_errors_use_the_shared_failure_table() {
        let body = |code: u32| {
            format!(
                r#"{{"error":{{"message":"m","type":"OAuthException","code":{code},"error_data":{{"messaging_product":"whatsapp","details":"d"}},"fbtrace_id":"A"}}}}"#
            )
        };
        for (code, reason, retry) in [
            (131047, FailureReason::OutsideWindow, false),
            (131056, FailureReason::RateLimited, true),
            (100, FailureReason::InvalidRequest, false),
            (190, FailureReason::AccountProblem, false),
        ] {
            let f = failed(read(Provider::MetaCloud, SentCall::Compose, 400, &body(code)));
            assert_eq!((f.error.code, f.reason, f.retryable), (code, reason, retry));
            assert_eq!(f.error.detail.as_deref(), Some("d"));
            assert_eq!(f, failure(f.error.clone()), "same words as a status webhook");
        }
    }

    #[test]
    fn twilio_success_and_errors() {
        let ok = r#"{"sid":"SM1f0e8ae6ade43cb3c0ce4525424e404f","status":"queued","error_code":null}"#;
        let Ok(SendOutcome::Sent(s)) = read(Provider::Twilio, SentCall::Compose, 201, ok) else { panic!() };
        assert_eq!(
            (s.message_id.as_deref(), s.status.as_deref()),
            (Some("SM1f0e8ae6ade43cb3c0ce4525424e404f"), Some("queued"))
        );
        let err = r#"{"code":21211,"message":"Invalid 'To' Phone Number","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"#;
        let f = failed(read(Provider::Twilio, SentCall::Compose, 400, err));
        assert_eq!((f.error.code, f.reason, f.retryable), (21211, FailureReason::InvalidRequest, false));
        let busy = r#"{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}"#;
        let f = failed(read(Provider::Twilio, SentCall::Compose, 429, busy));
        assert_eq!((f.reason, f.retryable), (FailureReason::RateLimited, true));
        assert_eq!(field(read(Provider::Twilio, SentCall::Compose, 201, r#"{"sid":"CA123"}"#)), "body.sid");
    }

    #[test]
    fn unreadable_429_and_5xx_are_retryable_failures_other_statuses_are_errors() {
        for provider in [Provider::MetaCloud, Provider::Twilio, Provider::OneMsg] {
            let f = failed(read(provider, SentCall::Compose, 503, "<html>busy</html>"));
            assert_eq!((f.error.code, f.reason, f.retryable), (503, FailureReason::ProviderUnavailable, true));
            let f = failed(read(provider, SentCall::Compose, 429, ""));
            assert_eq!((f.reason, f.retryable), (FailureReason::RateLimited, true));
            assert_eq!(field(read(provider, SentCall::Compose, 400, "oops")), "body");
            assert_eq!(field(read(provider, SentCall::Compose, 302, "{}")), "status");
        }
        assert_eq!(field(read(Provider::MetaCloud, SentCall::Compose, 400, "{}")), "body.error");
        assert_eq!(field(read(Provider::MetaCloud, SentCall::Compose, 200, r#"{"messages":[]}"#)), "body.messages[0]");
        assert_eq!(
            field(read(Provider::MetaCloud, SentCall::Compose, 400, r#"{"error":{"code":-1}}"#)),
            "body.error.code"
        );
    }

    #[test]
    fn one_msg_answers_and_read_receipts() {
        let Ok(SendOutcome::Sent(s)) =
            read(Provider::OneMsg, SentCall::Compose, 200, r#"{"sent":true,"id":"gBEGkXmJQZVJAgkxxx","message":"ok"}"#)
        else {
            panic!()
        };
        assert_eq!(s.message_id.as_deref(), Some("gBEGkXmJQZVJAgkxxx"));
        let f = failed(read(Provider::OneMsg, SentCall::Compose, 401, r#"{"error":"Wrong token"}"#));
        assert_eq!((f.error.code, f.reason, f.retryable), (401, FailureReason::AccountProblem, false));
        assert_eq!(f.error.title, "Wrong token");
        let f = failed(read(Provider::OneMsg, SentCall::Compose, 200, r#"{"sent":false,"message":"no"}"#));
        assert_eq!((f.reason, f.retryable), (FailureReason::Other, false));
        let Ok(SendOutcome::Sent(s)) = read(Provider::MetaCloud, SentCall::MarkRead, 200, r#"{"success":true}"#) else {
            panic!()
        };
        assert_eq!(s.message_id, None);
        assert_eq!(field(read(Provider::MetaCloud, SentCall::MarkRead, 200, r#"{"success":false}"#)), "body.success");
    }
}

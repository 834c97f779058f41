//! The simulated providers' read receipts and typing indicators, on the same wire-shaped endpoint as
//! sends (`Provider::handle_send` tries these first):
//! - Meta: `POST /{version}/{phone-number-id}/messages` with `{"messaging_product": "whatsapp", "status":
//!   "read", "message_id"}` and, optionally, `"typing_indicator": {"type": "text"}`; answer `{"success":
//!   true}` (Meta, Typing indicators, Jun 17, 2026,
//!   https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators/);
//! - Twilio: `POST /v2/Indicators/Typing.json` on messaging.twilio.com with `channel=whatsapp` and
//!   `messageId` (an `SM…` or `MM…` SID) (Twilio, Typing Indicators resource, Public Beta,
//!   https://www.twilio.com/docs/whatsapp/api/typing-indicators-resource); its answer `{"success": true}` is
//!   unconfirmed;
//! - 1msg: `POST /{instance}/readMessage` with `messageId` (and `typingIndicator`), the OpenAPI's
//!   `CreateReadMessageRequest`; the path and the answer (`{"sent": true}` here) are unconfirmed.
//!
//! A receipt for a message id the provider never delivered to the business is refused like any bad
//! parameter (Meta 100, Twilio 20404, 1msg 400).

use serde_json::{Value, json};

use super::send::{HttpRequest, HttpResponse, Refusal, essence};
use super::{Kind, LogLine, META_PHONE_NUMBER_ID, ONE_MSG_INSTANCE, Provider};

impl Provider {
    /// A read receipt or typing indicator, if `r` is one for this provider; `None` for anything else.
    pub(super) fn read_receipt(&mut self, r: &HttpRequest, at: i64) -> Option<HttpResponse> {
        let message_id = match self.kind {
            Kind::MetaCloud => {
                let body: Value = serde_json::from_slice(&r.body).ok()?;
                let path_ok = r.path.ends_with(&format!("/{META_PHONE_NUMBER_ID}/messages"));
                (path_ok && body["status"] == "read").then_some(())?;
                let typing_ok = body.get("typing_indicator").is_none_or(|t| t["type"] == "text");
                Ok(body["message_id"].as_str().unwrap_or_default().to_string())
                    .and_then(|id| if typing_ok && body["messaging_product"] == "whatsapp" { Ok(id) } else { Err(()) })
            }
            Kind::Twilio => {
                (r.path == "/v2/Indicators/Typing.json").then_some(())?;
                let fields: Vec<(String, String)> =
                    form_urlencoded::parse(&r.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
                match (field("channel").as_deref(), field("messageId")) {
                    (Some("whatsapp"), Some(id)) => Ok(id),
                    _ => Err(()),
                }
            }
            Kind::OneMsg => {
                (r.path == format!("/{ONE_MSG_INSTANCE}/readMessage")).then_some(())?;
                let body: Value = serde_json::from_slice(&r.body).ok()?;
                (essence(&r.content_type) == "application/json")
                    .then(|| body["messageId"].as_str().unwrap_or_default().to_string())
                    .ok_or(())
            }
        };
        let known = message_id.as_ref().is_ok_and(|id| self.received.contains(id));
        let outcome = if known { "read receipt accepted" } else { "read receipt refused" };
        self.log.push(LogLine {
            at,
            to: String::new(),
            what: format!("read {}", message_id.clone().unwrap_or_default()),
            outcome: outcome.into(),
        });
        Some(match (self.kind, known) {
            (Kind::OneMsg, true) => {
                HttpResponse { status: 200, body: json!({"sent": true, "message": "read"}).to_string().into_bytes() }
            }
            (_, true) => HttpResponse { status: 200, body: json!({"success": true}).to_string().into_bytes() },
            (Kind::MetaCloud, false) => super::meta_send::error(&Refusal::new(
                400,
                100,
                "(#100) Invalid parameter",
                "Param message_id is not a message received",
            )),
            (Kind::Twilio, false) => super::twilio_send::error(&Refusal::new(
                404,
                20404,
                "The requested resource was not found",
                "messageId",
            )),
            (Kind::OneMsg, false) => {
                super::one_msg_send::error(&Refusal::new(400, 400, "messageId is not a received message", ""))
            }
        })
    }
}

//! Twilio: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` on `https://api.twilio.com`, form
//! fields, HTTP basic authentication.
//!
//! Fields follow Twilio's Messages resource create parameters
//! (https://www.twilio.com/docs/messaging/api/message-resource: `To`, `From` or `MessagingServiceSid`,
//! `Body`, `MediaUrl`, `ContentSid`, `ContentVariables`, `StatusCallback`), and "Guidance on WhatsApp Media
//! Messages" for media. The typing indicator is the Typing Indicators resource (Public Beta,
//! https://www.twilio.com/docs/whatsapp/api/typing-indicators-resource): `POST /v2/Indicators/Typing.json`
//! on `https://messaging.twilio.com` with `channel=whatsapp` and `messageId` (an `SM…` or `MM…` SID).

use serde_json::Value;

use super::model::*;

pub const BASE_URL: &str = "https://api.twilio.com";
pub const MESSAGING_BASE_URL: &str = "https://messaging.twilio.com";

/// `whatsapp:` before an E.164 number; an address that already has it is kept.
pub fn address(value: &str) -> String {
    if value.starts_with("whatsapp:") { value.to_string() } else { format!("whatsapp:{value}") }
}

/// The form fields, in a stable order: `To`, sender, content, `StatusCallback`.
pub fn fields(
    r: &ComposeRequest,
    sender: &TwilioSender,
    status_callback: &Option<String>,
    template: Option<&Value>,
    notes: &mut Vec<String>,
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = Vec::new();
    if let Recipient::Phone(phone) = &r.recipient {
        f.push(("To".into(), address(phone)));
    }
    match sender {
        TwilioSender::From(from) => f.push(("From".into(), address(from))),
        TwilioSender::MessagingServiceSid(sid) => f.push(("MessagingServiceSid".into(), sid.clone())),
    }
    match &r.content {
        Content::Text(text) => f.push(("Body".into(), text.clone())),
        Content::Media(m) => {
            // Twilio sends `Body` with the media as its caption (documents take none: a problem in checks).
            if let Some(caption) = &m.caption {
                f.push(("Body".into(), caption.clone()));
            }
            if let MediaSource::Link(link) = &m.source {
                f.push(("MediaUrl".into(), link.clone()));
            }
            if m.filename.is_some() {
                notes.push("Twilio does not set a file name on WhatsApp media: `filename` was left out.".into());
            }
        }
        Content::RenderedTemplate(_) | Content::Template(..) => {
            for key in ["ContentSid", "ContentVariables"] {
                if let Some(v) = template.and_then(|t| t.get(key)).and_then(Value::as_str) {
                    f.push((key.into(), v.to_string()));
                }
            }
        }
        // Refused in checks; nothing to add.
        _ => {}
    }
    if r.reply_to.is_some() {
        notes.push(
            "Twilio's Messages resource has no field to quote the message replied to: the reply goes out without it."
                .into(),
        );
    }
    if let Some(url) = status_callback {
        f.push(("StatusCallback".into(), url.clone()));
    }
    f
}

pub fn encode(fields: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

pub fn request(account_sid: &str, fields: &[(String, String)]) -> HttpRequest {
    HttpRequest::post(
        BASE_URL,
        format!("/2010-04-01/Accounts/{account_sid}/Messages.json"),
        FORM,
        encode(fields),
        CredentialPlacement::BasicAuth,
    )
}

/// The typing indicator, which also marks the message read (Typing Indicators resource).
pub fn typing(message_id: &str) -> HttpRequest {
    let fields = [("channel".to_string(), "whatsapp".to_string()), ("messageId".to_string(), message_id.to_string())];
    HttpRequest::post(
        MESSAGING_BASE_URL,
        "/v2/Indicators/Typing.json".into(),
        FORM,
        encode(&fields),
        CredentialPlacement::BasicAuth,
    )
}

//! 1msg: `POST {channel API URL}/<method>`, JSON, the channel token as the `token` query parameter.
//!
//! Methods and fields follow 1msg's public OpenAPI ("1MSG WhatsApp Business API (Public)", https://docs.1msg.io/)
//! as published in the `one-msg-sdk` crate 2.0.3 (https://docs.rs/crate/one-msg-sdk/2.0.3): `sendMessage`
//! (`body`, `quotedMsgId`, `chatId` or `phone`), `sendFile` (`body` = file URL with `filename`, or `mediaId` with
//! `mediaType`; `caption`), `sendLocation` (`lat`, `lng` as strings, `name`, `address`), `sendReaction`
//! (`body` = emoji, `quotedMsgId`), `sendList` (`body`, `buttonText`, `sections[].title`, `sections[].rows`),
//! `sendTemplate` (`namespace`, `template`, `language`, `params`). Recipients: `phone` (country code and
//! digits), or `chatId` `<group>@g.us` / `<BSUID>@lid`. Mark as read: the `CreateReadMessageRequest`
//! model (`messageId`, `typingIndicator`); its path `/readMessage` is inferred from the operation name
//! `createReadMessage`, not read: unconfirmed.

use serde_json::{Map, Value, json};

use super::model::*;

/// Where the recipient goes in a 1msg body.
fn recipient(r: &Recipient, body: &mut Map<String, Value>) {
    match r {
        Recipient::Phone(phone) => body.insert("phone".into(), json!(phone.trim_start_matches('+'))),
        Recipient::Group(id) if id.ends_with("@g.us") => body.insert("chatId".into(), json!(id)),
        Recipient::Group(id) => body.insert("chatId".into(), json!(format!("{id}@g.us"))),
        Recipient::Bsuid(id) => body.insert("chatId".into(), json!(format!("{id}@lid"))),
    };
}

/// The file name 1msg requires with a URL: the one given, else the link's last path segment.
pub fn filename(m: &Media) -> Option<String> {
    if let Some(name) = m.filename.as_ref().filter(|n| !n.trim().is_empty()) {
        return Some(name.clone());
    }
    let MediaSource::Link(link) = &m.source else { return None };
    let path = link.split(['?', '#']).next().unwrap_or_default();
    let after_scheme = path.split_once("://").map_or(path, |(_, rest)| rest);
    let segment = after_scheme.split_once('/')?.1.rsplit('/').next()?;
    segment.contains('.').then(|| segment.to_string())
}

/// The method and the body.
pub fn body(r: &ComposeRequest, template: Option<&Value>, notes: &mut Vec<String>) -> (&'static str, Value) {
    let mut b = Map::new();
    let method = match &r.content {
        Content::Text(text) => {
            b.insert("body".into(), json!(text));
            "sendMessage"
        }
        Content::Media(m) => {
            match &m.source {
                MediaSource::Link(link) => {
                    b.insert("body".into(), json!(link));
                    if let Some(name) = filename(m) {
                        b.insert("filename".into(), json!(name));
                    }
                }
                MediaSource::Id(id) => {
                    b.insert("mediaId".into(), json!(id));
                    b.insert("mediaType".into(), json!(m.kind.name()));
                }
            }
            if let Some(c) = &m.caption {
                b.insert("caption".into(), json!(c));
            }
            "sendFile"
        }
        Content::Location(l) => {
            b.insert("lat".into(), json!(crate::decimal::display(l.latitude)));
            b.insert("lng".into(), json!(crate::decimal::display(l.longitude)));
            if let Some(n) = &l.name {
                b.insert("name".into(), json!(n));
            }
            if let Some(a) = &l.address {
                b.insert("address".into(), json!(a));
            }
            "sendLocation"
        }
        Content::Reaction(x) => {
            b.insert("body".into(), json!(x.emoji.clone().unwrap_or_default()));
            b.insert("quotedMsgId".into(), json!(x.message_id));
            "sendReaction"
        }
        Content::List(l) => {
            b.insert("body".into(), json!(l.body));
            b.insert("buttonText".into(), json!(l.button));
            let sections: Vec<Value> = l
                .sections
                .iter()
                .map(|s| {
                    let rows: Vec<Value> = s
                        .rows
                        .iter()
                        .map(|row| {
                            let mut o = Map::new();
                            o.insert("id".into(), json!(row.id));
                            o.insert("title".into(), json!(row.title));
                            if let Some(d) = &row.description {
                                o.insert("description".into(), json!(d));
                            }
                            Value::Object(o)
                        })
                        .collect();
                    let mut o = Map::new();
                    if let Some(t) = &s.title {
                        o.insert("title".into(), json!(t));
                    }
                    o.insert("rows".into(), Value::Array(rows));
                    Value::Object(o)
                })
                .collect();
            b.insert("sections".into(), Value::Array(sections));
            if l.header.is_some() || l.footer.is_some() {
                notes.push("1msg's sendList has no header or footer: they were left out.".into());
            }
            "sendList"
        }
        Content::RenderedTemplate(_) | Content::Template(..) => {
            if let Some(Value::Object(t)) = template {
                b.extend(t.clone());
            }
            "sendTemplate"
        }
        // Refused in checks.
        Content::Contacts(_) | Content::Buttons(_) => "sendMessage",
    };
    recipient(&r.recipient, &mut b);
    if let (Some(id), false) = (&r.reply_to, matches!(r.content, Content::Reaction(_))) {
        b.insert("quotedMsgId".into(), json!(id));
    }
    (method, Value::Object(b))
}

pub fn request(api_url: &str, method: &str, body: &Value) -> HttpRequest {
    HttpRequest::post(api_url, format!("/{method}"), JSON, body.to_string(), CredentialPlacement::QueryToken)
}

/// Mark as read, with the typing indicator when asked (see the module note on the path).
pub fn read(api_url: &str, message_id: &str, typing: bool) -> HttpRequest {
    let mut body = json!({"messageId": message_id});
    if typing {
        body["typingIndicator"] = json!(true);
    }
    request(api_url, "readMessage", &body)
}

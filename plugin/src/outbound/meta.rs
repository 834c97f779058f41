//! Meta Cloud API: `POST /{version}/{phone-number-id}/messages`, JSON, `Authorization: Bearer`.
//!
//! Shapes follow Meta's message-type pages under
//! https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/ ("Text messages",
//! Jul 2, 2026; "Image messages", Jun 24, 2026; and the audio, video, document, sticker, location,
//! contacts, interactive and reaction pages, read through 360dialog's copies of the same payloads),
//! "Group messaging" (May 21, 2026: `recipient_type: group`, `to: <group id>`), "Business-scoped user IDs"
//! (`recipient: <BSUID>` instead of `to`, from May 2026) and "Typing indicators" (Jun 17, 2026).

use serde_json::{Map, Value, json};

use super::model::*;

pub const BASE_URL: &str = "https://graph.facebook.com";
/// The Graph API version of Meta's own examples on the pages above (Text messages, Jul 2, 2026).
pub const DEFAULT_VERSION: &str = "v26.0";

fn path(phone_number_id: &str, version: Option<&str>) -> String {
    format!("/{}/{phone_number_id}/messages", version.unwrap_or(DEFAULT_VERSION))
}

/// The envelope every message shares: product, recipient and type.
fn envelope(recipient: &Recipient, kind: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("messaging_product".into(), json!("whatsapp"));
    match recipient {
        Recipient::Phone(phone) => {
            m.insert("recipient_type".into(), json!("individual"));
            m.insert("to".into(), json!(phone));
        }
        Recipient::Bsuid(id) => {
            m.insert("recipient_type".into(), json!("individual"));
            m.insert("recipient".into(), json!(id));
        }
        Recipient::Group(id) => {
            m.insert("recipient_type".into(), json!("group"));
            m.insert("to".into(), json!(id));
        }
    }
    m.insert("type".into(), json!(kind));
    m
}

fn put(object: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        object.insert(key.into(), json!(v));
    }
}

fn text_header(header: &Option<String>) -> Option<Value> {
    header.as_ref().map(|h| json!({"type": "text", "text": h}))
}

/// The message body for `content`; `template` is the rendered `template` object for template content.
pub fn body(r: &ComposeRequest, template: Option<Value>, notes: &mut Vec<String>) -> Value {
    let (kind, payload): (&str, Value) = match &r.content {
        Content::Text(text) => ("text", json!({"preview_url": r.preview_url, "body": text})),
        Content::Media(m) => {
            let mut o = Map::new();
            match &m.source {
                MediaSource::Id(id) => o.insert("id".into(), json!(id)),
                MediaSource::Link(link) => o.insert("link".into(), json!(link)),
            };
            if matches!(m.kind, MediaKind::Image | MediaKind::Video | MediaKind::Document) {
                put(&mut o, "caption", &m.caption);
            }
            if m.kind == MediaKind::Document {
                put(&mut o, "filename", &m.filename);
            } else if m.filename.is_some() {
                notes.push("Meta shows a file name on documents only: `filename` was left out.".into());
            }
            (m.kind.name(), Value::Object(o))
        }
        Content::Location(l) => {
            let mut o = Map::new();
            o.insert("latitude".into(), json!(l.latitude));
            o.insert("longitude".into(), json!(l.longitude));
            put(&mut o, "name", &l.name);
            put(&mut o, "address", &l.address);
            ("location", Value::Object(o))
        }
        Content::Contacts(cards) => (
            "contacts",
            Value::Array(
                cards
                    .iter()
                    .map(|c| {
                        let mut name = Map::new();
                        name.insert("formatted_name".into(), json!(c.formatted_name));
                        put(&mut name, "first_name", &c.first_name);
                        put(&mut name, "last_name", &c.last_name);
                        let mut card = Map::new();
                        card.insert("name".into(), Value::Object(name));
                        if !c.phones.is_empty() {
                            card.insert("phones".into(), c.phones.iter().map(|p| json!({"phone": p})).collect());
                        }
                        if !c.emails.is_empty() {
                            card.insert("emails".into(), c.emails.iter().map(|e| json!({"email": e})).collect());
                        }
                        Value::Object(card)
                    })
                    .collect(),
            ),
        ),
        Content::Buttons(b) => {
            let mut o = Map::new();
            o.insert("type".into(), json!("button"));
            if let Some(h) = text_header(&b.header) {
                o.insert("header".into(), h);
            }
            o.insert("body".into(), json!({"text": b.body}));
            if let Some(f) = &b.footer {
                o.insert("footer".into(), json!({"text": f}));
            }
            let buttons: Vec<Value> =
                b.buttons.iter().map(|x| json!({"type": "reply", "reply": {"id": x.id, "title": x.title}})).collect();
            o.insert("action".into(), json!({"buttons": buttons}));
            ("interactive", Value::Object(o))
        }
        Content::List(l) => {
            let mut o = Map::new();
            o.insert("type".into(), json!("list"));
            if let Some(h) = text_header(&l.header) {
                o.insert("header".into(), h);
            }
            o.insert("body".into(), json!({"text": l.body}));
            if let Some(f) = &l.footer {
                o.insert("footer".into(), json!({"text": f}));
            }
            let sections: Vec<Value> = l
                .sections
                .iter()
                .map(|s| {
                    let mut section = Map::new();
                    put(&mut section, "title", &s.title);
                    let rows: Vec<Value> = s
                        .rows
                        .iter()
                        .map(|row| {
                            let mut r = Map::new();
                            r.insert("id".into(), json!(row.id));
                            r.insert("title".into(), json!(row.title));
                            put(&mut r, "description", &row.description);
                            Value::Object(r)
                        })
                        .collect();
                    section.insert("rows".into(), Value::Array(rows));
                    Value::Object(section)
                })
                .collect();
            o.insert("action".into(), json!({"button": l.button, "sections": sections}));
            ("interactive", Value::Object(o))
        }
        // Meta removes a reaction when `emoji` is an empty string (Reaction messages).
        Content::Reaction(x) => {
            ("reaction", json!({"message_id": x.message_id, "emoji": x.emoji.clone().unwrap_or_default()}))
        }
        Content::RenderedTemplate(_) | Content::Template(..) => ("template", template.unwrap_or(Value::Null)),
    };
    let mut m = envelope(&r.recipient, kind);
    if let (Some(id), false) = (&r.reply_to, matches!(r.content, Content::Reaction(_))) {
        m.insert("context".into(), json!({"message_id": id}));
    }
    m.insert(kind.into(), payload);
    Value::Object(m)
}

pub fn request(phone_number_id: &str, version: Option<&str>, body: &Value) -> HttpRequest {
    HttpRequest::post(
        BASE_URL,
        path(phone_number_id, version),
        JSON,
        body.to_string(),
        CredentialPlacement::BearerHeader,
    )
}

/// Read receipt, with the typing indicator when asked (Meta "Typing indicators"; without it, the same
/// body minus `typing_indicator` is Meta's "Mark messages as read").
pub fn read(phone_number_id: &str, version: Option<&str>, message_id: &str, typing: bool) -> HttpRequest {
    let mut body = json!({"messaging_product": "whatsapp", "status": "read", "message_id": message_id});
    if typing {
        body["typing_indicator"] = json!({"type": "text"});
    }
    request(phone_number_id, version, &body)
}

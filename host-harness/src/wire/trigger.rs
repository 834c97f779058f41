//! `host-harness trigger PROVIDER EVENT --to URL`: webhooks as the provider sends them, signed with the
//! given secret over the URL the receiver is known by (Twilio signs that URL), posted to any receiver.
//! Messages, groups and calls come from the simulation's providers (`sim::providers`); media messages
//! and status sequences for a given message id are written here in the same wire formats and signed by
//! the simulation's signer (`Provider::signed_raw`).

use serde_json::{Value, json};

use super::Answer;
use crate::sim::providers::{CustomerMessage, Kind, Provider, Webhook};

/// The events `trigger` knows.
pub const EVENTS: &[&str] = &[
    "text", "image", "video", "audio", "voice", "document", "sticker", "reaction", "statuses", "group", "call", "echo",
    "batch",
];

/// What to trigger, and where.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub provider: Kind,
    pub event: String,
    /// The receiver's URL (its webhook endpoint).
    pub to: String,
    /// The URL the provider is configured with, which Twilio signs; default `to`.
    pub public_url: Option<String>,
    /// Meta's app secret, Twilio's auth token, 1msg's webhook token (put in the URL as `hook_token`).
    pub secret: String,
    /// The customer's phone, E.164.
    pub phone: String,
    pub name: String,
    pub text: String,
    /// The message a `reaction` or `statuses` is about.
    pub message_id: Option<String>,
    /// How many messages a `batch` holds.
    pub count: usize,
}

/// A provider message id no earlier run gave: the simulation numbers from 1 in each run.
fn fresh_id(kind: Kind, n: usize) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    match kind {
        Kind::Twilio => format!("SM{:032x}", nanos.wrapping_add(n as u128)),
        _ => format!("wamid.TRIGGER{nanos}{n:03}"),
    }
}

/// The simulation's first ids, as `Provider::next_id` writes them.
fn sim_ids(kind: Kind, upto: u64) -> Vec<String> {
    (1..=upto)
        .map(|n| match kind {
            Kind::Twilio => format!("SM{n:032x}"),
            _ => format!("wamid.SIM{n:016}"),
        })
        .collect()
}

fn now_ms() -> i64 {
    crate::serve::reply::now_ms()
}

/// The URL that is signed and posted: 1msg's carries its token as `hook_token`.
fn urls(t: &Trigger) -> (String, String) {
    let with_token = |u: &str| match t.provider {
        Kind::OneMsg if !u.contains("hook_token=") => {
            let token: String = form_urlencoded::byte_serialize(t.secret.as_bytes()).collect();
            format!("{u}{}hook_token={token}", if u.contains('?') { '&' } else { '?' })
        }
        _ => u.to_string(),
    };
    (with_token(&t.to), with_token(t.public_url.as_deref().unwrap_or(&t.to)))
}

fn provider(t: &Trigger, signed_url: &str) -> Provider {
    let mut p = Provider::new(t.provider, 16, "+15550101234");
    p.secret = t.secret.clone();
    p.url = signed_url.to_string();
    p
}

/// The webhooks of an event, in the order they are posted.
pub fn build(t: &Trigger) -> Result<Vec<Webhook>, String> {
    let (_, signed_url) = urls(t);
    let mut p = provider(t, &signed_url);
    let now = now_ms();
    let text = |s: &str| CustomerMessage { text: Some(s.into()), ..CustomerMessage::default() };
    let hooks = match t.event.as_str() {
        "text" => vec![p.customer_message(&t.phone, &t.name, &text(&t.text), now).1],
        "reaction" => {
            let target = t.message_id.clone().ok_or("a reaction needs --message-id (the message reacted to)")?;
            let m = CustomerMessage { reaction: Some((target, "👍".into())), ..CustomerMessage::default() };
            vec![p.customer_message(&t.phone, &t.name, &m, now).1]
        }
        "image" | "video" | "audio" | "voice" | "document" | "sticker" => vec![p.signed_raw(&media_body(t, now)?)],
        "statuses" => {
            let id = t
                .message_id
                .clone()
                .ok_or("a status sequence needs --message-id (one of the receiver's sent messages)")?;
            // In the order they arrive: a duplicate `sent`, a `sent` overtaken by `delivered`, `read` twice.
            ["sent", "sent", "delivered", "sent", "read", "delivered", "read"]
                .iter()
                .enumerate()
                .map(|(i, status)| Ok(p.signed_raw(&status_body(t, &id, status, now + i as i64 * 1000)?)))
                .collect::<Result<_, String>>()?
        }
        "group" => {
            let (_, hook) = p
                .group_message("120363025246125486", &t.phone, &t.name, &t.text, now)
                .ok_or("groups reach the webhook on the Meta Cloud API only (Groups API)")?;
            vec![hook]
        }
        "call" => vec![
            p.customer_calls(&t.phone, &t.name, now)
                .ok_or("calls reach the messaging webhook on the Meta Cloud API only")?
                .1,
        ],
        "echo" => vec![p.echo(&t.phone, &t.text, now).1.ok_or("Twilio posts no echo of a message sent elsewhere")?],
        "batch" => batch(t, &mut p, now)?,
        other => return Err(format!("unknown event `{other}`; one of: {}", EVENTS.join(", "))),
    };
    // Fresh ids, so a second run is new messages, not retries; re-signed after the change.
    let mut out = Vec::new();
    for (i, hook) in hooks.into_iter().enumerate() {
        let mut body = hook.body.clone();
        for (j, old) in sim_ids(t.provider, 64).iter().enumerate().rev() {
            let new = fresh_id(t.provider, i * 64 + j);
            body = body.replace(old.as_str(), new.as_str());
        }
        out.push(if body == hook.body { hook } else { p.signed_raw(&body) });
    }
    Ok(out)
}

/// Several customers at once: one webhook with every message where the provider batches (Meta's
/// `messages` array, 1msg's), one request each on Twilio.
fn batch(t: &Trigger, p: &mut Provider, now: i64) -> Result<Vec<Webhook>, String> {
    let hooks: Vec<Webhook> = (0..t.count.max(1))
        .map(|i| {
            let phone = format!("{}{i}", &t.phone[..t.phone.len().saturating_sub(1)]);
            let m = CustomerMessage { text: Some(format!("{} ({})", t.text, i + 1)), ..CustomerMessage::default() };
            p.customer_message(&phone, &format!("{} {}", t.name, i + 1), &m, now).1
        })
        .collect();
    if t.provider == Kind::Twilio {
        return Ok(hooks);
    }
    let mut merged: Value = serde_json::from_str(&hooks[0].body).map_err(|e| e.to_string())?;
    for hook in &hooks[1..] {
        let more: Value = serde_json::from_str(&hook.body).map_err(|e| e.to_string())?;
        let (into, from) = match t.provider {
            Kind::MetaCloud => ("/entry/0/changes/0/value", &more["entry"][0]["changes"][0]["value"]),
            _ => ("", &more),
        };
        for key in ["messages", "contacts"] {
            if let (Some(list), Some(items)) =
                (merged.pointer_mut(&format!("{into}/{key}")).and_then(Value::as_array_mut), from[key].as_array())
            {
                list.extend(items.iter().cloned());
            }
        }
    }
    Ok(vec![p.signed_raw(&merged.to_string())])
}

fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// A media message in the provider's format: Meta by media id (fetched through the Graph API), Twilio
/// and 1msg by URL. Shapes as in the fixtures (`tests/fixtures/*/`), each naming its provider page.
fn media_body(t: &Trigger, now: i64) -> Result<String, String> {
    let kind = t.event.as_str();
    let (mime, file) = match kind {
        "image" => ("image/jpeg", "photo.jpg"),
        "video" => ("video/mp4", "clip.mp4"),
        "audio" => ("audio/mpeg", "song.mp3"),
        "voice" => ("audio/ogg; codecs=opus", "voice.ogg"),
        "document" => ("application/pdf", "invoice.pdf"),
        _ => ("image/webp", "sticker.webp"),
    };
    let id = fresh_id(t.provider, 0);
    let caption = matches!(kind, "image" | "video" | "document").then(|| t.text.clone());
    Ok(match t.provider {
        Kind::MetaCloud => {
            let mut media = json!({"mime_type": mime, "sha256": "2UWc6+Bj8mEPsUiCr7TT4UnoebMtS09OYAE4vbtXxe8=", "id": "1208345566779012"});
            if let Some(c) = &caption {
                media["caption"] = json!(c);
            }
            if kind == "document" {
                media["filename"] = json!(file);
            }
            let (wire_type, media) = match kind {
                "voice" => ("audio", {
                    let mut m = media;
                    m["voice"] = json!(true);
                    m
                }),
                other => (other, media),
            };
            let mut message =
                json!({"from": digits(&t.phone), "id": id, "timestamp": (now / 1000).to_string(), "type": wire_type});
            message[wire_type] = media;
            json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550101234", "phone_number_id": "106540352242922"},
                "contacts": [{"profile": {"name": t.name}, "wa_id": digits(&t.phone)}],
                "messages": [message]}}]}]})
            .to_string()
        }
        Kind::Twilio => {
            let url = format!(
                "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/{id}/Media/ME{}",
                &id[2..]
            );
            let message_type = match kind {
                "voice" | "audio" => "audio",
                "sticker" => "sticker",
                other => other,
            };
            form_urlencoded::Serializer::new(String::new())
                .append_pair("MessageSid", &id)
                .append_pair("SmsMessageSid", &id)
                .append_pair("AccountSid", "AC00000000000000000000000000000000")
                .append_pair("From", &format!("whatsapp:{}", t.phone))
                .append_pair("To", "whatsapp:+15550101234")
                .append_pair("WaId", &digits(&t.phone))
                .append_pair("ProfileName", &t.name)
                .append_pair("Body", caption.as_deref().unwrap_or(""))
                .append_pair("MessageType", message_type)
                .append_pair("NumMedia", "1")
                .append_pair("MediaUrl0", &url)
                .append_pair("MediaContentType0", mime)
                .append_pair("SmsStatus", "received")
                .append_pair("ApiVersion", "2010-04-01")
                .finish()
        }
        Kind::OneMsg => {
            let wire_type = match kind {
                "voice" => "ptt",
                other => other,
            };
            let chat = format!("{}@c.us", digits(&t.phone));
            json!({"instanceId": "SIM000001", "messages": [{"id": id, "body": format!("https://files.example.com/{file}"),
                "fromMe": false, "self": 0, "isForwarded": false, "author": chat, "time": now / 1000, "chatId": chat,
                "type": wire_type, "senderName": t.name, "caption": caption, "quotedMsgId": null, "filename": file}]})
            .to_string()
        }
    })
}

/// One status callback for `id`, in the provider's format (as the simulation writes them).
fn status_body(t: &Trigger, id: &str, status: &str, at: i64) -> Result<String, String> {
    Ok(match t.provider {
        Kind::MetaCloud => {
            let mut s = json!({"id": id, "status": status, "timestamp": (at / 1000).to_string(), "recipient_id": digits(&t.phone)});
            s["pricing"] = json!({"billable": false, "pricing_model": "PMP", "category": "service", "type": "free_customer_service"});
            json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550101234", "phone_number_id": "106540352242922"},
                "statuses": [s]}}]}]})
            .to_string()
        }
        Kind::Twilio => form_urlencoded::Serializer::new(String::new())
            .append_pair("MessageSid", id)
            .append_pair("SmsSid", id)
            .append_pair("MessageStatus", status)
            .append_pair("SmsStatus", status)
            .append_pair("To", &format!("whatsapp:{}", t.phone))
            .append_pair("From", "whatsapp:+15550101234")
            .append_pair("AccountSid", "AC00000000000000000000000000000000")
            .append_pair("ApiVersion", "2010-04-01")
            .finish(),
        Kind::OneMsg => {
            let status = if status == "read" { "viewed" } else { status };
            json!({"instanceId": "SIM000001", "ack": [{"id": id, "chatId": format!("{}@c.us", digits(&t.phone)), "status": status}]})
                .to_string()
        }
    })
}

/// Build and post the event's webhooks one after another; each with what the receiver answered.
pub fn run(t: &Trigger) -> Result<Vec<(Webhook, Answer)>, String> {
    let (post_url, _) = urls(t);
    super::check_destination(&post_url)?;
    let hooks = build(t)?;
    super::block_on(async {
        let client = super::client();
        let mut answers = Vec::new();
        for hook in hooks {
            let answer = super::post(&client, &post_url, &hook.headers, hook.body.clone().into_bytes()).await?;
            answers.push((hook, answer));
        }
        Ok(answers)
    })
}

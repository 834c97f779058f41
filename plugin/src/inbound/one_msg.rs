//! 1msg webhooks: JSON `{"instanceId", "messages": [...]}` or `{"instanceId", "ack": [...]}`
//! (1msg's OpenAPI v2.39 callbacks), and calling events as `{"type": "calls", ...}`.
//! Chat ids are `<phone>@c.us` (a customer), `<BSUID>@lid` (a customer with no visible number) or
//! `<id>@g.us` (a group: 1msg "Group Messaging API (Beta)", https://help.1msg.io/docs/api-1msg/group-messaging-api-beta,
//! "the chatID ... ends with @g.us" and group messages arrive on the standard webhook). `fromMe: true`
//! marks a message the business sent: an echo.
//!
//! Only a body that is not 1msg's shape (not JSON, neither `messages`, `ack` nor `type`, or those not
//! arrays) is an error;
//! one message or ack that cannot be read is an `unreadable` event, and the others still come through.
//!
//! Authentication: 1msg signs nothing; the `hook_token` check is `signature::one_msg`.

use super::cursor::{Cursor, e164_strict, parse as parse_json};
use super::model::*;
use super::status::failure;
use crate::types::ClockSource;

/// Who a chat id names: `15555550142@c.us` → phone and wa_id; `US.123@lid` → bsuid. A group
/// (`…@g.us`) names no one: see `party`.
fn chat_party(chat: &Cursor) -> Result<Customer, InboundError> {
    let id = chat.req_str()?;
    match id.rsplit_once('@') {
        Some((_, "g.us")) => Err(chat.malformed(format!("`{id}` is a group, not a participant"))),
        Some((user, "lid")) => Ok(Customer { bsuid: Some(user.to_string()), ..Customer::default() }),
        _ if number_like(&id) => {
            let digits = id.split('@').next().unwrap_or(&id).to_string();
            Ok(Customer { phone: e164_strict(&digits), wa_id: Some(digits), ..Customer::default() })
        }
        _ => Err(chat.malformed(format!("`{id}` is not a 1msg chat id (`<phone>@c.us` or `<id>@lid`)"))),
    }
}

/// `15555550100@c.us` → `+15555550100` when that is an E.164 number.
fn chat_number(id: &str) -> Option<String> {
    id.strip_suffix("@c.us").filter(|user| user.bytes().all(|b| b.is_ascii_digit())).and_then(e164_strict)
}

/// The customer and group of a message or ack: in a group chat (`…@g.us`) the group id is kept apart
/// and the customer is the participant in `author` (1msg's author field; that it names the participant
/// in a group is not stated on the group page: unconfirmed), or no one when there is none.
fn party(item: &Cursor, author_is_customer: bool) -> Result<(Customer, Option<String>), InboundError> {
    let chat = item.get("chatId");
    let id = chat.req_str()?;
    if !id.ends_with("@g.us") {
        return Ok((chat_party(&chat)?, None));
    }
    let author = item.get("author");
    let customer = match author.opt_nonempty()? {
        Some(a) if author_is_customer && !a.ends_with("@g.us") => chat_party(&author)?,
        _ => Customer::default(),
    };
    Ok((customer, Some(id)))
}

fn number_like(id: &str) -> bool {
    let user = id.split('@').next().unwrap_or("");
    !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit())
}

#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn parse(webhook: &Webhook) -> Result<Vec<Event>, InboundError> {
    let doc = parse_json(&webhook.body)?;
    let root = Cursor::root(doc.get_value());
    let messages = root.get("messages");
    let acks = root.get("ack");
    if !messages.is_present() && !acks.is_present() {
        return match root.get("type").opt_nonempty()? {
            // Calls: 1msg's own documentation gives no shape for its `{"type": "calls"}` events (only a
            // third-party tool describes them as a passthrough of Meta's), so they are not read as calls.
            Some(kind) if kind == "calls" => Ok(vec![Event::Ignored(IgnoredEvent {
                reason: "1msg `calls` events are not documented by 1msg, so this plugin does not read them as calls; \
                    WhatsApp calls come as `call` events from the Meta Cloud API"
                    .into(),
                kind,
            })]),
            Some(kind) => Ok(vec![Event::Ignored(IgnoredEvent {
                reason: format!("1msg `{kind}` events carry no messages or statuses"),
                kind,
            })]),
            None => Err(root.malformed("expected a 1msg webhook with `messages` or `ack`")),
        };
    }
    // `instanceId` is the 1msg channel, the id its send API addresses (`api.1msg.io/{instanceId}/…`)
    // for the channel's one number: the number's provider id on every event. 1msg names no account.
    let business = Business { number: None, number_id: root.get("instanceId").opt_nonempty()?, account_id: None };
    // `messages` and `ack` are the body's own arrays: not arrays means not 1msg's shape at all.
    let (message_items, ack_items) = (messages.items()?, acks.items()?);
    let mut events = Vec::new();
    for m in message_items {
        // Who wrote decides who the customer is: a `fromMe` that cannot be read makes the item unreadable,
        // never a guess (a guessed `false` would make the business its own customer).
        let from_me = match m.get("fromMe").opt_bool() {
            Ok(from_me) => from_me.unwrap_or(false),
            Err(e) => {
                events.push(Event::unreadable("message", e, m.get("id").opt_nonempty().ok().flatten()));
                continue;
            }
        };
        let parsed = message(&m, from_me).and_then(|mut message| {
            message.business = business.clone();
            if from_me {
                // In an echo the author is the business (`<number>@c.us`).
                message.business.number = m.get("author").opt_nonempty()?.as_deref().and_then(chat_number);
            }
            Ok(message)
        });
        match parsed {
            Ok(message) if from_me => events.push(Event::Echo(message)),
            Ok(message) => events.push(Event::Message(message)),
            Err(e) => events.push(Event::unreadable(
                if from_me { "echo" } else { "message" },
                e,
                m.get("id").opt_nonempty().ok().flatten(),
            )),
        }
    }
    for a in ack_items {
        match ack(&a, webhook, &business) {
            Ok(event) => events.push(event),
            Err(e) => events.push(Event::unreadable("status", e, a.get("id").opt_nonempty().ok().flatten())),
        }
    }
    Ok(events)
}

fn message(m: &Cursor, from_me: bool) -> Result<Message, InboundError> {
    let (mut customer, group_id) = party(m, !from_me)?;
    if !from_me {
        // In an echo `senderName` is the business, not the customer.
        customer.profile_name = m.get("senderName").opt_nonempty()?;
    }
    let id = m.get("id").req_str()?;
    let sent_at = m.get("time").req_unix_seconds()?;
    let kind_name = m.get("type").req_str()?;
    let body = m.get("body").opt_str()?;
    let caption = m.get("caption").opt_nonempty()?;
    let mut msg =
        Message::new(Provider::OneMsg, id, customer, sent_at, ClockSource::ProviderTimestamp, MessageKind::Text);
    msg.group_id = group_id;
    msg.reply_to = m.get("quotedMsgId").opt_nonempty()?;
    msg.forwarding =
        if m.get("isForwarded").opt_bool()? == Some(true) { Forwarding::Forwarded } else { Forwarding::Original };
    let media = |major: &str| -> Attachment {
        let url = body.clone().filter(|b| !b.is_empty());
        let filename = url.as_deref().and_then(last_segment);
        Attachment {
            // 1msg gives no MIME type: a media range says what is known.
            content_type: format!("{major}/*"),
            caption: caption.clone().filter(|c| Some(c) != filename.as_ref()),
            filename: if major == "application" { filename } else { None },
            url,
            ..Attachment::default()
        }
    };
    // 1msg media types: the body is a download link, the MIME type's major part is all that is known.
    let media_kind = match kind_name.as_str() {
        "image" => Some(("image", MessageKind::Image)),
        "video" => Some(("video", MessageKind::Video)),
        "document" => Some(("application", MessageKind::Document)),
        "audio" => Some(("audio", MessageKind::Audio)),
        "ptt" | "voice" => Some(("audio", MessageKind::Voice)),
        "sticker" => Some(("image", MessageKind::Sticker)),
        _ => None,
    };
    if let Some((major, kind)) = media_kind {
        msg.attachments.push(media(major));
        msg.kind = kind;
        return Ok(msg);
    }
    msg.kind = match kind_name.as_str() {
        "chat" | "text" => {
            msg.text = body;
            MessageKind::Text
        }
        "location" => {
            let text = body.unwrap_or_default();
            let mut parts = text.splitn(2, [';', ',']).map(|p| p.trim().parse::<f64>());
            let (Some(Ok(latitude)), Some(Ok(longitude))) = (parts.next(), parts.next()) else {
                return Err(m.get("body").malformed(format!("`{text}` is not `latitude;longitude`")));
            };
            msg.location = Some(Location { latitude, longitude, name: None, address: None, url: None });
            MessageKind::Location
        }
        "vcard" | "contact" | "contacts" => {
            msg.contacts.push(vcard(&body.unwrap_or_default()));
            MessageKind::Contacts
        }
        "interactive" | "button" => {
            msg.interactive = Some(InteractiveReply {
                kind: ReplyKind::Button,
                id: None,
                title: body.unwrap_or_default(),
                description: None,
            });
            MessageKind::InteractiveReply
        }
        "reaction" => {
            let target =
                msg.reply_to.take().ok_or_else(|| m.get("quotedMsgId").malformed("a reaction needs its target"))?;
            msg.reaction = Some(Reaction { target_message_id: target, emoji: body.filter(|b| !b.is_empty()) });
            MessageKind::Reaction
        }
        other => {
            msg.notes.push(format!(
                "This 1msg message type (`{other}`) is not shown by this plugin version (it may be a change to an earlier message, not a new one): ask the customer what they sent if the conversation needs it."
            ));
            MessageKind::Unsupported
        }
    };
    Ok(msg)
}

/// The last path segment of a URL, without its query: a document's file name.
fn last_segment(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/').next().filter(|s| !s.is_empty() && s.contains('.')).map(str::to_string)
}

/// The name, phones, e-mails and WhatsApp id of a vCard (the fields a helpdesk shows).
fn vcard(text: &str) -> SharedContact {
    let mut contact = SharedContact::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let mut params = key.split(';');
        match params.next().unwrap_or("").to_ascii_uppercase().as_str() {
            "FN" => contact.name = value.trim().to_string(),
            "TEL" => {
                contact.phones.push(value.trim().to_string());
                if contact.wa_id.is_none() {
                    contact.wa_id = params.find_map(|p| p.strip_prefix("waid=").map(str::to_string));
                }
            }
            "EMAIL" => contact.emails.push(value.trim().to_string()),
            _ => {}
        }
    }
    contact
}

fn ack(a: &Cursor, webhook: &Webhook, business: &Business) -> Result<Event, InboundError> {
    let message_id = a.get("id").req_str()?;
    let raw = a.get("status").req_str()?;
    let status = match raw.as_str() {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "viewed" | "read" => DeliveryStatus::Read,
        "failed" => DeliveryStatus::Failed,
        other => return Ok(super::status::unranked(&message_id, other, "1msg")),
    };
    let failure = if status == DeliveryStatus::Failed {
        // 1msg gives a text, no code: code 0 means "not given".
        let title = a.get("error").opt_nonempty()?.unwrap_or_else(|| "1msg reported a failure without a reason".into());
        Some(failure(ProviderError { code: 0, title, detail: None }))
    } else {
        None
    };
    // An ack of a group message names the group; 1msg's ack names no participant.
    let (customer, group_id) = party(a, false)?;
    Ok(Event::Status(StatusUpdate {
        provider: Provider::OneMsg,
        message_id,
        business: business.clone(),
        customer,
        group_id,
        status,
        at: webhook.received_at,
        clock: ClockSource::HelpdeskReceipt,
        pricing: None,
        failure,
        conversation_key: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcards_give_name_phones_emails_and_wa_id() {
        let card = "BEGIN:VCARD\nVERSION:3.0\nFN:Jordan Example\nTEL;type=CELL;waid=15555550199:+1 555-555-0199\nEMAIL:j@example.com\nEND:VCARD";
        let c = vcard(card);
        assert_eq!(c.name, "Jordan Example");
        assert_eq!(c.phones, ["+1 555-555-0199"]);
        assert_eq!(c.emails, ["j@example.com"]);
        assert_eq!(c.wa_id.as_deref(), Some("15555550199"));
    }

    fn hook(body: &str) -> Webhook {
        Webhook { provider: Provider::OneMsg, url: String::new(), headers: vec![], body: body.into(), received_at: 5 }
    }

    #[test]
    fn an_unreadable_from_me_is_never_guessed() {
        // Read as "from the customer", this would make the business's own number a customer.
        let body = r#"{"instanceId":"ODI1","messages":[
            {"id":"m9","fromMe":"yes","author":"15555550100@c.us","chatId":"15555550142@c.us","time":1795000001,"type":"chat","body":"hi"}]}"#;
        let events = parse(&hook(body)).unwrap();
        let [Event::Unreadable(u)] = events.as_slice() else { panic!("{events:?}") };
        assert!(u.path.ends_with("fromMe"), "{u:?}");
        assert_eq!(u.item_id.as_deref(), Some("m9"));
    }

    #[test]
    fn every_event_names_the_channel_and_echoes_the_business_number() {
        let body = r#"{"instanceId":"ODI1","messages":[
            {"id":"m1","fromMe":false,"author":"15555550142@c.us","chatId":"15555550142@c.us","time":1795000000,"type":"chat","body":"hi"},
            {"id":"m2","fromMe":true,"author":"15555550100@c.us","chatId":"15555550142@c.us","time":1795000001,"type":"chat","body":"ok"}],
            "ack":[{"id":"m2","chatId":"15555550142@c.us","status":"delivered"}]}"#;
        let events = parse(&hook(body)).unwrap();
        let [Event::Message(m), Event::Echo(e), Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        let channel = Business { number: None, number_id: Some("ODI1".into()), account_id: None };
        assert_eq!(m.business, channel, "a customer's author is the customer, not the business");
        assert_eq!(s.business, channel);
        assert_eq!(e.business.number.as_deref(), Some("+15555550100"));
        assert_eq!(e.business.number_id.as_deref(), Some("ODI1"));
        assert_eq!(chat_number("US.13491208655302741918@lid"), None);
        assert_eq!(chat_number("123@c.us"), None, "too short to be a number");
    }

    #[test]
    fn one_bad_message_or_ack_never_takes_the_batch_and_groups_name_the_participant() {
        let body = r#"{"instanceId":"ODI1","messages":[
            {"id":"m1","fromMe":false,"author":"15555550142@c.us","chatId":"15555550142@c.us","time":1795000000,"type":"chat","body":"hi"},
            {"id":"m2","fromMe":false,"author":"15555550143@c.us","chatId":"15555550143@c.us","time":"later","type":"chat","body":"x"},
            {"id":"m3","fromMe":false,"author":"15555550144@c.us","chatId":"120363040000000001@g.us","time":1795000001,"type":"chat","body":"all","senderName":"Kai"}],
            "ack":[{"id":"m0","chatId":"120363040000000001@g.us","status":"read"},{"chatId":"15555550142@c.us","status":"sent"}]}"#;
        let events = parse(&hook(body)).unwrap();
        let [Event::Message(m1), Event::Unreadable(m2), Event::Message(m3), Event::Status(a1), Event::Unreadable(a2)] =
            events.as_slice()
        else {
            panic!("{events:#?}")
        };
        assert_eq!(m1.id, "m1");
        assert_eq!((m2.path.as_str(), m2.item_id.as_deref()), ("messages[1].time", Some("m2")));
        assert_eq!(m3.group_id.as_deref(), Some("120363040000000001@g.us"));
        assert_eq!(
            (m3.customer.phone.as_deref(), m3.customer.profile_name.as_deref()),
            (Some("+15555550144"), Some("Kai")),
            "the participant, never the group"
        );
        assert_eq!((a1.group_id.as_deref(), &a1.customer), (Some("120363040000000001@g.us"), &Customer::default()));
        assert_eq!((a2.kind.as_str(), a2.path.as_str()), ("status", "ack[1].id"));
        // Not 1msg's shape at all: still an error for the whole request.
        assert!(matches!(parse(&hook(r#"{"hello":1}"#)), Err(InboundError::MalformedPayload(_))));
        assert!(matches!(parse(&hook("not json")), Err(InboundError::MalformedPayload(_))));
    }

    #[test]
    fn document_names_come_from_the_link() {
        assert_eq!(last_segment("https://x.example/f/invoice-1.pdf?sig=1").as_deref(), Some("invoice-1.pdf"));
        assert_eq!(last_segment("https://x.example/f/"), None);
    }
}

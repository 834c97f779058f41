//! Twilio WhatsApp webhooks: `application/x-www-form-urlencoded` posts. An inbound message has
//! `From=whatsapp:+E164`, `Body`, `NumMedia` with `MediaUrlN`/`MediaContentTypeN` and WhatsApp
//! parameters (`ProfileName`, `WaId`, `MessageType`, location, button, referral and reply-context
//! fields); a status callback has `MessageStatus` and, for failures, `ErrorCode`. Twilio sends no
//! customer send time, so messages carry the receipt time, flagged `helpdesk-receipt`.

use super::cursor::e164_strict;
use super::form::Form;
use super::model::*;
use super::status::failure;
use crate::types::ClockSource;

/// The business side: its number from `field` (`To` of a message, `From` of a status callback, as
/// `whatsapp:+E164`) when it is an E.164 number, and the account, `AccountSid`. Twilio has no id of
/// its own for a WhatsApp sender in these webhooks, so `number_id` stays empty.
fn business(form: &Form, field: &str) -> Business {
    Business {
        number: form.get(field).and_then(|v| v.strip_prefix("whatsapp:")).and_then(e164_strict),
        number_id: None,
        account_id: form.owned("AccountSid"),
    }
}

/// Who a Twilio WhatsApp address names. `whatsapp:+14155238886` is a phone; since 2026 Twilio puts a
/// business-scoped user id in `From`/`To` when the customer's phone is withheld
/// (`whatsapp:US.13491208655302741918`; Meta "Business-scoped user IDs", updated 2026-11-05: a country
/// code, a dot, up to 128 alphanumerics, parents as `US.ENT.…`; Twilio's own page for it was not found,
/// see ../shared/WHATSAPP-2026.md §1.1), which is never a phone. Anything else under `whatsapp:` is
/// malformed; an address without `whatsapp:` is another channel (SMS).
fn whatsapp_address(field: &str, value: &str) -> Result<Customer, InboundError> {
    let Some(address) = value.strip_prefix("whatsapp:") else {
        return Err(InboundError::UnsupportedProviderEvent(format!(
            "Twilio `{field}={value}` is not a WhatsApp address (`whatsapp:+E164`): an SMS or another channel"
        )));
    };
    if let Some(phone) = e164_strict(address) {
        return Ok(Customer { phone: Some(phone), ..Customer::default() });
    }
    if is_bsuid(address) {
        return Ok(Customer { bsuid: Some(address.to_string()), ..Customer::default() });
    }
    Err(InboundError::malformed(
        field,
        format!(
            "`{value}` is neither a phone number (`whatsapp:+E164`) nor a business-scoped user id (`whatsapp:US.…`)"
        ),
    ))
}

/// Twilio's `ExternalUserId` when it is a BSUID (with or without `whatsapp:`); anything else is left out,
/// so it never becomes a phone.
fn external_user_id(form: &Form) -> Option<String> {
    let value = form.get("ExternalUserId")?;
    let value = value.strip_prefix("whatsapp:").unwrap_or(value);
    is_bsuid(value).then(|| value.to_string())
}

/// A business-scoped user id: two upper-case letters (the country), a dot, then up to 128 letters,
/// digits and dots (`US.13491208655302741918`, a parent `US.ENT.…`).
pub(super) fn is_bsuid(value: &str) -> bool {
    let Some((country, rest)) = value.split_once('.') else { return false };
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && !rest.is_empty()
        && rest.len() <= 128
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

/// One event per request (Twilio posts each message or status callback alone). A body that is not a
/// form, and an address of another channel (SMS), are webhook errors; a form whose message or status
/// cannot be read (no `MessageSid`, no `From`, an address that is neither a phone nor a BSUID) is an
/// `unreadable` event naming the field, and a malformed optional field only adds a note to the message.
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn parse(webhook: &Webhook, form: &Form) -> Result<Vec<Event>, InboundError> {
    // JSON (an object, or an Event Streams array) or a form without a single Twilio parameter is not a
    // Twilio messaging webhook at all.
    let json = matches!(webhook.body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['));
    if form.is_empty() || json || !TWILIO_PARAMETERS.iter().any(|name| form.get(name).is_some()) {
        return Err(InboundError::malformed("body", "expected Twilio's form-encoded parameters"));
    }
    let (kind, result) = match form.get("MessageStatus") {
        Some(status) if status != "received" && status != "receiving" => {
            ("status", status_callback(form, status, webhook))
        }
        _ => ("message", message(form, webhook).map(|m| vec![Event::Message(m)])),
    };
    match result {
        Ok(events) => Ok(events),
        Err(e @ InboundError::UnsupportedProviderEvent(_)) => Err(e),
        Err(e) => Ok(vec![Event::unreadable(kind, e, form.owned("MessageSid").or_else(|| form.owned("SmsSid")))]),
    }
}

/// Parameters every Twilio messaging webhook or status callback carries some of (webhook-request,
/// "Request parameters"; track-status, "How are status callback requests sent?").
const TWILIO_PARAMETERS: [&str; 7] =
    ["MessageSid", "SmsMessageSid", "SmsSid", "AccountSid", "From", "To", "MessageStatus"];

/// The `MessageType` values of Twilio's WhatsApp inbound webhook (webhook-request, "WhatsApp-specific
/// parameters", https://www.twilio.com/docs/messaging/guides/webhook-request).
const KNOWN_MESSAGE_TYPES: [&str; 12] = [
    "text",
    "image",
    "video",
    "audio",
    "document",
    "location",
    "button",
    "interactive",
    "sticker",
    "reaction",
    "contacts",
    "unsupported",
];

fn message(form: &Form, webhook: &Webhook) -> Result<Message, InboundError> {
    let id = match form.get("MessageSid") {
        Some(id) => id.to_string(),
        None => form.required("SmsMessageSid")?.to_string(),
    };
    let from = whatsapp_address("From", form.required("From")?)?;
    // `ExternalUserId`: where Twilio is reported to carry the BSUID beside a phone (dimagi/open-chat-studio#3322;
    // no Twilio page found: unconfirmed), taken only when it has a BSUID's shape.
    let external = external_user_id(form);
    let customer = Customer {
        wa_id: form.owned("WaId"),
        bsuid: from.bsuid.or(external),
        phone: from.phone,
        profile_name: form.owned("ProfileName"),
        ..Customer::default()
    };
    let mut msg = Message::new(
        Provider::Twilio,
        id,
        customer,
        webhook.received_at,
        ClockSource::HelpdeskReceipt,
        MessageKind::Text,
    );
    // The business is the recipient, `To` (webhook-request: Request parameters).
    if let Some(to) = form.get("To") {
        whatsapp_address("To", to)?;
    }
    msg.business = business(form, "To");
    // A malformed optional field costs the agent a detail, never the message: it becomes a note.
    let media_count: usize = match form.number("NumMedia") {
        Ok(count) => count.unwrap_or(0),
        Err(_) => {
            msg.notes.push(format!(
                "Twilio's NumMedia (`{}`) is not a number: the files listed as MediaUrl0, MediaUrl1... are shown.",
                form.get("NumMedia").unwrap_or_default()
            ));
            (0..10).take_while(|n| form.get(&format!("MediaUrl{n}")).is_some()).count()
        }
    };
    for n in 0..media_count.min(10) {
        let url = form.owned(&format!("MediaUrl{n}"));
        let content_type = form.owned(&format!("MediaContentType{n}")).unwrap_or_default();
        if url.is_none() && content_type.is_empty() {
            msg.notes.push(format!(
                "Twilio announced {media_count} files but gave no MediaUrl{n}: ask the customer to send that file again."
            ));
            continue;
        }
        msg.attachments.push(Attachment { content_type, url, ..Attachment::default() });
    }
    let body = form.owned("Body");
    let message_type = form.get("MessageType").unwrap_or("");
    if !message_type.is_empty() && !KNOWN_MESSAGE_TYPES.contains(&message_type) {
        msg.notes.push(format!(
            "This WhatsApp message type (`{message_type}`) is not known to this plugin version: what Twilio sent with it is shown; ask the customer if something is missing."
        ));
    }
    let first_type = msg.attachments.first().map(|a| a.content_type.clone()).unwrap_or_default();
    msg.kind = match message_type {
        "location" => MessageKind::Location,
        "button" => MessageKind::ButtonReply,
        "interactive" => MessageKind::InteractiveReply,
        "sticker" => MessageKind::Sticker,
        "reaction" => MessageKind::Reaction,
        "contacts" => MessageKind::Contacts,
        "unsupported" => MessageKind::Unsupported,
        _ if !msg.attachments.is_empty() => media_kind(message_type, &first_type),
        _ if form.get("Latitude").is_some() => MessageKind::Location,
        _ if form.get("ButtonPayload").is_some() || form.get("ButtonText").is_some() => MessageKind::ButtonReply,
        _ => MessageKind::Text,
    };
    match msg.kind {
        MessageKind::Location => match (form.number("Latitude"), form.number("Longitude")) {
            (Ok(Some(latitude)), Ok(Some(longitude))) => {
                msg.location = Some(Location {
                    latitude,
                    longitude,
                    name: form.owned("Label"),
                    address: form.owned("Address"),
                    url: None,
                });
            }
            _ => msg.notes.push(format!(
                "The shared location could not be read (Latitude `{}`, Longitude `{}`): ask the customer to share it again.",
                form.get("Latitude").unwrap_or_default(),
                form.get("Longitude").unwrap_or_default()
            )),
        },
        MessageKind::ButtonReply | MessageKind::InteractiveReply => {
            let list = form.get("ListId").is_some() || form.get("ListTitle").is_some();
            msg.interactive = Some(InteractiveReply {
                kind: match (msg.kind, list) {
                    (MessageKind::ButtonReply, _) => ReplyKind::TemplateButton,
                    (_, true) => ReplyKind::ListRow,
                    _ => ReplyKind::Button,
                },
                id: form.owned("ButtonPayload").or_else(|| form.owned("ListId")),
                title: form
                    .owned("ButtonText")
                    .or_else(|| form.owned("ListTitle"))
                    .or_else(|| body.clone())
                    .unwrap_or_default(),
                description: None,
            });
        }
        _ => {}
    }
    // A media message's Body is its caption; otherwise it is the text.
    match (msg.attachments.first_mut(), body) {
        (Some(first), Some(caption)) => first.caption = Some(caption),
        (None, body) if !matches!(msg.kind, MessageKind::ButtonReply | MessageKind::InteractiveReply) => {
            msg.text = body
        }
        _ => {}
    }
    msg.reply_to = form.owned("OriginalRepliedMessageSid");
    msg.forwarding = if form.flag("FrequentlyForwarded") {
        Forwarding::FrequentlyForwarded
    } else if form.flag("Forwarded") {
        Forwarding::Forwarded
    } else {
        Forwarding::Original
    };
    if let Some(source_type) =
        form.owned("ReferralSourceType").or_else(|| form.get("ReferralSourceId").map(|_| String::new()))
    {
        msg.referral = Some(Referral {
            source_type,
            source_id: form.owned("ReferralSourceId"),
            source_url: form.owned("ReferralSourceUrl"),
            headline: form.owned("ReferralHeadline"),
            body: form.owned("ReferralBody"),
            // `image/jpeg` → `image`, as Meta and the contract name it.
            media_type: form.get("ReferralMediaContentType").map(|t| t.split('/').next().unwrap_or(t).to_string()),
            media_url: form.owned("ReferralMediaUrl"),
            thumbnail_url: None,
            click_id: form.owned("ReferralCtwaClid"),
        });
    }
    Ok(msg)
}

/// Image, video, document, sticker, audio or voice from Twilio's `MessageType` or the media's type.
fn media_kind(message_type: &str, content_type: &str) -> MessageKind {
    let major = content_type.split('/').next().unwrap_or("");
    match (message_type, major) {
        ("image", _) | ("", "image") => MessageKind::Image,
        ("video", _) | ("", "video") => MessageKind::Video,
        // WhatsApp voice notes are Ogg Opus; other audio is a file the customer attached.
        ("audio", _) | ("", "audio") if content_type.starts_with("audio/ogg") => MessageKind::Voice,
        ("audio", _) | ("", "audio") => MessageKind::Audio,
        _ => MessageKind::Document,
    }
}

fn status_callback(form: &Form, raw: &str, webhook: &Webhook) -> Result<Vec<Event>, InboundError> {
    let message_id = match form.get("MessageSid") {
        Some(id) => id.to_string(),
        None => form.required("SmsSid")?.to_string(),
    };
    let status = match raw {
        "queued" | "accepted" | "scheduled" | "sending" => DeliveryStatus::Pending,
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "failed" | "undelivered" => DeliveryStatus::Failed,
        other => return Ok(vec![super::status::unranked(&message_id, other, "Twilio")]),
    };
    // In a status callback the customer is the recipient, `To`.
    let to = form.required("To")?;
    let mut customer = whatsapp_address("To", to)?;
    customer.bsuid = customer.bsuid.or_else(|| external_user_id(form));
    let failure = match (status, form.number::<u32>("ErrorCode")?) {
        (DeliveryStatus::Failed, Some(code)) => Some(failure(ProviderError {
            code,
            title: form.owned("ErrorMessage").unwrap_or_else(|| format!("Twilio error {code}")),
            detail: None,
        })),
        _ => None,
    };
    Ok(vec![Event::Status(StatusUpdate {
        provider: Provider::Twilio,
        message_id,
        // The sender of our message, `From`, is the business (track-status: "How are status callback
        // requests sent?", https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
        business: business(form, "From"),
        customer,
        status,
        at: webhook.received_at,
        clock: ClockSource::HelpdeskReceipt,
        pricing: None,
        failure,
        group_id: None,
        conversation_key: String::new(),
    })])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser as `normalize` calls it, with the form decoded from the body.
    fn parse(webhook: &Webhook) -> Result<Vec<Event>, InboundError> {
        super::parse(webhook, &Form::parse(&webhook.body))
    }

    fn hook(body: &str) -> Webhook {
        Webhook { provider: Provider::Twilio, url: String::new(), headers: vec![], body: body.into(), received_at: 7 }
    }

    #[test]
    fn a_bsuid_address_is_never_a_phone() {
        let events =
            parse(&hook("MessageSid=SM1&From=whatsapp%3AUS.13491208655302741918&To=whatsapp%3A%2B15550101234&Body=Hi"))
                .unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!() };
        assert_eq!(m.customer.phone, None);
        assert_eq!(m.customer.bsuid.as_deref(), Some("US.13491208655302741918"));
        // A status callback to a BSUID recipient names it as such.
        let events =
            parse(&hook("MessageSid=SM2&MessageStatus=sent&To=whatsapp%3AUS.ENT.98765&From=whatsapp%3A%2B15550101234"))
                .unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!() };
        assert_eq!((s.customer.phone.as_deref(), s.customer.bsuid.as_deref()), (None, Some("US.ENT.98765")));
        // Digits that are too many for E.164, or letters, are neither: an unreadable message naming the field.
        for from in ["whatsapp%3A%2B1234567890123456", "whatsapp%3Aabc"] {
            let events = parse(&hook(&format!("MessageSid=SM3&From={from}&Body=x"))).unwrap();
            let [Event::Unreadable(u)] = events.as_slice() else { panic!("{events:?}") };
            assert_eq!((u.path.as_str(), u.item_id.as_deref(), u.kind.as_str()), ("From", Some("SM3"), "message"));
        }
        // ExternalUserId beside a phone is kept as the BSUID when it has a BSUID's shape.
        let events = parse(&hook(
            "MessageSid=SM4&From=whatsapp%3A%2B15551230001&ExternalUserId=US.1349&Body=x&To=whatsapp%3A%2B15550101234",
        ))
        .unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!() };
        assert_eq!((m.customer.phone.as_deref(), m.customer.bsuid.as_deref()), (Some("+15551230001"), Some("US.1349")));
    }

    #[test]
    fn bsuid_shapes() {
        for yes in ["US.13491208655302741918", "US.ENT.abc123", "BR.x"] {
            assert!(is_bsuid(yes), "{yes}");
        }
        for no in ["13491208655302741918", "us.123", "USA.1", "US.", "US.12-3", "+1555"] {
            assert!(!is_bsuid(no), "{no}");
        }
    }

    #[test]
    fn an_inbound_text_uses_the_receipt_time() {
        let events = parse(&hook(
            "MessageSid=SM1&From=whatsapp%3A%2B15551230001&To=whatsapp%3A%2B15550101234&Body=Hi+there&WaId=15551230001",
        ))
        .unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!() };
        assert_eq!((m.sent_at, m.clock), (7, ClockSource::HelpdeskReceipt));
        assert_eq!(m.text.as_deref(), Some("Hi there"));
        assert_eq!(m.customer.phone.as_deref(), Some("+15551230001"));
        assert_eq!(m.business.number.as_deref(), Some("+15550101234"));
    }

    #[test]
    fn media_body_is_the_caption_and_ogg_is_a_voice_note() {
        let body = "MessageSid=SM2&From=whatsapp%3A%2B15551230001&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm&MediaContentType0=audio%2Fogg&Body=listen";
        let events = parse(&hook(body)).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!() };
        assert_eq!(m.kind, MessageKind::Voice);
        assert_eq!(m.text, None);
        assert_eq!(m.attachments[0].caption.as_deref(), Some("listen"));
        // A file announced but missing costs only that file: the message comes with a note.
        let missing =
            "MessageSid=SM2&From=whatsapp%3A%2B15551230001&NumMedia=2&MediaUrl0=u&MediaContentType0=image%2Fjpeg";
        let events = parse(&hook(missing)).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.attachments.len(), 1);
        assert!(m.notes.iter().any(|n| n.contains("MediaUrl1")), "{:?}", m.notes);
    }

    #[test]
    fn undelivered_is_a_failure_with_its_reason() {
        let events = parse(&hook("MessageSid=SM3&MessageStatus=undelivered&To=whatsapp%3A%2B15551230001&From=whatsapp%3A%2B1&ErrorCode=63024")).unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!() };
        assert_eq!(s.status, DeliveryStatus::Failed);
        assert_eq!(s.failure.as_ref().unwrap().reason, FailureReason::Undeliverable);
    }

    #[test]
    fn a_status_names_the_business_sender_and_account() {
        let events = parse(&hook(
            "MessageSid=SM6&MessageStatus=delivered&To=whatsapp%3A%2B15551230001&From=whatsapp%3A%2B15550101234&AccountSid=AC1",
        ))
        .unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(s.business.number.as_deref(), Some("+15550101234"));
        assert_eq!(s.business.account_id.as_deref(), Some("AC1"));
        assert_eq!(s.business.number_id, None);
        assert_eq!(s.customer.phone.as_deref(), Some("+15551230001"), "the customer stays the recipient");
        // A sender that is not an E.164 number is no phone; the account is still named.
        let events = parse(&hook(
            "MessageSid=SM7&MessageStatus=sent&To=whatsapp%3A%2B15551230001&From=whatsapp%3A%2B1&AccountSid=AC1",
        ))
        .unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((s.business.number.as_deref(), s.business.account_id.as_deref()), (None, Some("AC1")));
    }

    #[test]
    fn a_malformed_optional_field_or_unknown_type_is_a_note_on_the_message() {
        let events = parse(&hook(
            "MessageSid=SM8&From=whatsapp%3A%2B15551230001&NumMedia=two&MediaUrl0=u&MediaContentType0=image%2Fpng&Body=see",
        ))
        .unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((m.kind, m.attachments.len()), (MessageKind::Image, 1));
        assert!(m.notes[0].contains("NumMedia"), "{:?}", m.notes);
        let events = parse(&hook(
            "MessageSid=SM9&From=whatsapp%3A%2B15551230001&MessageType=location&Latitude=north&Longitude=1",
        ))
        .unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((m.kind, m.location.is_none()), (MessageKind::Location, true));
        assert!(m.notes[0].contains("Latitude `north`"), "{:?}", m.notes);
        let events =
            parse(&hook("MessageSid=SM10&From=whatsapp%3A%2B15551230001&MessageType=hologram&Body=look")).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.text.as_deref(), Some("look"));
        assert!(m.notes[0].contains("`hologram`"), "{:?}", m.notes);
        // A status callback whose ErrorCode is not a number is an unreadable status with its id.
        let events = parse(&hook(
            "MessageSid=SM11&MessageStatus=failed&To=whatsapp%3A%2B15551230001&From=whatsapp%3A%2B15550101234&ErrorCode=x",
        ))
        .unwrap();
        let [Event::Unreadable(u)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((u.path.as_str(), u.item_id.as_deref(), u.kind.as_str()), ("ErrorCode", Some("SM11"), "status"));
    }

    #[test]
    fn sms_and_json_are_refused_with_reasons() {
        assert!(matches!(
            parse(&hook("MessageSid=SM4&From=%2B15551230001&Body=x")),
            Err(InboundError::UnsupportedProviderEvent(_))
        ));
        assert!(matches!(parse(&hook(r#"{"MessageSid":"SM5"}"#)), Err(InboundError::MalformedPayload(_))));
        assert!(matches!(parse(&hook(r#" [{"type":"x"}]"#)), Err(InboundError::MalformedPayload(_))));
        assert!(matches!(parse(&hook("hello=world&x=1")), Err(InboundError::MalformedPayload(_))));
    }
}

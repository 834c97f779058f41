//! Meta WhatsApp Cloud API webhooks (also what 360dialog forwards):
//! `{"object": "whatsapp_business_account", "entry": [{"id", "changes": [{"field", "value"}]}]}`.
//! A `messages` change carries `metadata`, `contacts[]`, `messages[]`, `statuses[]` and `errors[]`;
//! `smb_message_echoes` carries `message_echoes[]`; every other field is reported as ignored.

use super::cursor::{Cursor, e164_strict, parse as parse_json};
use super::model::*;
use super::status::failure;
use crate::pricing::Category;
use crate::window::ClockSource;

/// What every message of one change shares.
pub(super) struct Change {
    /// The number from `metadata`, the WhatsApp Business Account from `entry[].id`.
    pub business: Business,
    /// `contacts[]`: wa_id (or user id) → the customer it describes.
    contacts: Vec<Customer>,
}

/// The webhook's events, in payload order. Only a body that is not a Meta webhook at all (not JSON, no
/// `object`, no `entry` array) is an error; a change, message, status, contact or group update that
/// cannot be read becomes an `unreadable` event naming its path, and its siblings still come through.
pub fn parse(webhook: &Webhook) -> Result<Vec<Event>, InboundError> {
    let doc = parse_json(&webhook.body)?;
    let root = Cursor::root(&doc);
    let object = root.get("object");
    let object_name = object.req_str()?;
    if object_name != "whatsapp_business_account" {
        return Err(InboundError::UnsupportedProviderEvent(format!(
            "Meta webhook for object `{object_name}`; only `whatsapp_business_account` is handled"
        )));
    }
    let entries = root.get("entry");
    if !entries.is_present() {
        return Err(entries.malformed("missing"));
    }
    let mut events = Vec::new();
    for entry in entries.items()? {
        // `entry[].id` is the WhatsApp Business Account id (Meta's messages webhook reference, Syntax:
        // https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
        let account_id = match entry.get("id").opt_nonempty() {
            Ok(id) => id,
            Err(e) => {
                events.push(Event::unreadable("entry", e, None));
                continue;
            }
        };
        // `entry[].time`: when Meta sent a template webhook (its references' Syntax); read when it is a
        // valid time, as nothing else depends on it.
        let time = entry.get("time");
        let entry_time = if time.is_present() { time.req_unix_seconds().ok() } else { None };
        let changes = entry.get("changes");
        for change in each(&changes, "entry", &mut events) {
            change_events(&change, account_id.clone(), entry_time, &mut events);
        }
    }
    Ok(events)
}

/// The elements of an array, or none after an `unreadable` event when it is not an array.
pub(super) fn each<'a>(list: &'a Cursor<'a>, kind: &str, events: &mut Vec<Event>) -> Vec<Cursor<'a>> {
    list.items().unwrap_or_else(|e| {
        events.push(Event::unreadable(kind, e, None));
        Vec::new()
    })
}

/// An item's provider id when it can be read, for the `unreadable` event of an item that cannot.
pub(super) fn lenient_id(item: &Cursor, key: &str) -> Option<String> {
    item.get(key).opt_nonempty().ok().flatten()
}

fn change_events(
    change: &Cursor,
    account_id: Option<String>,
    entry_time: Option<crate::time::Instant>,
    events: &mut Vec<Event>,
) {
    let field = match change.get("field").req_str() {
        Ok(field) => field,
        Err(e) => return events.push(Event::unreadable("change", e, None)),
    };
    let value = change.get("value");
    let done = match field.as_str() {
        "messages" => messages_change(&value, account_id, events),
        "smb_message_echoes" => echoes_change(&value, account_id, events),
        // Coexistence (WhatsApp Business app and Cloud API on one number) and marketing preferences.
        "history" => super::coexistence::history_change(&value, account_id, events),
        "smb_app_state_sync" => super::coexistence::state_sync_change(&value, events),
        "user_preferences" => super::coexistence::preferences_change(&value, account_id, events),
        "message_template_status_update" | "message_template_quality_update" | "template_category_update" => {
            super::templates_webhooks::change(&field, &value, account_id, entry_time, events)
        }
        // The Calling API's field (Meta Calling API "Webhook reference", updated Nov 13, 2025).
        "calls" => calls_change(&value, account_id, events),
        // The four Groups API fields (Meta "Webhooks for Groups API", updated Oct 22, 2025,
        // https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/webhooks).
        "group_lifecycle_update" | "group_participants_update" | "group_settings_update" | "group_status_update" => {
            groups_change(&value, account_id, events)
        }
        _ => {
            events.push(Event::Ignored(Ignored { reason: ignored_reason(&field), kind: field }));
            Ok(())
        }
    };
    if let Err(e) = done {
        events.push(Event::unreadable("change", e, None));
    }
}
/// The `groups[]` of a Groups API webhook, one `group-update` event each.
fn groups_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let business = business(value, account_id)?;
    let groups = value.get("groups");
    for g in each(&groups, "group-update", events) {
        match super::groups::update(&g, &business) {
            Ok(update) => events.push(Event::GroupUpdate(update)),
            Err(e) => events.push(Event::unreadable("group-update", e, lenient_id(&g, "group_id"))),
        }
    }
    Ok(())
}

/// The `calls[]` (connect, terminate) and `statuses[]` (RINGING, ACCEPTED, REJECTED) of a `calls`
/// change, one `call` event each; see `calls.rs`.
fn calls_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let errors = value.get("errors");
    let error = match errors.items()?.first() {
        Some(e) => Some(provider_error(e)?),
        None => None,
    };
    let calls = value.get("calls");
    for c in each(&calls, "call", events) {
        match super::calls::call(&c, &change.business, error.clone(), |wa_id, user_id| {
            customer_for(&change, wa_id, user_id)
        }) {
            Ok(call) => events.push(Event::Call(call)),
            Err(e) => events.push(Event::unreadable("call", e, lenient_id(&c, "id"))),
        }
    }
    let statuses = value.get("statuses");
    for s in each(&statuses, "call", events) {
        match super::calls::status(&s, &change.business, |wa_id, user_id| customer_for(&change, wa_id, user_id)) {
            Ok(call) => events.push(Event::Call(call)),
            Err(e) => events.push(Event::unreadable("call", e, lenient_id(&s, "id"))),
        }
    }
    Ok(())
}

fn ignored_reason(field: &str) -> String {
    match field {
        "account_update" | "account_review_update" | "account_alerts" | "business_capability_update" => {
            "an account notice for administrators, not a conversation".into()
        }
        "phone_number_quality_update" | "phone_number_name_update" => {
            "a notice about the business number for administrators, not a conversation".into()
        }
        _ => format!("the `{field}` webhook field carries no messages or statuses"),
    }
}

/// The business from the change's `metadata`. A value that cannot be read is left out rather than
/// taking the change's messages and statuses with it: the events still come, without that field.
pub(super) fn business(value: &Cursor, account_id: Option<String>) -> Result<Business, InboundError> {
    let metadata = value.get("metadata");
    Ok(Business {
        number: metadata.get("display_phone_number").opt_nonempty().ok().flatten().and_then(|n| e164_strict(&n)),
        number_id: metadata.get("phone_number_id").opt_nonempty().ok().flatten(),
        account_id,
    })
}

/// The change's business and contacts; a contact that cannot be read is reported and left out.
pub(super) fn change_context(
    value: &Cursor,
    account_id: Option<String>,
    events: &mut Vec<Event>,
) -> Result<Change, InboundError> {
    let business = business(value, account_id)?;
    let contacts_cursor = value.get("contacts");
    let mut contacts = Vec::new();
    for contact in each(&contacts_cursor, "contact", events) {
        match read_contact(&contact) {
            Ok(c) => contacts.push(c),
            Err(e) => events.push(Event::unreadable("contact", e, lenient_id(&contact, "wa_id"))),
        }
    }
    Ok(Change { business, contacts })
}

/// A `contacts[]` item: `wa_id` (a phone only when it is an E.164 number), the BSUID `user_id`, the
/// parent BSUID `parent_user_id`, and `profile.name` / `profile.username` (Meta "Business-scoped user
/// IDs", updated 2026-11-05, Incoming messages webhooks).
fn read_contact(contact: &Cursor) -> Result<Customer, InboundError> {
    let wa_id = contact.get("wa_id").opt_nonempty()?;
    let profile = contact.get("profile");
    Ok(Customer {
        phone: wa_id.as_deref().and_then(e164_strict),
        bsuid: contact.get("user_id").opt_nonempty()?,
        profile_name: profile.get("name").opt_nonempty()?,
        wa_id,
        parent_bsuid: contact.get("parent_user_id").opt_nonempty()?,
        username: profile.get("username").opt_nonempty()?,
    })
}

fn messages_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let messages = value.get("messages");
    for m in each(&messages, "message", events) {
        match group_or_direct_message(&m, &change) {
            Ok(message) => events.push(Event::Message(message)),
            Err(e) => events.push(Event::unreadable("message", e, lenient_id(&m, "id"))),
        }
    }
    let statuses = value.get("statuses");
    for s in each(&statuses, "status", events) {
        match status(&s, &change) {
            Ok(event) => events.push(event),
            Err(e) => events.push(Event::unreadable("status", e, lenient_id(&s, "id"))),
        }
    }
    let errors = value.get("errors");
    for e in each(&errors, "error", events) {
        let error = match provider_error(&e) {
            Ok(error) => error,
            Err(err) => {
                events.push(Event::unreadable("error", err, None));
                continue;
            }
        };
        events.push(Event::Ignored(Ignored {
            kind: "errors".into(),
            reason: format!(
                "Meta reported error {} ({}) for the number, not for a message: check the WhatsApp Manager",
                error.code, error.title
            ),
        }));
    }
    Ok(())
}

/// A customer message; in a group (`group_id` present, Meta "Group messaging", updated May 21, 2026,
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/groups-messaging/)
/// `from` and the contact are the participant who wrote, and the group id is kept apart: it is never
/// read as a phone.
fn group_or_direct_message(m: &Cursor, change: &Change) -> Result<Message, InboundError> {
    let group_id = m.get("group_id").opt_nonempty()?;
    let mut customer = customer_for(change, m.get("from").opt_nonempty()?, m.get("from_user_id").opt_nonempty()?);
    customer.parent_bsuid = customer.parent_bsuid.or(m.get("from_parent_user_id").opt_nonempty()?);
    let mut msg = message(m, change, customer)?;
    msg.group_id = group_id;
    Ok(msg)
}

fn echoes_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let echoes = value.get("message_echoes");
    for m in each(&echoes, "echo", events) {
        // In an echo the business is `from` and the customer is `to`.
        let echo = m
            .get("to")
            .opt_nonempty()
            .and_then(|to| Ok(customer_for(&change, to, m.get("to_user_id").opt_nonempty()?)))
            .and_then(|customer| message(&m, &change, customer));
        match echo {
            Ok(echo) => events.push(Event::Echo(echo)),
            Err(e) => events.push(Event::unreadable("echo", e, lenient_id(&m, "id"))),
        }
    }
    Ok(())
}

/// The customer a message names: from `contacts[]` when it describes them, else from the number alone.
pub(super) fn customer_for(change: &Change, wa_id: Option<String>, user_id: Option<String>) -> Customer {
    let known = change
        .contacts
        .iter()
        .find(|c| (wa_id.is_some() && c.wa_id == wa_id) || (user_id.is_some() && c.bsuid == user_id));
    match known {
        Some(c) => c.clone(),
        None => {
            Customer { phone: wa_id.as_deref().and_then(e164_strict), wa_id, bsuid: user_id, ..Customer::default() }
        }
    }
}

pub(super) fn message(m: &Cursor, change: &Change, customer: Customer) -> Result<Message, InboundError> {
    let id = m.get("id").req_str()?;
    let sent_at = m.get("timestamp").req_unix_seconds()?;
    let kind_name = m.get("type").req_str()?;
    let mut msg =
        Message::new(Provider::MetaCloud, id, customer, sent_at, ClockSource::ProviderTimestamp, MessageKind::Text);
    msg.business = change.business.clone();
    msg.kind = content(m, &kind_name, &mut msg, false)?;
    let errors = m.get("errors");
    if let Some(first) = errors.items()?.first() {
        msg.error = Some(provider_error(first)?);
    }
    let context = m.get("context");
    // An edit may already carry the context of its new message.
    if let Some(id) = context.get("id").opt_nonempty()? {
        msg.reply_to = Some(id);
    }
    msg.forwarding = if context.get("frequently_forwarded").opt_bool()? == Some(true) {
        Forwarding::FrequentlyForwarded
    } else if context.get("forwarded").opt_bool()? == Some(true) {
        Forwarding::Forwarded
    } else {
        Forwarding::Original
    };
    let referral = m.get("referral");
    if referral.is_present() {
        msg.referral = Some(Referral {
            source_type: referral.get("source_type").opt_str()?.unwrap_or_default(),
            source_id: referral.get("source_id").opt_nonempty()?,
            source_url: referral.get("source_url").opt_nonempty()?,
            headline: referral.get("headline").opt_nonempty()?,
            body: referral.get("body").opt_nonempty()?,
            media_type: referral.get("media_type").opt_nonempty()?,
            media_url: match referral.get("image_url").opt_nonempty()? {
                Some(url) => Some(url),
                None => referral.get("video_url").opt_nonempty()?,
            },
            thumbnail_url: referral.get("thumbnail_url").opt_nonempty()?,
            click_id: referral.get("ctwa_clid").opt_nonempty()?,
        });
    }
    Ok(msg)
}

/// The content of a message of type `kind_name` into `msg`, and its kind. `nested` is true inside an
/// edit (`edit.message`).
fn content<'a>(
    m: &'a Cursor<'a>,
    kind_name: &'a str,
    msg: &mut Message,
    nested: bool,
) -> Result<MessageKind, InboundError> {
    let body = m.get(kind_name);
    Ok(match kind_name {
        "text" => {
            msg.text = Some(body.get("body").req_str()?);
            MessageKind::Text
        }
        "image" | "video" | "document" | "sticker" | "audio" => {
            msg.attachments.push(attachment(&body)?);
            match kind_name {
                "image" => MessageKind::Image,
                "video" => MessageKind::Video,
                "document" => MessageKind::Document,
                "sticker" => MessageKind::Sticker,
                _ if body.get("voice").opt_bool()? == Some(true) => MessageKind::Voice,
                _ => MessageKind::Audio,
            }
        }
        "location" => {
            let latitude = body.get("latitude");
            let longitude = body.get("longitude");
            msg.location = Some(Location {
                latitude: latitude.opt_f64()?.ok_or_else(|| latitude.malformed("missing"))?,
                longitude: longitude.opt_f64()?.ok_or_else(|| longitude.malformed("missing"))?,
                name: body.get("name").opt_nonempty()?,
                address: body.get("address").opt_nonempty()?,
                url: body.get("url").opt_nonempty()?,
            });
            MessageKind::Location
        }
        "contacts" => {
            for card in body.items()? {
                msg.contacts.push(shared_contact(&card)?);
            }
            MessageKind::Contacts
        }
        "interactive" => interactive(&body, msg)?,
        "button" => {
            msg.interactive = Some(InteractiveReply {
                kind: ReplyKind::TemplateButton,
                id: body.get("payload").opt_nonempty()?,
                title: body.get("text").opt_str()?.unwrap_or_default(),
                description: None,
            });
            MessageKind::ButtonReply
        }
        "reaction" => {
            msg.reaction = Some(Reaction {
                target_message_id: body.get("message_id").req_str()?,
                emoji: body.get("emoji").opt_nonempty()?,
            });
            MessageKind::Reaction
        }
        "order" => {
            let items = body.get("product_items");
            let mut lines = Vec::new();
            for item in items.items()? {
                let quantity = item.get("quantity");
                lines.push(OrderItem {
                    product_id: item.get("product_retailer_id").req_str()?,
                    quantity: quantity
                        .opt_u64()?
                        .and_then(|q| u32::try_from(q).ok())
                        .ok_or_else(|| quantity.malformed("missing or too large"))?,
                    item_price: item.get("item_price").opt_str()?.unwrap_or_default(),
                    currency: item.get("currency").opt_str()?.unwrap_or_default(),
                });
            }
            msg.order = Some(Order {
                catalog_id: body.get("catalog_id").req_str()?,
                text: body.get("text").opt_nonempty()?,
                items: lines,
            });
            MessageKind::Order
        }
        "system" => {
            msg.system = Some(super::identity::system_notice(&body)?);
            MessageKind::System
        }
        // Coexistence numbers: the customer edited (within 15 minutes) or deleted (within 2 days) an
        // earlier message (Meta "Edit messages webhook reference", updated Jul 20, 2026, and "Revoke
        // messages webhook reference", updated May 21, 2026). The edit carries the new message (text,
        // or media with a caption) in `edit.message`, read like any message; an edit inside an edit is
        // refused, so nesting stays bounded.
        "edit" | "revoke" if nested => return Err(body.malformed("an edit cannot contain an edit or a revoke")),
        "edit" => {
            msg.original_message_id = Some(body.get("original_message_id").req_str()?);
            let new = body.get("message");
            let new_kind = new.get("type").req_str()?;
            content(&new, &new_kind, msg, true)?;
            if msg.reply_to.is_none() {
                msg.reply_to = new.get("context").get("id").opt_nonempty()?;
            }
            msg.notes.push(format!(
                "Edited message: it replaces message {}; show the new content in its place.",
                msg.original_message_id.as_deref().unwrap_or_default()
            ));
            MessageKind::Edit
        }
        "revoke" => {
            let original = body.get("original_message_id").req_str()?;
            msg.notes.push(format!("Deleted for everyone: hide message {original}; nothing needs an answer."));
            msg.original_message_id = Some(original);
            MessageKind::Revoke
        }
        "unsupported" | "unknown" => {
            // Meta delivers message types the API cannot show this way, and (since Jun 2026, "temporarily")
            // also edits (Meta "Edit messages webhook reference", updated Jun 11, 2026): the customer sent
            // something, but it may be a change to an earlier message, so no resend is asked for.
            msg.notes.push(
                "WhatsApp did not pass this message's content to the business (a type the API does not show, or an edit of an earlier message): look at the error, and ask the customer only if the conversation needs it."
                    .into(),
            );
            MessageKind::Unsupported
        }
        other => {
            msg.notes.push(format!(
                "This WhatsApp message type (`{other}`) is not shown by this plugin version: ask the customer what they sent if the conversation needs it."
            ));
            MessageKind::Unsupported
        }
    })
}

fn attachment(body: &Cursor) -> Result<Attachment, InboundError> {
    Ok(Attachment {
        content_type: body.get("mime_type").opt_str()?.unwrap_or_default(),
        media_id: body.get("id").opt_nonempty()?,
        url: body.get("url").opt_nonempty()?,
        filename: body.get("filename").opt_nonempty()?,
        caption: body.get("caption").opt_nonempty()?,
        size_bytes: body.get("file_size").opt_u64()?,
        sha256: body.get("sha256").opt_nonempty()?,
        over_limit: None,
    })
}

fn shared_contact(card: &Cursor) -> Result<SharedContact, InboundError> {
    let name = card.get("name");
    let mut contact = SharedContact {
        name: match name.get("formatted_name").opt_nonempty()? {
            Some(n) => n,
            None => name.get("first_name").opt_str()?.unwrap_or_default(),
        },
        ..SharedContact::default()
    };
    let phones = card.get("phones");
    for phone in phones.items()? {
        if let Some(p) = phone.get("phone").opt_nonempty()? {
            contact.phones.push(p);
        }
        if contact.wa_id.is_none() {
            contact.wa_id = phone.get("wa_id").opt_nonempty()?;
        }
    }
    let emails = card.get("emails");
    for email in emails.items()? {
        if let Some(e) = email.get("email").opt_nonempty()? {
            contact.emails.push(e);
        }
    }
    Ok(contact)
}

fn interactive(body: &Cursor, msg: &mut Message) -> Result<MessageKind, InboundError> {
    let kind = body.get("type").req_str()?;
    let reply = |field: &str, kind: ReplyKind| -> Result<InteractiveReply, InboundError> {
        let r = body.get(field);
        Ok(InteractiveReply {
            kind,
            id: r.get("id").opt_nonempty()?,
            title: r.get("title").opt_str()?.unwrap_or_default(),
            description: r.get("description").opt_nonempty()?,
        })
    };
    match kind.as_str() {
        "button_reply" => msg.interactive = Some(reply("button_reply", ReplyKind::Button)?),
        "call_permission_reply" => {
            msg.call_permission = Some(super::calls::permission_reply(&body.get("call_permission_reply"))?);
            return Ok(MessageKind::CallPermissionReply);
        }
        "list_reply" => msg.interactive = Some(reply("list_reply", ReplyKind::ListRow)?),
        // A WhatsApp Flow or an address message the customer submitted: see `flows`.
        "nfm_reply" => {
            let nfm = body.get("nfm_reply");
            msg.flow_reply = Some(super::flows::reply(&nfm, &mut msg.notes)?);
            return Ok(MessageKind::FlowReply);
        }
        other => {
            msg.notes.push(format!(
                "The customer answered an interactive message of type `{other}`, which this plugin version does not show: ask them what they chose if the conversation needs it."
            ));
            return Ok(MessageKind::Unsupported);
        }
    }
    Ok(MessageKind::InteractiveReply)
}

pub(super) fn provider_error(e: &Cursor) -> Result<ProviderError, InboundError> {
    let code = e.get("code");
    Ok(ProviderError {
        code: code.opt_u64()?.and_then(|c| u32::try_from(c).ok()).ok_or_else(|| code.malformed("missing"))?,
        title: match e.get("title").opt_nonempty()? {
            Some(t) => t,
            None => e.get("message").opt_str()?.unwrap_or_default(),
        },
        detail: e.get("error_data").get("details").opt_nonempty()?,
    })
}

fn status(s: &Cursor, change: &Change) -> Result<Event, InboundError> {
    let message_id = s.get("id").req_str()?;
    let raw_status = s.get("status").req_str()?;
    let status = match raw_status.as_str() {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "played" => DeliveryStatus::Played,
        "failed" => DeliveryStatus::Failed,
        other => return Ok(super::status::unranked(&message_id, other, "Meta")),
    };
    // A status of a message sent to a group names the group in `recipient_id` and the participant in
    // `recipient_participant_id` (spelt `participant_recipient_id` in other examples of the same page:
    // Meta "Webhooks for Groups API", updated Oct 22, 2025, group message statuses). The group id is
    // never read as the customer's phone.
    let (customer, group_id) = if s.get("recipient_type").opt_str()?.as_deref() == Some("group") {
        let participant = match s.get("recipient_participant_id").opt_nonempty()? {
            Some(p) => Some(p),
            None => s.get("participant_recipient_id").opt_nonempty()?,
        };
        let group = s.get("recipient_id").req_str()?;
        (participant.map(|p| customer_for(change, Some(p), None)).unwrap_or_default(), Some(group))
    } else {
        let mut customer =
            customer_for(change, s.get("recipient_id").opt_nonempty()?, s.get("recipient_user_id").opt_nonempty()?);
        customer.parent_bsuid = customer.parent_bsuid.or(s.get("parent_recipient_user_id").opt_nonempty()?);
        (customer, None)
    };
    let pricing = s.get("pricing");
    let pricing = if pricing.is_present() { Some(parse_pricing(&pricing)?) } else { None };
    let errors = s.get("errors");
    let failure = match errors.items()?.first() {
        Some(e) if status == DeliveryStatus::Failed => Some(failure(provider_error(e)?)),
        _ => None,
    };
    Ok(Event::Status(StatusUpdate {
        provider: Provider::MetaCloud,
        message_id,
        business: change.business.clone(),
        customer,
        status,
        at: s.get("timestamp").req_unix_seconds()?,
        clock: ClockSource::ProviderTimestamp,
        pricing,
        failure,
        group_id,
        conversation_key: String::new(),
    }))
}

fn parse_pricing(p: &Cursor) -> Result<Pricing, InboundError> {
    let raw_category = p.get("category").opt_str()?.unwrap_or_default();
    let raw_type = p.get("type").opt_str()?.unwrap_or_default();
    let billable = p.get("billable").opt_bool()?;
    let category = match raw_category.as_str() {
        "marketing" => Some(Category::Marketing),
        "utility" => Some(Category::Utility),
        "authentication" => Some(Category::Authentication),
        "authentication_international" | "authentication-international" => Some(Category::AuthenticationInternational),
        "service" => Some(Category::Service),
        // Messages sent to a group (Meta, Groups API Pricing, Oct 22, 2025).
        "group_marketing" => Some(Category::GroupMarketing),
        "group_utility" => Some(Category::GroupUtility),
        "group_service" => Some(Category::GroupService),
        _ => None,
    };
    let pricing_type = match (raw_type.as_str(), billable, raw_category.as_str()) {
        ("regular", ..) => PricingType::Regular,
        ("free_customer_service", ..) => PricingType::FreeCustomerService,
        ("free_entry_point", ..) => PricingType::FreeEntryPoint,
        // A free-form or in-window utility message to a group (Meta, Groups API Pricing, Oct 22, 2025).
        ("free_group_customer_service", ..) => PricingType::FreeCustomerService,
        // Conversation-based pricing gave no type: infer it from `billable` and the category.
        ("", Some(false), "referral_conversion") => PricingType::FreeEntryPoint,
        ("", Some(false), "service") => PricingType::FreeCustomerService,
        ("", Some(true), _) => PricingType::Regular,
        _ => PricingType::Other,
    };
    Ok(Pricing {
        category,
        raw_category,
        pricing_type,
        raw_type,
        model: p.get("pricing_model").opt_nonempty()?,
        billable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(value: &str, field: &str) -> Webhook {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"{field}","value":{value}}}]}}]}}"#
        );
        Webhook {
            provider: Provider::MetaCloud,
            url: String::new(),
            headers: vec![],
            body: body.into_bytes(),
            received_at: 0,
        }
    }

    const META: &str = r#""metadata":{"display_phone_number":"1 555 010 1234","phone_number_id":"42"}"#;

    #[test]
    fn ids_sent_as_numbers_with_a_fraction_are_not_phones() {
        // `15551230001.0` read as text must not become the phone +155512300010.
        let value = format!(
            r#"{{{META},"messages":[{{"from":15551230001.0,"id":"wamid.F","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.customer.phone, None);
        // An integer is read as its digits, as before.
        let value = format!(
            r#"{{{META},"messages":[{{"from":15551230001,"id":"wamid.G","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.customer.phone.as_deref(), Some("+15551230001"));
    }

    #[test]
    fn unreadable_metadata_never_takes_the_change() {
        let value = r#"{"metadata":{"display_phone_number":{"oops":1},"phone_number_id":"42"},
            "messages":[{"from":"15551230001","id":"wamid.H","timestamp":"1795000000","type":"text","text":{"body":"hi"}}]}"#;
        let events = parse(&hook(value, "messages")).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((m.business.number.as_deref(), m.business.number_id.as_deref()), (None, Some("42")));
    }

    #[test]
    fn a_text_message_with_its_contact() {
        let value = format!(
            r#"{{{META},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"15551230001"}}],
            "messages":[{{"from":"15551230001","id":"wamid.A","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.customer.phone.as_deref(), Some("+15551230001"));
        assert_eq!(m.customer.profile_name.as_deref(), Some("Ana"));
        assert_eq!(m.business.number.as_deref(), Some("+15550101234"));
        assert_eq!(m.sent_at, 1_795_000_000_000);
        assert_eq!(m.text.as_deref(), Some("hi"));
    }

    #[test]
    fn statuses_and_echoes_name_the_business_like_messages() {
        let business = Business {
            number: Some("+15550101234".into()),
            number_id: Some("42".into()),
            account_id: Some("1".into()),
        };
        let value = format!(
            r#"{{{META},"messages":[{{"from":"15551230001","id":"wamid.M","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}],
            "statuses":[{{"id":"wamid.S","status":"read","timestamp":"1795000001","recipient_id":"15551230001"}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Message(m), Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.business, business);
        assert_eq!(s.business, business, "a status names the same number, id and account as a message");
        let echo = format!(
            r#"{{{META},"message_echoes":[{{"from":"15550101234","to":"15551230001","id":"wamid.E","timestamp":"1795000002","type":"text","text":{{"body":"ok"}}}}]}}"#
        );
        let events = parse(&hook(&echo, "smb_message_echoes")).unwrap();
        let [Event::Echo(e)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(e.business, business);
    }

    #[test]
    fn a_display_number_that_is_not_one_is_no_phone_but_the_id_stays() {
        let value = r#"{"metadata":{"display_phone_number":"Test Number 123","phone_number_id":"42"},
            "statuses":[{"id":"w","status":"sent","timestamp":"1795000000","recipient_id":"15551230001"}]}"#;
        let events = parse(&hook(value, "messages")).unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(s.business.number, None);
        assert_eq!(s.business.number_id.as_deref(), Some("42"));
    }

    #[test]
    fn an_unknown_type_is_unsupported_with_a_note_not_an_error() {
        let value = format!(
            r#"{{{META},"messages":[{{"from":"1","id":"w","timestamp":"1795000000","type":"hologram","hologram":{{}}}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!() };
        assert_eq!(m.kind, MessageKind::Unsupported);
        assert!(m.notes[0].contains("hologram"));
    }

    #[test]
    fn conversation_based_pricing_is_inferred_from_billable() {
        let value = format!(
            r#"{{{META},"statuses":[{{"id":"w","status":"delivered","timestamp":"1700000000","recipient_id":"1",
            "pricing":{{"billable":false,"pricing_model":"CBP","category":"referral_conversion"}}}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!() };
        let pricing = s.pricing.as_ref().unwrap();
        assert_eq!(pricing.pricing_type, PricingType::FreeEntryPoint);
        assert_eq!(pricing.category, None);
    }

    #[test]
    fn group_pricing_categories_are_known() {
        let value = format!(
            r#"{{{META},"statuses":[{{"id":"w","status":"delivered","timestamp":"1795000000","recipient_id":"1",
            "pricing":{{"billable":false,"pricing_model":"PMP","type":"free_group_customer_service","category":"group_utility"}}}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!() };
        let pricing = s.pricing.as_ref().unwrap();
        assert_eq!(pricing.category, Some(Category::GroupUtility));
        assert_eq!(pricing.pricing_type, PricingType::FreeCustomerService);
    }

    #[test]
    fn other_objects_and_fields() {
        let mut page = hook("{}", "messages");
        page.body = br#"{"object":"page","entry":[]}"#.to_vec();
        assert!(matches!(parse(&page), Err(InboundError::UnsupportedProviderEvent(_))));
        let events = parse(&hook(r#"{"event":"APPROVED"}"#, "message_template_status_update")).unwrap();
        assert!(matches!(&events[0], Event::TemplateUpdate(u) if u.raw_status.as_deref() == Some("APPROVED")));
        let events = parse(&hook(r#"{"event":"APPROVED"}"#, "account_update")).unwrap();
        assert!(matches!(&events[0], Event::Ignored(i) if i.kind == "account_update"));
        let bad = hook(&format!(r#"{{{META},"messages":[{{"id":"w","timestamp":"x","type":"text"}}]}}"#), "messages");
        assert_eq!(
            parse(&bad).unwrap(),
            [Event::Unreadable(Unreadable {
                kind: "message".into(),
                path: "entry[0].changes[0].value.messages[0].timestamp".into(),
                reason: "`x` is not a whole number".into(),
                item_id: Some("w".into()),
            })]
        );
        // Not a Meta webhook at all: still an error for the whole request.
        page.body = br#"{"object":"whatsapp_business_account","entry":"x"}"#.to_vec();
        assert!(matches!(parse(&page), Err(InboundError::MalformedPayload(i)) if i.field == "entry"));
    }

    fn body(json: &str) -> Webhook {
        Webhook {
            provider: Provider::MetaCloud,
            url: String::new(),
            headers: vec![],
            body: json.into(),
            received_at: 0,
        }
    }

    #[test]
    fn one_bad_item_never_takes_its_siblings() {
        // Two entries; the first has a messages change (a good text, a malformed message, a group text,
        // a good status, a malformed status, a contact of the wrong type) and an unknown field; the second
        // a change without `field` and a good message.
        let json = format!(
            r#"{{"object":"whatsapp_business_account","entry":[
            {{"id":"1","changes":[
              {{"field":"messages","value":{{{META},
                "contacts":[{{"wa_id":"15551230001","profile":{{"name":"Ana"}}}}, {{"wa_id":["15551230009"]}}],
                "messages":[
                  {{"from":"15551230001","id":"wamid.ok","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}},
                  {{"from":"15551230001","id":"wamid.bad","timestamp":"soon","type":"text","text":{{"body":"x"}}}},
                  {{"from":"15551230002","group_id":"GRP1","id":"wamid.g","timestamp":"1795000001","type":"text","text":{{"body":"hello all"}}}}],
                "statuses":[
                  {{"id":"wamid.s1","status":"read","timestamp":"1795000002","recipient_id":"15551230001"}},
                  {{"id":"wamid.s2","status":"read","timestamp":[],"recipient_id":"15551230001"}}]}}}},
              {{"field":"some_future_field","value":{{}}}}]}},
            {{"id":"2","changes":[{{"value":{{}}}},
              {{"field":"messages","value":{{{META},"messages":[{{"from":"15551230003","id":"wamid.ok2","timestamp":"1795000003","type":"text","text":{{"body":"yo"}}}}]}}}}]}}]}}"#
        );
        let events = parse(&body(&json)).unwrap();
        let [
            Event::Unreadable(contact),
            Event::Message(ok),
            Event::Unreadable(bad),
            Event::Message(group),
            Event::Status(s1),
            Event::Unreadable(s2),
            Event::Ignored(future),
            Event::Unreadable(no_field),
            Event::Message(ok2),
        ] = events.as_slice()
        else {
            panic!("{events:#?}")
        };
        assert_eq!(
            (contact.kind.as_str(), contact.path.as_str()),
            ("contact", "entry[0].changes[0].value.contacts[1].wa_id")
        );
        assert_eq!((ok.id.as_str(), ok.customer.profile_name.as_deref()), ("wamid.ok", Some("Ana")));
        assert_eq!(bad.path, "entry[0].changes[0].value.messages[1].timestamp");
        assert_eq!(bad.item_id.as_deref(), Some("wamid.bad"));
        assert_eq!((group.group_id.as_deref(), group.customer.phone.as_deref()), (Some("GRP1"), Some("+15551230002")));
        assert_eq!(s1.message_id, "wamid.s1");
        assert_eq!((s2.kind.as_str(), s2.item_id.as_deref()), ("status", Some("wamid.s2")));
        assert_eq!(s2.path, "entry[0].changes[0].value.statuses[1].timestamp");
        assert_eq!(future.kind, "some_future_field");
        assert_eq!((no_field.kind.as_str(), no_field.path.as_str()), ("change", "entry[1].changes[0].field"));
        assert_eq!((ok2.id.as_str(), ok2.business.account_id.as_deref()), ("wamid.ok2", Some("2")));
    }

    #[test]
    fn a_group_status_names_the_group_and_the_participant_never_as_a_phone() {
        for participant_key in ["recipient_participant_id", "participant_recipient_id"] {
            let value = format!(
                r#"{{{META},"statuses":[{{"id":"wamid.G","status":"delivered","timestamp":"1795000000",
                "recipient_id":"120363000000000001","recipient_type":"group","{participant_key}":"15551230004"}}]}}"#
            );
            let events = parse(&hook(&value, "messages")).unwrap();
            let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
            assert_eq!(s.group_id.as_deref(), Some("120363000000000001"));
            assert_eq!(s.customer.phone.as_deref(), Some("+15551230004"), "{participant_key}");
        }
        // Without a participant the customer is no one: the group id (here digits) is never a phone.
        let value = format!(
            r#"{{{META},"statuses":[{{"id":"wamid.G","status":"read","timestamp":"1795000000","recipient_id":"120363000000000001","recipient_type":"group"}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(s.customer, Customer::default());
    }

    #[test]
    fn group_webhook_fields_become_group_updates() {
        let left = r#"{"groups":[{"timestamp":"1795000000","group_id":"GRP1","type":"group_participants_remove",
            "initiated_by":"participant","removed_participants":[{"wa_id":"15551230004"}]}]}"#;
        let events = parse(&hook(left, "group_participants_update")).unwrap();
        let [Event::GroupUpdate(g)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(
            (g.kind, g.initiated_by, g.group_id.as_str()),
            (GroupUpdateKind::ParticipantLeft, Some(GroupActor::Participant), "GRP1")
        );
        assert_eq!(g.participants[0].phone.as_deref(), Some("+15551230004"));
        assert_eq!(g.note, "+15551230004 left the group.");
        let suspended = r#"{"groups":[{"timestamp":"1795000000","type":"group_suspend","group_id":"GRP1"},
            {"timestamp":"1795000001","type":"group_suspend_cleared"}]}"#;
        let events = parse(&hook(suspended, "group_status_update")).unwrap();
        let [Event::GroupUpdate(g), Event::Unreadable(u)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(g.kind, GroupUpdateKind::Suspended);
        assert_eq!(u.path, "entry[0].changes[0].value.groups[1].group_id");
        let settings = r#"{"groups":[{"timestamp":"1795000000","group_id":"GRP1","type":"group_settings_update",
            "group_subject":{"text":"Workshop","update_successful":true},
            "group_description":{"text":"d","update_successful":false,"errors":[{"code":131000,"title":"Something went wrong"}]}}]}"#;
        let events = parse(&hook(settings, "group_settings_update")).unwrap();
        let [Event::GroupUpdate(g)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(
            (g.kind, g.subject.as_deref(), g.errors.len()),
            (GroupUpdateKind::SettingsChanged, Some("Workshop"), 1)
        );
        assert_eq!(
            g.note,
            "The group's subject changed. Not changed: description. Meta reported error 131000 (Something went wrong)."
        );
    }
}

//! A message's content, type by type: text, media, contacts, location, interactive replies, edits,
//! system notices, and what a message carries beside its content (context, referral, errors).

use super::provider_error;
use crate::inbound::cursor::Cursor;
use crate::inbound::model::*;
use crate::types::ClockSource;

/// A message of a change, from `business` to (or, in an echo, from) `customer`.
pub(in crate::inbound) fn message(m: &Cursor, business: Business, customer: Customer) -> Result<Message, InboundError> {
    let id = m.get("id").req_str()?;
    let sent_at = m.get("timestamp").req_unix_seconds()?;
    let kind_name = m.get("type").req_text()?;
    let mut msg =
        Message::new(Provider::MetaCloud, id, customer, sent_at, ClockSource::ProviderTimestamp, MessageKind::Text);
    msg.business = business;
    msg.kind = content(m, &kind_name, &mut msg, false)?;
    let errors = m.get("errors");
    if let Some(first) = errors.items()?.first() {
        msg.error = Some(provider_error(&first)?);
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
            msg.system = Some(crate::inbound::identity::system_notice(&body)?);
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
            msg.call_permission = Some(crate::inbound::calls::permission_reply(&body.get("call_permission_reply"))?);
            return Ok(MessageKind::CallPermissionReply);
        }
        "list_reply" => msg.interactive = Some(reply("list_reply", ReplyKind::ListRow)?),
        // A WhatsApp Flow or an address message the customer submitted: see `flows`.
        "nfm_reply" => {
            let nfm = body.get("nfm_reply");
            msg.flow_reply = Some(crate::inbound::flows::reply(&nfm, &mut msg.notes)?);
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

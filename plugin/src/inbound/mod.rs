//! Inbound normalization: a provider webhook, verified and parsed into helpdesk events.

pub mod cursor;
mod meta;
pub mod model;
mod one_msg;
pub mod redact;
pub mod signature;
pub mod status;
mod twilio;

use model::*;

use crate::time::check_instant;

/// Verify (when a secret is given), parse, then apply the helpdesk's rules: card numbers masked,
/// oversized attachments flagged, forwarded messages explained.
pub fn normalize(webhook: &Webhook, options: &Options) -> Result<Vec<Event>, InboundError> {
    check_instant("received-at", webhook.received_at).map_err(InboundError::MalformedPayload)?;
    if let Some(secret) = &options.secret {
        signature::verify(webhook, secret)?;
    }
    let mut events = match webhook.provider {
        Provider::MetaCloud => meta::parse(webhook)?,
        Provider::Twilio => twilio::parse(webhook)?,
        Provider::OneMsg => one_msg::parse(webhook)?,
    };
    for event in &mut events {
        if let Event::Message(message) | Event::Echo(message) = event {
            apply_rules(message, options);
        }
    }
    Ok(events)
}

fn apply_rules(message: &mut Message, options: &Options) {
    if options.redact_card_numbers.unwrap_or(true) {
        if let Some(text) = &message.text {
            let (masked, found) = redact::card_numbers(text);
            record(&mut message.redactions, "text", found);
            message.text = Some(masked);
        }
        for attachment in &mut message.attachments {
            if let Some(caption) = &attachment.caption {
                let (masked, found) = redact::card_numbers(caption);
                record(&mut message.redactions, "caption", found);
                attachment.caption = Some(masked);
            }
        }
    }
    let limit = options.max_attachment_bytes.unwrap_or(DEFAULT_MAX_ATTACHMENT_BYTES);
    for attachment in &mut message.attachments {
        if attachment.size_bytes.is_some_and(|size| size > limit) {
            attachment.over_limit = Some(limit);
            message.notes.push(format!(
                "A file is larger than the {} MB the helpdesk accepts: ask the customer for a link to cloud storage.",
                limit / 1_000_000
            ));
        }
    }
    if message.forwarding != Forwarding::Original {
        message.notes.push(
            "Forwarded message: it arrives alone, without the chat it was forwarded from; ask the customer for context."
                .into(),
        );
    }
    if !message.redactions.is_empty() {
        message.notes.push("A card number was masked; never ask customers to send card details on WhatsApp.".into());
    }
}

fn record(redactions: &mut Vec<Redaction>, field: &str, last_fours: Vec<String>) {
    redactions.extend(last_fours.into_iter().map(|last_four| Redaction {
        field: field.into(),
        kind: "card-number".into(),
        last_four,
    }));
}

/// `verify-signature`.
pub fn verify_signature(webhook: &Webhook, secret: &str) -> Result<SignatureOk, InboundError> {
    signature::verify(webhook, secret)
}

//! Inbound normalization: a provider webhook, verified and parsed into helpdesk events.

pub mod calls;
mod coexistence;
pub mod cursor;
mod flows;
mod form;
mod groups;
mod identity;
mod meta;
pub mod model;
mod one_msg;
pub mod redact;
pub mod signature;
pub mod status;
mod templates_webhooks;
mod twilio;

use model::*;

use crate::time::check_instant;

// STACK: each provider's parser and each Meta webhook field's handler is `#[inline(never)]`. Inlined
// into one function, the locals of every branch (messages, echoes, calls, groups, history, Twilio,
// 1msg) shared one frame on every call's path; apart, a signed Meta text webhook's deepest stack fell
// from 16 to 12 KiB, one page fewer for a fresh instance's slot to reset (`/proc/self/smaps` after 100
// calls, `host-harness/examples/fresh_ab.rs`; BENCHMARKS.md, issue 15), for about 80 more instructions.

/// Verify (when a secret is given), parse, then apply the helpdesk's rules: card numbers masked,
/// oversized attachments flagged, forwarded messages explained, group events ignored when the helpdesk
/// does not serve groups.
///
/// An error comes only when the request as a whole cannot be trusted or read (signature, a body that
/// is not the provider's format); a bad or unwanted item becomes an `unreadable` or `ignored` event of
/// its own and the webhook's other events still come through, so the provider's retry is never needed.
pub fn normalize(webhook: &Webhook, options: &InboundOptions) -> Result<Vec<Event>, InboundError> {
    check_instant("received-at", webhook.received_at).map_err(InboundError::MalformedPayload)?;
    // Twilio's form is decoded once, for its signature and for its events.
    let form = form::Form::parse(if webhook.provider == Provider::Twilio { &webhook.body } else { &[] });
    if let Some(secret) = &options.secret {
        signature::verify_parsed(webhook, secret, &form)?;
    }
    let mut events = match webhook.provider {
        Provider::MetaCloud => meta::parse(webhook)?,
        Provider::Twilio => twilio::parse(webhook, &form)?,
        Provider::OneMsg => one_msg::parse(webhook)?,
    };
    for event in &mut events {
        match event {
            Event::Message(message) | Event::Echo(message) => apply_rules(message, options),
            Event::History(history) => apply_rules(&mut history.message, options),
            _ => {}
        }
        set_conversation_key(event);
    }
    if !options.serve_groups.unwrap_or(true) {
        for event in &mut events {
            if let Some(ignored) = group_ignored(event) {
                *event = Event::Ignored(ignored);
            }
        }
    }
    Ok(events)
}

/// The `ignored` event that replaces a group event when the helpdesk does not serve groups.
fn group_ignored(event: &Event) -> Option<IgnoredEvent> {
    const WHY: &str = "this helpdesk does not serve WhatsApp groups (inbound-options.serve-groups is false)";
    let (kind, reason) = match event {
        Event::Message(m) | Event::Echo(m) => {
            let group = m.group_id.as_deref()?;
            ("group-message", format!("message {} was written in group {group}: {WHY}", m.id))
        }
        Event::Status(s) => {
            let group = s.group_id.as_deref()?;
            ("group-status", format!("status of message {} in group {group}: {WHY}", s.message_id))
        }
        Event::GroupUpdate(g) => ("group-update", format!("`{}` for group {}: {WHY}", g.raw_type, g.group_id)),
        _ => return None,
    };
    Some(IgnoredEvent { kind: kind.into(), reason })
}

/// Every message (live or from history), echo, status and call names the thread it belongs to
/// (`model::conversation_key`).
fn set_conversation_key(event: &mut Event) {
    match event {
        Event::Message(m) | Event::Echo(m) => m.conversation_key = conversation_key(&m.customer, m.group_id.as_deref()),
        Event::History(h) => {
            h.message.conversation_key = conversation_key(&h.message.customer, h.message.group_id.as_deref())
        }
        Event::Status(s) => s.conversation_key = conversation_key(&s.customer, s.group_id.as_deref()),
        Event::Call(c) => c.conversation_key = conversation_key(&c.customer, None),
        _ => {}
    }
}

fn apply_rules(message: &mut Message, options: &InboundOptions) {
    if options.redact_card_numbers.unwrap_or(true) {
        // Most texts have too few digits for a card number: they are left as they are, not copied.
        if let Some(text) = message.text.as_deref().filter(|t| redact::may_hold_card_number(t)) {
            let (masked, found) = redact::card_numbers(text);
            record(&mut message.redactions, "text", found);
            message.text = Some(masked);
        }
        for attachment in &mut message.attachments {
            if let Some(caption) = attachment.caption.as_deref().filter(|c| redact::may_hold_card_number(c)) {
                let (masked, found) = redact::card_numbers(caption);
                record(&mut message.redactions, "caption", found);
                attachment.caption = Some(masked);
            }
        }
        // Everything the customer typed into a Flow or address form, and the raw answers kept beside them.
        if let Some(reply) = &mut message.flow_reply {
            for field in &mut reply.fields {
                let (masked, found) = redact::card_numbers(&field.value);
                record(&mut message.redactions, "flow-field", found);
                field.value = masked;
            }
            let (masked, found) = redact::card_numbers(&reply.raw_json);
            record(&mut message.redactions, "flow-raw-json", found);
            reply.raw_json = masked;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_helpdesk_without_groups_gets_group_events_as_ignored_and_keeps_the_rest() {
        let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
            {"field":"messages","value":{"messages":[
              {"from":"15551230001","id":"wamid.1","timestamp":"1795000000","type":"text","text":{"body":"hi"}},
              {"from":"15551230002","group_id":"GRP1","id":"wamid.2","timestamp":"1795000001","type":"text","text":{"body":"all"}}],
             "statuses":[{"id":"wamid.3","status":"read","timestamp":"1795000002","recipient_id":"GRP1","recipient_type":"group","recipient_participant_id":"15551230002"}]}},
            {"field":"group_status_update","value":{"groups":[{"timestamp":"1795000003","type":"group_suspend","group_id":"GRP1"}]}}]}]}"#;
        let hook = Webhook {
            provider: Provider::MetaCloud,
            url: String::new(),
            headers: vec![],
            body: body.into(),
            received_at: 1_795_000_010_000,
        };
        let served = normalize(&hook, &InboundOptions::default()).unwrap();
        assert!(matches!(
            served.as_slice(),
            [Event::Message(_), Event::Message(_), Event::Status(_), Event::GroupUpdate(_)]
        ));
        let options = InboundOptions { serve_groups: Some(false), ..InboundOptions::default() };
        let events = normalize(&hook, &options).unwrap();
        let [Event::Message(m), Event::Ignored(g), Event::Ignored(s), Event::Ignored(u)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!(m.id, "wamid.1");
        assert_eq!(
            (g.kind.as_str(), s.kind.as_str(), u.kind.as_str()),
            ("group-message", "group-status", "group-update")
        );
        assert!(g.reason.contains("GRP1") && g.reason.contains("serve-groups"), "{}", g.reason);
    }
}

//! One number, several services: masked timeline entries, masked identifiers, and the parent rules.

pub mod identifier;
pub mod model;
mod words;

use model::*;

use crate::error::InvalidInput;
use crate::time::{Instant, check_instant, describe_duration};
use crate::zone::Zone;

/// The timeline entry for `viewer`. Another service's message keeps only what is safe to show:
/// the service, the agent (if the policy allows), the time, the kind, the file count, the template's
/// name and the delivery state. None of the text, captions, file names, values or links is read.
pub fn format_masked_reply(
    message: &OutboundMessage,
    viewer: &Service,
    policy: &MaskingPolicy,
) -> Result<TimelineEntry, MaskingError> {
    check_instant("message.sent-at", message.sent_at).map_err(MaskingError::InvalidRequest)?;
    let zone = match &policy.time_zone {
        Some(rule) => Zone::from_posix_rule(rule)
            .map_err(|reason| MaskingError::InvalidRequest(InvalidInput::new("policy.time-zone", reason)))?,
        None => Zone::utc(),
    };
    let own = message.service.id == viewer.id;
    let agent_name = message.agent_name.clone().filter(|_| policy.show_agent_name || own);
    let words = words::for_language(&policy.language);

    let (what, sent_from) = match &message.template_name {
        Some(name) => (words.template.replace("{name}", name), words.sent_from_template),
        None => (words.reply.to_string(), words.sent_from_reply),
    };
    let mut summary = what;
    match message.attachment_count {
        0 => {}
        1 => summary.push_str(&format!(" {}", words.one_file)),
        n => summary.push_str(&format!(" {}", words.files.replace("{n}", &n.to_string()))),
    }
    summary.push_str(&format!(" {sent_from} {}", message.service.name));
    if let Some(agent) = &agent_name {
        summary.push_str(&format!(" {} {agent}", words.by));
    }
    summary.push_str(&format!(" · {}", crate::zone::clock(zone.local(message.sent_at).wall)));
    if let Some(status) = message.status {
        summary.push_str(&format!(" · {}", words::status(words, status)));
    }

    Ok(TimelineEntry {
        summary,
        message_id: message.id.clone(),
        service_name: message.service.name.clone(),
        agent_name,
        sent_at: message.sent_at,
        kind: message.kind,
        attachment_count: message.attachment_count,
        template_name: message.template_name.clone(),
        status: message.status,
        content_hidden: !own,
        text: if own { message.text.clone() } else { None },
    })
}

/// The subscriptions checked: distinct service ids, instants in range, a parent that is subscribed.
fn checked(state: &ChannelState) -> Result<(), MaskingError> {
    for (i, s) in state.subscriptions.iter().enumerate() {
        check_instant(&format!("state.subscriptions[{i}].subscribed-at"), s.subscribed_at)
            .map_err(MaskingError::InvalidRequest)?;
        if state.subscriptions[..i].iter().any(|o| o.service.id == s.service.id) {
            return Err(MaskingError::InvalidRequest(InvalidInput::new(
                format!("state.subscriptions[{i}].service.id"),
                format!("`{}` is subscribed twice", s.service.id),
            )));
        }
    }
    if let Some(parent) = &state.parent
        && !state.subscriptions.iter().any(|s| &s.service.id == parent)
    {
        return Err(MaskingError::InvalidRequest(InvalidInput::new(
            "state.parent",
            format!("`{parent}` is not subscribed to the channel"),
        )));
    }
    Ok(())
}

/// The parent: the one the state names, else the earliest subscriber (ties by id, so it is stable).
fn parent_of<'s>(subscriptions: &'s [Subscription], named: Option<&str>) -> Option<&'s Subscription> {
    named.and_then(|id| subscriptions.iter().find(|s| s.service.id == id)).or_else(|| {
        subscriptions.iter().min_by(|a, b| (a.subscribed_at, &a.service.id).cmp(&(b.subscribed_at, &b.service.id)))
    })
}

fn kind_words(kind: AutomationKind) -> &'static str {
    match kind {
        AutomationKind::Bot => "bots",
        AutomationKind::AutoReply => "auto-replies",
        AutomationKind::WorkflowMessage => "workflow messages",
        AutomationKind::ScheduledNotification => "scheduled and outbound notifications",
    }
}

/// Only the parent runs automation; the others can watch but not trigger.
pub fn may_automate(
    state: &ChannelState,
    service_id: &str,
    kind: AutomationKind,
) -> Result<AutomationAnswer, MaskingError> {
    checked(state)?;
    let service = state
        .subscriptions
        .iter()
        .find(|s| s.service.id == service_id)
        .ok_or_else(|| MaskingError::UnknownService(service_id.to_string()))?;
    let parent = parent_of(&state.subscriptions, state.parent.as_deref());
    let parent_id = parent.map(|p| p.service.id.clone());
    Ok(match parent {
        Some(p) if p.service.id == service_id => AutomationAnswer {
            allowed: true,
            parent: parent_id,
            reason: format!(
                "{} is the parent service of this number and runs its {}.",
                service.service.name,
                kind_words(kind)
            ),
        },
        Some(p) => AutomationAnswer {
            allowed: false,
            parent: parent_id,
            reason: format!(
                "Only the parent service ({}) runs {} on this number; {} can watch conversations but not trigger automation.",
                p.service.name,
                kind_words(kind),
                service.service.name
            ),
        },
        None => AutomationAnswer { allowed: false, parent: None, reason: "No service is connected.".into() },
    })
}

/// A service leaves: the earliest remaining subscriber becomes parent if the parent left; the
/// channel runs until the last service leaves; everyone affected is told.
pub fn after_disconnect(state: &ChannelState, service_id: &str) -> Result<DisconnectOutcome, MaskingError> {
    checked(state)?;
    let leaving = state
        .subscriptions
        .iter()
        .find(|s| s.service.id == service_id)
        .ok_or_else(|| MaskingError::UnknownService(service_id.to_string()))?;
    let old_parent = parent_of(&state.subscriptions, state.parent.as_deref()).map(|p| p.service.id.clone());
    let remaining: Vec<Subscription> =
        state.subscriptions.iter().filter(|s| s.service.id != service_id).cloned().collect();
    let named = state.parent.as_deref().filter(|p| *p != service_id);
    let new_parent = parent_of(&remaining, named).cloned();
    let parent_changed = new_parent.as_ref().map(|p| &p.service.id) != old_parent.as_ref();
    let mut notices = vec![Notice {
        service_id: leaving.service.id.clone(),
        message: "You disconnected from this WhatsApp number: you no longer receive its messages.".into(),
    }];
    for s in &remaining {
        let message = match &new_parent {
            Some(p) if parent_changed && p.service.id == s.service.id => format!(
                "{} disconnected. You are now the parent service of this number: your automation runs from now on; conversations and history are unchanged.",
                leaving.service.name
            ),
            Some(p) if parent_changed => format!(
                "{} disconnected. {} is now the parent service and runs automation; conversations and history are unchanged.",
                leaving.service.name, p.service.name
            ),
            _ => format!("{} disconnected from this WhatsApp number; nothing else changes.", leaving.service.name),
        };
        notices.push(Notice { service_id: s.service.id.clone(), message });
    }
    Ok(DisconnectOutcome {
        channel_running: !remaining.is_empty(),
        parent: new_parent.map(|p| p.service.id),
        parent_changed,
        remaining,
        notices,
    })
}

/// Opening a conversation others hold: a warning naming them, never a block.
pub fn pick_up(holds: &[Hold], agent: &str, service: &Service, now: Instant) -> PickUpAnswer {
    let held_by: Vec<Hold> =
        holds.iter().filter(|h| !(h.agent == agent && h.service.id == service.id)).cloned().collect();
    let warning = (!held_by.is_empty()).then(|| {
        let who: Vec<String> = held_by
            .iter()
            .map(|h| format!("{} ({}) for {}", h.agent, h.service.name, describe_duration((now - h.since).max(0))))
            .collect();
        format!(
            "Already handled by {}. You can both reply: agree who answers so the customer gets one reply.",
            who.join(" and ")
        )
    });
    PickUpAnswer { allowed: true, held_by, warning }
}

#[cfg(test)]
mod tests;

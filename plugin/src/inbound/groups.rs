//! Meta Groups API webhooks (fields `group_lifecycle_update`, `group_participants_update`,
//! `group_settings_update`, `group_status_update`): each `value.groups[]` item becomes one
//! `group-update` event a helpdesk shows as a system note in the group's conversation.
//!
//! Shapes: Meta "Webhooks for Groups API" (updated Oct 22, 2025),
//! https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/webhooks
//! (read through the `yvfl/api-whatsapp-docs` copy `docs/grupos/webhooks.md`). Each item has
//! `timestamp`, `group_id` and `type`; participant changes list `added_participants[]` /
//! `removed_participants[]` / `failed_participants[]` (`wa_id` and/or `input`), join requests a top-level
//! `wa_id`, settings `group_subject` / `group_description` / `profile_picture` with `update_successful`,
//! failures `errors[]`. The page's removal examples put `initiated_by` after the group object, which is
//! not valid JSON; it is read here inside the group item, where the leave example's wording places it.

use super::cursor::{Cursor, e164_strict};
use super::meta::provider_error;
use super::model::*;

/// One `groups[]` item.
pub fn update(g: &Cursor, business: &Business) -> Result<GroupUpdate, InboundError> {
    let group_id = g.get("group_id").req_str()?;
    let raw_type = g.get("type").req_str()?;
    let at = g.get("timestamp").req_unix_seconds()?;
    let initiated_by = match g.get("initiated_by").opt_str()?.as_deref() {
        Some("business") => Some(GroupActor::Business),
        Some("participant") => Some(GroupActor::Participant),
        _ => None,
    };
    let mut participants = Vec::new();
    for list in ["added_participants", "removed_participants"] {
        let cursor = g.get(list);
        for p in cursor.items()? {
            participants.push(participant(&p)?);
        }
    }
    // A join request names the user in a top-level `wa_id`.
    if let Some(wa_id) = g.get("wa_id").opt_nonempty()? {
        participants.push(customer(Some(wa_id), None, None));
    }
    let mut errors = Vec::new();
    let mut failed = Vec::new();
    let failed_cursor = g.get("failed_participants");
    for p in failed_cursor.items()? {
        failed.push(label(&participant(&p)?));
        let errs = p.get("errors");
        for e in errs.items()? {
            errors.push(provider_error(&e)?);
        }
    }
    let mut changed = Vec::new();
    let mut not_changed = Vec::new();
    for (key, what) in
        [("group_subject", "subject"), ("group_description", "description"), ("profile_picture", "picture")]
    {
        let setting = g.get(key);
        if !setting.is_present() {
            continue;
        }
        if setting.get("update_successful").opt_bool()? == Some(false) {
            not_changed.push(what);
        } else {
            changed.push(what);
        }
        let errs = setting.get("errors");
        for e in errs.items()? {
            errors.push(provider_error(&e)?);
        }
    }
    let errs = g.get("errors");
    for e in errs.items()? {
        errors.push(provider_error(&e)?);
    }
    let subject = match g.get("subject").opt_nonempty()? {
        Some(s) => Some(s),
        None => g.get("group_subject").get("text").opt_nonempty()?,
    };
    let kind = match raw_type.as_str() {
        "group_create" => GroupUpdateKind::Created,
        "group_delete" => GroupUpdateKind::Deleted,
        "group_participants_add" => GroupUpdateKind::ParticipantsAdded,
        // "The `initiated_by` field and the only `wa_id` in `removed_participants` point to the
        // participant who left" (same page, participant leave webhook).
        "group_participants_remove" if initiated_by == Some(GroupActor::Participant) => {
            GroupUpdateKind::ParticipantLeft
        }
        "group_participants_remove" => GroupUpdateKind::ParticipantsRemoved,
        "group_join_request_created" => GroupUpdateKind::JoinRequested,
        "group_join_request_revoked" => GroupUpdateKind::JoinRequestRevoked,
        "group_settings_update" => GroupUpdateKind::SettingsChanged,
        "group_suspend" => GroupUpdateKind::Suspended,
        "group_suspend_cleared" => GroupUpdateKind::SuspensionCleared,
        _ => GroupUpdateKind::Other,
    };
    let who = if participants.is_empty() {
        "a participant".to_string()
    } else {
        participants.iter().map(label).collect::<Vec<_>>().join(", ")
    };
    let mut note = match kind {
        GroupUpdateKind::Created => match &subject {
            Some(s) => format!("The group \"{s}\" was created."),
            None => "The group was created.".into(),
        },
        GroupUpdateKind::Deleted => "The group was deleted.".into(),
        GroupUpdateKind::ParticipantsAdded => match g.get("reason").opt_nonempty()?.as_deref() {
            Some("invite_link") => format!("{who} joined the group by invite link."),
            _ => format!("{who} joined the group."),
        },
        GroupUpdateKind::ParticipantsRemoved if participants.is_empty() => {
            "The business tried to remove participants from the group.".into()
        }
        GroupUpdateKind::ParticipantsRemoved => format!("The business removed {who} from the group."),
        GroupUpdateKind::ParticipantLeft => format!("{who} left the group."),
        GroupUpdateKind::JoinRequested => format!("{who} asked to join the group; the request awaits approval."),
        GroupUpdateKind::JoinRequestRevoked => format!("{who} withdrew their request to join the group."),
        GroupUpdateKind::SettingsChanged if changed.is_empty() => "The group's settings were not changed.".into(),
        GroupUpdateKind::SettingsChanged => format!("The group's {} changed.", changed.join(", ")),
        GroupUpdateKind::Suspended => {
            "WhatsApp suspended the group (e.g. for a breach of its terms): messages cannot be exchanged in it.".into()
        }
        GroupUpdateKind::SuspensionCleared => "WhatsApp lifted the group's suspension.".into(),
        GroupUpdateKind::Other => format!("Group update `{raw_type}`."),
    };
    if !not_changed.is_empty() {
        note.push_str(&format!(" Not changed: {}.", not_changed.join(", ")));
    }
    if !failed.is_empty() {
        note.push_str(&format!(" Not done for: {}.", failed.join(", ")));
    }
    if let Some(first) = errors.first() {
        note.push_str(&format!(" Meta reported error {} ({}).", first.code, first.title));
    }
    Ok(GroupUpdate {
        provider: Provider::MetaCloud,
        business: business.clone(),
        group_id,
        kind,
        raw_type,
        participants,
        initiated_by,
        at,
        subject,
        errors,
        note,
    })
}

/// A participant entry: `wa_id`, and `input` (what the business sent: "PHONE_NUMBER or WHATSAPP_ID").
fn participant(p: &Cursor) -> Result<Customer, InboundError> {
    Ok(customer(p.get("wa_id").opt_nonempty()?, p.get("input").opt_nonempty()?, p.get("user_id").opt_nonempty()?))
}

/// A participant as a customer record: a phone only when the value is an E.164 number.
fn customer(wa_id: Option<String>, input: Option<String>, bsuid: Option<String>) -> Customer {
    let phone = wa_id.as_deref().or(input.as_deref()).and_then(e164_strict);
    let wa_id = wa_id.or_else(|| input.filter(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit())));
    Customer { phone, wa_id, bsuid, ..Customer::default() }
}

fn label(c: &Customer) -> String {
    c.phone.clone().or_else(|| c.wa_id.clone()).or_else(|| c.bsuid.clone()).unwrap_or_else(|| "a participant".into())
}

//! Template webhooks: review status, quality and category changes, as `template-update` events a host
//! applies to its template list (e.g. stop offering a template that is `PAUSED` or `REJECTED`).
//!
//! Shapes (the `value` of the change; the template webhooks carry no `metadata`):
//! - `message_template_status_update`: Meta reference (updated May 21, 2026,
//!   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update/):
//!   `event`, `message_template_id` (a number), `message_template_name`, `message_template_language`,
//!   `reason` (null when scheduled for deletion, `NONE` when paused), `message_template_category`, and
//!   `disable_info`, `other_info`, `rejection_info` for some events.
//! - `message_template_quality_update`: Meta reference (updated Oct 22, 2025): `previous_quality_score`,
//!   `new_quality_score` (GREEN, YELLOW, RED, UNKNOWN), id, name, language.
//! - `template_category_update`: Meta reference (updated Nov 11, 2025): id, name, language, and either
//!   `correct_category` + `new_category` (the current one) + `category_update_timestamp` (a change
//!   coming in 24 hours) or `previous_category` + `new_category` (a change done).

use super::cursor::Cursor;
use super::model::*;
use crate::templates::model::TemplateStatus;
use crate::time::Instant;
use crate::types::MessageCategory;

/// One template change; a value that cannot be read is `unreadable` with its path.
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn change(
    field: &str,
    value: &Cursor,
    account_id: Option<String>,
    at: Option<Instant>,
    events: &mut Vec<Event>,
) -> Result<(), InboundError> {
    let business = Business { number: None, number_id: None, account_id };
    match update(field, value, business, at) {
        Ok(u) => events.push(Event::TemplateUpdate(u)),
        Err(e) => events.push(Event::unreadable("template-update", e, lenient_template_id(value))),
    }
    Ok(())
}

fn lenient_template_id(value: &Cursor) -> Option<String> {
    template_id(&value.get("message_template_id")).ok().flatten()
}

/// `message_template_id` is a JSON number in Meta's examples; a string is accepted too.
fn template_id(c: &Cursor) -> Result<Option<String>, InboundError> {
    match c.value {
        super::cursor::Value::Number(n) => Ok(Some(super::cursor::number_text(n))),
        _ => c.opt_nonempty(),
    }
}

fn update(field: &str, v: &Cursor, business: Business, at: Option<Instant>) -> Result<TemplateUpdate, InboundError> {
    let name = v.get("message_template_name").opt_nonempty()?;
    let language = v.get("message_template_language").opt_nonempty()?;
    let mut u = TemplateUpdate {
        provider: Provider::MetaCloud,
        business,
        kind: TemplateUpdateKind::Status,
        raw_field: field.to_string(),
        template_id: template_id(&v.get("message_template_id"))?,
        name,
        language,
        status: None,
        raw_status: None,
        reason: None,
        previous_quality: None,
        quality: None,
        previous_category: None,
        category: None,
        message_category: None,
        effective_at: None,
        at,
        note: String::new(),
    };
    let label = format!(
        "Template {} ({})",
        u.name.as_deref().unwrap_or("(no name)"),
        u.language.as_deref().unwrap_or("no language")
    );
    match field {
        "message_template_quality_update" => {
            u.kind = TemplateUpdateKind::Quality;
            u.previous_quality = v.get("previous_quality_score").opt_nonempty()?;
            u.quality = Some(v.get("new_quality_score").req_str()?);
            u.note = format!(
                "{label}: quality {} → {}.",
                u.previous_quality.as_deref().unwrap_or("?"),
                u.quality.as_deref().unwrap_or_default()
            );
        }
        "template_category_update" => {
            let correct = v.get("correct_category").opt_nonempty()?;
            let new = v.get("new_category").opt_nonempty()?;
            if let Some(correct) = correct {
                u.kind = TemplateUpdateKind::CategoryPending;
                u.previous_category = new;
                u.category = Some(correct);
                let when = v.get("category_update_timestamp");
                u.effective_at = if when.is_present() { Some(when.req_unix_seconds()?) } else { None };
                u.note = format!(
                    "{label}: Meta will change its category from {} to {} (about 24 hours after this notice).",
                    u.previous_category.as_deref().unwrap_or("?"),
                    u.category.as_deref().unwrap_or_default()
                );
            } else {
                u.kind = TemplateUpdateKind::Category;
                u.previous_category = v.get("previous_category").opt_nonempty()?;
                u.category = Some(new.ok_or_else(|| v.get("new_category").malformed("missing"))?);
                u.note = format!(
                    "{label}: category changed from {} to {}.",
                    u.previous_category.as_deref().unwrap_or("?"),
                    u.category.as_deref().unwrap_or_default()
                );
            }
        }
        _ => {
            let event = v.get("event").req_str()?;
            u.status = status(&event);
            u.category = v.get("message_template_category").opt_nonempty()?;
            u.reason = v.get("reason").opt_nonempty()?.filter(|r| r != "NONE");
            let reason = u.reason.as_deref().map(|r| format!(" (reason {r})")).unwrap_or_default();
            u.note = format!("{label}: status {event}{reason}.");
            u.raw_status = Some(event);
        }
    }
    u.message_category = u.category.as_deref().and_then(category);
    Ok(u)
}

/// Meta's `event` as a template status, when it is one the template list knows. `FLAGGED`, `LOCKED`,
/// `ARCHIVED`, `DELETED`, `LIMIT_EXCEEDED`... are kept only in `raw-status`; `REINSTATED` and
/// `UNARCHIVED` make the template sendable again (Meta reference: "can be sent in template messages
/// again"; unarchived "restored"), so they read as approved.
fn status(event: &str) -> Option<TemplateStatus> {
    Some(match event {
        "APPROVED" | "REINSTATED" | "UNARCHIVED" => TemplateStatus::Approved,
        "PENDING" => TemplateStatus::Pending,
        "REJECTED" => TemplateStatus::Rejected,
        "PAUSED" => TemplateStatus::Paused,
        "DISABLED" => TemplateStatus::Disabled,
        "IN_APPEAL" => TemplateStatus::InAppeal,
        _ => return None,
    })
}

/// A template category as Meta writes it (upper case).
fn category(raw: &str) -> Option<MessageCategory> {
    Some(match raw {
        "MARKETING" => MessageCategory::Marketing,
        "UTILITY" => MessageCategory::Utility,
        "AUTHENTICATION" => MessageCategory::Authentication,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(field: &str, value: &str) -> Vec<Event> {
        let doc = super::super::cursor::parse(value.as_bytes()).unwrap();
        let mut events = Vec::new();
        change(field, &Cursor::root(doc.get_value()), Some("W".into()), Some(1_000), &mut events).unwrap();
        events
    }

    #[test]
    fn status_quality_and_category_become_template_updates() {
        let events = run(
            "message_template_status_update",
            r#"{"event":"PAUSED","message_template_id":123456789012345,"message_template_name":"promo","message_template_language":"en_US","reason":"NONE","message_template_category":"MARKETING"}"#,
        );
        let [Event::TemplateUpdate(u)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(
            (u.kind, u.status, u.reason.clone()),
            (TemplateUpdateKind::Status, Some(TemplateStatus::Paused), None)
        );
        assert_eq!(
            (u.template_id.as_deref(), u.message_category),
            (Some("123456789012345"), Some(MessageCategory::Marketing))
        );
        assert_eq!(u.note, "Template promo (en_US): status PAUSED.");
        let events = run(
            "message_template_quality_update",
            r#"{"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":1,"message_template_name":"x","message_template_language":"de"}"#,
        );
        let [Event::TemplateUpdate(u)] = events.as_slice() else { panic!() };
        assert_eq!((u.previous_quality.as_deref(), u.quality.as_deref()), (Some("GREEN"), Some("RED")));
        let events = run(
            "template_category_update",
            r#"{"message_template_id":1,"message_template_name":"x","message_template_language":"de","correct_category":"MARKETING","new_category":"UTILITY","category_update_timestamp":1795000000}"#,
        );
        let [Event::TemplateUpdate(u)] = events.as_slice() else { panic!() };
        assert_eq!(u.kind, TemplateUpdateKind::CategoryPending);
        assert_eq!((u.previous_category.as_deref(), u.category.as_deref()), (Some("UTILITY"), Some("MARKETING")));
        assert_eq!(u.effective_at, Some(1_795_000_000_000));
    }

    #[test]
    fn a_status_without_event_is_unreadable_with_the_id() {
        let events = run("message_template_status_update", r#"{"message_template_id":77}"#);
        let [Event::Unreadable(u)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((u.path.as_str(), u.item_id.as_deref()), ("event", Some("77")));
    }
}

//! Who the customer is across identity changes: Meta's `system` messages that announce a new phone
//! number (`user_changed_number`, older `customer_changed_number`) or a new business-scoped user id
//! (`user_changed_user_id`).
//!
//! Shape: `system: {body, wa_id?, user_id?, parent_user_id?, type}`, where `wa_id` is the new WhatsApp
//! id, `user_id` the new BSUID and `parent_user_id` the new parent BSUID; the message's `from` /
//! `from_user_id` name the customer as they were (Meta, system messages webhook reference, updated
//! Aug 11, 2026, https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system;
//! Meta "Business-scoped user IDs", updated 2026-11-05, System messages webhooks: "a new phone number
//! produces a new BSUID"). The new identity takes a phone only when `wa_id` is an E.164 number.

use super::cursor::{Cursor, e164_strict};
use super::model::*;

/// The notice of a `system` message: its text, what changed, and who the customer is afterwards.
pub fn system_notice(body: &Cursor) -> Result<SystemNotice, InboundError> {
    let raw_type = body.get("type").opt_str()?.unwrap_or_default();
    let change = match raw_type.as_str() {
        "user_changed_number" | "customer_changed_number" => IdentityChange::NumberChanged,
        "user_changed_user_id" => IdentityChange::UserIdChanged,
        _ => IdentityChange::Other,
    };
    let new_wa_id = match body.get("wa_id").opt_nonempty()? {
        Some(id) => Some(id),
        None => body.get("new_wa_id").opt_nonempty()?,
    };
    let new_customer = Customer {
        phone: new_wa_id.as_deref().and_then(e164_strict),
        wa_id: new_wa_id.clone(),
        bsuid: body.get("user_id").opt_nonempty()?,
        parent_bsuid: body.get("parent_user_id").opt_nonempty()?,
        ..Customer::default()
    };
    let new_conversation_key = match change {
        IdentityChange::Other => None,
        _ => Some(conversation_key(&new_customer, None)).filter(|k| !k.is_empty()),
    };
    Ok(SystemNotice {
        body: body.get("body").opt_str()?.unwrap_or_default(),
        new_wa_id,
        change,
        raw_type,
        new_customer,
        new_conversation_key,
    })
}

#[cfg(test)]
mod tests;

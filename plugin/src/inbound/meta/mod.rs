//! Meta WhatsApp Cloud API webhooks (also what 360dialog forwards):
//! `{"object": "whatsapp_business_account", "entry": [{"id", "changes": [{"field", "value"}]}]}`.
//! A `messages` change carries `metadata`, `contacts[]`, `messages[]`, `statuses[]` and `errors[]`;
//! `smb_message_echoes` carries `message_echoes[]`; every other field is reported as ignored.

mod messages;
mod statuses;
#[cfg(test)]
mod tests;

use super::cursor::{Cursor, Items, e164_strict, parse as parse_json};
use super::model::*;
pub(super) use messages::message;
use statuses::status;

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
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn parse(webhook: &Webhook) -> Result<Vec<Event>, InboundError> {
    let doc = parse_json(&webhook.body)?;
    let root = Cursor::root(doc.get_value());
    let object = root.get("object");
    let object_name = object.req_text()?;
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
        let mut account_id = match entry.get("id").opt_nonempty() {
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
        let mut changes = each(&changes, "entry", &mut events).peekable();
        while let Some(change) = changes.next() {
            // The last change takes the id; only earlier ones need a copy.
            let account_id = if changes.peek().is_some() { account_id.clone() } else { account_id.take() };
            change_events(&change, account_id, entry_time, &mut events);
        }
    }
    Ok(events)
}

/// The elements of an array, or none after an `unreadable` event when it is not an array.
pub(super) fn each<'a>(list: &'a Cursor<'a>, kind: &str, events: &mut Vec<Event>) -> Items<'a> {
    list.items().unwrap_or_else(|e| {
        events.push(Event::unreadable(kind, e, None));
        Items::empty(list)
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
    let field = match change.get("field").req_text() {
        Ok(field) => field,
        Err(e) => return events.push(Event::unreadable("change", e, None)),
    };
    let value = change.get("value");
    let done = match field.as_ref() {
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
            events.push(Event::Ignored(IgnoredEvent { reason: ignored_reason(&field), kind: field.into_owned() }));
            Ok(())
        }
    };
    if let Err(e) = done {
        events.push(Event::unreadable("change", e, None));
    }
}
/// The `groups[]` of a Groups API webhook, one `group-update` event each.
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
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
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
fn calls_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let errors = value.get("errors");
    let error = match errors.items()?.first() {
        Some(e) => Some(provider_error(&e)?),
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
        number: metadata.get("display_phone_number").opt_nonempty_text().ok().flatten().and_then(|n| e164_strict(&n)),
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

#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
fn messages_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let mut change = change_context(value, account_id, events)?;
    let messages = value.get("messages");
    let statuses = value.get("statuses");
    let mut items = each(&messages, "message", events).peekable();
    while let Some(m) = items.next() {
        // The last message of a change without statuses (the usual webhook: one message) takes the
        // change's business and contact instead of copies: nothing after it reads them.
        let last = items.peek().is_none() && !statuses.is_present();
        match group_or_direct_message(&m, &mut change, last) {
            Ok(message) => events.push(Event::Message(message)),
            Err(e) => events.push(Event::unreadable("message", e, lenient_id(&m, "id"))),
        }
    }
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
        events.push(Event::Ignored(IgnoredEvent {
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
/// `last`: no later event of the change reads its business or contacts, so they are moved, not copied.
fn group_or_direct_message(m: &Cursor, change: &mut Change, last: bool) -> Result<Message, InboundError> {
    let group_id = m.get("group_id").opt_nonempty()?;
    let from = m.get("from").opt_nonempty_text()?;
    let from_user = m.get("from_user_id").opt_nonempty_text()?;
    let mut customer = if last {
        change.take_customer(from.as_deref(), from_user.as_deref())
    } else {
        customer_for_text(change, from.as_deref(), from_user.as_deref())
    };
    customer.parent_bsuid = customer.parent_bsuid.or(m.get("from_parent_user_id").opt_nonempty()?);
    let business = if last { std::mem::take(&mut change.business) } else { change.business.clone() };
    let mut msg = message(m, business, customer)?;
    msg.group_id = group_id;
    Ok(msg)
}

#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
fn echoes_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let echoes = value.get("message_echoes");
    for m in each(&echoes, "echo", events) {
        // In an echo the business is `from` and the customer is `to`.
        let echo = m
            .get("to")
            .opt_nonempty()
            .and_then(|to| Ok(customer_for(&change, to, m.get("to_user_id").opt_nonempty()?)))
            .and_then(|customer| message(&m, change.business.clone(), customer));
        match echo {
            Ok(echo) => events.push(Event::Echo(echo)),
            Err(e) => events.push(Event::unreadable("echo", e, lenient_id(&m, "id"))),
        }
    }
    Ok(())
}

/// The customer a message names: from `contacts[]` when it describes them, else from the number alone.
pub(super) fn customer_for(change: &Change, wa_id: Option<String>, user_id: Option<String>) -> Customer {
    customer_for_text(change, wa_id.as_deref(), user_id.as_deref())
}

/// `customer_for` with the ids borrowed from the body: they are copied only for a customer that is not
/// among the contacts.
pub(super) fn customer_for_text(change: &Change, wa_id: Option<&str>, user_id: Option<&str>) -> Customer {
    match change.contact(wa_id, user_id) {
        Some(i) => change.contacts[i].clone(),
        None => customer_of_ids(wa_id, user_id),
    }
}

/// A customer known only by the ids a message gives.
fn customer_of_ids(wa_id: Option<&str>, user_id: Option<&str>) -> Customer {
    Customer {
        phone: wa_id.and_then(e164_strict),
        wa_id: wa_id.map(str::to_string),
        bsuid: user_id.map(str::to_string),
        ..Customer::default()
    }
}

impl Change {
    /// The index of the contact these ids name.
    fn contact(&self, wa_id: Option<&str>, user_id: Option<&str>) -> Option<usize> {
        self.contacts.iter().position(|c| {
            (wa_id.is_some() && c.wa_id.as_deref() == wa_id) || (user_id.is_some() && c.bsuid.as_deref() == user_id)
        })
    }

    /// `customer_for_text`, with the contact moved out of the change rather than copied: for the
    /// change's last reader.
    fn take_customer(&mut self, wa_id: Option<&str>, user_id: Option<&str>) -> Customer {
        match self.contact(wa_id, user_id) {
            Some(i) => self.contacts.swap_remove(i),
            None => customer_of_ids(wa_id, user_id),
        }
    }
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

//! A webhook, as it arrived, through the component (`inbound.normalize`, which verifies the signature
//! first) and into SQLite: one transaction per webhook, messages keyed on their provider id so a
//! retried webhook changes nothing, statuses ranked by `inbound.may-replace-status`, window facts folded
//! by `window.record-events`, replies from other services on the number masked by
//! `masking.format-masked-reply`.

use rusqlite::Connection;

use super::db::{self, Attachment, NewEntry, Party};
use crate::PluginHost;
use crate::bindings::exports::helpdesk::whatsapp::inbound::{self, Event, InboundError, Message, StatusUpdate};
use crate::bindings::exports::helpdesk::whatsapp::masking;
use crate::bindings::exports::helpdesk::whatsapp::types::{Customer, Provider};
use crate::error::HostError;
use crate::sim::wit::{WitName, inbound_error_case};

/// The answer to the provider, what happened, and which conversations changed (for live updates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// 200 accepted (ignored events too), 401 signature, 400 not the provider's format, 500 the host failed.
    pub status: u16,
    /// In plain words, e.g. `1 new message` or `bad-signature: ...`.
    pub outcome: String,
    /// Ids of the conversations that changed.
    pub changed: Vec<i64>,
}

/// Why storing failed: the host's fault, so the provider should retry.
#[derive(Debug)]
pub enum StoreError {
    Db(rusqlite::Error),
    Host(HostError),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "database: {e}"),
            StoreError::Host(e) => write!(f, "component: {e}"),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e)
    }
}

impl From<HostError> for StoreError {
    fn from(e: HostError) -> Self {
        StoreError::Host(e)
    }
}

/// The provider's name as the database and the page write it.
pub fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::MetaCloud => "meta-cloud",
        Provider::Twilio => "twilio",
        Provider::OneMsg => "one-msg",
    }
}

/// Normalize a webhook with the provider's secret and store what it says.
pub fn ingest(
    plugin: &PluginHost,
    conn: &std::sync::Mutex<Connection>,
    webhook: &inbound::Webhook,
    secret: &str,
) -> Ingested {
    let options = inbound::InboundOptions {
        secret: Some(secret.to_string()),
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: None,
    };
    let (status, outcome, changed) = match plugin.normalize(webhook, &options) {
        // The component could not run (budget, trap): the host failed, the provider should retry.
        Err(e) => (500, format!("the component failed: {e}"), Vec::new()),
        Ok(Err(error)) => {
            let status = match &error {
                InboundError::BadSignature(_) | InboundError::MissingSignature(_) => 401,
                InboundError::MalformedPayload(_) | InboundError::UnsupportedProviderEvent(_) => 400,
                InboundError::Internal(_) => 500,
            };
            (status, format!("{}: {}", inbound_error_case(&error), error_text(&error)), Vec::new())
        }
        Ok(Ok(events)) => {
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match store(plugin, &mut conn, &events, webhook.received_at) {
                Ok((outcome, changed)) => (200, outcome, changed),
                // The database is busy or broken: 503 tells the provider to retry later.
                Err(e) => (503, format!("not stored: {e}"), Vec::new()),
            }
        }
    };
    let conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // The log is best effort: a failure to log never changes the answer.
    let _ = db::log_webhook(&conn, provider_name(webhook.provider), webhook.received_at, status, &outcome);
    Ingested { status, outcome, changed }
}

fn error_text(e: &InboundError) -> String {
    match e {
        InboundError::BadSignature(s)
        | InboundError::MissingSignature(s)
        | InboundError::UnsupportedProviderEvent(s)
        | InboundError::Internal(s) => s.clone(),
        InboundError::MalformedPayload(i) => format!("{}: {}", i.field, i.reason),
    }
}

fn party(c: &Customer, group: Option<&str>) -> Party {
    Party {
        phone: c.phone.clone(),
        bsuid: c.bsuid.clone(),
        name: if group.is_some() { None } else { c.profile_name.clone() },
        group_id: group.map(str::to_string),
    }
}

fn who(c: &Customer) -> String {
    let id = c.phone.as_ref().or(c.bsuid.as_ref()).or(c.wa_id.as_ref()).map_or("?", String::as_str);
    match &c.profile_name {
        Some(name) => format!("{name} ({id})"),
        None => id.to_string(),
    }
}

#[derive(Default)]
struct Tally {
    new_messages: usize,
    duplicates: usize,
    statuses_applied: usize,
    statuses_kept: usize,
    unmatched_statuses: usize,
    other: usize,
}

/// All of a webhook's events in one transaction.
fn store(
    plugin: &PluginHost,
    conn: &mut Connection,
    events: &[Event],
    now: i64,
) -> Result<(String, Vec<i64>), StoreError> {
    let tx = conn.transaction()?;
    let mut tally = Tally::default();
    let mut fold: Vec<(i64, Vec<Event>)> = Vec::new();
    let mut changed = Vec::new();
    for event in events {
        let touched = match event {
            Event::Message(m) => on_message(&tx, m, now, &mut tally)?,
            Event::Echo(m) => on_echo(plugin, &tx, m, now, &mut tally)?,
            Event::Status(s) => on_status(plugin, &tx, s, &mut tally)?,
            Event::Call(c) => {
                let id = db::conversation_for(
                    &tx,
                    provider_name(c.provider),
                    &c.conversation_key,
                    &party(&c.customer, None),
                    now,
                )?;
                let body = format!("call {} ({})", c.action.wit_name(), c.raw_event);
                // One entry per call and action: a retried webhook finds its key and changes nothing.
                let key = format!("call:{}:{}", c.id, c.action.wit_name());
                let entry = NewEntry {
                    conversation: id,
                    message_id: Some(&key),
                    direction: "in",
                    kind: "call",
                    author: &who(&c.customer),
                    body: &body,
                    at: c.at,
                    ..Default::default()
                };
                if db::insert_entry(&tx, &entry)?.is_none() {
                    // A retry: the window was folded with this call already.
                    tally.duplicates += 1;
                    None
                } else {
                    tally.other += 1;
                    Some(id)
                }
            }
            Event::GroupUpdate(g) => {
                let key = format!("group:{}", g.group_id);
                let party = Party { group_id: Some(g.group_id.clone()), ..Party::default() };
                let id = db::conversation_for(&tx, provider_name(g.provider), &key, &party, now)?;
                let stable = group_update_key(g);
                let entry = NewEntry {
                    conversation: id,
                    message_id: Some(&stable),
                    direction: "system",
                    kind: "group",
                    author: "WhatsApp",
                    body: &g.note,
                    at: g.at,
                    ..Default::default()
                };
                if db::insert_entry(&tx, &entry)?.is_none() {
                    tally.duplicates += 1;
                } else {
                    tally.other += 1;
                    changed.push(id);
                }
                None
            }
            Event::Ignored(_)
            | Event::Unreadable(_)
            | Event::History(_)
            | Event::PreferenceUpdate(_)
            | Event::TemplateUpdate(_) => {
                tally.other += 1;
                None
            }
        };
        if let Some(id) = touched {
            changed.push(id);
            // Statuses never move the window; messages, echoes and calls go to `window.record-events`.
            if !matches!(event, Event::Status(_)) {
                match fold.iter_mut().find(|(c, _)| *c == id) {
                    Some((_, batch)) => batch.push(event.clone()),
                    None => fold.push((id, vec![event.clone()])),
                }
            }
        }
    }
    for (id, batch) in fold {
        let facts = db::window_facts(&tx, id)?;
        let folded = plugin.record_events(facts, &batch)?;
        db::set_window_facts(&tx, id, &folded)?;
    }
    tx.commit()?;
    changed.sort_unstable();
    changed.dedup();
    let t = tally;
    let outcome = format!(
        "{} events: {} new messages, {} duplicates, {} statuses applied, {} kept, {} unmatched, {} other",
        events.len(),
        t.new_messages,
        t.duplicates,
        t.statuses_applied,
        t.statuses_kept,
        t.unmatched_statuses,
        t.other
    );
    Ok((outcome, changed))
}

/// A customer message; `None` when it is a retry of one already stored (nothing changes then).
fn on_message(tx: &Connection, m: &Message, now: i64, tally: &mut Tally) -> Result<Option<i64>, StoreError> {
    let key = if m.conversation_key.is_empty() { format!("unknown:{}", m.id) } else { m.conversation_key.clone() };
    let id =
        db::conversation_for(tx, provider_name(m.provider), &key, &party(&m.customer, m.group_id.as_deref()), now)?;
    let author = who(&m.customer);
    let body = describe(m);
    let entry = NewEntry {
        conversation: id,
        message_id: Some(&m.id),
        direction: "in",
        kind: m.kind.wit_name(),
        author: &author,
        body: &body,
        at: m.sent_at,
        reply_to: m.reply_to.as_deref(),
        ..Default::default()
    };
    let Some(entry_id) = db::insert_entry(tx, &entry)? else {
        tally.duplicates += 1;
        return Ok(None);
    };
    tally.new_messages += 1;
    for a in &m.attachments {
        let file = Attachment {
            content_type: a.content_type.clone(),
            media_id: a.media_id.clone(),
            url: a.url.clone(),
            filename: a.filename.clone(),
            caption: a.caption.clone(),
            size_bytes: a.size_bytes.and_then(|s| i64::try_from(s).ok()),
        };
        db::insert_attachment(tx, entry_id, &file)?;
    }
    if let Some(r) = &m.reaction {
        db::set_reaction(tx, &r.target_message_id, &author, r.emoji.as_deref(), m.sent_at)?;
    }
    for note in &m.notes {
        let note_entry = NewEntry {
            conversation: id,
            direction: "system",
            kind: "note",
            author: "helpdesk",
            body: note,
            at: m.sent_at,
            ..Default::default()
        };
        db::insert_entry(tx, &note_entry)?;
    }
    Ok(Some(id))
}

/// A message the business sent from another service on the number: shown masked.
fn on_echo(
    plugin: &PluginHost,
    tx: &Connection,
    m: &Message,
    now: i64,
    tally: &mut Tally,
) -> Result<Option<i64>, StoreError> {
    let id = db::conversation_for(
        tx,
        provider_name(m.provider),
        &m.conversation_key,
        &party(&m.customer, m.group_id.as_deref()),
        now,
    )?;
    if db::entry_of_message(tx, &m.id)?.is_some() {
        tally.duplicates += 1;
        // Folding an echo again changes nothing, but there is nothing new to show either.
        return Ok(None);
    }
    let (service_id, service_name) = db::service(tx, "whatsapp-business-app")?
        .unwrap_or_else(|| ("whatsapp-business-app".into(), "WhatsApp Business app".into()));
    let (viewer_id, viewer_name) =
        db::service(tx, "this-helpdesk")?.unwrap_or_else(|| ("this-helpdesk".into(), "This helpdesk".into()));
    let message = masking::OutboundMessage {
        id: m.id.clone(),
        service: masking::Service { id: service_id, name: service_name.clone() },
        agent_name: None,
        sent_at: m.sent_at,
        kind: m.kind,
        template_name: None,
        status: Some(inbound::DeliveryStatus::Sent),
        text: m.text.clone(),
        captions: m.attachments.iter().filter_map(|a| a.caption.clone()).collect(),
        file_names: m.attachments.iter().filter_map(|a| a.filename.clone()).collect(),
        template_values: Vec::new(),
        urls: Vec::new(),
        attachment_count: u32::try_from(m.attachments.len()).unwrap_or(u32::MAX),
    };
    let viewer = masking::Service { id: viewer_id, name: viewer_name };
    let policy = masking::MaskingPolicy { show_agent_name: true, language: "en".into(), time_zone: None };
    let masked = plugin
        .call_typed(|p, s| p.helpdesk_whatsapp_masking().call_format_masked_reply(s, &message, &viewer, &policy))?;
    let (kind, body) = match masked {
        Ok(entry) => (if entry.content_hidden { "masked" } else { "reply" }, entry.summary),
        Err(e) => ("masked", format!("(a reply from {service_name} that could not be shown: {e:?})")),
    };
    let entry = NewEntry {
        conversation: id,
        message_id: Some(&m.id),
        direction: "echo",
        kind,
        author: &service_name,
        body: &body,
        at: m.sent_at,
        status: Some(inbound::DeliveryStatus::Sent),
        ..Default::default()
    };
    db::insert_entry(tx, &entry)?;
    tally.new_messages += 1;
    Ok(Some(id))
}

/// A status of one of our messages: applied only when it ranks higher than the stored one.
fn on_status(
    plugin: &PluginHost,
    tx: &Connection,
    s: &StatusUpdate,
    tally: &mut Tally,
) -> Result<Option<i64>, StoreError> {
    let marker =
        s.failure.as_ref().map(|f| format!("Not delivered ({} {}): {}", f.error.code, f.reason.wit_name(), f.hint));
    let Some((entry, conversation, current)) = db::entry_of_message(tx, &s.message_id)? else {
        // Perhaps a reply whose send is still being answered: kept for when its entry is stored.
        super::early::keep(tx, &s.message_id, s.status, marker.as_deref(), s.at)?;
        tally.unmatched_statuses += 1;
        return Ok(None);
    };
    let replace = match current {
        None => true,
        Some(current) => plugin.may_replace_status(current, s.status)?,
    };
    if !replace {
        tally.statuses_kept += 1;
        return Ok(None);
    }
    db::set_status(tx, entry, s.status, marker.as_deref())?;
    tally.statuses_applied += 1;
    Ok(Some(conversation))
}

/// The idempotency key of a group update, which has no provider id: the group, the provider's word
/// for the change, when it happened and whom it concerns. A retried webhook gives the same key.
fn group_update_key(g: &inbound::GroupUpdate) -> String {
    let people: Vec<&str> = g
        .participants
        .iter()
        .map(|p| p.phone.as_ref().or(p.bsuid.as_ref()).or(p.wa_id.as_ref()).map_or("?", String::as_str))
        .collect();
    format!("group-update:{}:{}:{}:{}", g.group_id, g.raw_type, g.at, people.join(","))
}

/// A customer message in a line: its text, or what it is.
pub fn describe(m: &Message) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &m.text {
        parts.push(t.clone());
    }
    if let Some(r) = &m.reaction {
        parts.push(format!("reacted {} to {}", r.emoji.as_deref().unwrap_or("(removed)"), r.target_message_id));
    }
    if let Some(l) = &m.location {
        parts.push(format!("location {:.5}, {:.5}", l.latitude, l.longitude));
    }
    for c in &m.contacts {
        parts.push(format!("contact card {}", c.name));
    }
    if let Some(i) = &m.interactive {
        parts.push(format!("tapped \"{}\"", i.title));
    }
    if let Some(o) = &m.original_message_id {
        parts.push(format!("({} of {o})", m.kind.wit_name()));
    }
    if let Some(headline) = m.referral.as_ref().and_then(|r| r.headline.as_ref()) {
        parts.push(format!("(from the ad \"{headline}\")"));
    }
    if parts.is_empty() {
        parts.push(format!("[{}]", m.kind.wit_name()));
    }
    parts.join(" ")
}

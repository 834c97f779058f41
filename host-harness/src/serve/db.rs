//! The dev server's state in SQLite (schema: `migrations.rs`): reads and writes, each a small query.
//! Window facts go in and out as the WIT `conversation` record, enum cases by their WIT names.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::bindings::exports::helpdesk::whatsapp::inbound::DeliveryStatus;
use crate::bindings::exports::helpdesk::whatsapp::types::ClockSource;
use crate::bindings::exports::helpdesk::whatsapp::window::{Conversation, ConversationOrigin, CustomerMessageTime};
use crate::sim::wit::WitName;

/// Open (or create) the database and bring its schema up to date.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    super::migrations::migrate(&mut conn)?;
    Ok(conn)
}

/// Who a conversation is with, as the latest webhook said.
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub phone: Option<String>,
    pub bsuid: Option<String>,
    pub name: Option<String>,
    pub group_id: Option<String>,
}

/// The conversation of a provider and thread key, created if new; its customer fields refreshed.
pub fn conversation_for(
    conn: &Connection,
    provider: &str,
    key: &str,
    party: &Party,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO conversations (provider, thread_key, customer_phone, customer_bsuid, customer_name, group_id,
             created_at, last_activity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (provider, thread_key) DO UPDATE SET
             customer_phone = coalesce(excluded.customer_phone, customer_phone),
             customer_bsuid = coalesce(excluded.customer_bsuid, customer_bsuid),
             customer_name = coalesce(excluded.customer_name, customer_name)",
        params![provider, key, party.phone, party.bsuid, party.name, party.group_id, now],
    )?;
    conn.query_row(
        "SELECT id FROM conversations WHERE provider = ?1 AND thread_key = ?2",
        params![provider, key],
        |r| r.get(0),
    )
}

/// A conversation's window facts; the empty record (never opened, organic) when none were stored.
pub fn window_facts(conn: &Connection, id: i64) -> rusqlite::Result<Conversation> {
    let row = conn
        .query_row(
            "SELECT last_customer_at, last_customer_clock, last_business_at, origin, entry_message_at,
                    first_business_reply_at FROM window_facts WHERE conversation_id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((customer_at, clock, business_at, origin, entry, first_reply)) = row else {
        return Ok(empty_conversation());
    };
    Ok(Conversation {
        last_customer_message: customer_at.map(|sent_at| CustomerMessageTime {
            sent_at,
            clock: clock.as_deref().and_then(ClockSource::from_wit_name).unwrap_or(ClockSource::HelpdeskReceipt),
        }),
        last_business_message_at: business_at,
        origin: ConversationOrigin::from_wit_name(&origin).unwrap_or(ConversationOrigin::Organic),
        entry_message_at: entry,
        first_business_reply_at: first_reply,
    })
}

/// Window facts of a conversation nobody has written in yet.
pub fn empty_conversation() -> Conversation {
    Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    }
}

/// Store a conversation's window facts, as the component returned them.
pub fn set_window_facts(conn: &Connection, id: i64, c: &Conversation) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO window_facts (conversation_id, last_customer_at, last_customer_clock, last_business_at,
             origin, entry_message_at, first_business_reply_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            c.last_customer_message.as_ref().map(|m| m.sent_at),
            c.last_customer_message.as_ref().map(|m| m.clock.wit_name()),
            c.last_business_message_at,
            c.origin.wit_name(),
            c.entry_message_at,
            c.first_business_reply_at
        ],
    )?;
    Ok(())
}

/// A timeline entry to add.
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    pub conversation: i64,
    pub message_id: Option<&'a str>,
    pub direction: &'a str,
    pub kind: &'a str,
    pub author: &'a str,
    pub body: &'a str,
    pub at: i64,
    pub reply_to: Option<&'a str>,
    pub status: Option<DeliveryStatus>,
    pub marker: Option<&'a str>,
}

/// Add an entry (the conversation's last activity moves to its time if later); `None` when its
/// provider message id is already on a timeline (a retried webhook), and then nothing changes.
pub fn insert_entry(conn: &Connection, e: &NewEntry) -> rusqlite::Result<Option<i64>> {
    let added = conn.execute(
        "INSERT OR IGNORE INTO entries (conversation_id, provider_message_id, direction, kind, author, body, at,
             reply_to, status, marker) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            e.conversation,
            e.message_id,
            e.direction,
            e.kind,
            e.author,
            e.body,
            e.at,
            e.reply_to,
            e.status.map(WitName::wit_name),
            e.marker
        ],
    )?;
    if added == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    conn.execute(
        "UPDATE conversations SET last_activity = max(last_activity, ?2) WHERE id = ?1",
        params![e.conversation, e.at],
    )?;
    Ok(Some(id))
}

/// An attachment of an entry.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Attachment {
    pub content_type: String,
    pub media_id: Option<String>,
    pub url: Option<String>,
    pub filename: Option<String>,
    pub caption: Option<String>,
    pub size_bytes: Option<i64>,
}

pub fn insert_attachment(conn: &Connection, entry: i64, a: &Attachment) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO attachments (entry_id, content_type, media_id, url, filename, caption, size_bytes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![entry, a.content_type, a.media_id, a.url, a.filename, a.caption, a.size_bytes],
    )?;
    Ok(())
}

/// An author's reaction to a message replaces their earlier one; `None` removes it.
pub fn set_reaction(
    conn: &Connection,
    target: &str,
    author: &str,
    emoji: Option<&str>,
    at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO reactions (target_message_id, author, emoji, at) VALUES (?1, ?2, ?3, ?4)",
        params![target, author, emoji, at],
    )?;
    Ok(())
}

/// The entry holding a provider message id: (entry id, conversation id, its status).
pub fn entry_of_message(
    conn: &Connection,
    message_id: &str,
) -> rusqlite::Result<Option<(i64, i64, Option<DeliveryStatus>)>> {
    conn.query_row(
        "SELECT id, conversation_id, status FROM entries WHERE provider_message_id = ?1",
        [message_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?)),
    )
    .optional()
    .map(|row| row.map(|(e, c, s)| (e, c, s.as_deref().and_then(DeliveryStatus::from_wit_name))))
}

/// Set an entry's status, and its marker when one is given.
pub fn set_status(conn: &Connection, entry: i64, status: DeliveryStatus, marker: Option<&str>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE entries SET status = ?2, marker = coalesce(?3, marker) WHERE id = ?1",
        params![entry, status.wit_name(), marker],
    )?;
    Ok(())
}

/// A shared-number service's (id, name).
pub fn service(conn: &Connection, id: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row("SELECT id, name FROM services WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()
}

/// Log a webhook and the answer it got.
pub fn log_webhook(conn: &Connection, provider: &str, at: i64, answer: u16, outcome: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO webhooks (provider, received_at, answer, outcome) VALUES (?1, ?2, ?3, ?4)",
        params![provider, at, answer, outcome],
    )?;
    Ok(())
}

/// A conversation as the page and the JSON API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ConversationRow {
    pub id: i64,
    pub provider: String,
    pub thread_key: String,
    pub customer_phone: Option<String>,
    pub customer_bsuid: Option<String>,
    pub customer_name: Option<String>,
    pub group_id: Option<String>,
    pub last_activity: i64,
    pub entries: i64,
}

impl ConversationRow {
    /// A name for people: the group, the customer's name, phone or BSUID.
    pub fn title(&self) -> String {
        if let Some(g) = &self.group_id {
            return format!("Group {g}");
        }
        let who = self.customer_phone.as_ref().or(self.customer_bsuid.as_ref()).unwrap_or(&self.thread_key);
        match &self.customer_name {
            Some(name) => format!("{name} ({who})"),
            None => who.clone(),
        }
    }
}

const CONVERSATION_COLUMNS: &str =
    "c.id, c.provider, c.thread_key, c.customer_phone, c.customer_bsuid, c.customer_name,
    c.group_id, c.last_activity, (SELECT count(*) FROM entries e WHERE e.conversation_id = c.id)";

fn conversation_row(r: &rusqlite::Row) -> rusqlite::Result<ConversationRow> {
    Ok(ConversationRow {
        id: r.get(0)?,
        provider: r.get(1)?,
        thread_key: r.get(2)?,
        customer_phone: r.get(3)?,
        customer_bsuid: r.get(4)?,
        customer_name: r.get(5)?,
        group_id: r.get(6)?,
        last_activity: r.get(7)?,
        entries: r.get(8)?,
    })
}

/// Every conversation, the most recently active first.
pub fn conversations(conn: &Connection) -> rusqlite::Result<Vec<ConversationRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations c ORDER BY c.last_activity DESC, c.id DESC"
    ))?;
    stmt.query_map([], conversation_row)?.collect()
}

pub fn conversation(conn: &Connection, id: i64) -> rusqlite::Result<Option<ConversationRow>> {
    conn.query_row(
        &format!("SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?1"),
        [id],
        conversation_row,
    )
    .optional()
}

/// A timeline entry with its attachments and the reactions to it.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRow {
    pub id: i64,
    pub message_id: Option<String>,
    pub direction: String,
    pub kind: String,
    pub author: String,
    pub body: String,
    pub at: i64,
    pub reply_to: Option<String>,
    pub status: Option<String>,
    pub marker: Option<String>,
    pub attachments: Vec<Attachment>,
    /// (author, emoji) of the current reactions.
    pub reactions: Vec<(String, String)>,
}

/// A conversation's timeline in time order.
pub fn entries(conn: &Connection, conversation: i64) -> rusqlite::Result<Vec<EntryRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, provider_message_id, direction, kind, author, body, at, reply_to, status, marker
         FROM entries WHERE conversation_id = ?1 ORDER BY at, id",
    )?;
    let mut rows: Vec<EntryRow> = stmt
        .query_map([conversation], |r| {
            Ok(EntryRow {
                id: r.get(0)?,
                message_id: r.get(1)?,
                direction: r.get(2)?,
                kind: r.get(3)?,
                author: r.get(4)?,
                body: r.get(5)?,
                at: r.get(6)?,
                reply_to: r.get(7)?,
                status: r.get(8)?,
                marker: r.get(9)?,
                attachments: Vec::new(),
                reactions: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut files = conn.prepare(
        "SELECT content_type, media_id, url, filename, caption, size_bytes FROM attachments WHERE entry_id = ?1 ORDER BY id",
    )?;
    let mut reactions = conn.prepare(
        "SELECT author, emoji FROM reactions WHERE target_message_id = ?1 AND emoji IS NOT NULL ORDER BY at",
    )?;
    for row in &mut rows {
        row.attachments = files
            .query_map([row.id], |r| {
                Ok(Attachment {
                    content_type: r.get(0)?,
                    media_id: r.get(1)?,
                    url: r.get(2)?,
                    filename: r.get(3)?,
                    caption: r.get(4)?,
                    size_bytes: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(id) = &row.message_id {
            row.reactions =
                reactions.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        }
    }
    Ok(rows)
}

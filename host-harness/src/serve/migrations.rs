//! The dev server's SQLite schema, as the list of steps that built it. Step N brings a database from
//! `PRAGMA user_version = N - 1` to `N`; `migrate` runs the steps a file has not seen yet, each in one
//! transaction, so an old file is brought up to date on start and a new one is built from nothing.
//! Never edit a step that shipped: add one.

use rusqlite::Connection;

/// The steps, in order. Read top to bottom, they are the schema.
pub const STEPS: &[(&str, &str)] = &[
    (
        "conversations, their window facts, timeline entries, attachments, reactions, webhook log",
        r#"
-- One conversation per provider and thread key (the component's `conversation-key`: `group:<id>`,
-- `bsuid:<id>`, `wa:<digits>`). Customer fields as the latest webhook named them.
CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    provider        TEXT NOT NULL,      -- meta-cloud | twilio | one-msg (WIT `provider` names)
    thread_key      TEXT NOT NULL,
    customer_phone  TEXT,               -- E.164 with +, only when the provider gave a phone number
    customer_bsuid  TEXT,
    customer_name   TEXT,
    group_id        TEXT,
    created_at      INTEGER NOT NULL,   -- epoch milliseconds, as every instant below
    last_activity   INTEGER NOT NULL,
    UNIQUE (provider, thread_key)
);

-- The WIT `window.conversation` record of each conversation, as `window.record-events` and
-- `window.record-business-message` last returned it. `window.check` reads it at every page view.
CREATE TABLE window_facts (
    conversation_id          INTEGER PRIMARY KEY REFERENCES conversations(id),
    last_customer_at         INTEGER,
    last_customer_clock      TEXT,      -- provider-timestamp | helpdesk-receipt
    last_business_at         INTEGER,
    origin                   TEXT NOT NULL, -- organic | click-to-whatsapp-ad | facebook-page-cta
    entry_message_at         INTEGER,
    first_business_reply_at  INTEGER
);

-- The timeline. `provider_message_id` is the idempotency key: a retried webhook finds its message
-- here and changes nothing. Our own messages carry their delivery status, which only moves forward
-- (`inbound.may-replace-status`), and a persistent marker when they were not sent or not delivered.
CREATE TABLE entries (
    id                   INTEGER PRIMARY KEY,
    conversation_id      INTEGER NOT NULL REFERENCES conversations(id),
    provider_message_id  TEXT UNIQUE,
    direction            TEXT NOT NULL, -- in | out | echo | system
    kind                 TEXT NOT NULL, -- a WIT message-kind, or reply, template, masked, call, note, group
    author               TEXT NOT NULL,
    body                 TEXT NOT NULL,
    at                   INTEGER NOT NULL,
    reply_to             TEXT,
    status               TEXT,          -- WIT delivery-status name, our messages only
    marker               TEXT           -- "Not sent: ..." or "Not delivered (...): ..."
);
CREATE INDEX entries_by_conversation ON entries (conversation_id, at);

-- Files the customer sent. The component never downloads them: Twilio and 1msg give a URL, Meta a
-- media id the dev server fetches through the Graph API with the access token.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES entries(id),
    content_type  TEXT NOT NULL,
    media_id      TEXT,
    url           TEXT,
    filename      TEXT,
    caption       TEXT,
    size_bytes    INTEGER
);

-- The latest reaction of each author to a message; a removed reaction has no emoji.
CREATE TABLE reactions (
    target_message_id  TEXT NOT NULL,
    author             TEXT NOT NULL,
    emoji              TEXT,
    at                 INTEGER NOT NULL,
    PRIMARY KEY (target_message_id, author)
);

-- Every webhook the server answered, with the answer: what a load run counts.
CREATE TABLE webhooks (
    id           INTEGER PRIMARY KEY,
    provider     TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    answer       INTEGER NOT NULL,      -- the HTTP status returned to the provider
    outcome      TEXT NOT NULL          -- e.g. "2 events: 1 new message, 1 status kept"
);
"#,
    ),
    (
        "services sharing the number, for masking their replies",
        r#"
-- The services that post on the same WhatsApp number. A reply another service sent (a Meta
-- `smb_message_echoes`, a 1msg `fromMe`) is shown masked through `masking.format-masked-reply`,
-- viewed as the service `this-helpdesk`.
CREATE TABLE services (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    subscribed_at  INTEGER NOT NULL
);
INSERT INTO services (id, name, subscribed_at) VALUES
    ('this-helpdesk', 'This helpdesk', 0),
    ('whatsapp-business-app', 'WhatsApp Business app', 0);
"#,
    ),
    (
        "statuses that arrive before their reply is stored",
        r#"
-- A status callback for a message id no entry holds yet: the provider may post it while the send's
-- answer is still on its way. Kept here (the webhook is answered 200) and applied, ranked by
-- `inbound.may-replace-status`, when the reply's entry is stored; then deleted (`early.rs`).
CREATE TABLE early_statuses (
    id          INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL,      -- the provider's message id the status names
    status      TEXT NOT NULL,      -- WIT delivery-status name
    marker      TEXT,               -- "Not delivered (...): ..." for a failure
    at          INTEGER NOT NULL    -- when the status happened, epoch milliseconds
);
CREATE INDEX early_statuses_by_message ON early_statuses (message_id);
"#,
    ),
];

/// Bring the database to the latest version; answers the version it is at.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<usize> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?.try_into().unwrap_or(0);
    for (n, (_, sql)) in STEPS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (n + 1) as i64)?;
        tx.commit()?;
    }
    Ok(STEPS.len().max(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_of_an_earlier_version_gets_only_the_steps_it_lacks() {
        let mut conn = Connection::open_in_memory().unwrap();
        // A file written before step 3 shipped: steps 1 and 2, and a row that must survive.
        for (_, sql) in &STEPS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute("INSERT INTO services (id, name, subscribed_at) VALUES ('other', 'Other', 5)", []).unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), STEPS.len());
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, STEPS.len() as i64);
        let kept: i64 = conn.query_row("SELECT count(*) FROM early_statuses", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, 0, "the early-status table is there, empty");
        let services: i64 = conn.query_row("SELECT count(*) FROM services", [], |r| r.get(0)).unwrap();
        assert_eq!(services, 3, "step 2 did not run again (its rows would collide)");
    }
}

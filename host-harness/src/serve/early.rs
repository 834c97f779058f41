//! Status callbacks that arrive before the reply they name is stored. `reply` keeps an entry only after
//! the provider answered the send and `outbound.read-response` read the answer; a provider may post
//! the message's first statuses in that gap (the simulated providers do, and Meta's webhooks are not
//! ordered with the API's answers). Such a status is kept in `early_statuses` (answered 200, in the
//! webhook's transaction) and applied when the entry is stored, ranked by `inbound.may-replace-status`
//! as any other status, then deleted.

use rusqlite::{Connection, params};

use super::ingest::StoreError;
use crate::PluginHost;
use crate::bindings::exports::helpdesk::whatsapp::inbound::DeliveryStatus;
use crate::sim::wit::WitName;

/// Keep a status whose message is not on any timeline yet. `marker` is the "Not delivered (...)"
/// text of a failure; `at` when the status happened, epoch milliseconds.
pub fn keep(
    conn: &Connection,
    message_id: &str,
    status: DeliveryStatus,
    marker: Option<&str>,
    at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO early_statuses (message_id, status, marker, at) VALUES (?1, ?2, ?3, ?4)",
        params![message_id, status.wit_name(), marker, at],
    )?;
    Ok(())
}

/// The kept statuses of a message, in the order they happened: (status, marker).
fn kept(conn: &Connection, message_id: &str) -> rusqlite::Result<Vec<(DeliveryStatus, Option<String>)>> {
    let mut stmt = conn.prepare("SELECT status, marker FROM early_statuses WHERE message_id = ?1 ORDER BY at, id")?;
    let rows = stmt
        .query_map([message_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A name this build does not know cannot rank: it is dropped with the rest.
    Ok(rows.into_iter().filter_map(|(s, m)| DeliveryStatus::from_wit_name(&s).map(|s| (s, m))).collect())
}

/// Apply the kept statuses of `message_id` to its new entry (whose status is `current`), each only
/// when `inbound.may-replace-status` ranks it higher, then delete them. Answers the entry's status.
/// Run it in the transaction that inserted the entry.
pub fn apply(
    plugin: &PluginHost,
    conn: &Connection,
    entry: i64,
    message_id: &str,
    mut current: Option<DeliveryStatus>,
) -> Result<Option<DeliveryStatus>, StoreError> {
    for (status, marker) in kept(conn, message_id)? {
        let replace = match current {
            None => true,
            Some(now) => plugin.may_replace_status(now, status)?,
        };
        if replace {
            super::db::set_status(conn, entry, status, marker.as_deref())?;
            current = Some(status);
        }
    }
    conn.execute("DELETE FROM early_statuses WHERE message_id = ?1", [message_id])?;
    Ok(current)
}

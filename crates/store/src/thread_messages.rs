//! The `thread_messages` table: the WhatsApp conversation with each customer, both ways —
//! what they wrote (texts, carts, product questions, any other type by name) and what the
//! shop replied through Vitrine — unique by `wamid`.
//!
//! `sent_at` is Unix seconds (Meta's timestamp for inbound messages, the send time for
//! outbound ones). An outbound message's `status` only moves forward:
//! `sent` < `delivered` < `read`, and `failed` is final; a late or repeated status changes
//! nothing.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE thread_messages (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    wamid                TEXT NOT NULL UNIQUE,
    phone_number_id      TEXT NOT NULL,
    customer_wa_id       TEXT NOT NULL,
    direction            TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    kind                 TEXT NOT NULL,
    body                 TEXT NOT NULL DEFAULT '',
    referred_retailer_id TEXT,
    ref_tag              TEXT,
    sent_at              INTEGER NOT NULL,
    status               TEXT CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    error                TEXT,
    marked_read          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX thread_messages_customer ON thread_messages (phone_number_id, customer_wa_id, sent_at);
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadMessage {
    pub wamid: String,
    pub phone_number_id: String,
    pub customer_wa_id: String,
    pub direction: Direction,
    /// Meta's message `type` (`text`, `order`, `image`…), or `product_inquiry` for a text
    /// asking about a product (`context.referred_product`).
    pub kind: String,
    pub body: String,
    pub referred_retailer_id: Option<String>,
    pub ref_tag: Option<String>,
    pub sent_at: i64,
    pub status: Option<String>,
    /// For a failed send: Meta's code and reason, as the merchant should read them.
    pub error: Option<String>,
    /// For an inbound message: the shop has marked it read on WhatsApp.
    pub marked_read: bool,
}

const COLUMNS: &str = "wamid, phone_number_id, customer_wa_id, direction, kind, body,
    referred_retailer_id, ref_tag, sent_at, status, error, marked_read";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ThreadMessage> {
    let direction: String = r.get(3)?;
    Ok(ThreadMessage {
        wamid: r.get(0)?,
        phone_number_id: r.get(1)?,
        customer_wa_id: r.get(2)?,
        direction: if direction == "outbound" {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        kind: r.get(4)?,
        body: r.get(5)?,
        referred_retailer_id: r.get(6)?,
        ref_tag: r.get(7)?,
        sent_at: r.get(8)?,
        status: r.get(9)?,
        error: r.get(10)?,
        marked_read: r.get(11)?,
    })
}

/// Adds a message unless its `wamid` is already stored; true when it was new.
pub fn insert(tx: &Transaction<'_>, message: &ThreadMessage) -> Result<bool, StoreError> {
    let added = tx.execute(
        "INSERT INTO thread_messages (wamid, phone_number_id, customer_wa_id, direction, kind, body,
           referred_retailer_id, ref_tag, sent_at, status, error, marked_read)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (wamid) DO NOTHING",
        params![
            message.wamid,
            message.phone_number_id,
            message.customer_wa_id,
            message.direction.as_str(),
            message.kind,
            message.body,
            message.referred_retailer_id,
            message.ref_tag,
            message.sent_at,
            message.status,
            message.error,
            message.marked_read
        ],
    )?;
    Ok(added == 1)
}

/// Moves an outbound message's status forward; true when it changed. Unknown words, older
/// statuses and anything after `failed` change nothing.
pub fn advance_status(
    tx: &Transaction<'_>,
    wamid: &str,
    status: &str,
    error: Option<&str>,
) -> Result<bool, StoreError> {
    let changed = tx.execute(
        "UPDATE thread_messages SET status = ?2, error = coalesce(?3, error)
         WHERE wamid = ?1 AND direction = 'outbound'
           AND ?2 IN ('sent', 'delivered', 'read', 'failed')
           AND coalesce(status, '') != 'failed'
           AND (CASE ?2 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 4 END)
             > (CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3
                            WHEN 'failed' THEN 4 ELSE 0 END)",
        params![wamid, status, error],
    )?;
    Ok(changed == 1)
}

pub fn get(conn: &Connection, wamid: &str) -> Result<Option<ThreadMessage>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM thread_messages WHERE wamid = ?1"),
            [wamid],
            from_row,
        )
        .optional()?)
}

/// A customer's conversation with one of the shop's numbers, oldest first.
pub fn thread(
    conn: &Connection,
    phone_number_id: &str,
    customer_wa_id: &str,
) -> Result<Vec<ThreadMessage>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM thread_messages WHERE phone_number_id = ?1 AND customer_wa_id = ?2
         ORDER BY sent_at, id"
    ))?;
    let rows = stmt
        .query_map(params![phone_number_id, customer_wa_id], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The customer's latest message (any kind): the 24-hour customer service window runs from it.
pub fn last_inbound(
    conn: &Connection,
    phone_number_id: &str,
    customer_wa_id: &str,
) -> Result<Option<ThreadMessage>, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM thread_messages
                 WHERE phone_number_id = ?1 AND customer_wa_id = ?2 AND direction = 'inbound'
                 ORDER BY sent_at DESC, id DESC LIMIT 1"
            ),
            params![phone_number_id, customer_wa_id],
            from_row,
        )
        .optional()?)
}

/// The latest ref tag the customer sent at or before `at` and not before `since` (Unix seconds).
pub fn last_ref_tag(
    conn: &Connection,
    phone_number_id: &str,
    customer_wa_id: &str,
    since: i64,
    at: i64,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT ref_tag FROM thread_messages
             WHERE phone_number_id = ?1 AND customer_wa_id = ?2 AND direction = 'inbound'
               AND ref_tag IS NOT NULL AND sent_at >= ?3 AND sent_at <= ?4
             ORDER BY sent_at DESC, id DESC LIMIT 1",
            params![phone_number_id, customer_wa_id, since, at],
            |r| r.get(0),
        )
        .optional()?)
}

/// Marks the customer's inbound messages up to and including `wamid`'s time as read.
pub fn mark_read_through(tx: &Transaction<'_>, wamid: &str) -> Result<usize, StoreError> {
    Ok(tx.execute(
        "UPDATE thread_messages SET marked_read = 1
         WHERE direction = 'inbound' AND marked_read = 0 AND (phone_number_id, customer_wa_id) =
           (SELECT phone_number_id, customer_wa_id FROM thread_messages WHERE wamid = ?1)
           AND sent_at <= (SELECT sent_at FROM thread_messages WHERE wamid = ?1)",
        [wamid],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbound(wamid: &str) -> ThreadMessage {
        ThreadMessage {
            wamid: wamid.to_owned(),
            phone_number_id: "1".to_owned(),
            customer_wa_id: "5511".to_owned(),
            direction: Direction::Outbound,
            kind: "text".to_owned(),
            body: "Obrigada!".to_owned(),
            referred_retailer_id: None,
            ref_tag: None,
            sent_at: 100,
            status: None,
            error: None,
            marked_read: false,
        }
    }

    #[test]
    fn a_status_only_moves_forward_and_failed_is_final() -> Result<(), StoreError> {
        let mut conn = Connection::open_in_memory()?;
        crate::schema::migrations().to_latest(&mut conn)?;
        let tx = conn.transaction()?;
        assert!(insert(&tx, &outbound("wamid.A"))?);
        assert!(
            !insert(&tx, &outbound("wamid.A"))?,
            "a repeat is not stored twice"
        );
        assert!(advance_status(&tx, "wamid.A", "read", None)?);
        assert!(
            !advance_status(&tx, "wamid.A", "delivered", None)?,
            "a late delivered does not undo read"
        );
        assert!(
            !advance_status(&tx, "wamid.A", "read", None)?,
            "a repeat changes nothing"
        );
        assert!(
            !advance_status(&tx, "wamid.A", "played", None)?,
            "unknown words are ignored"
        );
        assert_eq!(
            get(&tx, "wamid.A")?.and_then(|m| m.status).as_deref(),
            Some("read")
        );
        insert(&tx, &outbound("wamid.B"))?;
        assert!(advance_status(&tx, "wamid.B", "failed", Some("131047"))?);
        assert!(
            !advance_status(&tx, "wamid.B", "sent", None)?,
            "failed is final"
        );
        let failed = get(&tx, "wamid.B")?;
        assert_eq!(
            failed.as_ref().and_then(|m| m.status.as_deref()),
            Some("failed")
        );
        assert_eq!(failed.and_then(|m| m.error).as_deref(), Some("131047"));
        Ok(())
    }
}

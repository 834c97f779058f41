//! The soak: thousands of webhooks from many customers with duplicates, shuffled and late statuses,
//! failures after `sent` and malformed bodies, then the invariants checked: every valid message on
//! exactly one ticket, no status downgraded, every malformed body refused with a typed error, the
//! ledger balanced.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::billing::Ledger;
use super::helpdesk::{Counts, Helpdesk, SharedService};
use super::providers::{CustomerMessage, Kind, Misbehaviour, Provider};
use super::wit::WitName;
use crate::error::HostError;
use crate::plugin::PluginHost;

/// What the soak did and found.
#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    pub provider: String,
    pub webhooks: u64,
    pub customer_messages: u64,
    pub replies: u64,
    pub malformed_sent: u64,
    pub counts: Counts,
    /// Customer messages on no ticket, or on more than one place (must be 0).
    pub messages_misplaced: u64,
    /// Replies whose final status is below the best status their callbacks carried (must be 0).
    pub statuses_downgraded: u64,
    /// Malformed bodies not refused as `malformed-payload` (must be 0).
    pub malformed_unreported: u64,
    pub ledger_balanced: bool,
}

impl SoakReport {
    pub fn holds(&self) -> bool {
        self.messages_misplaced == 0
            && self.statuses_downgraded == 0
            && self.malformed_unreported == 0
            && self.ledger_balanced
    }
}

/// Bodies that are signed correctly but are not the provider's format.
fn malformed(kind: Kind, n: u64) -> String {
    match kind {
        Kind::MetaCloud => match n % 3 {
            0 => r#"{"object":"whatsapp_business_account"}"#.into(),
            // One bad item inside a good envelope is an `unreadable` event, not a refused webhook (issue 12):
            // the soak's malformed bodies are the ones that cannot be read as a whole.
            1 => r#"{"object":"whatsapp_business_account","entry":{"id":"1"}}"#.into(),
            _ => r#"{"object":"whatsapp_business_account","entry":"#.into(),
        },
        Kind::Twilio => "NumMedia=1&Body=x".into(),
        Kind::OneMsg => r#"{"instanceId":"SIM000001","messages":{"id":"x"}}"#.into(),
    }
}

/// Play `webhooks` webhooks (at least) against one helpdesk.
pub fn soak(plugin: &PluginHost, kind: Kind, webhooks: u64, seed: u64) -> Result<SoakReport, HostError> {
    let mut provider = Provider::new(kind, seed, "+15550101234");
    provider.misbehaviour = Misbehaviour { duplicates: 0.10, max_delay_ms: 10 * 60_000, fail_after_sent: 0.02 };
    let own = SharedService { id: "desk".into(), name: "Support Desk".into(), subscribed_at: 0 };
    let mut desk = Helpdesk::new(plugin, provider, 1_795_000_000_000, own, Ledger::new(50, 10, 1_000, 5));
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let customers: Vec<String> = (0..200).map(|i| format!("+1555{:07}", 1_000_000 + i)).collect();
    let mut sent_messages: Vec<String> = Vec::new();
    let mut replies: Vec<String> = Vec::new();
    let mut malformed_sent = 0;
    while desk.counts.webhooks < webhooks {
        let roll: f64 = rng.random();
        // A step posts about 2.4 webhooks (messages, retries, callbacks): 2.5% of steps is ~1% of webhooks.
        if roll < 0.025 {
            malformed_sent += 1;
            let webhook = desk.provider.signed_raw(&malformed(kind, malformed_sent));
            desk.deliver(&webhook)?;
        } else if roll < 0.565 {
            let phone = &customers[rng.random_range(0..customers.len())];
            let message = CustomerMessage {
                text: Some(format!("message {}", sent_messages.len())),
                ..CustomerMessage::default()
            };
            let times = if rng.random_bool(0.10) { 2 } else { 1 };
            sent_messages.push(desk.customer_writes(phone, "Soak", &message, times)?);
        } else if let Some(phone) =
            desk.tickets.get(rng.random_range(0..desk.tickets.len().max(1))).map(|t| t.customer.clone())
            && let Some(id) = desk.agent_reply(&phone, "Soak", "reply", false)?
        {
            replies.push(id);
        }
        desk.advance(rng.random_range(0..30_000))?;
    }
    // Let every late callback arrive.
    desk.advance(60 * 60_000)?;

    let mut places: HashMap<&str, u64> = HashMap::new();
    let mut final_status: HashMap<&str, &str> = HashMap::new();
    for ticket in &desk.tickets {
        for e in &ticket.timeline {
            if let Some(id) = e.message_id.as_deref() {
                if e.kind == "message" {
                    *places.entry(id).or_default() += 1;
                }
                if let Some(status) = e.status.map(WitName::wit_name) {
                    final_status.insert(id, status);
                }
            }
        }
    }
    let messages_misplaced = sent_messages.iter().filter(|id| places.get(id.as_str()) != Some(&1)).count() as u64;
    // Every accepted reply's callbacks end in `read` (or `failed` when it failed after `sent`).
    let statuses_downgraded =
        replies.iter().filter(|id| !matches!(final_status.get(id.as_str()), Some(&"read") | Some(&"failed"))).count()
            as u64;
    let malformed_unreported =
        malformed_sent.saturating_sub(desk.counts.rejected.get("malformed-payload").copied().unwrap_or(0));
    Ok(SoakReport {
        provider: kind.wit_name().into(),
        webhooks: desk.counts.webhooks,
        customer_messages: sent_messages.len() as u64,
        replies: replies.len() as u64,
        malformed_sent,
        messages_misplaced,
        statuses_downgraded,
        malformed_unreported,
        ledger_balanced: desk.ledger.balanced(desk.opening_credits),
        counts: desk.counts.clone(),
    })
}

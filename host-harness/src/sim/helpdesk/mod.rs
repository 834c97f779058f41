//! The simulated helpdesk: tickets and chats with a timeline each, agents, services sharing one
//! number, a credit ledger and a virtual clock. Every decision about WhatsApp goes through the real
//! component: webhook → verify and normalize → dedup by provider message id → status ranking →
//! threading; agent reply → window check → free-form, attachment or template (select, render) →
//! `outbound.compose` → the provider's send endpoint → `outbound.read-response` (`outbound.rs`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::billing::{Ledger, NumberState, renew};
use super::providers::Provider;
use super::wit::{WitName, serialize_conversation, serialize_status};
use crate::bindings::exports::helpdesk::whatsapp::inbound::DeliveryStatus;
use crate::bindings::exports::helpdesk::whatsapp::window::{self, Conversation, ConversationOrigin};
use crate::bindings::exports::helpdesk::whatsapp::{masking, templates};
use crate::error::HostError;
use crate::plugin::PluginHost;

mod inbound;
mod outbound;
mod sending;
mod services;

/// A chat ends after this long without a message on either side, unless the scenario sets another.
pub const CHAT_TIMEOUT_MS: i64 = 10 * 60_000;

/// One line of a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub at: i64,
    /// `customer Ana`, `agent Tom`, a service's name, or `system`.
    pub who: String,
    /// `message`, `reply`, `template`, `masked`, `note`, `warning`, `system`.
    pub kind: String,
    pub text: String,
    pub message_id: Option<String>,
    /// Where the message is, serialized by its WIT name.
    #[serde(serialize_with = "serialize_status")]
    pub status: Option<DeliveryStatus>,
    /// A persistent "not delivered" marker: the reason and what to do.
    pub not_delivered: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    pub id: usize,
    pub customer: String,
    /// `open`, `solved` or `closed`.
    pub state: String,
    pub follow_up_of: Option<usize>,
    /// `active` or `ended`.
    pub chat: String,
    /// The window facts (WIT `conversation`), kept from inbound events; serialized as the contract's JSON.
    #[serde(serialize_with = "serialize_conversation")]
    pub conversation: Conversation,
    pub timeline: Vec<Entry>,
    #[serde(skip)]
    last_activity: i64,
    #[serde(skip)]
    holds: Vec<masking::Hold>,
}

/// What the pipeline counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub webhooks: u64,
    pub messages: u64,
    pub echoes: u64,
    pub duplicates: u64,
    pub statuses_applied: u64,
    /// Late or repeated statuses that would have downgraded (or not changed) what the ticket shows.
    pub statuses_kept: u64,
    pub ignored: u64,
    /// Webhooks the plugin refused with a typed error, by case.
    pub rejected: BTreeMap<String, u64>,
}

/// A service on the shared number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedService {
    pub id: String,
    pub name: String,
    pub subscribed_at: i64,
}

pub struct Helpdesk<'p> {
    plugin: &'p PluginHost,
    pub provider: Provider,
    pub now: i64,
    /// The business's POSIX TZ rule.
    pub time_zone: Option<String>,
    pub business_hours: Option<window::BusinessHours>,
    /// This helpdesk's own service on the shared number.
    pub own: SharedService,
    pub services: Vec<SharedService>,
    pub parent: Option<String>,
    pub templates: Vec<templates::Template>,
    pub tickets: Vec<Ticket>,
    pub ledger: Ledger,
    pub opening_credits: i64,
    pub number: NumberState,
    pub alerts: Vec<String>,
    pub counts: Counts,
    pub chat_timeout_ms: i64,
    /// A group message's status per participant (provider message id → participant → status), ranked
    /// by the plugin like any status; the timeline entry shows the best of them.
    pub receipts: BTreeMap<String, BTreeMap<String, DeliveryStatus>>,
    seen: HashSet<String>,
    /// Provider message id → (ticket, entry). Timelines only grow, so the index catches up lazily.
    index: HashMap<String, (usize, usize)>,
    indexed: Vec<usize>,
}

impl<'p> Helpdesk<'p> {
    pub fn new(plugin: &'p PluginHost, provider: Provider, now: i64, own: SharedService, ledger: Ledger) -> Self {
        let opening_credits = ledger.balance;
        Self {
            plugin,
            provider,
            now,
            time_zone: None,
            business_hours: None,
            services: vec![own.clone()],
            own,
            parent: None,
            templates: Vec::new(),
            tickets: Vec::new(),
            ledger,
            opening_credits,
            number: NumberState::Active,
            alerts: Vec::new(),
            counts: Counts::default(),
            chat_timeout_ms: CHAT_TIMEOUT_MS,
            receipts: BTreeMap::new(),
            seen: HashSet::new(),
            index: HashMap::new(),
            indexed: Vec::new(),
        }
    }

    fn window(&self, ticket: usize) -> Result<window::WindowAnswer, HostError> {
        let request = window::WindowRequest {
            conversation: self.tickets[ticket].conversation,
            now: self.now,
            time_zone: self.time_zone.clone(),
            business_hours: self.business_hours.clone(),
            warn_before: None,
            pricing: None,
        };
        self.plugin.check_window(&request)?.map_err(|e| HostError::BadArguments(format!("window check refused: {e:?}")))
    }

    /// The helpdesk shows the agent what the plugin says about the window, on the ticket.
    pub fn show_window(&mut self, customer: &str) -> Result<window::WindowAnswer, HostError> {
        let t = self.require_ticket(customer)?;
        let answer = self.window(t)?;
        let entry = Entry {
            kind: "window".into(),
            ..system(self.now, &format!("Window {}: {}", answer.state.wit_name(), answer.hint))
        };
        self.tickets[t].timeline.push(entry);
        Ok(answer)
    }

    /// The latest ticket of a customer, or an error naming them (a scenario step before they wrote).
    fn require_ticket(&self, customer: &str) -> Result<usize, HostError> {
        self.ticket_of(customer).ok_or_else(|| HostError::BadArguments(format!("no ticket for {customer}")))
    }

    /// The latest ticket of a customer.
    pub fn ticket_of(&self, customer: &str) -> Option<usize> {
        self.tickets.iter().rposition(|t| t.customer == customer)
    }

    /// The business sent a message now: the plugin folds it into the window facts (no rule here).
    fn business_message(&mut self, ticket: usize) -> Result<(), HostError> {
        let conversation = self.tickets[ticket].conversation;
        let sent_at = self.now;
        let folded = self.plugin.record_business_message(conversation, sent_at)?;
        self.tickets[ticket].conversation = folded;
        self.tickets[ticket].last_activity = self.now;
        Ok(())
    }

    pub fn set_state(&mut self, customer: &str, state: &str) -> Result<(), HostError> {
        let t = self.require_ticket(customer)?;
        self.tickets[t].state = state.into();
        Ok(())
    }

    /// The number's renewal on `day` of its cycle, with the card as it is.
    pub fn renewal(&mut self, day: u32) {
        if let Some(attempt) = renew(&self.number, day, 1_500, self.ledger.card_ok) {
            if let Some(alert) = attempt.alert {
                self.alerts.push(alert);
            }
            self.number = attempt.state;
        }
    }

    /// Let time pass: callbacks due on the way arrive in order; idle chats end.
    pub fn advance(&mut self, ms: i64) -> Result<(), HostError> {
        let until = self.now + ms.max(0);
        while let Some(at) = self.provider.next_due().filter(|&at| at <= until) {
            self.now = self.now.max(at);
            for webhook in self.provider.due(self.now) {
                self.deliver(&webhook)?;
            }
        }
        self.now = until;
        for ticket in &mut self.tickets {
            if ticket.chat == "active" && self.now - ticket.last_activity >= self.chat_timeout_ms {
                ticket.chat = "ended".into();
                let ended_at = ticket.last_activity + self.chat_timeout_ms;
                ticket.timeline.push(system(
                    ended_at,
                    &format!("Chat ended after {} minutes without a message.", self.chat_timeout_ms / 60_000),
                ));
            }
        }
        Ok(())
    }

    /// Everything an expectation can look at, as JSON.
    pub fn state(&self) -> Value {
        json!({
            "now": self.now,
            "tickets": self.tickets,
            "provider_log": self.provider.log,
            "ledger": {"balance": self.ledger.balance, "entries": self.ledger.entries, "balanced": self.ledger.balanced(self.opening_credits)},
            "number": self.number,
            "alerts": self.alerts,
            "counts": self.counts,
            "receipts": self.receipts.iter().flat_map(|(id, by)| by.iter().map(move |(participant, status)|
                json!({"message_id": id, "participant": participant, "status": status.wit_name()}))).collect::<Vec<_>>(),
            "parent": self.parent,
            "services": self.services,
        })
    }
}

fn system(at: i64, message: &str) -> Entry {
    Entry {
        at,
        who: "system".into(),
        kind: "system".into(),
        text: message.into(),
        message_id: None,
        status: None,
        not_delivered: None,
    }
}

/// The window facts of a conversation that has not begun.
fn empty_conversation() -> Conversation {
    Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    }
}

//! Simulated providers: they post webhooks in their real wire formats, correctly signed, accept
//! sends and enforce the rules themselves (from their own record of the customer's last message,
//! not the plugin's answer), and send status callbacks late, twice and out of order, seeded so a run
//! can be repeated.
//!
//! Here: the state every provider keeps and its queue of callbacks and their misbehaviour. Each wire
//! format's webhooks: `meta.rs` (and `meta_groups_calls.rs`), `twilio.rs`, `one_msg.rs`. The send
//! endpoints, each with its own reader and rules: `send.rs` (the wire shape, shared), `meta_send.rs`,
//! `twilio_send.rs`, `one_msg_send.rs`.

mod meta;
mod meta_groups_calls;
pub mod meta_send;
mod one_msg;
pub mod one_msg_send;
mod read_receipts;
pub mod send;
mod twilio;
pub mod twilio_send;

pub use send::{Files, HostedFile, HttpRequest, HttpResponse};

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::Value;

use crate::bindings::exports::helpdesk::whatsapp::types;

/// The providers the helpdesk can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    MetaCloud,
    Twilio,
    OneMsg,
}

impl Kind {
    /// The name the plugin's contract uses.
    pub fn wit_name(self) -> &'static str {
        match self {
            Kind::MetaCloud => "meta-cloud",
            Kind::Twilio => "twilio",
            Kind::OneMsg => "one-msg",
        }
    }

    /// The contract's provider.
    pub fn wit(self) -> types::Provider {
        match self {
            Kind::MetaCloud => types::Provider::MetaCloud,
            Kind::Twilio => types::Provider::Twilio,
            Kind::OneMsg => types::Provider::OneMsg,
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "meta-cloud" | "meta" => Some(Kind::MetaCloud),
            "twilio" => Some(Kind::Twilio),
            "one-msg" | "1msg" => Some(Kind::OneMsg),
            _ => None,
        }
    }
}

/// A webhook as the provider posts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// What the customer sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerMessage {
    pub text: Option<String>,
    /// An emoji reaction to this provider message id.
    pub reaction: Option<(String, String)>,
    /// A quoted reply to this provider message id.
    pub reply_to: Option<String>,
    /// The headline of a click-to-WhatsApp ad the message came from.
    pub ad_headline: Option<String>,
}

/// How late, how often and how reliably status callbacks arrive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Misbehaviour {
    /// Chance that a callback is delivered twice.
    pub duplicates: f64,
    /// Callbacks are delayed by up to this many milliseconds (so they can overtake each other).
    pub max_delay_ms: i64,
    /// Chance that a sent message fails after `sent` (the number turned out unreachable).
    pub fail_after_sent: f64,
}

impl Default for Misbehaviour {
    fn default() -> Self {
        Self { duplicates: 0.0, max_delay_ms: 0, fail_after_sent: 0.0 }
    }
}

/// A template as the provider knows it (its approved list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownTemplate {
    pub name: String,
    pub language: String,
    /// `approved`, `paused`, `disabled`, ...
    pub status: String,
    /// How many body parameters it takes.
    pub body_parameters: usize,
    pub content_sid: Option<String>,
    pub namespace: Option<String>,
}

/// One line of the provider's own log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    pub at: i64,
    pub to: String,
    /// `free-form` (a text), `free-form <kind>` (`image`, `list`, ...), `free-form to a group`,
    /// `template <name>`, or `send` for a request refused before the provider could tell what it was.
    pub what: String,
    /// `accepted <id>`, `refused <code>`, or `failed <code>` (decided now, reported by callback).
    pub outcome: String,
}

/// The customer service window: "24 hours" from the customer's last message (Meta, Service messages,
/// May 21, 2026; Twilio error 63016, https://www.twilio.com/docs/api/errors/63016).
pub const WINDOW_MS: i64 = 24 * 3_600_000;

/// The simulated Meta business number's phone-number id (the `{phone-number-id}` of its send path).
pub const META_PHONE_NUMBER_ID: &str = "106540352242922";
/// The simulated Twilio account (the `{AccountSid}` of its send path).
pub const TWILIO_ACCOUNT_SID: &str = "AC00000000000000000000000000000000";
/// The simulated 1msg channel's instance (its API URL is `https://api.1msg.io/<instance>`).
pub const ONE_MSG_INSTANCE: &str = "SIM000001";

/// One provider, with its own state.
pub struct Provider {
    pub kind: Kind,
    pub secret: String,
    pub url: String,
    pub business_number: String,
    pub templates: Vec<KnownTemplate>,
    pub misbehaviour: Misbehaviour,
    pub log: Vec<LogLine>,
    /// What the provider finds when it fetches a link or an uploaded media id.
    pub files: Files,
    /// The ids of the customers' messages it delivered to the business (what a read receipt may name).
    pub received: std::collections::HashSet<String>,
    pub(super) last_customer_message: HashMap<String, i64>,
    /// Each group's participants, as the provider knows them (`meta_groups_calls.rs`).
    pub(super) groups: HashMap<String, Vec<String>>,
    pub(super) queue: Vec<(i64, u64, Webhook)>,
    pub(super) sequence: u64,
    rng: StdRng,
}

pub(super) fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

impl Provider {
    pub fn new(kind: Kind, seed: u64, business_number: &str) -> Self {
        let (secret, url) = match kind {
            Kind::MetaCloud => ("meta-app-secret-sim", "https://helpdesk.example.com/webhooks/meta".to_string()),
            Kind::Twilio => ("twilio-auth-token-sim", "https://helpdesk.example.com/webhooks/twilio".to_string()),
            Kind::OneMsg => (
                "one-msg-hook-token-sim",
                "https://helpdesk.example.com/webhooks/one-msg?hook_token=one-msg-hook-token-sim".to_string(),
            ),
        };
        Self {
            kind,
            secret: secret.into(),
            url,
            business_number: business_number.into(),
            templates: Vec::new(),
            misbehaviour: Misbehaviour::default(),
            log: Vec::new(),
            files: Files::default(),
            received: std::collections::HashSet::new(),
            last_customer_message: HashMap::new(),
            groups: HashMap::new(),
            queue: Vec::new(),
            sequence: 0,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub(super) fn next_id(&mut self) -> String {
        self.sequence += 1;
        let n = self.sequence;
        match self.kind {
            Kind::Twilio => format!("SM{n:032x}"),
            _ => format!("wamid.SIM{n:016}"),
        }
    }

    /// Wrap a JSON body (Meta, 1msg), signed as this provider signs it.
    pub(super) fn json_webhook(&self, body: &Value) -> Webhook {
        self.raw_json_webhook(body.to_string())
    }

    /// A JSON body as given: Meta's signed (`meta::signature_header`), 1msg's unsigned (its token is in the URL).
    fn raw_json_webhook(&self, body: String) -> Webhook {
        let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        if self.kind == Kind::MetaCloud {
            headers.push(meta::signature_header(&self.secret, body.as_bytes()));
        }
        Webhook { url: self.url.clone(), headers, body }
    }

    /// The customer sends a message at `at`: the provider records it (its own window clock) and posts it.
    pub fn customer_message(
        &mut self,
        phone: &str,
        name: &str,
        message: &CustomerMessage,
        at: i64,
    ) -> (String, Webhook) {
        let id = self.next_id();
        self.received.insert(id.clone());
        self.last_customer_message.insert(phone.to_string(), at);
        let seconds = (at / 1000).to_string();
        let webhook = match self.kind {
            Kind::MetaCloud => self.meta_customer_message(&id, phone, name, message, &seconds),
            Kind::Twilio => self.twilio_customer_message(&id, phone, name, message),
            Kind::OneMsg => self.one_msg_customer_message(&id, phone, name, message, at),
        };
        (id, webhook)
    }

    /// A message another service sent on the number, as the provider reports it to every subscriber:
    /// Meta posts an `smb_message_echoes` webhook and 1msg a `fromMe` message; Twilio posts nothing.
    pub fn echo(&mut self, phone: &str, text: &str, at: i64) -> (String, Option<Webhook>) {
        let id = self.next_id();
        let seconds = (at / 1000).to_string();
        let webhook = match self.kind {
            Kind::MetaCloud => Some(self.meta_echo(&id, phone, text, &seconds)),
            Kind::OneMsg => Some(self.one_msg_echo(&id, phone, text, at)),
            Kind::Twilio => None,
        };
        (id, webhook)
    }

    /// sent, delivered, read (or a failure after sent), with the configured misbehaviour.
    pub(super) fn schedule_delivery(&mut self, id: &str, to: &str, at: i64) {
        self.schedule_status(id, to, "sent", at + 1_000, None);
        if self.rng.random_bool(self.misbehaviour.fail_after_sent.clamp(0.0, 1.0)) {
            let failure = match self.kind {
                Kind::Twilio => (63024, "Invalid message recipient"),
                _ => (131026, "Message undeliverable"),
            };
            self.schedule_status(id, to, "failed", at + 4_000, Some(failure));
        } else {
            self.schedule_status(id, to, "delivered", at + 3_000, None);
            self.schedule_status(id, to, "read", at + 60_000, None);
        }
    }

    pub(super) fn schedule_status(&mut self, id: &str, to: &str, status: &str, at: i64, failure: Option<(u32, &str)>) {
        let webhook = self.status_webhook(id, to, status, at, failure);
        self.enqueue(at, webhook);
    }

    /// A callback due at `at`, posted as the provider misbehaves: late, and sometimes twice.
    pub(super) fn enqueue(&mut self, at: i64, webhook: Webhook) {
        let m = self.misbehaviour;
        let delay = if m.max_delay_ms > 0 { self.rng.random_range(0..=m.max_delay_ms) } else { 0 };
        self.sequence += 1;
        self.queue.push((at + delay, self.sequence, webhook.clone()));
        if self.rng.random_bool(m.duplicates.clamp(0.0, 1.0)) {
            let again = at + delay + self.rng.random_range(1..=m.max_delay_ms.max(1_000));
            self.sequence += 1;
            self.queue.push((again, self.sequence, webhook));
        }
    }

    fn status_webhook(&self, id: &str, to: &str, status: &str, at: i64, failure: Option<(u32, &str)>) -> Webhook {
        match self.kind {
            Kind::MetaCloud => self.meta_status(id, to, status, at, failure),
            Kind::Twilio => self.twilio_status(id, to, status, failure),
            Kind::OneMsg => self.one_msg_ack(id, to, status, failure),
        }
    }

    /// Callbacks due by `now`, in the order they arrive.
    pub fn due(&mut self, now: i64) -> Vec<Webhook> {
        self.queue.sort_by_key(|(at, seq, _)| (*at, *seq));
        let split = self.queue.partition_point(|(at, _, _)| *at <= now);
        self.queue.drain(..split).map(|(_, _, w)| w).collect()
    }

    /// Any body, signed as this provider signs (for malformed-but-authentic webhooks).
    pub fn signed_raw(&self, body: &str) -> Webhook {
        match self.kind {
            Kind::Twilio => {
                let params: Vec<(String, String)> =
                    form_urlencoded::parse(body.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                let mut w = self.form_webhook(params);
                w.body = body.to_string();
                w
            }
            _ => self.raw_json_webhook(body.to_string()),
        }
    }

    /// How many callbacks are queued and not yet due.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// When the next callback is due, if any.
    pub fn next_due(&self) -> Option<i64> {
        self.queue.iter().map(|(at, _, _)| *at).min()
    }
}

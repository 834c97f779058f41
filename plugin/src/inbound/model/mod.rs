//! The inbound event shape in plain Rust, one to one with `wit/inbound.wit`.

mod events;
mod message;

pub use events::*;
pub use message::*;

pub use crate::types::{Customer, Provider};
use crate::types::{Instant, InvalidInput};

/// The business side of an event (WIT `business`): which of the helpdesk's numbers, and which provider
/// account, a message, echo or status concerns. The same on every event kind, so a helpdesk with
/// several numbers can route each one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Business {
    /// The business number, E.164 (`+` and 8 to 15 digits); set only when the provider's value is one
    /// (see `cursor::e164_strict`).
    pub number: Option<String>,
    /// The provider's id for the number, as given (Meta `phone_number_id`, 1msg `instanceId`).
    pub number_id: Option<String>,
    /// The provider account, as given (Meta WhatsApp Business Account id `entry[].id`, Twilio `AccountSid`).
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub provider: Provider,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub received_at: Instant,
}

impl Webhook {
    /// A header's value; names compare case-insensitively, as HTTP says.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InboundOptions {
    pub secret: Option<String>,
    pub redact_card_numbers: Option<bool>,
    pub max_attachment_bytes: Option<u64>,
    /// Whether the helpdesk serves WhatsApp groups (WIT `inbound-options.serve-groups`). Default true;
    /// false turns group messages, statuses and updates into `ignored` events with the reason.
    pub serve_groups: Option<bool>,
}

/// The helpdesk's attachment limit when the host does not give one: 25 MB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 25_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundError {
    BadSignature(String),
    MissingSignature(String),
    MalformedPayload(InvalidInput),
    UnsupportedProviderEvent(String),
}

impl InboundError {
    pub fn malformed(field: impl Into<String>, reason: impl Into<String>) -> Self {
        InboundError::MalformedPayload(InvalidInput::new(field, reason))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    MetaHubSha256,
    TwilioForm,
    TwilioBodySha256,
    OneMsgToken,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureOk {
    pub scheme: SignatureScheme,
    pub matched_url: Option<String>,
}

/// The key a host threads a conversation on (WIT `conversation-key`), namespaced so ids of different
/// kinds never collide: `group:<group id>` for a group; else `bsuid:<BSUID>` when the provider gives
/// one (Meta: "Supporting BSUID is required", and it is in every messages webhook from 2026-03-31, with
/// or without a phone: Meta "Business-scoped user IDs", updated 2026-11-05); else `wa:<digits>` from
/// the WhatsApp id or the phone; empty when the event names no one.
pub fn conversation_key(customer: &Customer, group_id: Option<&str>) -> String {
    // `concat`, not `format!`: one exact allocation and no formatting machinery on every event.
    if let Some(group) = group_id {
        return ["group:", group].concat();
    }
    if let Some(bsuid) = &customer.bsuid {
        return ["bsuid:", bsuid].concat();
    }
    match (&customer.wa_id, &customer.phone) {
        (Some(wa_id), _) => ["wa:", wa_id].concat(),
        (None, Some(phone)) => ["wa:", phone.trim_start_matches('+')].concat(),
        (None, None) => String::new(),
    }
}

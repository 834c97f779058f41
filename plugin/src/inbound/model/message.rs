//! A message (received, echoed, or from history) and what it carries: content, attachments, replies,
//! referral, flows, call permission, forwarding.

use super::*;
use crate::time::Instant;
use crate::types::ClockSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Text,
    Image,
    Audio,
    Voice,
    Video,
    Document,
    Sticker,
    Location,
    Contacts,
    InteractiveReply,
    ButtonReply,
    Reaction,
    Order,
    Unsupported,
    System,
    /// A WhatsApp Flow submission or an address message (Meta `interactive.nfm_reply`): see `FlowReply`.
    FlowReply,
    /// The customer (or, in an echo, the business) edited an earlier message: `original_message_id` names
    /// it and `text` / `attachments` carry the new content.
    Edit,
    /// The customer (or, in an echo, the business) deleted an earlier message for everyone:
    /// `original_message_id` names the message to hide.
    Revoke,
    /// A Meta `interactive` of type `call_permission_reply`.
    CallPermissionReply,
}

impl MessageKind {
    /// Whether a customer message of this kind opens or extends the customer service window. Edits
    /// and deletions change an earlier message and are not new messages to the business: they never
    /// move the window (Meta does not say that they do; the original message already did).
    pub fn counts_for_window(self) -> bool {
        !matches!(self, MessageKind::Edit | MessageKind::Revoke)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attachment {
    pub content_type: String,
    pub media_id: Option<String>,
    pub url: Option<String>,
    pub filename: Option<String>,
    pub caption: Option<String>,
    pub size_bytes: Option<u64>,
    pub sha256: Option<String>,
    pub over_limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    pub name: Option<String>,
    pub address: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharedContact {
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub wa_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    Button,
    ListRow,
    TemplateButton,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractiveReply {
    pub kind: ReplyKind,
    pub id: Option<String>,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub target_message_id: String,
    pub emoji: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    pub product_id: String,
    pub quantity: u32,
    pub item_price: String,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub catalog_id: String,
    pub text: Option<String>,
    pub items: Vec<OrderItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Referral {
    pub source_type: String,
    pub source_id: Option<String>,
    pub source_url: Option<String>,
    pub headline: Option<String>,
    pub body: Option<String>,
    pub media_type: Option<String>,
    pub media_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub click_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    pub code: u32,
    pub title: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemNotice {
    pub body: String,
    pub new_wa_id: Option<String>,
    /// What changed (WIT `identity-change`), from the notice's `type`.
    pub change: IdentityChange,
    /// The provider's `type`, as given (`user_changed_number`, `user_changed_user_id`, ...).
    pub raw_type: String,
    /// Who the customer is after the change; the message's `customer` is who they were.
    pub new_customer: Customer,
    /// The conversation key after the change (see `conversation_key`); none for other notices.
    pub new_conversation_key: Option<String>,
}

/// What a system notice says changed (WIT `identity-change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityChange {
    /// `user_changed_number` (older `customer_changed_number`): a new phone, and with it a new BSUID.
    NumberChanged,
    /// `user_changed_user_id`: a new BSUID, no phone given.
    UserIdChanged,
    /// Another system notice (or none given).
    Other,
}

/// The permission a customer gave or refused the business to call them (WIT `call-permission`), from
/// a Meta `interactive` of type `call_permission_reply`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPermission {
    /// `response: accept`.
    pub accepted: bool,
    /// `is_permanent`.
    pub permanent: bool,
    /// `expiration_timestamp`, when given.
    pub expires_at: Option<Instant>,
    /// `response_source`.
    pub source: PermissionSource,
}

/// How a call permission came about (WIT `permission-source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionSource {
    /// `user_action`: the customer tapped accept or reject.
    UserAction,
    /// `automatic`: granted because the customer called the business.
    Automatic,
    /// Absent or a value this plugin does not know.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarding {
    Original,
    Forwarded,
    FrequentlyForwarded,
}

/// What kind of `nfm_reply` a `FlowReply` is (WIT `flow-reply-kind`), from `nfm_reply.name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowReplyKind {
    /// `name: flow`: a WhatsApp Flow the customer completed.
    Flow,
    /// `name: address_message`: an address the customer filled in.
    Address,
    /// Any other name (kept in `FlowReply::name`).
    Other,
}

/// One answer of a Flow or address form (WIT `flow-field`): a leaf of `response_json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowField {
    /// The path of the leaf: object keys joined with `.`, array positions as `[i]`, e.g.
    /// `address.city`, `toppings[1]`.
    pub name: String,
    /// The value as text: strings as given, numbers and booleans as JSON writes them, null as `null`.
    pub value: String,
}

/// What a customer submitted in a WhatsApp Flow or an address message (WIT `flow-reply`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowReply {
    pub kind: FlowReplyKind,
    /// `nfm_reply.name` as given (`flow`, `address_message`).
    pub name: String,
    /// `flow_token` from `response_json`, when there is one: the token the business sent the Flow with.
    pub flow_token: Option<String>,
    /// `nfm_reply.body` (e.g. `Sent`).
    pub body: Option<String>,
    /// Every answered field (object keys in alphabetical order, arrays in order), without `flow_token`.
    pub fields: Vec<FlowField>,
    /// `response_json` as received, after card-number redaction.
    pub raw_json: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    pub field: String,
    pub kind: String,
    pub last_four: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub provider: Provider,
    pub id: String,
    pub business: Business,
    pub customer: Customer,
    pub sent_at: Instant,
    pub clock: ClockSource,
    pub kind: MessageKind,
    pub text: Option<String>,
    pub attachments: Vec<Attachment>,
    pub location: Option<Location>,
    pub contacts: Vec<SharedContact>,
    pub interactive: Option<InteractiveReply>,
    pub reaction: Option<Reaction>,
    pub order: Option<Order>,
    pub reply_to: Option<String>,
    pub forwarding: Forwarding,
    pub referral: Option<Referral>,
    pub error: Option<ProviderError>,
    pub system: Option<SystemNotice>,
    pub redactions: Vec<Redaction>,
    pub notes: Vec<String>,
    /// The WhatsApp group it was written in (Meta `messages[].group_id`, 1msg `…@g.us`); the customer
    /// is then the participant who wrote.
    pub group_id: Option<String>,
    /// A Flow or address form the customer submitted (kind `FlowReply`).
    pub flow_reply: Option<FlowReply>,
    /// For `Edit` and `Revoke`: the provider id of the message edited or deleted.
    pub original_message_id: Option<String>,
    /// A call-permission reply (kind `CallPermissionReply`).
    pub call_permission: Option<CallPermission>,
    /// The thread key (`conversation_key`), set by `normalize` once the message is parsed.
    pub conversation_key: String,
}

impl Message {
    /// A message of `kind` with every optional part empty; parsers fill in what they find.
    pub fn new(
        provider: Provider,
        id: String,
        customer: Customer,
        sent_at: Instant,
        clock: ClockSource,
        kind: MessageKind,
    ) -> Self {
        Self {
            provider,
            id,
            business: Business::default(),
            customer,
            sent_at,
            clock,
            kind,
            text: None,
            attachments: Vec::new(),
            location: None,
            contacts: Vec::new(),
            interactive: None,
            reaction: None,
            order: None,
            reply_to: None,
            forwarding: Forwarding::Original,
            referral: None,
            error: None,
            system: None,
            redactions: Vec::new(),
            notes: Vec::new(),
            group_id: None,
            flow_reply: None,
            original_message_id: None,
            call_permission: None,
            conversation_key: String::new(),
        }
    }
}

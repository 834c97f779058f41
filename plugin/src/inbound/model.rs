//! The inbound event shape in plain Rust, one to one with `wit/inbound.wit`.

use crate::error::InvalidInput;
use crate::pricing::Category;
use crate::time::Instant;
use crate::window::ClockSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Twilio,
    MetaCloud,
    OneMsg,
}

/// Who the customer is (WIT `customer`). `phone` is set only when the provider's value is an E.164
/// number (`cursor::e164_strict`); a BSUID, a group id or a username never is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Customer {
    pub phone: Option<String>,
    pub wa_id: Option<String>,
    pub bsuid: Option<String>,
    pub profile_name: Option<String>,
    /// The parent BSUID across linked business portfolios (Meta `parent_user_id`, `US.ENT.…`).
    pub parent_bsuid: Option<String>,
    /// The customer's WhatsApp username (Meta `contacts[].profile.username`), as given.
    pub username: Option<String>,
}

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
pub struct Options {
    pub secret: Option<String>,
    pub redact_card_numbers: Option<bool>,
    pub max_attachment_bytes: Option<u64>,
    /// Whether the helpdesk serves WhatsApp groups (WIT `inbound-options.serve-groups`). Default true;
    /// false turns group messages, statuses and updates into `ignored` events with the reason.
    pub serve_groups: Option<bool>,
}

/// The helpdesk's attachment limit when the host does not give one: 25 MB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 25_000_000;

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

/// Who started a call (WIT `call-direction`), Meta `direction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallDirection {
    UserInitiated,
    BusinessInitiated,
}

/// What a call webhook reports (WIT `call-action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallAction {
    /// `connect`: the call is being set up (a user's call arrives; a business call is answered).
    Connect,
    /// Status `RINGING` (business-initiated).
    Ringing,
    /// Status `ACCEPTED` (business-initiated).
    Accepted,
    /// Status `REJECTED` (business-initiated).
    Rejected,
    /// `terminate` with status `COMPLETED`.
    Completed,
    /// `terminate` with status `FAILED` (or no status).
    Failed,
    /// An event or status this plugin does not know (the raw value is in `raw_event`).
    Other,
}

/// A WhatsApp call event (WIT `call-event`), from Meta's `calls` webhook field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub provider: Provider,
    /// The call id (`wacid.…`).
    pub id: String,
    pub business: Business,
    pub customer: Customer,
    pub direction: CallDirection,
    pub action: CallAction,
    /// The provider's word: `connect`, `terminate`, or the status (`RINGING`, ...).
    pub raw_event: String,
    /// The webhook's `timestamp`.
    pub at: Instant,
    pub started_at: Option<Instant>,
    pub ended_at: Option<Instant>,
    pub duration_seconds: Option<u32>,
    /// `biz_opaque_callback_data`, as given.
    pub callback_data: Option<String>,
    /// The first of the change's `errors[]` on a failed call.
    pub error: Option<ProviderError>,
    pub conversation_key: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PricingType {
    Regular,
    FreeCustomerService,
    FreeEntryPoint,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    pub category: Option<Category>,
    pub raw_category: String,
    pub pricing_type: PricingType,
    pub raw_type: String,
    pub model: Option<String>,
    pub billable: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    OutsideWindow,
    TemplateProblem,
    Undeliverable,
    RateLimited,
    MediaProblem,
    Payment,
    Other,
    MarketingOptedOut,
    MarketingLimit,
    OptedOut,
    Experiment,
    UnsupportedInGroup,
    InvalidRequest,
    AccountProblem,
    ProviderUnavailable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: ProviderError,
    pub reason: FailureReason,
    pub retryable: bool,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    pub provider: Provider,
    pub message_id: String,
    pub business: Business,
    pub customer: Customer,
    pub status: DeliveryStatus,
    pub at: Instant,
    pub clock: ClockSource,
    pub pricing: Option<Pricing>,
    pub failure: Option<Failure>,
    /// For a message sent to a group: the group (Meta `recipient_id` with `recipient_type: group`);
    /// the customer is then the participant the status is about.
    pub group_id: Option<String>,
    /// The thread key (`conversation_key`), set by `normalize`.
    pub conversation_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub kind: String,
    pub reason: String,
}

/// One item of a webhook that could not be read (WIT `unreadable-item`): the webhook's other events
/// still come through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// What the item is: `message`, `status`, `echo`, `change`, `contact`, `group-update`, `error`.
    pub kind: String,
    /// Where: the JSON path (`entry[0].changes[1].value.messages[2].timestamp`) or the form field.
    pub path: String,
    /// What is wrong there.
    pub reason: String,
    /// The provider's id of the item, when it could be read.
    pub item_id: Option<String>,
}

/// What happened to a group (WIT `group-update-kind`), from the `type` of a Meta group webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupUpdateKind {
    Created,
    Deleted,
    ParticipantsAdded,
    ParticipantsRemoved,
    ParticipantLeft,
    JoinRequested,
    JoinRequestRevoked,
    SettingsChanged,
    Suspended,
    SuspensionCleared,
    Other,
}

/// Who started a group change (WIT `group-actor`), Meta `initiated_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupActor {
    Business,
    Participant,
}

/// A change to a group the business is in (WIT `group-update`), to show as a system note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupUpdate {
    pub provider: Provider,
    pub business: Business,
    pub group_id: String,
    pub kind: GroupUpdateKind,
    /// The provider's word for it, e.g. `group_participants_remove`.
    pub raw_type: String,
    /// The participants it concerns (added, removed, the one asking to join).
    pub participants: Vec<Customer>,
    pub initiated_by: Option<GroupActor>,
    pub at: Instant,
    /// The group's subject (name) when the update gives one.
    pub subject: Option<String>,
    /// What the provider reported as failed; empty when everything succeeded.
    pub errors: Vec<ProviderError>,
    /// What happened, in plain words.
    pub note: String,
}

/// A message from the chat history of a WhatsApp Business app number (WIT `history-message`), synced
/// once after coexistence onboarding (Meta `history` webhook). Never a live message.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryMessage {
    /// The message; `customer` is the chat's other party (the thread), whoever wrote it.
    pub message: Message,
    /// True when the business wrote it (its `from` is not the thread's customer).
    pub from_business: bool,
    /// `history_context.status` as given (e.g. `READ`, `DELIVERED`).
    pub status: Option<String>,
    /// The sync phase (0: day 0-1, 1: day 1-90, 2: day 90-180 before onboarding).
    pub phase: Option<u32>,
    /// The chunk's position within its phase (chunks may arrive out of order).
    pub chunk_order: Option<u32>,
    /// The overall sync progress in percent (100: complete).
    pub progress: Option<u32>,
}

/// The customer's marketing-message preference (WIT `marketing-preference`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketingPreference {
    /// `stop`: no more marketing templates to this customer.
    Stop,
    /// `resume`: marketing templates may reach them again.
    Resume,
    /// Another value (kept in `raw_value`).
    Other,
}

/// A customer stopped or resumed marketing messages (WIT `preference-update`, Meta `user_preferences`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferenceUpdate {
    pub provider: Provider,
    pub business: Business,
    pub customer: Customer,
    /// `category` as given: `marketing_messages`.
    pub category: String,
    pub preference: MarketingPreference,
    pub raw_value: String,
    /// `detail`, e.g. `User requested to stop marketing messages`.
    pub detail: Option<String>,
    pub at: Instant,
}

/// What changed about a template (WIT `template-update-kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateUpdateKind {
    /// `message_template_status_update`.
    Status,
    /// `message_template_quality_update`.
    Quality,
    /// `template_category_update`, the change done.
    Category,
    /// `template_category_update` announcing a change (`correct_category`, `category_update_timestamp`).
    CategoryPending,
}

/// A template's review status, quality or category changed (WIT `template-update`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateUpdate {
    pub provider: Provider,
    pub business: Business,
    pub kind: TemplateUpdateKind,
    pub raw_field: String,
    pub template_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    /// For `Status`: Meta's `event` mapped to a template status when it is one.
    pub status: Option<crate::templates::model::Status>,
    /// For `Status`: `event` as given (`APPROVED`, `REJECTED`, `PAUSED`, `ARCHIVED`...).
    pub raw_status: Option<String>,
    /// `reason` (status), as given; none when Meta sends none or `NONE`.
    pub reason: Option<String>,
    pub previous_quality: Option<String>,
    pub quality: Option<String>,
    /// The category before the change (`previous_category`).
    pub previous_category: Option<String>,
    /// The category now (status: `message_template_category`; category: `new_category`; pending:
    /// `correct_category`, the category it will have), as given.
    pub category: Option<String>,
    /// `category` when it is one this plugin knows.
    pub message_category: Option<Category>,
    /// For `CategoryPending`: when the change takes effect (`category_update_timestamp`).
    pub effective_at: Option<Instant>,
    /// When Meta sent it (`entry[].time`), when given.
    pub at: Option<Instant>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Message(Message),
    Status(StatusUpdate),
    Echo(Message),
    Ignored(Ignored),
    Unreadable(Unreadable),
    GroupUpdate(GroupUpdate),
    History(HistoryMessage),
    PreferenceUpdate(PreferenceUpdate),
    TemplateUpdate(TemplateUpdate),
    Call(CallEvent),
}

impl Event {
    /// The event for an item that failed to parse: the error's path and reason, and the item's id
    /// when it could be read.
    pub fn unreadable(kind: &str, error: InboundError, item_id: Option<String>) -> Self {
        let (path, reason) = match error {
            InboundError::MalformedPayload(i) => (i.field, i.reason),
            InboundError::BadSignature(r) | InboundError::MissingSignature(r) => ("signature".into(), r),
            InboundError::UnsupportedProviderEvent(r) => ("body".into(), r),
        };
        Event::Unreadable(Unreadable { kind: kind.into(), path, reason, item_id })
    }
}

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
    if let Some(group) = group_id {
        return format!("group:{group}");
    }
    if let Some(bsuid) = &customer.bsuid {
        return format!("bsuid:{bsuid}");
    }
    match (&customer.wa_id, &customer.phone) {
        (Some(wa_id), _) => format!("wa:{wa_id}"),
        (None, Some(phone)) => format!("wa:{}", phone.trim_start_matches('+')),
        (None, None) => String::new(),
    }
}

//! Every event beside a message: delivery statuses, calls, group, marketing-preference and template
//! updates, ignored and unreadable items, and the `Event` that holds them all.

use super::*;
use crate::time::Instant;
use crate::types::ClockSource;
use crate::types::MessageCategory;

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
    pub category: Option<MessageCategory>,
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
pub struct IgnoredEvent {
    pub kind: String,
    pub reason: String,
}

/// One item of a webhook that could not be read (WIT `unreadable-item`): the webhook's other events
/// still come through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableItem {
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
    pub status: Option<crate::templates::model::TemplateStatus>,
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
    pub message_category: Option<MessageCategory>,
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
    Ignored(IgnoredEvent),
    Unreadable(UnreadableItem),
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
        Event::Unreadable(UnreadableItem { kind: kind.into(), path, reason, item_id })
    }
}

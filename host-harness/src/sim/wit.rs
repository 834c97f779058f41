//! The WIT names of the contract's enums, for the simulation's own JSON (its state, its timelines)
//! and for reading the scenario files: each table written once, checked for exhaustiveness.

use serde_json::{Value, json};

use crate::bindings::exports::helpdesk::whatsapp::inbound::{
    CallAction, DeliveryStatus, FailureReason, InboundError, MessageKind,
};
use crate::bindings::exports::helpdesk::whatsapp::masking::AutomationKind;
use crate::bindings::exports::helpdesk::whatsapp::outbound::MediaKind;
use crate::bindings::exports::helpdesk::whatsapp::templates::{
    ButtonKind, HeaderFormat, ParameterFormat, TemplateStatus,
};
use crate::bindings::exports::helpdesk::whatsapp::types::{ClockSource, MessageCategory};
use crate::bindings::exports::helpdesk::whatsapp::window::{Conversation, ConversationOrigin, Weekday, WindowState};

/// A WIT enum's case names, as the contract spells them (kebab-case).
pub trait WitName: Sized {
    /// The case's WIT name, e.g. `closing-soon`.
    fn wit_name(self) -> &'static str;
    /// The case of a WIT name; snake_case is accepted too, as the scenario JSON writes it.
    fn from_wit_name(name: &str) -> Option<Self>;
}

macro_rules! wit_names {
    ($($ty:ident { $($case:ident => $name:literal),* $(,)? })*) => {$(
        impl WitName for $ty {
            fn wit_name(self) -> &'static str {
                match self { $($ty::$case => $name),* }
            }
            fn from_wit_name(name: &str) -> Option<Self> {
                match name.replace('_', "-").as_str() { $($name => Some($ty::$case),)* _ => None }
            }
        }
    )*};
}

wit_names! {
    DeliveryStatus { Pending => "pending", Sent => "sent", Delivered => "delivered", Read => "read", Played => "played", Failed => "failed" }
    FailureReason {
        OutsideWindow => "outside-window", TemplateProblem => "template-problem", Undeliverable => "undeliverable",
        RateLimited => "rate-limited", MediaProblem => "media-problem", Payment => "payment", Other => "other",
        MarketingOptedOut => "marketing-opted-out", MarketingLimit => "marketing-limit", OptedOut => "opted-out",
        Experiment => "experiment", UnsupportedInGroup => "unsupported-in-group", InvalidRequest => "invalid-request",
        AccountProblem => "account-problem", ProviderUnavailable => "provider-unavailable",
    }
    MessageKind {
        Text => "text", Image => "image", Audio => "audio", Voice => "voice", Video => "video", Document => "document",
        Sticker => "sticker", Location => "location", Contacts => "contacts", InteractiveReply => "interactive-reply",
        ButtonReply => "button-reply", Reaction => "reaction", Order => "order", Unsupported => "unsupported",
        System => "system", FlowReply => "flow-reply", Edit => "edit", Revoke => "revoke",
        CallPermissionReply => "call-permission-reply",
    }
    CallAction {
        Connect => "connect", Ringing => "ringing", Accepted => "accepted", Rejected => "rejected",
        Completed => "completed", Failed => "failed", Other => "other",
    }
    WindowState { NeverOpened => "never-opened", Open => "open", ClosingSoon => "closing-soon", Closed => "closed" }
    AutomationKind {
        Bot => "bot", AutoReply => "auto-reply", WorkflowMessage => "workflow-message",
        ScheduledNotification => "scheduled-notification",
    }
    ConversationOrigin { Organic => "organic", ClickToWhatsappAd => "click-to-whatsapp-ad", FacebookPageCta => "facebook-page-cta" }
    ClockSource { ProviderTimestamp => "provider-timestamp", HelpdeskReceipt => "helpdesk-receipt" }
    MessageCategory {
        Marketing => "marketing", Utility => "utility", Authentication => "authentication",
        AuthenticationInternational => "authentication-international", Service => "service",
        GroupMarketing => "group-marketing", GroupUtility => "group-utility", GroupService => "group-service",
    }
    TemplateStatus {
        Approved => "approved", Pending => "pending", Rejected => "rejected", Paused => "paused",
        Disabled => "disabled", InAppeal => "in-appeal",
    }
    ParameterFormat { Positional => "positional", Named => "named" }
    HeaderFormat { Text => "text", Image => "image", Video => "video", Document => "document", Location => "location" }
    ButtonKind { QuickReply => "quick-reply", Url => "url", PhoneNumber => "phone-number", CopyCode => "copy-code", Otp => "otp" }
    MediaKind { Image => "image", Video => "video", Audio => "audio", Document => "document", Sticker => "sticker" }
    Weekday {
        Monday => "monday", Tuesday => "tuesday", Wednesday => "wednesday", Thursday => "thursday",
        Friday => "friday", Saturday => "saturday", Sunday => "sunday",
    }
}

/// The case of an `inbound-error`, as counted in `Counts::rejected`.
pub fn inbound_error_case(error: &InboundError) -> &'static str {
    match error {
        InboundError::BadSignature(_) => "bad-signature",
        InboundError::MissingSignature(_) => "missing-signature",
        InboundError::MalformedPayload(_) => "malformed-payload",
        InboundError::UnsupportedProviderEvent(_) => "unsupported-provider-event",
        InboundError::Internal(_) => "internal",
    }
}

/// The window facts as the contract's JSON writes them: snake_case keys, every field present
/// (`null` when none), epoch milliseconds, enum cases by their WIT names.
pub fn conversation_json(c: &Conversation) -> Value {
    json!({
        "last_customer_message": c.last_customer_message.as_ref()
            .map(|m| json!({"sent_at": m.sent_at, "clock": m.clock.wit_name()})),
        "last_business_message_at": c.last_business_message_at,
        "origin": c.origin.wit_name(),
        "entry_message_at": c.entry_message_at,
        "first_business_reply_at": c.first_business_reply_at,
    })
}

/// Serde's `serialize_with` for a ticket's window facts.
pub fn serialize_conversation<S: serde::Serializer>(c: &Conversation, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&conversation_json(c), s)
}

/// Serde's `serialize_with` for a delivery status by its WIT name.
pub fn serialize_status<S: serde::Serializer>(status: &Option<DeliveryStatus>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&status.map(WitName::wit_name), s)
}

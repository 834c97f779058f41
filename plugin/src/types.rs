//! The records shared by every interface, one to one with `wit/types.wit`. Other modules re-export
//! them where they were first needed (`inbound::model`, `window`, `error`, `time`, `pricing`).

/// Milliseconds since 1970-01-01T00:00:00Z (WIT `instant`).
pub type Instant = i64;
/// A length of time in milliseconds (WIT `duration`).
pub type Duration = i64;

/// The WhatsApp Business provider a webhook came from or a payload is meant for (WIT `provider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Twilio,
    MetaCloud,
    OneMsg,
}

/// Which clock a customer message time was read from (WIT `clock-source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSource {
    ProviderTimestamp,
    HelpdeskReceipt,
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

/// WhatsApp's pricing categories (WIT `message-category`). The `Group*` ones
/// are what Meta bills a message sent to a group (Groups API), once per participant it reaches (Meta, Groups API Pricing,
/// Oct 22, 2025, https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/pricing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageCategory {
    Marketing,
    Utility,
    Authentication,
    AuthenticationInternational,
    Service,
    GroupMarketing,
    GroupUtility,
    GroupService,
}

impl MessageCategory {
    /// In the order cost lines are given: one-to-one first (free-form, then templates), then groups.
    pub const ALL: [MessageCategory; 8] = [
        MessageCategory::Service,
        MessageCategory::Marketing,
        MessageCategory::Utility,
        MessageCategory::Authentication,
        MessageCategory::AuthenticationInternational,
        MessageCategory::GroupService,
        MessageCategory::GroupMarketing,
        MessageCategory::GroupUtility,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MessageCategory::Marketing => "marketing",
            MessageCategory::Utility => "utility",
            MessageCategory::Authentication => "authentication",
            MessageCategory::AuthenticationInternational => "authentication-international",
            MessageCategory::Service => "service",
            MessageCategory::GroupMarketing => "group-marketing",
            MessageCategory::GroupUtility => "group-utility",
            MessageCategory::GroupService => "group-service",
        }
    }

    /// Whether this is a category of messages sent to a group.
    pub fn is_group(self) -> bool {
        matches!(self, MessageCategory::GroupMarketing | MessageCategory::GroupUtility | MessageCategory::GroupService)
    }

    /// Whether a message of this category is a free-form (non-template) one.
    pub fn is_free_form(self) -> bool {
        matches!(self, MessageCategory::Service | MessageCategory::GroupService)
    }
}

/// Which field of a request was wrong, and how (WIT `invalid-input`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    pub field: String,
    pub reason: String,
}

impl InvalidInput {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

//! The plain-Rust shapes of the `outbound` interface; the adapter maps the WIT records onto them.

use crate::error::InvalidInput;
use crate::templates::model as tm;
use crate::time::Instant;
use crate::types::MessageCategory;
use crate::window::Conversation;

/// Who the reply goes to (WIT `recipient`).
#[derive(Debug, Clone, PartialEq)]
pub enum Recipient {
    Phone(String),
    Bsuid(String),
    Group(String),
}

/// How a Twilio message names its sender (WIT `twilio-sender`).
#[derive(Debug, Clone, PartialEq)]
pub enum TwilioSender {
    From(String),
    MessagingServiceSid(String),
}

/// The provider account the reply goes out from (WIT `account`).
#[derive(Debug, Clone, PartialEq)]
pub enum Account {
    Meta { phone_number_id: String, graph_api_version: Option<String> },
    Twilio { account_sid: String, sender: TwilioSender, status_callback: Option<String> },
    OneMsg { api_url: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
}

impl MediaKind {
    /// The provider's name for the kind (Meta `type`, 1msg `mediaType`).
    pub fn name(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum MediaSource {
    Link(String),
    Id(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub kind: MediaKind,
    pub source: MediaSource,
    pub caption: Option<String>,
    pub filename: Option<String>,
    pub mime_type: Option<String>,
    pub size_bytes: Option<u64>,
    pub animated: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    pub name: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContactCard {
    pub formatted_name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplyButton {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InteractiveButtons {
    pub header: Option<String>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<ReplyButton>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListSection {
    pub title: Option<String>,
    pub rows: Vec<ListRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InteractiveList {
    pub header: Option<String>,
    pub body: String,
    pub footer: Option<String>,
    pub button: String,
    pub sections: Vec<ListSection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub message_id: String,
    pub emoji: Option<String>,
}

/// A template payload from `templates::render::render` (its `payload` is the provider's JSON text).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedTemplate {
    pub rendered: tm::Rendered,
    pub category: MessageCategory,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text(String),
    Media(Media),
    Location(Location),
    Contacts(Vec<ContactCard>),
    Buttons(InteractiveButtons),
    List(InteractiveList),
    Reaction(Reaction),
    RenderedTemplate(RenderedTemplate),
    Template(Box<tm::Template>, Box<tm::TemplateValues>),
}

impl Content {
    /// A template may go out whatever the window; everything else is free-form.
    pub fn is_template(&self) -> bool {
        matches!(self, Content::RenderedTemplate(_) | Content::Template(..))
    }
}

/// The window facts the host has (WIT `window-facts`).
#[derive(Debug, Clone, PartialEq)]
pub enum WindowFacts {
    Conversation(Conversation),
    /// From a `window.check` answer.
    Checked {
        free_form_allowed: bool,
        closes_at: Option<Instant>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComposeRequest {
    pub account: Account,
    pub recipient: Recipient,
    pub content: Content,
    pub reply_to: Option<String>,
    pub preview_url: bool,
    pub window: WindowFacts,
    pub now: Instant,
    pub marketing_opted_out: Option<bool>,
    pub recipient_country: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialPlacement {
    BearerHeader,
    BasicAuth,
    QueryToken,
}

/// The provider's HTTP request without credentials (WIT `http-request`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    pub base_url: String,
    pub path: String,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub credentials: CredentialPlacement,
}

pub const JSON: &str = "application/json";
pub const FORM: &str = "application/x-www-form-urlencoded";

impl HttpRequest {
    pub fn post(
        base_url: &str,
        path: String,
        content_type: &str,
        body: String,
        credentials: CredentialPlacement,
    ) -> Self {
        Self {
            method: "POST".into(),
            base_url: base_url.trim_end_matches('/').to_string(),
            path,
            content_type: content_type.into(),
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
            credentials,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    WindowClosed,
    TooLong,
    Empty,
    MediaTooLarge,
    MediaTypeNotAccepted,
    WrongCount,
    Duplicate,
    NotSupportedByProvider,
    NotSupportedInGroup,
    NotSupportedForBsuid,
    MarketingOptedOut,
    MarketingToUsNumber,
    TemplateProblem,
}

/// One problem with what the agent can do (WIT `send-problem`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendProblem {
    pub kind: ProblemKind,
    pub field: String,
    pub detail: String,
    pub suggestion: String,
    pub limit: Option<u64>,
    pub actual: Option<u64>,
    pub prevents_meta_error: Option<u32>,
    pub prevents_twilio_error: Option<u32>,
}

impl SendProblem {
    pub fn new(
        kind: ProblemKind,
        field: impl Into<String>,
        detail: impl Into<String>,
        suggestion: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            field: field.into(),
            detail: detail.into(),
            suggestion: suggestion.into(),
            limit: None,
            actual: None,
            prevents_meta_error: None,
            prevents_twilio_error: None,
        }
    }

    pub fn limit(mut self, limit: u64, actual: u64) -> Self {
        self.limit = Some(limit);
        self.actual = Some(actual);
        self
    }

    pub fn meta(mut self, code: u32) -> Self {
        self.prevents_meta_error = Some(code);
        self
    }

    pub fn twilio(mut self, code: u32) -> Self {
        self.prevents_twilio_error = Some(code);
        self
    }
}

/// The answer of `compose` (WIT `compose-answer`): a request, or problems, never both.
#[derive(Debug, Clone, PartialEq)]
pub struct ComposeAnswer {
    pub request: Option<HttpRequest>,
    pub problems: Vec<SendProblem>,
    pub template_problems: Vec<tm::TemplateProblem>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadRequest {
    pub account: Account,
    pub recipient: Recipient,
    pub message_id: String,
    pub typing_indicator: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadAnswer {
    Request(HttpRequest),
    NotAvailable(String),
}

/// Why a request could not be composed (WIT `compose-error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeError {
    InvalidRequest(InvalidInput),
}

impl From<InvalidInput> for ComposeError {
    fn from(e: InvalidInput) -> Self {
        ComposeError::InvalidRequest(e)
    }
}

//! Templates in plain Rust, one to one with `wit/templates.wit`.

use crate::types::MessageCategory;
use crate::types::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateStatus {
    Approved,
    Pending,
    Rejected,
    Paused,
    Disabled,
    InAppeal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterFormat {
    Positional,
    Named,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderFormat {
    Text,
    Image,
    Video,
    Document,
    Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub format: HeaderFormat,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonKind {
    QuickReply,
    Url,
    PhoneNumber,
    CopyCode,
    Otp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub kind: ButtonKind,
    pub text: String,
    pub url: Option<String>,
    pub phone_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub name: String,
    pub language: String,
    pub category: MessageCategory,
    pub status: TemplateStatus,
    pub parameter_format: ParameterFormat,
    pub header: Option<Header>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<Button>,
    pub twilio_content_sid: Option<String>,
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableValue {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Media {
    pub link: Option<String>,
    pub id: Option<String>,
    pub filename: Option<String>,
    /// What the host says the file is (`image/jpeg`); see `supported_media`.
    pub mime_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeaderLocation {
    pub latitude: f64,
    pub longitude: f64,
    pub name: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonValue {
    pub index: u32,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TemplateValues {
    pub body: Vec<VariableValue>,
    pub header_text: Option<VariableValue>,
    pub header_media: Option<Media>,
    pub header_location: Option<HeaderLocation>,
    pub buttons: Vec<ButtonValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Template,
    Header,
    Body,
    Footer,
    Button,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Missing,
    Unexpected,
    Empty,
    ForbiddenWhitespace,
    TooLong,
    WrongMedia,
    NotApproved,
    Paused,
    Disabled,
    LanguageNotAvailable,
    Numbering,
    BadVariableName,
    MixedFormats,
    VariablesNotAllowed,
    TooManyButtons,
    BadButton,
    MissingProviderId,
    AmbiguousProviderVariables,
    WrongCategory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    pub part: Part,
    pub button_index: Option<u32>,
    pub variable: Option<String>,
    pub kind: ProblemKind,
    pub detail: String,
    pub prevents_meta_error: Option<u32>,
}

impl TemplateProblem {
    pub fn new(part: Part, kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self { part, button_index: None, variable: None, kind, detail: detail.into(), prevents_meta_error: None }
    }

    pub fn variable(mut self, key: &str) -> Self {
        self.variable = Some(key.to_string());
        self
    }

    pub fn button(mut self, index: usize) -> Self {
        self.button_index = u32::try_from(index).ok();
        self
    }

    pub fn prevents(mut self, code: u32) -> Self {
        self.prevents_meta_error = Some(code);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub provider: Provider,
    pub payload: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSlot {
    pub part: Part,
    pub button_index: Option<u32>,
    pub key: String,
    pub label: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftSegment {
    Fixed(String),
    Slot(DraftSlot),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub segments: Vec<DraftSegment>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftChanged {
    pub position: u32,
    pub expected: String,
    pub found: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoMatch {
    pub available: Vec<String>,
    pub reason: String,
}

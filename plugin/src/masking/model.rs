//! Masking and channel rules in plain Rust, one to one with `wit/masking.wit`.

use crate::inbound::model::{DeliveryStatus, MessageKind};
use crate::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMessage {
    pub id: String,
    pub service: Service,
    pub agent_name: Option<String>,
    pub sent_at: Instant,
    pub kind: MessageKind,
    pub template_name: Option<String>,
    pub status: Option<DeliveryStatus>,
    pub text: Option<String>,
    pub captions: Vec<String>,
    pub file_names: Vec<String>,
    pub template_values: Vec<String>,
    pub urls: Vec<String>,
    pub attachment_count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskingPolicy {
    pub show_agent_name: bool,
    pub language: String,
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub summary: String,
    pub message_id: String,
    pub service_name: String,
    pub agent_name: Option<String>,
    pub sent_at: Instant,
    pub kind: MessageKind,
    pub attachment_count: u32,
    pub template_name: Option<String>,
    pub status: Option<DeliveryStatus>,
    pub content_hidden: bool,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutomationKind {
    Bot,
    AutoReply,
    WorkflowMessage,
    ScheduledNotification,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub service: Service,
    pub subscribed_at: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelState {
    pub subscriptions: Vec<Subscription>,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomationAnswer {
    pub allowed: bool,
    pub parent: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub service_id: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisconnectOutcome {
    pub remaining: Vec<Subscription>,
    pub parent: Option<String>,
    pub parent_changed: bool,
    pub channel_running: bool,
    pub notices: Vec<Notice>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub agent: String,
    pub service: Service,
    pub since: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickUpAnswer {
    pub allowed: bool,
    pub held_by: Vec<Hold>,
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaskingError {
    UnknownService(String),
    InvalidRequest(crate::error::InvalidInput),
}

//! The 24-hour customer service window: state, what may be sent, the free entry point,
//! business hours and cost, all as data for the agent.

use crate::business_hours::{BusinessHours, HoursCheck};
use crate::error::InvalidInput;
use crate::inbound::model::{CallAction, CallDirection, MessageKind};
use crate::pricing::{self, CostLine, PricingPeriod};
use crate::time::{DAY, Duration, HOUR, Instant, check_instant, describe_duration};
use crate::zone::Zone;

pub use crate::types::ClockSource;

/// The customer service window lasts 24 hours from the customer's send time.
pub const SERVICE_WINDOW: Duration = DAY;
/// A conversation from an ad or Page button must be answered within 24 hours of the entry message...
pub const ENTRY_POINT_ANSWER_WITHIN: Duration = DAY;
/// ...and the answer opens 72 hours in which every message is free.
pub const ENTRY_POINT_FREE_FOR: Duration = 3 * DAY;
/// How long before closing the state becomes "closing soon" when the host does not say.
pub const DEFAULT_WARN_BEFORE: Duration = 2 * HOUR;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationOrigin {
    Organic,
    ClickToWhatsappAd,
    FacebookPageCta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerMessageTime {
    pub sent_at: Instant,
    pub clock: ClockSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub last_customer_message: Option<CustomerMessageTime>,
    pub last_business_message_at: Option<Instant>,
    pub origin: ConversationOrigin,
    pub entry_message_at: Option<Instant>,
    pub first_business_reply_at: Option<Instant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRequest {
    pub conversation: Conversation,
    pub now: Instant,
    pub time_zone: Option<String>,
    pub business_hours: Option<BusinessHours>,
    pub warn_before: Option<Duration>,
    pub pricing: Option<Vec<PricingPeriod>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    NeverOpened,
    Open,
    ClosingSoon,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSkew {
    pub reported: Instant,
    pub used: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryPoint {
    NotApplicable,
    AnswerBy(Instant),
    FreeUntil(Instant),
    Ended(Instant),
    Missed(Instant),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowAnswer {
    pub state: WindowState,
    pub opened_at: Option<Instant>,
    pub clock: Option<ClockSource>,
    pub closes_at: Option<Instant>,
    pub time_left: Duration,
    pub free_form_allowed: bool,
    pub templates_allowed: bool,
    pub hint: String,
    pub clock_skew: Option<ClockSkew>,
    pub entry_point: EntryPoint,
    pub hours: Option<HoursCheck>,
    pub pricing_period: Option<String>,
    /// The whole period in force (sources, confirmation, notes); `None` with `pricing_period`.
    pub pricing_details: Option<PricingPeriod>,
    pub costs: Vec<CostLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowError {
    InvalidTimeZone(String),
    InvalidBusinessHours(InvalidInput),
    InvalidPricingTable(InvalidInput),
    InvalidRequest(InvalidInput),
}

/// What an inbound event means for the window. The adapter hands each WIT event's fields to one of the
/// constructors below, which hold the rules; `record_events` folds the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowEvent {
    /// The customer sent a message; `referral` is the ad referral's source type, if any.
    Customer { sent_at: Instant, clock: ClockSource, referral: Option<String> },
    /// The business sent a message (an echo from another service, or the host's own send).
    Business { sent_at: Instant },
    /// Anything else (statuses, ignored events).
    Other,
}

impl WindowEvent {
    /// A customer's `message` event. Edits and revokes change an earlier message, which already moved
    /// the window, so they never do (`MessageKind::counts_for_window`). History messages arrive as their
    /// own event kind and reach `other`.
    pub fn customer_message(kind: MessageKind, sent_at: Instant, clock: ClockSource, referral: Option<String>) -> Self {
        if kind.counts_for_window() { WindowEvent::Customer { sent_at, clock, referral } } else { WindowEvent::Other }
    }

    /// An `echo`: the business wrote from another service or the WhatsApp Business app. It never
    /// touches the customer's time, so it never opens or extends the window.
    pub fn echo(sent_at: Instant) -> Self {
        WindowEvent::Business { sent_at }
    }

    /// A `call` event: only a customer's connect counts (`inbound::calls::window_event`).
    pub fn call(direction: CallDirection, action: CallAction, at: Instant) -> Self {
        crate::inbound::calls::window_event(direction, action, at)
    }

    /// Every other event (statuses, ignored and unreadable items, group and template updates, history,
    /// preference changes): none of them moves the window.
    pub fn other() -> Self {
        WindowEvent::Other
    }
}

/// Fold events into the conversation facts. Echoes are business messages: they never touch the
/// customer's time, so they never open or extend the window.
pub fn record_events(conversation: &Conversation, events: &[WindowEvent]) -> Conversation {
    let mut c = conversation.clone();
    // Referrals first, so a business answer in the same batch is measured against the entry message.
    for event in events {
        if let WindowEvent::Customer { sent_at, referral: Some(source), .. } = event
            && (c.origin == ConversationOrigin::Organic || c.entry_message_at.is_some_and(|e| *sent_at < e))
        {
            c.origin = if source == "ad" {
                ConversationOrigin::ClickToWhatsappAd
            } else {
                ConversationOrigin::FacebookPageCta
            };
            c.entry_message_at = Some(*sent_at);
        }
    }
    for event in events {
        match *event {
            WindowEvent::Customer { sent_at, clock, .. } => {
                if c.last_customer_message.is_none_or(|m| sent_at > m.sent_at) {
                    c.last_customer_message = Some(CustomerMessageTime { sent_at, clock });
                }
            }
            WindowEvent::Business { sent_at } => {
                c.last_business_message_at = Some(c.last_business_message_at.map_or(sent_at, |t| t.max(sent_at)));
                if c.origin != ConversationOrigin::Organic && c.entry_message_at.is_some_and(|e| sent_at >= e) {
                    c.first_business_reply_at = Some(c.first_business_reply_at.map_or(sent_at, |t| t.min(sent_at)));
                }
            }
            WindowEvent::Other => {}
        }
    }
    c
}

/// Fold a message the business sent itself into the facts (WIT `record-business-message`): the same rule
/// as an echo, so the host never writes `last-business-message-at` or `first-business-reply-at` itself.
pub fn record_business_message(conversation: &Conversation, sent_at: Instant) -> Conversation {
    record_events(conversation, &[WindowEvent::Business { sent_at }])
}

/// Check the window for one conversation at `request.now`.
pub fn check(request: &WindowRequest) -> Result<WindowAnswer, WindowError> {
    let facts = Facts::read(request)?;
    let zone = match &request.time_zone {
        Some(rule) => Zone::from_posix_rule(rule).map_err(WindowError::InvalidTimeZone)?,
        None => Zone::utc(),
    };
    let schedule = match &request.business_hours {
        Some(hours) => Some(hours.schedule().map_err(WindowError::InvalidBusinessHours)?),
        None => None,
    };
    let default_table;
    let table = match &request.pricing {
        Some(table) => {
            pricing::check_table(table).map_err(WindowError::InvalidPricingTable)?;
            table
        }
        None => {
            default_table = pricing::default_table();
            &default_table
        }
    };

    let now = facts.now;
    let opened_at = facts.customer.map(|c| c.sent_at);
    let closes_at = opened_at.map(|t| t + SERVICE_WINDOW);
    let time_left = closes_at.map_or(0, |c| (c - now).max(0));
    let state = match closes_at {
        None => WindowState::NeverOpened,
        Some(_) if time_left == 0 => WindowState::Closed,
        Some(_) if time_left <= facts.warn_before => WindowState::ClosingSoon,
        Some(_) => WindowState::Open,
    };
    let window_open = matches!(state, WindowState::Open | WindowState::ClosingSoon);
    let entry_point = entry_point(&request.conversation, &facts);
    let hours = schedule.map(|s| match closes_at {
        Some(closes_at) if window_open => s.check(&zone, now, closes_at),
        _ => HoursCheck {
            open_now: s.check(&zone, now, now).open_now,
            closes_outside_hours: false,
            last_business_moment: None,
        },
    });
    let period = pricing::period_at(table, now);
    let entry_point_free = matches!(entry_point, EntryPoint::AnswerBy(_) | EntryPoint::FreeUntil(_));

    let answer = WindowAnswer {
        state,
        opened_at,
        clock: facts.customer.map(|c| c.clock),
        closes_at,
        time_left,
        free_form_allowed: window_open,
        templates_allowed: true,
        hint: String::new(),
        clock_skew: facts.skew,
        entry_point,
        hours,
        pricing_period: period.map(|p| p.name.to_string()),
        pricing_details: period.cloned(),
        costs: pricing::cost_lines(period, window_open, entry_point_free),
    };
    let hint = hint(&answer, &facts, &zone);
    Ok(WindowAnswer { hint, ..answer })
}

/// The request's instants, range-checked and clamped to `now`.
struct Facts {
    now: Instant,
    customer: Option<CustomerMessageTime>,
    skew: Option<ClockSkew>,
    last_business: Option<Instant>,
    entry_message: Option<Instant>,
    first_reply: Option<Instant>,
    warn_before: Duration,
}

impl Facts {
    fn read(request: &WindowRequest) -> Result<Self, WindowError> {
        let invalid = WindowError::InvalidRequest;
        let c = &request.conversation;
        let now = check_instant("now", request.now).map_err(invalid)?;
        let optional = |field: &str, value: Option<Instant>| -> Result<Option<Instant>, WindowError> {
            // Instants other than the customer's are clamped silently: only the window's start is reported.
            value.map(|v| check_instant(field, v).map(|v| v.min(now))).transpose().map_err(invalid)
        };
        let (customer, skew) = match c.last_customer_message {
            None => (None, None),
            Some(m) => {
                let sent_at =
                    check_instant("conversation.last-customer-message.sent-at", m.sent_at).map_err(invalid)?;
                let skew = (sent_at > now).then_some(ClockSkew { reported: sent_at, used: now });
                (Some(CustomerMessageTime { sent_at: sent_at.min(now), clock: m.clock }), skew)
            }
        };
        let entry_message = optional("conversation.entry-message-at", c.entry_message_at)?;
        let first_reply = optional("conversation.first-business-reply-at", c.first_business_reply_at)?;
        let last_business = optional("conversation.last-business-message-at", c.last_business_message_at)?;
        let warn_before = request.warn_before.unwrap_or(DEFAULT_WARN_BEFORE);
        if !(0..=SERVICE_WINDOW).contains(&warn_before) {
            return Err(invalid(InvalidInput::new("warn-before", "must be between 0 and 24 hours (86400000 ms)")));
        }
        if c.origin != ConversationOrigin::Organic {
            let Some(entry) = entry_message else {
                return Err(invalid(InvalidInput::new(
                    "conversation.entry-message-at",
                    "required when the origin is an ad or a Page button: the free entry point is counted from it",
                )));
            };
            match customer {
                None => {
                    return Err(invalid(InvalidInput::new(
                        "conversation.last-customer-message",
                        "required when entry-message-at is set: the entry message is a customer message",
                    )));
                }
                Some(m) if m.sent_at < entry => {
                    return Err(invalid(InvalidInput::new(
                        "conversation.last-customer-message.sent-at",
                        "is earlier than entry-message-at; the last customer message cannot precede the first",
                    )));
                }
                Some(_) => {}
            }
            if let Some(reply) = first_reply.filter(|&r| r < entry) {
                return Err(invalid(InvalidInput::new(
                    "conversation.first-business-reply-at",
                    format!(
                        "is {} before entry-message-at; the first answer must follow the entry message",
                        describe_duration(entry - reply)
                    ),
                )));
            }
        }
        Ok(Self { now, customer, skew, last_business, entry_message, first_reply, warn_before })
    }
}

fn entry_point(conversation: &Conversation, facts: &Facts) -> EntryPoint {
    let (ConversationOrigin::ClickToWhatsappAd | ConversationOrigin::FacebookPageCta, Some(entry)) =
        (conversation.origin, facts.entry_message)
    else {
        return EntryPoint::NotApplicable;
    };
    let answer_by = entry + ENTRY_POINT_ANSWER_WITHIN;
    match facts.first_reply {
        Some(reply) if reply < answer_by => {
            let free_until = reply + ENTRY_POINT_FREE_FOR;
            if facts.now < free_until { EntryPoint::FreeUntil(free_until) } else { EntryPoint::Ended(free_until) }
        }
        Some(_) => EntryPoint::Missed(answer_by),
        None if facts.now < answer_by => EntryPoint::AnswerBy(answer_by),
        None => EntryPoint::Missed(answer_by),
    }
}

/// The plain-words sentence(s) for the agent.
fn hint(answer: &WindowAnswer, facts: &Facts, zone: &Zone) -> String {
    let now = facts.now;
    let at = |t: Instant| zone.describe(t, now);
    let mut parts: Vec<String> = Vec::new();
    let outside_hours = answer.hours.filter(|h| h.closes_outside_hours && answer.free_form_allowed);
    match (answer.state, answer.closes_at) {
        (WindowState::NeverOpened, _) | (_, None) => {
            parts.push("The customer has not written yet: only an approved template can start the conversation.".into())
        }
        (WindowState::Closed, Some(closes)) => parts.push(format!(
            "The 24-hour window closed {}. Only an approved template can reach the customer now; \
             a free-form reply would be refused (Meta 131047, Twilio 63016).",
            at(closes)
        )),
        (WindowState::ClosingSoon, Some(closes)) => {
            parts.push(format!(
                "The window closes in {} ({}): reply now, or send an approved template after that.",
                describe_duration(answer.time_left),
                at(closes)
            ));
            if let Some(last) = outside_hours.and_then(|h| h.last_business_moment) {
                parts.push(format!("It closes outside your business hours, which end {}.", at(last)));
            }
        }
        (WindowState::Open, Some(closes)) => parts.push(match outside_hours {
            None => format!("Reply before {} or send an approved template.", at(closes)),
            Some(HoursCheck { last_business_moment: Some(last), .. }) => format!(
                "The window closes {}, outside your business hours: reply by {} or plan an approved template.",
                at(closes),
                at(last)
            ),
            Some(_) => format!(
                "The window closes {} and no business hours remain before then: reply now or plan an approved template.",
                at(closes)
            ),
        }),
    }
    match answer.entry_point {
        EntryPoint::AnswerBy(t) => parts.push(format!(
            "This customer came from an ad or Page button: answer before {} and every message is free for 72 hours.",
            at(t)
        )),
        EntryPoint::FreeUntil(t) => parts.push(format!("Free entry point: every message is free until {}.", at(t))),
        _ => {}
    }
    if let (true, Some(replied), Some(customer)) = (answer.free_form_allowed, facts.last_business, facts.customer)
        && replied >= customer.sent_at
    {
        parts.push(format!(
            "You replied {}; your messages do not extend the window, only the customer's do.",
            at(replied)
        ));
    }
    if answer.clock == Some(ClockSource::HelpdeskReceipt) {
        parts.push(
            "Counted from when the helpdesk received the message: the provider gave no send time, so the real window may end a little earlier."
                .into(),
        );
    }
    if answer.clock_skew.is_some() {
        parts.push("The customer's send time was later than now (clock skew); the window is counted from now.".into());
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests;

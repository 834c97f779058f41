//! The customer service window: free-form replies only while it is open.

use crate::outbound::limits::*;
use crate::outbound::model::*;
use crate::time::Instant;
use crate::window::{self, WindowError, WindowRequest};

/// Whether free-form is allowed now, and when the window closes (none: never opened), read once from the
/// facts the host gave: its own `window.check` answer, or the conversation, checked here. A conversation
/// the window cannot read is the request's typed error, naming the field.
pub(crate) fn window_state(r: &ComposeRequest) -> Result<(bool, Option<Instant>), crate::error::InvalidInput> {
    match &r.window {
        WindowFacts::Checked { free_form_allowed, closes_at } => Ok((*free_form_allowed, *closes_at)),
        WindowFacts::Conversation(c) => {
            let request = WindowRequest {
                conversation: c.clone(),
                now: r.now,
                time_zone: None,
                business_hours: None,
                warn_before: None,
                pricing: None,
            };
            match window::check(&request) {
                Ok(a) => Ok((a.free_form_allowed, a.closes_at)),
                Err(
                    WindowError::InvalidRequest(e)
                    | WindowError::InvalidBusinessHours(e)
                    | WindowError::InvalidPricingTable(e),
                ) => Err(crate::error::InvalidInput::new(format!("window.{}", e.field), e.reason)),
                Err(WindowError::InvalidTimeZone(reason)) => Err(crate::error::InvalidInput::new("window", reason)),
            }
        }
    }
}

/// Free-form replies only inside the customer service window (`state` from `window_state`).
pub(super) fn window_check(r: &ComposeRequest, (open, closes_at): (bool, Option<Instant>), out: &mut Vec<SendProblem>) {
    if r.content.is_template() {
        return;
    }
    if !open {
        let when = match closes_at {
            Some(t) => format!("the 24-hour customer service window closed {}", at(t, r.now)),
            None => "the customer has not written yet, so no customer service window is open".to_string(),
        };
        out.push(
            SendProblem::new(
                ProblemKind::WindowClosed,
                "window",
                format!("{when}: a free-form reply would be refused"),
                "Send an approved template instead; the reply can stay on the ticket marked not delivered",
            )
            .meta(META_OUTSIDE_WINDOW)
            .twilio(TWILIO_OUTSIDE_WINDOW),
        );
    }
}

/// `Sat 19:40 UTC`, with the date when it is more than six days from `now`.
fn at(t: Instant, now: Instant) -> String {
    crate::zone::Zone::utc().describe(t, now)
}

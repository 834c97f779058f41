//! The customer service window: free-form replies only while it is open.

use crate::outbound::limits::*;
use crate::outbound::model::*;
use crate::time::Instant;
use crate::window::{self, WindowRequest};

/// Free-form replies only inside the customer service window.
pub(super) fn window_check(r: &ComposeRequest, out: &mut Vec<Problem>) {
    if r.content.is_template() {
        return;
    }
    let (open, closes_at) = match &r.window {
        WindowFacts::Checked { free_form_allowed, closes_at } => (*free_form_allowed, *closes_at),
        WindowFacts::Conversation(c) => {
            let request = WindowRequest {
                conversation: c.clone(),
                now: r.now,
                time_zone: None,
                business_hours: None,
                warn_before: None,
                pricing: None,
            };
            // A conversation the window cannot read was already refused in `compose`.
            match window::check(&request) {
                Ok(a) => (a.free_form_allowed, a.closes_at),
                Err(_) => (false, None),
            }
        }
    };
    if !open {
        let when = match closes_at {
            Some(t) => format!("the 24-hour customer service window closed {}", at(t, r.now)),
            None => "the customer has not written yet, so no customer service window is open".to_string(),
        };
        out.push(
            Problem::new(
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

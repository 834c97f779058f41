//! `demo`: a short story on a virtual clock, told through the real component. A customer writes on
//! Friday evening; the agent looks on Saturday, when the window closes outside business hours; on
//! Monday it is closed and only a template can go out.

use serde_json::{Value, json};

use crate::error::HostError;
use crate::json::{args, rfc3339_millis};
use crate::plugin::PluginHost;
use crate::render::Display;

const ZONE: &str = "Europe/Berlin";

/// One step of the story: when, what happens, and the plugin's answer.
pub struct Step {
    pub at: &'static str,
    pub narration: &'static str,
    pub answer: Value,
}

/// Business hours of the demo's helpdesk: weekdays 09:00-18:00, a Saturday desk 10:00-14:00.
fn business_hours() -> Value {
    let span = |day: &str, opens: u8, closes: u8| json!({"day": day, "opens": {"hour": opens, "minute": 0}, "closes": {"hour": closes, "minute": 0}});
    let mut weekly: Vec<Value> =
        ["monday", "tuesday", "wednesday", "thursday", "friday"].iter().map(|d| span(d, 9, 18)).collect();
    weekly.push(span("saturday", 10, 14));
    json!({"weekly": weekly, "closed_dates": []})
}

/// Play the story; every answer comes from the component.
pub fn play(plugin: &PluginHost) -> Result<Vec<Step>, HostError> {
    let rule = crate::zones::posix_rule(ZONE).map_err(HostError::BadArguments)?;
    let customer_sent = "2026-11-20T18:00:00+01:00";
    let script: [(&'static str, &'static str); 4] = [
        (
            "2026-11-20T18:02:00+01:00",
            "Friday 18:00: the customer asks where their order is. The office has just closed.",
        ),
        ("2026-11-21T11:00:00+01:00", "Saturday 11:00: an agent on the weekend desk opens the ticket."),
        ("2026-11-21T16:30:00+01:00", "Saturday 16:30: the weekend desk has gone home; the window is about to close."),
        ("2026-11-23T09:00:00+01:00", "Monday 09:00: the team is back. What can still go out?"),
    ];
    script
        .into_iter()
        .map(|(at, narration)| {
            let request = json!({
                "conversation": {
                    "last_customer_message": {"sent_at": rfc3339_millis(customer_sent), "clock": "provider-timestamp"},
                    "origin": "organic",
                },
                "now": rfc3339_millis(at),
                "time_zone": rule,
                "business_hours": business_hours(),
            });
            let result = plugin.call_json("window", "check", &args([("request", request)]))?;
            let answer =
                result.get("ok").cloned().ok_or_else(|| HostError::Trap(format!("unexpected answer {result}")))?;
            Ok(Step { at, narration, answer })
        })
        .collect()
}

/// The story as text for a terminal.
pub fn narrate(steps: &[Step]) -> String {
    let display = Display::new(Some(ZONE));
    let mut out = String::from(
        "WhatsApp channel plugin: the 24-hour customer service window, on a virtual clock (Europe/Berlin).\n\
         Business hours: Mon-Fri 09:00-18:00, Sat 10:00-14:00.\n",
    );
    for step in steps {
        out.push_str(&format!("\n▶ {}\n", step.narration));
        for line in display.window_answer(&step.answer).lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// The story as JSON: `[{"at", "narration", "answer"}]`.
pub fn to_json(steps: &[Step]) -> Value {
    Value::Array(steps.iter().map(|s| json!({"at": s.at, "narration": s.narration, "answer": s.answer})).collect())
}

//! Text lengths against the providers' limits.

use crate::outbound::limits::*;
use crate::outbound::model::*;
use crate::templates::validate::chars;
use crate::types::Provider;

/// A text field's length against a limit; empty counts as a problem when `required`.
#[allow(clippy::too_many_arguments)]
pub(super) fn length(
    field: &str,
    text: &str,
    max: usize,
    what: &str,
    source: &str,
    required: bool,
    out: &mut Vec<SendProblem>,
) -> bool {
    let n = chars(text);
    if required && text.trim().is_empty() {
        out.push(SendProblem::new(
            ProblemKind::Empty,
            field,
            format!("the {what} is empty"),
            format!("Write the {what}"),
        ));
        return false;
    }
    if n > max {
        out.push(
            SendProblem::new(
                ProblemKind::TooLong,
                field,
                format!("the {what} has {n} characters; at most {max} ({source})"),
                format!("Shorten the {what} by {} characters, or split it into several messages", n - max),
            )
            .limit(max as u64, n as u64),
        );
        return false;
    }
    true
}

pub(super) fn text_check(field: &str, text: &str, provider: Provider, out: &mut Vec<SendProblem>) {
    match provider {
        Provider::Twilio => {
            let before = out.len();
            length(field, text, TWILIO_BODY_MAX, "text", "Twilio `Body`", true, out);
            if let Some(p) =
                out.get_mut(before..).and_then(|s| s.first_mut()).filter(|p| p.kind == ProblemKind::TooLong)
            {
                p.prevents_twilio_error = Some(TWILIO_BODY_TOO_LONG);
            }
        }
        // 1msg relays to the Cloud API, so Meta's limit holds there too.
        _ => {
            length(field, text, META_TEXT_MAX, "text", "Meta text body", true, out);
        }
    }
}

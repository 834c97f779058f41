//! The agent's reply, as the provider's HTTP request, checked before it goes out (WIT `outbound`).
//!
//! `compose` reads the request, finds every problem (`checks`) and, when there is none, builds the
//! provider's request (`meta`, `twilio`, `one_msg`). Credentials never pass through: the answer says
//! where the host puts its own. `response` reads the provider's answer to either request.

pub mod checks;
pub mod limits;
pub mod meta;
pub mod model;
pub mod one_msg;
pub mod response;
pub mod twilio;

use serde_json::Value;

use self::model::*;
use crate::error::InvalidInput;
use crate::templates::render;
use crate::time::check_instant;
use crate::types::MessageCategory;
use crate::types::Provider;

/// The provider an account belongs to.
pub fn provider(account: &Account) -> Provider {
    match account {
        Account::Meta { .. } => Provider::MetaCloud,
        Account::Twilio { .. } => Provider::Twilio,
        Account::OneMsg { .. } => Provider::OneMsg,
    }
}

/// E.164 as this project reads it: `+`, then 8 to 15 digits, the first not `0`; nothing else.
pub fn is_e164(value: &str) -> bool {
    let Some(digits) = value.strip_prefix('+') else { return false };
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

fn required(field: &str, value: &str) -> Result<(), InvalidInput> {
    if value.trim().is_empty() { Err(InvalidInput::new(field, "must not be empty")) } else { Ok(()) }
}

/// A token that goes into a URL path must not be able to change it.
fn path_safe(field: &str, value: &str) -> Result<(), InvalidInput> {
    required(field, value)?;
    if value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.') {
        Ok(())
    } else {
        Err(InvalidInput::new(field, "may hold only ASCII letters, digits, `.`, `_` and `-`"))
    }
}

fn check_account(account: &Account) -> Result<(), InvalidInput> {
    match account {
        Account::Meta { phone_number_id, graph_api_version } => {
            path_safe("account.meta-cloud.phone-number-id", phone_number_id)?;
            if let Some(v) = graph_api_version {
                let ok = v.strip_prefix('v').is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !rest.starts_with('.')
                });
                if !ok {
                    return Err(InvalidInput::new(
                        "account.meta-cloud.graph-api-version",
                        "must be `v` and a version number, e.g. `v26.0`",
                    ));
                }
            }
        }
        Account::Twilio { account_sid, sender, status_callback } => {
            let sid_ok = account_sid.len() == 34
                && account_sid.starts_with("AC")
                && account_sid.bytes().skip(2).all(|b| b.is_ascii_hexdigit());
            if !sid_ok {
                return Err(InvalidInput::new(
                    "account.twilio.account-sid",
                    "must be `AC` and 32 hexadecimal characters",
                ));
            }
            match sender {
                TwilioSender::From(from) => {
                    if !is_e164(from.strip_prefix("whatsapp:").unwrap_or(from)) {
                        return Err(InvalidInput::new(
                            "account.twilio.sender.from",
                            "must be `whatsapp:` and an E.164 number (`+` and 8 to 15 digits)",
                        ));
                    }
                }
                TwilioSender::MessagingServiceSid(sid) => {
                    if !(sid.starts_with("MG") && sid.len() == 34 && sid.bytes().skip(2).all(|b| b.is_ascii_hexdigit()))
                    {
                        return Err(InvalidInput::new(
                            "account.twilio.sender.messaging-service-sid",
                            "must be `MG` and 32 hexadecimal characters",
                        ));
                    }
                }
            }
            if let Some(url) =
                status_callback.as_deref().filter(|u| !u.starts_with("https://") && !u.starts_with("http://"))
            {
                return Err(InvalidInput::new(
                    "account.twilio.status-callback",
                    format!("`{url}` is not an http(s) URL"),
                ));
            }
        }
        Account::OneMsg { api_url } => {
            if !api_url.starts_with("https://")
                || api_url.len() <= "https://".len()
                || api_url.contains(['?', '#', ' '])
            {
                return Err(InvalidInput::new(
                    "account.one-msg.api-url",
                    "must be the channel's https:// API URL, without query",
                ));
            }
        }
    }
    Ok(())
}

fn check_recipient(r: &Recipient) -> Result<(), InvalidInput> {
    match r {
        Recipient::Phone(p) if !is_e164(p) => {
            Err(InvalidInput::new("recipient.phone", "must be E.164: `+` and 8 to 15 digits, the first not 0"))
        }
        Recipient::Bsuid(id) => {
            // An ISO country code, a dot, then alphanumerics (and `ENT.` for a parent id).
            let ok = id.split_once('.').is_some_and(|(cc, rest)| {
                cc.len() == 2
                    && cc.bytes().all(|b| b.is_ascii_uppercase())
                    && !rest.is_empty()
                    && rest.len() <= 132
                    && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
            });
            if ok {
                Ok(())
            } else {
                Err(InvalidInput::new(
                    "recipient.bsuid",
                    "must be a country code, a dot and up to 128 letters or digits",
                ))
            }
        }
        Recipient::Group(id) => path_safe_group(id),
        Recipient::Phone(_) => Ok(()),
    }
}

fn path_safe_group(id: &str) -> Result<(), InvalidInput> {
    required("recipient.group", id)?;
    if id.chars().any(char::is_whitespace) {
        return Err(InvalidInput::new("recipient.group", "must not contain spaces"));
    }
    Ok(())
}

fn check_content(c: &Content) -> Result<(), InvalidInput> {
    if let Content::Location(l) = c {
        if !(l.latitude.is_finite() && (-90.0..=90.0).contains(&l.latitude)) {
            return Err(InvalidInput::new("content.location.latitude", "must be between -90 and 90"));
        }
        if !(l.longitude.is_finite() && (-180.0..=180.0).contains(&l.longitude)) {
            return Err(InvalidInput::new("content.location.longitude", "must be between -180 and 180"));
        }
    }
    Ok(())
}

/// The template payload as JSON, its category, and the render problems (for `Content::Template`).
struct TemplatePart {
    payload: Option<Value>,
    category: Option<MessageCategory>,
    problems: Vec<crate::templates::model::TemplateProblem>,
}

fn template_part(content: &Content, provider: Provider) -> Result<TemplatePart, InvalidInput> {
    match content {
        Content::RenderedTemplate(t) => {
            if t.rendered.provider != provider {
                return Err(InvalidInput::new(
                    "content.rendered-template.rendered.provider",
                    "was rendered for another provider than the account's; render it again for this one",
                ));
            }
            let payload: Value = serde_json::from_str(&t.rendered.payload).map_err(|e| {
                InvalidInput::new("content.rendered-template.rendered.payload", format!("not JSON: {e}"))
            })?;
            if !payload.is_object() {
                return Err(InvalidInput::new("content.rendered-template.rendered.payload", "must be a JSON object"));
            }
            Ok(TemplatePart { payload: Some(payload), category: Some(t.category), problems: Vec::new() })
        }
        Content::Template(template, values) => match render::render(template, values, provider) {
            Ok(r) => {
                let payload = serde_json::from_str(&r.payload).ok();
                Ok(TemplatePart { payload, category: Some(template.category), problems: Vec::new() })
            }
            Err(problems) => Ok(TemplatePart { payload: None, category: Some(template.category), problems }),
        },
        _ => Ok(TemplatePart { payload: None, category: None, problems: Vec::new() }),
    }
}

/// Check the reply and build the provider's request, or return every problem.
pub fn compose(r: &ComposeRequest) -> Result<ComposeAnswer, ComposeError> {
    check_instant("now", r.now)?;
    check_account(&r.account)?;
    check_recipient(&r.recipient)?;
    check_content(&r.content)?;
    if let Some(id) = r.reply_to.as_deref() {
        required("reply-to", id)?;
    }
    // The window is read once: a conversation it cannot read is the request's typed error.
    let window = checks::window_state(r)?;
    let provider = provider(&r.account);
    let template = template_part(&r.content, provider)?;
    let mut problems = checks::problems(r, window, provider, template.category);
    if !template.problems.is_empty() {
        problems.push(SendProblem::new(
            ProblemKind::TemplateProblem,
            "content.template",
            format!("the template has {} problem(s), listed in template-problems", template.problems.len()),
            "Fix the values the template-problems name",
        ));
    }
    let mut notes = Vec::new();
    if !problems.is_empty() {
        return Ok(ComposeAnswer { request: None, problems, template_problems: template.problems, notes });
    }
    let request = match &r.account {
        Account::Meta { phone_number_id, graph_api_version } => {
            let body = meta::body(r, template.payload, &mut notes);
            meta::request(phone_number_id, graph_api_version.as_deref(), &body)
        }
        Account::Twilio { account_sid, sender, status_callback } => {
            let fields = twilio::fields(r, sender, status_callback, template.payload.as_ref(), &mut notes);
            twilio::request(account_sid, &fields)
        }
        Account::OneMsg { api_url } => {
            let (method, body) = one_msg::body(r, template.payload.as_ref(), &mut notes);
            one_msg::request(api_url, method, &body)
        }
    };
    Ok(ComposeAnswer { request: Some(request), problems, template_problems: Vec::new(), notes })
}

/// A read receipt and typing indicator, where the provider documents one.
pub fn mark_read(r: &ReadRequest) -> Result<ReadAnswer, ComposeError> {
    check_account(&r.account)?;
    check_recipient(&r.recipient)?;
    required("message-id", &r.message_id)?;
    if matches!(r.recipient, Recipient::Group(_)) {
        return Ok(ReadAnswer::NotAvailable(
            "WhatsApp groups take no read receipts or typing indicators (Meta, Get started with Groups API, May 21, 2026: \"marking as read\" not supported; 130501)"
                .into(),
        ));
    }
    Ok(match &r.account {
        Account::Meta { phone_number_id, graph_api_version } => {
            ReadAnswer::Request(meta::read(phone_number_id, graph_api_version.as_deref(), &r.message_id, r.typing_indicator))
        }
        Account::Twilio { .. } if r.typing_indicator => ReadAnswer::Request(twilio::typing(&r.message_id)),
        Account::Twilio { .. } => ReadAnswer::NotAvailable(
            "Twilio documents no read receipt on its own; its Typing Indicators resource (Public Beta) marks the message read: ask with typing-indicator"
                .into(),
        ),
        Account::OneMsg { api_url } => ReadAnswer::Request(one_msg::read(api_url, &r.message_id, r.typing_indicator)),
    })
}

#[cfg(test)]
mod tests;

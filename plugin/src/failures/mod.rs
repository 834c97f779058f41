//! The failure vocabulary: one table that turns a provider's error code (Meta Cloud API or Twilio)
//! into a normalized reason, whether sending again can help, and what the agent should do next.
//!
//! Status webhooks use it today (`inbound::status::failure`); send responses (issue 14) are to use
//! the same table, so an agent reads the same words whichever way a failure arrives.
//!
//! Every entry cites the page its facts come from and says how firmly they were read ([`Evidence`]).
//! Meta's codes follow "WhatsApp error codes" (updated 2026-06-18), [`META`]; Twilio's follow the
//! error dictionary page of each code. Meta's and Twilio's codes do not overlap (Meta: 1-80007 and
//! 130000-139999; Twilio: 5-digit 2xxxx, 3xxxx, 6xxxx), so one table serves both; a test keeps
//! every code unique. A code that is not in the table gets [`FailureReason::Other`]; Meta's
//! template family (132000-132999) not listed one by one gets [`FailureReason::TemplateProblem`].
//!
//! Hints never ask the agent to have the customer resend something: the customer did nothing wrong.

use crate::inbound::model::{Failure, FailureReason, ProviderError};

/// Meta's error-code page (updated 2026-06-18).
pub const META: &str = "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/";
/// Meta's experiments page (the marketing message experiment, error 130472).
pub(super) const META_EXPERIMENTS: &str =
    "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/experiments";
/// Twilio's table of Twilio codes and the WhatsApp (On-Premises) codes they stand for.
pub(super) const TWILIO_MAPPING: &str = "https://www.twilio.com/docs/whatsapp/tutorial/error-codes";

/// How firmly an entry's facts were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Read on the provider's own page (`source`).
    ProviderPage,
    /// The provider's wording, read in a copy of its page or table made by a third party
    /// (`seen_at`); `source` is the provider's page it copies.
    Copy,
    /// Not confirmed: the title is known but the provider's page for it was not found. The entry is
    /// kept because its reason and hint are conservative (no retry promised); `seen_at` says where
    /// the code was seen.
    Unconfirmed,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The provider's error codes this row covers (each appears in exactly one row).
    pub codes: &'static [u32],
    /// The normalized reason.
    pub reason: FailureReason,
    /// Whether sending the same message again later may succeed.
    pub retryable: bool,
    /// What the agent should do, in plain words (a delay, when documented, is in the text).
    pub hint: &'static str,
    /// The provider's page that documents the code.
    pub source: &'static str,
    /// Where the facts were read: `source` itself, or the copy or page named.
    pub seen_at: &'static str,
    /// How firmly.
    pub evidence: Evidence,
}

use Evidence::*;
use FailureReason as R;

/// Hint shared by Meta 131049 and Twilio 63049 (the same event seen through each API).
pub(super) const MARKETING_HELD_BACK: &str = "WhatsApp held back this marketing message (the customer's marketing limit; since \
     2025-04-01 every marketing template to a US number). Do not resend it soon: for a US customer use another \
     channel; otherwise wait days, not minutes. A service reply or utility template is not affected.";

/// Meta's 130472, as Twilio's 63032 too.
pub(super) const IN_EXPERIMENT: &str = "This customer is in Meta's marketing experiment: no marketing template reaches them unless \
     they have written in the last 24 hours. Do not resend; reach them another way, and send it inside the window once \
     they write.";

/// Every entry: Meta's codes (`meta.rs`) and Twilio's (`twilio.rs`). Order does not matter; codes are
/// unique across both (Meta's and Twilio's never overlap), so one lookup serves both.
pub fn all() -> impl Iterator<Item = &'static Entry> {
    meta::META_TABLE.iter().chain(twilio::TWILIO_TABLE)
}

/// Meta's template error family (132000-132999): a template code not listed above.
static TEMPLATE_FAMILY: Entry = Entry {
    codes: &[],
    reason: R::TemplateProblem,
    retryable: false,
    hint: "WhatsApp rejected the template: check its variables, language and status, then send an approved \
           template.",
    source: META,
    seen_at: META,
    evidence: Unconfirmed,
};

/// Any code not in the table (including 1msg failures, which carry no code).
static UNKNOWN: Entry = Entry {
    codes: &[],
    reason: R::Other,
    retryable: false,
    hint: "The provider refused the message; its error says why: read it before sending again.",
    source: META,
    seen_at: META,
    evidence: Unconfirmed,
};

/// The table row for `code`: its listed entry, the template family for another 132xxx, else the
/// unknown-code entry (reason `other`, not retryable).
pub fn entry(code: u32) -> &'static Entry {
    all().find(|e| e.codes.contains(&code)).unwrap_or(match code {
        132_000..=132_999 => &TEMPLATE_FAMILY,
        _ => &UNKNOWN,
    })
}

/// Classify a provider error (Meta Cloud API or Twilio) for the agent: its reason, whether a later
/// retry may succeed, and a hint. Never fails: an unknown code gets reason `other`.
pub fn failure(error: ProviderError) -> Failure {
    let e = entry(error.code);
    Failure { error, reason: e.reason, retryable: e.retryable, hint: e.hint.to_string() }
}

/// RFC 6585 section 4: 429 Too Many Requests.
const RFC_429: &str = "https://www.rfc-editor.org/rfc/rfc6585#section-4";
/// RFC 9110 section 15.6: 5xx, the server failed to fulfil a valid request.
const RFC_5XX: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6";
/// RFC 9110 sections 15.5.2 and 15.5.4: 401 Unauthorized, 403 Forbidden.
const RFC_AUTH: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2";

/// The HTTP statuses a send answer can carry without a provider code (a 429 or 5xx with no readable
/// body, or 1msg, which gives no code): the status decides, and stands in as `error.code`. Kept apart
/// from [`TABLE`] because a status is not a provider code.
static HTTP: &[(u16, u16, Entry)] = &[
    (
        429,
        429,
        Entry {
            codes: &[],
            reason: R::RateLimited,
            retryable: true,
            hint: "The provider is limiting the helpdesk's requests: wait a little, then send again.",
            source: RFC_429,
            seen_at: RFC_429,
            evidence: ProviderPage,
        },
    ),
    (
        500,
        599,
        Entry {
            codes: &[],
            reason: R::ProviderUnavailable,
            retryable: true,
            hint: "The provider failed on its side: send again in a few minutes; if it keeps failing, tell an \
                   administrator.",
            source: RFC_5XX,
            seen_at: RFC_5XX,
            evidence: ProviderPage,
        },
    ),
    (
        401,
        403,
        Entry {
            codes: &[],
            reason: R::AccountProblem,
            retryable: false,
            hint: "The provider refused the helpdesk's credentials or permissions: an administrator must fix the \
                   connection before anything can be sent.",
            source: RFC_AUTH,
            seen_at: RFC_AUTH,
            evidence: ProviderPage,
        },
    ),
];

/// Classify a send answer that carries no provider code by its HTTP `status`: 429 rate-limited and
/// 5xx provider-unavailable (both retryable), 401-403 account-problem, anything else as an unknown
/// code (reason `other`, not retryable). `error.code` is the status.
pub fn http_failure(status: u16, title: String, detail: Option<String>) -> Failure {
    let e = HTTP.iter().find(|(lo, hi, _)| (*lo..=*hi).contains(&status)).map_or(&UNKNOWN, |(_, _, e)| e);
    let error = ProviderError { code: u32::from(status), title, detail };
    Failure { error, reason: e.reason, retryable: e.retryable, hint: e.hint.to_string() }
}

mod meta;
mod twilio;

#[cfg(test)]
mod tests;

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
const META_EXPERIMENTS: &str =
    "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/experiments";
/// Twilio's table of Twilio codes and the WhatsApp (On-Premises) codes they stand for.
const TWILIO_MAPPING: &str = "https://www.twilio.com/docs/whatsapp/tutorial/error-codes";

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
const MARKETING_HELD_BACK: &str = "WhatsApp held back this marketing message (the customer's marketing limit; since \
     2025-04-01 every marketing template to a US number). Do not resend it soon: for a US customer use another \
     channel; otherwise wait days, not minutes. A service reply or utility template is not affected.";

/// Meta's 130472, as Twilio's 63032 too.
const IN_EXPERIMENT: &str = "This customer is in Meta's marketing experiment: no marketing template reaches them unless \
     they have written in the last 24 hours. Do not resend; reach them another way, and send it inside the window once \
     they write.";

/// The table. Order does not matter; codes are unique across it.
pub static TABLE: &[Entry] = &[
    // ---- Meta: delivery to the customer ----
    Entry {
        // "Re-engagement message": more than 24 hours since the customer last replied.
        codes: &[131047],
        reason: R::OutsideWindow,
        retryable: false,
        hint: "The 24-hour window is closed: send an approved template instead of a free-form reply; free-form \
               replies work again once the customer writes.",
        source: META,
        seen_at: "https://documentation.indigitall.com/docs/whatsapp-error-codes-guide-meta",
        evidence: Copy,
    },
    Entry {
        // "Message undeliverable": not a WhatsApp number, latest terms not accepted, or an old app version
        // (Meta's `details` text, also in fixture meta-cloud/35).
        codes: &[131026],
        reason: R::Undeliverable,
        retryable: false,
        hint: "WhatsApp cannot deliver to this number (not on WhatsApp, terms not accepted, or an old app): \
               check the number, or reach the customer on another channel.",
        source: META,
        seen_at: "https://help.chakrahq.com/chat/faqs/whatsapp-api-error-code-troubleshooting/whatsapp-api-message-delivery-errors",
        evidence: Copy,
    },
    Entry {
        // "This message was not delivered to maintain healthy ecosystem engagement": per-user marketing
        // limit; since 2025-04-01 also every marketing template to a US number. Retrying soon fails again.
        codes: &[131049],
        reason: R::MarketingLimit,
        retryable: false,
        hint: MARKETING_HELD_BACK,
        source: META,
        seen_at: "https://convrs.io/docs/whatsapp-business-platform/common-whatsapp-errors",
        evidence: Copy,
    },
    Entry {
        // "User has stopped marketing messages": the recipient chose to stop marketing from this business;
        // the `user_preferences` webhook announces stop and resume.
        codes: &[131050],
        reason: R::MarketingOptedOut,
        retryable: false,
        hint: "The customer turned off marketing messages from this business: do not resend it and stop sending \
               them marketing. Service replies and utility templates still reach them; Meta's user_preferences \
               webhook says if they turn marketing back on.",
        source: META,
        seen_at: "https://dualhook.com/docs/whatsapp-error-131050",
        evidence: Copy,
    },
    Entry {
        // "(Business Account, Consumer Account) pair rate limit hit": too many messages to the same
        // recipient in a short time; "wait and retry", other recipients are unaffected.
        codes: &[131056],
        reason: R::RateLimited,
        retryable: true,
        hint: "Too many messages to this customer in a short time: wait a little before sending to them again, \
               and combine short messages into one. Other customers are not affected.",
        source: META,
        seen_at: "https://docs.whatstool.business/meta-guide/q-and-a-best-practices/5.-what-are-the-types-of-error-code-for-failed-message",
        evidence: Copy,
    },
    Entry {
        // Marketing message experiment: a small share of users get no marketing template unless a
        // customer service or free entry point window is open; resending gives the same error.
        codes: &[130472],
        reason: R::Experiment,
        retryable: false,
        hint: IN_EXPERIMENT,
        source: META_EXPERIMENTS,
        seen_at: "https://whatsapp-docs.kap.so/documentation/whatsapp/support/experiments",
        evidence: Copy,
    },
    Entry {
        // Groups: calling, interactive, commerce, authentication templates, edits, deletes and
        // mark-as-read are not supported in groups (project notes, DOMAIN.md "Groups").
        codes: &[130501],
        reason: R::UnsupportedInGroup,
        retryable: false,
        hint: "This kind of message cannot be sent to a WhatsApp group: send plain text or media to the group \
               instead, or write to the participant one-to-one.",
        source: META,
        seen_at: "https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/",
        evidence: Unconfirmed,
    },
    Entry {
        // "Recipient cannot be sender".
        codes: &[131021],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "The message was addressed to the business's own number: send it to the customer's number.",
        source: META,
        seen_at: "https://wappbiz.com/blogs/whatsapp-errors",
        evidence: Copy,
    },
    // ---- Meta: what was sent ----
    Entry {
        // "Unsupported message type".
        codes: &[131051],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "WhatsApp does not support this type of message: send the content as text, an image or a document.",
        source: META,
        seen_at: "https://documentation.indigitall.com/docs/whatsapp-error-codes-guide-meta",
        evidence: Copy,
    },
    Entry {
        // "Media download error": the media the customer sent could not be downloaded.
        codes: &[131052],
        reason: R::MediaProblem,
        retryable: false,
        hint: "The file the customer sent could not be downloaded from WhatsApp: answer from the rest of the \
               conversation and mention that the attachment did not come through.",
        source: META,
        seen_at: "https://aisoule.com/help/integrations/error-codes",
        evidence: Copy,
    },
    Entry {
        // "Media upload error": unsupported type or the file could not be processed (`details` says which).
        codes: &[131053],
        reason: R::MediaProblem,
        retryable: false,
        hint: "The file could not be sent (unsupported type, too large, or not reachable): send a supported file \
               within the size limits, or a link.",
        source: META,
        seen_at: "https://docs.rapidbott.com/help-center/common-error-log-database/common-errors/whatsapp-channel-common-errors",
        evidence: Copy,
    },
    Entry {
        // "Required parameter is missing", e.g. "Button at index 0 of type Url requires a parameter".
        codes: &[131008],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "A required value was missing (e.g. a URL button's variable): fill every template variable and \
               button value, then send again.",
        source: META,
        seen_at: "https://help.hello-charles.com/en/articles/304905-understanding-whatsapp-error-codes",
        evidence: Copy,
    },
    Entry {
        // "Parameter value is not valid".
        codes: &[131009],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "A value in the message is not valid (e.g. a variable, number or link in the wrong form): correct \
               it, then send again.",
        source: META,
        seen_at: "https://help.hello-charles.com/en/articles/304905-understanding-whatsapp-error-codes",
        evidence: Copy,
    },
    Entry {
        // "(#100) Invalid parameter" (type OAuthException, HTTP 400): a send whose parameters Meta refuses;
        // `error_data.details` says which. Seen on Meta's MM Lite API support page, which repeats the
        // Cloud API error envelope and codes.
        codes: &[100],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "WhatsApp refused a value in the request (its details say which): correct it, then send again.",
        // Not read on the error-code page itself: on Meta's MM Lite page that repeats its envelope.
        source: META,
        seen_at: "https://developers.secure.facebook.com/docs/whatsapp/marketing-messages-lite-api/support",
        evidence: Copy,
    },
    // ---- Meta: templates (also caught before sending by `templates::validate`) ----
    Entry {
        // "Template Param Count Mismatch".
        codes: &[132000],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "The template got a different number of variables than it defines: fill exactly its variables, \
               then send it again.",
        source: META,
        seen_at: "/work/shared/DOMAIN.md (132000 parameter count); fixture meta-cloud/34",
        evidence: Unconfirmed,
    },
    Entry {
        // "Template does not exist" in that language, or not approved.
        codes: &[132001],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "This template does not exist in that language or is not approved: choose an approved template \
               available in the customer's language.",
        source: META,
        seen_at: "https://help.sanoflow.io/meta-messages-error-codes",
        evidence: Copy,
    },
    Entry {
        // "Template Hydrated Text Too Long".
        codes: &[132005],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "The template's text with its variables filled in is too long: shorten the variable values, then \
               send it again.",
        source: META,
        seen_at: "/work/shared/DOMAIN.md (132005 text too long)",
        evidence: Unconfirmed,
    },
    Entry {
        // "Template Parameter Format Mismatch".
        codes: &[132012],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "A variable is not in the format the template expects: correct its value, then send it again.",
        source: META,
        seen_at: "/work/shared/DOMAIN.md (132012 parameter format)",
        evidence: Unconfirmed,
    },
    Entry {
        // "Template is Paused" (low quality).
        codes: &[132015],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "This template is paused for low quality: use another approved template; an administrator can \
               edit this one.",
        source: META,
        seen_at: "/work/shared/DOMAIN.md (132015 paused)",
        evidence: Unconfirmed,
    },
    Entry {
        // "Template is Disabled".
        codes: &[132016],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "This template is disabled and cannot be sent: use another approved template.",
        source: META,
        seen_at: "/work/shared/DOMAIN.md (132016 disabled)",
        evidence: Unconfirmed,
    },
    // ---- Meta: limits on the business number ----
    Entry {
        // "Rate limit hit": Cloud API message throughput reached; try again later.
        codes: &[130429],
        reason: R::RateLimited,
        retryable: true,
        hint: "The business number is sending faster than WhatsApp allows: wait a moment, then send again.",
        source: META,
        seen_at: "https://niswey.com/knowledge-base/error-codes-meta",
        evidence: Copy,
    },
    Entry {
        // "Spam rate limit hit": restrictions on this number because earlier messages were blocked or
        // flagged as spam; check the quality status in WhatsApp Manager.
        codes: &[131048],
        reason: R::RateLimited,
        retryable: false,
        hint: "WhatsApp is limiting this business number because earlier messages were blocked or reported as \
               spam: do not resend now; ask an administrator to check the number's quality in WhatsApp Manager.",
        source: META,
        seen_at: "https://niswey.com/knowledge-base/error-codes-meta",
        evidence: Copy,
    },
    Entry {
        // "API Too Many Calls": the app's call rate limit.
        codes: &[4],
        reason: R::RateLimited,
        retryable: true,
        hint: "The helpdesk made too many calls to WhatsApp: wait a few minutes, then send again.",
        source: META,
        seen_at: "https://wappbiz.com/blogs/whatsapp-errors",
        evidence: Copy,
    },
    Entry {
        // "Rate limit issues": the WhatsApp Business Account reached its rate limit.
        codes: &[80007],
        reason: R::RateLimited,
        retryable: true,
        hint: "The WhatsApp Business Account reached its rate limit: wait, then send again.",
        source: META,
        seen_at: "https://docs.whatstool.business/meta-guide/q-and-a-best-practices/5.-what-are-the-types-of-error-code-for-failed-message",
        evidence: Copy,
    },
    // ---- Meta: the account ----
    Entry {
        // "Business eligibility payment issue".
        codes: &[131042],
        reason: R::Payment,
        retryable: false,
        hint: "The WhatsApp account's payment method needs attention: ask an administrator to fix billing; \
               nothing can be sent until then.",
        source: META,
        seen_at: "https://www.achieveapex.com/docs/error-codes/whatsapp/131042",
        evidence: Copy,
    },
    Entry {
        // "Account has been locked": policy violation or data that could not be verified (e.g. 2-step PIN).
        codes: &[131031],
        reason: R::AccountProblem,
        retryable: false,
        hint: "The WhatsApp Business Account is locked: tell an administrator; nothing can be sent until Meta \
               unlocks it.",
        source: META,
        seen_at: "https://wolkvox.helpjuice.com/en_US/como-funciona-el-webhook-de-whatsapp",
        evidence: Copy,
    },
    Entry {
        // "Temporarily blocked for policies violations".
        codes: &[368],
        reason: R::AccountProblem,
        retryable: false,
        hint: "The WhatsApp Business Account is blocked for a policy violation: tell an administrator; see \
               Meta's policy enforcement page.",
        source: META,
        seen_at: "https://niswey.com/knowledge-base/error-codes-meta",
        evidence: Copy,
    },
    Entry {
        // "Access token has expired".
        codes: &[190],
        reason: R::AccountProblem,
        retryable: false,
        hint: "The WhatsApp connection's access token expired: an administrator must reconnect the account, then \
               the message can be sent again.",
        source: META,
        seen_at: "https://help.botbee.io/knowledge-base/article/error-codes-reference",
        evidence: Copy,
    },
    Entry {
        // "Access denied": permission not granted or removed. Title known, Meta's row not read.
        codes: &[131005],
        reason: R::AccountProblem,
        retryable: false,
        hint: "WhatsApp refused the helpdesk's permission to send: tell an administrator to check the \
               connection's permissions.",
        source: META,
        seen_at: "not found in the corpus; title from memory of Meta's table",
        evidence: Unconfirmed,
    },
    // ---- Meta: WhatsApp itself ----
    Entry {
        // "Service unavailable": a service is temporarily unavailable.
        codes: &[131016],
        reason: R::ProviderUnavailable,
        retryable: true,
        hint: "WhatsApp is temporarily unavailable: send again in a few minutes.",
        source: META,
        seen_at: "https://learn.doubletick.io/troubleshoot-errors/whatsapp-api-error-131016-503-service-unavailable",
        evidence: Copy,
    },
    Entry {
        // "API Service": temporary, downtime or overload.
        codes: &[2],
        reason: R::ProviderUnavailable,
        retryable: true,
        hint: "WhatsApp is down or overloaded: send again in a few minutes.",
        source: META,
        seen_at: "https://niswey.com/knowledge-base/error-codes-meta",
        evidence: Copy,
    },
    Entry {
        // "API Unknown": invalid request or possible server error.
        codes: &[1],
        reason: R::ProviderUnavailable,
        retryable: true,
        hint: "WhatsApp gave an unknown error (possibly on its side): send again in a few minutes; if it keeps \
               failing, tell an administrator.",
        source: META,
        seen_at: "https://niswey.com/knowledge-base/error-codes-meta",
        evidence: Copy,
    },
    Entry {
        // "Something went wrong": unknown error. Title seen in copies, Meta's row not read.
        codes: &[131000],
        reason: R::ProviderUnavailable,
        retryable: true,
        hint: "WhatsApp failed with an unknown error: send again in a few minutes; if it keeps failing, tell an \
               administrator.",
        source: META,
        seen_at: "https://wappbiz.com/blogs/whatsapp-errors",
        evidence: Unconfirmed,
    },
    // ---- Twilio ----
    Entry {
        // Outside the window; since 2025-04-01 also a template sent as `Body` instead of `ContentSid`.
        codes: &[63016],
        reason: R::OutsideWindow,
        retryable: false,
        hint: "The 24-hour window is closed: send an approved template (by its Content SID, not as plain text) \
               instead of a free-form reply.",
        source: "https://www.twilio.com/docs/api/errors/63016",
        seen_at: "https://www.twilio.com/docs/api/errors/63016",
        evidence: ProviderPage,
    },
    Entry {
        // "Meta chose not to deliver this WhatsApp marketing message": US recipients since 2025-04-01
        // (do not retry), elsewhere a temporary limit (retry later with growing delays).
        codes: &[63049],
        reason: R::MarketingLimit,
        retryable: false,
        hint: MARKETING_HELD_BACK,
        source: "https://www.twilio.com/docs/api/errors/63049",
        seen_at: "https://www.twilio.com/docs/api/errors/63049",
        evidence: ProviderPage,
    },
    Entry {
        // "WhatsApp Terms of Service for Marketing Messages API not accepted" for the business portfolio.
        codes: &[63062],
        reason: R::AccountProblem,
        retryable: false,
        hint: "Marketing messages cannot be sent until an administrator accepts the Marketing Messages API terms \
               in WhatsApp Manager (Overview > Alerts); service replies are not affected.",
        source: "https://www.twilio.com/docs/api/errors/63062",
        seen_at: "https://www.twilio.com/docs/whatsapp/best-practices-and-faqs",
        evidence: ProviderPage,
    },
    Entry {
        // "Rate limit exceeded for Channel": account rate or WhatsApp's messaging limit; the latter
        // frees up 24 hours after business-initiated conversations started.
        codes: &[63018],
        reason: R::RateLimited,
        retryable: true,
        hint: "The WhatsApp sender hit a sending limit: send again later (WhatsApp's messaging limit frees up 24 \
               hours after the conversations that used it started).",
        source: "https://www.twilio.com/docs/api/errors/63018",
        seen_at: "https://www.twilio.com/docs/api/errors/63018",
        evidence: ProviderPage,
    },
    Entry {
        // Invalid message recipient (WhatsApp 1026 / 1002 in Twilio's mapping; fixture twilio/22).
        codes: &[63024],
        reason: R::Undeliverable,
        retryable: false,
        hint: "This number cannot receive WhatsApp messages: check the number, or reach the customer on another \
               channel.",
        source: "https://www.twilio.com/docs/api/errors/63024",
        seen_at: TWILIO_MAPPING,
        evidence: ProviderPage,
    },
    Entry {
        // Twilio maps WhatsApp 472 ("user's number is part of an experiment") to 63032.
        codes: &[63032],
        reason: R::Experiment,
        retryable: false,
        hint: IN_EXPERIMENT,
        source: "https://www.twilio.com/docs/api/errors/63032",
        seen_at: TWILIO_MAPPING,
        evidence: ProviderPage,
    },
    Entry {
        // Channel could not find the To address; Twilio maps WhatsApp 1006, 1013 and 1021 to it.
        // Twilio's page for 63003 was not found.
        codes: &[63003],
        reason: R::Undeliverable,
        retryable: false,
        hint: "WhatsApp could not find this recipient: check the number, or reach the customer on another channel.",
        source: "https://www.twilio.com/docs/api/errors/63003",
        seen_at: TWILIO_MAPPING,
        evidence: Unconfirmed,
    },
    Entry {
        // Unsupported parameter for this type of channel message; Twilio maps WhatsApp 1010 to it.
        // Twilio's page for 63030 was not found.
        codes: &[63030],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "The message used a value WhatsApp does not accept for this kind of message: correct it, then send \
               again.",
        source: "https://www.twilio.com/docs/api/errors/63030",
        seen_at: TWILIO_MAPPING,
        evidence: Unconfirmed,
    },
    Entry {
        // The recipient replied STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) to this sender; START
        // or YES opts back in (Twilio support article 223133627, as copied).
        codes: &[21610],
        reason: R::OptedOut,
        retryable: false,
        hint: "The customer unsubscribed from this sender (they replied STOP): do not message them from it; they \
               can opt back in by sending START.",
        source: "https://www.twilio.com/docs/api/errors/21610",
        seen_at: "https://gohighlevelassist.freshdesk.com/support/solutions/articles/48001186075",
        evidence: Copy,
    },
    Entry {
        // "Invalid 'To' Phone Number" (a general number-validation code, Twilio changelog 2024-07-10).
        codes: &[21211],
        reason: R::InvalidRequest,
        retryable: false,
        hint: "The customer's number is not a valid phone number: correct it before sending.",
        source: "https://www.twilio.com/docs/api/errors/21211",
        seen_at: "https://www.twilio.com/en-us/changelog/updates-to-the-error-code-dictionary-to-clarify-number-validatio",
        evidence: Unconfirmed,
    },
    Entry {
        // "Unreachable destination handset": the phone is off or out of coverage.
        codes: &[30003],
        reason: R::Undeliverable,
        retryable: true,
        hint: "The customer's phone is unreachable (off or out of coverage): send again later, or use another \
               channel.",
        source: "https://www.twilio.com/docs/api/errors/30003",
        seen_at: "https://waytohealth.atlassian.net/wiki/spaces/WTHST/pages/140804097/Twilio+Message+Failure+Incidents",
        evidence: Copy,
    },
    Entry {
        // "Unknown destination handset": unknown, inactive or no longer in service.
        codes: &[30005],
        reason: R::Undeliverable,
        retryable: false,
        hint: "The customer's number is unknown or no longer in service: check it, or use another channel.",
        source: "https://www.twilio.com/docs/api/errors/30005",
        seen_at: "https://waytohealth.atlassian.net/wiki/spaces/WTHST/pages/140804097/Twilio+Message+Failure+Incidents",
        evidence: Copy,
    },
    Entry {
        // "Landline or unreachable carrier".
        codes: &[30006],
        reason: R::Undeliverable,
        retryable: false,
        hint: "The number is a landline or its carrier cannot be reached: use another channel or another number \
               for the customer.",
        source: "https://www.twilio.com/docs/api/errors/30006",
        seen_at: "https://waytohealth.atlassian.net/wiki/spaces/WTHST/pages/140804097/Twilio+Message+Failure+Incidents",
        evidence: Copy,
    },
    Entry {
        // "Message filtered": blocked by Twilio or the carrier as spam, fraud or abuse.
        codes: &[30007],
        reason: R::Other,
        retryable: false,
        hint: "The message was filtered as possible spam: do not resend it as is; ask an administrator to review \
               its wording.",
        source: "https://www.twilio.com/docs/api/errors/30007",
        seen_at: "https://waytohealth.atlassian.net/wiki/spaces/WTHST/pages/140804097/Twilio+Message+Failure+Incidents",
        evidence: Copy,
    },
    Entry {
        // "Too many requests": the account exceeded the REST API's concurrency (HTTP 429); the request was
        // not processed and is safe to retry after backing off. Seen in send responses, not in callbacks.
        codes: &[20429],
        reason: R::RateLimited,
        retryable: true,
        hint: "The helpdesk is calling Twilio faster than the account allows: wait a little, then send again.",
        // Read on Twilio's static mirror of the page (static1.twilio.com), same text.
        source: "https://www.twilio.com/docs/api/errors/20429",
        seen_at: "https://www.twilio.com/docs/api/errors/20429",
        evidence: ProviderPage,
    },
];

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
    TABLE.iter().find(|e| e.codes.contains(&code)).unwrap_or(match code {
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

#[cfg(test)]
mod tests;

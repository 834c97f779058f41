//! Meta's WhatsApp Cloud API error codes: what each means for the agent, whether a retry helps, and the
//! page it was read on (`source`, `seen_at`, `evidence`).

use super::Evidence::*;
use super::{Entry, IN_EXPERIMENT, MARKETING_HELD_BACK, META, META_EXPERIMENTS};
use crate::inbound::model::FailureReason as R;

/// Meta's codes, by what they concern.
pub(super) static META_TABLE: &[Entry] = &[
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
];

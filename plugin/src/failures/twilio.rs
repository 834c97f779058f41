//! Twilio's error codes for WhatsApp: what each means for the agent, whether a retry helps, and the page
//! it was read on (`source`, `seen_at`, `evidence`).

use super::Evidence::*;
use super::{Entry, IN_EXPERIMENT, MARKETING_HELD_BACK, TWILIO_MAPPING};
use crate::inbound::model::FailureReason as R;

/// Twilio's codes.
pub(super) static TWILIO_TABLE: &[Entry] = &[
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
        // "The ContentSid is Invalid": a typo, a template deleted since the helpdesk fetched its list, or
        // another account's SID. Answered at once by the Messages API.
        codes: &[21655],
        reason: R::TemplateProblem,
        retryable: false,
        hint: "Twilio no longer knows this template (deleted, or another account's Content SID): import the \
               templates from Twilio again and send one that is listed.",
        source: "https://www.twilio.com/docs/api/errors/21655",
        seen_at: "https://www.twilio.com/docs/api/errors/21655",
        evidence: ProviderPage,
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

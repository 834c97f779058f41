//! The built-in pricing table: Meta's free/billable rules by date, each period with the pages it
//! comes from. Rates per market change more often (e.g. 2025-10-01, 2026-01-01) but never turn a
//! free message billable or back, so they have no period here (Wati, Message-based pricing,
//! https://support.wati.io/en/articles/11561662-message-based-pricing-all-you-need-to-know).
//! Before 2024-11-01 the table has nothing: the charge there is `unknown`.

use std::borrow::Cow;

use super::{CategoryPricing, Charge, Confirmation, MessageCategory, PricingPeriod};
use crate::time::Instant;

/// 2024-11-01T00:00:00Z: service conversations free for every business (conversation-based pricing).
pub const SERVICE_FREE_FROM: Instant = 1_730_419_200_000;
/// 2025-04-01T00:00:00Z: marketing templates to US phone numbers no longer delivered.
pub const US_MARKETING_PAUSED_FROM: Instant = 1_743_465_600_000;
/// 2025-07-01T00:00:00Z: Meta's per-message pricing starts.
pub const PER_MESSAGE_PRICING_FROM: Instant = 1_751_328_000_000;
/// 2025-10-22T00:00:00Z: the date of Meta's Groups API Pricing page, the earliest source for group
/// categories found (the launch date itself is not confirmed).
pub const GROUP_PRICING_PAGE_FROM: Instant = 1_761_091_200_000;
/// 2026-10-01T00:00:00Z: the change reported by solution providers (not found on Meta's own page).
pub const REPORTED_2026_CHANGE_FROM: Instant = 1_790_812_800_000;

// The pages, as the host sees them: `Publisher, Title (date shown on the page): URL`.
const META_UPDATES: &str = "Meta, Pricing updates on the WhatsApp Business Platform (revised for the changes of July 1, 2025): https://developers.facebook.com/docs/whatsapp/pricing/updates-to-pricing";
const META_CONVERSATION_PRICING: &str = "Meta, Conversation-based pricing (Deprecated) (Updated: May 21, 2026): https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing/conversation-based-pricing";
const META_PRICING: &str =
    "Meta, Pricing: https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing";
const YCLOUD_PER_MESSAGE: &str =
    "YCloud, WhatsApp message pricing updates: https://docs.ycloud.com/reference/whatsapp-message-pricing-updates";
// One entry for the three pages behind the US marketing note (fewer strings cross the boundary).
const US_MARKETING_PAGES: &str = "Meta, Send message templates, Per-user marketing template message limits: https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates#per-user-marketing-template-message-limits (as linked by AWS End User Messaging, WhatsApp message templates: https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-features-whatsapp-templates.html); YCloud, MM Lite API: https://docs.ycloud.com/zh/documentation/integrations/mm-lite-api";
const META_GROUPS_PRICING: &str = "Meta, Groups API Pricing (Updated: Oct 22, 2025): https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/pricing";
const YCLOUD_2026_BLOG: &str = "YCloud, WhatsApp service messages and 24-hour window pricing (July 2, 2026): https://www.ycloud.com/blog/whatsapp-service-messages-24-hour-window-pricing";
const CHAKRAHQ_2026: &str = "ChakraHQ, WhatsApp API pricing update: service messages, October 2026: https://chakrahq.com/article/whatsapp-api-pricing-update-service-messages-october-2026/";
const CHARLES_2026: &str = "hello-charles, WhatsApp service message pricing: what changes in 2026: https://www.hello-charles.com/blog/whatsapp-service-message-pricing-what-changes-in-2026";
const YCLOUD_2025_CHANGELOG: &str = "YCloud, 2025 WhatsApp pricing migration (changelog): https://docs.ycloud.com/zh/api-reference/getting-started/changelog/whatsapp-pricing-2025.md";
const META_SERVICE_MESSAGES: &str = "Meta, Service messages (Updated: May 21, 2026): https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages";

// The rules free/billable cannot express, each naming its source.
const PER_CONVERSATION: &str = "Charged per 24-hour conversation, not per message: a template opens a conversation of its category unless one of that category is open already, and a free-form reply opens a (free) service conversation only when none is open (Meta, Conversation-based pricing).";
const CONVERSATION_ENTRY_POINT: &str = "Free entry point: a customer who writes from a click-to-WhatsApp ad or a Facebook Page button and is answered within 24 hours gets a 72-hour free entry point conversation from the answer's delivery; every message in it is free, but free-form replies still need the customer service window (Meta, Conversation-based pricing).";
const PHASE_1: &str = "An earlier version of Meta's pricing-updates page moved a 'Phase 1' group of businesses (told by email on 2024-10-10) to per-message pricing on 2025-04-01; the later version gives 2025-07-01 for every business, which this table follows (Meta, Pricing updates on the WhatsApp Business Platform).";
const US_MARKETING: &str = "Marketing templates to customers with a US phone number (+1 and a US area code) are not delivered since 2025-04-01: they fail with error 131049 and, undelivered, are not charged (Meta, Per-user marketing template message limits, as linked by AWS End User Messaging; YCloud, MM Lite API).";
const PER_MESSAGE: &str = "Charged per delivered message: every marketing and authentication template, and a utility template sent outside the customer service window; free-form replies and utility templates inside it are free (Meta, Pricing updates on the WhatsApp Business Platform).";
const MESSAGE_ENTRY_POINT: &str = "Free entry point: answering within 24 hours a customer who wrote from a click-to-WhatsApp ad or a Facebook Page button opens 72 hours in which templates are free; free-form replies still need the customer service window, which is independent of it (YCloud, WhatsApp message pricing updates; Meta, Pricing).";
const WABA_MIDNIGHT: &str = "Meta switched at midnight in each WhatsApp Business Account's time zone; the table switches at midnight UTC (YCloud, WhatsApp message pricing updates).";
const GROUP_PER_PARTICIPANT: &str = "A group message is charged once per participant it is delivered to, at that participant's country rate; a message from any participant opens or refreshes one customer service window for the whole group (Meta, Groups API Pricing, Oct 22, 2025).";
const GROUP_MARKETING_UNCLEAR: &str = "A marketing template inside an open group window is left unknown: Meta's Groups API Pricing page says in its text that utility and marketing templates are free there, but its pricing types count only utility templates and free-form messages as free (free_group_customer_service).";
const GROUP_START: &str = "Group categories are priced from 2025-10-22, the date of Meta's Groups API Pricing page, the earliest source found; when Meta began billing them is not confirmed.";
const REPORTED_CHANGE: &str = "Reported, not confirmed on Meta's own page: from 2026-10-01 free-form replies (service) and utility templates inside the customer service window are charged per message, service at the utility rate of the customer's market (YCloud blog, July 2, 2026; ChakraHQ; hello-charles; YCloud changelog).";
const REPORTED_ENTRY_POINT: &str =
    "Reported: the 72-hour free entry point after a click-to-WhatsApp ad stays free (hello-charles).";
const META_SERVICE_PAGE: &str = "Meta's Service messages page (May 21, 2026) says service messages are billed under the SERVICE pricing category and no longer calls them free, but gives no date.";
const REPORTED_GROUPS: &str = "The reports speak of one-to-one conversations; none says whether group-service and in-window group-utility messages are charged from 2026-10-01, so the table leaves them unknown.";

fn strings(items: &[&'static str]) -> Vec<Cow<'static, str>> {
    items.iter().map(|&s| Cow::Borrowed(s)).collect()
}

/// The built-in table, oldest period first. Every period names its pages; the 2026-10-01 one is
/// `Reported`.
pub fn default_table() -> Vec<PricingPeriod> {
    use Charge::*;
    use MessageCategory::*;
    let line = |category, inside_window, outside_window| CategoryPricing { category, inside_window, outside_window };
    // Conversation-based pricing, service free (Meta, Conversation-based pricing: "As of November 1,
    // 2024, you can open an unlimited number of service conversations at no charge"). A template
    // opens a billable conversation of its category inside the window too. Free-form replies cannot
    // go out once the window is closed, hence `Unknown` there. The Groups API was an alpha then
    // (Meta, Pricing updates): no group lines.
    let conversation_based = || {
        vec![
            line(Service, Free, Unknown),
            line(Marketing, Billable, Billable),
            line(Utility, Billable, Billable),
            line(Authentication, Billable, Billable),
            line(AuthenticationInternational, Billable, Billable),
        ]
    };
    // Per-message pricing (Meta, Pricing updates): utility templates inside the window are free.
    let per_message = || {
        vec![
            line(Service, Free, Unknown),
            line(Marketing, Billable, Billable),
            line(Utility, Free, Billable),
            line(Authentication, Billable, Billable),
            line(AuthenticationInternational, Billable, Billable),
        ]
    };
    // Groups (Meta, Groups API Pricing, Oct 22, 2025): free-form and utility free inside the group's
    // window; marketing inside it contradicts itself on that page (see GROUP_MARKETING_UNCLEAR).
    let groups = [
        line(GroupService, Free, Unknown),
        line(GroupMarketing, Unknown, Billable),
        line(GroupUtility, Free, Billable),
    ];
    vec![
        PricingPeriod {
            effective_from: SERVICE_FREE_FROM,
            name: "conversation-based pricing from 2024-11-01 (service conversations free)".into(),
            categories: conversation_based(),
            sources: strings(&[META_UPDATES, META_CONVERSATION_PRICING]),
            confirmation: Confirmation::Confirmed,
            notes: strings(&[PER_CONVERSATION, CONVERSATION_ENTRY_POINT, PHASE_1]),
        },
        PricingPeriod {
            effective_from: US_MARKETING_PAUSED_FROM,
            name: "conversation-based pricing from 2025-04-01 (marketing to US numbers not delivered)".into(),
            categories: conversation_based(),
            sources: strings(&[META_UPDATES, META_CONVERSATION_PRICING, US_MARKETING_PAGES]),
            confirmation: Confirmation::Confirmed,
            notes: strings(&[PER_CONVERSATION, CONVERSATION_ENTRY_POINT, PHASE_1, US_MARKETING]),
        },
        PricingPeriod {
            effective_from: PER_MESSAGE_PRICING_FROM,
            name: "per-message pricing from 2025-07-01".into(),
            categories: per_message(),
            sources: strings(&[META_UPDATES, META_PRICING, YCLOUD_PER_MESSAGE, US_MARKETING_PAGES]),
            confirmation: Confirmation::Confirmed,
            notes: strings(&[PER_MESSAGE, MESSAGE_ENTRY_POINT, WABA_MIDNIGHT, US_MARKETING]),
        },
        PricingPeriod {
            effective_from: GROUP_PRICING_PAGE_FROM,
            name: "per-message pricing from 2025-07-01, group pricing from 2025-10-22".into(),
            categories: per_message().into_iter().chain(groups).collect(),
            sources: strings(&[
                META_UPDATES,
                META_PRICING,
                META_GROUPS_PRICING,
                YCLOUD_PER_MESSAGE,
                US_MARKETING_PAGES,
            ]),
            confirmation: Confirmation::Confirmed,
            notes: strings(&[
                PER_MESSAGE,
                MESSAGE_ENTRY_POINT,
                US_MARKETING,
                GROUP_PER_PARTICIPANT,
                GROUP_MARKETING_UNCLEAR,
                GROUP_START,
            ]),
        },
        // Reported by solution providers, not found verbatim on Meta's pages (WHATSAPP-2026 §1.5):
        // service and in-window utility charged; group lines unknown where the reports are silent.
        PricingPeriod {
            effective_from: REPORTED_2026_CHANGE_FROM,
            name: "per-message pricing from 2026-10-01 as reported (service and in-window utility charged)".into(),
            categories: vec![
                line(Service, Billable, Unknown),
                line(Marketing, Billable, Billable),
                line(Utility, Billable, Billable),
                line(Authentication, Billable, Billable),
                line(AuthenticationInternational, Billable, Billable),
                line(GroupService, Unknown, Unknown),
                line(GroupMarketing, Unknown, Billable),
                line(GroupUtility, Unknown, Billable),
            ],
            sources: strings(&[
                YCLOUD_2026_BLOG,
                CHAKRAHQ_2026,
                CHARLES_2026,
                YCLOUD_2025_CHANGELOG,
                META_SERVICE_MESSAGES,
                META_GROUPS_PRICING,
                US_MARKETING_PAGES,
            ]),
            confirmation: Confirmation::Reported,
            notes: strings(&[
                REPORTED_CHANGE,
                REPORTED_ENTRY_POINT,
                META_SERVICE_PAGE,
                US_MARKETING,
                GROUP_PER_PARTICIPANT,
                GROUP_MARKETING_UNCLEAR,
                REPORTED_GROUPS,
            ]),
        },
    ]
}

//! Template sends: marketing preference, the US marketing pause, authentication templates to groups
//! and BSUIDs.

use crate::outbound::limits::*;
use crate::outbound::model::*;
use crate::types::MessageCategory;
use crate::types::Provider;

/// Marketing preference, US marketing pause, authentication templates to groups and BSUIDs.
pub(super) fn template_check(
    r: &ComposeRequest,
    category: MessageCategory,
    provider: Provider,
    out: &mut Vec<SendProblem>,
) {
    let field = "content";
    let marketing = matches!(category, MessageCategory::Marketing | MessageCategory::GroupMarketing);
    if marketing && r.marketing_opted_out == Some(true) {
        out.push(
            SendProblem::new(
                ProblemKind::MarketingOptedOut,
                field,
                "the customer stopped marketing messages (their stored preference, Meta `user_preferences`)",
                "Send a utility template if this is about an order or account, or nothing",
            )
            .meta(META_MARKETING_OPTED_OUT),
        );
    }
    if marketing
        && r.now >= US_MARKETING_PAUSE_FROM
        && let Recipient::Phone(phone) = &r.recipient
        && phone.starts_with("+1")
    {
        let country = r.recipient_country.as_deref().map(str::to_ascii_uppercase);
        let assumed = country.is_none();
        if country.as_deref().is_none_or(|c| c == "US") {
            let how = if assumed {
                "the number starts with +1 and no recipient country was given, so it is assumed to be in the US (+1 also covers Canada and Caribbean countries: pass recipient-country to decide)"
            } else {
                "the recipient country is US"
            };
            out.push(
                SendProblem::new(
                    ProblemKind::MarketingToUsNumber,
                    "recipient.phone",
                    format!("Meta has not delivered marketing templates to US numbers since 2025-04-01; {how}"),
                    "Send a utility template if this is about an order or account, or reach the customer another way",
                )
                .meta(META_MARKETING_LIMIT),
            );
        }
    }
    let authentication =
        matches!(category, MessageCategory::Authentication | MessageCategory::AuthenticationInternational);
    if authentication && matches!(r.recipient, Recipient::Group(_)) {
        out.push(
            SendProblem::new(
                ProblemKind::NotSupportedInGroup,
                field,
                "groups take no authentication templates (Meta Get started with Groups API, May 21, 2026)",
                "Send the code to the participant's own number",
            )
            .meta(META_UNSUPPORTED_IN_GROUP),
        );
    }
    if authentication && matches!(r.recipient, Recipient::Bsuid(_)) && provider != Provider::Twilio {
        out.push(
            SendProblem::new(
                ProblemKind::NotSupportedForBsuid,
                field,
                "authentication templates still need the phone number (Meta Business-scoped user IDs)",
                "Send to the customer's phone number; ask for it with a REQUEST_CONTACT_INFO button",
            )
            .meta(META_BSUID_NOT_SUPPORTED),
        );
    }
}

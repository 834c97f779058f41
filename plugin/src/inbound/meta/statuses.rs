//! `statuses[]`: delivery reports with their conversation and pricing.

use super::{Change, customer_for, customer_for_text, provider_error};
use crate::inbound::cursor::Cursor;
use crate::inbound::model::*;
use crate::inbound::status::failure;
use crate::types::ClockSource;
use crate::types::MessageCategory;

pub(super) fn status(s: &Cursor, change: &Change) -> Result<Event, InboundError> {
    let message_id = s.get("id").req_str()?;
    let raw_status = s.get("status").req_str()?;
    let status = match raw_status.as_str() {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "played" => DeliveryStatus::Played,
        "failed" => DeliveryStatus::Failed,
        other => return Ok(crate::inbound::status::unranked(&message_id, other, "Meta")),
    };
    // A status of a message sent to a group names the group in `recipient_id` and the participant in
    // `recipient_participant_id` (spelt `participant_recipient_id` in other examples of the same page:
    // Meta "Webhooks for Groups API", updated Oct 22, 2025, group message statuses). The group id is
    // never read as the customer's phone.
    let (customer, group_id) = if s.get("recipient_type").opt_str()?.as_deref() == Some("group") {
        let participant = match s.get("recipient_participant_id").opt_nonempty()? {
            Some(p) => Some(p),
            None => s.get("participant_recipient_id").opt_nonempty()?,
        };
        let group = s.get("recipient_id").req_str()?;
        (participant.map(|p| customer_for(change, Some(p), None)).unwrap_or_default(), Some(group))
    } else {
        let (recipient, recipient_user) =
            (s.get("recipient_id").opt_nonempty_text()?, s.get("recipient_user_id").opt_nonempty_text()?);
        let mut customer = customer_for_text(change, recipient.as_deref(), recipient_user.as_deref());
        customer.parent_bsuid = customer.parent_bsuid.or(s.get("parent_recipient_user_id").opt_nonempty()?);
        (customer, None)
    };
    let pricing = s.get("pricing");
    let pricing = if pricing.is_present() { Some(parse_pricing(&pricing)?) } else { None };
    let errors = s.get("errors");
    let failure = match errors.items()?.first() {
        Some(e) if status == DeliveryStatus::Failed => Some(failure(provider_error(&e)?)),
        _ => None,
    };
    Ok(Event::Status(StatusUpdate {
        provider: Provider::MetaCloud,
        message_id,
        business: change.business.clone(),
        customer,
        status,
        at: s.get("timestamp").req_unix_seconds()?,
        clock: ClockSource::ProviderTimestamp,
        pricing,
        failure,
        group_id,
        conversation_key: String::new(),
    }))
}

fn parse_pricing(p: &Cursor) -> Result<Pricing, InboundError> {
    let raw_category = p.get("category").opt_str()?.unwrap_or_default();
    let raw_type = p.get("type").opt_str()?.unwrap_or_default();
    let billable = p.get("billable").opt_bool()?;
    let category = match raw_category.as_str() {
        "marketing" => Some(MessageCategory::Marketing),
        "utility" => Some(MessageCategory::Utility),
        "authentication" => Some(MessageCategory::Authentication),
        "authentication_international" | "authentication-international" => {
            Some(MessageCategory::AuthenticationInternational)
        }
        "service" => Some(MessageCategory::Service),
        // Messages sent to a group (Meta, Groups API Pricing, Oct 22, 2025).
        "group_marketing" => Some(MessageCategory::GroupMarketing),
        "group_utility" => Some(MessageCategory::GroupUtility),
        "group_service" => Some(MessageCategory::GroupService),
        _ => None,
    };
    let pricing_type = match (raw_type.as_str(), billable, raw_category.as_str()) {
        ("regular", ..) => PricingType::Regular,
        ("free_customer_service", ..) => PricingType::FreeCustomerService,
        ("free_entry_point", ..) => PricingType::FreeEntryPoint,
        // A free-form or in-window utility message to a group (Meta, Groups API Pricing, Oct 22, 2025).
        ("free_group_customer_service", ..) => PricingType::FreeCustomerService,
        // Conversation-based pricing gave no type: infer it from `billable` and the category.
        ("", Some(false), "referral_conversion") => PricingType::FreeEntryPoint,
        ("", Some(false), "service") => PricingType::FreeCustomerService,
        ("", Some(true), _) => PricingType::Regular,
        _ => PricingType::Other,
    };
    Ok(Pricing {
        category,
        raw_category,
        pricing_type,
        raw_type,
        model: p.get("pricing_model").opt_nonempty()?,
        billable,
    })
}

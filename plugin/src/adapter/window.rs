//! `window`: the customer-service window, business hours and what a send costs.

use chrono::Weekday;

use super::Plugin;
use super::exports::helpdesk::whatsapp::{inbound as wi, types as wt, window as w};
use crate::business_hours::{BusinessHours, HoursCheck, LocalDate, LocalTime, OpeningSpan};
use crate::inbound::model as im;
use crate::pricing::{CategoryPricing, Charge, Confirmation, CostLine, CostReason, PricingPeriod, SendKind};
use crate::window::{self as core, ClockSkew, Conversation, ConversationOrigin, CustomerMessageTime, WindowEvent};

impl w::Guest for Plugin {
    fn check(request: w::WindowRequest) -> Result<w::WindowAnswer, w::WindowError> {
        super::free_after_return(w::__post_return_check::<Plugin>);
        core::check(&request.into()).map(Into::into).map_err(Into::into)
    }

    fn record_events(conversation: w::Conversation, events: Vec<wi::Event>) -> w::Conversation {
        core::record_events(&conversation.into(), &events.into_iter().map(Into::into).collect::<Vec<_>>()).into()
    }

    fn record_business_message(conversation: w::Conversation, sent_at: wt::Instant) -> w::Conversation {
        core::record_business_message(&conversation.into(), sent_at).into()
    }

    fn default_pricing() -> Vec<w::PricingPeriod> {
        super::free_after_return(w::__post_return_default_pricing::<Plugin>);
        crate::pricing::default_table().into_iter().map(Into::into).collect()
    }
}

/// Field plumbing only: the rules are in `WindowEvent`'s constructors, where native tests reach them.
impl From<wi::Event> for WindowEvent {
    fn from(e: wi::Event) -> Self {
        match e {
            wi::Event::Message(m) => WindowEvent::customer_message(
                im::MessageKind::from(m.kind),
                m.sent_at,
                m.clock.into(),
                m.referral.map(|r| r.source_type),
            ),
            wi::Event::Echo(m) => WindowEvent::echo(m.sent_at),
            wi::Event::Call(c) => WindowEvent::call(c.direction.into(), c.action.into(), c.at),
            _ => WindowEvent::other(),
        }
    }
}

// ---- WIT -> core ----

impl From<w::WindowRequest> for core::WindowRequest {
    fn from(r: w::WindowRequest) -> Self {
        Self {
            conversation: r.conversation.into(),
            now: r.now,
            time_zone: r.time_zone,
            business_hours: r.business_hours.map(Into::into),
            warn_before: r.warn_before,
            pricing: r.pricing.map(|t| t.into_iter().map(Into::into).collect()),
        }
    }
}

into_fields!(w::BusinessHours => BusinessHours {} list { weekly, closed_dates });
into_fields!(w::OpeningSpan => OpeningSpan { day, opens, closes });
into_fields!(w::LocalTime => LocalTime { hour, minute });
into_fields!(w::LocalDate => LocalDate { year, month, day });

impl From<w::Weekday> for Weekday {
    fn from(d: w::Weekday) -> Self {
        match d {
            w::Weekday::Monday => Weekday::Mon,
            w::Weekday::Tuesday => Weekday::Tue,
            w::Weekday::Wednesday => Weekday::Wed,
            w::Weekday::Thursday => Weekday::Thu,
            w::Weekday::Friday => Weekday::Fri,
            w::Weekday::Saturday => Weekday::Sat,
            w::Weekday::Sunday => Weekday::Sun,
        }
    }
}

// ---- both ways ----

same_fields!(w::Conversation, Conversation {
    last_business_message_at, origin, entry_message_at, first_business_reply_at
} option { last_customer_message });
same_fields!(w::CustomerMessageTime, CustomerMessageTime { sent_at, clock });
same_fields!(w::PricingPeriod, PricingPeriod { effective_from, name, confirmation } list { categories, sources, notes });
same_fields!(w::CategoryPricing, CategoryPricing { category, inside_window, outside_window });

same_cases!(w::ConversationOrigin, ConversationOrigin: Organic, ClickToWhatsappAd, FacebookPageCta);
same_cases!(w::Confirmation, Confirmation: Confirmed, Reported);
same_cases!(w::Charge, Charge: Free, Billable, Unknown);
same_cases!(w::WindowState, core::WindowState: NeverOpened, Open, ClosingSoon, Closed);
same_cases!(w::SendKind, SendKind: FreeForm, Template);
same_cases!(w::CostReason, CostReason: FreeEntryPoint, FreeInServiceWindow, FreeByPeriod, Charged, NotAllowed, NoPricingRule);

// ---- core -> WIT ----

into_fields!(core::WindowAnswer => w::WindowAnswer {
    state, opened_at, closes_at, time_left, free_form_allowed, templates_allowed, hint, entry_point, pricing_period
} option { clock, clock_skew, hours, pricing_details } list { costs });
into_fields!(ClockSkew => w::ClockSkew { reported, used });
into_fields!(HoursCheck => w::HoursCheck { open_now, closes_outside_hours, last_business_moment });
into_fields!(CostLine => w::CostLine { kind, category, allowed, charge, reason, explanation });

impl From<core::EntryPoint> for w::EntryPoint {
    fn from(e: core::EntryPoint) -> Self {
        match e {
            core::EntryPoint::NotApplicable => w::EntryPoint::NotApplicable,
            core::EntryPoint::AnswerBy(t) => w::EntryPoint::AnswerBy(t),
            core::EntryPoint::FreeUntil(t) => w::EntryPoint::FreeUntil(t),
            core::EntryPoint::Ended(t) => w::EntryPoint::Ended(t),
            core::EntryPoint::Missed(t) => w::EntryPoint::Missed(t),
        }
    }
}

impl From<core::WindowError> for w::WindowError {
    fn from(e: core::WindowError) -> Self {
        match e {
            core::WindowError::InvalidTimeZone(reason) => w::WindowError::InvalidTimeZone(reason),
            core::WindowError::InvalidBusinessHours(e) => w::WindowError::InvalidBusinessHours(e.into()),
            core::WindowError::InvalidPricingTable(e) => w::WindowError::InvalidPricingTable(e.into()),
            core::WindowError::InvalidRequest(e) => w::WindowError::InvalidRequest(e.into()),
        }
    }
}

//! The wit-bindgen glue, compiled only for wasm32: WIT types in, core types through, WIT types out.
//! No logic lives here; every decision is in the core modules, which unit-test natively.

wit_bindgen::generate!({ world: "plugin", path: "../wit" });

use chrono::Weekday;

use exports::helpdesk::whatsapp::{info as wit_info, types as wt, window as w};

use crate::business_hours::{BusinessHours, LocalDate, LocalTime, OpeningSpan};
use crate::error::InvalidInput;
use crate::pricing::{Category, CategoryPricing, Charge, CostLine, CostReason, PricingPeriod, SendKind};
use crate::{info, window};

struct Plugin;
export!(Plugin);

impl wit_info::Guest for Plugin {
    fn info() -> wit_info::PluginInfo {
        wit_info::PluginInfo {
            contract_version: info::CONTRACT_VERSION.into(),
            plugin_version: info::PLUGIN_VERSION.into(),
            providers: vec![wt::Provider::Twilio, wt::Provider::MetaCloud, wt::Provider::OneMsg],
            features: info::FEATURES.iter().map(|f| f.to_string()).collect(),
        }
    }
}

impl w::Guest for Plugin {
    fn check(request: w::WindowRequest) -> Result<w::WindowAnswer, w::WindowError> {
        window::check(&request.into()).map(Into::into).map_err(Into::into)
    }

    fn default_pricing() -> Vec<w::PricingPeriod> {
        crate::pricing::default_table().into_iter().map(Into::into).collect()
    }
}

// ---- WIT -> core ----

impl From<w::WindowRequest> for window::WindowRequest {
    fn from(r: w::WindowRequest) -> Self {
        let c = r.conversation;
        Self {
            conversation: window::Conversation {
                last_customer_message: c
                    .last_customer_message
                    .map(|m| window::CustomerMessageTime { sent_at: m.sent_at, clock: m.clock.into() }),
                last_business_message_at: c.last_business_message_at,
                origin: match c.origin {
                    w::ConversationOrigin::Organic => window::Origin::Organic,
                    w::ConversationOrigin::ClickToWhatsappAd => window::Origin::ClickToWhatsappAd,
                    w::ConversationOrigin::FacebookPageCta => window::Origin::FacebookPageCta,
                },
                entry_message_at: c.entry_message_at,
                first_business_reply_at: c.first_business_reply_at,
            },
            now: r.now,
            time_zone: r.time_zone,
            business_hours: r.business_hours.map(|h| BusinessHours {
                weekly: h
                    .weekly
                    .into_iter()
                    .map(|s| OpeningSpan {
                        day: weekday(s.day),
                        opens: local_time(s.opens),
                        closes: local_time(s.closes),
                    })
                    .collect(),
                closed_dates: h
                    .closed_dates
                    .into_iter()
                    .map(|d| LocalDate { year: d.year, month: d.month, day: d.day })
                    .collect(),
            }),
            warn_before: r.warn_before,
            pricing: r.pricing.map(|t| t.into_iter().map(Into::into).collect()),
        }
    }
}

impl From<w::PricingPeriod> for PricingPeriod {
    fn from(p: w::PricingPeriod) -> Self {
        Self {
            effective_from: p.effective_from,
            name: p.name,
            categories: p
                .categories
                .into_iter()
                .map(|l| CategoryPricing {
                    category: l.category.into(),
                    inside_window: l.inside_window.into(),
                    outside_window: l.outside_window.into(),
                })
                .collect(),
        }
    }
}

fn weekday(d: w::Weekday) -> Weekday {
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

fn local_time(t: w::LocalTime) -> LocalTime {
    LocalTime { hour: t.hour, minute: t.minute }
}

/// Enums that are the same list of cases on both sides, converted both ways.
macro_rules! same_cases {
    ($wit:ty, $core:ty: $($case:ident),+) => {
        impl From<$wit> for $core {
            fn from(v: $wit) -> Self {
                match v { $(<$wit>::$case => <$core>::$case),+ }
            }
        }
        impl From<$core> for $wit {
            fn from(v: $core) -> Self {
                match v { $(<$core>::$case => <$wit>::$case),+ }
            }
        }
    };
}

same_cases!(wt::ClockSource, window::ClockSource: ProviderTimestamp, HelpdeskReceipt);
same_cases!(wt::MessageCategory, Category: Marketing, Utility, Authentication, AuthenticationInternational, Service);
same_cases!(w::Charge, Charge: Free, Billable, Unknown);
same_cases!(w::WindowState, window::WindowState: NeverOpened, Open, ClosingSoon, Closed);
same_cases!(w::SendKind, SendKind: FreeForm, Template);
same_cases!(w::CostReason, CostReason: FreeEntryPoint, FreeInServiceWindow, FreeByPeriod, Charged, NotAllowed, NoPricingRule);

// ---- core -> WIT ----

impl From<window::WindowAnswer> for w::WindowAnswer {
    fn from(a: window::WindowAnswer) -> Self {
        Self {
            state: a.state.into(),
            opened_at: a.opened_at,
            clock: a.clock.map(Into::into),
            closes_at: a.closes_at,
            time_left: a.time_left,
            free_form_allowed: a.free_form_allowed,
            templates_allowed: a.templates_allowed,
            hint: a.hint,
            clock_skew: a.clock_skew.map(|s| w::ClockSkew { reported: s.reported, used: s.used }),
            entry_point: match a.entry_point {
                window::EntryPoint::NotApplicable => w::EntryPoint::NotApplicable,
                window::EntryPoint::AnswerBy(t) => w::EntryPoint::AnswerBy(t),
                window::EntryPoint::FreeUntil(t) => w::EntryPoint::FreeUntil(t),
                window::EntryPoint::Ended(t) => w::EntryPoint::Ended(t),
                window::EntryPoint::Missed(t) => w::EntryPoint::Missed(t),
            },
            hours: a.hours.map(|h| w::HoursCheck {
                open_now: h.open_now,
                closes_outside_hours: h.closes_outside_hours,
                last_business_moment: h.last_business_moment,
            }),
            pricing_period: a.pricing_period,
            costs: a.costs.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<CostLine> for w::CostLine {
    fn from(c: CostLine) -> Self {
        Self {
            kind: c.kind.into(),
            category: c.category.into(),
            allowed: c.allowed,
            charge: c.charge.into(),
            reason: c.reason.into(),
            explanation: c.explanation,
        }
    }
}

impl From<PricingPeriod> for w::PricingPeriod {
    fn from(p: PricingPeriod) -> Self {
        Self {
            effective_from: p.effective_from,
            name: p.name,
            categories: p
                .categories
                .into_iter()
                .map(|l| w::CategoryPricing {
                    category: l.category.into(),
                    inside_window: l.inside_window.into(),
                    outside_window: l.outside_window.into(),
                })
                .collect(),
        }
    }
}

impl From<InvalidInput> for wt::InvalidInput {
    fn from(e: InvalidInput) -> Self {
        Self { field: e.field, reason: e.reason }
    }
}

impl From<window::WindowError> for w::WindowError {
    fn from(e: window::WindowError) -> Self {
        match e {
            window::WindowError::InvalidTimeZone(reason) => w::WindowError::InvalidTimeZone(reason),
            window::WindowError::InvalidBusinessHours(e) => w::WindowError::InvalidBusinessHours(e.into()),
            window::WindowError::InvalidPricingTable(e) => w::WindowError::InvalidPricingTable(e.into()),
            window::WindowError::InvalidRequest(e) => w::WindowError::InvalidRequest(e.into()),
        }
    }
}

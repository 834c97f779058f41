//! What a message sent now costs: a dated table of pricing periods the host may replace.
//!
//! Each period says, per category, whether a message is free or billable inside and outside the
//! customer service window; rates per market are outside the table. Each period also carries the
//! pages its rules come from, whether the provider's own page states them (`Confirmation`), and
//! notes for the rules free/billable cannot express. The built-in table is in `table`.

use std::borrow::Cow;

use crate::error::InvalidInput;
use crate::time::Instant;

mod table;

pub use table::{
    GROUP_PRICING_PAGE_FROM, PER_MESSAGE_PRICING_FROM, REPORTED_2026_CHANGE_FROM, SERVICE_FREE_FROM,
    US_MARKETING_PAUSED_FROM, default_table,
};

use crate::types::MessageCategory;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    Free,
    Billable,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryPricing {
    pub category: MessageCategory,
    pub inside_window: Charge,
    pub outside_window: Charge,
}

/// How well a period's rules are established (WIT `confirmation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// Stated on the provider's own pages.
    Confirmed,
    /// Reported by others (solution providers), not found on the provider's own page.
    Reported,
}

/// One period of the table. The texts borrow the built-in table's constants (a host's table owns
/// its own), so building the default table for every check allocates no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingPeriod {
    pub effective_from: Instant,
    pub name: Cow<'static, str>,
    pub categories: Vec<CategoryPricing>,
    /// The pages the rules come from: `Publisher, Title (date shown on the page): URL`.
    pub sources: Vec<Cow<'static, str>>,
    pub confirmation: Confirmation,
    /// Rules free/billable cannot express, each naming its source.
    pub notes: Vec<Cow<'static, str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendKind {
    FreeForm,
    Template,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostReason {
    FreeEntryPoint,
    FreeInServiceWindow,
    FreeByPeriod,
    Charged,
    NotAllowed,
    NoPricingRule,
}

/// The price of one kind of message sent now (WIT `cost-line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    pub kind: SendKind,
    pub category: MessageCategory,
    pub allowed: bool,
    pub charge: Charge,
    pub reason: CostReason,
    pub explanation: String,
}

/// Check a host's table: instants in range, distinct start dates, each category at most once per period.
pub fn check_table(table: &[PricingPeriod]) -> Result<(), InvalidInput> {
    for (i, period) in table.iter().enumerate() {
        // The field's name is formatted only on error: a check runs this for every period.
        crate::time::check_instant("", period.effective_from)
            .map_err(|e| InvalidInput::new(format!("pricing[{i}].effective-from"), e.reason))?;
        if let Some(j) = table[..i].iter().position(|p| p.effective_from == period.effective_from) {
            return Err(InvalidInput::new(
                format!("pricing[{i}].effective-from"),
                format!("starts at the same instant as pricing[{j}]"),
            ));
        }
        for (k, line) in period.categories.iter().enumerate() {
            if period.categories[..k].iter().any(|l| l.category == line.category) {
                return Err(InvalidInput::new(
                    format!("pricing[{i}].categories[{k}]"),
                    format!("`{}` is priced twice in this period", line.category.name()),
                ));
            }
        }
    }
    Ok(())
}

/// The period in force at `now`: the latest one that has started.
pub fn period_at(table: &[PricingPeriod], now: Instant) -> Option<&PricingPeriod> {
    table.iter().filter(|p| p.effective_from <= now).max_by_key(|p| p.effective_from)
}

/// What sending each kind of message now would cost: a free-form reply, then each template category,
/// then the same in a group (the group lines apply only when the conversation is a WhatsApp group).
pub fn cost_lines(period: Option<&PricingPeriod>, window_open: bool, entry_point_free: bool) -> Vec<CostLine> {
    MessageCategory::ALL
        .iter()
        .map(|&category| {
            let kind = if category.is_free_form() { SendKind::FreeForm } else { SendKind::Template };
            let allowed = kind == SendKind::Template || window_open;
            let what = match (kind, category.is_group()) {
                (SendKind::FreeForm, false) => "A free-form reply".to_string(),
                (SendKind::FreeForm, true) => "A free-form reply to a group".to_string(),
                (SendKind::Template, _) => {
                    // "An authentication", but "A utility" (said "you-").
                    let article = if category.name().starts_with(['a', 'e', 'i', 'o']) { "An" } else { "A" };
                    format!("{article} {} template", category.name())
                }
            };
            let (charge, reason, explanation) = if !allowed {
                (
                    Charge::Free,
                    CostReason::NotAllowed,
                    format!("{what} cannot be sent: the customer service window is closed."),
                )
            } else if entry_point_free {
                (
                    Charge::Free,
                    CostReason::FreeEntryPoint,
                    format!("{what} is free: the free entry point window is open."),
                )
            } else {
                price(period, category, window_open, &what)
            };
            CostLine { kind, category, allowed, charge, reason, explanation }
        })
        .collect()
}

fn price(
    period: Option<&PricingPeriod>,
    category: MessageCategory,
    window_open: bool,
    what: &str,
) -> (Charge, CostReason, String) {
    let Some(period) = period else {
        return (Charge::Unknown, CostReason::NoPricingRule, format!("{what}: no pricing period is in force now."));
    };
    let line = period.categories.iter().find(|l| l.category == category);
    let charge = line.map_or(Charge::Unknown, |l| if window_open { l.inside_window } else { l.outside_window });
    // The agent reads the period's name and, for a reported period, that it is not confirmed.
    let mark = match period.confirmation {
        Confirmation::Confirmed => "",
        Confirmation::Reported => "; reported, not confirmed on the provider's own page",
    };
    let name = format_args!("{}{mark}", period.name);
    // Per message or per 24-hour conversation depends on the period (its notes say); a group
    // message is charged once per participant it reaches.
    let charged = if category.is_group() { "charged per participant reached" } else { "charged" };
    match charge {
        Charge::Free if window_open => (
            Charge::Free,
            CostReason::FreeInServiceWindow,
            format!("{what} is free while the customer service window is open ({name})."),
        ),
        Charge::Free => (Charge::Free, CostReason::FreeByPeriod, format!("{what} is free ({name}).")),
        Charge::Billable => (Charge::Billable, CostReason::Charged, format!("{what} is {charged} ({name}).")),
        Charge::Unknown => (
            Charge::Unknown,
            CostReason::NoPricingRule,
            format!("{what}: the pricing table does not price `{}` here ({name}).", category.name()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(lines: &[CostLine], category: MessageCategory) -> &CostLine {
        lines.iter().find(|l| l.category == category).unwrap()
    }

    /// The cost lines of the default table at `now`, the window open or not.
    fn at(now: Instant, window_open: bool) -> Vec<CostLine> {
        let table = default_table();
        cost_lines(period_at(&table, now), window_open, false)
    }

    fn charge(now: Instant, window_open: bool, category: MessageCategory) -> Charge {
        line(&at(now, window_open), category).charge
    }

    #[test]
    fn default_dates_are_the_documented_midnights() {
        let day = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap().naive_utc();
        let midnight = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(day(SERVICE_FREE_FROM), midnight(2024, 11, 1));
        assert_eq!(day(US_MARKETING_PAUSED_FROM), midnight(2025, 4, 1));
        assert_eq!(day(PER_MESSAGE_PRICING_FROM), midnight(2025, 7, 1));
        assert_eq!(day(GROUP_PRICING_PAGE_FROM), midnight(2025, 10, 22));
        assert_eq!(day(REPORTED_2026_CHANGE_FROM), midnight(2026, 10, 1));
        let table = default_table();
        assert!(check_table(&table).is_ok());
        let starts: Vec<Instant> = table.iter().map(|p| p.effective_from).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "oldest first: {starts:?}");
    }

    #[test]
    fn before_2024_11_01_the_charge_is_unknown_and_from_it_service_is_free() {
        let table = default_table();
        assert!(period_at(&table, SERVICE_FREE_FROM - 1).is_none(), "2024-10-31 has no period");
        assert!(at(SERVICE_FREE_FROM - 1, true).iter().all(|l| l.charge == Charge::Unknown));
        let lines = at(SERVICE_FREE_FROM, true);
        let service = line(&lines, MessageCategory::Service);
        assert_eq!((service.charge, service.reason), (Charge::Free, CostReason::FreeInServiceWindow));
        // Conversation-based pricing: a template opens a billable conversation even inside the window.
        assert_eq!(line(&lines, MessageCategory::Utility).charge, Charge::Billable);
        assert_eq!(line(&lines, MessageCategory::Marketing).charge, Charge::Billable);
    }

    #[test]
    fn in_window_utility_becomes_free_on_2025_07_01() {
        assert_eq!(charge(PER_MESSAGE_PRICING_FROM - 1, true, MessageCategory::Utility), Charge::Billable);
        assert_eq!(charge(PER_MESSAGE_PRICING_FROM, true, MessageCategory::Utility), Charge::Free);
        assert_eq!(charge(PER_MESSAGE_PRICING_FROM - 1, false, MessageCategory::Utility), Charge::Billable);
        assert_eq!(charge(PER_MESSAGE_PRICING_FROM, false, MessageCategory::Utility), Charge::Billable);
        for now in [PER_MESSAGE_PRICING_FROM - 1, PER_MESSAGE_PRICING_FROM] {
            assert_eq!(charge(now, true, MessageCategory::Service), Charge::Free);
            assert_eq!(charge(now, true, MessageCategory::Authentication), Charge::Billable);
        }
    }

    #[test]
    fn in_window_service_and_utility_are_free_until_the_reported_change() {
        let before = at(REPORTED_2026_CHANGE_FROM - 1, true);
        assert_eq!(line(&before, MessageCategory::Service).charge, Charge::Free);
        assert_eq!(line(&before, MessageCategory::Service).reason, CostReason::FreeInServiceWindow);
        assert_eq!(line(&before, MessageCategory::Utility).charge, Charge::Free);
        assert_eq!(line(&before, MessageCategory::Marketing).charge, Charge::Billable);
        assert!(!line(&before, MessageCategory::Utility).explanation.contains("reported"));
        let after = at(REPORTED_2026_CHANGE_FROM, true);
        assert_eq!(line(&after, MessageCategory::Service).charge, Charge::Billable);
        assert_eq!(line(&after, MessageCategory::Utility).charge, Charge::Billable);
        assert!(line(&after, MessageCategory::Utility).explanation.contains("reported, not confirmed"));
        let table = default_table();
        assert_eq!(period_at(&table, REPORTED_2026_CHANGE_FROM).unwrap().confirmation, Confirmation::Reported);
    }

    #[test]
    fn only_the_2026_10_01_period_is_reported_and_every_period_has_sources() {
        for period in default_table() {
            assert!(!period.sources.is_empty(), "{} has no source", period.name);
            assert!(period.sources.iter().all(|s| s.contains("https://")), "{:?}", period.sources);
            let reported = period.effective_from == REPORTED_2026_CHANGE_FROM;
            assert_eq!(period.confirmation == Confirmation::Reported, reported, "{}", period.name);
        }
    }

    #[test]
    fn no_claim_of_a_free_monthly_allowance() {
        // The pre-November-2024 allowance of free service conversations ended; nothing supports it after.
        for period in default_table() {
            for text in [&period.name].into_iter().chain(&period.notes).chain(&period.sources) {
                let text = text.to_lowercase();
                assert!(!text.contains("1,000 free") && !text.contains("1000 free"), "{text}");
            }
        }
    }

    #[test]
    fn the_us_marketing_note_is_on_every_period_from_2025_04_01() {
        for period in default_table() {
            let noted = period.notes.iter().any(|n| n.contains("US phone number") && n.contains("131049"));
            assert_eq!(noted, period.effective_from >= US_MARKETING_PAUSED_FROM, "{}", period.name);
        }
    }

    #[test]
    fn group_categories_are_priced_from_the_groups_pricing_page() {
        assert_eq!(charge(GROUP_PRICING_PAGE_FROM - 1, true, MessageCategory::GroupService), Charge::Unknown);
        let lines = at(GROUP_PRICING_PAGE_FROM, true);
        let reply = line(&lines, MessageCategory::GroupService);
        assert_eq!((reply.kind, reply.charge), (SendKind::FreeForm, Charge::Free));
        assert_eq!(line(&lines, MessageCategory::GroupUtility).charge, Charge::Free);
        assert_eq!(
            line(&lines, MessageCategory::GroupMarketing).charge,
            Charge::Unknown,
            "Meta's page contradicts itself"
        );
        let closed = at(GROUP_PRICING_PAGE_FROM, false);
        let utility = line(&closed, MessageCategory::GroupUtility);
        assert_eq!(utility.charge, Charge::Billable);
        assert!(utility.explanation.contains("per participant"), "{}", utility.explanation);
        assert!(!line(&closed, MessageCategory::GroupService).allowed);
        assert_eq!(charge(REPORTED_2026_CHANGE_FROM, true, MessageCategory::GroupService), Charge::Unknown);
    }

    #[test]
    fn outside_the_window_free_form_is_not_allowed_and_utility_is_charged() {
        let lines = at(PER_MESSAGE_PRICING_FROM, false);
        let free_form = line(&lines, MessageCategory::Service);
        assert!(!free_form.allowed);
        assert_eq!(free_form.reason, CostReason::NotAllowed);
        assert_eq!(line(&lines, MessageCategory::Utility).charge, Charge::Billable);
        assert!(line(&lines, MessageCategory::Utility).explanation.starts_with("A utility template"));
        assert!(line(&lines, MessageCategory::Authentication).explanation.starts_with("An authentication template"));
        assert!(lines.iter().filter(|l| l.kind == SendKind::Template).all(|l| l.allowed));
    }

    #[test]
    fn entry_point_makes_everything_allowed_free() {
        let table = default_table();
        let lines = cost_lines(period_at(&table, REPORTED_2026_CHANGE_FROM), true, true);
        assert!(lines.iter().all(|l| l.charge == Charge::Free && l.reason == CostReason::FreeEntryPoint));
    }

    #[test]
    fn before_the_table_starts_the_charge_is_unknown() {
        let lines = cost_lines(None, true, false);
        assert_eq!(lines.len(), MessageCategory::ALL.len());
        assert!(lines.iter().all(|l| l.charge == Charge::Unknown && l.reason == CostReason::NoPricingRule));
    }

    #[test]
    fn a_host_table_with_duplicates_is_refused() {
        let mut table = default_table();
        table[1].effective_from = table[0].effective_from;
        assert_eq!(check_table(&table).unwrap_err().field, "pricing[1].effective-from");
        let mut table = default_table();
        let first = table[0].categories[0];
        table[0].categories.push(first);
        assert!(check_table(&table).unwrap_err().reason.contains("priced twice"));
    }
}

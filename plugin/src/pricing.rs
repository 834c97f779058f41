//! What a message sent now costs: a dated table of pricing periods the host may replace.

use crate::error::InvalidInput;
use crate::time::Instant;

/// WhatsApp's pricing categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Marketing,
    Utility,
    Authentication,
    AuthenticationInternational,
    Service,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Service,
        Category::Marketing,
        Category::Utility,
        Category::Authentication,
        Category::AuthenticationInternational,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Marketing => "marketing",
            Category::Utility => "utility",
            Category::Authentication => "authentication",
            Category::AuthenticationInternational => "authentication-international",
            Category::Service => "service",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    Free,
    Billable,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryPricing {
    pub category: Category,
    pub inside_window: Charge,
    pub outside_window: Charge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingPeriod {
    pub effective_from: Instant,
    pub name: String,
    pub categories: Vec<CategoryPricing>,
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
    pub category: Category,
    pub allowed: bool,
    pub charge: Charge,
    pub reason: CostReason,
    pub explanation: String,
}

/// 2025-07-01T00:00:00Z: Meta's per-message pricing starts.
pub const PER_MESSAGE_PRICING_FROM: Instant = 1_751_328_000_000;
/// 2026-10-01T00:00:00Z: the change reported by commercial sources (not on Meta's own pricing page).
pub const REPORTED_2026_CHANGE_FROM: Instant = 1_790_812_800_000;

/// The built-in table: per-message pricing from 2025-07-01 (service replies and utility templates
/// free inside the customer service window), and the reported 2026-10-01 change that charges them.
pub fn default_table() -> Vec<PricingPeriod> {
    use Category::*;
    use Charge::*;
    let line = |category, inside_window, outside_window| CategoryPricing { category, inside_window, outside_window };
    vec![
        PricingPeriod {
            effective_from: PER_MESSAGE_PRICING_FROM,
            name: "per-message pricing from 2025-07-01".into(),
            categories: vec![
                line(Service, Free, Unknown),
                line(Marketing, Billable, Billable),
                line(Utility, Free, Billable),
                line(Authentication, Billable, Billable),
                line(AuthenticationInternational, Billable, Billable),
            ],
        },
        PricingPeriod {
            effective_from: REPORTED_2026_CHANGE_FROM,
            name: "per-message pricing as reported from 2026-10-01 (not confirmed by Meta: service and in-window utility charged, 1,000 free service messages a month per number)".into(),
            categories: vec![
                line(Service, Billable, Unknown),
                line(Marketing, Billable, Billable),
                line(Utility, Billable, Billable),
                line(Authentication, Billable, Billable),
                line(AuthenticationInternational, Billable, Billable),
            ],
        },
    ]
}

/// Check a host's table: instants in range, distinct start dates, each category at most once per period.
pub fn check_table(table: &[PricingPeriod]) -> Result<(), InvalidInput> {
    for (i, period) in table.iter().enumerate() {
        crate::time::check_instant(&format!("pricing[{i}].effective-from"), period.effective_from)?;
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

/// What sending each kind of message now would cost: a free-form reply, then each template category.
pub fn cost_lines(period: Option<&PricingPeriod>, window_open: bool, entry_point_free: bool) -> Vec<CostLine> {
    Category::ALL
        .iter()
        .map(|&category| {
            let kind = if category == Category::Service { SendKind::FreeForm } else { SendKind::Template };
            let allowed = kind == SendKind::Template || window_open;
            let what = match kind {
                SendKind::FreeForm => "A free-form reply".to_string(),
                SendKind::Template => {
                    let article = if category.name().starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { "A" };
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
    category: Category,
    window_open: bool,
    what: &str,
) -> (Charge, CostReason, String) {
    let Some(period) = period else {
        return (Charge::Unknown, CostReason::NoPricingRule, format!("{what}: no pricing period is in force now."));
    };
    let line = period.categories.iter().find(|l| l.category == category);
    let charge = line.map_or(Charge::Unknown, |l| if window_open { l.inside_window } else { l.outside_window });
    let name = &period.name;
    match charge {
        Charge::Free if window_open => (
            Charge::Free,
            CostReason::FreeInServiceWindow,
            format!("{what} is free while the customer service window is open ({name})."),
        ),
        Charge::Free => (Charge::Free, CostReason::FreeByPeriod, format!("{what} is free ({name}).")),
        Charge::Billable => (Charge::Billable, CostReason::Charged, format!("{what} is charged per message ({name}).")),
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

    fn line(lines: &[CostLine], category: Category) -> &CostLine {
        lines.iter().find(|l| l.category == category).unwrap()
    }

    #[test]
    fn default_dates_are_the_documented_midnights() {
        let day = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap().naive_utc();
        let midnight = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(day(PER_MESSAGE_PRICING_FROM), midnight(2025, 7, 1));
        assert_eq!(day(REPORTED_2026_CHANGE_FROM), midnight(2026, 10, 1));
        assert!(check_table(&default_table()).is_ok());
    }

    #[test]
    fn in_window_service_and_utility_are_free_until_the_reported_change() {
        let table = default_table();
        let before = cost_lines(period_at(&table, REPORTED_2026_CHANGE_FROM - 1), true, false);
        assert_eq!(line(&before, Category::Service).charge, Charge::Free);
        assert_eq!(line(&before, Category::Service).reason, CostReason::FreeInServiceWindow);
        assert_eq!(line(&before, Category::Utility).charge, Charge::Free);
        assert_eq!(line(&before, Category::Marketing).charge, Charge::Billable);
        let after = cost_lines(period_at(&table, REPORTED_2026_CHANGE_FROM), true, false);
        assert_eq!(line(&after, Category::Service).charge, Charge::Billable);
        assert_eq!(line(&after, Category::Utility).charge, Charge::Billable);
        assert!(line(&after, Category::Utility).explanation.contains("not confirmed by Meta"));
    }

    #[test]
    fn outside_the_window_free_form_is_not_allowed_and_utility_is_charged() {
        let table = default_table();
        let lines = cost_lines(period_at(&table, PER_MESSAGE_PRICING_FROM), false, false);
        let free_form = line(&lines, Category::Service);
        assert!(!free_form.allowed);
        assert_eq!(free_form.reason, CostReason::NotAllowed);
        assert_eq!(line(&lines, Category::Utility).charge, Charge::Billable);
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
        let table = default_table();
        assert!(period_at(&table, PER_MESSAGE_PRICING_FROM - 1).is_none());
        let lines = cost_lines(None, true, false);
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

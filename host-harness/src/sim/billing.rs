//! Billing around the channel, as the simulated helpdesk keeps it: a credit ledger shared by all
//! numbers (each billable message debits it; auto-refill buys N credits at the admin's threshold,
//! with the 3% value-added fee), and the number's monthly renewal, tried on days 28, 29 and 30 of the
//! cycle with an alert after each failure and the number released after the third.

use serde::Serialize;

/// The value-added fee on credits and on the number's fee, in basis points (3%).
pub const FEE_BASIS_POINTS: i64 = 300;
/// The renewal days of a 30-day cycle.
pub const RENEWAL_DAYS: [u32; 3] = [28, 29, 30];

/// One line of the ledger. Amounts are in cents; credits are counted separately.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Milliseconds since the epoch.
    pub at: i64,
    /// What happened.
    pub what: String,
    /// Credits added (positive) or used (negative).
    pub credits: i64,
    /// Money charged to the card, in cents (price plus fee).
    pub charged_cents: i64,
}

/// Why a debit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Refused {
    /// No credits left and auto-refill is off or its card was declined.
    NoCredits,
}

/// The shared credit ledger.
#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub balance: i64,
    /// Refill when the balance falls to this or below.
    pub threshold: i64,
    /// How many credits a refill buys (more than 1).
    pub refill_credits: i64,
    /// Price of one credit in cents, before the fee.
    pub credit_price_cents: i64,
    /// Whether the next card charge succeeds (the scenario can decline it).
    pub card_ok: bool,
    pub entries: Vec<Entry>,
}

/// The fee on an amount, rounded half up to the cent.
pub fn fee(cents: i64) -> i64 {
    (cents * FEE_BASIS_POINTS + 5_000) / 10_000
}

impl Ledger {
    pub fn new(balance: i64, threshold: i64, refill_credits: i64, credit_price_cents: i64) -> Self {
        Self {
            balance,
            threshold,
            refill_credits: refill_credits.max(2),
            credit_price_cents,
            card_ok: true,
            entries: Vec::new(),
        }
    }

    /// Debit one billable message; refills first if the balance is at the threshold.
    pub fn debit(&mut self, at: i64, what: &str) -> Result<(), Refused> {
        if self.balance <= self.threshold {
            self.refill(at);
        }
        if self.balance <= 0 {
            return Err(Refused::NoCredits);
        }
        self.balance -= 1;
        self.entries.push(Entry { at, what: what.to_string(), credits: -1, charged_cents: 0 });
        Ok(())
    }

    /// Buy `refill_credits` credits with the fee; a declined card adds nothing and is recorded.
    pub fn refill(&mut self, at: i64) {
        let price = self.refill_credits * self.credit_price_cents;
        if !self.card_ok {
            self.entries.push(Entry { at, what: "auto-refill declined".into(), credits: 0, charged_cents: 0 });
            return;
        }
        self.balance += self.refill_credits;
        self.entries.push(Entry {
            at,
            what: format!("auto-refill: {} credits + 3% fee", self.refill_credits),
            credits: self.refill_credits,
            charged_cents: price + fee(price),
        });
    }

    /// The ledger balances: the balance equals the opening balance plus every entry's credits.
    pub fn balanced(&self, opening: i64) -> bool {
        self.balance == opening + self.entries.iter().map(|e| e.credits).sum::<i64>()
    }
}

/// The state of the number's monthly renewal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum NumberState {
    Active,
    /// Renewal failed this many times in the current cycle.
    Failing(u32),
    /// Released to the provider's pool after three failures.
    Released,
}

/// What one renewal attempt did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenewalAttempt {
    pub day: u32,
    pub charged_cents: i64,
    pub alert: Option<String>,
    pub state: NumberState,
}

/// Try the renewal on `day` of the cycle; only days 28, 29 and 30 try.
pub fn renew(state: &NumberState, day: u32, fee_cents: i64, card_ok: bool) -> Option<RenewalAttempt> {
    // An active number is renewed on day 28; a failing one is tried again on days 29 and 30.
    let tries = match state {
        NumberState::Active => day == RENEWAL_DAYS[0],
        NumberState::Failing(_) => RENEWAL_DAYS[1..].contains(&day),
        NumberState::Released => false,
    };
    if !tries {
        return None;
    }
    if card_ok {
        return Some(RenewalAttempt {
            day,
            charged_cents: fee_cents + fee(fee_cents),
            alert: None,
            state: NumberState::Active,
        });
    }
    let failures = match state {
        NumberState::Failing(n) => n + 1,
        _ => 1,
    };
    let (state, alert) = if failures >= 3 {
        (
            NumberState::Released,
            "Renewal failed a third time: the number was released to the provider's pool.".to_string(),
        )
    } else {
        (
            NumberState::Failing(failures),
            format!(
                "Renewal of the WhatsApp number failed (attempt {failures} of 3): update the card before day {}.",
                28 + failures
            ),
        )
    };
    Some(RenewalAttempt { day, charged_cents: 0, alert: Some(alert), state })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refill_buys_n_credits_with_the_fee_at_the_threshold() {
        let mut ledger = Ledger::new(3, 2, 100, 5);
        ledger.debit(1, "marketing template").unwrap();
        assert_eq!(ledger.balance, 2);
        ledger.debit(2, "utility template").unwrap();
        assert_eq!(ledger.balance, 101, "refilled 100 at the threshold of 2, then debited one");
        let refill = ledger.entries.iter().find(|e| e.credits == 100).unwrap();
        assert_eq!(refill.charged_cents, 500 + 15, "100 credits at 5 cents plus 3%");
        assert!(ledger.balanced(3));
    }

    #[test]
    fn a_declined_card_leaves_the_balance_and_eventually_refuses() {
        let mut ledger = Ledger::new(1, 0, 10, 5);
        ledger.card_ok = false;
        ledger.debit(1, "a").unwrap();
        assert_eq!(ledger.debit(2, "b"), Err(Refused::NoCredits));
        assert!(ledger.entries.iter().any(|e| e.what == "auto-refill declined"));
        assert!(ledger.balanced(1));
    }

    #[test]
    fn renewal_is_tried_three_times_then_the_number_is_released() {
        assert_eq!(renew(&NumberState::Active, 27, 1000, false), None, "only days 28-30");
        let first = renew(&NumberState::Active, 28, 1000, false).unwrap();
        assert_eq!(first.state, NumberState::Failing(1));
        assert!(first.alert.as_deref().unwrap().contains("attempt 1 of 3"));
        let second = renew(&first.state, 29, 1000, false).unwrap();
        assert_eq!(second.state, NumberState::Failing(2));
        let third = renew(&second.state, 30, 1000, false).unwrap();
        assert_eq!(third.state, NumberState::Released);
        assert_eq!(renew(&third.state, 28, 1000, true), None, "a released number is not renewed");
        let paid = renew(&NumberState::Failing(1), 29, 1000, true).unwrap();
        assert_eq!((paid.state, paid.charged_cents), (NumberState::Active, 1030));
    }
}

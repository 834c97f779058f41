//! Delivery statuses: their ranking, so a late callback never downgrades what the host has. What a
//! provider's failure code means for the agent lives in [`crate::failures`].

use super::model::DeliveryStatus;

/// `pending` < `sent` < `delivered` < `read` < `played`, then `failed`: also the index of a status in
/// any list written in that order.
pub fn rank(status: DeliveryStatus) -> u8 {
    match status {
        DeliveryStatus::Pending => 0,
        DeliveryStatus::Sent => 1,
        DeliveryStatus::Delivered => 2,
        DeliveryStatus::Read => 3,
        DeliveryStatus::Played => 4,
        DeliveryStatus::Failed => 5,
    }
}

/// May `incoming` replace `current`? Only upwards; `failed` is final, and cannot undo a `read`
/// (a message the customer read was delivered, so a failure for it is a stale or duplicate callback).
pub fn may_replace(current: DeliveryStatus, incoming: DeliveryStatus) -> bool {
    match (current, incoming) {
        (DeliveryStatus::Failed, _) => false,
        (_, DeliveryStatus::Failed) => rank(current) < rank(DeliveryStatus::Read),
        _ => rank(incoming) > rank(current),
    }
}

/// An event for a provider status this plugin does not rank (e.g. Meta `deleted`, Twilio `canceled`).
pub fn unranked(message_id: &str, raw: &str, provider: &str) -> super::model::Event {
    super::model::Event::Ignored(super::model::IgnoredEvent {
        kind: format!("status:{raw}"),
        reason: format!("message {message_id} has {provider} status `{raw}`, which does not change its delivery"),
    })
}

/// Classify a provider error code for the agent: the shared table in [`crate::failures`], re-exported
/// here so the parsers keep their import.
pub use crate::failures::failure;

#[cfg(test)]
mod tests {
    use super::*;
    use DeliveryStatus::*;

    const ALL: [DeliveryStatus; 6] = [Pending, Sent, Delivered, Read, Played, Failed];

    #[test]
    fn a_late_sent_never_downgrades_read() {
        assert!(!may_replace(Read, Sent));
        assert!(!may_replace(Delivered, Delivered), "a duplicate changes nothing");
        assert!(may_replace(Sent, Read));
        assert!(may_replace(Read, Played));
    }

    #[test]
    fn failed_is_final_and_cannot_undo_read() {
        assert!(ALL.iter().all(|&s| !may_replace(Failed, s)));
        assert!(may_replace(Sent, Failed) && may_replace(Delivered, Failed) && may_replace(Pending, Failed));
        assert!(!may_replace(Read, Failed) && !may_replace(Played, Failed));
    }

    #[test]
    fn any_order_of_callbacks_ends_at_the_highest() {
        // Apply every permutation of sent/delivered/read and keep what may_replace allows.
        let callbacks = [Sent, Delivered, Read];
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        for order in orders {
            let mut current = Pending;
            for i in order {
                if may_replace(current, callbacks[i]) {
                    current = callbacks[i];
                }
            }
            assert_eq!(current, Read, "{order:?}");
        }
    }
}

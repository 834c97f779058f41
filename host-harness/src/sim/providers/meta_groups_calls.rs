//! The simulated Meta Cloud API's groups and calls, in Meta's wire format, signed like every webhook:
//! participants joining a group, a participant writing in it, the business's message to it with one
//! status per participant, and a customer's call. The provider keeps its own window clock for these too:
//! one window per group, refreshed by any participant's message, and a customer's call opens theirs.
//!
//! Shapes: Meta "Group messaging" (updated May 21, 2026: `group_id` on the message, the participant in
//! `from`), "Webhooks for Groups API" (Oct 22, 2025: `group_participants_update`; statuses with
//! `recipient_type: group`, `recipient_id` the group, `recipient_participant_id`), the Calling API
//! webhook reference (updated Nov 13, 2025: `calls[]` with `event: connect`, `direction: USER_INITIATED`),
//! and "Service messages" (May 21, 2026: a user's message or call starts the 24-hour window).

use serde_json::{Value, json};

use super::{Kind, LogLine, Provider, Webhook, digits};

impl Provider {
    /// Participants join `group` by its invite link; `None` on a provider with no Groups API (Twilio, 1msg).
    pub fn group_join(&mut self, group: &str, participants: &[String], at: i64) -> Option<Webhook> {
        if self.kind != Kind::MetaCloud {
            return None;
        }
        self.groups.entry(group.to_string()).or_default().extend(participants.iter().cloned());
        let added: Vec<Value> = participants.iter().map(|p| json!({"wa_id": digits(p)})).collect();
        let value = json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(),
            "groups": [{"timestamp": (at / 1000).to_string(), "group_id": group, "type": "group_participants_add",
                "reason": "invite_link", "added_participants": added}]});
        Some(self.json_webhook(&self.meta_envelope("group_participants_update", value)))
    }

    /// A participant writes in `group` at `at`: the group's one window is refreshed.
    pub fn group_message(
        &mut self,
        group: &str,
        participant: &str,
        name: &str,
        text: &str,
        at: i64,
    ) -> Option<(String, Webhook)> {
        if self.kind != Kind::MetaCloud {
            return None;
        }
        let id = self.next_id();
        self.last_customer_message.insert(format!("group:{group}"), at);
        let value = json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(),
            "contacts": [{"profile": {"name": name}, "wa_id": digits(participant)}],
            "messages": [{"from": digits(participant), "group_id": group, "id": id,
                "timestamp": (at / 1000).to_string(), "type": "text", "text": {"body": text}}]});
        Some((id.clone(), self.json_webhook(&self.meta_envelope("messages", value))))
    }

    /// The business's message `id` to a group, accepted by the send endpoint: inside the group's window,
    /// one `delivered` and one `read` webhook, each aggregating a status per participant; outside the
    /// window it fails by callback (131047).
    pub(super) fn group_send(&mut self, id: &str, group: &str, what: &str, at: i64) {
        let key = format!("group:{group}");
        let open = self.window_open_for(&key, at);
        let outcome = if open { format!("accepted {id}") } else { "failed 131047".into() };
        let what = if what == "free-form" { "free-form to a group".to_string() } else { format!("{what} to a group") };
        self.log.push(LogLine { at, to: key.clone(), what, outcome });
        if !open {
            self.schedule_status(id, &key, "failed", at + 1_500, Some((131047, "Re-engagement message")));
            return;
        }
        let participants = self.groups.get(group).cloned().unwrap_or_default();
        for (status, after) in [("delivered", 3_000), ("read", 60_000)] {
            let statuses: Vec<Value> = participants
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    json!({"id": id, "status": status, "timestamp": ((at + after) / 1000 + i as i64).to_string(),
                        "recipient_id": group, "recipient_type": "group", "recipient_participant_id": digits(p),
                        "pricing": {"billable": true, "pricing_model": "PMP", "category": "group_service"}})
                })
                .collect();
            let value =
                json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(), "statuses": statuses});
            let webhook = self.json_webhook(&self.meta_envelope("messages", value));
            self.enqueue(at + after, webhook);
        }
    }

    /// The customer calls the business at `at` (a user-initiated `connect`): the provider's window for
    /// them opens, as Meta's does. `None` where calls do not reach the messaging webhook (Twilio routes
    /// them through Programmable Voice; 1msg documents no call shape).
    pub fn customer_calls(&mut self, phone: &str, name: &str, at: i64) -> Option<(String, Webhook)> {
        if self.kind != Kind::MetaCloud {
            return None;
        }
        self.sequence += 1;
        let id = format!("wacid.SIM{:016}", self.sequence);
        self.last_customer_message.insert(phone.to_string(), at);
        let value = json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(),
            "contacts": [{"profile": {"name": name}, "wa_id": digits(phone)}],
            "calls": [{"id": id, "to": digits(&self.business_number), "from": digits(phone), "event": "connect",
                "timestamp": (at / 1000).to_string(), "direction": "USER_INITIATED",
                "session": {"sdp_type": "offer", "sdp": "v=0\r\n"}}]});
        Some((id.clone(), self.json_webhook(&self.meta_envelope("calls", value))))
    }
}

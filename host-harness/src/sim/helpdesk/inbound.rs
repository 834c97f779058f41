//! Inbound: webhooks delivered (verified and normalized by the plugin), deduplicated, threaded into
//! tickets, statuses ranked; and the customer's side of the story (writes, groups, calls).

use super::{Entry, Helpdesk, SharedService, Ticket, empty_conversation, system};
use crate::bindings::exports::helpdesk::whatsapp::inbound::{self, CallDirection, DeliveryStatus, Event, StatusUpdate};
use crate::bindings::exports::helpdesk::whatsapp::types::Customer;
use crate::error::HostError;
use crate::sim::providers::{CustomerMessage, Webhook};
use crate::sim::wit::{WitName, inbound_error_case};

impl<'p> Helpdesk<'p> {
    /// A webhook arrives: verified and normalized by the plugin, then deduplicated, ranked and threaded.
    pub fn deliver(&mut self, webhook: &Webhook) -> Result<(), HostError> {
        self.counts.webhooks += 1;
        let hook = inbound::Webhook {
            provider: self.provider.kind.wit(),
            url: webhook.url.clone(),
            headers: webhook
                .headers
                .iter()
                .map(|(name, value)| inbound::Header { name: name.clone(), value: value.clone() })
                .collect(),
            body: webhook.body.as_bytes().to_vec(),
            received_at: self.now,
        };
        let options = inbound::InboundOptions {
            secret: Some(self.provider.secret.clone()),
            redact_card_numbers: None,
            max_attachment_bytes: None,
            serve_groups: None,
        };
        let events = match self.plugin.normalize(&hook, &options)? {
            Ok(events) => events,
            Err(error) => {
                *self.counts.rejected.entry(inbound_error_case(&error).to_string()).or_default() += 1;
                return Ok(());
            }
        };
        // The window facts take a webhook's events in one `record-events` call per ticket.
        let mut to_fold: Vec<(usize, Vec<Event>)> = Vec::new();
        for event in events {
            let ticket = match &event {
                Event::Message(m) => self.on_message(m),
                Event::Echo(m) => self.on_echo(m)?,
                Event::Status(s) => {
                    self.on_status(s)?;
                    None
                }
                Event::GroupUpdate(g) => Some(self.on_group_update(g)),
                Event::Call(c) => Some(self.on_call(c)),
                Event::Ignored(_)
                | Event::Unreadable(_)
                | Event::History(_)
                | Event::PreferenceUpdate(_)
                | Event::TemplateUpdate(_) => {
                    self.counts.ignored += 1;
                    None
                }
            };
            match (ticket, to_fold.iter_mut().find(|(t, _)| Some(*t) == ticket)) {
                (Some(_), Some((_, batch))) => batch.push(event),
                (Some(t), None) => to_fold.push((t, vec![event])),
                (None, _) => {}
            }
        }
        for (ticket, batch) in to_fold {
            self.fold(ticket, batch)?;
        }
        Ok(())
    }

    fn customer_key(customer: &Customer) -> String {
        customer
            .phone
            .as_ref()
            .or(customer.bsuid.as_ref())
            .or(customer.wa_id.as_ref())
            .map_or("?", String::as_str)
            .to_string()
    }

    /// The thread a message belongs to: its group (one ticket and one window per group, whoever of the
    /// participants writes), else its customer.
    fn thread_key(m: &inbound::Message) -> String {
        match &m.group_id {
            Some(group) => format!("group:{group}"),
            None => Self::customer_key(&m.customer),
        }
    }

    /// A group's lifecycle, participants, settings or status changed: a system note on the group's ticket.
    fn on_group_update(&mut self, g: &inbound::GroupUpdate) -> usize {
        let t = self.ticket_for(&format!("group:{}", g.group_id));
        self.tickets[t].timeline.push(Entry { kind: "group".into(), ..system(self.now, &g.note) });
        t
    }

    /// A call on the customer's ticket; the plugin decides whether it opens the window (a customer's call does).
    fn on_call(&mut self, c: &inbound::CallEvent) -> usize {
        let t = self.ticket_for(&Self::customer_key(&c.customer));
        let ticket = &mut self.tickets[t];
        ticket.chat = "active".into();
        ticket.last_activity = self.now;
        let who = format!("customer {}", c.customer.profile_name.as_deref().unwrap_or(""));
        let what = match (c.direction, c.action) {
            (CallDirection::UserInitiated, inbound::CallAction::Connect) => "called".to_string(),
            (_, action) => format!("call {}", action.wit_name()),
        };
        ticket.timeline.push(Entry {
            at: self.now,
            who: who.trim().into(),
            kind: "call".into(),
            text: what,
            message_id: Some(c.id.clone()),
            status: None,
            not_delivered: None,
        });
        t
    }

    /// Whether `incoming` may replace `current`: the plugin's ranking (`inbound.may-replace-status`).
    fn may_replace(&self, current: Option<DeliveryStatus>, incoming: DeliveryStatus) -> Result<bool, HostError> {
        let Some(current) = current else { return Ok(true) };
        self.plugin.may_replace_status(current, incoming)
    }

    /// The ticket a customer's message goes to: the latest, reopened if solved; a follow-up if closed.
    fn ticket_for(&mut self, customer: &str) -> usize {
        let latest = self.tickets.iter().rposition(|t| t.customer == customer);
        let now = self.now;
        match latest {
            Some(i) if self.tickets[i].state == "open" => i,
            Some(i) if self.tickets[i].state == "solved" => {
                self.tickets[i].state = "open".into();
                self.tickets[i].timeline.push(system(now, "Reopened: the customer wrote again."));
                i
            }
            previous => {
                let id = self.tickets.len() + 1;
                let follow_up_of = previous.map(|i| self.tickets[i].id);
                let mut ticket = Ticket {
                    id,
                    customer: customer.into(),
                    state: "open".into(),
                    follow_up_of,
                    chat: "active".into(),
                    conversation: empty_conversation(),
                    timeline: Vec::new(),
                    last_activity: now,
                    holds: Vec::new(),
                };
                if let Some(old) = follow_up_of {
                    ticket.timeline.push(system(now, &format!("Follow-up of closed ticket #{old}.")));
                    // The window carries over: it is the same WhatsApp conversation.
                    ticket.conversation = self.tickets[old - 1].conversation;
                }
                self.tickets.push(ticket);
                self.tickets.len() - 1
            }
        }
    }

    /// Fold events into a ticket's window facts, through the plugin.
    fn fold(&mut self, ticket: usize, events: Vec<Event>) -> Result<(), HostError> {
        let conversation = self.tickets[ticket].conversation;
        let folded = self.plugin.record_events(conversation, &events)?;
        self.tickets[ticket].conversation = folded;
        Ok(())
    }

    /// A customer message on its ticket; the ticket whose window facts it must be folded into, unless
    /// it is a duplicate.
    fn on_message(&mut self, m: &inbound::Message) -> Option<usize> {
        let id = m.id.clone();
        if !self.seen.insert(id.clone()) {
            self.counts.duplicates += 1;
            return None;
        }
        self.counts.messages += 1;
        let t = self.ticket_for(&Self::thread_key(m));
        let ticket = &mut self.tickets[t];
        ticket.chat = "active".into();
        ticket.last_activity = self.now;
        let who = format!("customer {}", m.customer.profile_name.as_deref().unwrap_or(""));
        ticket.timeline.push(Entry {
            at: self.now,
            who: who.trim().into(),
            kind: "message".into(),
            text: describe_message(m),
            message_id: Some(id),
            status: None,
            not_delivered: None,
        });
        for note in &m.notes {
            ticket.timeline.push(Entry { kind: "note".into(), ..system(self.now, note) });
        }
        Some(t)
    }

    /// A business message seen as an echo; the ticket whose window facts it must be folded into (a
    /// repeat changes nothing there, so duplicates are folded too).
    fn on_echo(&mut self, m: &inbound::Message) -> Result<Option<usize>, HostError> {
        let id = m.id.clone();
        let Some(t) = self.tickets.iter().rposition(|t| t.customer == Self::customer_key(&m.customer)) else {
            self.counts.ignored += 1;
            return Ok(None);
        };
        if !self.seen.insert(id.clone()) {
            // Already on the timeline from the shared-number feed.
            self.counts.duplicates += 1;
            return Ok(Some(t));
        }
        self.counts.echoes += 1;
        // An echo with no feed record: sent from the WhatsApp Business app on a coexistence number.
        let app = SharedService {
            id: "whatsapp-business-app".into(),
            name: "WhatsApp Business app".into(),
            subscribed_at: 0,
        };
        let entry = self.masked_entry(&id, &app, None, m.sent_at, m.text.as_deref().unwrap_or_default())?;
        self.tickets[t].timeline.push(entry);
        Ok(Some(t))
    }

    fn on_status(&mut self, s: &StatusUpdate) -> Result<(), HostError> {
        let id = &s.message_id;
        let incoming = s.status;
        let Some((t, e)) = self.locate(id) else {
            self.counts.ignored += 1;
            return Ok(());
        };
        if s.group_id.is_some() {
            // One status per participant: each ranked on its own, the entry shows the best.
            let participant = Self::customer_key(&s.customer);
            let seen = self.receipts.get(id).and_then(|r| r.get(&participant)).copied();
            if self.may_replace(seen, incoming)? {
                self.receipts.entry(id.clone()).or_default().insert(participant, incoming);
            }
        }
        let current = self.tickets[t].timeline[e].status;
        let replace = self.may_replace(current, incoming)?;
        if !replace {
            self.counts.statuses_kept += 1;
            return Ok(());
        }
        self.counts.statuses_applied += 1;
        let entry = &mut self.tickets[t].timeline[e];
        entry.status = Some(incoming);
        if let Some(failure) = &s.failure {
            entry.not_delivered =
                Some(format!("Not delivered ({} {}): {}", failure.error.code, failure.reason.wit_name(), failure.hint));
        }
        Ok(())
    }

    /// The timeline entry of a provider message id, indexing what was added since the last lookup.
    fn locate(&mut self, id: &str) -> Option<(usize, usize)> {
        self.indexed.resize(self.tickets.len(), 0);
        for (t, ticket) in self.tickets.iter().enumerate() {
            for (e, entry) in ticket.timeline.iter().enumerate().skip(self.indexed[t]) {
                if let Some(m) = &entry.message_id {
                    self.index.entry(m.clone()).or_insert((t, e));
                }
            }
            self.indexed[t] = ticket.timeline.len();
        }
        self.index.get(id).copied()
    }

    /// The customer writes; the provider posts the webhook now, `times` times (a provider's retry).
    pub fn customer_writes(
        &mut self,
        phone: &str,
        name: &str,
        message: &CustomerMessage,
        times: usize,
    ) -> Result<String, HostError> {
        let (id, webhook) = self.provider.customer_message(phone, name, message, self.now);
        for _ in 0..times.max(1) {
            self.deliver(&webhook)?;
        }
        Ok(id)
    }

    /// Participants join a group (Meta only; elsewhere an error: no Groups API there).
    pub fn group_join(&mut self, group: &str, participants: &[String]) -> Result<(), HostError> {
        let webhook = self.provider.group_join(group, participants, self.now).ok_or_else(no_groups)?;
        self.deliver(&webhook)
    }

    /// A participant writes in a group (Meta only).
    pub fn group_writes(
        &mut self,
        group: &str,
        participant: &str,
        name: &str,
        text: &str,
    ) -> Result<String, HostError> {
        let (id, webhook) =
            self.provider.group_message(group, participant, name, text, self.now).ok_or_else(no_groups)?;
        self.deliver(&webhook)?;
        Ok(id)
    }

    /// The customer calls the business (Meta only: Twilio routes calls through Programmable Voice).
    pub fn customer_calls(&mut self, phone: &str, name: &str) -> Result<String, HostError> {
        let (id, webhook) = self.provider.customer_calls(phone, name, self.now).ok_or_else(|| {
            HostError::BadArguments("calls reach the messaging webhook on the Meta Cloud API only".into())
        })?;
        self.deliver(&webhook)?;
        Ok(id)
    }
}

fn no_groups() -> HostError {
    HostError::BadArguments("groups are simulated for the Meta Cloud API (Groups API) only".into())
}

/// A customer message in a line: its text, or what it is.
fn describe_message(m: &inbound::Message) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &m.text {
        parts.push(t.clone());
    }
    if let Some(r) = &m.reaction {
        parts.push(format!("reacted {} to {}", r.emoji.as_deref().unwrap_or("(removed)"), r.target_message_id));
    }
    if let Some(r) = &m.reply_to {
        parts.push(format!("(replying to {r})"));
    }
    if let Some(headline) = m.referral.as_ref().and_then(|r| r.headline.as_ref()) {
        parts.push(format!("(from the ad \"{headline}\")"));
    }
    if parts.is_empty() {
        parts.push(format!("[{}]", m.kind.wit_name()));
    }
    parts.join(" ")
}

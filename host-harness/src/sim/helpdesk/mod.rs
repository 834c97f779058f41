//! The simulated helpdesk: tickets and chats with a timeline each, agents, services sharing one
//! number, a credit ledger and a virtual clock. Every decision about WhatsApp goes through the real
//! component: webhook → verify and normalize → dedup by provider message id → status ranking →
//! threading; agent reply → window check → free-form or template (select, render) → provider.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::billing::{Ledger, NumberState, renew};
use super::providers::{CustomerMessage, Provider, Webhook};
use super::wit::{WitName, inbound_error_case, serialize_conversation, serialize_status};
use crate::bindings::exports::helpdesk::whatsapp::inbound::{self, CallDirection, DeliveryStatus, Event, StatusUpdate};
use crate::bindings::exports::helpdesk::whatsapp::types::{Customer, MessageCategory};
use crate::bindings::exports::helpdesk::whatsapp::window::{self, Conversation, ConversationOrigin, SendKind};
use crate::bindings::exports::helpdesk::whatsapp::{masking, templates};
use crate::error::HostError;
use crate::plugin::PluginHost;

/// A chat ends after this long without a message on either side, unless the scenario sets another.
pub const CHAT_TIMEOUT_MS: i64 = 10 * 60_000;

/// One line of a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub at: i64,
    /// `customer Ana`, `agent Tom`, a service's name, or `system`.
    pub who: String,
    /// `message`, `reply`, `template`, `masked`, `note`, `warning`, `system`.
    pub kind: String,
    pub text: String,
    pub message_id: Option<String>,
    /// Where the message is, serialized by its WIT name.
    #[serde(serialize_with = "serialize_status")]
    pub status: Option<DeliveryStatus>,
    /// A persistent "not delivered" marker: the reason and what to do.
    pub not_delivered: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    pub id: usize,
    pub customer: String,
    /// `open`, `solved` or `closed`.
    pub state: String,
    pub follow_up_of: Option<usize>,
    /// `active` or `ended`.
    pub chat: String,
    /// The window facts (WIT `conversation`), kept from inbound events; serialized as the contract's JSON.
    #[serde(serialize_with = "serialize_conversation")]
    pub conversation: Conversation,
    pub timeline: Vec<Entry>,
    #[serde(skip)]
    last_activity: i64,
    #[serde(skip)]
    holds: Vec<masking::Hold>,
}

/// What the pipeline counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub webhooks: u64,
    pub messages: u64,
    pub echoes: u64,
    pub duplicates: u64,
    pub statuses_applied: u64,
    /// Late or repeated statuses that would have downgraded (or not changed) what the ticket shows.
    pub statuses_kept: u64,
    pub ignored: u64,
    /// Webhooks the plugin refused with a typed error, by case.
    pub rejected: BTreeMap<String, u64>,
}

/// A service on the shared number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedService {
    pub id: String,
    pub name: String,
    pub subscribed_at: i64,
}

pub struct Helpdesk<'p> {
    plugin: &'p PluginHost,
    pub provider: Provider,
    pub now: i64,
    /// The business's POSIX TZ rule.
    pub time_zone: Option<String>,
    pub business_hours: Option<window::BusinessHours>,
    /// This helpdesk's own service on the shared number.
    pub own: SharedService,
    pub services: Vec<SharedService>,
    pub parent: Option<String>,
    pub templates: Vec<templates::Template>,
    pub tickets: Vec<Ticket>,
    pub ledger: Ledger,
    pub opening_credits: i64,
    pub number: NumberState,
    pub alerts: Vec<String>,
    pub counts: Counts,
    pub chat_timeout_ms: i64,
    /// A group message's status per participant (provider message id → participant → status), ranked
    /// by the plugin like any status; the timeline entry shows the best of them.
    pub receipts: BTreeMap<String, BTreeMap<String, DeliveryStatus>>,
    seen: HashSet<String>,
    /// Provider message id → (ticket, entry). Timelines only grow, so the index catches up lazily.
    index: HashMap<String, (usize, usize)>,
    indexed: Vec<usize>,
}

impl<'p> Helpdesk<'p> {
    pub fn new(plugin: &'p PluginHost, provider: Provider, now: i64, own: SharedService, ledger: Ledger) -> Self {
        let opening_credits = ledger.balance;
        Self {
            plugin,
            provider,
            now,
            time_zone: None,
            business_hours: None,
            services: vec![own.clone()],
            own,
            parent: None,
            templates: Vec::new(),
            tickets: Vec::new(),
            ledger,
            opening_credits,
            number: NumberState::Active,
            alerts: Vec::new(),
            counts: Counts::default(),
            chat_timeout_ms: CHAT_TIMEOUT_MS,
            receipts: BTreeMap::new(),
            seen: HashSet::new(),
            index: HashMap::new(),
            indexed: Vec::new(),
        }
    }

    // ---- inbound ----

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
        let folded =
            self.plugin.call_typed(|p, s| p.helpdesk_whatsapp_window().call_record_events(s, conversation, &events))?;
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

    // ---- the customer, agents and services ----

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

    fn window(&self, ticket: usize) -> Result<window::WindowAnswer, HostError> {
        let request = window::WindowRequest {
            conversation: self.tickets[ticket].conversation,
            now: self.now,
            time_zone: self.time_zone.clone(),
            business_hours: self.business_hours.clone(),
            warn_before: None,
            pricing: None,
        };
        self.plugin.check_window(&request)?.map_err(|e| HostError::BadArguments(format!("window check refused: {e:?}")))
    }

    /// The helpdesk shows the agent what the plugin says about the window, on the ticket.
    pub fn show_window(&mut self, customer: &str) -> Result<window::WindowAnswer, HostError> {
        let t = self.require_ticket(customer)?;
        let answer = self.window(t)?;
        let entry = Entry {
            kind: "window".into(),
            ..system(self.now, &format!("Window {}: {}", answer.state.wit_name(), answer.hint))
        };
        self.tickets[t].timeline.push(entry);
        Ok(answer)
    }

    /// The latest ticket of a customer, or an error naming them (a scenario step before they wrote).
    fn require_ticket(&self, customer: &str) -> Result<usize, HostError> {
        self.ticket_of(customer).ok_or_else(|| HostError::BadArguments(format!("no ticket for {customer}")))
    }

    /// The latest ticket of a customer.
    pub fn ticket_of(&self, customer: &str) -> Option<usize> {
        self.tickets.iter().rposition(|t| t.customer == customer)
    }

    /// The business sent a message now: the plugin folds it into the window facts (no rule here).
    fn business_message(&mut self, ticket: usize) -> Result<(), HostError> {
        let conversation = self.tickets[ticket].conversation;
        let sent_at = self.now;
        let folded = self
            .plugin
            .call_typed(|p, s| p.helpdesk_whatsapp_window().call_record_business_message(s, conversation, sent_at))?;
        self.tickets[ticket].conversation = folded;
        self.tickets[ticket].last_activity = self.now;
        Ok(())
    }

    fn debit(&mut self, answer: &window::WindowAnswer, kind: SendKind, category: MessageCategory, what: &str) {
        let line = answer.costs.iter().find(|c| c.kind == kind && c.category == category);
        if line.is_some_and(|l| l.charge == window::Charge::Billable) && self.ledger.debit(self.now, what).is_err() {
            self.alerts.push(format!("No credits left for {what}: top up or enable auto-refill."));
        }
    }

    /// An agent replies free-form. The window is checked first; a reply the plugin says cannot go out
    /// is kept with a persistent marker, unless `force` (a helpdesk that does not check) sends it anyway.
    pub fn agent_reply(
        &mut self,
        customer: &str,
        agent: &str,
        reply: &str,
        force: bool,
    ) -> Result<Option<String>, HostError> {
        let t = self.require_ticket(customer)?;
        let answer = self.window(t)?;
        let mut entry = Entry {
            at: self.now,
            who: format!("agent {agent}"),
            kind: "reply".into(),
            text: reply.into(),
            message_id: None,
            status: None,
            not_delivered: None,
        };
        if !answer.free_form_allowed && !force {
            entry.not_delivered = Some(format!("Not sent: {}", answer.hint));
            self.tickets[t].timeline.push(entry);
            return Ok(None);
        }
        let id = self.provider.send_free_form(customer, self.now);
        self.debit(&answer, SendKind::FreeForm, MessageCategory::Service, "free-form reply");
        self.record_sent(t, entry, &id)?;
        Ok(Some(id))
    }

    /// A message the provider accepted: on the timeline as pending, known for dedup, and a business message
    /// for the window facts.
    fn record_sent(&mut self, ticket: usize, mut entry: Entry, id: &str) -> Result<(), HostError> {
        entry.message_id = Some(id.to_string());
        entry.status = Some(DeliveryStatus::Pending);
        self.seen.insert(id.to_string());
        self.tickets[ticket].timeline.push(entry);
        self.business_message(ticket)
    }

    /// An agent sends a template: chosen by language, rendered by the plugin, sent; problems and
    /// refusals stay on the ticket.
    pub fn agent_template(
        &mut self,
        customer: &str,
        agent: &str,
        name: &str,
        values: &templates::TemplateValues,
        languages: &[String],
    ) -> Result<Option<String>, HostError> {
        let t = self.require_ticket(customer)?;
        let mut entry = Entry {
            at: self.now,
            who: format!("agent {agent}"),
            kind: "template".into(),
            text: format!("template {name}"),
            message_id: None,
            status: None,
            not_delivered: None,
        };
        let approved = &self.templates;
        let fallback = Some("en_US");
        let selected = self
            .plugin
            .call_typed(|p, s| p.helpdesk_whatsapp_templates().call_select(s, approved, name, languages, fallback))?;
        let template = match selected {
            Ok(template) => template,
            Err(no_match) => {
                entry.not_delivered = Some(format!("Not sent: {}", no_match.reason));
                self.tickets[t].timeline.push(entry);
                return Ok(None);
            }
        };
        let target = self.provider.kind.wit();
        let rendered =
            self.plugin.call_typed(|p, s| p.helpdesk_whatsapp_templates().call_render(s, &template, values, target))?;
        let ok = match rendered {
            Ok(ok) => ok,
            Err(problems) => {
                let problems: Vec<&str> = problems.iter().map(|p| p.detail.as_str()).collect();
                entry.not_delivered = Some(format!("Not sent: {}", problems.join("; ")));
                self.tickets[t].timeline.push(entry);
                return Ok(None);
            }
        };
        let visible: Vec<&str> = ok.text.lines().filter(|l| !l.is_empty()).collect();
        entry.text = format!("template {name}: {}", visible.join(" / "));
        let payload: Value = serde_json::from_str(&ok.payload).unwrap_or_default();
        let answer = self.window(t)?;
        match self.provider.send_template(customer, &payload, self.now) {
            Ok(id) => {
                self.debit(&answer, SendKind::Template, template.category, &format!("template {name}"));
                self.record_sent(t, entry, &id)?;
                Ok(Some(id))
            }
            Err(refusal) => {
                entry.not_delivered = Some(format!("Refused by the provider ({}): {}", refusal.code, refusal.title));
                self.tickets[t].timeline.push(entry);
                Ok(None)
            }
        }
    }

    fn service(&self, id: &str) -> Result<SharedService, HostError> {
        self.services
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| HostError::BadArguments(format!("no service `{id}`")))
    }

    fn masked_entry(
        &self,
        id: &str,
        from: &SharedService,
        agent: Option<&str>,
        sent_at: i64,
        content: &str,
    ) -> Result<Entry, HostError> {
        let message = masking::OutboundMessage {
            id: id.into(),
            service: masking::Service { id: from.id.clone(), name: from.name.clone() },
            agent_name: agent.map(str::to_string),
            sent_at,
            kind: inbound::MessageKind::Text,
            template_name: None,
            status: Some(DeliveryStatus::Sent),
            text: Some(content.into()),
            captions: Vec::new(),
            file_names: Vec::new(),
            template_values: Vec::new(),
            urls: Vec::new(),
            attachment_count: 0,
        };
        let policy =
            masking::MaskingPolicy { show_agent_name: true, language: "en".into(), time_zone: self.time_zone.clone() };
        let viewer = self.own_service();
        let result = self
            .plugin
            .call_typed(|p, s| p.helpdesk_whatsapp_masking().call_format_masked_reply(s, &message, &viewer, &policy))?;
        // A refusal shows as an empty reply, as the helpdesk has nothing else to show.
        let (kind, text, status) = match result {
            Ok(entry) => (if entry.content_hidden { "masked" } else { "reply" }, entry.summary, entry.status),
            Err(_) => ("reply", String::new(), None),
        };
        Ok(Entry {
            at: sent_at,
            who: from.name.clone(),
            kind: kind.into(),
            text,
            message_id: Some(id.into()),
            status,
            not_delivered: None,
        })
    }

    fn own_service(&self) -> masking::Service {
        masking::Service { id: self.own.id.clone(), name: self.own.name.clone() }
    }

    /// Another service on the number replies: the shared-number feed shows it masked at once; the
    /// provider's echo webhook (Meta, 1msg) then arrives and is recognised as the same message.
    pub fn service_reply(
        &mut self,
        customer: &str,
        service_id: &str,
        agent: Option<&str>,
        content: &str,
    ) -> Result<String, HostError> {
        let from = self.service(service_id)?;
        let t = self.require_ticket(customer)?;
        let (id, echo) = self.provider.echo(customer, content, self.now);
        let entry = self.masked_entry(&id, &from, agent, self.now, content)?;
        self.seen.insert(id.clone());
        self.tickets[t].timeline.push(entry);
        self.business_message(t)?;
        if let Some(webhook) = echo {
            self.deliver(&webhook)?;
        }
        Ok(id)
    }

    fn channel_state(&self) -> masking::ChannelState {
        let subscriptions = self
            .services
            .iter()
            .map(|s| masking::Subscription {
                service: masking::Service { id: s.id.clone(), name: s.name.clone() },
                subscribed_at: s.subscribed_at,
            })
            .collect();
        masking::ChannelState { subscriptions, parent: self.parent.clone() }
    }

    /// A service wants to run automation (a bot reply): only the parent may.
    pub fn automation(
        &mut self,
        customer: &str,
        service_id: &str,
        kind: masking::AutomationKind,
        content: &str,
    ) -> Result<bool, HostError> {
        let state = self.channel_state();
        let answer = self
            .plugin
            .call_typed(|p, s| p.helpdesk_whatsapp_masking().call_may_automate(s, &state, service_id, kind))?;
        let t = self.require_ticket(customer)?;
        let ok = matches!(&answer, Ok(a) if a.allowed);
        if ok {
            let bot = format!("{} bot", kind.wit_name());
            if service_id == self.own.id {
                self.agent_reply(customer, &bot, content, false)?;
            } else {
                self.service_reply(customer, service_id, Some(&bot), content)?;
            }
        } else {
            let reason = match answer {
                Ok(a) => a.reason,
                Err(e) => format!("{e:?}"),
            };
            self.tickets[t]
                .timeline
                .push(Entry { kind: "warning".into(), ..system(self.now, &format!("Automation refused: {reason}")) });
        }
        Ok(ok)
    }

    /// A service disconnects: parent reassigned, everyone told.
    pub fn disconnect(&mut self, service_id: &str) -> Result<(), HostError> {
        let state = self.channel_state();
        let outcome = self
            .plugin
            .call_typed(|p, s| p.helpdesk_whatsapp_masking().call_after_disconnect(s, &state, service_id))?;
        let ok = outcome.map_err(|e| HostError::BadArguments(format!("disconnect refused: {e:?}")))?;
        self.services.retain(|s| s.id != service_id);
        self.parent = ok.parent;
        for notice in ok.notices {
            self.alerts.push(format!("to {}: {}", notice.service_id, notice.message));
        }
        Ok(())
    }

    /// An agent of a service opens the customer's conversation: a warning if others hold it.
    pub fn pick_up(&mut self, customer: &str, agent: &str, service_id: &str) -> Result<(), HostError> {
        let service = self.service(service_id)?;
        let t = self.require_ticket(customer)?;
        let service = masking::Service { id: service.id, name: service.name };
        let holds = &self.tickets[t].holds;
        let now = self.now;
        let answer = self
            .plugin
            .call_typed(|p, s| p.helpdesk_whatsapp_masking().call_pick_up(s, holds, agent, &service, now))?;
        if let Some(warning) = answer.warning {
            self.tickets[t]
                .timeline
                .push(Entry { kind: "warning".into(), ..system(self.now, &format!("{agent}: {warning}")) });
        }
        self.tickets[t].holds.push(masking::Hold { agent: agent.into(), service, since: self.now });
        Ok(())
    }

    pub fn set_state(&mut self, customer: &str, state: &str) -> Result<(), HostError> {
        let t = self.require_ticket(customer)?;
        self.tickets[t].state = state.into();
        Ok(())
    }

    /// The number's renewal on `day` of its cycle, with the card as it is.
    pub fn renewal(&mut self, day: u32) {
        if let Some(attempt) = renew(&self.number, day, 1_500, self.ledger.card_ok) {
            if let Some(alert) = attempt.alert {
                self.alerts.push(alert);
            }
            self.number = attempt.state;
        }
    }

    /// Let time pass: callbacks due on the way arrive in order; idle chats end.
    pub fn advance(&mut self, ms: i64) -> Result<(), HostError> {
        let until = self.now + ms.max(0);
        while let Some(at) = self.provider.next_due().filter(|&at| at <= until) {
            self.now = self.now.max(at);
            for webhook in self.provider.due(self.now) {
                self.deliver(&webhook)?;
            }
        }
        self.now = until;
        for ticket in &mut self.tickets {
            if ticket.chat == "active" && self.now - ticket.last_activity >= self.chat_timeout_ms {
                ticket.chat = "ended".into();
                let ended_at = ticket.last_activity + self.chat_timeout_ms;
                ticket.timeline.push(system(
                    ended_at,
                    &format!("Chat ended after {} minutes without a message.", self.chat_timeout_ms / 60_000),
                ));
            }
        }
        Ok(())
    }

    /// Everything an expectation can look at, as JSON.
    pub fn state(&self) -> Value {
        json!({
            "now": self.now,
            "tickets": self.tickets,
            "provider_log": self.provider.log,
            "ledger": {"balance": self.ledger.balance, "entries": self.ledger.entries, "balanced": self.ledger.balanced(self.opening_credits)},
            "number": self.number,
            "alerts": self.alerts,
            "counts": self.counts,
            "receipts": self.receipts.iter().flat_map(|(id, by)| by.iter().map(move |(participant, status)|
                json!({"message_id": id, "participant": participant, "status": status.wit_name()}))).collect::<Vec<_>>(),
            "parent": self.parent,
            "services": self.services,
        })
    }
}

fn no_groups() -> HostError {
    HostError::BadArguments("groups are simulated for the Meta Cloud API (Groups API) only".into())
}

fn system(at: i64, message: &str) -> Entry {
    Entry {
        at,
        who: "system".into(),
        kind: "system".into(),
        text: message.into(),
        message_id: None,
        status: None,
        not_delivered: None,
    }
}

/// The window facts of a conversation that has not begun.
fn empty_conversation() -> Conversation {
    Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    }
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

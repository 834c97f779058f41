//! The simulated helpdesk: tickets and chats with a timeline each, agents, services sharing one
//! number, a credit ledger and a virtual clock. Every decision about WhatsApp goes through the real
//! component: webhook → verify and normalize → dedup by provider message id → status ranking →
//! threading; agent reply → window check → free-form or template (select, render) → provider.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::billing::{Ledger, NumberState, renew};
use super::providers::{CustomerMessage, Provider, Webhook};
use crate::error::HostError;
use crate::json::args;
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
    pub status: Option<String>,
    /// A persistent "not delivered" marker: the reason and what to do.
    pub not_delivered: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub id: usize,
    pub customer: String,
    /// `open`, `solved` or `closed`.
    pub state: String,
    pub follow_up_of: Option<usize>,
    /// `active` or `ended`.
    pub chat: String,
    /// The window facts (WIT `conversation`), kept from inbound events.
    pub conversation: Value,
    pub timeline: Vec<Entry>,
    #[serde(skip)]
    last_activity: i64,
    #[serde(skip)]
    holds: Vec<Value>,
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
    pub business_hours: Option<Value>,
    /// This helpdesk's own service on the shared number.
    pub own: SharedService,
    pub services: Vec<SharedService>,
    pub parent: Option<String>,
    pub templates: Vec<Value>,
    pub tickets: Vec<Ticket>,
    pub ledger: Ledger,
    pub opening_credits: i64,
    pub number: NumberState,
    pub alerts: Vec<String>,
    pub counts: Counts,
    pub chat_timeout_ms: i64,
    /// A group message's status per participant (provider message id → participant → status), ranked
    /// by the plugin like any status; the timeline entry shows the best of them.
    pub receipts: BTreeMap<String, BTreeMap<String, String>>,
    seen: HashSet<String>,
    /// Provider message id → (ticket, entry). Timelines only grow, so the index catches up lazily.
    index: HashMap<String, (usize, usize)>,
    indexed: Vec<usize>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
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

    fn call(&self, interface: &str, function: &str, call: Map<String, Value>) -> Result<Value, HostError> {
        self.plugin.call_json(interface, function, &call)
    }

    // ---- inbound ----

    /// A webhook arrives: verified and normalized by the plugin, then deduplicated, ranked and threaded.
    pub fn deliver(&mut self, webhook: &Webhook) -> Result<(), HostError> {
        self.counts.webhooks += 1;
        let headers: Vec<Value> = webhook.headers.iter().map(|(k, v)| json!({"name": k, "value": v})).collect();
        let hook = json!({"provider": self.provider.kind.wit_name(), "url": webhook.url, "headers": headers,
            "body": webhook.body.as_bytes(), "received_at": self.now});
        let options = json!({"secret": self.provider.secret});
        let result = self.call("inbound", "normalize", args([("webhook", hook), ("options", options)]))?;
        let events = match (result.get("ok"), result.get("error")) {
            (Some(Value::Array(events)), _) => events.clone(),
            (_, Some(error)) => {
                let case = error.as_object().and_then(|o| o.keys().next().cloned()).unwrap_or_else(|| text(error));
                *self.counts.rejected.entry(case).or_default() += 1;
                return Ok(());
            }
            _ => return Ok(()),
        };
        // The window facts take a webhook's events in one `record-events` call per ticket.
        let mut to_fold: Vec<(usize, Vec<Value>)> = Vec::new();
        for event in events {
            let Some((case, body)) = event.as_object().and_then(|o| o.iter().next()) else { continue };
            let ticket = match case.as_str() {
                "message" => self.on_message(body),
                "echo" => self.on_echo(body)?,
                "status" => {
                    self.on_status(body)?;
                    None
                }
                "group-update" => Some(self.on_group_update(body)),
                "call" => Some(self.on_call(body)),
                _ => {
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

    fn customer_key(customer: &Value) -> String {
        customer["phone"]
            .as_str()
            .or(customer["bsuid"].as_str())
            .or(customer["wa_id"].as_str())
            .unwrap_or("?")
            .to_string()
    }

    /// The thread a message belongs to: its group (one ticket and one window per group, whoever of the
    /// participants writes), else its customer.
    fn thread_key(m: &Value) -> String {
        match m["group_id"].as_str() {
            Some(group) => format!("group:{group}"),
            None => Self::customer_key(&m["customer"]),
        }
    }

    /// A group's lifecycle, participants, settings or status changed: a system note on the group's ticket.
    fn on_group_update(&mut self, g: &Value) -> usize {
        let t = self.ticket_for(&format!("group:{}", text(&g["group_id"])));
        self.tickets[t].timeline.push(Entry { kind: "group".into(), ..system(self.now, &text(&g["note"])) });
        t
    }

    /// A call on the customer's ticket; the plugin decides whether it opens the window (a customer's call does).
    fn on_call(&mut self, c: &Value) -> usize {
        let t = self.ticket_for(&Self::customer_key(&c["customer"]));
        let ticket = &mut self.tickets[t];
        ticket.chat = "active".into();
        ticket.last_activity = self.now;
        let who = format!("customer {}", c["customer"]["profile_name"].as_str().unwrap_or(""));
        let what = match (text(&c["direction"]).as_str(), text(&c["action"]).as_str()) {
            ("user-initiated", "connect") => "called".to_string(),
            (_, action) => format!("call {action}"),
        };
        ticket.timeline.push(Entry {
            at: self.now,
            who: who.trim().into(),
            kind: "call".into(),
            text: what,
            message_id: Some(text(&c["id"])),
            status: None,
            not_delivered: None,
        });
        t
    }

    /// Whether `incoming` may replace `current`: the plugin's ranking (`inbound.may-replace-status`).
    fn may_replace(&self, current: Option<&str>, incoming: &str) -> Result<bool, HostError> {
        let Some(current) = current else { return Ok(true) };
        let answer = self.call(
            "inbound",
            "may-replace-status",
            args([("current", json!(current)), ("incoming", json!(incoming))]),
        )?;
        Ok(answer.as_bool().unwrap_or(false))
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
                    conversation: json!({"origin": "organic"}),
                    timeline: Vec::new(),
                    last_activity: now,
                    holds: Vec::new(),
                };
                if let Some(old) = follow_up_of {
                    ticket.timeline.push(system(now, &format!("Follow-up of closed ticket #{old}.")));
                    // The window carries over: it is the same WhatsApp conversation.
                    ticket.conversation = self.tickets[old - 1].conversation.clone();
                }
                self.tickets.push(ticket);
                self.tickets.len() - 1
            }
        }
    }

    /// Fold events into a ticket's window facts, through the plugin.
    fn fold(&mut self, ticket: usize, events: Vec<Value>) -> Result<(), HostError> {
        let conversation = full_conversation(&self.tickets[ticket].conversation);
        let folded = self.call(
            "window",
            "record-events",
            args([("conversation", conversation), ("events", Value::Array(events))]),
        )?;
        self.tickets[ticket].conversation = folded;
        Ok(())
    }

    /// A customer message on its ticket; the ticket whose window facts it must be folded into, unless
    /// it is a duplicate.
    fn on_message(&mut self, m: &Value) -> Option<usize> {
        let id = text(&m["id"]);
        if !self.seen.insert(id.clone()) {
            self.counts.duplicates += 1;
            return None;
        }
        self.counts.messages += 1;
        let t = self.ticket_for(&Self::thread_key(m));
        let ticket = &mut self.tickets[t];
        ticket.chat = "active".into();
        ticket.last_activity = self.now;
        let who = format!("customer {}", m["customer"]["profile_name"].as_str().unwrap_or(""));
        ticket.timeline.push(Entry {
            at: self.now,
            who: who.trim().into(),
            kind: "message".into(),
            text: describe_message(m),
            message_id: Some(id),
            status: None,
            not_delivered: None,
        });
        for note in m["notes"].as_array().into_iter().flatten() {
            ticket.timeline.push(Entry { kind: "note".into(), ..system(self.now, note.as_str().unwrap_or_default()) });
        }
        Some(t)
    }

    /// A business message seen as an echo; the ticket whose window facts it must be folded into (a
    /// repeat changes nothing there, so duplicates are folded too).
    fn on_echo(&mut self, m: &Value) -> Result<Option<usize>, HostError> {
        let id = text(&m["id"]);
        let Some(t) = self.tickets.iter().rposition(|t| t.customer == Self::customer_key(&m["customer"])) else {
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
        let entry = self.masked_entry(&id, &app, None, m["sent_at"].as_i64().unwrap_or(self.now), &text(&m["text"]))?;
        self.tickets[t].timeline.push(entry);
        Ok(Some(t))
    }

    fn on_status(&mut self, s: &Value) -> Result<(), HostError> {
        let id = text(&s["message_id"]);
        let incoming = text(&s["status"]);
        let Some((t, e)) = self.locate(&id) else {
            self.counts.ignored += 1;
            return Ok(());
        };
        if s["group_id"].is_string() {
            // One status per participant: each ranked on its own, the entry shows the best.
            let participant = Self::customer_key(&s["customer"]);
            let seen = self.receipts.get(&id).and_then(|r| r.get(&participant)).cloned();
            if self.may_replace(seen.as_deref(), &incoming)? {
                self.receipts.entry(id.clone()).or_default().insert(participant, incoming.clone());
            }
        }
        let current = self.tickets[t].timeline[e].status.clone();
        let replace = self.may_replace(current.as_deref(), &incoming)?;
        if !replace {
            self.counts.statuses_kept += 1;
            return Ok(());
        }
        self.counts.statuses_applied += 1;
        let entry = &mut self.tickets[t].timeline[e];
        entry.status = Some(incoming.clone());
        if let Some(failure) = s["failure"].as_object() {
            entry.not_delivered = Some(format!(
                "Not delivered ({} {}): {}",
                failure["error"]["code"],
                text(&failure["reason"]),
                text(&failure["hint"])
            ));
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

    fn window(&self, ticket: usize) -> Result<Value, HostError> {
        let mut request =
            json!({"conversation": full_conversation(&self.tickets[ticket].conversation), "now": self.now});
        if let Some(zone) = &self.time_zone {
            request["time_zone"] = json!(zone);
        }
        if let Some(hours) = &self.business_hours {
            request["business_hours"] = hours.clone();
        }
        let answer = self.call("window", "check", args([("request", request)]))?;
        answer.get("ok").cloned().ok_or_else(|| HostError::BadArguments(format!("window check refused: {answer}")))
    }

    /// The helpdesk shows the agent what the plugin says about the window, on the ticket.
    pub fn show_window(&mut self, customer: &str) -> Result<Value, HostError> {
        let t = self.require_ticket(customer)?;
        let answer = self.window(t)?;
        let entry = Entry {
            kind: "window".into(),
            ..system(self.now, &format!("Window {}: {}", text(&answer["state"]), text(&answer["hint"])))
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
        let conversation = full_conversation(&self.tickets[ticket].conversation);
        let call = args([("conversation", conversation), ("sent_at", json!(self.now))]);
        self.tickets[ticket].conversation = self.call("window", "record-business-message", call)?;
        self.tickets[ticket].last_activity = self.now;
        Ok(())
    }

    fn debit(&mut self, answer: &Value, kind: &str, category: &str, what: &str) {
        let line =
            answer["costs"].as_array().into_iter().flatten().find(|c| c["kind"] == kind && c["category"] == category);
        if line.is_some_and(|l| l["charge"] == "billable") && self.ledger.debit(self.now, what).is_err() {
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
        if answer["free_form_allowed"] != true && !force {
            entry.not_delivered = Some(format!("Not sent: {}", text(&answer["hint"])));
            self.tickets[t].timeline.push(entry);
            return Ok(None);
        }
        let id = self.provider.send_free_form(customer, self.now);
        self.debit(&answer, "free-form", "service", "free-form reply");
        self.record_sent(t, entry, &id)?;
        Ok(Some(id))
    }

    /// A message the provider accepted: on the timeline as pending, known for dedup, and a business message
    /// for the window facts.
    fn record_sent(&mut self, ticket: usize, mut entry: Entry, id: &str) -> Result<(), HostError> {
        entry.message_id = Some(id.to_string());
        entry.status = Some("pending".into());
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
        values: &Value,
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
        let selected = self.call(
            "templates",
            "select",
            args([
                ("approved", json!(self.templates)),
                ("name", json!(name)),
                ("preferences", json!(languages)),
                ("fallback_language", json!("en_US")),
            ]),
        )?;
        let Some(template) = selected.get("ok").cloned() else {
            entry.not_delivered = Some(format!("Not sent: {}", text(&selected["error"]["reason"])));
            self.tickets[t].timeline.push(entry);
            return Ok(None);
        };
        let rendered = self.call(
            "templates",
            "render",
            args([
                ("template", template.clone()),
                ("values", values.clone()),
                ("target", json!(self.provider.kind.wit_name())),
            ]),
        )?;
        let Some(ok) = rendered.get("ok") else {
            let problems: Vec<String> =
                rendered["error"].as_array().into_iter().flatten().map(|p| text(&p["detail"])).collect();
            entry.not_delivered = Some(format!("Not sent: {}", problems.join("; ")));
            self.tickets[t].timeline.push(entry);
            return Ok(None);
        };
        let visible: Vec<&str> = ok["text"].as_str().unwrap_or_default().lines().filter(|l| !l.is_empty()).collect();
        entry.text = format!("template {name}: {}", visible.join(" / "));
        let payload: Value = serde_json::from_str(ok["payload"].as_str().unwrap_or("{}")).unwrap_or_default();
        let answer = self.window(t)?;
        match self.provider.send_template(customer, &payload, self.now) {
            Ok(id) => {
                self.debit(
                    &answer,
                    "template",
                    template["category"].as_str().unwrap_or("utility"),
                    &format!("template {name}"),
                );
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
        let message = json!({"id": id, "service": {"id": from.id, "name": from.name}, "agent_name": agent, "sent_at": sent_at,
            "kind": "text", "status": "sent", "text": content, "captions": [], "file_names": [], "template_values": [], "urls": [],
            "attachment_count": 0});
        let policy = json!({"show_agent_name": true, "language": "en", "time_zone": self.time_zone});
        let viewer = json!({"id": self.own.id, "name": self.own.name});
        let result = self.call(
            "masking",
            "format-masked-reply",
            args([("message", message), ("viewer", viewer), ("policy", policy)]),
        )?;
        let entry = result.get("ok").cloned().unwrap_or_default();
        Ok(Entry {
            at: sent_at,
            who: from.name.clone(),
            kind: if entry["content_hidden"] == true { "masked".into() } else { "reply".into() },
            text: text(&entry["summary"]),
            message_id: Some(id.into()),
            status: entry["status"].as_str().map(str::to_string),
            not_delivered: None,
        })
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

    fn channel_state(&self) -> Value {
        let subscriptions: Vec<Value> = self
            .services
            .iter()
            .map(|s| json!({"service": {"id": s.id, "name": s.name}, "subscribed_at": s.subscribed_at}))
            .collect();
        json!({"subscriptions": subscriptions, "parent": self.parent})
    }

    /// A service wants to run automation (a bot reply): only the parent may.
    pub fn automation(
        &mut self,
        customer: &str,
        service_id: &str,
        kind: &str,
        content: &str,
    ) -> Result<bool, HostError> {
        let answer = self.call(
            "masking",
            "may-automate",
            args([("state", self.channel_state()), ("service_id", json!(service_id)), ("kind", json!(kind))]),
        )?;
        let t = self.require_ticket(customer)?;
        let ok = answer["ok"]["allowed"] == true;
        if ok {
            if service_id == self.own.id {
                self.agent_reply(customer, &format!("{kind} bot"), content, false)?;
            } else {
                self.service_reply(customer, service_id, Some(&format!("{kind} bot")), content)?;
            }
        } else {
            let reason = answer["ok"]["reason"].as_str().map(str::to_string).unwrap_or_else(|| answer.to_string());
            self.tickets[t]
                .timeline
                .push(Entry { kind: "warning".into(), ..system(self.now, &format!("Automation refused: {reason}")) });
        }
        Ok(ok)
    }

    /// A service disconnects: parent reassigned, everyone told.
    pub fn disconnect(&mut self, service_id: &str) -> Result<(), HostError> {
        let outcome = self.call(
            "masking",
            "after-disconnect",
            args([("state", self.channel_state()), ("service_id", json!(service_id))]),
        )?;
        let Some(ok) = outcome.get("ok") else {
            return Err(HostError::BadArguments(format!("disconnect refused: {outcome}")));
        };
        self.services.retain(|s| s.id != service_id);
        self.parent = ok["parent"].as_str().map(str::to_string);
        for notice in ok["notices"].as_array().into_iter().flatten() {
            self.alerts.push(format!("to {}: {}", text(&notice["service_id"]), text(&notice["message"])));
        }
        Ok(())
    }

    /// An agent of a service opens the customer's conversation: a warning if others hold it.
    pub fn pick_up(&mut self, customer: &str, agent: &str, service_id: &str) -> Result<(), HostError> {
        let service = self.service(service_id)?;
        let t = self.require_ticket(customer)?;
        let service_json = json!({"id": service.id, "name": service.name});
        let answer = self.call(
            "masking",
            "pick-up",
            args([
                ("holds", json!(self.tickets[t].holds)),
                ("agent", json!(agent)),
                ("service", service_json.clone()),
                ("now", json!(self.now)),
            ]),
        )?;
        if let Some(warning) = answer["warning"].as_str() {
            self.tickets[t]
                .timeline
                .push(Entry { kind: "warning".into(), ..system(self.now, &format!("{agent}: {warning}")) });
        }
        self.tickets[t].holds.push(json!({"agent": agent, "service": service_json, "since": self.now}));
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
                json!({"message_id": id, "participant": participant, "status": status}))).collect::<Vec<_>>(),
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

/// The window facts with every optional field present, as the WIT record needs.
fn full_conversation(c: &Value) -> Value {
    let mut full = json!({"last_customer_message": null, "last_business_message_at": null, "origin": "organic",
        "entry_message_at": null, "first_business_reply_at": null});
    for (k, v) in c.as_object().into_iter().flatten() {
        full[k] = v.clone();
    }
    full
}

/// A customer message in a line: its text, or what it is.
fn describe_message(m: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(t) = m["text"].as_str() {
        parts.push(t.to_string());
    }
    if let Some(r) = m["reaction"].as_object() {
        parts.push(format!(
            "reacted {} to {}",
            r.get("emoji").and_then(Value::as_str).unwrap_or("(removed)"),
            text(&r["target_message_id"])
        ));
    }
    if let Some(r) = m["reply_to"].as_str() {
        parts.push(format!("(replying to {r})"));
    }
    if let Some(headline) = m["referral"]["headline"].as_str() {
        parts.push(format!("(from the ad \"{headline}\")"));
    }
    if parts.is_empty() {
        parts.push(format!("[{}]", text(&m["kind"])));
    }
    parts.join(" ")
}

//! Sending: an agent's free-form replies, attachments and templates (window checked, selected,
//! rendered, composed and sent through `outbound.rs`), the credits they cost, and automation on the
//! shared number.

use super::outbound::Sent;
use super::{Entry, Helpdesk, system};
use crate::bindings::exports::helpdesk::whatsapp::inbound::DeliveryStatus;
use crate::bindings::exports::helpdesk::whatsapp::outbound::{Content, Media, MediaSource, RenderedTemplate};
use crate::bindings::exports::helpdesk::whatsapp::types::MessageCategory;
use crate::bindings::exports::helpdesk::whatsapp::window::{self, SendKind};
use crate::bindings::exports::helpdesk::whatsapp::{masking, templates};
use crate::error::HostError;
use crate::sim::providers::HostedFile;
use crate::sim::wit::WitName;

impl<'p> Helpdesk<'p> {
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
        // A helpdesk that does not check (`force`) tells the component the window is open.
        let mut facts = answer.clone();
        facts.free_form_allowed |= force;
        match self.compose_and_send(t, entry, customer, Content::Text(reply.into()), facts)? {
            Sent::Accepted(id) => {
                self.debit(&answer, SendKind::FreeForm, MessageCategory::Service, "free-form reply");
                Ok(Some(id))
            }
            Sent::Kept => Ok(None),
        }
    }

    /// An agent attaches a file (already in the helpdesk's cloud storage at `media.source`): composed and
    /// checked by the component (size and type per provider), or kept with the problems and what to do.
    pub fn agent_attach(&mut self, customer: &str, agent: &str, media: Media) -> Result<Option<String>, HostError> {
        let t = self.require_ticket(customer)?;
        let answer = self.window(t)?;
        // The helpdesk's cloud storage serves the file at its link, where the provider fetches it.
        if let (MediaSource::Link(link), Some(mime), Some(size)) = (&media.source, &media.mime_type, media.size_bytes) {
            let file = HostedFile { mime_type: mime.clone(), size_bytes: size, animated: media.animated == Some(true) };
            self.provider.files.links.insert(link.clone(), file);
        }
        let name = media.filename.clone().unwrap_or_else(|| media.kind.wit_name().to_string());
        let size = media.size_bytes.map(|b| format!(", {:.1} MB", b as f64 / 1_000_000.0)).unwrap_or_default();
        let entry = Entry {
            at: self.now,
            who: format!("agent {agent}"),
            kind: "reply".into(),
            text: format!("[{} {name}{size}] {}", media.kind.wit_name(), media.caption.clone().unwrap_or_default())
                .trim_end()
                .to_string(),
            message_id: None,
            status: None,
            not_delivered: None,
        };
        match self.compose_and_send(t, entry, customer, Content::Media(media), answer.clone())? {
            Sent::Accepted(id) => {
                self.debit(&answer, SendKind::FreeForm, MessageCategory::Service, "free-form reply");
                Ok(Some(id))
            }
            Sent::Kept => Ok(None),
        }
    }

    /// A message the provider accepted: on the timeline as pending, known for dedup, and a business message
    /// for the window facts.
    pub(super) fn record_sent(&mut self, ticket: usize, mut entry: Entry, id: &str) -> Result<(), HostError> {
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
        let answer = self.window(t)?;
        let content = Content::RenderedTemplate(RenderedTemplate {
            rendered: ok,
            category: template.category,
            name: name.to_string(),
        });
        match self.compose_and_send(t, entry, customer, content, answer.clone())? {
            Sent::Accepted(id) => {
                self.debit(&answer, SendKind::Template, template.category, &format!("template {name}"));
                Ok(Some(id))
            }
            Sent::Kept => Ok(None),
        }
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
}

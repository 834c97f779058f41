//! Services sharing the number: their replies masked for this helpdesk, the channel state, who may
//! automate, disconnects and pick-ups.

use super::{Entry, Helpdesk, SharedService, system};
use crate::bindings::exports::helpdesk::whatsapp::inbound::{self, DeliveryStatus};
use crate::bindings::exports::helpdesk::whatsapp::masking;
use crate::error::HostError;

impl<'p> Helpdesk<'p> {
    fn service(&self, id: &str) -> Result<SharedService, HostError> {
        self.services
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| HostError::BadArguments(format!("no service `{id}`")))
    }

    pub(super) fn masked_entry(
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

    pub(super) fn channel_state(&self) -> masking::ChannelState {
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
}

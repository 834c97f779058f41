//! The helpdesk's door to the provider: every reply and template is composed by the component
//! (`outbound.compose`), sent as the provider's HTTP request to the simulated provider's send
//! endpoint, and its answer read back by the component (`outbound.read-response`). Problems found
//! before sending and refusals read from the answer stay on the ticket as persistent markers.

use super::{Entry, Helpdesk};
use crate::bindings::exports::helpdesk::whatsapp::outbound::{
    Account, ComposeRequest, Content, MetaAccount, OneMsgAccount, ProviderResponse, Recipient, SendOutcome, SentCall,
    TwilioAccount, TwilioSender, WindowFacts,
};
use crate::bindings::exports::helpdesk::whatsapp::window::WindowAnswer;
use crate::error::HostError;
use crate::sim::providers::{HttpRequest, Kind, META_PHONE_NUMBER_ID, ONE_MSG_INSTANCE, TWILIO_ACCOUNT_SID};
use crate::sim::wit::WitName;

/// What came of one composed send.
pub(super) enum Sent {
    /// The provider accepted it under this id.
    Accepted(String),
    /// It stays on the ticket with a "not sent" marker (the entry was pushed).
    Kept,
}

impl<'p> Helpdesk<'p> {
    /// This helpdesk's account on its provider, as the contract takes it.
    fn account(&self) -> Account {
        match self.provider.kind {
            Kind::MetaCloud => Account::MetaCloud(MetaAccount {
                phone_number_id: META_PHONE_NUMBER_ID.into(),
                graph_api_version: None,
            }),
            Kind::Twilio => Account::Twilio(TwilioAccount {
                account_sid: TWILIO_ACCOUNT_SID.into(),
                sender: TwilioSender::From(self.provider.business_number.clone()),
                status_callback: Some(self.provider.url.clone()),
            }),
            Kind::OneMsg => {
                Account::OneMsg(OneMsgAccount { api_url: format!("https://api.1msg.io/{ONE_MSG_INSTANCE}") })
            }
        }
    }

    /// Compose `content` for `to` (a phone, or `group:<id>`) with the window as the helpdesk read it, send
    /// it, read the answer. `entry` is the timeline line for it, kept with a marker when it does not go out.
    pub(super) fn compose_and_send(
        &mut self,
        ticket: usize,
        mut entry: Entry,
        to: &str,
        content: Content,
        window: WindowAnswer,
    ) -> Result<Sent, HostError> {
        let recipient = match to.strip_prefix("group:") {
            Some(group) => Recipient::Group(group.into()),
            None => Recipient::Phone(to.into()),
        };
        let request = ComposeRequest {
            account: self.account(),
            recipient,
            content,
            reply_to: None,
            preview_url: false,
            window: WindowFacts::Checked(window),
            now: self.now,
            marketing_opted_out: None,
            recipient_country: None,
        };
        let answer = self.plugin.compose(&request)?;
        let answer = answer.map_err(|e| HostError::BadArguments(format!("compose refused the request: {e:?}")))?;
        let Some(http) = answer.request else {
            let problems: Vec<String> =
                answer.problems.iter().map(|p| format!("{}. {}", p.detail, p.suggestion)).collect();
            let template: Vec<&str> = answer.template_problems.iter().map(|p| p.detail.as_str()).collect();
            entry.not_delivered =
                Some(format!("Not sent: {}", [problems.join("; "), template.join("; ")].join(" ").trim()));
            self.tickets[ticket].timeline.push(entry);
            return Ok(Sent::Kept);
        };
        let url = format!("{}{}", http.base_url, http.path);
        let wire = HttpRequest::to_url(&http.method, &url, &http.content_type, http.body.as_bytes());
        let response = self.provider.handle_send(&wire, self.now);
        let read = ProviderResponse {
            provider: self.provider.kind.wit(),
            call: SentCall::Compose,
            status: response.status,
            body: response.text(),
        };
        let outcome = self.plugin.read_response(&read)?;
        match outcome.map_err(|e| HostError::BadArguments(format!("read-response refused the answer: {e:?}")))? {
            SendOutcome::Sent(sent) => {
                let id = sent.message_id.unwrap_or_default();
                self.record_sent(ticket, entry, &id)?;
                Ok(Sent::Accepted(id))
            }
            // The same words as a `failed` status webhook (inbound.rs), read from the synchronous answer.
            SendOutcome::Failed(failure) => {
                entry.not_delivered =
                    Some(format!("Not sent ({} {}): {}", failure.error.code, failure.reason.wit_name(), failure.hint));
                self.tickets[ticket].timeline.push(entry);
                Ok(Sent::Kept)
            }
        }
    }
}

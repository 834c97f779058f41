//! `outbound`: compose the provider's HTTP request for a send, and read its answer.

use super::Plugin;
use super::exports::helpdesk::whatsapp::outbound as wo;
use crate::outbound::model as om;
use crate::outbound::response as or;

impl wo::Guest for Plugin {
    fn compose(request: wo::ComposeRequest) -> Result<wo::ComposeAnswer, wo::ComposeError> {
        super::free_after_return(wo::__post_return_compose::<Plugin>);
        crate::outbound::compose(&request.into()).map(Into::into).map_err(Into::into)
    }

    fn mark_read(request: wo::ReadRequest) -> Result<wo::ReadAnswer, wo::ComposeError> {
        super::free_after_return(wo::__post_return_mark_read::<Plugin>);
        crate::outbound::mark_read(&request.into()).map(Into::into).map_err(Into::into)
    }

    fn read_response(response: wo::ProviderResponse) -> Result<wo::SendOutcome, wo::ComposeError> {
        super::free_after_return(wo::__post_return_read_response::<Plugin>);
        crate::outbound::response::read_response(&response.into()).map(Into::into).map_err(Into::into)
    }
}

// ---- WIT -> core ----

into_fields!(wo::ComposeRequest => om::ComposeRequest {
    account, recipient, content, reply_to, preview_url, window, now, marketing_opted_out, recipient_country
});
into_fields!(wo::ReadRequest => om::ReadRequest { account, recipient, message_id, typing_indicator });
into_fields!(wo::ProviderResponse => or::ProviderResponse { provider, call, status, body });

impl From<wo::Account> for om::Account {
    fn from(a: wo::Account) -> Self {
        match a {
            wo::Account::MetaCloud(m) => {
                om::Account::Meta { phone_number_id: m.phone_number_id, graph_api_version: m.graph_api_version }
            }
            wo::Account::Twilio(t) => om::Account::Twilio {
                account_sid: t.account_sid,
                sender: t.sender.into(),
                status_callback: t.status_callback,
            },
            wo::Account::OneMsg(o) => om::Account::OneMsg { api_url: o.api_url },
        }
    }
}

impl From<wo::TwilioSender> for om::TwilioSender {
    fn from(s: wo::TwilioSender) -> Self {
        match s {
            wo::TwilioSender::From(f) => om::TwilioSender::From(f),
            wo::TwilioSender::MessagingServiceSid(s) => om::TwilioSender::MessagingServiceSid(s),
        }
    }
}

impl From<wo::Recipient> for om::Recipient {
    fn from(r: wo::Recipient) -> Self {
        match r {
            wo::Recipient::Phone(p) => om::Recipient::Phone(p),
            wo::Recipient::Bsuid(b) => om::Recipient::Bsuid(b),
            wo::Recipient::Group(g) => om::Recipient::Group(g),
        }
    }
}

impl From<wo::Content> for om::Content {
    fn from(c: wo::Content) -> Self {
        match c {
            wo::Content::Text(t) => om::Content::Text(t),
            wo::Content::Media(m) => om::Content::Media(m.into()),
            wo::Content::Location(l) => om::Content::Location(l.into()),
            wo::Content::Contacts(cards) => om::Content::Contacts(cards.into_iter().map(Into::into).collect()),
            wo::Content::Buttons(b) => om::Content::Buttons(b.into()),
            wo::Content::List(l) => om::Content::List(l.into()),
            wo::Content::Reaction(r) => om::Content::Reaction(r.into()),
            wo::Content::RenderedTemplate(t) => om::Content::RenderedTemplate(t.into()),
            wo::Content::Template(f) => om::Content::Template(Box::new(f.template.into()), Box::new(f.values.into())),
        }
    }
}

into_fields!(wo::Media => om::Media { kind, source, caption, filename, mime_type, size_bytes, animated });
into_fields!(wo::Location => om::Location { latitude, longitude, name, address });
into_fields!(wo::ContactCard => om::ContactCard { formatted_name, first_name, last_name, phones, emails });
into_fields!(wo::InteractiveButtons => om::InteractiveButtons { header, body, footer } list { buttons });
into_fields!(wo::ReplyButton => om::ReplyButton { id, title });
into_fields!(wo::InteractiveList => om::InteractiveList { header, body, footer, button } list { sections });
into_fields!(wo::ListSection => om::ListSection { title } list { rows });
into_fields!(wo::ListRow => om::ListRow { id, title, description });
into_fields!(wo::Reaction => om::Reaction { message_id, emoji });
into_fields!(wo::RenderedTemplate => om::RenderedTemplate { rendered, category, name });

impl From<wo::MediaSource> for om::MediaSource {
    fn from(s: wo::MediaSource) -> Self {
        match s {
            wo::MediaSource::Link(l) => om::MediaSource::Link(l),
            wo::MediaSource::Id(i) => om::MediaSource::Id(i),
        }
    }
}

impl From<wo::WindowFacts> for om::WindowFacts {
    fn from(w: wo::WindowFacts) -> Self {
        match w {
            wo::WindowFacts::Conversation(c) => om::WindowFacts::Conversation(c.into()),
            wo::WindowFacts::Checked(a) => {
                om::WindowFacts::Checked { free_form_allowed: a.free_form_allowed, closes_at: a.closes_at }
            }
        }
    }
}

// ---- core -> WIT ----

into_fields!(om::ComposeAnswer => wo::ComposeAnswer { notes } option { request } list { problems, template_problems });
into_fields!(om::HttpRequest => wo::HttpRequest {
    method, base_url, path, content_type, body, credentials
} list { headers });
into_fields!(om::SendProblem => wo::SendProblem {
    kind, field, detail, suggestion, limit, actual, prevents_meta_error, prevents_twilio_error
});
into_fields!(or::SentMessage => wo::SentMessage { message_id, status, wa_id });

impl From<(String, String)> for wo::Header {
    fn from((name, value): (String, String)) -> Self {
        Self { name, value }
    }
}

impl From<om::ReadAnswer> for wo::ReadAnswer {
    fn from(a: om::ReadAnswer) -> Self {
        match a {
            om::ReadAnswer::Request(r) => wo::ReadAnswer::Request(r.into()),
            om::ReadAnswer::NotAvailable(why) => wo::ReadAnswer::NotAvailable(why),
        }
    }
}

impl From<or::SendOutcome> for wo::SendOutcome {
    fn from(o: or::SendOutcome) -> Self {
        match o {
            or::SendOutcome::Sent(m) => wo::SendOutcome::Sent(m.into()),
            or::SendOutcome::Failed(f) => wo::SendOutcome::Failed(f.into()),
        }
    }
}

impl From<om::ComposeError> for wo::ComposeError {
    fn from(e: om::ComposeError) -> Self {
        match e {
            om::ComposeError::InvalidRequest(e) => wo::ComposeError::InvalidRequest(e.into()),
        }
    }
}

same_cases!(wo::SentCall, or::SentCall: Compose, MarkRead);
same_cases!(wo::MediaKind, om::MediaKind: Image, Video, Audio, Document, Sticker);
same_cases!(wo::CredentialPlacement, om::CredentialPlacement: BearerHeader, BasicAuth, QueryToken);
same_cases!(wo::ProblemKind, om::ProblemKind: WindowClosed, TooLong, Empty, MediaTooLarge, MediaTypeNotAccepted,
    WrongCount, Duplicate, NotSupportedByProvider, NotSupportedInGroup, NotSupportedForBsuid, MarketingOptedOut,
    MarketingToUsNumber, TemplateProblem);

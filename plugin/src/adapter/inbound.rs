//! `inbound`: webhooks in, normalized events out.

use super::Plugin;
use super::exports::helpdesk::whatsapp::inbound as wi;
use crate::inbound::model as im;

impl wi::Guest for Plugin {
    fn normalize(webhook: wi::Webhook, options: wi::InboundOptions) -> Result<Vec<wi::Event>, wi::InboundError> {
        super::free_after_return(wi::__post_return_normalize::<Plugin>);
        crate::inbound::normalize(&webhook.into(), &options.into())
            .map(|events| events.into_iter().map(Into::into).collect())
            .map_err(Into::into)
    }

    fn verify_signature(webhook: wi::Webhook, secret: String) -> Result<wi::SignatureOk, wi::InboundError> {
        super::free_after_return(wi::__post_return_verify_signature::<Plugin>);
        crate::inbound::verify_signature(&webhook.into(), &secret).map(Into::into).map_err(Into::into)
    }

    fn may_replace_status(current: wi::DeliveryStatus, incoming: wi::DeliveryStatus) -> bool {
        crate::inbound::status::may_replace(current.into(), incoming.into())
    }
}

// ---- WIT -> core ----

into_fields!(wi::Webhook => im::Webhook { provider, url, body, received_at } list { headers });
into_fields!(wi::InboundOptions => im::InboundOptions { secret, redact_card_numbers, max_attachment_bytes, serve_groups });

impl From<wi::Header> for (String, String) {
    fn from(h: wi::Header) -> Self {
        (h.name, h.value)
    }
}

// ---- core -> WIT ----

impl From<im::Event> for wi::Event {
    fn from(e: im::Event) -> Self {
        match e {
            im::Event::Message(m) => wi::Event::Message(m.into()),
            im::Event::Echo(m) => wi::Event::Echo(m.into()),
            im::Event::Status(s) => wi::Event::Status(s.into()),
            im::Event::Ignored(i) => wi::Event::Ignored(i.into()),
            im::Event::Unreadable(u) => wi::Event::Unreadable(u.into()),
            im::Event::GroupUpdate(g) => wi::Event::GroupUpdate(g.into()),
            im::Event::History(h) => wi::Event::History(h.into()),
            im::Event::PreferenceUpdate(p) => wi::Event::PreferenceUpdate(p.into()),
            im::Event::TemplateUpdate(t) => wi::Event::TemplateUpdate(t.into()),
            im::Event::Call(c) => wi::Event::Call(c.into()),
        }
    }
}

into_fields!(im::Message => wi::Message {
    provider, id, business, customer, sent_at, clock, kind, text, reply_to, forwarding, notes, group_id,
    original_message_id, conversation_key
} option {
    location, interactive, reaction, order, referral, error, system, flow_reply, call_permission
} list { attachments, contacts, redactions });
into_fields!(im::Attachment => wi::Attachment {
    content_type, media_id, url, filename, caption, size_bytes, sha256, over_limit
});
into_fields!(im::Location => wi::Location { latitude, longitude, name, address, url });
into_fields!(im::SharedContact => wi::SharedContact { name, phones, emails, wa_id });
into_fields!(im::InteractiveReply => wi::InteractiveReply { kind, id, title, description });
into_fields!(im::Reaction => wi::Reaction { target_message_id, emoji });
into_fields!(im::Order => wi::Order { catalog_id, text } list { items });
into_fields!(im::OrderItem => wi::OrderItem { product_id, quantity, item_price, currency });
into_fields!(im::Referral => wi::Referral {
    source_type, source_id, source_url, headline, body, media_type, media_url, thumbnail_url, click_id
});
into_fields!(im::SystemNotice => wi::SystemNotice {
    body, new_wa_id, change, raw_type, new_customer, new_conversation_key
});
into_fields!(im::Redaction => wi::Redaction { field, kind, last_four });
into_fields!(im::FlowReply => wi::FlowReply { kind, name, flow_token, body, raw_json } list { fields });
into_fields!(im::FlowField => wi::FlowField { name, value });
into_fields!(im::CallPermission => wi::CallPermission { accepted, permanent, expires_at, source });
into_fields!(im::Business => wi::Business { number, number_id, account_id });
into_fields!(im::ProviderError => wi::ProviderError { code, title, detail });

into_fields!(im::StatusUpdate => wi::StatusUpdate {
    provider, message_id, business, customer, status, at, clock, group_id, conversation_key
} option { pricing, failure });
into_fields!(im::Pricing => wi::Pricing { raw_category, pricing_type, raw_type, model, billable } option { category });
into_fields!(im::Failure => wi::Failure { error, reason, retryable, hint });

into_fields!(im::IgnoredEvent => wi::IgnoredEvent { kind, reason });
into_fields!(im::UnreadableItem => wi::UnreadableItem { kind, path, reason, item_id });
into_fields!(im::GroupUpdate => wi::GroupUpdate {
    provider, business, group_id, kind, raw_type, at, subject, note
} option { initiated_by } list { participants, errors });
into_fields!(im::HistoryMessage => wi::HistoryMessage { message, from_business, status, phase, chunk_order, progress });
into_fields!(im::PreferenceUpdate => wi::PreferenceUpdate {
    provider, business, customer, category, preference, raw_value, detail, at
});
into_fields!(im::TemplateUpdate => wi::TemplateUpdate {
    provider, business, kind, raw_field, template_id, name, language, raw_status, reason, previous_quality,
    quality, previous_category, category, effective_at, at, note
} option { status, message_category });
into_fields!(im::CallEvent => wi::CallEvent {
    provider, id, business, customer, direction, action, raw_event, at, started_at, ended_at, duration_seconds,
    callback_data, conversation_key
} option { error });
into_fields!(im::SignatureOk => wi::SignatureOk { scheme, matched_url });

impl From<im::InboundError> for wi::InboundError {
    fn from(e: im::InboundError) -> Self {
        match e {
            im::InboundError::BadSignature(m) => wi::InboundError::BadSignature(m),
            im::InboundError::MissingSignature(m) => wi::InboundError::MissingSignature(m),
            im::InboundError::MalformedPayload(e) => wi::InboundError::MalformedPayload(e.into()),
            im::InboundError::UnsupportedProviderEvent(m) => wi::InboundError::UnsupportedProviderEvent(m),
        }
    }
}

same_cases!(wi::DeliveryStatus, im::DeliveryStatus: Pending, Sent, Delivered, Read, Played, Failed);
same_cases!(wi::SignatureScheme, im::SignatureScheme: MetaHubSha256, TwilioForm, TwilioBodySha256, OneMsgToken);
same_cases!(wi::MessageKind, im::MessageKind: Text, Image, Audio, Voice, Video, Document, Sticker, Location, Contacts,
    InteractiveReply, ButtonReply, Reaction, Order, Unsupported, System, FlowReply, Edit, Revoke,
    CallPermissionReply);
same_cases!(wi::FlowReplyKind, im::FlowReplyKind: Flow, Address, Other);
same_cases!(wi::MarketingPreference, im::MarketingPreference: Stop, Resume, Other);
same_cases!(wi::TemplateUpdateKind, im::TemplateUpdateKind: Status, Quality, Category, CategoryPending);
same_cases!(wi::IdentityChange, im::IdentityChange: NumberChanged, UserIdChanged, Other);
same_cases!(wi::PermissionSource, im::PermissionSource: UserAction, Automatic, Other);
same_cases!(wi::CallDirection, im::CallDirection: UserInitiated, BusinessInitiated);
same_cases!(wi::CallAction, im::CallAction: Connect, Ringing, Accepted, Rejected, Completed, Failed, Other);
same_cases!(wi::ReplyKind, im::ReplyKind: Button, ListRow, TemplateButton);
same_cases!(wi::Forwarding, im::Forwarding: Original, Forwarded, FrequentlyForwarded);
same_cases!(wi::PricingType, im::PricingType: Regular, FreeCustomerService, FreeEntryPoint, Other);
same_cases!(wi::GroupUpdateKind, im::GroupUpdateKind: Created, Deleted, ParticipantsAdded, ParticipantsRemoved,
    ParticipantLeft, JoinRequested, JoinRequestRevoked, SettingsChanged, Suspended, SuspensionCleared, Other);
same_cases!(wi::GroupActor, im::GroupActor: Business, Participant);
same_cases!(wi::FailureReason, im::FailureReason: OutsideWindow, TemplateProblem, Undeliverable, RateLimited,
    MediaProblem, Payment, Other, MarketingOptedOut, MarketingLimit, OptedOut, Experiment, UnsupportedInGroup,
    InvalidRequest, AccountProblem, ProviderUnavailable);

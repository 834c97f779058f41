//! The wit-bindgen glue, compiled only for wasm32: WIT types in, core types through, WIT types out.
//! No logic lives here; every decision is in the core modules, which unit-test natively.

wit_bindgen::generate!({ world: "plugin", path: "../wit" });

use std::borrow::Cow;

use chrono::Weekday;

use exports::helpdesk::whatsapp::outbound as wo;
use exports::helpdesk::whatsapp::{
    inbound as wi, info as wit_info, masking as wm, templates as wtp, types as wt, window as w,
};

use crate::business_hours::{BusinessHours, LocalDate, LocalTime, OpeningSpan};
use crate::error::InvalidInput;
use crate::inbound::model as im;
use crate::masking::model as mm;
use crate::pricing::{Category, CategoryPricing, Charge, Confirmation, CostLine, CostReason, PricingPeriod, SendKind};
use crate::templates::model as tm;
use crate::{inbound, info, window};

struct Plugin;
export!(Plugin);

impl wit_info::Guest for Plugin {
    fn info() -> wit_info::PluginInfo {
        wit_info::PluginInfo {
            contract_version: info::CONTRACT_VERSION.into(),
            plugin_version: info::PLUGIN_VERSION.into(),
            providers: vec![wt::Provider::Twilio, wt::Provider::MetaCloud, wt::Provider::OneMsg],
            features: info::FEATURES.iter().map(|f| f.to_string()).collect(),
        }
    }
}

impl w::Guest for Plugin {
    fn check(request: w::WindowRequest) -> Result<w::WindowAnswer, w::WindowError> {
        window::check(&request.into()).map(Into::into).map_err(Into::into)
    }

    fn record_events(conversation: w::Conversation, events: Vec<wi::Event>) -> w::Conversation {
        let events: Vec<window::WindowEvent> = events
            .into_iter()
            .map(|e| match e {
                // Edits and revokes change an earlier message; history is the past: neither moves the window.
                wi::Event::Message(m) if !im::MessageKind::from(m.kind).counts_for_window() => {
                    window::WindowEvent::Other
                }
                wi::Event::Message(m) => window::WindowEvent::Customer {
                    sent_at: m.sent_at,
                    clock: m.clock.into(),
                    referral: m.referral.map(|r| r.source_type),
                },
                wi::Event::Echo(m) => window::WindowEvent::Business { sent_at: m.sent_at },
                wi::Event::Call(c) => inbound::calls::window_event(c.direction.into(), c.action.into(), c.at),
                _ => window::WindowEvent::Other,
            })
            .collect();
        window::record_events(&conversation.into(), &events).into()
    }

    fn record_business_message(conversation: w::Conversation, sent_at: wt::Instant) -> w::Conversation {
        window::record_business_message(&conversation.into(), sent_at).into()
    }

    fn default_pricing() -> Vec<w::PricingPeriod> {
        crate::pricing::default_table().into_iter().map(Into::into).collect()
    }
}

impl From<window::Conversation> for w::Conversation {
    fn from(c: window::Conversation) -> Self {
        w::Conversation {
            last_customer_message: c
                .last_customer_message
                .map(|m| w::CustomerMessageTime { sent_at: m.sent_at, clock: m.clock.into() }),
            last_business_message_at: c.last_business_message_at,
            origin: match c.origin {
                window::Origin::Organic => w::ConversationOrigin::Organic,
                window::Origin::ClickToWhatsappAd => w::ConversationOrigin::ClickToWhatsappAd,
                window::Origin::FacebookPageCta => w::ConversationOrigin::FacebookPageCta,
            },
            entry_message_at: c.entry_message_at,
            first_business_reply_at: c.first_business_reply_at,
        }
    }
}

impl wi::Guest for Plugin {
    fn normalize(webhook: wi::Webhook, options: wi::InboundOptions) -> Result<Vec<wi::Event>, wi::InboundError> {
        let options = im::Options {
            secret: options.secret,
            redact_card_numbers: options.redact_card_numbers,
            max_attachment_bytes: options.max_attachment_bytes,
            serve_groups: options.serve_groups,
        };
        inbound::normalize(&webhook.into(), &options)
            .map(|events| events.into_iter().map(Into::into).collect())
            .map_err(Into::into)
    }

    fn verify_signature(webhook: wi::Webhook, secret: String) -> Result<wi::SignatureOk, wi::InboundError> {
        inbound::verify_signature(&webhook.into(), &secret)
            .map(|ok| wi::SignatureOk { scheme: ok.scheme.into(), matched_url: ok.matched_url })
            .map_err(Into::into)
    }

    fn may_replace_status(current: wi::DeliveryStatus, incoming: wi::DeliveryStatus) -> bool {
        inbound::status::may_replace(current.into(), incoming.into())
    }
}

impl wtp::Guest for Plugin {
    fn validate_template(template: wtp::Template) -> Vec<wtp::TemplateProblem> {
        crate::templates::validate::validate(&template.into()).into_iter().map(Into::into).collect()
    }

    fn render(
        template: wtp::Template,
        values: wtp::TemplateValues,
        target: wt::Provider,
    ) -> Result<wtp::Rendered, Vec<wtp::TemplateProblem>> {
        crate::templates::render::render(&template.into(), &values.into(), target.into())
            .map(|r| wtp::Rendered { provider: r.provider.into(), payload: r.payload, text: r.text })
            .map_err(|problems| problems.into_iter().map(Into::into).collect())
    }

    fn preview(template: wtp::Template, values: wtp::TemplateValues) -> wtp::Draft {
        let draft = crate::templates::draft::preview(&template.into(), &values.into());
        wtp::Draft {
            segments: draft
                .segments
                .into_iter()
                .map(|s| match s {
                    tm::Segment::Fixed(text) => wtp::DraftSegment::Fixed(text),
                    tm::Segment::Slot(slot) => wtp::DraftSegment::Slot(wtp::DraftSlot {
                        part: slot.part.into(),
                        button_index: slot.button_index,
                        key: slot.key,
                        label: slot.label,
                        value: slot.value,
                    }),
                })
                .collect(),
            text: draft.text,
        }
    }

    fn check_draft(template: wtp::Template, edited: String) -> Result<wtp::TemplateValues, wtp::DraftChanged> {
        crate::templates::draft::check_draft(&template.into(), &edited).map(Into::into).map_err(|c| wtp::DraftChanged {
            position: c.position,
            expected: c.expected,
            found: c.found,
        })
    }

    fn select(
        approved: Vec<wtp::Template>,
        name: String,
        preferences: Vec<String>,
        fallback_language: Option<String>,
    ) -> Result<wtp::Template, wtp::NoMatch> {
        let approved: Vec<tm::Template> = approved.into_iter().map(Into::into).collect();
        crate::templates::select::select(&approved, &name, &preferences, fallback_language.as_deref())
            .map(Into::into)
            .map_err(|n| wtp::NoMatch { available: n.available, reason: n.reason })
    }

    fn from_provider(
        request: wtp::ImportRequest,
    ) -> Result<Vec<Result<wtp::ImportedTemplate, wt::InvalidInput>>, wt::InvalidInput> {
        let core = crate::templates::import::Request {
            json: &request.json,
            twilio_approvals: &request.twilio_approvals,
            namespace: request.namespace.as_deref(),
        };
        crate::templates::import::from_provider(request.provider.into(), &core)
            .map(|items| {
                items
                    .into_iter()
                    .map(|item| {
                        item.map(|i| wtp::ImportedTemplate { template: i.template.into(), notes: i.notes })
                            .map_err(Into::into)
                    })
                    .collect()
            })
            .map_err(Into::into)
    }
}

impl wm::Guest for Plugin {
    fn format_masked_reply(
        message: wm::OutboundMessage,
        viewer: wm::Service,
        policy: wm::MaskingPolicy,
    ) -> Result<wm::TimelineEntry, wm::MaskingError> {
        let message = mm::OutboundMessage {
            id: message.id,
            service: message.service.into(),
            agent_name: message.agent_name,
            sent_at: message.sent_at,
            kind: message.kind.into(),
            template_name: message.template_name,
            status: message.status.map(Into::into),
            text: message.text,
            captions: message.captions,
            file_names: message.file_names,
            template_values: message.template_values,
            urls: message.urls,
            attachment_count: message.attachment_count,
        };
        let policy = mm::Policy {
            show_agent_name: policy.show_agent_name,
            language: policy.language,
            time_zone: policy.time_zone,
        };
        crate::masking::format_masked_reply(&message, &viewer.into(), &policy)
            .map(|e| wm::TimelineEntry {
                summary: e.summary,
                message_id: e.message_id,
                service_name: e.service_name,
                agent_name: e.agent_name,
                sent_at: e.sent_at,
                kind: e.kind.into(),
                attachment_count: e.attachment_count,
                template_name: e.template_name,
                status: e.status.map(Into::into),
                content_hidden: e.content_hidden,
                text: e.text,
            })
            .map_err(Into::into)
    }

    fn mask_identifier(value: String) -> String {
        crate::masking::identifier::mask(&value)
    }

    fn may_automate(
        state: wm::ChannelState,
        service_id: String,
        kind: wm::AutomationKind,
    ) -> Result<wm::AutomationAnswer, wm::MaskingError> {
        crate::masking::may_automate(&state.into(), &service_id, kind.into())
            .map(|a| wm::AutomationAnswer { allowed: a.allowed, parent: a.parent, reason: a.reason })
            .map_err(Into::into)
    }

    fn after_disconnect(
        state: wm::ChannelState,
        service_id: String,
    ) -> Result<wm::DisconnectOutcome, wm::MaskingError> {
        crate::masking::after_disconnect(&state.into(), &service_id)
            .map(|o| wm::DisconnectOutcome {
                remaining: o.remaining.into_iter().map(Into::into).collect(),
                parent: o.parent,
                parent_changed: o.parent_changed,
                channel_running: o.channel_running,
                notices: o
                    .notices
                    .into_iter()
                    .map(|n| wm::Notice { service_id: n.service_id, message: n.message })
                    .collect(),
            })
            .map_err(Into::into)
    }

    fn pick_up(holds: Vec<wm::Hold>, agent: String, service: wm::Service, now: wt::Instant) -> wm::PickUpAnswer {
        let holds: Vec<mm::Hold> =
            holds.into_iter().map(|h| mm::Hold { agent: h.agent, service: h.service.into(), since: h.since }).collect();
        let answer = crate::masking::pick_up(&holds, &agent, &service.into(), now);
        wm::PickUpAnswer {
            allowed: answer.allowed,
            held_by: answer
                .held_by
                .into_iter()
                .map(|h| wm::Hold { agent: h.agent, service: h.service.into(), since: h.since })
                .collect(),
            warning: answer.warning,
        }
    }
}

// ---- WIT -> core ----

impl From<wi::Webhook> for im::Webhook {
    fn from(w: wi::Webhook) -> Self {
        Self {
            provider: w.provider.into(),
            url: w.url,
            headers: w.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: w.body,
            received_at: w.received_at,
        }
    }
}

impl From<w::Conversation> for window::Conversation {
    fn from(c: w::Conversation) -> Self {
        Self {
            last_customer_message: c
                .last_customer_message
                .map(|m| window::CustomerMessageTime { sent_at: m.sent_at, clock: m.clock.into() }),
            last_business_message_at: c.last_business_message_at,
            origin: match c.origin {
                w::ConversationOrigin::Organic => window::Origin::Organic,
                w::ConversationOrigin::ClickToWhatsappAd => window::Origin::ClickToWhatsappAd,
                w::ConversationOrigin::FacebookPageCta => window::Origin::FacebookPageCta,
            },
            entry_message_at: c.entry_message_at,
            first_business_reply_at: c.first_business_reply_at,
        }
    }
}

impl From<w::WindowRequest> for window::WindowRequest {
    fn from(r: w::WindowRequest) -> Self {
        Self {
            conversation: r.conversation.into(),
            now: r.now,
            time_zone: r.time_zone,
            business_hours: r.business_hours.map(|h| BusinessHours {
                weekly: h
                    .weekly
                    .into_iter()
                    .map(|s| OpeningSpan {
                        day: weekday(s.day),
                        opens: local_time(s.opens),
                        closes: local_time(s.closes),
                    })
                    .collect(),
                closed_dates: h
                    .closed_dates
                    .into_iter()
                    .map(|d| LocalDate { year: d.year, month: d.month, day: d.day })
                    .collect(),
            }),
            warn_before: r.warn_before,
            pricing: r.pricing.map(|t| t.into_iter().map(Into::into).collect()),
        }
    }
}

impl From<w::PricingPeriod> for PricingPeriod {
    fn from(p: w::PricingPeriod) -> Self {
        Self {
            effective_from: p.effective_from,
            name: Cow::Owned(p.name),
            categories: p
                .categories
                .into_iter()
                .map(|l| CategoryPricing {
                    category: l.category.into(),
                    inside_window: l.inside_window.into(),
                    outside_window: l.outside_window.into(),
                })
                .collect(),
            sources: p.sources.into_iter().map(Cow::Owned).collect(),
            confirmation: p.confirmation.into(),
            notes: p.notes.into_iter().map(Cow::Owned).collect(),
        }
    }
}

fn weekday(d: w::Weekday) -> Weekday {
    match d {
        w::Weekday::Monday => Weekday::Mon,
        w::Weekday::Tuesday => Weekday::Tue,
        w::Weekday::Wednesday => Weekday::Wed,
        w::Weekday::Thursday => Weekday::Thu,
        w::Weekday::Friday => Weekday::Fri,
        w::Weekday::Saturday => Weekday::Sat,
        w::Weekday::Sunday => Weekday::Sun,
    }
}

fn local_time(t: w::LocalTime) -> LocalTime {
    LocalTime { hour: t.hour, minute: t.minute }
}

/// Enums that are the same list of cases on both sides, converted both ways.
macro_rules! same_cases {
    ($wit:ty, $core:ty: $($case:ident),+) => {
        impl From<$wit> for $core {
            fn from(v: $wit) -> Self {
                match v { $(<$wit>::$case => <$core>::$case),+ }
            }
        }
        impl From<$core> for $wit {
            fn from(v: $core) -> Self {
                match v { $(<$core>::$case => <$wit>::$case),+ }
            }
        }
    };
}

same_cases!(wt::ClockSource, window::ClockSource: ProviderTimestamp, HelpdeskReceipt);
same_cases!(wt::MessageCategory, Category: Marketing, Utility, Authentication, AuthenticationInternational, Service,
    GroupMarketing, GroupUtility, GroupService);
same_cases!(w::Confirmation, Confirmation: Confirmed, Reported);
same_cases!(w::Charge, Charge: Free, Billable, Unknown);
same_cases!(w::WindowState, window::WindowState: NeverOpened, Open, ClosingSoon, Closed);
same_cases!(w::SendKind, SendKind: FreeForm, Template);
same_cases!(w::CostReason, CostReason: FreeEntryPoint, FreeInServiceWindow, FreeByPeriod, Charged, NotAllowed, NoPricingRule);
same_cases!(wt::Provider, im::Provider: Twilio, MetaCloud, OneMsg);
same_cases!(wm::AutomationKind, mm::AutomationKind: Bot, AutoReply, WorkflowMessage, ScheduledNotification);
same_cases!(wtp::TemplateStatus, tm::Status: Approved, Pending, Rejected, Paused, Disabled, InAppeal);
same_cases!(wtp::ParameterFormat, tm::ParameterFormat: Positional, Named);
same_cases!(wtp::HeaderFormat, tm::HeaderFormat: Text, Image, Video, Document, Location);
same_cases!(wtp::ButtonKind, tm::ButtonKind: QuickReply, Url, PhoneNumber, CopyCode, Otp);
same_cases!(wtp::Part, tm::Part: Template, Header, Body, Footer, Button);
same_cases!(wtp::ProblemKind, tm::ProblemKind: Missing, Unexpected, Empty, ForbiddenWhitespace, TooLong, WrongMedia,
    NotApproved, Paused, Disabled, LanguageNotAvailable, Numbering, BadVariableName, MixedFormats, VariablesNotAllowed,
    TooManyButtons, BadButton, MissingProviderId, AmbiguousProviderVariables, WrongCategory);
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

// ---- core -> WIT ----

impl From<window::WindowAnswer> for w::WindowAnswer {
    fn from(a: window::WindowAnswer) -> Self {
        Self {
            state: a.state.into(),
            opened_at: a.opened_at,
            clock: a.clock.map(Into::into),
            closes_at: a.closes_at,
            time_left: a.time_left,
            free_form_allowed: a.free_form_allowed,
            templates_allowed: a.templates_allowed,
            hint: a.hint,
            clock_skew: a.clock_skew.map(|s| w::ClockSkew { reported: s.reported, used: s.used }),
            entry_point: match a.entry_point {
                window::EntryPoint::NotApplicable => w::EntryPoint::NotApplicable,
                window::EntryPoint::AnswerBy(t) => w::EntryPoint::AnswerBy(t),
                window::EntryPoint::FreeUntil(t) => w::EntryPoint::FreeUntil(t),
                window::EntryPoint::Ended(t) => w::EntryPoint::Ended(t),
                window::EntryPoint::Missed(t) => w::EntryPoint::Missed(t),
            },
            hours: a.hours.map(|h| w::HoursCheck {
                open_now: h.open_now,
                closes_outside_hours: h.closes_outside_hours,
                last_business_moment: h.last_business_moment,
            }),
            pricing_period: a.pricing_period,
            costs: a.costs.into_iter().map(Into::into).collect(),
            pricing_details: a.pricing_details.map(Into::into),
        }
    }
}

impl From<CostLine> for w::CostLine {
    fn from(c: CostLine) -> Self {
        Self {
            kind: c.kind.into(),
            category: c.category.into(),
            allowed: c.allowed,
            charge: c.charge.into(),
            reason: c.reason.into(),
            explanation: c.explanation,
        }
    }
}

impl From<PricingPeriod> for w::PricingPeriod {
    fn from(p: PricingPeriod) -> Self {
        Self {
            effective_from: p.effective_from,
            name: p.name.into_owned(),
            categories: p
                .categories
                .into_iter()
                .map(|l| w::CategoryPricing {
                    category: l.category.into(),
                    inside_window: l.inside_window.into(),
                    outside_window: l.outside_window.into(),
                })
                .collect(),
            sources: p.sources.into_iter().map(Cow::into_owned).collect(),
            confirmation: p.confirmation.into(),
            notes: p.notes.into_iter().map(Cow::into_owned).collect(),
        }
    }
}

impl From<InvalidInput> for wt::InvalidInput {
    fn from(e: InvalidInput) -> Self {
        Self { field: e.field, reason: e.reason }
    }
}

impl From<window::WindowError> for w::WindowError {
    fn from(e: window::WindowError) -> Self {
        match e {
            window::WindowError::InvalidTimeZone(reason) => w::WindowError::InvalidTimeZone(reason),
            window::WindowError::InvalidBusinessHours(e) => w::WindowError::InvalidBusinessHours(e.into()),
            window::WindowError::InvalidPricingTable(e) => w::WindowError::InvalidPricingTable(e.into()),
            window::WindowError::InvalidRequest(e) => w::WindowError::InvalidRequest(e.into()),
        }
    }
}

// ---- inbound, core -> WIT ----

impl From<im::Event> for wi::Event {
    fn from(e: im::Event) -> Self {
        match e {
            im::Event::Message(m) => wi::Event::Message(m.into()),
            im::Event::Echo(m) => wi::Event::Echo(m.into()),
            im::Event::Status(s) => wi::Event::Status(s.into()),
            im::Event::Ignored(i) => wi::Event::Ignored(wi::IgnoredEvent { kind: i.kind, reason: i.reason }),
            im::Event::Unreadable(u) => wi::Event::Unreadable(wi::UnreadableItem {
                kind: u.kind,
                path: u.path,
                reason: u.reason,
                item_id: u.item_id,
            }),
            im::Event::GroupUpdate(g) => wi::Event::GroupUpdate(wi::GroupUpdate {
                provider: g.provider.into(),
                business: g.business.into(),
                group_id: g.group_id,
                kind: g.kind.into(),
                raw_type: g.raw_type,
                participants: g.participants.into_iter().map(Into::into).collect(),
                initiated_by: g.initiated_by.map(Into::into),
                at: g.at,
                subject: g.subject,
                errors: g.errors.into_iter().map(Into::into).collect(),
                note: g.note,
            }),
            im::Event::History(h) => wi::Event::History(wi::HistoryMessage {
                message: h.message.into(),
                from_business: h.from_business,
                status: h.status,
                phase: h.phase,
                chunk_order: h.chunk_order,
                progress: h.progress,
            }),
            im::Event::PreferenceUpdate(p) => wi::Event::PreferenceUpdate(wi::PreferenceUpdate {
                provider: p.provider.into(),
                business: p.business.into(),
                customer: p.customer.into(),
                category: p.category,
                preference: p.preference.into(),
                raw_value: p.raw_value,
                detail: p.detail,
                at: p.at,
            }),
            im::Event::TemplateUpdate(t) => wi::Event::TemplateUpdate(wi::TemplateUpdate {
                provider: t.provider.into(),
                business: t.business.into(),
                kind: t.kind.into(),
                raw_field: t.raw_field,
                template_id: t.template_id,
                name: t.name,
                language: t.language,
                status: t.status.map(Into::into),
                raw_status: t.raw_status,
                reason: t.reason,
                previous_quality: t.previous_quality,
                quality: t.quality,
                previous_category: t.previous_category,
                category: t.category,
                message_category: t.message_category.map(Into::into),
                effective_at: t.effective_at,
                at: t.at,
                note: t.note,
            }),
            im::Event::Call(c) => wi::Event::Call(wi::CallEvent {
                provider: c.provider.into(),
                id: c.id,
                business: c.business.into(),
                customer: c.customer.into(),
                direction: c.direction.into(),
                action: c.action.into(),
                raw_event: c.raw_event,
                at: c.at,
                started_at: c.started_at,
                ended_at: c.ended_at,
                duration_seconds: c.duration_seconds,
                callback_data: c.callback_data,
                error: c.error.map(Into::into),
                conversation_key: c.conversation_key,
            }),
        }
    }
}

impl From<im::Customer> for wt::Customer {
    fn from(c: im::Customer) -> Self {
        Self {
            phone: c.phone,
            wa_id: c.wa_id,
            bsuid: c.bsuid,
            profile_name: c.profile_name,
            parent_bsuid: c.parent_bsuid,
            username: c.username,
        }
    }
}

impl From<im::Business> for wi::Business {
    fn from(b: im::Business) -> Self {
        Self { number: b.number, number_id: b.number_id, account_id: b.account_id }
    }
}

impl From<im::ProviderError> for wi::ProviderError {
    fn from(e: im::ProviderError) -> Self {
        Self { code: e.code, title: e.title, detail: e.detail }
    }
}

impl From<im::Message> for wi::Message {
    fn from(m: im::Message) -> Self {
        Self {
            provider: m.provider.into(),
            id: m.id,
            business: m.business.into(),
            customer: m.customer.into(),
            sent_at: m.sent_at,
            clock: m.clock.into(),
            kind: m.kind.into(),
            text: m.text,
            attachments: m
                .attachments
                .into_iter()
                .map(|a| wi::Attachment {
                    content_type: a.content_type,
                    media_id: a.media_id,
                    url: a.url,
                    filename: a.filename,
                    caption: a.caption,
                    size_bytes: a.size_bytes,
                    sha256: a.sha256,
                    over_limit: a.over_limit,
                })
                .collect(),
            location: m.location.map(|l| wi::Location {
                latitude: l.latitude,
                longitude: l.longitude,
                name: l.name,
                address: l.address,
                url: l.url,
            }),
            contacts: m
                .contacts
                .into_iter()
                .map(|c| wi::SharedContact { name: c.name, phones: c.phones, emails: c.emails, wa_id: c.wa_id })
                .collect(),
            interactive: m.interactive.map(|i| wi::InteractiveReply {
                kind: i.kind.into(),
                id: i.id,
                title: i.title,
                description: i.description,
            }),
            reaction: m.reaction.map(|r| wi::Reaction { target_message_id: r.target_message_id, emoji: r.emoji }),
            order: m.order.map(|o| wi::Order {
                catalog_id: o.catalog_id,
                text: o.text,
                items: o
                    .items
                    .into_iter()
                    .map(|i| wi::OrderItem {
                        product_id: i.product_id,
                        quantity: i.quantity,
                        item_price: i.item_price,
                        currency: i.currency,
                    })
                    .collect(),
            }),
            reply_to: m.reply_to,
            forwarding: m.forwarding.into(),
            referral: m.referral.map(|r| wi::Referral {
                source_type: r.source_type,
                source_id: r.source_id,
                source_url: r.source_url,
                headline: r.headline,
                body: r.body,
                media_type: r.media_type,
                media_url: r.media_url,
                thumbnail_url: r.thumbnail_url,
                click_id: r.click_id,
            }),
            error: m.error.map(Into::into),
            system: m.system.map(|s| wi::SystemNotice {
                body: s.body,
                new_wa_id: s.new_wa_id,
                change: s.change.into(),
                raw_type: s.raw_type,
                new_customer: s.new_customer.into(),
                new_conversation_key: s.new_conversation_key,
            }),
            redactions: m
                .redactions
                .into_iter()
                .map(|r| wi::Redaction { field: r.field, kind: r.kind, last_four: r.last_four })
                .collect(),
            notes: m.notes,
            group_id: m.group_id,
            flow_reply: m.flow_reply.map(|f| wi::FlowReply {
                kind: f.kind.into(),
                name: f.name,
                flow_token: f.flow_token,
                body: f.body,
                fields: f.fields.into_iter().map(|x| wi::FlowField { name: x.name, value: x.value }).collect(),
                raw_json: f.raw_json,
            }),
            original_message_id: m.original_message_id,
            call_permission: m.call_permission.map(|p| wi::CallPermission {
                accepted: p.accepted,
                permanent: p.permanent,
                expires_at: p.expires_at,
                source: p.source.into(),
            }),
            conversation_key: m.conversation_key,
        }
    }
}

impl From<im::StatusUpdate> for wi::StatusUpdate {
    fn from(s: im::StatusUpdate) -> Self {
        Self {
            provider: s.provider.into(),
            message_id: s.message_id,
            business: s.business.into(),
            customer: s.customer.into(),
            status: s.status.into(),
            at: s.at,
            clock: s.clock.into(),
            pricing: s.pricing.map(|p| wi::Pricing {
                category: p.category.map(Into::into),
                raw_category: p.raw_category,
                pricing_type: p.pricing_type.into(),
                raw_type: p.raw_type,
                model: p.model,
                billable: p.billable,
            }),
            failure: s.failure.map(|f| wi::Failure {
                error: f.error.into(),
                reason: f.reason.into(),
                retryable: f.retryable,
                hint: f.hint,
            }),
            group_id: s.group_id,
            conversation_key: s.conversation_key,
        }
    }
}

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

// ---- templates, both ways ----

impl From<wtp::Template> for tm::Template {
    fn from(t: wtp::Template) -> Self {
        Self {
            name: t.name,
            language: t.language,
            category: t.category.into(),
            status: t.status.into(),
            parameter_format: t.parameter_format.into(),
            header: t.header.map(|h| tm::Header { format: h.format.into(), text: h.text }),
            body: t.body,
            footer: t.footer,
            buttons: t
                .buttons
                .into_iter()
                .map(|b| tm::Button { kind: b.kind.into(), text: b.text, url: b.url, phone_number: b.phone_number })
                .collect(),
            twilio_content_sid: t.twilio_content_sid,
            namespace: t.namespace,
        }
    }
}

impl From<tm::Template> for wtp::Template {
    fn from(t: tm::Template) -> Self {
        Self {
            name: t.name,
            language: t.language,
            category: t.category.into(),
            status: t.status.into(),
            parameter_format: t.parameter_format.into(),
            header: t.header.map(|h| wtp::Header { format: h.format.into(), text: h.text }),
            body: t.body,
            footer: t.footer,
            buttons: t
                .buttons
                .into_iter()
                .map(|b| wtp::Button { kind: b.kind.into(), text: b.text, url: b.url, phone_number: b.phone_number })
                .collect(),
            twilio_content_sid: t.twilio_content_sid,
            namespace: t.namespace,
        }
    }
}

impl From<wtp::TemplateValues> for tm::Values {
    fn from(v: wtp::TemplateValues) -> Self {
        let value = |v: wtp::VariableValue| tm::VariableValue { key: v.key, value: v.value };
        Self {
            body: v.body.into_iter().map(value).collect(),
            header_text: v.header_text.map(value),
            header_media: v.header_media.map(|m| tm::Media {
                link: m.link,
                id: m.id,
                filename: m.filename,
                mime_type: m.mime_type,
            }),
            header_location: v.header_location.map(|l| tm::HeaderLocation {
                latitude: l.latitude,
                longitude: l.longitude,
                name: l.name,
                address: l.address,
            }),
            buttons: v.buttons.into_iter().map(|b| tm::ButtonValue { index: b.index, value: b.value }).collect(),
        }
    }
}

impl From<tm::Values> for wtp::TemplateValues {
    fn from(v: tm::Values) -> Self {
        let value = |v: tm::VariableValue| wtp::VariableValue { key: v.key, value: v.value };
        Self {
            body: v.body.into_iter().map(value).collect(),
            header_text: v.header_text.map(value),
            header_media: v.header_media.map(|m| wtp::Media {
                link: m.link,
                id: m.id,
                filename: m.filename,
                mime_type: m.mime_type,
            }),
            header_location: v.header_location.map(|l| wtp::HeaderLocation {
                latitude: l.latitude,
                longitude: l.longitude,
                name: l.name,
                address: l.address,
            }),
            buttons: v.buttons.into_iter().map(|b| wtp::ButtonValue { index: b.index, value: b.value }).collect(),
        }
    }
}

impl From<tm::Problem> for wtp::TemplateProblem {
    fn from(p: tm::Problem) -> Self {
        Self {
            part: p.part.into(),
            button_index: p.button_index,
            variable: p.variable,
            kind: p.kind.into(),
            detail: p.detail,
            prevents_meta_error: p.prevents_meta_error,
        }
    }
}

// ---- masking, both ways ----

impl From<wm::Service> for mm::Service {
    fn from(s: wm::Service) -> Self {
        Self { id: s.id, name: s.name }
    }
}

impl From<mm::Service> for wm::Service {
    fn from(s: mm::Service) -> Self {
        Self { id: s.id, name: s.name }
    }
}

impl From<wm::ChannelState> for mm::ChannelState {
    fn from(s: wm::ChannelState) -> Self {
        Self {
            subscriptions: s
                .subscriptions
                .into_iter()
                .map(|s| mm::Subscription { service: s.service.into(), subscribed_at: s.subscribed_at })
                .collect(),
            parent: s.parent,
        }
    }
}

impl From<mm::Subscription> for wm::Subscription {
    fn from(s: mm::Subscription) -> Self {
        Self { service: s.service.into(), subscribed_at: s.subscribed_at }
    }
}

impl From<mm::MaskingError> for wm::MaskingError {
    fn from(e: mm::MaskingError) -> Self {
        match e {
            mm::MaskingError::UnknownService(id) => wm::MaskingError::UnknownService(id),
            mm::MaskingError::InvalidRequest(e) => wm::MaskingError::InvalidRequest(e.into()),
        }
    }
}

// ---- outbound, both ways ----

use crate::outbound::model as om;

impl wo::Guest for Plugin {
    fn compose(request: wo::ComposeRequest) -> Result<wo::ComposeAnswer, wo::ComposeError> {
        crate::outbound::compose(&request.into())
            .map(|a| wo::ComposeAnswer {
                request: a.request.map(Into::into),
                problems: a.problems.into_iter().map(Into::into).collect(),
                template_problems: a.template_problems.into_iter().map(Into::into).collect(),
                notes: a.notes,
            })
            .map_err(Into::into)
    }

    fn mark_read(request: wo::ReadRequest) -> Result<wo::ReadAnswer, wo::ComposeError> {
        let core = om::ReadRequest {
            account: request.account.into(),
            recipient: request.recipient.into(),
            message_id: request.message_id,
            typing_indicator: request.typing_indicator,
        };
        crate::outbound::mark_read(&core)
            .map(|a| match a {
                om::ReadAnswer::Request(r) => wo::ReadAnswer::Request(r.into()),
                om::ReadAnswer::NotAvailable(why) => wo::ReadAnswer::NotAvailable(why),
            })
            .map_err(Into::into)
    }

    fn read_response(response: wo::ProviderResponse) -> Result<wo::SendOutcome, wo::ComposeError> {
        let core = or::ProviderResponse {
            provider: response.provider.into(),
            call: match response.call {
                wo::SentCall::Compose => or::SentCall::Compose,
                wo::SentCall::MarkRead => or::SentCall::MarkRead,
            },
            status: response.status,
            body: response.body,
        };
        crate::outbound::response::read_response(&core)
            .map(|o| match o {
                or::SendOutcome::Sent(m) => wo::SendOutcome::Sent(wo::SentMessage {
                    message_id: m.message_id,
                    status: m.status,
                    wa_id: m.wa_id,
                }),
                or::SendOutcome::Failed(f) => wo::SendOutcome::Failed(wi::Failure {
                    error: f.error.into(),
                    reason: f.reason.into(),
                    retryable: f.retryable,
                    hint: f.hint,
                }),
            })
            .map_err(Into::into)
    }
}

use crate::outbound::response as or;

impl From<wo::Account> for om::Account {
    fn from(a: wo::Account) -> Self {
        match a {
            wo::Account::MetaCloud(m) => {
                om::Account::Meta { phone_number_id: m.phone_number_id, graph_api_version: m.graph_api_version }
            }
            wo::Account::Twilio(t) => om::Account::Twilio {
                account_sid: t.account_sid,
                sender: match t.sender {
                    wo::TwilioSender::From(f) => om::TwilioSender::From(f),
                    wo::TwilioSender::MessagingServiceSid(s) => om::TwilioSender::MessagingServiceSid(s),
                },
                status_callback: t.status_callback,
            },
            wo::Account::OneMsg(o) => om::Account::OneMsg { api_url: o.api_url },
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
            wo::Content::Media(m) => om::Content::Media(om::Media {
                kind: m.kind.into(),
                source: match m.source {
                    wo::MediaSource::Link(l) => om::MediaSource::Link(l),
                    wo::MediaSource::Id(i) => om::MediaSource::Id(i),
                },
                caption: m.caption,
                filename: m.filename,
                mime_type: m.mime_type,
                size_bytes: m.size_bytes,
                animated: m.animated,
            }),
            wo::Content::Location(l) => om::Content::Location(om::Location {
                latitude: l.latitude,
                longitude: l.longitude,
                name: l.name,
                address: l.address,
            }),
            wo::Content::Contacts(cards) => om::Content::Contacts(
                cards
                    .into_iter()
                    .map(|c| om::ContactCard {
                        formatted_name: c.formatted_name,
                        first_name: c.first_name,
                        last_name: c.last_name,
                        phones: c.phones,
                        emails: c.emails,
                    })
                    .collect(),
            ),
            wo::Content::Buttons(b) => om::Content::Buttons(om::Buttons {
                header: b.header,
                body: b.body,
                footer: b.footer,
                buttons: b.buttons.into_iter().map(|x| om::ReplyButton { id: x.id, title: x.title }).collect(),
            }),
            wo::Content::List(l) => om::Content::List(om::List {
                header: l.header,
                body: l.body,
                footer: l.footer,
                button: l.button,
                sections: l
                    .sections
                    .into_iter()
                    .map(|s| om::ListSection {
                        title: s.title,
                        rows: s
                            .rows
                            .into_iter()
                            .map(|r| om::ListRow { id: r.id, title: r.title, description: r.description })
                            .collect(),
                    })
                    .collect(),
            }),
            wo::Content::Reaction(r) => {
                om::Content::Reaction(om::Reaction { message_id: r.message_id, emoji: r.emoji })
            }
            wo::Content::RenderedTemplate(t) => om::Content::RenderedTemplate(om::RenderedTemplate {
                rendered: tm::Rendered {
                    provider: t.rendered.provider.into(),
                    payload: t.rendered.payload,
                    text: t.rendered.text,
                },
                category: t.category.into(),
                name: t.name,
            }),
            wo::Content::Template(f) => om::Content::Template(Box::new(f.template.into()), Box::new(f.values.into())),
        }
    }
}

impl From<wo::ComposeRequest> for om::ComposeRequest {
    fn from(r: wo::ComposeRequest) -> Self {
        Self {
            account: r.account.into(),
            recipient: r.recipient.into(),
            content: r.content.into(),
            reply_to: r.reply_to,
            preview_url: r.preview_url,
            window: match r.window {
                wo::WindowFacts::Conversation(c) => om::WindowFacts::Conversation(c.into()),
                wo::WindowFacts::Checked(a) => {
                    om::WindowFacts::Checked { free_form_allowed: a.free_form_allowed, closes_at: a.closes_at }
                }
            },
            now: r.now,
            marketing_opted_out: r.marketing_opted_out,
            recipient_country: r.recipient_country,
        }
    }
}

impl From<om::HttpRequest> for wo::HttpRequest {
    fn from(r: om::HttpRequest) -> Self {
        Self {
            method: r.method,
            base_url: r.base_url,
            path: r.path,
            content_type: r.content_type,
            headers: r.headers.into_iter().map(|(name, value)| wo::Header { name, value }).collect(),
            body: r.body,
            credentials: r.credentials.into(),
        }
    }
}

impl From<om::Problem> for wo::SendProblem {
    fn from(p: om::Problem) -> Self {
        Self {
            kind: p.kind.into(),
            field: p.field,
            detail: p.detail,
            suggestion: p.suggestion,
            limit: p.limit,
            actual: p.actual,
            prevents_meta_error: p.prevents_meta_error,
            prevents_twilio_error: p.prevents_twilio_error,
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

same_cases!(wo::MediaKind, om::MediaKind: Image, Video, Audio, Document, Sticker);
same_cases!(wo::CredentialPlacement, om::CredentialPlacement: BearerHeader, BasicAuth, QueryToken);
same_cases!(wo::ProblemKind, om::ProblemKind: WindowClosed, TooLong, Empty, MediaTooLarge, MediaTypeNotAccepted,
    WrongCount, Duplicate, NotSupportedByProvider, NotSupportedInGroup, NotSupportedForBsuid, MarketingOptedOut,
    MarketingToUsNumber, TemplateProblem);

//! `masking`: one WhatsApp number shared by several services, each seeing only its own replies.

use super::Plugin;
use super::exports::helpdesk::whatsapp::{masking as wm, types as wt};
use crate::masking::model as mm;

impl wm::Guest for Plugin {
    fn format_masked_reply(
        message: wm::OutboundMessage,
        viewer: wm::Service,
        policy: wm::MaskingPolicy,
    ) -> Result<wm::TimelineEntry, wm::MaskingError> {
        super::free_after_return(wm::__post_return_format_masked_reply::<Plugin>);
        crate::masking::format_masked_reply(&message.into(), &viewer.into(), &policy.into())
            .map(Into::into)
            .map_err(Into::into)
    }

    fn mask_identifier(value: String) -> String {
        super::free_after_return(wm::__post_return_mask_identifier::<Plugin>);
        crate::masking::identifier::mask(&value)
    }

    fn may_automate(
        state: wm::ChannelState,
        service_id: String,
        kind: wm::AutomationKind,
    ) -> Result<wm::AutomationAnswer, wm::MaskingError> {
        super::free_after_return(wm::__post_return_may_automate::<Plugin>);
        crate::masking::may_automate(&state.into(), &service_id, kind.into()).map(Into::into).map_err(Into::into)
    }

    fn after_disconnect(
        state: wm::ChannelState,
        service_id: String,
    ) -> Result<wm::DisconnectOutcome, wm::MaskingError> {
        super::free_after_return(wm::__post_return_after_disconnect::<Plugin>);
        crate::masking::after_disconnect(&state.into(), &service_id).map(Into::into).map_err(Into::into)
    }

    fn pick_up(holds: Vec<wm::Hold>, agent: String, service: wm::Service, now: wt::Instant) -> wm::PickUpAnswer {
        super::free_after_return(wm::__post_return_pick_up::<Plugin>);
        let holds: Vec<mm::Hold> = holds.into_iter().map(Into::into).collect();
        crate::masking::pick_up(&holds, &agent, &service.into(), now).into()
    }
}

// ---- WIT -> core ----

into_fields!(wm::OutboundMessage => mm::OutboundMessage {
    id, service, agent_name, sent_at, kind, template_name, text, captions, file_names, template_values, urls,
    attachment_count
} option { status });
into_fields!(wm::MaskingPolicy => mm::MaskingPolicy { show_agent_name, language, time_zone });
into_fields!(wm::ChannelState => mm::ChannelState { parent } list { subscriptions });

// ---- both ways ----

same_fields!(wm::Service, mm::Service { id, name });
same_fields!(wm::Subscription, mm::Subscription { service, subscribed_at });
same_fields!(wm::Hold, mm::Hold { agent, service, since });

same_cases!(wm::AutomationKind, mm::AutomationKind: Bot, AutoReply, WorkflowMessage, ScheduledNotification);

// ---- core -> WIT ----

into_fields!(mm::TimelineEntry => wm::TimelineEntry {
    summary, message_id, service_name, agent_name, sent_at, kind, attachment_count, template_name, content_hidden,
    text
} option { status });
into_fields!(mm::AutomationAnswer => wm::AutomationAnswer { allowed, parent, reason });
into_fields!(mm::DisconnectOutcome => wm::DisconnectOutcome {
    parent, parent_changed, channel_running
} list { remaining, notices });
into_fields!(mm::Notice => wm::Notice { service_id, message });
into_fields!(mm::PickUpAnswer => wm::PickUpAnswer { allowed, warning } list { held_by });

impl From<mm::MaskingError> for wm::MaskingError {
    fn from(e: mm::MaskingError) -> Self {
        match e {
            mm::MaskingError::UnknownService(id) => wm::MaskingError::UnknownService(id),
            mm::MaskingError::InvalidRequest(e) => wm::MaskingError::InvalidRequest(e.into()),
        }
    }
}

//! WhatsApp calls (Meta Cloud API Calling API): the `calls` webhook field and call-permission replies.
//!
//! Shapes (Meta Calling API "Webhook reference", updated Nov 13, 2025,
//! https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/reference, read
//! through the `yvfl/api-whatsapp-docs` copy `docs/calling_reference.md`; field names as in pywa
//! `types/calls.py`):
//! - `value.calls[]`: `{id: "wacid.…", to, from, event: connect|terminate, timestamp, direction:
//!   USER_INITIATED|BUSINESS_INITIATED, session: {sdp_type, sdp}?, status: COMPLETED|FAILED?,
//!   start_time?, end_time?, duration?, biz_opaque_callback_data?}`, with `value.contacts[]` naming the
//!   WhatsApp user and `value.errors[]` on a failed call;
//! - `value.statuses[]` (business-initiated calls): `{id, timestamp, type: call, status:
//!   RINGING|ACCEPTED|REJECTED, recipient_id, biz_opaque_callback_data?}`;
//! - `messages[]` of `type: interactive`, `interactive.type: call_permission_reply`:
//!   `{response: accept|reject, is_permanent, expiration_timestamp, response_source: user_action|automatic}`.
//!
//! The SDP is left out of the event: it is the WebRTC media offer or answer (network addresses, ICE
//! credentials), needed only by the media stack that answers the call within Meta's 30 to 60 seconds,
//! which reads the webhook itself; a helpdesk timeline needs who called, when and how it ended.
//!
//! Other providers: Twilio routes WhatsApp calls through Programmable Voice (TwiML `<Dial><WhatsApp>`,
//! https://www.twilio.com/docs/voice/twiml/whatsapp, modified 2026-06-22), never the messaging webhook,
//! so there is nothing to parse; 1msg documents no shape for its `{"type": "calls"}` events, which stay
//! `ignored` with that reason.

use super::cursor::Cursor;
use super::model::*;
use crate::time::Instant;
use crate::types::ClockSource;
use crate::window::WindowEvent;

/// One `calls[]` item; `customer_of(wa_id, user_id)` finds the WhatsApp user among the change's contacts.
pub fn call(
    c: &Cursor,
    business: &Business,
    error: Option<ProviderError>,
    customer_of: impl Fn(Option<String>, Option<String>) -> Customer,
) -> Result<CallEvent, InboundError> {
    let id = c.get("id").req_str()?;
    let raw_event = c.get("event").req_str()?;
    let direction_field = c.get("direction");
    let direction = match direction_field.req_str()?.as_str() {
        "USER_INITIATED" => CallDirection::UserInitiated,
        "BUSINESS_INITIATED" => CallDirection::BusinessInitiated,
        other => {
            return Err(
                direction_field.malformed(format!("`{other}` is neither `USER_INITIATED` nor `BUSINESS_INITIATED`"))
            );
        }
    };
    // The WhatsApp user is the caller of a user-initiated call and the callee of a business one. The
    // `*_user_id` BSUID keys follow the messages webhooks (`from_user_id`, `to_user_id` on echoes); the
    // Calling reference does not list them yet: read when present, unconfirmed.
    let (number_key, user_key) = match direction {
        CallDirection::UserInitiated => ("from", "from_user_id"),
        CallDirection::BusinessInitiated => ("to", "to_user_id"),
    };
    let customer = customer_of(c.get(number_key).opt_nonempty()?, c.get(user_key).opt_nonempty()?);
    let status = c.get("status").opt_str()?.unwrap_or_default();
    let action = match (raw_event.as_str(), status.to_ascii_uppercase().as_str()) {
        ("connect", _) => CallAction::Connect,
        ("terminate", "COMPLETED") => CallAction::Completed,
        ("terminate", "FAILED") => CallAction::Failed,
        _ => CallAction::Other,
    };
    let duration = c.get("duration");
    Ok(CallEvent {
        provider: Provider::MetaCloud,
        id,
        business: business.clone(),
        customer,
        direction,
        action,
        raw_event: if status.is_empty() { raw_event } else { format!("{raw_event}:{status}") },
        at: c.get("timestamp").req_unix_seconds()?,
        started_at: optional_time(&c.get("start_time"))?,
        ended_at: optional_time(&c.get("end_time"))?,
        duration_seconds: match duration.opt_u64()? {
            Some(d) => Some(u32::try_from(d).map_err(|_| duration.malformed("too large"))?),
            None => None,
        },
        callback_data: c.get("biz_opaque_callback_data").opt_nonempty()?,
        error: if action == CallAction::Failed { error } else { None },
        conversation_key: String::new(),
    })
}

/// One `statuses[]` item of a `calls` change: a business-initiated call ringing, accepted or rejected
/// (the reference sends these for business-initiated calls only).
pub fn status(
    s: &Cursor,
    business: &Business,
    customer_of: impl Fn(Option<String>, Option<String>) -> Customer,
) -> Result<CallEvent, InboundError> {
    let id = s.get("id").req_str()?;
    let raw = s.get("status").req_str()?;
    let action = match raw.to_ascii_uppercase().as_str() {
        "RINGING" => CallAction::Ringing,
        "ACCEPTED" => CallAction::Accepted,
        "REJECTED" => CallAction::Rejected,
        _ => CallAction::Other,
    };
    Ok(CallEvent {
        provider: Provider::MetaCloud,
        id,
        business: business.clone(),
        customer: customer_of(s.get("recipient_id").opt_nonempty()?, s.get("recipient_user_id").opt_nonempty()?),
        direction: CallDirection::BusinessInitiated,
        action,
        raw_event: raw,
        at: s.get("timestamp").req_unix_seconds()?,
        started_at: None,
        ended_at: None,
        duration_seconds: None,
        callback_data: s.get("biz_opaque_callback_data").opt_nonempty()?,
        error: None,
        conversation_key: String::new(),
    })
}

/// `interactive.call_permission_reply`. `expiration_timestamp` is read as Unix seconds, as pywa reads
/// it; Meta's table calls it a time "in seconds until the permission expires" without saying whether it
/// is an instant or a span (unconfirmed).
pub fn permission_reply(r: &Cursor) -> Result<CallPermission, InboundError> {
    let response = r.get("response");
    let accepted = match response.req_str()?.to_ascii_lowercase().as_str() {
        "accept" => true,
        "reject" => false,
        other => return Err(response.malformed(format!("`{other}` is neither `accept` nor `reject`"))),
    };
    Ok(CallPermission {
        accepted,
        permanent: r.get("is_permanent").opt_bool()?.unwrap_or(false),
        expires_at: optional_time(&r.get("expiration_timestamp"))?,
        source: match r.get("response_source").opt_str()?.as_deref() {
            Some("user_action") => PermissionSource::UserAction,
            Some("automatic") => PermissionSource::Automatic,
            _ => PermissionSource::Other,
        },
    })
}

fn optional_time(c: &Cursor) -> Result<Option<Instant>, InboundError> {
    if c.is_present() { c.req_unix_seconds().map(Some) } else { Ok(None) }
}

/// What a call means for the 24-hour window. "When a WhatsApp user messages you or calls you, a
/// 24-hour timer called a customer service window starts" (Meta, Service messages, updated May 21,
/// 2026, https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages):
/// a user-initiated call's `connect` (sent for every call a user places, answered or not) counts like a
/// customer message, at its timestamp. A `terminate` does not count (its `timestamp` is the end, which
/// would stretch the window past the 24 hours Meta counts; the connect already counted), and a
/// business-initiated call never does: the business calling is not the customer writing.
pub fn window_event(direction: CallDirection, action: CallAction, at: Instant) -> WindowEvent {
    match (direction, action) {
        (CallDirection::UserInitiated, CallAction::Connect) => {
            WindowEvent::Customer { sent_at: at, clock: ClockSource::ProviderTimestamp, referral: None }
        }
        _ => WindowEvent::Other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::normalize;
    use super::*;
    use crate::window::{Conversation, ConversationOrigin, WindowRequest, WindowState, check, record_events};

    fn meta(value: serde_json::Value, field: &str) -> Webhook {
        let body = json!({"object": "whatsapp_business_account",
            "entry": [{"id": "2", "changes": [{"field": field, "value": value}]}]});
        Webhook {
            provider: Provider::MetaCloud,
            url: String::new(),
            headers: vec![],
            body: body.to_string().into_bytes(),
            received_at: 1_795_000_100_000,
        }
    }

    const METADATA: &str = r#"{"display_phone_number": "15550101234", "phone_number_id": "1"}"#;

    fn calls(value: serde_json::Value) -> Vec<Event> {
        normalize(&meta(value, "calls"), &InboundOptions::default()).unwrap()
    }

    #[test]
    fn a_user_call_connects_then_completes() {
        let metadata: serde_json::Value = serde_json::from_str(METADATA).unwrap();
        let events = calls(json!({"metadata": metadata,
            "contacts": [{"profile": {"name": "Ana"}, "wa_id": "15551230001", "user_id": "US.1"}],
            "calls": [{"id": "wacid.A", "from": "15551230001", "to": "15550101234", "event": "connect",
                "timestamp": "1795000000", "direction": "USER_INITIATED", "session": {"sdp_type": "offer", "sdp": "v=0"}},
              {"id": "wacid.A", "from": "15551230001", "to": "15550101234", "event": "terminate",
                "timestamp": "1795000130", "direction": "USER_INITIATED", "status": "COMPLETED",
                "start_time": "1795000010", "end_time": "1795000130", "duration": 120}]}));
        let [Event::Call(connect), Event::Call(end)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((connect.action, connect.direction), (CallAction::Connect, CallDirection::UserInitiated));
        assert_eq!(connect.customer.profile_name.as_deref(), Some("Ana"));
        assert_eq!(connect.conversation_key, "bsuid:US.1");
        assert_eq!(connect.business.number.as_deref(), Some("+15550101234"));
        assert_eq!((end.action, end.raw_event.as_str()), (CallAction::Completed, "terminate:COMPLETED"));
        assert_eq!(
            (end.started_at, end.ended_at, end.duration_seconds),
            (Some(1_795_000_010_000), Some(1_795_000_130_000), Some(120))
        );
    }

    #[test]
    fn a_business_call_rings_is_rejected_and_fails_with_its_error() {
        let metadata: serde_json::Value = serde_json::from_str(METADATA).unwrap();
        let events = calls(json!({"metadata": metadata,
            "statuses": [{"id": "wacid.B", "timestamp": "1795000000", "type": "call", "status": "RINGING",
                "recipient_id": "15551230002", "biz_opaque_callback_data": "ticket-9"},
              {"id": "wacid.B", "timestamp": "1795000005", "type": "call", "status": "REJECTED", "recipient_id": "15551230002"}]}));
        let [Event::Call(ring), Event::Call(rejected)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((ring.action, ring.direction), (CallAction::Ringing, CallDirection::BusinessInitiated));
        assert_eq!(
            (ring.customer.phone.as_deref(), ring.callback_data.as_deref()),
            (Some("+15551230002"), Some("ticket-9"))
        );
        assert_eq!(rejected.action, CallAction::Rejected);
        let events = calls(json!({"metadata": metadata,
            "calls": [{"id": "wacid.B", "from": "15550101234", "to": "15551230002", "event": "terminate",
                "timestamp": "1795000006", "direction": "BUSINESS_INITIATED", "status": "FAILED"}],
            "errors": [{"code": 131000, "message": "Something went wrong", "error_data": {"details": "d"}}]}));
        let [Event::Call(failed)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(failed.action, CallAction::Failed);
        assert_eq!(failed.customer.phone.as_deref(), Some("+15551230002"), "the callee is the customer");
        assert_eq!(failed.error.as_ref().map(|e| e.code), Some(131000));
    }

    #[test]
    fn a_call_without_a_known_direction_is_unreadable_and_its_sibling_comes_through() {
        let events = calls(json!({"calls": [
            {"id": "wacid.X", "from": "15551230001", "event": "connect", "timestamp": "1795000000"},
            {"id": "wacid.Y", "from": "15551230001", "event": "connect", "timestamp": "1795000000", "direction": "USER_INITIATED"}]}));
        let [Event::Unreadable(u), Event::Call(c)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!((u.kind.as_str(), u.path.as_str()), ("call", "entry[0].changes[0].value.calls[0].direction"));
        assert_eq!((u.item_id.as_deref(), c.id.as_str()), (Some("wacid.X"), "wacid.Y"));
    }

    #[test]
    fn a_call_permission_reply_is_its_own_kind() {
        let value = json!({"messages": [{"from": "15551230001", "id": "wamid.P", "timestamp": "1795000000",
            "context": {"from": "15551230001", "id": "wacid.M"}, "type": "interactive",
            "interactive": {"type": "call_permission_reply", "call_permission_reply": {"response": "accept",
                "is_permanent": false, "expiration_timestamp": "1795604800", "response_source": "user_action"}}}]});
        let events = normalize(&meta(value, "messages"), &InboundOptions::default()).unwrap();
        let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(m.kind, MessageKind::CallPermissionReply);
        assert_eq!(
            m.call_permission,
            Some(CallPermission {
                accepted: true,
                permanent: false,
                expires_at: Some(1_795_604_800_000),
                source: PermissionSource::UserAction
            })
        );
        assert_eq!(m.reply_to.as_deref(), Some("wacid.M"));
    }

    #[test]
    fn only_a_user_initiated_connect_opens_the_window() {
        let at = 1_795_000_000_000;
        use CallAction::*;
        for action in [Connect, Ringing, Accepted, Rejected, Completed, Failed, Other] {
            assert_eq!(window_event(CallDirection::BusinessInitiated, action, at), WindowEvent::Other, "{action:?}");
            let counts = action == Connect;
            assert_eq!(
                matches!(window_event(CallDirection::UserInitiated, action, at), WindowEvent::Customer { .. }),
                counts
            );
        }
    }

    #[test]
    fn a_call_only_contact_has_an_open_window() {
        let at = 1_795_000_000_000;
        let empty = Conversation {
            last_customer_message: None,
            last_business_message_at: None,
            origin: ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        };
        let called = record_events(&empty, &[window_event(CallDirection::UserInitiated, CallAction::Connect, at)]);
        let request = |conversation: Conversation| WindowRequest {
            conversation,
            now: at + 3_600_000,
            time_zone: None,
            business_hours: None,
            warn_before: None,
            pricing: None,
        };
        let answer = check(&request(called)).unwrap();
        assert_eq!((answer.state, answer.free_form_allowed), (WindowState::Open, true));
        assert_eq!(answer.closes_at, Some(at + 24 * 3_600_000));
        let business_called =
            record_events(&empty, &[window_event(CallDirection::BusinessInitiated, CallAction::Connect, at)]);
        assert_eq!(check(&request(business_called)).unwrap().state, WindowState::NeverOpened);
    }
}

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
use crate::window::{ClockSource, WindowEvent};

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

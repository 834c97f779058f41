//! Coexistence webhooks (the WhatsApp Business app and the Cloud API on one number) and marketing
//! preferences: `history`, `smb_app_state_sync` and `user_preferences`. Edits and revokes arrive as
//! message types and are read in `meta`; echoes of the business's own sends, edits and revokes in
//! `smb_message_echoes` are read there too.
//!
//! Shapes:
//! - `history`: Meta "history webhook reference" (updated Dec 12, 2025; read through the
//!   support.chatarchitect.com copy) and 360dialog "Coexistence Webhooks"
//!   (https://docs.360dialog.com/partner/onboarding/whatsapp-coexistence/coexistence-webhooks):
//!   `value.history[]` items with `metadata {phase, chunk_order, progress}` and `threads[] {id, messages[]}`;
//!   each message like a live one plus `history_context.status`, with `to` only on the business's own
//!   messages. Up to 180 days before onboarding, in phases 0 (day 0-1), 1 (1-90), 2 (90-180); group
//!   chats are not included. A declined share comes as `history[].errors[]` (dualhook.com "history
//!   Webhook": "commonly code 2593109"; Meta's own example not read: unconfirmed).
//! - `smb_app_state_sync`: Meta reference (updated Oct 22, 2025): `state_sync[] {type: contact,
//!   contact {full_name, first_name, phone_number}, action: add|remove, metadata.timestamp}`.
//! - `user_preferences`: Meta "user_preferences webhook reference" (updated May 21, 2026,
//!   https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences):
//!   `user_preferences[] {wa_id, detail, category: marketing_messages, value: stop|resume, timestamp}`.

use super::cursor::Cursor;
use super::meta::{change_context, customer_for, each, lenient_id, message};
use super::model::*;

/// `history`: one `history` event per message, never a live `message` (it must not open the window).
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn history_change(value: &Cursor, account_id: Option<String>, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let chunks = value.get("history");
    for chunk in each(&chunks, "history", events) {
        let errors = chunk.get("errors");
        for e in each(&errors, "error", events) {
            let (code, title) = match super::meta::provider_error(&e) {
                Ok(err) => (err.code, err.title),
                Err(err) => {
                    events.push(Event::unreadable("error", err, None));
                    continue;
                }
            };
            events.push(Event::Ignored(IgnoredEvent {
                kind: "history".into(),
                reason: format!(
                    "no chat history was shared (Meta error {code}: {title}); the business owner may have declined sharing it"
                ),
            }));
        }
        let meta = chunk.get("metadata");
        let small = |key: &str| meta.get(key).opt_u64().ok().flatten().and_then(|n| u32::try_from(n).ok());
        let (phase, chunk_order, progress) = (small("phase"), small("chunk_order"), small("progress"));
        let threads = chunk.get("threads");
        for thread in each(&threads, "history", events) {
            let thread_id = match thread.get("id").req_str() {
                Ok(id) => id,
                Err(e) => {
                    events.push(Event::unreadable("history", e, None));
                    continue;
                }
            };
            let messages = thread.get("messages");
            for m in each(&messages, "history", events) {
                let customer = customer_for(&change, Some(thread_id.clone()), None);
                let read = message(&m, change.business.clone(), customer).and_then(|message| {
                    let from = m.get("from").opt_nonempty()?;
                    let from_business = m.get("to").is_present() || from.as_deref() != Some(thread_id.as_str());
                    Ok(HistoryMessage {
                        message,
                        from_business,
                        status: m.get("history_context").get("status").opt_nonempty()?,
                        phase,
                        chunk_order,
                        progress,
                    })
                });
                match read {
                    Ok(h) => events.push(Event::History(h)),
                    Err(e) => events.push(Event::unreadable("history", e, lenient_id(&m, "id"))),
                }
            }
        }
    }
    Ok(())
}

/// `smb_app_state_sync`: the business's own address book in the WhatsApp Business app. The helpdesk
/// keeps its own contacts, so each item is `ignored` with what it was.
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn state_sync_change(value: &Cursor, events: &mut Vec<Event>) -> Result<(), InboundError> {
    let items = value.get("state_sync");
    for item in each(&items, "state-sync", events) {
        let kind = item.get("type").opt_str().ok().flatten().unwrap_or_default();
        let action = item.get("action").opt_str().ok().flatten().unwrap_or_default();
        events.push(Event::Ignored(IgnoredEvent {
            kind: "smb_app_state_sync".into(),
            reason: format!(
                "the WhatsApp Business app synced its address book (`{kind}` `{action}`): the helpdesk keeps its own contacts, no conversation is affected"
            ),
        }));
    }
    Ok(())
}

/// `user_preferences`: one `preference-update` per item.
#[inline(never)] // its own frame: see `STACK` in inbound/mod.rs
pub fn preferences_change(
    value: &Cursor,
    account_id: Option<String>,
    events: &mut Vec<Event>,
) -> Result<(), InboundError> {
    let change = change_context(value, account_id, events)?;
    let business = change.business.clone();
    let items = value.get("user_preferences");
    for p in each(&items, "user-preference", events) {
        match preference(&p, &change, &business) {
            Ok(update) => events.push(Event::PreferenceUpdate(update)),
            Err(e) => events.push(Event::unreadable("user-preference", e, lenient_id(&p, "wa_id"))),
        }
    }
    Ok(())
}

fn preference(p: &Cursor, change: &super::meta::Change, business: &Business) -> Result<PreferenceUpdate, InboundError> {
    let customer = customer_for(change, p.get("wa_id").opt_nonempty()?, p.get("user_id").opt_nonempty()?);
    let raw_value = p.get("value").req_str()?;
    Ok(PreferenceUpdate {
        provider: Provider::MetaCloud,
        business: business.clone(),
        customer,
        category: p.get("category").opt_str()?.unwrap_or_default(),
        preference: match raw_value.as_str() {
            "stop" => MarketingPreference::Stop,
            "resume" => MarketingPreference::Resume,
            _ => MarketingPreference::Other,
        },
        raw_value,
        detail: p.get("detail").opt_nonempty()?,
        at: p.get("timestamp").req_unix_seconds()?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::normalize;
    use super::*;

    fn events(field: &str, value: &str) -> Vec<Event> {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"W1","changes":[{{"field":"{field}","value":{{"metadata":{{"display_phone_number":"15550101234","phone_number_id":"42"}},{value}}}}}]}}]}}"#
        );
        let hook = Webhook {
            provider: Provider::MetaCloud,
            url: String::new(),
            headers: vec![],
            body: body.into_bytes(),
            received_at: 1_795_000_100_000,
        };
        normalize(&hook, &InboundOptions::default()).unwrap()
    }

    #[test]
    fn an_edit_names_the_original_and_carries_the_new_text_redacted() {
        let got = events(
            "messages",
            r#""messages":[{"from":"15551230001","id":"wamid.E","timestamp":"1795000000","type":"edit",
              "edit":{"original_message_id":"wamid.O","message":{"type":"text","text":{"body":"card 4111 1111 1111 1111"}}}}]"#,
        );
        let [Event::Message(m)] = got.as_slice() else { panic!("{got:?}") };
        assert_eq!((m.kind, m.original_message_id.as_deref()), (MessageKind::Edit, Some("wamid.O")));
        assert_eq!(m.text.as_deref(), Some("card **** **** **** 1111"));
        assert_eq!(m.redactions.len(), 1);
        assert!(!m.kind.counts_for_window());
        assert!(m.notes.iter().all(|n| !n.contains("resend")), "{:?}", m.notes);
        // An edit of an image keeps the new caption on the attachment.
        let got = events(
            "messages",
            r#""messages":[{"from":"15551230001","id":"wamid.E2","timestamp":"1795000000","type":"edit",
              "edit":{"original_message_id":"wamid.O2","message":{"context":{"id":"wamid.C"},"type":"image","image":{"caption":"new","mime_type":"image/jpeg","id":"9"}}}}]"#,
        );
        let [Event::Message(m)] = got.as_slice() else { panic!("{got:?}") };
        assert_eq!((m.attachments[0].caption.as_deref(), m.reply_to.as_deref()), (Some("new"), Some("wamid.C")));
    }

    #[test]
    fn a_revoke_hides_the_original_and_nesting_is_refused() {
        let got = events(
            "messages",
            r#""messages":[{"from":"15551230001","id":"wamid.R","timestamp":"1795000000","type":"revoke","revoke":{"original_message_id":"wamid.O"}},
              {"from":"15551230001","id":"wamid.N","timestamp":"1795000000","type":"edit","edit":{"original_message_id":"wamid.O","message":{"type":"edit","edit":{}}}}]"#,
        );
        let [Event::Message(r), Event::Unreadable(n)] = got.as_slice() else { panic!("{got:?}") };
        assert_eq!((r.kind, r.original_message_id.as_deref()), (MessageKind::Revoke, Some("wamid.O")));
        assert!(r.notes[0].contains("hide message wamid.O"));
        assert_eq!(n.path, "entry[0].changes[0].value.messages[1].edit.message.edit");
    }

    #[test]
    fn an_echo_revoke_is_the_business_s() {
        let got = events(
            "smb_message_echoes",
            r#""message_echoes":[{"from":"15550101234","to":"15551230001","id":"wamid.ER","timestamp":"1795000000","type":"revoke","revoke":{"original_message_id":"wamid.B"}}]"#,
        );
        let [Event::Echo(e)] = got.as_slice() else { panic!("{got:?}") };
        assert_eq!((e.kind, e.customer.phone.as_deref()), (MessageKind::Revoke, Some("+15551230001")));
    }

    #[test]
    fn a_flow_reply_is_shown_and_every_typed_value_is_redacted() {
        let got = events(
            "messages",
            r#""messages":[{"from":"15551230001","id":"wamid.F","timestamp":"1795000000","type":"interactive",
              "interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"{\"flow_token\":\"T\",\"card\":\"4111111111111111\"}"}}}]"#,
        );
        let [Event::Message(m)] = got.as_slice() else { panic!("{got:?}") };
        let reply = m.flow_reply.as_ref().unwrap();
        assert_eq!((m.kind, reply.flow_token.as_deref()), (MessageKind::FlowReply, Some("T")));
        assert_eq!(reply.fields[0].value, "************1111");
        assert!(!reply.raw_json.contains("4111111111111111") && reply.raw_json.contains("1111\""));
        let fields: Vec<&str> = m.redactions.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(fields, ["flow-field", "flow-raw-json"]);
    }

    #[test]
    fn history_messages_are_their_own_event_and_never_live() {
        let got = events(
            "history",
            r#""history":[{"metadata":{"phase":1,"chunk_order":2,"progress":40},"threads":[{"id":"15551230001","messages":[
              {"from":"15551230001","id":"wamid.H1","timestamp":"1790000000","type":"text","text":{"body":"hello"},"history_context":{"status":"READ"}},
              {"from":"15550101234","to":"15551230001","id":"wamid.H2","timestamp":"1790000060","type":"text","text":{"body":"hi"},"history_context":{"status":"DELIVERED"}}]}]},
              {"errors":[{"code":2593109,"title":"History sharing declined"}]}]"#,
        );
        let [Event::History(a), Event::History(b), Event::Ignored(declined)] = got.as_slice() else {
            panic!("{got:?}")
        };
        assert!(!a.from_business && b.from_business);
        assert_eq!(
            (a.phase, a.chunk_order, a.progress, a.status.as_deref()),
            (Some(1), Some(2), Some(40), Some("READ"))
        );
        assert_eq!(b.message.customer.phone.as_deref(), Some("+15551230001"), "the thread is the customer");
        assert!(declined.reason.contains("2593109"));
    }

    #[test]
    fn preferences_and_state_sync() {
        let got = events(
            "user_preferences",
            r#""contacts":[{"profile":{"name":"Ana"},"wa_id":"15551230001"}],
              "user_preferences":[{"wa_id":"15551230001","detail":"User requested to stop marketing messages","category":"marketing_messages","value":"stop","timestamp":1795000000},
              {"wa_id":"15551230002","category":"marketing_messages","value":"resume"}]"#,
        );
        let [Event::PreferenceUpdate(p), Event::Unreadable(u)] = got.as_slice() else { panic!("{got:?}") };
        assert_eq!((p.preference, p.customer.profile_name.as_deref()), (MarketingPreference::Stop, Some("Ana")));
        assert_eq!((p.at, p.business.account_id.as_deref()), (1_795_000_000_000, Some("W1")));
        assert_eq!(
            (u.path.as_str(), u.item_id.as_deref()),
            ("entry[0].changes[0].value.user_preferences[1].timestamp", Some("15551230002"))
        );
        let got = events(
            "smb_app_state_sync",
            r#""state_sync":[{"type":"contact","contact":{"phone_number":"15551230001"},"action":"remove","metadata":{"timestamp":"1795000000"}}]"#,
        );
        let [Event::Ignored(i)] = got.as_slice() else { panic!("{got:?}") };
        assert!(i.kind == "smb_app_state_sync" && i.reason.contains("`remove`"));
    }
}

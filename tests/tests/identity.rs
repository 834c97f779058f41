//! Nobody is misidentified, through the real component: whatever identifier a provider puts in a
//! phone-bearing field (Meta `from`, `contacts[].wa_id`, `statuses[].recipient_id`, `context.from`, echo
//! `to`/`from`, `metadata.display_phone_number`, call `from`/`to`; Twilio `From`, `To`, `WaId`,
//! `ExternalUserId`; 1msg `chatId`, `author`), every `phone` that comes out is none or the E.164 form
//! of a value that was a phone number. Drawn: phones, digit-only BSUID-like ids of 16 to 25 digits,
//! `US.…` BSUIDs, `US.ENT.…` parents, Meta and 1msg group ids, usernames, numbers starting with 0 and
//! too short ones.

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, types};
use integration_tests::plugin;
use proptest::prelude::*;
use serde_json::json;

fn hook(provider: types::Provider, body: Vec<u8>) -> inbound::Webhook {
    inbound::Webhook {
        provider,
        url: "https://helpdesk.example.com/webhooks/x".into(),
        headers: vec![],
        body,
        received_at: 1_795_000_000_000,
    }
}

fn meta(value: serde_json::Value, field: &str) -> inbound::Webhook {
    let body = json!({"object": "whatsapp_business_account",
        "entry": [{"id": "220300400500600", "changes": [{"field": field, "value": value}]}]});
    hook(types::Provider::MetaCloud, body.to_string().into_bytes())
}

/// The E.164 form the contract promises: `+` and 8 to 15 digits, the first not 0.
fn e164(value: &str) -> Option<String> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    (digits.bytes().all(|b| b.is_ascii_digit()) && (8..=15).contains(&digits.len()) && !digits.starts_with('0'))
        .then(|| format!("+{digits}"))
}

#[derive(Debug, Clone)]
struct Id {
    value: String,
    phone: bool,
}

fn id() -> impl Strategy<Value = Id> {
    let phone = ("[1-9][0-9]{7,14}", any::<bool>())
        .prop_map(|(d, plus)| Id { value: if plus { format!("+{d}") } else { d }, phone: true });
    let not_phone = prop_oneof![
        "[1-9][0-9]{15,24}",
        "[A-Z]{2}\\.[0-9]{8,30}",
        "[A-Z]{2}\\.ENT\\.[0-9A-Za-z]{6,20}",
        "[A-Za-z0-9_-]{20,40}",
        "[0-9]{10,18}-[0-9]{6,10}",
        "@[a-z]{2,10}\\.[a-z]{2,10}",
        "0[0-9]{7,14}",
        "[0-9]{1,7}",
    ]
    .prop_filter("8-15 digits alone is a phone", |v| e164(v).is_none())
    .prop_map(|value| Id { value, phone: false });
    prop_oneof![phone, not_phone]
}

fn webhooks(ids: &[Id]) -> Vec<inbound::Webhook> {
    let v = |i: usize| ids[i % ids.len()].value.clone();
    let twilio = |pairs: &[(&str, String)]| {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, val) in pairs {
            form.append_pair(k, val);
        }
        hook(types::Provider::Twilio, form.finish().into_bytes())
    };
    let one_msg = |body: serde_json::Value| hook(types::Provider::OneMsg, body.to_string().into_bytes());
    let metadata = json!({"display_phone_number": v(0), "phone_number_id": "1"});
    vec![
        meta(
            json!({"metadata": metadata,
            "contacts": [{"wa_id": v(1), "user_id": v(2), "parent_user_id": v(3), "profile": {"username": v(4)}}],
            "messages": [
                {"from": v(1), "from_user_id": v(2), "id": "m1", "timestamp": "1795000000", "type": "text",
                 "text": {"body": "x"}, "context": {"from": v(5), "id": "m0"}},
                {"from": v(6), "id": "m2", "timestamp": "1795000000", "type": "system",
                 "system": {"body": "b", "wa_id": v(7), "user_id": v(8), "type": "user_changed_number"}},
                {"from": v(9), "group_id": v(10), "id": "m3", "timestamp": "1795000000", "type": "text", "text": {"body": "g"}}],
            "statuses": [
                {"id": "s1", "status": "sent", "timestamp": "1795000000", "recipient_id": v(11), "recipient_user_id": v(12)},
                {"id": "s2", "status": "read", "timestamp": "1795000000", "recipient_id": v(10), "recipient_type": "group",
                 "recipient_participant_id": v(13)}]}),
            "messages",
        ),
        meta(
            json!({"metadata": metadata, "message_echoes": [{"from": v(14), "to": v(15), "id": "e1",
            "timestamp": "1795000000", "type": "text", "text": {"body": "e"}}]}),
            "smb_message_echoes",
        ),
        meta(
            json!({"metadata": metadata, "contacts": [{"wa_id": v(16)}], "calls": [
                {"id": "wacid.1", "from": v(16), "to": v(0), "event": "connect", "timestamp": "1795000000",
                 "direction": "USER_INITIATED"},
                {"id": "wacid.2", "from": v(0), "to": v(17), "event": "terminate", "timestamp": "1795000000",
                 "direction": "BUSINESS_INITIATED", "status": "FAILED"}],
            "statuses": [{"id": "wacid.2", "type": "call", "status": "RINGING", "timestamp": "1795000000",
                "recipient_id": v(18)}]}),
            "calls",
        ),
        meta(
            json!({"metadata": metadata, "groups": [{"timestamp": "1795000000", "group_id": v(10),
            "type": "group_participants_add", "added_participants": [{"wa_id": v(19)}, {"input": v(20)}]}]}),
            "group_participants_update",
        ),
        twilio(&[
            ("MessageSid", "SM1".into()),
            ("AccountSid", "AC1".into()),
            ("From", format!("whatsapp:{}", v(21))),
            ("To", format!("whatsapp:{}", v(22))),
            ("WaId", v(23)),
            ("ExternalUserId", v(24)),
            ("Body", "hi".into()),
        ]),
        twilio(&[
            ("MessageSid", "SM2".into()),
            ("MessageStatus", "delivered".into()),
            ("From", format!("whatsapp:{}", v(25))),
            ("To", format!("whatsapp:{}", v(26))),
            ("ExternalUserId", v(27)),
        ]),
        one_msg(json!({"instanceId": "7", "messages": [
            {"id": "o1", "chatId": format!("{}@c.us", v(28)), "body": "x", "type": "chat", "time": 1795000000},
            {"id": "o2", "chatId": format!("{}@g.us", v(29)), "author": format!("{}@c.us", v(30)), "body": "x",
             "type": "chat", "time": 1795000000},
            {"id": "o3", "chatId": format!("{}@lid", v(31)), "body": "x", "type": "chat", "time": 1795000000},
            {"id": "o4", "chatId": format!("{}@c.us", v(1)), "author": format!("{}@c.us", v(2)), "fromMe": true,
             "body": "x", "type": "chat", "time": 1795000000}],
            "ack": [{"id": "o1", "chatId": format!("{}@c.us", v(3)), "status": "delivered"}]})),
    ]
}

/// Every phone in the events: customers (also a system notice's new customer, group participants)
/// and business numbers.
fn phones(events: &[inbound::Event]) -> Vec<String> {
    let mut customers: Vec<&types::Customer> = Vec::new();
    let mut out = Vec::new();
    for e in events {
        match e {
            inbound::Event::Message(m) | inbound::Event::Echo(m) => {
                customers.push(&m.customer);
                customers.extend(m.system.as_ref().map(|s| &s.new_customer));
                out.extend(m.business.number.clone());
            }
            inbound::Event::Status(s) => {
                customers.push(&s.customer);
                out.extend(s.business.number.clone());
            }
            inbound::Event::Call(c) => {
                customers.push(&c.customer);
                out.extend(c.business.number.clone());
            }
            inbound::Event::GroupUpdate(g) => customers.extend(&g.participants),
            inbound::Event::History(h) => {
                customers.push(&h.message.customer);
                out.extend(h.message.business.number.clone());
            }
            inbound::Event::PreferenceUpdate(p) => {
                customers.push(&p.customer);
                out.extend(p.business.number.clone());
            }
            inbound::Event::TemplateUpdate(t) => out.extend(t.business.number.clone()),
            inbound::Event::Ignored(_) | inbound::Event::Unreadable(_) => {}
        }
    }
    out.extend(customers.into_iter().filter_map(|c| c.phone.clone()));
    out
}

fn options() -> inbound::InboundOptions {
    inbound::InboundOptions { secret: None, redact_card_numbers: None, max_attachment_bytes: None, serve_groups: None }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn no_identifier_that_is_not_a_phone_comes_out_as_one(ids in proptest::collection::vec(id(), 32)) {
        let allowed: Vec<String> = ids.iter().filter(|i| i.phone).filter_map(|i| e164(&i.value)).collect();
        for hook in webhooks(&ids) {
            let events = match plugin().normalize(&hook, &options()) {
                Ok(Ok(events)) => events,
                Ok(Err(_)) => continue,
                Err(e) => return Err(TestCaseError::fail(format!("trapped: {e}"))),
            };
            for phone in phones(&events) {
                prop_assert!(allowed.contains(&phone), "{phone} came out as a phone from {}", String::from_utf8_lossy(&hook.body));
            }
        }
    }
}

#[test]
fn phones_do_come_out_when_they_are_phones() {
    // Without this, a component that dropped every phone would pass the property.
    let ids: Vec<Id> = (0..32).map(|i| Id { value: format!("1555123{i:04}"), phone: true }).collect();
    let total: usize =
        webhooks(&ids).iter().map(|h| phones(&plugin().normalize(h, &options()).unwrap().unwrap()).len()).sum();
    assert!(total >= 20, "{total}");
}

#[test]
fn a_bsuid_only_customer_keeps_username_parent_and_key() {
    let hook = meta(
        json!({"contacts": [{"profile": {"name": "Ana", "username": "ana.silva"}, "user_id": "US.7", "parent_user_id": "US.ENT.7"}],
        "messages": [{"from_user_id": "US.7", "id": "w", "timestamp": "1795000000", "type": "text", "text": {"body": "hi"}}]}),
        "messages",
    );
    let events = plugin().normalize(&hook, &options()).unwrap().unwrap();
    let [inbound::Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(m.customer.phone, None);
    assert_eq!(
        (m.customer.username.as_deref(), m.customer.parent_bsuid.as_deref()),
        (Some("ana.silva"), Some("US.ENT.7"))
    );
    assert_eq!(m.conversation_key, "bsuid:US.7");
}

//! Identity: system notices name the old and the new identifier; nothing that is not a phone number
//! ever comes out as a phone, whichever provider field carries it.

use proptest::prelude::*;
use serde_json::json;

use super::super::model::*;
use super::super::normalize;

fn meta(value: serde_json::Value, field: &str) -> Webhook {
    let body = json!({"object": "whatsapp_business_account",
        "entry": [{"id": "220300400500600", "changes": [{"field": field, "value": value}]}]});
    hook(Provider::MetaCloud, body.to_string().into_bytes())
}

fn hook(provider: Provider, body: Vec<u8>) -> Webhook {
    Webhook { provider, url: "https://h.example/w".into(), headers: vec![], body, received_at: 1_795_000_000_000 }
}

fn only_message(events: Vec<Event>) -> Message {
    match events.as_slice() {
        [Event::Message(m)] => m.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_changed_number_names_the_old_phone_and_the_new_one_and_moves_the_key() {
    let value = json!({"metadata": {"display_phone_number": "15550101234", "phone_number_id": "1"},
        "messages": [{"from": "15551230007", "from_user_id": "US.111", "id": "wamid.S", "timestamp": "1795000000",
            "type": "system", "system": {"body": "User A changed from 15551230007 to 15551230077",
            "wa_id": "15551230077", "user_id": "US.222", "type": "user_changed_number"}}]});
    let m = only_message(normalize(&meta(value, "messages"), &InboundOptions::default()).unwrap());
    let s = m.system.unwrap();
    assert_eq!(s.change, IdentityChange::NumberChanged);
    assert_eq!((m.customer.phone.as_deref(), m.customer.bsuid.as_deref()), (Some("+15551230007"), Some("US.111")));
    assert_eq!(
        (s.new_customer.phone.as_deref(), s.new_customer.bsuid.as_deref()),
        (Some("+15551230077"), Some("US.222"))
    );
    assert_eq!(m.conversation_key, "bsuid:US.111");
    assert_eq!(s.new_conversation_key.as_deref(), Some("bsuid:US.222"));
}

#[test]
fn a_changed_user_id_never_puts_a_bsuid_in_a_phone() {
    // `user_changed_user_id`: no phone anywhere; the ids are digit-heavy but BSUIDs.
    let value = json!({"metadata": {"display_phone_number": "15550101234", "phone_number_id": "1"},
        "messages": [{"from_user_id": "US.13491208655302741918", "id": "wamid.U", "timestamp": "1795000000",
            "type": "system", "system": {"body": "User changed from US.13491208655302741918 to US.99491208655302741918",
            "user_id": "US.99491208655302741918", "parent_user_id": "US.ENT.5566", "type": "user_changed_user_id"}}]});
    let m = only_message(normalize(&meta(value, "messages"), &InboundOptions::default()).unwrap());
    let s = m.system.unwrap();
    assert_eq!(s.change, IdentityChange::UserIdChanged);
    assert_eq!(m.customer.phone, None);
    assert_eq!(s.new_customer.phone, None);
    assert_eq!(s.new_customer.parent_bsuid.as_deref(), Some("US.ENT.5566"));
    assert_eq!(s.new_conversation_key.as_deref(), Some("bsuid:US.99491208655302741918"));
    // The older name of the number notice is read the same way.
    let old = json!({"messages": [{"from": "15551230007", "id": "w", "timestamp": "1795000000", "type": "system",
        "system": {"body": "b", "new_wa_id": "15551230077", "type": "customer_changed_number"}}]});
    let m = only_message(normalize(&meta(old, "messages"), &InboundOptions::default()).unwrap());
    let s = m.system.unwrap();
    assert_eq!((s.change, s.new_wa_id.as_deref()), (IdentityChange::NumberChanged, Some("15551230077")));
    assert_eq!(s.new_conversation_key.as_deref(), Some("wa:15551230077"));
}

#[test]
fn username_and_parent_come_from_the_contact_and_the_message() {
    let value = json!({"contacts": [{"profile": {"name": "Ana", "username": "ana.silva"}, "user_id": "US.7",
            "parent_user_id": "US.ENT.7"}],
        "messages": [{"from_user_id": "US.7", "id": "w", "timestamp": "1795000000", "type": "text", "text": {"body": "hi"}}],
        "statuses": [{"id": "s", "status": "read", "timestamp": "1795000001", "recipient_user_id": "US.8",
            "parent_recipient_user_id": "US.ENT.8"}]});
    let events = normalize(&meta(value, "messages"), &InboundOptions::default()).unwrap();
    let [Event::Message(m), Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(m.customer.username.as_deref(), Some("ana.silva"));
    assert_eq!(m.customer.parent_bsuid.as_deref(), Some("US.ENT.7"));
    assert_eq!((m.customer.phone.as_deref(), m.conversation_key.as_str()), (None, "bsuid:US.7"));
    assert_eq!((s.customer.parent_bsuid.as_deref(), s.conversation_key.as_str()), (Some("US.ENT.8"), "bsuid:US.8"));
}

#[test]
fn conversation_keys_prefer_group_then_bsuid_then_wa_id() {
    let c = |phone: Option<&str>, wa: Option<&str>, bsuid: Option<&str>| Customer {
        phone: phone.map(Into::into),
        wa_id: wa.map(Into::into),
        bsuid: bsuid.map(Into::into),
        ..Customer::default()
    };
    assert_eq!(conversation_key(&c(Some("+1555"), Some("1555"), Some("US.1")), Some("G1")), "group:G1");
    assert_eq!(conversation_key(&c(Some("+1555"), Some("1555"), Some("US.1")), None), "bsuid:US.1");
    assert_eq!(conversation_key(&c(Some("+15551230001"), Some("15551230001"), None), None), "wa:15551230001");
    assert_eq!(conversation_key(&c(Some("+15551230001"), None, None), None), "wa:15551230001");
    assert_eq!(conversation_key(&Customer::default(), None), "");
}

/// An identifier and whether it is a phone number.
#[derive(Debug, Clone)]
struct Id {
    value: String,
    phone: bool,
}

fn phone() -> impl Strategy<Value = Id> {
    ("[1-9][0-9]{7,14}", any::<bool>())
        .prop_map(|(d, plus)| Id { value: if plus { format!("+{d}") } else { d }, phone: true })
}

fn not_phone() -> impl Strategy<Value = Id> {
    prop_oneof![
        "[1-9][0-9]{15,24}",                  // digit-only, BSUID-like, too long for E.164
        "[A-Z]{2}\\.[0-9]{8,30}",             // a BSUID
        "[A-Z]{2}\\.ENT\\.[0-9A-Za-z]{6,20}", // a parent BSUID
        "[A-Za-z0-9_-]{20,40}",               // a Meta group id (base64-like)
        "[0-9]{10,18}-[0-9]{6,10}",           // an old-style group id
        "@[a-z]{2,10}\\.[a-z]{2,10}",         // a username
        "0[0-9]{7,14}",                       // starts with 0: no country code does
        "[0-9]{1,7}",                         // too short
    ]
    .prop_filter("a value of 8-15 digits alone is a phone", |v| {
        let digits: String = v.chars().filter(char::is_ascii_digit).collect();
        !(v.chars().all(|c| c.is_ascii_digit()) && (8..=15).contains(&digits.len()) && !digits.starts_with('0'))
    })
    .prop_map(|value| Id { value, phone: false })
}

fn id() -> impl Strategy<Value = Id> {
    prop_oneof![phone(), not_phone()]
}

/// Every webhook of every provider that carries the ids in a phone-bearing field.
fn webhooks(ids: &[Id]) -> Vec<Webhook> {
    let v = |i: usize| ids[i % ids.len()].value.clone();
    let twilio = |pairs: &[(&str, String)]| {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, val) in pairs {
            form.append_pair(k, val);
        }
        hook(Provider::Twilio, form.finish().into_bytes())
    };
    let one_msg = |body: serde_json::Value| hook(Provider::OneMsg, body.to_string().into_bytes());
    let metadata = json!({"display_phone_number": v(0), "phone_number_id": "1"});
    vec![
        meta(
            json!({"metadata": metadata, "contacts": [{"wa_id": v(1), "user_id": v(2), "profile": {"username": v(3)}}],
            "messages": [
                {"from": v(1), "from_user_id": v(2), "id": "m1", "timestamp": "1795000000", "type": "text",
                 "text": {"body": "x"}, "context": {"from": v(4), "id": "m0"}},
                {"from": v(5), "id": "m2", "timestamp": "1795000000", "type": "system",
                 "system": {"body": "b", "wa_id": v(6), "user_id": v(7), "type": "user_changed_number"}},
                {"from": v(8), "group_id": v(9), "id": "m3", "timestamp": "1795000000", "type": "text", "text": {"body": "g"}}],
            "statuses": [
                {"id": "s1", "status": "sent", "timestamp": "1795000000", "recipient_id": v(10)},
                {"id": "s2", "status": "read", "timestamp": "1795000000", "recipient_id": v(11), "recipient_type": "group",
                 "recipient_participant_id": v(12)}]}),
            "messages",
        ),
        meta(
            json!({"metadata": metadata, "message_echoes": [{"from": v(13), "to": v(14), "id": "e1",
            "timestamp": "1795000000", "type": "text", "text": {"body": "e"}}]}),
            "smb_message_echoes",
        ),
        meta(
            json!({"metadata": metadata, "contacts": [{"wa_id": v(15)}], "calls": [
                {"id": "wacid.1", "from": v(15), "to": v(0), "event": "connect", "timestamp": "1795000000",
                 "direction": "USER_INITIATED"},
                {"id": "wacid.2", "from": v(0), "to": v(16), "event": "terminate", "timestamp": "1795000000",
                 "direction": "BUSINESS_INITIATED", "status": "FAILED"}],
            "statuses": [{"id": "wacid.2", "type": "call", "status": "RINGING", "timestamp": "1795000000",
                "recipient_id": v(17)}]}),
            "calls",
        ),
        meta(
            json!({"metadata": metadata, "groups": [{"timestamp": "1795000000", "group_id": v(9),
            "type": "group_participants_add", "added_participants": [{"wa_id": v(18)}, {"input": v(19)}]}]}),
            "group_participants_update",
        ),
        twilio(&[
            ("MessageSid", "SM1".into()),
            ("AccountSid", "AC1".into()),
            ("From", format!("whatsapp:{}", v(20))),
            ("To", format!("whatsapp:{}", v(21))),
            ("WaId", v(22)),
            ("Body", "hi".into()),
        ]),
        twilio(&[
            ("MessageSid", "SM2".into()),
            ("MessageStatus", "delivered".into()),
            ("From", format!("whatsapp:{}", v(23))),
            ("To", format!("whatsapp:{}", v(24))),
            ("ExternalUserId", v(25)),
        ]),
        one_msg(json!({"instanceId": "7", "messages": [
            {"id": "o1", "chatId": format!("{}@c.us", v(26)), "body": "x", "type": "chat", "time": 1795000000},
            {"id": "o2", "chatId": format!("{}@g.us", v(27)), "author": format!("{}@c.us", v(28)), "body": "x",
             "type": "chat", "time": 1795000000},
            {"id": "o3", "chatId": format!("{}@c.us", v(29)), "author": format!("{}@c.us", v(30)), "fromMe": true,
             "body": "x", "type": "chat", "time": 1795000000}],
            "ack": [{"id": "o1", "chatId": format!("{}@c.us", v(31)), "status": "delivered"}]})),
    ]
}

/// Every customer record and business number in the events.
fn phones(events: &[Event]) -> Vec<String> {
    let mut customers: Vec<&Customer> = Vec::new();
    let mut out = Vec::new();
    for e in events {
        match e {
            Event::Message(m) | Event::Echo(m) => {
                customers.push(&m.customer);
                customers.extend(m.system.as_ref().map(|s| &s.new_customer));
                out.extend(m.business.number.clone());
            }
            Event::Status(s) => {
                customers.push(&s.customer);
                out.extend(s.business.number.clone());
            }
            Event::Call(c) => {
                customers.push(&c.customer);
                out.extend(c.business.number.clone());
            }
            Event::GroupUpdate(g) => customers.extend(&g.participants),
            Event::History(h) => {
                customers.push(&h.message.customer);
                out.extend(h.message.business.number.clone());
            }
            Event::PreferenceUpdate(p) => {
                customers.push(&p.customer);
                out.extend(p.business.number.clone());
            }
            Event::TemplateUpdate(t) => out.extend(t.business.number.clone()),
            Event::Ignored(_) | Event::Unreadable(_) => {}
        }
    }
    out.extend(customers.into_iter().filter_map(|c| c.phone.clone()));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_identifier_that_is_not_a_phone_comes_out_as_one(ids in proptest::collection::vec(id(), 32)) {
        let allowed: Vec<String> =
            ids.iter().filter(|i| i.phone).filter_map(|i| super::super::cursor::e164_strict(&i.value)).collect();
        for hook in webhooks(&ids) {
            let Ok(events) = normalize(&hook, &InboundOptions::default()) else { continue };
            for phone in phones(&events) {
                prop_assert!(allowed.contains(&phone), "{phone} came out as a phone from {:?}\n{events:?}", String::from_utf8_lossy(&hook.body));
            }
        }
    }
}

#[test]
fn the_property_sees_phones_when_they_are_there() {
    // Guard against a property that passes because nothing comes out: all-phone ids give phones.
    let ids: Vec<Id> = (0..32).map(|i| Id { value: format!("1555123{:04}", i), phone: true }).collect();
    let total: usize =
        webhooks(&ids).iter().map(|h| phones(&normalize(h, &InboundOptions::default()).unwrap()).len()).sum();
    assert!(total >= 20, "{total}");
}

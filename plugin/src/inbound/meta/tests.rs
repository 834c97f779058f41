use super::*;
use crate::types::MessageCategory;

fn hook(value: &str, field: &str) -> Webhook {
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"{field}","value":{value}}}]}}]}}"#
    );
    Webhook {
        provider: Provider::MetaCloud,
        url: String::new(),
        headers: vec![],
        body: body.into_bytes(),
        received_at: 0,
    }
}

const META: &str = r#""metadata":{"display_phone_number":"1 555 010 1234","phone_number_id":"42"}"#;

#[test]
fn ids_sent_as_numbers_with_a_fraction_are_not_phones() {
    // `15551230001.0` read as text must not become the phone +155512300010.
    let value = format!(
        r#"{{{META},"messages":[{{"from":15551230001.0,"id":"wamid.F","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(m.customer.phone, None);
    // An integer is read as its digits, as before.
    let value = format!(
        r#"{{{META},"messages":[{{"from":15551230001,"id":"wamid.G","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(m.customer.phone.as_deref(), Some("+15551230001"));
}

#[test]
fn unreadable_metadata_never_takes_the_change() {
    let value = r#"{"metadata":{"display_phone_number":{"oops":1},"phone_number_id":"42"},
        "messages":[{"from":"15551230001","id":"wamid.H","timestamp":"1795000000","type":"text","text":{"body":"hi"}}]}"#;
    let events = parse(&hook(value, "messages")).unwrap();
    let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!((m.business.number.as_deref(), m.business.number_id.as_deref()), (None, Some("42")));
}

#[test]
fn a_text_message_with_its_contact() {
    let value = format!(
        r#"{{{META},"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"15551230001"}}],
        "messages":[{{"from":"15551230001","id":"wamid.A","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Message(m)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(m.customer.phone.as_deref(), Some("+15551230001"));
    assert_eq!(m.customer.profile_name.as_deref(), Some("Ana"));
    assert_eq!(m.business.number.as_deref(), Some("+15550101234"));
    assert_eq!(m.sent_at, 1_795_000_000_000);
    assert_eq!(m.text.as_deref(), Some("hi"));
}

#[test]
fn statuses_and_echoes_name_the_business_like_messages() {
    let business =
        Business { number: Some("+15550101234".into()), number_id: Some("42".into()), account_id: Some("1".into()) };
    let value = format!(
        r#"{{{META},"messages":[{{"from":"15551230001","id":"wamid.M","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}],
        "statuses":[{{"id":"wamid.S","status":"read","timestamp":"1795000001","recipient_id":"15551230001"}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Message(m), Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(m.business, business);
    assert_eq!(s.business, business, "a status names the same number, id and account as a message");
    let echo = format!(
        r#"{{{META},"message_echoes":[{{"from":"15550101234","to":"15551230001","id":"wamid.E","timestamp":"1795000002","type":"text","text":{{"body":"ok"}}}}]}}"#
    );
    let events = parse(&hook(&echo, "smb_message_echoes")).unwrap();
    let [Event::Echo(e)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(e.business, business);
}

#[test]
fn a_display_number_that_is_not_one_is_no_phone_but_the_id_stays() {
    let value = r#"{"metadata":{"display_phone_number":"Test Number 123","phone_number_id":"42"},
        "statuses":[{"id":"w","status":"sent","timestamp":"1795000000","recipient_id":"15551230001"}]}"#;
    let events = parse(&hook(value, "messages")).unwrap();
    let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(s.business.number, None);
    assert_eq!(s.business.number_id.as_deref(), Some("42"));
}

#[test]
fn an_unknown_type_is_unsupported_with_a_note_not_an_error() {
    let value = format!(
        r#"{{{META},"messages":[{{"from":"1","id":"w","timestamp":"1795000000","type":"hologram","hologram":{{}}}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Message(m)] = events.as_slice() else { panic!() };
    assert_eq!(m.kind, MessageKind::Unsupported);
    assert!(m.notes[0].contains("hologram"));
}

#[test]
fn conversation_based_pricing_is_inferred_from_billable() {
    let value = format!(
        r#"{{{META},"statuses":[{{"id":"w","status":"delivered","timestamp":"1700000000","recipient_id":"1",
        "pricing":{{"billable":false,"pricing_model":"CBP","category":"referral_conversion"}}}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Status(s)] = events.as_slice() else { panic!() };
    let pricing = s.pricing.as_ref().unwrap();
    assert_eq!(pricing.pricing_type, PricingType::FreeEntryPoint);
    assert_eq!(pricing.category, None);
}

#[test]
fn group_pricing_categories_are_known() {
    let value = format!(
        r#"{{{META},"statuses":[{{"id":"w","status":"delivered","timestamp":"1795000000","recipient_id":"1",
        "pricing":{{"billable":false,"pricing_model":"PMP","type":"free_group_customer_service","category":"group_utility"}}}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Status(s)] = events.as_slice() else { panic!() };
    let pricing = s.pricing.as_ref().unwrap();
    assert_eq!(pricing.category, Some(MessageCategory::GroupUtility));
    assert_eq!(pricing.pricing_type, PricingType::FreeCustomerService);
}

#[test]
fn other_objects_and_fields() {
    let mut page = hook("{}", "messages");
    page.body = br#"{"object":"page","entry":[]}"#.to_vec();
    assert!(matches!(parse(&page), Err(InboundError::UnsupportedProviderEvent(_))));
    let events = parse(&hook(r#"{"event":"APPROVED"}"#, "message_template_status_update")).unwrap();
    assert!(matches!(&events[0], Event::TemplateUpdate(u) if u.raw_status.as_deref() == Some("APPROVED")));
    let events = parse(&hook(r#"{"event":"APPROVED"}"#, "account_update")).unwrap();
    assert!(matches!(&events[0], Event::Ignored(i) if i.kind == "account_update"));
    let bad = hook(&format!(r#"{{{META},"messages":[{{"id":"w","timestamp":"x","type":"text"}}]}}"#), "messages");
    assert_eq!(
        parse(&bad).unwrap(),
        [Event::Unreadable(UnreadableItem {
            kind: "message".into(),
            path: "entry[0].changes[0].value.messages[0].timestamp".into(),
            reason: "`x` is not a whole number".into(),
            item_id: Some("w".into()),
        })]
    );
    // Not a Meta webhook at all: still an error for the whole request.
    page.body = br#"{"object":"whatsapp_business_account","entry":"x"}"#.to_vec();
    assert!(matches!(parse(&page), Err(InboundError::MalformedPayload(i)) if i.field == "entry"));
}

fn body(json: &str) -> Webhook {
    Webhook { provider: Provider::MetaCloud, url: String::new(), headers: vec![], body: json.into(), received_at: 0 }
}

#[test]
fn one_bad_item_never_takes_its_siblings() {
    // Two entries; the first has a messages change (a good text, a malformed message, a group text,
    // a good status, a malformed status, a contact of the wrong type) and an unknown field; the second
    // a change without `field` and a good message.
    let json = format!(
        r#"{{"object":"whatsapp_business_account","entry":[
        {{"id":"1","changes":[
          {{"field":"messages","value":{{{META},
            "contacts":[{{"wa_id":"15551230001","profile":{{"name":"Ana"}}}}, {{"wa_id":["15551230009"]}}],
            "messages":[
              {{"from":"15551230001","id":"wamid.ok","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}},
              {{"from":"15551230001","id":"wamid.bad","timestamp":"soon","type":"text","text":{{"body":"x"}}}},
              {{"from":"15551230002","group_id":"GRP1","id":"wamid.g","timestamp":"1795000001","type":"text","text":{{"body":"hello all"}}}}],
            "statuses":[
              {{"id":"wamid.s1","status":"read","timestamp":"1795000002","recipient_id":"15551230001"}},
              {{"id":"wamid.s2","status":"read","timestamp":[],"recipient_id":"15551230001"}}]}}}},
          {{"field":"some_future_field","value":{{}}}}]}},
        {{"id":"2","changes":[{{"value":{{}}}},
          {{"field":"messages","value":{{{META},"messages":[{{"from":"15551230003","id":"wamid.ok2","timestamp":"1795000003","type":"text","text":{{"body":"yo"}}}}]}}}}]}}]}}"#
    );
    let events = parse(&body(&json)).unwrap();
    let [
        Event::Unreadable(contact),
        Event::Message(ok),
        Event::Unreadable(bad),
        Event::Message(group),
        Event::Status(s1),
        Event::Unreadable(s2),
        Event::Ignored(future),
        Event::Unreadable(no_field),
        Event::Message(ok2),
    ] = events.as_slice()
    else {
        panic!("{events:#?}")
    };
    assert_eq!(
        (contact.kind.as_str(), contact.path.as_str()),
        ("contact", "entry[0].changes[0].value.contacts[1].wa_id")
    );
    assert_eq!((ok.id.as_str(), ok.customer.profile_name.as_deref()), ("wamid.ok", Some("Ana")));
    assert_eq!(bad.path, "entry[0].changes[0].value.messages[1].timestamp");
    assert_eq!(bad.item_id.as_deref(), Some("wamid.bad"));
    assert_eq!((group.group_id.as_deref(), group.customer.phone.as_deref()), (Some("GRP1"), Some("+15551230002")));
    assert_eq!(s1.message_id, "wamid.s1");
    assert_eq!((s2.kind.as_str(), s2.item_id.as_deref()), ("status", Some("wamid.s2")));
    assert_eq!(s2.path, "entry[0].changes[0].value.statuses[1].timestamp");
    assert_eq!(future.kind, "some_future_field");
    assert_eq!((no_field.kind.as_str(), no_field.path.as_str()), ("change", "entry[1].changes[0].field"));
    assert_eq!((ok2.id.as_str(), ok2.business.account_id.as_deref()), ("wamid.ok2", Some("2")));
}

#[test]
fn a_group_status_names_the_group_and_the_participant_never_as_a_phone() {
    for participant_key in ["recipient_participant_id", "participant_recipient_id"] {
        let value = format!(
            r#"{{{META},"statuses":[{{"id":"wamid.G","status":"delivered","timestamp":"1795000000",
            "recipient_id":"120363000000000001","recipient_type":"group","{participant_key}":"15551230004"}}]}}"#
        );
        let events = parse(&hook(&value, "messages")).unwrap();
        let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
        assert_eq!(s.group_id.as_deref(), Some("120363000000000001"));
        assert_eq!(s.customer.phone.as_deref(), Some("+15551230004"), "{participant_key}");
    }
    // Without a participant the customer is no one: the group id (here digits) is never a phone.
    let value = format!(
        r#"{{{META},"statuses":[{{"id":"wamid.G","status":"read","timestamp":"1795000000","recipient_id":"120363000000000001","recipient_type":"group"}}]}}"#
    );
    let events = parse(&hook(&value, "messages")).unwrap();
    let [Event::Status(s)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(s.customer, Customer::default());
}

#[test]
fn group_webhook_fields_become_group_updates() {
    let left = r#"{"groups":[{"timestamp":"1795000000","group_id":"GRP1","type":"group_participants_remove",
        "initiated_by":"participant","removed_participants":[{"wa_id":"15551230004"}]}]}"#;
    let events = parse(&hook(left, "group_participants_update")).unwrap();
    let [Event::GroupUpdate(g)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(
        (g.kind, g.initiated_by, g.group_id.as_str()),
        (GroupUpdateKind::ParticipantLeft, Some(GroupActor::Participant), "GRP1")
    );
    assert_eq!(g.participants[0].phone.as_deref(), Some("+15551230004"));
    assert_eq!(g.note, "+15551230004 left the group.");
    let suspended = r#"{"groups":[{"timestamp":"1795000000","type":"group_suspend","group_id":"GRP1"},
        {"timestamp":"1795000001","type":"group_suspend_cleared"}]}"#;
    let events = parse(&hook(suspended, "group_status_update")).unwrap();
    let [Event::GroupUpdate(g), Event::Unreadable(u)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!(g.kind, GroupUpdateKind::Suspended);
    assert_eq!(u.path, "entry[0].changes[0].value.groups[1].group_id");
    let settings = r#"{"groups":[{"timestamp":"1795000000","group_id":"GRP1","type":"group_settings_update",
        "group_subject":{"text":"Workshop","update_successful":true},
        "group_description":{"text":"d","update_successful":false,"errors":[{"code":131000,"title":"Something went wrong"}]}}]}"#;
    let events = parse(&hook(settings, "group_settings_update")).unwrap();
    let [Event::GroupUpdate(g)] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!((g.kind, g.subject.as_deref(), g.errors.len()), (GroupUpdateKind::SettingsChanged, Some("Workshop"), 1));
    assert_eq!(
        g.note,
        "The group's subject changed. Not changed: description. Meta reported error 131000 (Something went wrong)."
    );
}

#[test]
fn every_message_and_status_of_a_change_gets_its_business_and_contact() {
    // The last reader of a change takes its business and contact instead of a copy (issue 15); every
    // earlier message, and a status after the messages, must still see both.
    let contact = r#""contacts":[{"profile":{"name":"Maya"},"wa_id":"15551230001"}]"#;
    let msg = |id: &str| {
        format!(r#"{{"from":"15551230001","id":"{id}","timestamp":"1795000000","type":"text","text":{{"body":"hi"}}}}"#)
    };
    let status = r#"{"id":"wamid.S","status":"read","timestamp":"1795000001","recipient_id":"15551230001"}"#;
    let with_status = format!(r#"{{{META},{contact},"messages":[{},{}],"statuses":[{status}]}}"#, msg("a"), msg("b"));
    let without = format!(r#"{{{META},{contact},"messages":[{},{}]}}"#, msg("a"), msg("b"));
    for (value, statuses) in [(with_status, 1), (without, 0)] {
        let events = parse(&hook(&value, "messages")).unwrap();
        let messages: Vec<&Message> =
            events.iter().filter_map(|e| if let Event::Message(m) = e { Some(m) } else { None }).collect();
        assert_eq!(messages.len(), 2, "{events:?}");
        for m in messages {
            assert_eq!(m.customer.profile_name.as_deref(), Some("Maya"), "{m:?}");
            assert_eq!(m.business.number.as_deref(), Some("+15550101234"));
            assert_eq!(m.business.number_id.as_deref(), Some("42"));
            assert_eq!(m.business.account_id.as_deref(), Some("1"));
        }
        let read: Vec<_> =
            events.iter().filter_map(|e| if let Event::Status(s) = e { Some(s) } else { None }).collect();
        assert_eq!(read.len(), statuses, "{events:?}");
        for s in read {
            assert_eq!(s.business.number_id.as_deref(), Some("42"), "{s:?}");
        }
    }
}

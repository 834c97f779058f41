use super::*;
use crate::templates::render::render;
use serde_json::json;

fn meta(v: Value) -> Vec<ItemResult> {
    from_meta(&v, None).expect("a readable answer")
}

fn one(v: Value) -> ItemResult {
    meta(v).into_iter().next().expect("one item")
}

fn error_at(result: ItemResult) -> (String, String) {
    let e = result.expect_err("an error");
    (e.field, e.reason)
}

fn order_update() -> Value {
    json!({
        "name": "order_update", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
        "parameter_format": "POSITIONAL", "id": "1234567890",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["A-1"]}},
            {"type": "BODY", "text": "Hi {{1}}, order {{2}} shipped.", "example": {"body_text": [["Ana", "A-1"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Track", "url": "https://example.com/t/{{1}}", "example": ["https://example.com/t/A-1"]},
                {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550051310"},
                {"type": "QUICK_REPLY", "text": "Stop"}
            ]}
        ]
    })
}

#[test]
fn a_meta_template_maps_field_for_field_and_renders() {
    let imported = one(order_update()).expect("imported");
    let t = &imported.template;
    assert_eq!((t.name.as_str(), t.language.as_str()), ("order_update", "en_US"));
    assert_eq!(
        (t.status, t.category, t.parameter_format),
        (TemplateStatus::Approved, MessageCategory::Utility, ParameterFormat::Positional)
    );
    assert_eq!(t.header, Some(Header { format: HeaderFormat::Text, text: Some("Order {{1}}".into()) }));
    assert_eq!(t.footer.as_deref(), Some("Reply STOP to opt out"));
    let kinds: Vec<ButtonKind> = t.buttons.iter().map(|b| b.kind).collect();
    assert_eq!(kinds, vec![ButtonKind::Url, ButtonKind::PhoneNumber, ButtonKind::QuickReply]);
    assert_eq!(t.buttons[1].phone_number.as_deref(), Some("+15550051310"));
    assert!(imported.notes.is_empty());
    let values = TemplateValues {
        body: vec![
            VariableValue { key: "1".into(), value: "Ana".into() },
            VariableValue { key: "2".into(), value: "A-1".into() },
        ],
        header_text: Some(VariableValue { key: "1".into(), value: "A-1".into() }),
        buttons: vec![ButtonValue { index: 0, value: "A-1".into() }],
        ..TemplateValues::default()
    };
    let rendered = render(t, &values, Provider::MetaCloud).expect("renders");
    assert!(rendered.text.starts_with("Order A-1\n\nHi Ana, order A-1 shipped."), "{}", rendered.text);
}

#[test]
fn the_list_answer_keeps_good_items_beside_bad_ones() {
    let mut bad = order_update();
    bad["components"][3]["buttons"][0]["type"] = json!("TELEPORT");
    let results =
        meta(json!({"data": [order_update(), bad, {"name": 3}], "paging": {"cursors": {"before": "a", "after": "b"}}}));
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok());
    let errors: Vec<String> = results.into_iter().skip(1).map(|r| error_at(r).0).collect();
    assert_eq!(errors, vec!["data[1].components[3].buttons[0].type", "data[2].name"]);
}

/// An edit of a valid template that breaks one field.
type Change = Box<dyn Fn(&mut Value)>;

#[test]
fn malformed_meta_values_name_their_path() {
    let cases: Vec<(Change, &str, &str)> = vec![
        (Box::new(|v| v["components"][0]["type"] = json!("SIDEBAR")), "components[0].type", "not a component type"),
        (Box::new(|v| v["components"][0]["format"] = json!("GIF")), "components[0].format", "cannot be represented"),
        (Box::new(|v| v["components"][1]["text"] = json!(42)), "components[1].text", "must be a string"),
        (Box::new(|v| v["components"] = json!({})), "components", "must be an array"),
        (Box::new(|v| v["status"] = json!("DELETED")), "status", "cannot be sent"),
        (Box::new(|v| v["category"] = json!("TRANSACTIONAL")), "category", "not a template category"),
        (Box::new(|v| v["parameter_format"] = json!("BOTH")), "parameter_format", "NAMED or POSITIONAL"),
        (
            Box::new(|v| v["components"][3]["buttons"][1]["phone_number"] = json!("call me")),
            "components[3].buttons[1].phone_number",
            "E.164",
        ),
        (
            Box::new(|v| {
                v["components"][3]["buttons"][0].as_object_mut().map(|o| o.remove("url"));
            }),
            "components[3].buttons[0].url",
            "missing",
        ),
        (
            Box::new(|v| v["components"][3]["buttons"][2]["type"] = json!("FLOW")),
            "components[3].buttons[2].type",
            "cannot be represented",
        ),
        (
            Box::new(|v| {
                v["components"].as_array_mut().map(|c| c.remove(1));
            }),
            "components",
            "no BODY",
        ),
        (Box::new(|v| v["components"][2]["type"] = json!("BODY")), "components[2].type", "a second BODY"),
        (Box::new(|v| v["language"] = json!("")), "language", "empty"),
    ];
    for (change, field, reason) in cases {
        let mut v = order_update();
        change(&mut v);
        let (f, r) = error_at(one(v));
        assert_eq!(f, field);
        assert!(r.contains(reason), "{field}: {r}");
    }
}

#[test]
fn unreadable_answers_are_an_outer_error() {
    assert_eq!(from_meta(&json!([1]), None).unwrap_err().field, "json");
    assert_eq!(from_meta(&json!({"paging": {}}), None).unwrap_err().field, "json");
    assert_eq!(from_meta(&json!({"data": "x"}), None).unwrap_err().field, "data");
    let request = ImportRequest { json: "{not json", ..ImportRequest::default() };
    assert_eq!(from_provider(Provider::MetaCloud, &request).unwrap_err().field, "json");
    let request = ImportRequest { json: "{}", ..ImportRequest::default() };
    assert_eq!(from_provider(Provider::OneMsg, &request).unwrap_err().field, "provider");
}

#[test]
fn authentication_url_buttons_are_otp_and_named_formats_carry_over() {
    let auth = json!({"name": "otp", "language": "en_US", "status": "APPROVED", "category": "AUTHENTICATION",
    "components": [
        {"type": "BODY", "text": "*{{1}}* is your verification code. For your security, do not share this code.", "add_security_recommendation": true},
        {"type": "FOOTER", "code_expiration_minutes": 10},
        {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Copy code", "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]}
    ]});
    let t = one(auth).expect("imported").template;
    assert_eq!(t.buttons[0].kind, ButtonKind::Otp);
    assert_eq!(t.buttons[0].url, None);
    assert_eq!(t.footer.as_deref(), Some("This code expires in 10 minutes."));
    let named = json!({"name": "n", "language": "en_US", "status": "PAUSED", "category": "marketing", "parameter_format": "NAMED",
        "components": [{"type": "BODY", "text": "Hi {{first_name}}"}]});
    let t = from_meta(&named, Some("ns-1")).unwrap().remove(0).unwrap().template;
    assert_eq!(
        (t.parameter_format, t.status, t.namespace.as_deref()),
        (ParameterFormat::Named, TemplateStatus::Paused, Some("ns-1"))
    );
}

const SID: &str = "HXb5b62575e6e4ff6129ad7c8efe1f983e";

fn twilio_cta() -> Value {
    json!({
        "sid": SID, "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "friendly_name": "flight_delay",
        "language": "en", "variables": {"1": "Owl Air", "2": "docs"},
        "types": {
            "twilio/call-to-action": {"body": "Your flight with {{1}} is delayed.", "actions": [
                {"type": "URL", "title": "Check status", "url": "https://www.twilio.com/{{2}}"},
                {"type": "PHONE_NUMBER", "title": "Call us", "phone": "+15555551234"}
            ]},
            "twilio/text": {"body": "Your flight with {{1}} is delayed."}
        }
    })
}

fn approval(status: &str) -> Value {
    json!({"sid": SID, "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "whatsapp": {"type": "whatsapp", "name": "flight_delay_v2", "category": "UTILITY", "content_type": "twilio/call-to-action",
            "status": status, "rejection_reason": "", "allow_category_change": true}})
}

#[test]
fn a_twilio_resource_with_its_approval() {
    let t = from_twilio(&twilio_cta(), &[approval("approved")]).unwrap().remove(0).unwrap().template;
    assert_eq!(
        (t.name.as_str(), t.language.as_str(), t.status, t.category),
        ("flight_delay_v2", "en", TemplateStatus::Approved, MessageCategory::Utility)
    );
    assert_eq!(t.twilio_content_sid.as_deref(), Some(SID));
    assert_eq!(t.buttons[0].url.as_deref(), Some("https://www.twilio.com/{{2}}"));
    assert_eq!(t.buttons[1].phone_number.as_deref(), Some("+15555551234"));
    assert_eq!(t.parameter_format, ParameterFormat::Positional);
    let rejected = from_twilio(&twilio_cta(), &[approval("rejected")]).unwrap().remove(0).unwrap();
    assert_eq!(rejected.template.status, TemplateStatus::Rejected);
    let (field, _) = error_at(from_twilio(&twilio_cta(), &[approval("shelved")]).unwrap().remove(0));
    assert_eq!(field, "twilio-approvals[0].whatsapp.status");
}

#[test]
fn without_an_approval_twilio_templates_are_pending_and_say_so() {
    let imported = from_twilio(&twilio_cta(), &[]).unwrap().remove(0).unwrap();
    assert_eq!(
        (imported.template.status, imported.template.category),
        (TemplateStatus::Pending, MessageCategory::Marketing)
    );
    assert_eq!(imported.template.name, "flight_delay");
    assert_eq!(imported.notes.len(), 1);
}

#[test]
fn unrepresentable_twilio_types_are_typed_errors() {
    let mut v = twilio_cta();
    v["types"]["twilio/list-picker"] = json!({"body": "Pick", "button": "Items", "items": []});
    let (field, reason) = error_at(from_twilio(&v, &[]).unwrap().remove(0));
    assert_eq!(field, "types.twilio/list-picker");
    assert!(reason.contains("cannot be represented"));
    let carousel = json!({"sid": SID, "language": "en", "friendly_name": "c", "types": {"twilio/carousel": {"body": "x", "cards": []}}});
    assert_eq!(error_at(from_twilio(&carousel, &[]).unwrap().remove(0)).0, "types.twilio/carousel");
    let mut voice = twilio_cta();
    voice["types"]["twilio/call-to-action"]["actions"][1]["type"] = json!("VOICE_CALL");
    assert_eq!(error_at(from_twilio(&voice, &[]).unwrap().remove(0)).0, "types.twilio/call-to-action.actions[1].type");
    let mut bad_sid = twilio_cta();
    bad_sid["sid"] = json!("MM123");
    assert_eq!(error_at(from_twilio(&bad_sid, &[]).unwrap().remove(0)).0, "sid");
    // The approval naming a type the record cannot hold is refused too, never imported as its text.
    let mut picker = twilio_cta();
    picker["types"] = json!({"twilio/list-picker": {"body": "Pick", "button": "Items", "items": []}});
    let mut picked = approval("approved");
    picked["whatsapp"]["content_type"] = json!("twilio/list-picker");
    assert_eq!(error_at(from_twilio(&picker, &[picked]).unwrap().remove(0)).0, "types.twilio/list-picker");
    let list = json!({"contents": [twilio_cta(), {"sid": 5}], "meta": {"page": 0}});
    let results = from_twilio(&list, &[approval("approved")]).unwrap();
    assert!(results[0].as_ref().is_ok_and(|i| i.template.status == TemplateStatus::Approved));
    assert_eq!(error_at(results[1].clone()).0, "contents[1].sid");
}

#[test]
fn twilio_media_cards_and_authentication() {
    let media = json!({"sid": SID, "language": "en", "friendly_name": "receipt", "variables": {"1": "receipt.pdf"},
        "types": {"twilio/media": {"body": "Your receipt", "media": ["https://example.com/files/{{1}}"]}}});
    let t = from_twilio(&media, &[]).unwrap().remove(0).unwrap().template;
    assert_eq!(t.header, Some(Header { format: HeaderFormat::Document, text: None }));
    // Many variables in one URL, and samples holding variables themselves, are filled in one pass.
    let many = format!("https://example.com/{}.jpg", "{{a}}".repeat(20_000));
    let heavy = json!({"sid": SID, "language": "en", "friendly_name": "heavy", "variables": {"a": "{{a}}{{a}}"},
        "types": {"twilio/media": {"body": "x", "media": [many]}}});
    let t = from_twilio(&heavy, &[]).unwrap().remove(0).unwrap().template;
    assert_eq!(t.header, Some(Header { format: HeaderFormat::Image, text: None }));
    let unknown = json!({"sid": SID, "language": "en", "friendly_name": "x", "types": {"twilio/media": {"media": ["https://example.com/file"]}}});
    assert_eq!(error_at(from_twilio(&unknown, &[]).unwrap().remove(0)).0, "types.twilio/media.media[0]");
    let card = json!({"sid": SID, "language": "en", "friendly_name": "card", "variables": {"name": "Ana"},
        "types": {"whatsapp/card": {"header_text": "Hello {{name}}", "body": "Your table is ready.", "footer": "Owl Cafe",
            "actions": [{"type": "QUICK_REPLY", "title": "On my way", "id": "omw"}, {"type": "COPY_CODE", "title": "Copy", "code": "X1"}]}}});
    let t = from_twilio(&card, &[]).unwrap().remove(0).unwrap().template;
    assert_eq!(t.parameter_format, ParameterFormat::Named);
    assert_eq!(t.footer.as_deref(), Some("Owl Cafe"));
    assert_eq!(
        t.buttons.iter().map(|b| b.kind).collect::<Vec<_>>(),
        vec![ButtonKind::QuickReply, ButtonKind::CopyCode]
    );
    let auth = json!({"sid": SID, "language": "en", "friendly_name": "otp",
        "types": {"whatsapp/authentication": {"add_security_recommendation": false, "code_expiration_minutes": 5,
            "actions": [{"type": "COPY_CODE", "copy_code_text": "Copy code"}]}}});
    let t = from_twilio(&auth, &[]).unwrap().remove(0).unwrap().template;
    assert_eq!(t.body, "{{1}} is your verification code.");
    assert_eq!(t.footer.as_deref(), Some("This code expires in 5 minutes."));
    assert_eq!(t.buttons[0].kind, ButtonKind::Otp);
}

/// Any JSON value, nested a few levels, with the keys the importer looks for.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let key = prop::sample::select(vec![
        "data",
        "components",
        "type",
        "format",
        "text",
        "buttons",
        "url",
        "phone_number",
        "status",
        "category",
        "name",
        "language",
        "parameter_format",
        "sid",
        "types",
        "twilio/text",
        "twilio/media",
        "whatsapp/card",
        "body",
        "media",
        "actions",
        "title",
        "phone",
        "variables",
        "contents",
        "footer",
        "header_text",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[A-Za-z_{}0-9+./ ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn no_input_makes_it_panic(value in any_json()) {
        let _ = from_meta(&value, None);
        let _ = from_twilio(&value, std::slice::from_ref(&value));
    }
}

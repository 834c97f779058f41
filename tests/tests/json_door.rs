//! The JSON door (`json.call`, issue 15 item 6): it answers what the typed exports answer, its
//! refusals name the field, and no text, however broken, makes it trap.

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, types};
use host_harness::{BUNDLED_COMPONENT, Budgets, HostError, PluginHost};
use integration_tests::{json_fixtures, plugin};
use serde_json::{Value, json};

/// The arguments of `inbound.normalize` for a fixture, the body as the text it is.
fn normalize_arguments(fixture: &Value, provider: &str) -> Value {
    let headers: Vec<Value> = fixture["webhook"]["headers"]
        .as_object()
        .map(|h| h.iter().map(|(name, value)| json!({"name": name, "value": value})).collect())
        .unwrap_or_default();
    json!({
        "webhook": {"provider": provider, "url": fixture["webhook"]["url"], "headers": headers,
            "body": fixture["webhook"]["body"], "received_at": fixture["received_at"]},
        "options": {"secret": fixture["secret"], "serve_groups": fixture.get("serve_groups")},
    })
}

fn typed_webhook(fixture: &Value, provider: types::Provider) -> (inbound::Webhook, inbound::InboundOptions) {
    let headers = fixture["webhook"]["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(name, value)| inbound::Header { name: name.clone(), value: value.as_str().unwrap().into() })
                .collect()
        })
        .unwrap_or_default();
    let received_at = host_harness::json::rfc3339_millis(fixture["received_at"].as_str().unwrap()).unwrap();
    let hook = inbound::Webhook {
        provider,
        url: fixture["webhook"]["url"].as_str().unwrap().into(),
        headers,
        body: fixture["webhook"]["body"].as_str().unwrap().as_bytes().to_vec(),
        received_at,
    };
    let options = inbound::InboundOptions {
        secret: fixture["secret"].as_str().map(str::to_string),
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: fixture.get("serve_groups").and_then(Value::as_bool),
    };
    (hook, options)
}

/// What a typed `normalize` answer says, in the door's words: per event its case and message or status
/// id, or the error's case.
fn typed_summary(answer: &Result<Vec<inbound::Event>, inbound::InboundError>) -> Value {
    match answer {
        Ok(events) => Value::Array(
            events
                .iter()
                .map(|e| match e {
                    inbound::Event::Message(m) => json!(["message", m.id, m.text]),
                    inbound::Event::Echo(m) => json!(["echo", m.id, m.text]),
                    inbound::Event::Status(s) => json!(["status", s.message_id]),
                    other => json!([case_name(other)]),
                })
                .collect(),
        ),
        Err(e) => json!(case_name(e)),
    }
}

/// `Event::TemplateUpdate(..)` → `templateupdate`: a typed case's name as the door's without dashes.
fn case_name(value: &impl std::fmt::Debug) -> String {
    let debug = format!("{value:?}");
    let head = debug.split(['(', ' ', '{']).next().unwrap_or_default();
    head.rsplit("::").next().unwrap_or_default().to_lowercase()
}

fn door_summary(answer: &Value) -> Value {
    match (answer.get("ok").and_then(Value::as_array), answer.get("error").and_then(Value::as_object)) {
        (Some(events), _) => Value::Array(
            events
                .iter()
                .map(|e| {
                    let (case, payload) = e.as_object().and_then(|o| o.iter().next()).unwrap();
                    match case.as_str() {
                        "message" | "echo" => json!([case, payload["id"], payload["text"]]),
                        "status" => json!([case, payload["message_id"]]),
                        other => json!([other.replace('-', "")]),
                    }
                })
                .collect(),
        ),
        (_, Some(error)) => json!(error.keys().next().unwrap().replace('-', "")),
        _ => panic!("not a result: {answer}"),
    }
}

#[test]
fn the_door_answers_what_the_typed_call_answers() {
    let mut compared = 0;
    for (dir, provider, wit) in [
        ("meta-cloud", "meta-cloud", types::Provider::MetaCloud),
        ("twilio", "twilio", types::Provider::Twilio),
        ("one-msg", "one-msg", types::Provider::OneMsg),
    ] {
        for (name, fixture) in json_fixtures(dir) {
            if fixture["webhook"]["body"].as_str().is_none() || fixture["received_at"].as_str().is_none() {
                continue;
            }
            let (hook, options) = typed_webhook(&fixture, wit);
            let typed = plugin().normalize(&hook, &options).expect("typed call");
            let arguments = normalize_arguments(&fixture, provider).to_string();
            let door = plugin().call_door("inbound", "normalize", &arguments).expect("door call");
            let door: Value = serde_json::from_str(&door.value).expect("the door answers JSON");
            assert_eq!(door_summary(&door), typed_summary(&typed), "{dir}/{name}");
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared} fixtures compared");
}

fn refusal(plugin: &PluginHost, interface: &str, function: &str, arguments: &str) -> String {
    match plugin.call_door(interface, function, arguments) {
        Err(HostError::BadArguments(m) | HostError::NoSuchExport(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn refusals_name_the_field() {
    let fixture = &json_fixtures("meta-cloud").into_iter().find(|(n, _)| n.starts_with("01-")).unwrap().1;
    let good = normalize_arguments(fixture, "meta-cloud");
    let with = |pointer: &str, value: Value| {
        let mut args = good.clone();
        *args.pointer_mut(pointer).unwrap() = value;
        args.to_string()
    };
    let p = plugin();
    assert_eq!(
        refusal(p, "inbound", "normalize", &with("/webhook/headers/0/name", json!(42))),
        "webhook.headers[0].name: expected a string, found 42"
    );
    assert_eq!(
        refusal(p, "inbound", "normalize", &with("/webhook/provider", json!("meta"))),
        "webhook.provider: expected one of twilio, meta-cloud, one-msg, found \"meta\""
    );
    assert_eq!(
        refusal(p, "inbound", "normalize", &with("/webhook/received_at", json!("yesterday"))),
        "webhook.received_at: expected epoch milliseconds or an RFC 3339 time, found \"yesterday\""
    );
    let mut missing = good.clone();
    missing["webhook"].as_object_mut().unwrap().remove("url");
    assert_eq!(refusal(p, "inbound", "normalize", &missing.to_string()), "webhook.url: missing");
    let mut unknown = good.clone();
    unknown["webhook"]["hedaers"] = json!([]);
    assert_eq!(
        refusal(p, "inbound", "normalize", &unknown.to_string()),
        "webhook: unknown field `hedaers`; the fields are provider, url, headers, body, received_at"
    );
    // A refused value is shown as compact JSON (the test's json! sorts the keys).
    assert_eq!(
        refusal(p, "inbound", "normalize", &with("/webhook/url", json!({"b": 1, "a": [true, null, -2, 0.5, "\n"]}))),
        "webhook.url: expected a string, found {\"a\":[true,null,-2,0.5,\"\\n\"],\"b\":1}"
    );
    // A key given twice in one spelling is read from its last value, as a JSON object read into a map;
    // in both spellings it is refused.
    let text = good.to_string();
    let repeated = text.replacen("\"webhook\":{", "\"webhook\":{\"url\":\"first\",", 1);
    assert_ne!(repeated, text);
    assert_eq!(
        p.call_door("inbound", "normalize", &repeated).unwrap().value,
        p.call_door("inbound", "normalize", &text).unwrap().value
    );
    let both = text.replacen("\"webhook\":{", "\"webhook\":{\"received-at\":0,", 1);
    assert_eq!(
        refusal(p, "inbound", "normalize", &both),
        "webhook.received_at: given twice (snake_case and kebab-case)"
    );
    assert!(refusal(p, "inbound", "normalize", "{\"webhook\": ").contains("EOF while parsing"));
    assert!(refusal(p, "inbound", "normalise", "{}").starts_with("inbound.normalise; the functions are normalize,"));
    assert!(refusal(p, "inbond", "normalize", "{}").starts_with("inbond; the interfaces are"));
    assert!(refusal(p, "json", "call", "{}").starts_with("json; the interfaces are"), "the door does not open itself");
}

#[test]
fn bodies_may_be_text_or_bytes_and_instants_numbers_or_rfc3339() {
    let fixture = &json_fixtures("meta-cloud").into_iter().find(|(n, _)| n.starts_with("01-")).unwrap().1;
    let text = normalize_arguments(fixture, "meta-cloud");
    let mut bytes = text.clone();
    bytes["webhook"]["body"] = json!(fixture["webhook"]["body"].as_str().unwrap().as_bytes());
    bytes["webhook"]["received-at"] =
        json!(host_harness::json::rfc3339_millis(fixture["received_at"].as_str().unwrap()).unwrap());
    bytes["webhook"].as_object_mut().unwrap().remove("received_at");
    let a = plugin().call_door("inbound", "normalize", &text.to_string()).unwrap().value;
    let b = plugin().call_door("inbound", "normalize", &bytes.to_string()).unwrap().value;
    assert_eq!(a, b);
    assert!(a.starts_with("{\"ok\":[{\"message\":{"), "{a}");
}

#[test]
fn no_text_makes_the_door_trap() {
    let fixture = &json_fixtures("meta-cloud").into_iter().find(|(n, _)| n.starts_with("01-")).unwrap().1;
    let good = normalize_arguments(fixture, "meta-cloud").to_string();
    let p = plugin();
    let answered = |args: &str| match p.call_door("inbound", "normalize", args) {
        Ok(_) | Err(HostError::BadArguments(_)) => {}
        Err(e) => panic!("{e} on {args:.200}"),
    };
    // Every prefix of the arguments: cut JSON at every place.
    for cut in (0..good.len()).filter(|c| good.is_char_boundary(*c)).step_by(7) {
        answered(&good[..cut]);
    }
    // Every value in the tree replaced by each JSON kind.
    let tree: Value = serde_json::from_str(&good).unwrap();
    let mut pointers = Vec::new();
    fn walk(v: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match v {
            Value::Object(o) => o.iter().for_each(|(k, v)| walk(v, format!("{at}/{k}"), out)),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(v, format!("{at}/{i}"), out)),
            _ => {}
        }
    }
    walk(&tree, String::new(), &mut pointers);
    for pointer in pointers.iter().skip(1) {
        for kind in
            [json!(null), json!(true), json!(-1), json!(1e308), json!("\u{0}\u{FFFF}"), json!([[]]), json!({"": {}})]
        {
            let mut changed = tree.clone();
            *changed.pointer_mut(pointer).unwrap() = kind;
            answered(&changed.to_string());
        }
    }
    // Nesting deeper than any parser should follow.
    answered(&format!("{{\"webhook\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000)));
}

#[test]
fn a_kept_instance_frees_every_answer() {
    // Every export shares one post-return (plugin/src/adapter/mod.rs), which frees what the export that
    // just returned registered; `json.call` runs a typed export inside and registers last. A kept
    // instance whose memory may not grow past 2 MiB answers thousands of calls of both: an answer left
    // unfreed (about 1 KB each) would exhaust that within two thousand.
    let (_, fixture) = json_fixtures("meta-cloud").into_iter().find(|(name, _)| name == "01-text").unwrap();
    let host = PluginHost::new(BUNDLED_COMPONENT, Budgets { memory_bytes: 2 << 20, ..Budgets::default() }).unwrap();
    let (hook, options) = typed_webhook(&fixture, types::Provider::MetaCloud);
    let arguments = normalize_arguments(&fixture, "meta-cloud").to_string();
    let mut warm = host.warm().unwrap();
    for _ in 0..5_000 {
        let typed = warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, &hook, &options));
        assert_eq!(typed.expect("within 2 MiB").expect("a valid webhook").len(), 1);
        let door = warm.call(|p, s| p.helpdesk_whatsapp_json().call_call(s, "inbound", "normalize", &arguments));
        assert!(door.expect("within 2 MiB").is_ok());
    }
}

//! Bad input never traps: thousands of generated webhooks (random bytes, truncated and mutated real
//! fixtures, wrongly typed JSON) go through the component and come back as events or typed errors; and
//! a wrongly typed item inside an intact envelope never refuses the whole webhook.

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, types};
use host_harness::{HostError, PluginHost};
use integration_tests::{json_fixtures, metered_plugin};
use proptest::prelude::*;
use serde_json::Value;

const PROVIDERS: [types::Provider; 3] = [types::Provider::MetaCloud, types::Provider::Twilio, types::Provider::OneMsg];

fn webhook(provider: types::Provider, body: Vec<u8>, headers: Vec<(String, String)>) -> inbound::Webhook {
    inbound::Webhook {
        provider,
        url: "https://helpdesk.example.com/webhooks/x?hook_token=t".into(),
        headers: headers.into_iter().map(|(name, value)| inbound::Header { name, value }).collect(),
        body,
        received_at: 1_795_000_000_000,
    }
}

/// The call may succeed or fail with the plugin's typed error; a host error (a trap) fails the test.
fn must_not_trap(plugin: &PluginHost, hook: &inbound::Webhook, secret: Option<&str>) -> Result<(), TestCaseError> {
    let options = inbound::InboundOptions {
        secret: secret.map(str::to_string),
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: None,
    };
    match plugin.normalize(hook, &options) {
        Ok(_) => Ok(()),
        Err(HostError::OutOfFuel { .. }) => {
            Err(TestCaseError::fail(format!("ran out of fuel on {} bytes", hook.body.len())))
        }
        Err(e) => Err(TestCaseError::fail(format!("{e} on body {:?}", String::from_utf8_lossy(&hook.body)))),
    }
}

/// Every real fixture body, per provider.
fn fixture_bodies() -> Vec<(types::Provider, Vec<u8>)> {
    [("meta-cloud", PROVIDERS[0]), ("twilio", PROVIDERS[1]), ("one-msg", PROVIDERS[2])]
        .into_iter()
        .flat_map(|(dir, provider)| {
            json_fixtures(dir)
                .into_iter()
                .map(move |(_, f)| (provider, f["webhook"]["body"].as_str().unwrap().as_bytes().to_vec()))
        })
        .collect()
}

/// Replace one JSON value somewhere in the document with a value of another type.
fn mutate(value: &mut Value, mut pick: usize, replacement: &Value) -> bool {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                if pick == 0 {
                    *v = replacement.clone();
                    return true;
                }
                pick -= 1;
                if mutate(v, pick, replacement) {
                    return true;
                }
            }
            false
        }
        Value::Array(items) => items.iter_mut().any(|v| mutate(v, pick, replacement)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(provider in 0..3usize, body in proptest::collection::vec(any::<u8>(), 0..600)) {
        must_not_trap(metered_plugin(), &webhook(PROVIDERS[provider], body, vec![]), None)?;
    }

    #[test]
    fn truncated_fixtures(index in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>(), signed in any::<bool>()) {
        let bodies = fixture_bodies();
        let (provider, body) = &bodies[index.index(bodies.len())];
        let truncated = body[..cut.index(body.len() + 1)].to_vec();
        let headers = vec![("X-Hub-Signature-256".into(), "sha256=00".into()), ("X-Twilio-Signature".into(), "AA==".into())];
        must_not_trap(metered_plugin(), &webhook(*provider, truncated, headers), signed.then_some("secret"))?;
    }

    #[test]
    fn wrongly_typed_json(index in any::<prop::sample::Index>(), at in 0..200usize, kind in 0..7usize) {
        let bodies = fixture_bodies();
        let (provider, body) = &bodies[index.index(bodies.len())];
        let Ok(mut doc) = serde_json::from_slice::<Value>(body) else { return Ok(()) };
        let replacement = [
            Value::Null, Value::Bool(true), serde_json::json!(-1), serde_json::json!(1e308),
            serde_json::json!("\u{0}\u{FFFF}"), serde_json::json!([[]]), serde_json::json!({"": {}}),
        ][kind].clone();
        mutate(&mut doc, at, &replacement);
        must_not_trap(metered_plugin(), &webhook(*provider, serde_json::to_vec(&doc).unwrap(), vec![]), None)?;
    }

    /// One bad item never takes its siblings: a Meta or 1msg fixture with one value replaced by a wrong
    /// type, whose envelope is still the provider's (Meta `object` and an `entry` array; 1msg `messages`
    /// and `ack` arrays), is never a webhook error, only events (the bad item an `unreadable` one).
    #[test]
    fn a_wrongly_typed_item_is_an_event_not_a_webhook_error(index in any::<prop::sample::Index>(), at in 0..200usize, kind in 0..7usize) {
        let bodies = fixture_bodies();
        let (provider, body) = &bodies[index.index(bodies.len())];
        let Ok(mut doc) = serde_json::from_slice::<Value>(body) else { return Ok(()) };
        let replacement = [
            Value::Null, Value::Bool(true), serde_json::json!(-1), serde_json::json!(1e308),
            serde_json::json!("\u{0}\u{FFFF}"), serde_json::json!([[]]), serde_json::json!({"": {}}),
        ][kind].clone();
        mutate(&mut doc, at, &replacement);
        let envelope_intact = match provider {
            types::Provider::MetaCloud => doc["object"] == "whatsapp_business_account" && doc["entry"].is_array(),
            types::Provider::OneMsg => {
                let array_or_absent = |v: &Value| v.is_array() || v.is_null();
                (doc["messages"].is_array() || doc["ack"].is_array())
                    && array_or_absent(&doc["messages"]) && array_or_absent(&doc["ack"])
                    && (doc["instanceId"].is_string() || doc["instanceId"].is_null() || doc["instanceId"].is_number())
            }
            types::Provider::Twilio => false,
        };
        prop_assume!(envelope_intact);
        let hook = webhook(*provider, serde_json::to_vec(&doc).unwrap(), vec![]);
        match metered_plugin().normalize(&hook, &no_options()) {
            Ok(Ok(_)) => {}
            other => prop_assert!(false, "{other:?} for {}", String::from_utf8_lossy(&hook.body)),
        }
    }

    #[test]
    fn random_form_bodies(pairs in proptest::collection::vec(("[A-Za-z0-9]{0,12}", ".{0,30}"), 0..12)) {
        let names = ["From", "To", "Body", "NumMedia", "MediaUrl0", "MessageStatus", "ErrorCode", "Latitude", "MessageType"];
        let body: String = pairs.iter().enumerate()
            .map(|(i, (k, v))| {
                let key = if i % 2 == 0 { names[i % names.len()] } else { k.as_str() };
                format!("{}={}", key, form_urlencoded_value(v))
            })
            .collect::<Vec<_>>().join("&");
        must_not_trap(metered_plugin(), &webhook(types::Provider::Twilio, body.into_bytes(), vec![]), None)?;
    }
}

fn form_urlencoded_value(v: &str) -> String {
    v.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[test]
fn deeply_nested_json_is_a_typed_error() {
    // serde_json stops at 128 levels; the plugin must report that, not overflow its stack.
    let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for provider in PROVIDERS {
        let result = metered_plugin().normalize(&webhook(provider, body.clone().into_bytes(), vec![]), &no_options());
        assert!(matches!(result, Ok(Err(_))), "{provider:?}: {result:?}");
    }
}

#[test]
fn a_three_megabyte_webhook_fits_the_budgets() {
    // Meta's webhooks are at most 3 MB; one with a huge text must normalize within the default budgets,
    // whose fuel grows with the body's size.
    let text = "x".repeat(3_000_000);
    let body = serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "metadata": {"display_phone_number": "15550101234", "phone_number_id": "1"},
        "messages": [{"from": "15551230001", "id": "wamid.X", "timestamp": "1795000000", "type": "text", "text": {"body": text}}]}}]}]});
    let hook = webhook(types::Provider::MetaCloud, serde_json::to_vec(&body).unwrap(), vec![]);
    let metered = metered_plugin().normalize_metered(&hook, &no_options()).expect("within budgets");
    println!("fuel for a 3 MB webhook: {}", metered.fuel);
    let events = metered.value.expect("a valid webhook");
    assert_eq!(events.len(), 1);
}

fn no_options() -> inbound::InboundOptions {
    inbound::InboundOptions { secret: None, redact_card_numbers: None, max_attachment_bytes: None, serve_groups: None }
}

#[test]
fn the_deepest_json_each_parser_accepts_fits_the_stack() {
    // The plugin's shadow stack is 128 KiB (host-harness/src/component_build.rs). serde_json refuses
    // nesting past 128 levels, so the deepest tree any parser in the plugin builds, walks, prints or drops
    // is about that deep: at each of those depths every JSON input of the contract must answer, never trap.
    let plugin = PluginHost::bundled().unwrap();
    let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let object = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    for depth in [100, 120, 124, 126, 127, 128] {
        for value in [deep(depth), object(depth)] {
            let meta = format!(
                r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"x":{value},"messages":[{{"from":"15551230001","id":"w","timestamp":"1795000000","type":"interactive","interactive":{{"type":"nfm_reply","nfm_reply":{{"response_json":{flow}}}}}}}]}}}}]}}]}}"#,
                flow = serde_json::to_string(&value).unwrap()
            );
            let hook = |provider: &str, body: &str| {
                serde_json::json!({"webhook": {"provider": provider, "url": "https://h.example/x?hook_token=t", "headers": [],
                    "body": body, "received_at": 1_795_000_000_000u64}, "options": {}})
                .to_string()
            };
            let calls = [
                ("inbound", "normalize", hook("meta-cloud", &meta)),
                ("inbound", "normalize", hook("one-msg", &value)),
                (
                    "outbound",
                    "read-response",
                    serde_json::json!({"response": {"provider": "meta-cloud", "call": "compose", "status": 200, "body": value}})
                        .to_string(),
                ),
                (
                    "templates",
                    "from-provider",
                    serde_json::json!({"request": {"provider": "meta-cloud", "json": value, "twilio_approvals": []}}).to_string(),
                ),
                // The door's own arguments: a deep value where a record is expected, refused with the value shown.
                ("inbound", "normalize", format!(r#"{{"webhook":{value},"options":{{}}}}"#)),
            ];
            for (interface, function, arguments) in calls {
                match plugin.call_door(interface, function, &arguments) {
                    Ok(_) | Err(HostError::BadArguments(_)) => {}
                    Err(e) => panic!("{interface}.{function}, nesting {depth}: {e}"),
                }
            }
        }
    }
}

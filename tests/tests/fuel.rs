//! Instructions per call (wasmtime fuel: deterministic, unlike time) for a typical call of each
//! export, through the typed bindings, printed for BENCHMARKS.md and held under ceilings so that a
//! regression fails. Issue 15's targets are 150,000 instructions for a signed Meta text webhook and
//! 170,000 for a signed Twilio one: both ceilings are under their targets, so the test fails above
//! them, for the default build and for the one shipped (`dist`, CI: binaryen's `wasm-opt -Oz`) alike
//! (BENCHMARKS.md, "Issue 15: where it stands").

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, templates, types, window};
use integration_tests::{json_fixtures, metered_plugin};
use serde_json::Value;

/// Issue 15's instruction targets.
const TARGET_META: u64 = 150_000;
const TARGET_TWILIO: u64 = 170_000;

/// Measured with the release profile in Cargo.toml (default build, no wasm-opt), 2026-12-01: Meta
/// 148,455, Twilio 158,128 (BENCHMARKS.md, issue 15); earlier the same day 1msg 50,814, verify-signature
/// 81,440, window 140,053, render 231,528. Ceilings: the Meta one is its target, the Twilio one that
/// figure plus about 3%, the others those figures plus about 5%; lower them as the figures fall, never
/// raise them.
const CEILING_META: u64 = 150_000;
const CEILING_TWILIO: u64 = 163_000;
const CEILING_OTHER: u64 = 243_000;

fn fixture(dir: &str, prefix: &str) -> Value {
    json_fixtures(dir).into_iter().find(|(n, _)| n.starts_with(prefix)).expect("fixture").1
}

/// The fixture's webhook as the typed bindings take it, with its options (the secret).
fn webhook(f: &Value, provider: types::Provider) -> (inbound::Webhook, inbound::InboundOptions) {
    let w = &f["webhook"];
    let headers = w["headers"]
        .as_object()
        .expect("headers")
        .iter()
        .map(|(name, value)| inbound::Header { name: name.clone(), value: value.as_str().unwrap_or_default().into() })
        .collect();
    let received_at = f["received_at"].as_str().and_then(host_harness::json::rfc3339_millis).unwrap_or(0);
    let hook = inbound::Webhook {
        provider,
        url: w["url"].as_str().unwrap_or_default().into(),
        headers,
        body: w["body"].as_str().expect("body").as_bytes().to_vec(),
        received_at,
    };
    let options = inbound::InboundOptions {
        secret: f["secret"].as_str().map(str::to_string),
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: None,
    };
    (hook, options)
}

/// `window/10-…`: a customer wrote Thursday 20:00 in Berlin, opening hours Monday to Friday 9–18.
fn window_request() -> window::WindowRequest {
    let at = |s: &str| host_harness::json::rfc3339_millis(s).expect("a time");
    let span = |day| window::OpeningSpan {
        day,
        opens: window::LocalTime { hour: 9, minute: 0 },
        closes: window::LocalTime { hour: 18, minute: 0 },
    };
    use window::Weekday::*;
    window::WindowRequest {
        conversation: window::Conversation {
            last_customer_message: Some(window::CustomerMessageTime {
                sent_at: at("2026-11-19T20:00:00+01:00"),
                clock: types::ClockSource::ProviderTimestamp,
            }),
            last_business_message_at: None,
            origin: window::ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        },
        now: at("2026-11-20T09:30:00+01:00"),
        time_zone: Some(host_harness::zones::posix_rule("Europe/Berlin").expect("Berlin's rule")),
        business_hours: Some(window::BusinessHours {
            weekly: [Monday, Tuesday, Wednesday, Thursday, Friday].map(span).to_vec(),
            closed_dates: vec![],
        }),
        warn_before: None,
        pricing: None,
    }
}

/// `templates/01-…`: a text header, three positional body variables and two quick replies.
fn template() -> (templates::Template, templates::TemplateValues) {
    let quick_reply = |text: &str| templates::Button {
        kind: templates::ButtonKind::QuickReply,
        text: text.into(),
        url: None,
        phone_number: None,
    };
    let t = templates::Template {
        name: "order_status_update".into(),
        language: "en_US".into(),
        category: types::MessageCategory::Utility,
        status: templates::TemplateStatus::Approved,
        parameter_format: templates::ParameterFormat::Positional,
        header: Some(templates::Header {
            format: templates::HeaderFormat::Text,
            text: Some("Your order update".into()),
        }),
        body: "Hi {{1}}, your order {{2}} is now {{3}}. Reply below if you need anything else from our team.".into(),
        footer: Some("Lucky Shrub customer care".into()),
        buttons: vec![quick_reply("Talk to an agent"), quick_reply("Stop order updates")],
        twilio_content_sid: Some("HXb7e2a91c4d3f48e6a05c19d8f27e3b64".into()),
        namespace: Some("8f2c1e6a_4b7d_4e91_a3c5_0d9e7b1f2a64".into()),
    };
    let v = templates::TemplateValues {
        body: [("1", "Maria"), ("2", "LS-4821"), ("3", "out for delivery")]
            .map(|(k, v)| templates::VariableValue { key: k.into(), value: v.into() })
            .to_vec(),
        header_text: None,
        header_media: None,
        header_location: None,
        buttons: vec![templates::ButtonValue { index: 1, value: "STOP_ORDER_UPDATES".into() }],
    };
    (t, v)
}

#[test]
fn instructions_per_export_stay_under_their_ceilings() {
    let host = metered_plugin();
    let mut figures: Vec<(String, u64, u64)> = Vec::new();
    for (dir, provider, ceiling) in [
        ("meta-cloud", types::Provider::MetaCloud, CEILING_META),
        ("twilio", types::Provider::Twilio, CEILING_TWILIO),
        ("one-msg", types::Provider::OneMsg, CEILING_OTHER),
    ] {
        let (hook, options) = webhook(&fixture(dir, "01-"), provider);
        let metered = host.normalize_metered(&hook, &options).expect("no host error");
        let events = metered.value.expect("the fixture normalizes");
        assert!(!events.is_empty(), "{dir}: the fixture's message comes out");
        figures.push((format!("inbound.normalize ({dir}, signed text message)"), metered.fuel, ceiling));
    }
    let meta = fixture("meta-cloud", "01-");
    let (hook, options) = webhook(&meta, types::Provider::MetaCloud);
    let secret = options.secret.clone().expect("the Meta fixture is signed");
    let verified = host.verify_signature_metered(&hook, &secret).expect("no host error");
    assert!(verified.value.is_ok(), "the Meta fixture's signature verifies");
    figures.push(("inbound.verify-signature (meta-cloud)".into(), verified.fuel, CEILING_OTHER));

    let checked = host.check_window_metered(&window_request()).expect("no host error");
    assert!(checked.value.is_ok(), "the window request is valid");
    figures.push(("window.check (business hours, Berlin)".into(), checked.fuel, CEILING_OTHER));

    let (t, v) = template();
    let rendered = host
        .call_typed_metered(|p, s| p.helpdesk_whatsapp_templates().call_render(s, &t, &v, types::Provider::MetaCloud))
        .expect("no host error");
    assert!(rendered.value.is_ok(), "the template renders");
    figures.push(("templates.render (text header, 3 body variables)".into(), rendered.fuel, CEILING_OTHER));

    for (what, n, _) in &figures {
        println!("{n:>9} instructions  {what}");
    }
    let (meta_now, twilio_now) = (figures[0].1, figures[1].1);
    println!("issue 15 targets: Meta {meta_now} of {TARGET_META}, Twilio {twilio_now} of {TARGET_TWILIO}");
    for (what, n, ceiling) in &figures {
        assert!(n < ceiling, "{what}: {n} instructions, over the {ceiling} ceiling");
    }
    assert!(meta_now <= TARGET_META, "a signed Meta webhook: {meta_now} instructions, over issue 15's target");
    assert!(twilio_now <= TARGET_TWILIO, "a signed Twilio webhook: {twilio_now} instructions, over issue 15's target");
    const { assert!(CEILING_META <= TARGET_META && CEILING_TWILIO <= TARGET_TWILIO, "no ceiling rises above its target") };
}

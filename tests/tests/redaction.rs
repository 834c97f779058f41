//! Card redaction through the real component, for every provider: a Luhn-valid card written next
//! to other digit groups (an order number, an expiry, a CVV, an amount) in a text message and in a
//! media caption never survives in the event, and the `redactions` field and the note name it.
//!
//! The webhooks follow the shapes the fixtures document (see `tests/fixtures/*/README.md`): Meta Cloud
//! API `text.body` and `image.caption` (webhooks reference › messages › text, image); Twilio's form
//! parameters, where `Body` is the text when `NumMedia=0` and the caption when `NumMedia>0` (Twilio
//! webhook request › media and WhatsApp parameters); 1msg `type: chat` with `body`, and `type: image`
//! with `caption` (1msg OpenAPI, Message schema). No secret is given, so no signature is checked.

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, types};
use integration_tests::{metered_plugin, plugin};
use proptest::prelude::*;
use serde_json::json;

/// `body` with its Luhn check digit appended.
fn with_check_digit(body: &[u8]) -> Vec<u8> {
    let luhn = |n: &[u8]| {
        let sum: u32 = n
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| u32::from(if i % 2 == 1 { (d * 2) % 10 + (d * 2) / 10 } else { d }))
            .sum();
        sum.is_multiple_of(10)
    };
    (0..10u8).map(|d| body.iter().copied().chain([d]).collect::<Vec<u8>>()).find(|n| luhn(n)).unwrap()
}

/// Network prefixes and a length each issues (a few of the plugin's table), and any prefix but 0.
fn card() -> impl Strategy<Value = (Vec<u8>, bool)> {
    let networks: &[(&str, usize)] = &[
        ("4", 16),
        ("4", 13),
        ("4", 19),
        ("51", 16),
        ("2221", 16),
        ("34", 15),
        ("37", 15),
        ("6011", 16),
        ("65", 19),
        ("3530", 16),
        ("36", 14),
        ("62", 17),
        ("2200", 16),
    ];
    let network = (0..networks.len(), prop::collection::vec(0u8..10, 19)).prop_map(move |(n, fill)| {
        let (prefix, len) = networks[n];
        let body: Vec<u8> = prefix.bytes().map(|b| b - b'0').chain(fill).take(len - 1).collect();
        (with_check_digit(&body), true)
    });
    let random = (13usize..=19, 1u8..10, prop::collection::vec(0u8..10, 18)).prop_map(|(len, first, fill)| {
        let body: Vec<u8> = std::iter::once(first).chain(fill).take(len - 1).collect();
        (with_check_digit(&body), false)
    });
    prop_oneof![network, random]
}

/// A message: the text, the byte offsets of the card's digits in it, and whether the card stands
/// alone in its run of digit groups.
#[derive(Debug, Clone)]
struct Written {
    text: String,
    at: Vec<usize>,
    alone: bool,
}

const JOINS: &[&str] = &[" ", "-", "."];
const BREAKS: &[&str] = &["/", ", ", "\n", ": "];

/// The card unbroken or in fours, after words and up to one group, before up to two groups (an
/// expiry, a CVV, an amount, an order number). A group of exactly four digits is not joined right
/// next to a card without a network prefix written in fours: that is how a longer number goes on
/// (see `plugin/src/inbound/redact.rs`).
fn written() -> impl Strategy<Value = (Vec<u8>, Written)> {
    (
        card(),
        any::<bool>(),
        0usize..3,
        prop::option::of((1usize..=7, 1u32..10_000_000, any::<bool>(), 0usize..4)),
        prop::collection::vec((1usize..=7, 0u32..10_000_000, any::<bool>(), 0usize..4), 0..=2),
        "[a-zA-Zéü€日本 ,!?]{0,16}",
        "[a-zA-Zéü€日本 ,!?]{0,16}",
    )
        .prop_map(|((card, network), fours, inner, before, after, head, tail)| {
            let guarded = !network && fours;
            let group = |width: usize, seed: u32, lead: bool| {
                let width = if guarded && width == 4 { 5 } else { width };
                let mut s = format!("{seed:07}{seed:07}");
                s.truncate(width);
                if lead && s.starts_with('0') {
                    s.replace_range(..1, "7");
                }
                s
            };
            let mut text = format!("{head} ");
            if let Some((width, seed, joined, sep)) = before {
                text.push_str(&group(width, seed, true));
                text.push_str(if joined { JOINS[sep % 3] } else { BREAKS[sep] });
            }
            let mut at = Vec::new();
            for (i, d) in card.iter().enumerate() {
                if fours && i > 0 && i % 4 == 0 {
                    text.push_str(JOINS[inner]);
                }
                at.push(text.len());
                text.push(char::from(b'0' + d));
            }
            for &(width, seed, joined, sep) in &after {
                text.push_str(if joined { JOINS[sep % 3] } else { BREAKS[sep] });
                text.push_str(&group(width, seed, false));
            }
            text.push(' ');
            text.push_str(&tail);
            let alone = before.is_none_or(|b| !b.2) && after.first().is_none_or(|a| !a.2);
            (card, Written { text, at, alone })
        })
}

/// Form-encodes a value as `application/x-www-form-urlencoded` does.
fn form(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => char::from(b).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The content type and body of a webhook carrying `text` as a text message (`caption` false) or as an
/// image caption.
fn webhook(provider: &str, text: &str, caption: bool) -> (&'static str, String) {
    match provider {
        "meta-cloud" => {
            let message = if caption {
                json!({"from": "15551230001", "id": "wamid.REDACT1", "timestamp": "1795168796", "type": "image",
                       "image": {"caption": text, "mime_type": "image/jpeg", "sha256": "q0w9P4uK1F0cK3W7b0m8H1l2x5s6d7f8g9h0j1k2l3m=",
                                 "id": "1208345566770001",
                                 "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1208345566770001&ext=1795168800&hash=ATtXq3Zk"}})
            } else {
                json!({"from": "15551230001", "id": "wamid.REDACT1", "timestamp": "1795168796", "type": "text",
                       "text": {"body": text}})
            };
            let value = json!({"object": "whatsapp_business_account", "entry": [{"id": "220300400500600", "changes": [{
                "value": {"messaging_product": "whatsapp",
                          "metadata": {"display_phone_number": "15550101234", "phone_number_id": "110200300400500"},
                          "contacts": [{"profile": {"name": "Maya Lindqvist"}, "wa_id": "15551230001"}],
                          "messages": [message]},
                "field": "messages"}]}]});
            ("application/json", value.to_string())
        }
        "twilio" => {
            let media = if caption {
                "NumMedia=1&MediaContentType0=image%2Fjpeg&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC57fd0608be32bc7b399f485192bb8be8%2FMessages%2FMM0b97e8ac36f39b2b2366bed6c3b80001%2FMedia%2FME0001&MessageType=image"
            } else {
                "NumMedia=0&MessageType=text"
            };
            let body = format!(
                "SmsMessageSid=MM0b97e8ac36f39b2b2366bed6c3b80001&{media}&ProfileName=Maya+Chen&WaId=15555550142&SmsStatus=received&Body={}&To=whatsapp%3A%2B15555550100&NumSegments=1&MessageSid=MM0b97e8ac36f39b2b2366bed6c3b80001&AccountSid=AC57fd0608be32bc7b399f485192bb8be8&From=whatsapp%3A%2B15555550142&ApiVersion=2010-04-01",
                form(text)
            );
            ("application/x-www-form-urlencoded", body)
        }
        _ => {
            let message = if caption {
                json!({"id": "wamid.REDACT1", "body": "https://files.example.com/onemessageapp/ODI555012345/REDACT1.jpeg",
                       "fromMe": false, "self": 0, "isForwarded": false, "author": "15555550142@c.us", "time": 1795168798,
                       "chatId": "15555550142@c.us", "type": "image", "senderName": "Dana Whitfield", "caption": text,
                       "quotedMsgId": null, "chatName": "Dana Whitfield"})
            } else {
                json!({"id": "wamid.REDACT1", "body": text, "fromMe": false, "self": 0, "isForwarded": false,
                       "author": "15555550142@c.us", "time": 1795168798, "chatId": "15555550142@c.us", "type": "chat",
                       "senderName": "Dana Whitfield", "caption": null, "quotedMsgId": null, "chatName": "Dana Whitfield"})
            };
            ("application/json", json!({"instanceId": "ODI555012345", "messages": [message]}).to_string())
        }
    }
}

/// Normalize through the component's typed `inbound.normalize` and return the one message event.
fn normalize(provider: &str, text: &str, caption: bool) -> inbound::Message {
    let (content_type, body) = webhook(provider, text, caption);
    let hook = inbound::Webhook {
        provider: match provider {
            "meta-cloud" => types::Provider::MetaCloud,
            "twilio" => types::Provider::Twilio,
            _ => types::Provider::OneMsg,
        },
        url: format!("https://helpdesk.example.com/webhooks/{provider}"),
        headers: vec![inbound::Header { name: "Content-Type".into(), value: content_type.into() }],
        body: body.into_bytes(),
        received_at: 1_795_168_805_000, // 2026-11-20T10:00:05Z
    };
    let options = inbound::InboundOptions {
        secret: None,
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: None,
    };
    let events = plugin()
        .normalize(&hook, &options)
        .expect("no host error")
        .unwrap_or_else(|e| panic!("{provider}: not ok: {e:?}"));
    match <[inbound::Event; 1]>::try_from(events) {
        Ok([inbound::Event::Message(message)]) => message,
        other => panic!("{provider}: expected one message, found {other:?}"),
    }
}

const PROVIDERS: &[&str] = &["meta-cloud", "twilio", "one-msg"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_card_next_to_digit_groups_never_survives_in_a_text_or_caption((card, w) in written()) {
        let hidden = card.len() - 4;
        let last_four: String = card[hidden..].iter().map(|&d| char::from(b'0' + d)).collect();
        for provider in PROVIDERS {
            for caption in [false, true] {
                let message = normalize(provider, &w.text, caption);
                let (field, shown) = if caption {
                    ("caption", message.attachments.first().and_then(|a| a.caption.as_deref()))
                } else {
                    ("text", message.text.as_deref())
                };
                let shown = shown.unwrap_or_else(|| panic!("{provider} {field} missing: {message:?}"));
                prop_assert_eq!(shown.len(), w.text.len(), "{} {}: only digits change", provider, field);
                for &p in &w.at[..hidden] {
                    prop_assert_eq!(shown.as_bytes().get(p), Some(&b'*'),
                        "{} {}: the card survives in {:?}", provider, field, shown);
                }
                let redactions = &message.redactions;
                prop_assert!(!redactions.is_empty(), "{} {}: no redaction in {:?}", provider, field, message);
                prop_assert!(redactions.iter().all(|r| r.field == field && r.kind == "card-number"),
                    "{} {}: {:?}", provider, field, redactions);
                if w.alone {
                    prop_assert!(redactions.iter().any(|r| r.last_four == last_four),
                        "{} {}: {:?} does not name {}", provider, field, redactions, last_four);
                }
                prop_assert!(message.notes.iter().any(|n| n.contains("card number was masked")),
                    "{} {}: no note in {:?}", provider, field, message.notes);
            }
        }
    }
}

/// The issue's example, and an order number that fails Luhn next to it, for each provider and field.
#[test]
fn the_issue_example_is_masked_and_the_expiry_and_order_number_stay() {
    let text = "order 4111 1111 1111 1112, card 4111 1111 1111 1111 12/27 cvv 123";
    let expected = "order 4111 1111 1111 1112, card **** **** **** 1111 12/27 cvv 123";
    for provider in PROVIDERS {
        for caption in [false, true] {
            let message = normalize(provider, text, caption);
            let shown = if caption { message.attachments[0].caption.as_deref() } else { message.text.as_deref() };
            assert_eq!(shown, Some(expected), "{provider} caption={caption}");
            let field = if caption { "caption" } else { "text" };
            let redactions: Vec<_> =
                message.redactions.iter().map(|r| (r.field.as_str(), r.kind.as_str(), r.last_four.as_str())).collect();
            assert_eq!(redactions, [(field, "card-number", "1111")], "{provider} caption={caption}");
        }
    }
}

/// Fuel for normalizing a Meta text message whose body is `text`, with and without redaction.
fn fuel_for_text(text: &str) -> (u64, u64) {
    let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "metadata": {"display_phone_number": "15550101234", "phone_number_id": "1"},
        "messages": [{"from": "15551230001", "id": "wamid.X", "timestamp": "1795000000", "type": "text", "text": {"body": text}}]}}]}]});
    let hook = inbound::Webhook {
        provider: types::Provider::MetaCloud,
        url: "https://helpdesk.example.com/webhooks/meta-cloud".into(),
        headers: vec![],
        body: serde_json::to_vec(&body).unwrap(),
        received_at: 1_795_000_000_000,
    };
    let on = inbound::InboundOptions {
        secret: None,
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: None,
    };
    let off = inbound::InboundOptions { redact_card_numbers: Some(false), ..on.clone() };
    let fuel = |options: &inbound::InboundOptions| {
        let metered = metered_plugin().normalize_metered(&hook, options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(metered.value.expect("a valid webhook").len(), 1);
        metered.fuel
    };
    (fuel(&on), fuel(&off))
}

/// The scan's worst cases — long runs of digit groups, where every group may start a card, and
/// texts dense with cards, each one a redaction to record — cost a bounded number of instructions per
/// byte of text. Measured (wasm, `opt-level = "z"`): 97 for unbroken digits, 170 for `4 4 4 …`, 660 for
/// `44 44 …`, 965 for `55 44 …` (a Mastercard-like candidate at every group), against 21 for text
/// without digits. Held under 1,500 so that a regression to quadratic work fails; a 16 KB text, four
/// times the 4,096 characters Meta's send API allows in a text body (messages reference, `text.body`;
/// not confirmed as the limit on what customers type), then fits the default budgets.
#[test]
fn redaction_cost_per_byte_is_bounded_on_digit_heavy_text() {
    let units = ["4", "4 ", "44 ", "4111 ", "55 44 ", "4111 1111 1111 1111 12/27 ", "41111111111111111227 "];
    for unit in units {
        let text = unit.repeat(16_384 / unit.len());
        let (on, off) = fuel_for_text(&text);
        let per_byte = on.saturating_sub(off) / text.len() as u64;
        println!("`{unit}`… 16 KB: {on} instructions, {off} without redaction: {per_byte} per byte");
        assert!(per_byte < 1_500, "`{unit}`…: {per_byte} instructions per byte");
    }
}

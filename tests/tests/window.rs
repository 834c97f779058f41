//! The window check through the real component: every fixture in `tests/fixtures/window/`.

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, types, window};
use host_harness::cli_calls;
use host_harness::envelope::Envelope;
use host_harness::zones::posix_rule;
use integration_tests::{contains, json_fixtures, plugin};
use serde_json::Value;

/// Run one fixture; `Err` says what differed.
fn run(fixture: &Value) -> Result<(), String> {
    let mut request = fixture["request"].clone();
    if let (Some(zone), false) = (request["time_zone"].as_str(), fixture["raw_time_zone"] == true) {
        // As the CLI does: the host turns the IANA name into the POSIX rule the component takes.
        request["time_zone"] = Value::String(posix_rule(zone)?);
    }
    let result = cli_calls::window_check(plugin(), request)?;
    contains(&fixture["expect"], &result, "result")?;
    let hint = result["ok"]["hint"].as_str().unwrap_or_default();
    for part in fixture["hint_contains"].as_array().into_iter().flatten() {
        let part = part.as_str().unwrap_or_default();
        if !hint.contains(part) {
            return Err(format!("the hint {hint:?} does not contain {part:?}"));
        }
    }
    for (category, expected) in fixture["cost"].as_object().into_iter().flatten() {
        let line = result["ok"]["costs"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["category"] == *category)
            .ok_or_else(|| format!("no cost line for {category}"))?;
        let actual = serde_json::json!([line["charge"], line["reason"]]);
        if actual != *expected {
            return Err(format!("cost of {category}: expected {expected}, found {actual} ({})", line["explanation"]));
        }
    }
    Ok(())
}

#[test]
fn every_window_fixture_holds_through_the_component() {
    let fixtures = json_fixtures("window");
    assert!(fixtures.len() >= 12, "at least a dozen window cases");
    let failures: Vec<String> =
        fixtures.iter().filter_map(|(name, fixture)| run(fixture).err().map(|e| format!("{name}: {e}"))).collect();
    println!("{} window fixtures run through the component", fixtures.len());
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), fixtures.len(), failures.join("\n"));
}

#[test]
fn a_wrong_expectation_is_caught() {
    // The runner must be able to fail: flip one expected value of a real fixture.
    let (_, mut fixture) = json_fixtures("window").into_iter().find(|(n, _)| n.starts_with("03-")).unwrap();
    let mut wrong_state = fixture.clone();
    wrong_state["expect"]["ok"]["state"] = Value::String("open".into());
    assert!(run(&wrong_state).unwrap_err().contains("result.ok.state"));
    let mut wrong_hint = fixture.clone();
    wrong_hint["hint_contains"] = serde_json::json!(["Reply before"]);
    assert!(run(&wrong_hint).unwrap_err().contains("does not contain"));
    fixture["cost"] = serde_json::json!({"utility": ["free", "free-in-service-window"]});
    assert!(run(&fixture).unwrap_err().contains("cost of utility"));
}

#[test]
fn typed_calls_agree_with_json_calls() {
    use host_harness::bindings::exports::helpdesk::whatsapp::{types, window};
    let request = window::WindowRequest {
        conversation: window::Conversation {
            last_customer_message: Some(window::CustomerMessageTime {
                sent_at: 1_763_632_800_000, // 2025-11-20T10:00:00Z
                clock: types::ClockSource::ProviderTimestamp,
            }),
            last_business_message_at: None,
            origin: window::ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        },
        now: 1_763_632_800_000 + 86_400_000,
        time_zone: None,
        business_hours: None,
        warn_before: None,
        pricing: None,
    };
    let answer = plugin().check_window(&request).unwrap().unwrap();
    assert_eq!(answer.state, window::WindowState::Closed);
    assert_eq!(answer.closes_at, Some(1_763_632_800_000 + 86_400_000));
    let periods = plugin().default_pricing().unwrap();
    assert_eq!(periods.len(), 5);
    assert_eq!(periods[0].effective_from, 1_730_419_200_000, "2024-11-01");
    assert!(periods.iter().all(|p| !p.sources.is_empty()), "every period names its pages");
    let last = periods.last().unwrap();
    assert_eq!((last.effective_from, last.confirmation), (1_790_812_800_000, window::Confirmation::Reported));
    assert_eq!(answer.pricing_details.map(|p| p.name), answer.pricing_period);
}

/// The events of a Meta fixture, normalized through the typed bindings.
fn meta_events(prefix: &str) -> Vec<inbound::Event> {
    let meta = json_fixtures("meta-cloud");
    let (_, fixture) = meta.iter().find(|(n, _)| n.starts_with(prefix)).expect("fixture");
    let envelope = Envelope::read(fixture, Some("meta-cloud")).expect("an envelope");
    plugin().normalize(&envelope.webhook(), &envelope.options()).expect("no host error").expect("normalized")
}

/// `window.record-events` on a conversation with no facts yet.
fn fold(events: &[inbound::Event]) -> window::Conversation {
    let empty = window::Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: window::ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    };
    plugin().record_events(empty, events).expect("no host error")
}

/// Coexistence: a synced history message, an edit or a revoke never opens the window; a live text does.
#[test]
fn history_edits_and_revokes_never_move_the_window() {
    for prefix in ["78-", "73-", "75-"] {
        let events = meta_events(prefix);
        assert!(!events.is_empty());
        let folded = fold(&events);
        assert!(folded.last_customer_message.is_none(), "{prefix}: {folded:?}");
        assert_eq!(folded.last_business_message_at, None, "{prefix}: {folded:?}");
    }
    let folded = fold(&meta_events("01-"));
    assert!(folded.last_customer_message.is_some(), "a live text opens it: {folded:?}");
}

/// "When a WhatsApp user messages you or calls you, a 24-hour timer called a customer service window
/// starts" (Meta, Service messages, updated May 21, 2026): a contact who only called has an open window
/// from the call's connect; a business-initiated call never opens it.
#[test]
fn a_call_only_contact_has_an_open_window() {
    let window_after = |prefix: &str| {
        let conversation = fold(&meta_events(prefix));
        let request = window::WindowRequest {
            conversation,
            now: 1_795_172_100_000, // 2026-11-20T10:55:00Z
            time_zone: None,
            business_hours: None,
            warn_before: None,
            pricing: None,
        };
        (conversation, plugin().check_window(&request).expect("no host error").expect("checked"))
    };
    // 91: the customer called at 2026-11-20T09:55:00Z.
    let (conversation, answer) = window_after("91-call-user-initiated-connect");
    let called = conversation.last_customer_message.expect("the call opened the window");
    assert_eq!((called.sent_at, called.clock), (1_795_168_500_000, types::ClockSource::ProviderTimestamp));
    assert_eq!(answer.state, window::WindowState::Open);
    assert!(answer.free_form_allowed);
    assert_eq!(answer.closes_at, Some(1_795_254_900_000)); // 2026-11-21T09:55:00Z
    // 93: the business called; the customer accepted: still never opened.
    let (conversation, answer) = window_after("93-call-business-initiated-ringing-accepted");
    assert!(conversation.last_customer_message.is_none(), "{conversation:?}");
    assert_eq!(answer.state, window::WindowState::NeverOpened);
}

//! Every outbound fixture in `tests/fixtures/outbound/` through the real component: `compose` (or
//! `mark-read`) yields exactly the expected request (method, base URL, path, content type, headers,
//! credential placement; Meta and 1msg bodies compared as parsed JSON, Twilio bodies as ordered form
//! pairs) or exactly the expected problems (each matched by the fields it names, in any order), or
//! the expected error; `read-response` fixtures yield exactly the expected outcome or error. Property
//! tests check that `compose` and `read-response` never trap and answer as typed.

use host_harness::bindings::exports::helpdesk::whatsapp::{outbound, types, window};
use host_harness::cli_calls;
use integration_tests::{contains, json_fixtures, plugin, same_problems};
use proptest::prelude::*;
use serde_json::{Value, json};

fn form_pairs(body: &str) -> Value {
    form_urlencoded::parse(body.as_bytes()).map(|(k, v)| json!([k, v])).collect()
}

/// The request part of an answer checked against the fixture's expectation.
fn check_request(expect: &Value, request: &Value) -> Result<(), String> {
    contains(&expect["request"], request, "request")?;
    let body = request["body"].as_str().ok_or("body is not text")?;
    if let Some(json_body) = expect.get("json_body") {
        let parsed: Value = serde_json::from_str(body).map_err(|e| format!("body is not JSON: {e}"))?;
        if &parsed != json_body {
            return Err(format!("JSON body differs:\n expected {json_body}\n found    {parsed}"));
        }
    }
    if let Some(form_body) = expect.get("form_body") {
        let pairs = form_pairs(body);
        if &pairs != form_body {
            return Err(format!("form body differs:\n expected {form_body}\n found    {pairs}"));
        }
    }
    Ok(())
}

/// A `read-response` fixture: the provider's answer (its `body` as the JSON it was, made text) read into
/// exactly the expected outcome fields, or the expected error.
fn run_read_response(fixture: &Value) -> Result<(), String> {
    let answer = cli_calls::read_response(plugin(), fixture["request"].clone())?;
    let expect = &fixture["expect"];
    if let Some(error) = expect.get("error") {
        return contains(&json!({"error": error}), &answer, "");
    }
    let outcome = answer.get("ok").ok_or_else(|| format!("expected an outcome, found {answer}"))?;
    contains(&expect["outcome"], outcome, "outcome")?;
    // A failure is classified by the same table as status webhooks: its hint is never empty.
    if let Some(failed) = outcome.get("failed")
        && failed["hint"].as_str().is_none_or(str::is_empty)
    {
        return Err(format!("a failure without a hint: {failed}"));
    }
    Ok(())
}

fn run(fixture: &Value) -> Result<(), String> {
    let function = fixture["function"].as_str().unwrap_or("compose");
    if function == "read-response" {
        return run_read_response(fixture);
    }
    let answer = match function {
        "mark-read" => cli_calls::mark_read(plugin(), fixture["request"].clone())?,
        _ => cli_calls::compose(plugin(), fixture["request"].clone())?,
    };
    let expect = &fixture["expect"];
    if let Some(error) = expect.get("error") {
        return contains(&json!({"error": error}), &answer, "");
    }
    let ok = answer.get("ok").ok_or_else(|| format!("expected an answer, found {answer}"))?;
    if function == "mark-read" {
        let request = ok.get("request").ok_or_else(|| format!("expected a request, found {ok}"))?;
        return check_request(expect, request);
    }
    same_problems(&expect["problems"], &ok["problems"])?;
    match (&expect["request"], &ok["request"]) {
        (Value::Null, Value::Null) => {}
        (Value::Null, found) => return Err(format!("expected no request, found {found}")),
        (_, Value::Null) => return Err(format!("expected a request, found none; problems {}", ok["problems"])),
        (_, request) => check_request(expect, request)?,
    }
    if let Some(n) = expect.get("notes").and_then(Value::as_u64) {
        let found = ok["notes"].as_array().map_or(0, Vec::len) as u64;
        if found != n {
            return Err(format!("expected {n} notes, found {}", ok["notes"]));
        }
    }
    Ok(())
}

#[test]
fn every_outbound_fixture_composes_as_documented() {
    let fixtures = json_fixtures("outbound");
    assert!(fixtures.len() >= 25, "found only {} fixtures", fixtures.len());
    let failures: Vec<String> =
        fixtures.iter().filter_map(|(name, f)| run(f).err().map(|e| format!("{name}: {e}"))).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A text reply to `phone` through provider number `provider`, the customer's last message 1 hour
/// (`open`) or 29 days before `now` (2026-11-30T10:00:00Z).
fn text_request(text: &str, phone: &str, provider: usize, open: bool) -> outbound::ComposeRequest {
    let account = match provider % 3 {
        0 => outbound::Account::MetaCloud(outbound::MetaAccount {
            phone_number_id: "106540352242922".into(),
            graph_api_version: None,
        }),
        1 => outbound::Account::Twilio(outbound::TwilioAccount {
            account_sid: "ACae5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d".into(),
            sender: outbound::TwilioSender::From("+14155238886".into()),
            status_callback: None,
        }),
        _ => outbound::Account::OneMsg(outbound::OneMsgAccount { api_url: "https://api.1msg.io/418375".into() }),
    };
    let now = 1_796_032_800_000; // 2026-11-30T10:00:00Z
    let sent_at = if open { now - 3_600_000 } else { now - 29 * 86_400_000 };
    outbound::ComposeRequest {
        account,
        recipient: outbound::Recipient::Phone(phone.into()),
        content: outbound::Content::Text(text.into()),
        reply_to: None,
        preview_url: false,
        window: outbound::WindowFacts::Conversation(window::Conversation {
            last_customer_message: Some(window::CustomerMessageTime {
                sent_at,
                clock: types::ClockSource::ProviderTimestamp,
            }),
            last_business_message_at: None,
            origin: window::ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        }),
        now,
        marketing_opted_out: None,
        recipient_country: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn read_response_never_traps_and_answers_an_outcome_or_a_named_error(
        body in "\\PC{0,300}",
        status in 0u16..700,
        provider in 0usize..3,
        mark_read in any::<bool>(),
    ) {
        let providers = [types::Provider::MetaCloud, types::Provider::Twilio, types::Provider::OneMsg];
        let call = if mark_read { outbound::SentCall::MarkRead } else { outbound::SentCall::Compose };
        let response = outbound::ProviderResponse { provider: providers[provider], call, status, body };
        let answer = plugin()
            .read_response(&response)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        // An outcome, or a refusal that names the field; a rate limit or a server error is never read as sent.
        match &answer {
            Ok(outbound::SendOutcome::Sent(_)) => {
                prop_assert!(status != 429 && !(500..600).contains(&status), "{:?}", answer)
            }
            Ok(outbound::SendOutcome::Failed(_)) => {}
            Err(outbound::ComposeError::InvalidRequest(e)) => prop_assert!(!e.field.is_empty(), "{:?}", e),
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn compose_never_traps_and_answers_a_request_or_problems(
        text in "\\PC{0,2000}",
        phone in "\\+?[0-9]{0,16}",
        provider in 0usize..3,
        open in any::<bool>(),
    ) {
        let request = text_request(&text, &phone, provider, open);
        let answer = plugin()
            .compose(&request)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        match answer {
            // A request exactly when there is no problem.
            Ok(ok) => prop_assert_eq!(ok.request.is_none(), !ok.problems.is_empty(), "{:?}", ok),
            Err(outbound::ComposeError::InvalidRequest(e)) => prop_assert_eq!(e.field, "recipient.phone"),
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }
}

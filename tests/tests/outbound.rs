//! Every outbound fixture in `tests/fixtures/outbound/` through the real component: `compose` (or
//! `mark-read`) yields exactly the expected request (method, base URL, path, content type, headers,
//! credential placement; Meta and 1msg bodies compared as parsed JSON, Twilio bodies as ordered form
//! pairs) or exactly the expected problems (each matched by the fields it names, in any order), or
//! the expected error; `read-response` fixtures yield exactly the expected outcome or error. Property
//! tests check that `compose` and `read-response` never trap and answer as typed.

use host_harness::json::args;
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
    let response = host_harness::outbound_text::provider_response(fixture["request"].clone());
    let answer =
        plugin().call_json("outbound", "read-response", &args([("response", response)])).map_err(|e| e.to_string())?;
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
    let answer = plugin()
        .call_json("outbound", function, &args([("request", fixture["request"].clone())]))
        .map_err(|e| e.to_string())?;
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

fn request_json(text: &str, phone: &str, provider: usize, open: bool) -> Value {
    let accounts = [
        json!({"meta-cloud": {"phone_number_id": "106540352242922"}}),
        json!({"twilio": {"account_sid": "ACae5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d", "sender": {"from": "+14155238886"}}}),
        json!({"one-msg": {"api_url": "https://api.1msg.io/418375"}}),
    ];
    let sent_at = if open { "2026-11-30T09:00:00Z" } else { "2026-11-01T09:00:00Z" };
    json!({
        "account": accounts[provider % 3],
        "recipient": {"phone": phone},
        "content": {"text": text},
        "preview_url": false,
        "window": {"conversation": {"last_customer_message": {"sent_at": sent_at, "clock": "provider-timestamp"}, "origin": "organic"}},
        "now": "2026-11-30T10:00:00Z",
    })
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
        let providers = ["meta-cloud", "twilio", "one-msg"];
        let call = if mark_read { "mark-read" } else { "compose" };
        let response = json!({"provider": providers[provider], "call": call, "status": status, "body": body});
        let answer = plugin()
            .call_json("outbound", "read-response", &args([("response", response)]))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        match (answer.get("ok"), answer.get("error")) {
            (Some(ok), _) => prop_assert!(ok.get("sent").is_some() || ok.get("failed").is_some(), "{}", ok),
            (_, Some(e)) => prop_assert!(e["invalid-request"]["field"].as_str().is_some_and(|f| !f.is_empty()), "{}", e),
            _ => prop_assert!(false, "{}", answer),
        }
        // A rate limit or a server error is never read as sent.
        if status == 429 || (500..600).contains(&status) {
            prop_assert!(answer["ok"].get("sent").is_none(), "{}", answer);
        }
    }

    #[test]
    fn compose_never_traps_and_answers_a_request_or_problems(
        text in "\\PC{0,2000}",
        phone in "\\+?[0-9]{0,16}",
        provider in 0usize..3,
        open in any::<bool>(),
    ) {
        let answer = plugin()
            .call_json("outbound", "compose", &args([("request", request_json(&text, &phone, provider, open))]))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Some(ok) = answer.get("ok") {
            let problems = ok["problems"].as_array().map_or(0, Vec::len);
            prop_assert_eq!(ok["request"].is_null(), problems > 0, "{}", ok);
        } else {
            prop_assert!(answer["error"]["invalid-request"]["field"] == "recipient.phone", "{}", answer);
        }
    }
}

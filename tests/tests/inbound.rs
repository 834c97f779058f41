//! Every provider webhook fixture in `tests/fixtures/<provider>/`, through the real component:
//! the events (or the error) must hold what the fixture expects.

use host_harness::cli_calls;
use integration_tests::{contains, json_fixtures, plugin};
use serde_json::Value;

/// Normalize one fixture and compare; `Err` says what differed.
fn run(provider: &str, fixture: &Value) -> Result<(), String> {
    let result = cli_calls::normalize(plugin(), fixture, Some(provider))?;
    contains(&fixture["expect"], &result, "result").map_err(|e| format!("{e}\n   full result: {result}"))?;
    // `expect_signature`: what `verify-signature` alone must answer (the URL variant that matched).
    if let Some(expected) = fixture.get("expect_signature") {
        let verified = cli_calls::verify(plugin(), fixture, Some(provider))?;
        contains(expected, &verified, "signature").map_err(|e| format!("{e}\n   verify-signature said: {verified}"))?;
    }
    // A signed fixture that normalizes must also pass the signature check alone.
    if fixture["secret"].is_string() && result.get("ok").is_some() {
        let verified = cli_calls::verify(plugin(), fixture, Some(provider))?;
        if verified.get("ok").is_none() {
            return Err(format!("normalized, but verify-signature said {verified}"));
        }
    }
    Ok(())
}

fn run_all(provider: &str, at_least: usize) {
    let fixtures = json_fixtures(provider);
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|(name, fixture)| run(provider, fixture).err().map(|e| format!("{provider}/{name}: {e}")))
        .collect();
    println!("{} {provider} fixtures run through the component", fixtures.len());
    assert!(fixtures.len() >= at_least, "at least {at_least} {provider} fixtures, found {}", fixtures.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), fixtures.len(), failures.join("\n\n"));
}

#[test]
fn meta_cloud_fixtures() {
    run_all("meta-cloud", 20);
}

#[test]
fn twilio_fixtures() {
    run_all("twilio", 15);
}

#[test]
fn one_msg_fixtures() {
    run_all("one-msg", 8);
}

#[test]
fn a_wrong_expectation_is_caught() {
    let (_, mut fixture) = json_fixtures("meta-cloud").into_iter().next().expect("a fixture");
    fixture["expect"] = serde_json::json!({"ok": [{"message": {"id": "not-the-id"}}]});
    assert!(run("meta-cloud", &fixture).unwrap_err().contains("result.ok[0].message.id"));
}

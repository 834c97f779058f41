//! Every scenario in `tests/scenarios/` plays through the simulated helpdesk and providers with the
//! real component, and all its expectations hold.

use host_harness::sim::scenario::{narrate, run};
use integration_tests::plugin;
use serde_json::{Value, json};

fn scenarios() -> Vec<(String, Value)> {
    integration_tests::json_files(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
}

#[test]
fn every_scenario_holds() {
    let all = scenarios();
    assert!(all.len() >= 12, "at least 12 scenarios, found {}", all.len());
    let mut failures = Vec::new();
    let mut expectations = 0;
    for (file, scenario) in &all {
        let report = run(plugin(), scenario).unwrap_or_else(|e| panic!("{file}: {e}"));
        expectations += report.expectations;
        assert!(report.expectations > 0, "{file} asserts nothing");
        if !report.passed() {
            failures.push(format!("{file}:\n{}", narrate(&report)));
        }
    }
    println!("{} scenarios, {expectations} expectations held", all.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrong_expectation_fails_with_a_readable_difference() {
    let (_, mut scenario) = scenarios().into_iter().find(|(f, _)| f.starts_with("02-")).unwrap();
    // The reply ends up `read`; claim it stays `sent`.
    let steps = scenario["steps"].as_array_mut().unwrap();
    steps.push(json!({"expect": {"timeline": [{"message_id": "$r", "status": "sent"}]}}));
    let report = run(plugin(), &scenario).unwrap();
    assert!(!report.passed());
    let failure = &report.failures[0];
    println!("{failure}");
    assert!(failure.starts_with("step 4 (expect): at ticket.timeline: no element"), "{failure}");
    assert!(failure.contains(r#""status":"sent""#) && failure.contains(r#""status": "read""#), "{failure}");
    assert!(narrate(&report).contains("FAIL: 1 of 2 expectation(s) did not hold"));
}

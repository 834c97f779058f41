//! Every template fixture in `tests/fixtures/templates/` through the real component: validate-template
//! yields exactly the expected problems; each case renders to the expected payload (compared as parsed
//! JSON) and customer text, or yields exactly the expected problems (in any order).

use host_harness::cli_calls;
use integration_tests::{contains, json_fixtures, parsed_payload, plugin, same_problems};
use serde_json::{Value, json};

fn run(fixture: &Value) -> Result<usize, String> {
    let template = &fixture["template"];
    let problems = cli_calls::validate(plugin(), &json!({"template": template}))?;
    same_problems(&fixture["validate"], &problems).map_err(|e| format!("validate-template: {e}"))?;
    let cases = fixture["cases"].as_array().cloned().unwrap_or_default();
    for (i, case) in cases.iter().enumerate() {
        let input = json!({"template": template, "values": case["values"], "target": case["target"]});
        let result = cli_calls::render(plugin(), &input, None).map_err(|e| format!("case {i}: {e}"))?;
        let describe = |e: String| format!("case {i} ({}): {e}", case["description"].as_str().unwrap_or(""));
        match (case["expect"].get("ok"), case["expect"].get("error")) {
            (Some(ok), _) => {
                let Some(actual) = result.get("ok") else {
                    return Err(describe(format!("expected a payload, found {result}")));
                };
                if parsed_payload(&ok["payload"]) != parsed_payload(&actual["payload"]) {
                    return Err(describe(format!(
                        "payload differs\n   expected {}\n   found    {}",
                        parsed_payload(&ok["payload"]),
                        parsed_payload(&actual["payload"])
                    )));
                }
                let mut rest = ok.clone();
                rest.as_object_mut().map(|o| o.remove("payload"));
                contains(&rest, actual, "ok").map_err(describe)?;
            }
            (_, Some(error)) => {
                let Some(actual) = result.get("error") else {
                    return Err(describe(format!("expected problems, found {result}")));
                };
                same_problems(error, actual).map_err(describe)?;
            }
            _ => return Err(describe("the case has no expect.ok or expect.error".into())),
        }
    }
    Ok(cases.len())
}

#[test]
fn every_template_fixture_holds_through_the_component() {
    let fixtures = json_fixtures("templates");
    let mut cases = 0;
    let mut failures = Vec::new();
    for (name, fixture) in &fixtures {
        match run(fixture) {
            Ok(n) => cases += n,
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!("{} templates, {cases} render cases run through the component", fixtures.len());
    assert!(fixtures.len() >= 15, "at least 15 templates, found {}", fixtures.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), fixtures.len(), failures.join("\n\n"));
}

#[test]
fn a_wrong_expectation_is_caught() {
    let (_, mut fixture) = json_fixtures("templates").into_iter().next().expect("a fixture");
    fixture["validate"] = serde_json::json!([{"kind": "too-long"}]);
    assert!(run(&fixture).unwrap_err().contains("validate-template"));
}

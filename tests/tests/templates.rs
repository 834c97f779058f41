//! Every template fixture in `tests/fixtures/templates/` through the real component: validate-template
//! yields exactly the expected problems; each case renders to the expected payload (compared as parsed
//! JSON) and customer text, or yields exactly the expected problems (in any order).

use host_harness::cli_calls;
use integration_tests::{check_render_case, json_fixtures, plugin, same_problems};
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
        check_render_case(&case["expect"], &result).map_err(describe)?;
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

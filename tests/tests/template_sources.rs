//! Every fixture in `tests/fixtures/template-sources/` (Meta's and Twilio's own template JSON) through the real
//! component: `from-provider` gives exactly the expected items (each template, or each item's error with its JSON
//! path); each imported template then gives the expected `validate-template` problems; and each render case,
//! run on the imported template, gives the expected payload (compared as parsed JSON) or problems.

use host_harness::bindings::exports::helpdesk::whatsapp::{templates, types};
use host_harness::cli_calls;
use integration_tests::{check_render_case, contains, json_fixtures, plugin, same_problems};
use serde_json::{Value, json};

/// `templates.from-provider` through the typed bindings: the outer `Err` is the whole source refused.
fn from_provider(
    provider: types::Provider,
    json: String,
    twilio_approvals: Vec<String>,
) -> Result<Vec<Result<templates::ImportedTemplate, types::InvalidInput>>, types::InvalidInput> {
    let request = templates::ImportRequest { provider, json, twilio_approvals, namespace: None };
    plugin()
        .call_typed(|p, s| p.helpdesk_whatsapp_templates().call_from_provider(s, &request))
        .unwrap_or_else(|e| panic!("the component failed: {e}"))
}

/// `templates.from-provider` on a fixture's source, approvals and namespace.
fn import(fixture: &Value) -> Result<Value, String> {
    let approvals: Vec<String> =
        fixture["twilio_approvals"].as_array().into_iter().flatten().map(Value::to_string).collect();
    let request = json!({
        "provider": fixture["request"]["provider"],
        "json": fixture["source"].to_string(),
        "twilio_approvals": approvals,
        "namespace": fixture["request"]["namespace"],
    });
    cli_calls::from_provider(plugin(), request)
}

/// Returns how many render cases ran.
fn run(fixture: &Value) -> Result<usize, String> {
    let result = import(fixture)?;
    contains(&fixture["expect"], &result, "from-provider")?;
    let Some(items) = result["ok"].as_array() else { return Ok(0) };
    let templates: Vec<&Value> = items.iter().filter_map(|i| i.get("ok")).map(|ok| &ok["template"]).collect();
    let expected_validate = fixture["validate"].as_array().cloned().unwrap_or_default();
    if expected_validate.len() != templates.len() {
        return Err(format!(
            "`validate` has {} lists for {} imported templates",
            expected_validate.len(),
            templates.len()
        ));
    }
    for (k, (template, expected)) in templates.iter().zip(&expected_validate).enumerate() {
        let problems = cli_calls::validate(plugin(), &json!({"template": template}))?;
        same_problems(expected, &problems).map_err(|e| format!("validate-template of imported template {k}: {e}"))?;
    }
    let cases = fixture["render"].as_array().cloned().unwrap_or_default();
    for (i, case) in cases.iter().enumerate() {
        let describe = |e: String| format!("render case {i} ({}): {e}", case["description"].as_str().unwrap_or(""));
        let index = case["item"].as_u64().and_then(|n| usize::try_from(n).ok()).unwrap_or(usize::MAX);
        let template = items
            .get(index)
            .and_then(|item| item.get("ok"))
            .map(|ok| ok["template"].clone())
            .ok_or_else(|| describe(format!("item {index} was not imported")))?;
        let input = json!({"template": template, "values": case["values"], "target": case["target"]});
        let result = cli_calls::render(plugin(), &input, None).map_err(describe)?;
        check_render_case(&case["expect"], &result).map_err(describe)?;
    }
    Ok(cases.len())
}

fn all() -> Vec<(String, Value)> {
    let mut fixtures = json_fixtures("template-sources/meta");
    fixtures.extend(json_fixtures("template-sources/twilio"));
    fixtures
}

#[test]
fn every_provider_template_fixture_imports_validates_and_renders() {
    let fixtures = all();
    let mut cases = 0;
    let mut failures = Vec::new();
    for (name, fixture) in &fixtures {
        match run(fixture) {
            Ok(n) => cases += n,
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!("{} provider template sources, {cases} render cases run through the component", fixtures.len());
    assert!(fixtures.len() >= 12, "at least 12 fixtures, found {}", fixtures.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), fixtures.len(), failures.join("\n\n"));
}

#[test]
fn a_wrong_expectation_is_caught() {
    let (_, mut fixture) = all().into_iter().next().expect("a fixture");
    fixture["expect"]["ok"][1]["error"]["field"] = json!("data[1].status");
    assert!(run(&fixture).unwrap_err().contains("from-provider"));
}

#[test]
fn one_msg_and_unreadable_json_are_refused_whole() {
    let refused = from_provider(types::Provider::OneMsg, "{}".into(), vec![]).expect_err("1msg has no template API");
    assert_eq!(refused.field, "provider");
    let refused = from_provider(types::Provider::Twilio, "{\"types\": ".into(), vec!["[]".into()]).expect_err("cut");
    assert_eq!(refused.field, "json");
}

/// Every leaf of `value` replaced, one at a time, by each of `replacements`; with the path of the change.
fn mutations(value: &Value, path: &str, replacements: &[Value], out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let mut inner = Vec::new();
                mutations(child, &format!("{path}.{key}"), replacements, &mut inner);
                for (p, changed) in inner {
                    let mut copy = map.clone();
                    copy.insert(key.clone(), changed);
                    out.push((p, Value::Object(copy)));
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mut inner = Vec::new();
                mutations(child, &format!("{path}[{i}]"), replacements, &mut inner);
                for (p, changed) in inner {
                    let mut copy = items.clone();
                    copy[i] = changed;
                    out.push((p, Value::Array(copy)));
                }
            }
        }
        _ => {
            for r in replacements.iter().filter(|r| *r != value) {
                out.push((path.to_string(), r.clone()));
            }
        }
    }
}

#[test]
fn wrong_types_anywhere_and_cut_json_get_typed_answers_never_a_trap() {
    let replacements = [Value::Null, json!(7), json!("x"), json!([]), json!({})];
    let mut calls = 0;
    for (name, fixture) in all() {
        let mut variants = Vec::new();
        mutations(&fixture["source"], "", &replacements, &mut variants);
        let text = fixture["source"].to_string();
        for cut in (1..20).map(|k| text.len() * k / 20) {
            variants.push((format!("cut at {cut}"), Value::String(text.get(..cut).unwrap_or_default().to_string())));
        }
        for (change, source) in variants {
            let json_text = match &source {
                Value::String(s) if change.starts_with("cut") => s.clone(),
                other => other.to_string(),
            };
            let provider = match fixture["request"]["provider"].as_str() {
                Some("twilio") => types::Provider::Twilio,
                _ => types::Provider::MetaCloud,
            };
            let result = from_provider(provider, json_text, vec![]);
            calls += 1;
            // Typed: every refusal, of the whole source or of one item, names the field.
            let typed = match &result {
                Ok(items) => items.iter().all(|i| i.as_ref().map_or_else(|e| !e.field.is_empty(), |_| true)),
                Err(e) => !e.field.is_empty(),
            };
            assert!(typed, "{name}, {change}: {result:?}");
        }
    }
    println!("{calls} damaged sources answered");
    assert!(calls > 1000, "only {calls} variants");
}

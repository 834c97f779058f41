//! The CLI's template input forms through the real component: values written as the contract's
//! record, as objects keyed by variable, or as a flat object all render the same payload; a template
//! without buttons needs no `buttons`; `select` is callable as the CLI calls it.

use host_harness::cli_calls;
use integration_tests::{fixtures, plugin};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures("templates").join(name)).expect("fixture");
    serde_json::from_str(&text).expect("JSON")
}

fn render(template: &Value, values: &Value, target: &str) -> Value {
    let input = json!({"template": template, "values": values, "target": target});
    cli_calls::render(plugin(), &input, None).expect("the call runs")
}

#[test]
fn every_values_form_renders_the_same_payload() {
    let f = fixture("02-named-utility-order-shipped.json");
    let template = &f["template"];
    let record = f["cases"][0]["values"].clone();
    let expected = render(template, &record, "meta-cloud");
    assert!(expected.get("ok").is_some(), "the record form renders: {expected}");
    let objects = json!({
        "body": {"first_name": "Jessica", "order_id": "SKBUP2-4CPIG9", "delivery_date": "June 14"},
        "buttons": {"0": "SKBUP2-4CPIG9"}
    });
    assert_eq!(render(template, &objects, "meta-cloud"), expected);
    for target in ["meta-cloud", "twilio", "one-msg"] {
        assert_eq!(render(template, &objects, target), render(template, &record, target), "{target}");
    }
}

#[test]
fn a_template_without_buttons_takes_a_flat_object_and_no_buttons() {
    let template = json!({
        "name": "payment_received", "language": "en_US", "category": "utility", "status": "approved",
        "parameter_format": "positional", "body": "Hi {{1}}, we received {{2}}.", "buttons": [],
        "twilio_content_sid": "HX00000000000000000000000000000001"
    });
    let answer = render(&template, &json!({"1": "Ana", "2": "EUR 20.00"}), "meta-cloud");
    assert_eq!(answer["ok"]["text"], "Hi Ana, we received EUR 20.00.", "{answer}");
    // A value missing from the flat form is still the component's problem, not a CLI error.
    let answer = render(&template, &json!({"1": "Ana"}), "meta-cloud");
    assert_eq!(answer["error"][0]["variable"], "2", "{answer}");
    assert_eq!(answer["error"][0]["kind"], "missing", "{answer}");
}

#[test]
fn select_as_the_cli_calls_it() {
    let f = fixture("02-named-utility-order-shipped.json");
    let mut pt = f["template"].clone();
    pt["language"] = json!("pt_BR");
    let input = json!({"approved": [f["template"], pt], "name": "order_shipped", "preferences": ["pt_PT", "pt_BR"]});
    let answer = cli_calls::select(plugin(), &input).expect("the call runs");
    assert_eq!(answer["ok"]["language"], "pt_BR", "{answer}");
    let input = json!({"approved": [f["template"]], "name": "order_shipped", "preferences": ["de_DE"]});
    let answer = cli_calls::select(plugin(), &input).expect("the call runs");
    assert_eq!(answer["error"]["available"], json!(["en_US"]), "{answer}");
}

//! Templates at the CLI's edge: what people write for a template's values, turned into the contract's
//! JSON (`template-values`, README "JSON mapping"), and a rendered payload shown the way the provider
//! receives it. JSON lives here and in the commands only; the simulation speaks typed bindings.

use serde_json::{Map, Value, json};

/// The fields of the WIT record `template-values`, in snake_case.
const VALUE_FIELDS: [&str; 5] = ["body", "header_text", "header_media", "header_location", "buttons"];

/// `values` as the WIT record `template-values`, from any of the forms people write:
/// - the record itself, where `body` may also be an object `{"order_id": "LS-4821"}` (keys are the
///   variables: `1`, `2`, ... or names) and `buttons` an object `{"0": "track/LS-4821"}` (keys are
///   button indexes); `body` and `buttons` may be left out when there are none;
/// - a flat object of body values, `{"1": "Ana", "2": "LS-4821"}`: any object with none of the
///   record's field names (`body`, `header_text`, `header_media`, `header_location`, `buttons`);
/// - nothing (`null` or absent): no values at all.
///
/// Errors name the field: `values.buttons.first: a button index is a whole number from 0`.
pub fn values(input: &Value) -> Result<Value, String> {
    let record = match input {
        Value::Null => Map::new(),
        Value::Object(map) if map.keys().any(|k| VALUE_FIELDS.contains(&k.replace('-', "_").as_str())) => map.clone(),
        Value::Object(map) => Map::from_iter([("body".to_string(), Value::Object(map.clone()))]),
        other => return Err(format!("values: expected an object, found {other}")),
    };
    let mut record: Map<String, Value> = record.into_iter().map(|(k, v)| (k.replace('-', "_"), v)).collect();
    let body = record.remove("body").unwrap_or(Value::Array(Vec::new()));
    record.insert("body".into(), keyed_list(body, "values.body", |key, value| json!({"key": key, "value": value}))?);
    let buttons = record.remove("buttons").unwrap_or(Value::Array(Vec::new()));
    let buttons = keyed_list(buttons, "values.buttons", |index, value| json!({"index": index, "value": value}))?;
    // Object keys are strings; the contract's button index is a number.
    let buttons = buttons
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| match &b["index"] {
            Value::String(s) => s
                .parse::<u32>()
                .map(|i| json!({"index": i, "value": b["value"]}))
                .map_err(|_| format!("values.buttons.{s}: a button index is a whole number from 0")),
            _ => Ok(b.clone()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    record.insert("buttons".into(), Value::Array(buttons));
    Ok(Value::Object(record))
}

/// A list of `{key, value}` records as it is, or an object `{key: "value"}` turned into that list
/// (ordered by key; the component matches values by key, not by position).
fn keyed_list(input: Value, field: &str, entry: impl Fn(&str, &Value) -> Value) -> Result<Value, String> {
    match input {
        Value::Array(_) => Ok(input),
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| match value {
                Value::String(_) => Ok(entry(key, value)),
                other => Err(format!("{field}.{key}: expected a string value, found {other}")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Err(format!("{field}: expected a list of records or an object of values, found {other}")),
    }
}

/// A `rendered` answer as a person reads it: the provider's request fields, then what the customer
/// sees. Twilio's payload is form fields; its `ContentVariables` (a JSON string on the wire) is shown
/// parsed, one variable a line. `--json` prints the answer unchanged, the wire string included.
pub fn rendered_text(rendered: &Value) -> String {
    let provider = rendered["provider"].as_str().unwrap_or_default();
    let payload: Value = rendered["payload"].as_str().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
    let customer_sees = rendered["text"].as_str().unwrap_or_default();
    let request = match (provider, &payload) {
        ("twilio", Value::Object(fields)) => twilio_form_fields(fields),
        _ => format!("{provider} payload:\n{}", serde_json::to_string_pretty(&payload).unwrap_or_default()),
    };
    format!("{request}\n\ncustomer sees:\n{customer_sees}")
}

fn twilio_form_fields(fields: &Map<String, Value>) -> String {
    let mut out = String::from("twilio form fields (added to To, From and the rest of the Messages request):");
    for (name, value) in fields {
        let wire = value.as_str().map_or_else(|| value.to_string(), str::to_string);
        out.push_str(&format!("\n  {name} = {wire}"));
        if name == "ContentVariables" {
            match serde_json::from_str::<Map<String, Value>>(&wire) {
                Ok(variables) => {
                    for (key, value) in &variables {
                        let value = value.as_str().map_or_else(|| value.to_string(), str::to_string);
                        out.push_str(&format!("\n      {{{{{key}}}}} = {value}"));
                    }
                }
                Err(e) => out.push_str(&format!("\n      (not a JSON object: {e})")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_object_is_the_body_values() {
        let v = values(&json!({"name": "Ana", "order_id": "LS-4821"})).unwrap();
        assert_eq!(
            v,
            json!({"body": [{"key": "name", "value": "Ana"}, {"key": "order_id", "value": "LS-4821"}], "buttons": []})
        );
    }

    #[test]
    fn the_record_with_body_and_buttons_as_objects() {
        let v = values(
            &json!({"body": {"1": "Ana"}, "buttons": {"0": "track/1"}, "header-text": {"key": "1", "value": "x"}}),
        )
        .unwrap();
        assert_eq!(v["body"], json!([{"key": "1", "value": "Ana"}]));
        assert_eq!(v["buttons"], json!([{"index": 0, "value": "track/1"}]));
        assert_eq!(v["header_text"], json!({"key": "1", "value": "x"}), "kebab-case keys become snake_case");
    }

    #[test]
    fn the_record_as_the_contract_writes_it_is_kept() {
        let record = json!({"body": [{"key": "1", "value": "Ana"}], "buttons": [{"index": 1, "value": "x"}]});
        assert_eq!(values(&record).unwrap(), record);
        assert_eq!(values(&Value::Null).unwrap(), json!({"body": [], "buttons": []}), "no values, no buttons");
        assert_eq!(values(&json!({"body": []})).unwrap(), json!({"body": [], "buttons": []}), "buttons optional");
    }

    #[test]
    fn bad_values_name_the_field() {
        assert_eq!(
            values(&json!({"buttons": {"first": "x"}})).unwrap_err(),
            "values.buttons.first: a button index is a whole number from 0"
        );
        assert_eq!(values(&json!({"body": {"1": 5}})).unwrap_err(), "values.body.1: expected a string value, found 5");
        assert!(values(&json!(["Ana"])).unwrap_err().starts_with("values: expected an object"));
    }

    #[test]
    fn twilio_is_shown_as_form_fields_with_its_variables_parsed() {
        let rendered = json!({
            "provider": "twilio",
            "payload": json!({"ContentSid": "HX0123", "ContentVariables": "{\"1\":\"Ana\",\"2\":\"LS-4821\"}"}).to_string(),
            "text": "Hi Ana"
        });
        let text = rendered_text(&rendered);
        assert!(text.contains("  ContentSid = HX0123"), "{text}");
        assert!(text.contains("  ContentVariables = {\"1\":\"Ana\",\"2\":\"LS-4821\"}"), "{text}");
        assert!(text.contains("      {{1}} = Ana\n      {{2}} = LS-4821"), "{text}");
        assert!(text.ends_with("customer sees:\nHi Ana"), "{text}");
    }

    #[test]
    fn meta_is_shown_as_its_json_payload() {
        let rendered = json!({"provider": "meta-cloud", "payload": "{\"name\":\"order_update\"}", "text": "Hi"});
        assert!(rendered_text(&rendered).starts_with("meta-cloud payload:\n{\n  \"name\": \"order_update\"\n}"));
    }
}

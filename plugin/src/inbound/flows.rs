//! WhatsApp Flow submissions and address messages: Meta `interactive` of type `nfm_reply`.
//!
//! Shape (Meta "Receiving Flow Response", updated Oct 3, 2025,
//! https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/receiveflowresponse):
//! `interactive: {type: "nfm_reply", nfm_reply: {name: "flow", body: "Sent", response_json: "<JSON text>"}}`,
//! where `response_json` holds `flow_token` and the fields the Flow's JSON (or its endpoint's final
//! payload) defines. Address messages use the same object with `name: "address_message"` (whatsapp-api-js
//! `ServerInteractiveNFMMessage`; Sinch SDK `WhatsAppInteractiveNfmReply`); the keys inside their
//! `response_json` (e.g. `values.in_pin_code`, `values.city`, following the address fields 360dialog lists
//! for address messages) are not shown on a Meta page we could read: unconfirmed, so they are read the
//! same generic way as Flow answers.

use serde_json::Value;

use super::cursor::Cursor;
use super::model::*;

/// Deepest nesting flattened; deeper values are kept whole as JSON text (serde_json already refuses
/// documents nested deeper than 128, so this only keeps field names short).
const MAX_DEPTH: usize = 16;

/// The `nfm_reply` object of an interactive message. A `response_json` that is missing or not a
/// string is an error naming it; one that is not JSON is kept raw with no fields and a note.
pub fn reply(nfm: &Cursor, notes: &mut Vec<String>) -> Result<FlowReply, InboundError> {
    let name = nfm.get("name").opt_str()?.unwrap_or_default();
    let raw_json = nfm.get("response_json").req_str()?;
    let kind = match name.as_str() {
        "flow" => FlowReplyKind::Flow,
        "address_message" => FlowReplyKind::Address,
        _ => FlowReplyKind::Other,
    };
    let mut fields = Vec::new();
    let mut flow_token = None;
    match serde_json::from_str::<Value>(&raw_json) {
        Ok(Value::Object(map)) => {
            for (key, value) in &map {
                if key == "flow_token" {
                    flow_token = value.as_str().map(str::to_string);
                    continue;
                }
                flatten(key.clone(), value, 0, &mut fields);
            }
        }
        Ok(other) => flatten("response".into(), &other, 0, &mut fields),
        Err(_) => notes
            .push("The form's answers (`response_json`) are not JSON: they are shown as sent in `raw-json`.".into()),
    }
    Ok(FlowReply { kind, name, flow_token, body: nfm.get("body").opt_nonempty()?, fields, raw_json })
}

/// Every leaf of `value` under `path`: objects add `.key` (keys in alphabetical order, as serde_json
/// keeps them), arrays `[i]` (in order); an empty object or array is one field with value `{}` / `[]`,
/// so nothing the customer sent goes missing.
fn flatten(path: String, value: &Value, depth: usize, out: &mut Vec<FlowField>) {
    match value {
        Value::Object(map) if !map.is_empty() && depth < MAX_DEPTH => {
            for (key, v) in map {
                flatten(format!("{path}.{key}"), v, depth + 1, out);
            }
        }
        Value::Array(items) if !items.is_empty() && depth < MAX_DEPTH => {
            for (i, v) in items.iter().enumerate() {
                flatten(format!("{path}[{i}]"), v, depth + 1, out);
            }
        }
        Value::String(s) => out.push(FlowField { name: path, value: s.clone() }),
        other => out.push(FlowField { name: path, value: other.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(nfm: &str) -> (FlowReply, Vec<String>) {
        let doc = super::super::cursor::parse(nfm.as_bytes()).unwrap();
        let mut notes = Vec::new();
        (reply(&Cursor::root(doc.get_value()), &mut notes).unwrap(), notes)
    }

    #[test]
    fn a_flow_gives_its_token_and_every_answer_flattened() {
        let (r, notes) = read(
            r#"{"name":"flow","body":"Sent","response_json":"{\"flow_token\":\"T-1\",\"size\":\"M\",\"qty\":2,\"ok\":true,\"address\":{\"city\":\"Lyon\"},\"tags\":[\"a\",\"b\"],\"none\":null,\"empty\":{}}"}"#,
        );
        assert!(notes.is_empty());
        assert_eq!(
            (r.kind, r.flow_token.as_deref(), r.body.as_deref()),
            (FlowReplyKind::Flow, Some("T-1"), Some("Sent"))
        );
        let got: Vec<(&str, &str)> = r.fields.iter().map(|f| (f.name.as_str(), f.value.as_str())).collect();
        assert_eq!(
            got,
            [
                ("address.city", "Lyon"),
                ("empty", "{}"),
                ("none", "null"),
                ("ok", "true"),
                ("qty", "2"),
                ("size", "M"),
                ("tags[0]", "a"),
                ("tags[1]", "b"),
            ]
        );
        assert!(r.raw_json.contains("\"flow_token\":\"T-1\""));
    }

    #[test]
    fn an_address_and_a_broken_response_json() {
        let (r, _) = read(r#"{"name":"address_message","response_json":"{\"values\":{\"city\":\"Pune\"}}"}"#);
        assert_eq!((r.kind, r.flow_token.clone()), (FlowReplyKind::Address, None));
        assert_eq!(r.fields, [FlowField { name: "values.city".into(), value: "Pune".into() }]);
        let (r, notes) = read(r#"{"name":"flow","response_json":"{not json"}"#);
        assert!(r.fields.is_empty() && r.raw_json == "{not json" && notes.len() == 1);
        let doc = super::super::cursor::parse(br#"{"name":"flow","response_json":{"a":1}}"#).unwrap();
        let err = reply(&Cursor::root(doc.get_value()), &mut Vec::new()).unwrap_err();
        assert!(matches!(err, InboundError::MalformedPayload(i) if i.field == "response_json"));
    }

    #[test]
    fn deep_nesting_stops_flattening_without_failing() {
        let mut json = String::from("1");
        for _ in 0..40 {
            json = format!("{{\"k\":{json}}}");
        }
        let mut out = Vec::new();
        flatten("r".into(), &serde_json::from_str(&json).unwrap(), 0, &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].value.starts_with("{\"k\""));
    }
}

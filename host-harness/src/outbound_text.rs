//! The CLI's text for `outbound` answers: a composed request as a person reads it (the HTTP request line,
//! headers, where the credential goes, and the body: JSON pretty-printed, a form one field a line), or the
//! problems the agent must act on, each with its suggestion. `--json` prints the answer unchanged.

use serde_json::Value;

/// A `compose-answer` (or a `read-answer`'s request) in words.
pub fn compose_answer(answer: &Value) -> String {
    let mut out = String::new();
    if let Some(request) = answer.get("request").filter(|r| !r.is_null()) {
        out.push_str(&request_text(request));
    }
    let problems = answer["problems"].as_array().cloned().unwrap_or_default();
    if !problems.is_empty() {
        out.push_str("not sent: fix these first\n");
        for p in &problems {
            let kind = p["kind"].as_str().unwrap_or_default();
            let field = p["field"].as_str().unwrap_or_default();
            out.push_str(&format!("  ✗ {kind} ({field}): {}\n", p["detail"].as_str().unwrap_or_default()));
            if let Some(suggestion) = p["suggestion"].as_str().filter(|s| !s.is_empty()) {
                out.push_str(&format!("    → {suggestion}\n"));
            }
            let codes: Vec<String> = [("Meta", "prevents_meta_error"), ("Twilio", "prevents_twilio_error")]
                .iter()
                .filter_map(|(who, key)| p[*key].as_u64().map(|c| format!("{who} {c}")))
                .collect();
            if !codes.is_empty() {
                out.push_str(&format!("    prevents {}\n", codes.join(", ")));
            }
        }
    }
    for problem in answer["template_problems"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  ✗ template {}: {}\n",
            problem["kind"].as_str().unwrap_or_default(),
            problem["detail"].as_str().unwrap_or_default()
        ));
    }
    for note in answer["notes"].as_array().into_iter().flatten() {
        out.push_str(&format!("  note: {}\n", note.as_str().unwrap_or_default()));
    }
    out.trim_end().to_string()
}

/// An `http-request` as the lines an HTTP client sends, the body readable.
pub fn request_text(request: &Value) -> String {
    let text = |key: &str| request[key].as_str().unwrap_or_default().to_string();
    let mut out = format!("{} {}{}\n", text("method"), text("base_url"), text("path"));
    for header in request["headers"].as_array().into_iter().flatten() {
        out.push_str(&format!("{}: {}\n", text_of(&header["name"]), text_of(&header["value"])));
    }
    let credentials = match request["credentials"].as_str() {
        Some("bearer-header") => "Authorization: Bearer <your access token>",
        Some("basic-auth") => "Authorization: Basic <account SID:auth token>",
        Some("query-token") => "?token=<your API token> (added to the URL)",
        _ => "",
    };
    if !credentials.is_empty() {
        out.push_str(&format!("{credentials}   (the host adds it; the component never sees it)\n"));
    }
    let body = text("body");
    let content_type = text("content_type");
    out.push('\n');
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (name, value) in form_urlencoded::parse(body.as_bytes()) {
            out.push_str(&format!("  {name} = {value}\n"));
        }
    } else if let Ok(json) = serde_json::from_str::<Value>(&body) {
        out.push_str(&serde_json::to_string_pretty(&json).unwrap_or(body));
        out.push('\n');
    } else {
        out.push_str(&body);
        out.push('\n');
    }
    out
}

/// A `provider-response` as the CLI and the fixtures write it, made into the contract's record: a
/// `body` given as JSON becomes its text, and `call` defaults to `compose`.
pub fn provider_response(mut input: Value) -> Value {
    if let Some(object) = input.as_object_mut() {
        if let Some(body) = object.get("body").filter(|b| !b.is_string()) {
            let text = body.to_string();
            object.insert("body".into(), Value::String(text));
        }
        object.entry("call").or_insert_with(|| Value::String("compose".into()));
    }
    input
}

/// A `send-outcome` in one line: `sent wamid.… (accepted)` or
/// `failed 131047 outside-window, retry: no — <hint>`.
pub fn send_outcome(outcome: &Value) -> String {
    if let Some(sent) = outcome.get("sent") {
        let id = sent["message_id"].as_str().unwrap_or("(no message id: acknowledged)");
        return match sent["status"].as_str() {
            Some(status) => format!("sent {id} ({status})"),
            None => format!("sent {id}"),
        };
    }
    if let Some(f) = outcome.get("failed") {
        let retry = if f["retryable"].as_bool() == Some(true) { "yes" } else { "no" };
        let mut out = format!(
            "failed {} {}, retry: {retry} — {}",
            text_of(&f["error"]["code"]),
            f["reason"].as_str().unwrap_or_default(),
            f["hint"].as_str().unwrap_or_default()
        );
        if let Some(title) = f["error"]["title"].as_str() {
            out.push_str(&format!("\n  provider said: {title}"));
        }
        if let Some(detail) = f["error"]["detail"].as_str() {
            out.push_str(&format!(" ({detail})"));
        }
        return out;
    }
    outcome.to_string()
}

fn text_of(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_twilio_request_shows_its_form_fields_and_where_the_token_goes() {
        let answer = json!({"request": {"method": "POST", "base_url": "https://api.twilio.com",
            "path": "/2010-04-01/Accounts/AC1/Messages.json", "content_type": "application/x-www-form-urlencoded",
            "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
            "body": "To=whatsapp%3A%2B15551230001&Body=Hi+Ana", "credentials": "basic-auth"},
            "problems": [], "template_problems": [], "notes": []});
        let text = compose_answer(&answer);
        assert!(text.starts_with("POST https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json\n"), "{text}");
        assert!(text.contains("Authorization: Basic <account SID:auth token>"), "{text}");
        assert!(text.contains("  To = whatsapp:+15551230001\n  Body = Hi Ana"), "{text}");
    }

    #[test]
    fn problems_come_with_what_to_do_and_the_error_they_prevent() {
        let answer = json!({"request": null, "problems": [{"kind": "media-too-large", "field": "content.media.size-bytes",
            "detail": "20 MB is over Twilio's 16 MB", "suggestion": "send a link to the file instead",
            "prevents_meta_error": null, "prevents_twilio_error": 63019}], "template_problems": [], "notes": []});
        let text = compose_answer(&answer);
        assert!(text.contains("✗ media-too-large (content.media.size-bytes): 20 MB is over Twilio's 16 MB"), "{text}");
        assert!(text.contains("→ send a link to the file instead"), "{text}");
        assert!(text.contains("prevents Twilio 63019"), "{text}");
    }

    #[test]
    fn a_send_outcome_reads_in_one_line() {
        let sent = json!({"sent": {"message_id": "wamid.A1", "status": "accepted", "wa_id": "1"}});
        assert_eq!(send_outcome(&sent), "sent wamid.A1 (accepted)");
        let failed = json!({"failed": {"error": {"code": 131047, "title": "Re-engagement message", "detail": null},
            "reason": "outside-window", "retryable": false, "hint": "Send a template."}});
        assert_eq!(
            send_outcome(&failed),
            "failed 131047 outside-window, retry: no — Send a template.\n  provider said: Re-engagement message"
        );
    }

    #[test]
    fn a_json_body_becomes_text_and_call_defaults_to_compose() {
        let r = provider_response(json!({"provider": "twilio", "status": 201, "body": {"sid": "SM1"}}));
        assert_eq!(r["body"], "{\"sid\":\"SM1\"}");
        assert_eq!(r["call"], "compose");
    }

    #[test]
    fn a_json_body_is_pretty_printed() {
        let request = json!({"method": "POST", "base_url": "https://graph.facebook.com", "path": "/v26.0/1/messages",
            "content_type": "application/json", "headers": [], "body": "{\"type\":\"text\"}", "credentials": "bearer-header"});
        assert!(request_text(&request).ends_with("{\n  \"type\": \"text\"\n}\n"));
    }
}

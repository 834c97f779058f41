//! The simulated 1msg's send endpoints, `POST /{instance}/{method}` on the channel's API URL: JSON read
//! with serde_json; the calls of 1msg's public OpenAPI ("1MSG WhatsApp Business API (Public)",
//! https://docs.1msg.io/): `sendMessage` (`body`, `phone` or `chatId`, `quotedMsgId`), `sendFile` (`body`
//! the file's URL with `filename`, or `mediaId` with `mediaType`; `caption`), `sendLocation` (`lat`,
//! `lng`, `name`, `address`), `sendReaction` (`body` the emoji, `quotedMsgId`), `sendList` (`body`,
//! `buttonText`, `sections`), `sendTemplate` (`namespace`, `template`, `language`, `params`). Answers:
//! `{"sent": true, "id", "message"}` (its `MessageSentResponse`) or `{"error"}` (its `ErrorResponse`);
//! the HTTP status 1msg gives a refused body is not documented there: 400 here (unconfirmed).
//!
//! 1msg relays the Cloud API, so the message limits are Meta's (`meta_send.rs`, this simulation's own copy).

use serde_json::{Value, json};

use super::meta_send::{
    CAPTION_MAX, LIST_BODY_MAX, LIST_BUTTON_MAX, LIST_ROWS_MAX, LIST_SECTIONS_MAX, ROW_DESCRIPTION_MAX, ROW_ID_MAX,
    ROW_TITLE_MAX, SECTION_TITLE_MAX, TEXT_MAX, media_rule,
};
use super::send::{Accepted, HttpRequest, HttpResponse, Refusal, chars, essence};
use super::{ONE_MSG_INSTANCE, Provider, digits};

fn refuse(message: impl Into<String>) -> Refusal {
    let message = message.into();
    Refusal::new(400, 400, &message, message.clone())
}

/// A text within `max` characters; `required` refuses an empty or missing one.
fn within(v: &Value, field: &str, max: usize, required: bool) -> Result<(), Refusal> {
    match v.as_str() {
        None if !required && v.is_null() => Ok(()),
        None => Err(refuse(format!("{field} is required"))),
        Some(s) if required && s.trim().is_empty() => Err(refuse(format!("{field} is required"))),
        Some(s) if chars(s) > max => Err(refuse(format!("{field} is longer than {max} characters"))),
        Some(_) => Ok(()),
    }
}

impl Provider {
    /// Read a send request as 1msg does.
    pub(super) fn one_msg_read(&self, r: &HttpRequest) -> Result<Accepted, Refusal> {
        let segments: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
        let method = match segments.as_slice() {
            [instance, method] if *instance == ONE_MSG_INSTANCE && r.method == "POST" => *method,
            _ => return Err(Refusal::new(404, 404, "Not found", r.path.clone())),
        };
        if essence(&r.content_type) != "application/json" {
            return Err(refuse("the body must be application/json"));
        }
        let b: Value = serde_json::from_slice(&r.body).map_err(|e| refuse(format!("the body is not JSON: {e}")))?;
        // `phone`: country code and digits; `chatId`: `<digits>@c.us`, `<group>@g.us`, `<BSUID>@lid`.
        let (to, input) = match (b["phone"].as_str(), b["chatId"].as_str()) {
            (Some(p), _) if !digits(p).is_empty() => (format!("+{}", digits(p)), p.to_string()),
            (_, Some(c)) if c.ends_with("@g.us") => (format!("group:{}", c.trim_end_matches("@g.us")), c.to_string()),
            (_, Some(c)) if c.ends_with("@lid") => (c.trim_end_matches("@lid").to_string(), c.to_string()),
            (_, Some(c)) if c.ends_with("@c.us") => (format!("+{}", digits(c)), c.to_string()),
            _ => return Err(refuse("phone or chatId is required")),
        };
        let mut late_failure = None;
        let what = match method {
            "sendMessage" => {
                within(&b["body"], "body", TEXT_MAX, true)?;
                "free-form".to_string()
            }
            "sendFile" => {
                let (link, id) = (b["body"].as_str(), b["mediaId"].as_str());
                if link.is_some() == id.is_some() {
                    return Err(refuse("sendFile takes body (a URL) or mediaId"));
                }
                if link.is_some() {
                    // "filename: ... required when sending by URL" (the OpenAPI's SendFileRequest).
                    within(&b["filename"], "filename", usize::MAX, true)?;
                }
                within(&b["caption"], "caption", CAPTION_MAX, false)?;
                late_failure = self.one_msg_media_failure(&b, link, id);
                "free-form file".into()
            }
            "sendLocation" => {
                let number = |k: &str| b[k].as_str().and_then(|s| s.parse::<f64>().ok()).or(b[k].as_f64());
                if number("lat").is_none_or(|v| !(-90.0..=90.0).contains(&v))
                    || number("lng").is_none_or(|v| !(-180.0..=180.0).contains(&v))
                {
                    return Err(refuse("lat and lng are required"));
                }
                "free-form location".into()
            }
            "sendReaction" => {
                within(&b["body"], "body", usize::MAX, true)?;
                within(&b["quotedMsgId"], "quotedMsgId", usize::MAX, true)?;
                "free-form reaction".into()
            }
            "sendList" => {
                within(&b["body"], "body", LIST_BODY_MAX, true)?;
                within(&b["buttonText"], "buttonText", LIST_BUTTON_MAX, true)?;
                let sections = b["sections"].as_array().map_or(&[][..], Vec::as_slice);
                let rows: Vec<&Value> =
                    sections.iter().flat_map(|s| s["rows"].as_array().into_iter().flatten()).collect();
                if sections.is_empty()
                    || sections.len() > LIST_SECTIONS_MAX
                    || rows.is_empty()
                    || rows.len() > LIST_ROWS_MAX
                {
                    return Err(refuse(format!(
                        "a list has 1 to {LIST_SECTIONS_MAX} sections and 1 to {LIST_ROWS_MAX} rows"
                    )));
                }
                for s in sections {
                    within(&s["title"], "sections[].title", SECTION_TITLE_MAX, sections.len() > 1)?;
                }
                let mut ids = Vec::new();
                for row in rows {
                    within(&row["id"], "rows[].id", ROW_ID_MAX, true)?;
                    within(&row["title"], "rows[].title", ROW_TITLE_MAX, true)?;
                    within(&row["description"], "rows[].description", ROW_DESCRIPTION_MAX, false)?;
                    if ids.contains(&&row["id"]) {
                        return Err(refuse("row ids must be unique"));
                    }
                    ids.push(&row["id"]);
                }
                "free-form list".into()
            }
            "sendTemplate" => {
                let found = self.templates.iter().find(|t| {
                    b["template"] == t.name.as_str() && b["namespace"] == t.namespace.as_deref().unwrap_or("")
                });
                // 1msg relays the Cloud API's template components as `params`, and its errors with them.
                self.cloud_api_template_verdict(found, &b["params"], "")?
            }
            other => return Err(Refusal::new(404, 404, "Not found", format!("no method `{other}`"))),
        };
        let free_form = method != "sendTemplate";
        Ok(Accepted { to, what, free_form, late_failure, input })
    }

    /// The file 1msg fetches, checked with the Cloud API's rules for its kind (`mediaType`, or the
    /// type the file is served with); an unreachable file or one the kind does not take fails by ack.
    fn one_msg_media_failure(&self, b: &Value, link: Option<&str>, id: Option<&str>) -> Option<(u32, String)> {
        let failed = Some((131053, "Media upload error".to_string()));
        let Some(file) = self.fetch(link, id) else { return failed };
        let mime = essence(&file.mime_type);
        let kind = b["mediaType"].as_str().map(str::to_string).unwrap_or_else(|| {
            match mime.split('/').next().unwrap_or_default() {
                "image" | "video" | "audio" => mime.split('/').next().unwrap_or_default().to_string(),
                _ => "document".to_string(),
            }
        });
        let Some((types, max)) = media_rule(&kind, file.animated) else { return failed };
        if !types.contains(&mime.as_str()) || file.size_bytes > max { failed } else { None }
    }
}

/// `MessageSentResponse`.
pub(super) fn success(id: &str, a: &Accepted) -> HttpResponse {
    let body = json!({"sent": true, "id": id, "message": format!("Sent to {}", a.input)});
    HttpResponse { status: 200, body: body.to_string().into_bytes() }
}

/// `ErrorResponse`.
pub(super) fn error(r: &Refusal) -> HttpResponse {
    let text = if r.details.is_empty() || r.details == r.message {
        r.message.clone()
    } else {
        format!("{}: {}", r.message, r.details)
    };
    HttpResponse { status: r.status, body: json!({"error": text}).to_string().into_bytes() }
}

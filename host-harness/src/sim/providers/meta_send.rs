//! The simulated Meta Cloud API's send endpoint, `POST /{version}/{phone-number-id}/messages`: the
//! JSON body read with serde_json, Meta's rules applied, and Meta's answers: `{"messaging_product",
//! "contacts", "messages": [{"id"}]}` on success, `{"error": {"message", "type", "code", "error_data":
//! {"messaging_product", "details"}, "fbtrace_id"}}` with HTTP 400 on a refusal (Meta "WhatsApp error
//! codes", Jun 18, 2026, https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/).
//!
//! Every limit below is written from the page it names; none is shared with the plugin.

use serde_json::{Value, json};

use super::send::{Accepted, HostedFile, HttpRequest, HttpResponse, Refusal, chars, essence};
use super::{META_PHONE_NUMBER_ID, Provider, digits};

/// Text body: "Maximum 4096 characters". Meta, Text messages (Jul 2, 2026),
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/text-messages/
pub const TEXT_MAX: usize = 4096;
/// Media caption: "Maximum 1024 characters". Meta, Image messages (Jun 24, 2026),
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages/
pub const CAPTION_MAX: usize = 1024;

/// Reply buttons: "up to 3" (Meta, Sending Interactive Messages,
/// https://developers.facebook.com/docs/whatsapp/guides/interactive-messages/); a title at most 20
/// characters, unique in the message, an id at most 256 (WhatsApp's own Node.js SDK, Reply Buttons
/// Object, https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/types/ButtonObject); body at most
/// 1024, footer at most 60 (same SDK, Interactive Object,
/// https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/types/InteractiveObject).
pub const BUTTONS_MAX: usize = 3;
pub const BUTTON_TITLE_MAX: usize = 20;
pub const BUTTON_ID_MAX: usize = 256;
pub const BUTTONS_BODY_MAX: usize = 1024;
pub const HEADER_MAX: usize = 60;
pub const FOOTER_MAX: usize = 60;

/// Lists: "up to 10 sections, with up to 10 rows for all sections combined"; button label at most 20,
/// body at most 4096, header and footer at most 60, row id 200, row title 24, row description 72, a
/// section title required when there is more than one section (24). Meta, Interactive list messages,
/// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages (section
/// title length from whatsapp-api-js `ListSection`, https://whatsappapijs.web.app/classes/messages.ListSection.html).
pub const LIST_SECTIONS_MAX: usize = 10;
pub const LIST_ROWS_MAX: usize = 10;
pub const LIST_BUTTON_MAX: usize = 20;
pub const LIST_BODY_MAX: usize = 4096;
pub const ROW_ID_MAX: usize = 200;
pub const ROW_TITLE_MAX: usize = 24;
pub const ROW_DESCRIPTION_MAX: usize = 72;
pub const SECTION_TITLE_MAX: usize = 24;

/// Media per kind: accepted MIME types and the largest file (decimal MB read as the smaller number is
/// not assumed here: 1 MB = 1,000,000 bytes, 1 KB = 1,000 bytes, as the page writes "5 MB", "100 KB").
/// Meta's "Supported media types", as AWS End User Messaging copies it
/// (https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html): audio AAC,
/// AMR, MP3, MP4 audio, OGG 16 MB; documents text, Excel, Word, PowerPoint, PDF 100 MB; images JPEG,
/// PNG 5 MB; stickers WebP 100 KB static, 500 KB animated; video 3GPP (`video/3gp` there, `video/3gpp`
/// in Meta's own table as VTEX copies it) and MP4 16 MB.
pub fn media_rule(kind: &str, animated: bool) -> Option<(&'static [&'static str], u64)> {
    Some(match kind {
        "image" => (&["image/jpeg", "image/png"], 5_000_000),
        "video" => (&["video/mp4", "video/3gpp", "video/3gp"], 16_000_000),
        "audio" => (&["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"], 16_000_000),
        "document" => (
            &[
                "text/plain",
                "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.ms-powerpoint",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/pdf",
            ],
            100_000_000,
        ),
        "sticker" if animated => (&["image/webp"], 500_000),
        "sticker" => (&["image/webp"], 100_000),
        _ => return None,
    })
}

/// Meta 100 "Invalid parameter" (HTTP 400): what a field over its limit or missing gets.
fn invalid(details: impl Into<String>) -> Refusal {
    Refusal::new(400, 100, "(#100) Invalid parameter", details)
}

fn text_of<'a>(v: &'a Value, field: &str) -> Result<&'a str, Refusal> {
    v.as_str().ok_or_else(|| invalid(format!("Param {field} must be a string")))
}

/// A text field within `max` characters; `required` refuses an empty one.
fn within(v: &Value, field: &str, max: usize, required: bool) -> Result<(), Refusal> {
    if v.is_null() && !required {
        return Ok(());
    }
    let s = text_of(v, field)?;
    if required && s.trim().is_empty() {
        return Err(invalid(format!("Param {field} is required")));
    }
    if chars(s) > max {
        return Err(invalid(format!("Param {field} must be at most {max} characters long")));
    }
    Ok(())
}

impl Provider {
    /// Read a send request as Meta does.
    pub(super) fn meta_read(&self, r: &HttpRequest) -> Result<Accepted, Refusal> {
        let segments: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
        let path_ok =
            r.method == "POST" && segments.len() == 3 && segments[0].starts_with('v') && segments[2] == "messages";
        if !path_ok {
            return Err(Refusal::new(400, 100, "Unsupported post request", format!("{} {}", r.method, r.path)));
        }
        if segments[1] != META_PHONE_NUMBER_ID {
            return Err(Refusal::new(
                400,
                100,
                "Unsupported post request",
                format!("Object with ID '{}' does not exist", segments[1]),
            ));
        }
        if !essence(&r.content_type).eq("application/json") {
            return Err(invalid("the body must be application/json"));
        }
        let body: Value = serde_json::from_slice(&r.body).map_err(|e| invalid(format!("the body is not JSON: {e}")))?;
        if body["messaging_product"] != "whatsapp" {
            return Err(invalid("Param messaging_product must be whatsapp"));
        }
        let group = body["recipient_type"] == "group";
        let (to, input) = match (&body["to"], &body["recipient"]) {
            (Value::String(id), _) if group => (format!("group:{id}"), id.clone()),
            (Value::String(phone), _) if !digits(phone).is_empty() => (format!("+{}", digits(phone)), phone.clone()),
            (_, Value::String(bsuid)) if !group => (bsuid.clone(), bsuid.clone()),
            _ => return Err(invalid("Param to is required")),
        };
        let kind = body["type"].as_str().unwrap_or("text");
        let m = &body[kind];
        // Groups: "Supported message types: Text, media, text-based templates, and media-based templates"
        // (Meta, Groups API, Quick Facts, Nov 14, 2025, as chatarchitect copies the page). The code Meta answers
        // for another type was not read: 130501 ("not supported in a group", as the project's domain notes give
        // it) is unconfirmed.
        let group_types = ["text", "image", "video", "audio", "document", "sticker", "template"];
        if group && !group_types.contains(&kind) {
            return Err(Refusal::new(400, 130501, "Message type is not supported in groups", format!("type `{kind}`")));
        }
        let mut late_failure = None;
        let what = match kind {
            "text" => {
                within(&m["body"], "text.body", TEXT_MAX, true)?;
                "free-form".to_string()
            }
            "image" | "video" | "audio" | "document" | "sticker" => {
                let (link, id) = (m["link"].as_str(), m["id"].as_str());
                if link.is_some() == id.is_some() {
                    return Err(invalid(format!("Param {kind} needs exactly one of link or id")));
                }
                within(&m["caption"], &format!("{kind}.caption"), CAPTION_MAX, false)?;
                late_failure = self.meta_media_failure(kind, link, id);
                format!("free-form {kind}")
            }
            "location" => {
                let lat = m["latitude"].as_f64().filter(|v| (-90.0..=90.0).contains(v));
                let lng = m["longitude"].as_f64().filter(|v| (-180.0..=180.0).contains(v));
                if lat.is_none() || lng.is_none() {
                    return Err(invalid("Param location.latitude and location.longitude are required"));
                }
                "free-form location".into()
            }
            "contacts" => {
                let cards =
                    m.as_array().filter(|a| !a.is_empty()).ok_or_else(|| invalid("Param contacts is required"))?;
                for (i, c) in cards.iter().enumerate() {
                    within(
                        &c["name"]["formatted_name"],
                        &format!("contacts[{i}].name.formatted_name"),
                        usize::MAX,
                        true,
                    )?;
                }
                "free-form contacts".into()
            }
            "interactive" => {
                interactive(m)?;
                format!("free-form {}", m["type"].as_str().unwrap_or("interactive"))
            }
            "reaction" => {
                within(&m["message_id"], "reaction.message_id", usize::MAX, true)?;
                text_of(&m["emoji"], "reaction.emoji")?;
                "free-form reaction".into()
            }
            "template" => {
                let (name, language) = (m["name"].as_str(), m["language"]["code"].as_str());
                let found = self
                    .templates
                    .iter()
                    .find(|t| Some(t.name.as_str()) == name && Some(t.language.as_str()) == language);
                self.cloud_api_template_verdict(found, &m["components"], &format!("template {}", name.unwrap_or("?")))?
            }
            // Meta 131051 "Unsupported message type" (WhatsApp error codes).
            other => return Err(Refusal::new(400, 131051, "Unsupported message type", format!("type `{other}`"))),
        };
        let free_form = kind != "template";
        Ok(Accepted { to, what, free_form, late_failure, input })
    }

    /// What Meta finds when it fetches the file: a link it cannot reach (131052 "Media download error"),
    /// or a type or size the kind does not take (131053 "Media upload error"); both reported by webhook.
    fn meta_media_failure(&self, kind: &str, link: Option<&str>, id: Option<&str>) -> Option<(u32, String)> {
        let Some(file) = self.fetch(link, id) else {
            return Some((131052, "Media download error".into()));
        };
        let HostedFile { mime_type, size_bytes, animated } = file;
        let (types, max) = media_rule(kind, animated)?;
        if !types.contains(&essence(&mime_type).as_str()) || size_bytes > max {
            return Some((131053, "Media upload error".into()));
        }
        None
    }
}

/// Reply buttons and lists, as the pages above limit them.
fn interactive(m: &Value) -> Result<(), Refusal> {
    within(&m["header"]["text"], "interactive.header.text", HEADER_MAX, false)?;
    within(&m["footer"]["text"], "interactive.footer.text", FOOTER_MAX, false)?;
    match m["type"].as_str() {
        Some("button") => {
            within(&m["body"]["text"], "interactive.body.text", BUTTONS_BODY_MAX, true)?;
            let buttons = m["action"]["buttons"].as_array().map_or(&[][..], Vec::as_slice);
            if buttons.is_empty() || buttons.len() > BUTTONS_MAX {
                return Err(invalid(format!("Param interactive.action.buttons must have 1 to {BUTTONS_MAX} elements")));
            }
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for (i, b) in buttons.iter().enumerate() {
                within(
                    &b["reply"]["title"],
                    &format!("interactive.action.buttons[{i}].reply.title"),
                    BUTTON_TITLE_MAX,
                    true,
                )?;
                within(&b["reply"]["id"], &format!("interactive.action.buttons[{i}].reply.id"), BUTTON_ID_MAX, true)?;
                let (id, title) = (b["reply"]["id"].as_str().unwrap_or(""), b["reply"]["title"].as_str().unwrap_or(""));
                if seen.iter().any(|(i2, t2)| *i2 == id || *t2 == title) {
                    return Err(invalid(format!("Param interactive.action.buttons[{i}] duplicates another button")));
                }
                seen.push((id, title));
            }
            Ok(())
        }
        Some("list") => {
            within(&m["body"]["text"], "interactive.body.text", LIST_BODY_MAX, true)?;
            within(&m["action"]["button"], "interactive.action.button", LIST_BUTTON_MAX, true)?;
            let sections = m["action"]["sections"].as_array().map_or(&[][..], Vec::as_slice);
            if sections.is_empty() || sections.len() > LIST_SECTIONS_MAX {
                return Err(invalid(format!(
                    "Param interactive.action.sections must have 1 to {LIST_SECTIONS_MAX} elements"
                )));
            }
            let mut ids: Vec<&str> = Vec::new();
            for (s, section) in sections.iter().enumerate() {
                within(&section["title"], &format!("sections[{s}].title"), SECTION_TITLE_MAX, sections.len() > 1)?;
                for (i, row) in section["rows"].as_array().into_iter().flatten().enumerate() {
                    within(&row["id"], &format!("sections[{s}].rows[{i}].id"), ROW_ID_MAX, true)?;
                    within(&row["title"], &format!("sections[{s}].rows[{i}].title"), ROW_TITLE_MAX, true)?;
                    within(
                        &row["description"],
                        &format!("sections[{s}].rows[{i}].description"),
                        ROW_DESCRIPTION_MAX,
                        false,
                    )?;
                    let id = row["id"].as_str().unwrap_or("");
                    if ids.contains(&id) {
                        return Err(invalid(format!("Param sections[{s}].rows[{i}].id duplicates another row")));
                    }
                    ids.push(id);
                }
            }
            if ids.is_empty() || ids.len() > LIST_ROWS_MAX {
                return Err(invalid(format!("a list has 1 to {LIST_ROWS_MAX} rows across its sections")));
            }
            Ok(())
        }
        _ => Err(Refusal::new(400, 131051, "Unsupported message type", "interactive.type")),
    }
}

/// 200 with the message id (and `message_status` for a template, as Meta's send response gives it).
pub(super) fn success(id: &str, a: &Accepted) -> HttpResponse {
    let mut message = json!({"id": id});
    if a.what.starts_with("template ") {
        message["message_status"] = json!("accepted");
    }
    // `wa_id` for a phone recipient only: a group or a business-scoped user id is no WhatsApp number.
    let contact = if a.to.starts_with('+') {
        json!({"input": a.input, "wa_id": digits(&a.input)})
    } else {
        json!({"input": a.input})
    };
    let body = json!({"messaging_product": "whatsapp", "contacts": [contact], "messages": [message]});
    HttpResponse { status: 200, body: body.to_string().into_bytes() }
}

/// The Graph API error object.
pub(super) fn error(r: &Refusal) -> HttpResponse {
    let message = if r.message.starts_with("(#") { r.message.clone() } else { format!("(#{}) {}", r.code, r.message) };
    let body = json!({"error": {"message": message, "type": "OAuthException", "code": r.code,
        "error_data": {"messaging_product": "whatsapp", "details": r.details}, "fbtrace_id": "ASimTraceId00000001"}});
    HttpResponse { status: r.status, body: body.to_string().into_bytes() }
}

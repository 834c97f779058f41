//! Twilio Content resources, `GET /v1/Content` answers and their approval requests.

use serde_json::Value;

use super::{ImportedTemplate, ItemResult, Node, category, expiry_footer, format_of, phone};
use crate::error::InvalidInput;
use crate::templates::model::*;
use crate::templates::vars::keys;
use crate::types::MessageCategory;

/// One Content resource, or the `GET /v1/Content` list answer (`contents`), item by item, each with its
/// approval request when one of `approvals` has its `sid`.
pub fn from_twilio(root: &Value, approvals: &[Value]) -> Result<Vec<ItemResult>, InvalidInput> {
    let node = Node::root(root, "");
    let object = node.object()?;
    let approval_for = |sid: Option<&str>| -> Option<usize> {
        sid.and_then(|sid| approvals.iter().position(|a| a.get("sid").and_then(Value::as_str) == Some(sid)))
    };
    let one = |item: &Node| -> ItemResult {
        let sid = item.get("sid").opt_str().ok().flatten();
        match approval_for(sid) {
            Some(i) => match approvals.get(i) {
                Some(a) => twilio_template(item, Some(&Node::root(a, &format!("twilio-approvals[{i}]")))),
                None => twilio_template(item, None),
            },
            None => twilio_template(item, None),
        }
    };
    if object.contains_key("contents") {
        return Ok(node.get("contents").items()?.iter().map(one).collect());
    }
    if object.contains_key("types") {
        return Ok(vec![one(&node)]);
    }
    Err(node.err("neither a Twilio Content resource (`types`) nor a Content list answer (`contents`)"))
}

/// Content types a WhatsApp template can be made of here, richest first: when a resource holds several
/// (e.g. `twilio/quick-reply` with a `twilio/text` fallback), WhatsApp gets the richest.
const REPRESENTABLE: [&str; 6] = [
    "whatsapp/authentication",
    "whatsapp/card",
    "twilio/call-to-action",
    "twilio/quick-reply",
    "twilio/media",
    "twilio/text",
];

fn twilio_template(node: &Node, approval: Option<&Node>) -> ItemResult {
    node.object()?;
    let sid_node = node.get("sid");
    let sid = sid_node.req_str()?;
    // Content API: `sid` matches ^HX[0-9a-fA-F]{32}$.
    if !(sid.len() == 34 && sid.starts_with("HX") && sid.chars().skip(2).all(|c| c.is_ascii_hexdigit())) {
        return Err(sid_node.not_a(sid, "a Content SID (HX and 32 hex digits)"));
    }
    let language = node.get("language").req_str()?.to_string();
    let types_node = node.get("types");
    let types = types_node.object()?;
    let variables = node.get("variables");
    if variables.value.is_some() {
        variables.object()?;
    }
    let mut notes = Vec::new();

    let whatsapp = approval.map(|a| a.get("whatsapp"));
    let approved_type = match &whatsapp {
        Some(w) => w.get("content_type").opt_str()?,
        None => None,
    };
    let chosen = match approved_type {
        Some(t) => {
            if !types.contains_key(t) {
                return Err(whatsapp
                    .as_ref()
                    .map(|w| w.get("content_type"))
                    .map_or_else(|| types_node.err("missing"), |n| n.not_a(t, "among the resource's types")));
            }
            // The approved type is what WhatsApp shows: one the record cannot hold is refused, never
            // imported as a partial template.
            if !REPRESENTABLE.contains(&t) {
                return Err(types_node.get(t).unrepresentable(t, "the template record"));
            }
            t.to_string()
        }
        None => {
            let present: Vec<&String> = types.keys().collect();
            match REPRESENTABLE.iter().find(|t| types.contains_key(**t)) {
                Some(t) => {
                    // A richer type the record cannot hold beside it (e.g. list-picker with a text fallback)
                    // would be what WhatsApp shows: refuse rather than import the fallback.
                    if let Some(other) = present.iter().find(|k| !REPRESENTABLE.contains(&k.as_str())) {
                        return Err(types_node.get(other).unrepresentable(other, "the template record"));
                    }
                    t.to_string()
                }
                None => match present.first() {
                    Some(other) => {
                        return Err(types_node.get(other).unrepresentable(other, "the template record"));
                    }
                    None => return Err(types_node.err("no content type")),
                },
            }
        }
    };
    let content = types_node.get(&chosen);
    content.object()?;

    let (name, category, status) = match &whatsapp {
        Some(w) => {
            w.object()?;
            let name = match w.get("name").opt_str()? {
                Some(n) if !n.trim().is_empty() => n.to_string(),
                _ => node.get("friendly_name").req_str()?.to_string(),
            };
            let status_node = w.get("status");
            let raw = status_node.req_str()?;
            // Twilio "Message template approvals and statuses"; `received` and `unsubmitted` (not yet
            // reviewed) read as pending; not confirmed that the list is complete.
            let status = match raw.to_ascii_lowercase().as_str() {
                "approved" => TemplateStatus::Approved,
                "pending" | "received" | "unsubmitted" => TemplateStatus::Pending,
                "rejected" => TemplateStatus::Rejected,
                "paused" => TemplateStatus::Paused,
                "disabled" => TemplateStatus::Disabled,
                _ => return Err(status_node.not_a(raw, "a WhatsApp approval status")),
            };
            (name, category(&w.get("category"))?, status)
        }
        None => {
            notes.push(
                "no approval request for this Content SID: status set to pending (render refuses it) and category \
                 to marketing, the costliest, until GET /v1/Content/{sid}/ApprovalRequests says otherwise"
                    .to_string(),
            );
            (node.get("friendly_name").req_str()?.to_string(), MessageCategory::Marketing, TemplateStatus::Pending)
        }
    };

    let mut header = None;
    let mut footer = None;
    let mut buttons = Vec::new();
    let body = match chosen.as_str() {
        "whatsapp/authentication" => {
            // "whatsapp/authentication": the body is preset by WhatsApp; one variable, the code.
            // Meta "Copy code authentication templates": "<VERIFICATION_CODE> is your verification code.",
            // optional "For your security, do not share this code." and "This code expires in <N> minutes."
            // The English wording; the customer sees WhatsApp's translation for other languages.
            let security = match content.get("add_security_recommendation").value {
                None => true,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(content.get("add_security_recommendation").wrong("a boolean", other));
                }
            };
            if content.get("code_expiration_minutes").value.is_some() {
                footer = Some(expiry_footer(&content)?);
            }
            for action in content.get("actions").items()? {
                let type_node = action.get("type");
                let raw = type_node.req_str()?;
                if raw != "COPY_CODE" {
                    return Err(type_node.not_a(raw, "an authentication action (COPY_CODE)"));
                }
                let text = action.get("copy_code_text").opt_str()?.unwrap_or_default().to_string();
                buttons.push(Button { kind: ButtonKind::Otp, text, url: None, phone_number: None });
            }
            notes.push("whatsapp/authentication: the body is WhatsApp's preset English text".to_string());
            let mut body = "{{1}} is your verification code.".to_string();
            if security {
                body.push_str(" For your security, do not share this code.");
            }
            body
        }
        _ => {
            if let Some(text) = content.get("header_text").opt_str()? {
                header = Some(Header { format: HeaderFormat::Text, text: Some(text.to_string()) });
            }
            if let Some(text) = content.get("footer").opt_str()? {
                footer = Some(text.to_string());
            }
            let media = content.get("media");
            if media.value.is_some() {
                if header.is_some() {
                    return Err(media.err("a card cannot have both a text header and a media header"));
                }
                let urls = media.items()?;
                let first = urls.first().ok_or_else(|| media.err("must hold one URL"))?;
                header = Some(Header { format: media_format(first, &variables)?, text: None });
            }
            for action in content.get("actions").items().or_else(|e| match content.get("actions").value {
                None => Ok(Vec::new()),
                Some(_) => Err(e),
            })? {
                buttons.push(twilio_action(&action)?);
            }
            let body_node = content.get("body");
            match (chosen.as_str(), body_node.opt_str()?) {
                (_, Some(b)) => b.to_string(),
                ("twilio/media", None) => String::new(),
                _ => return Err(body_node.err("missing")),
            }
        }
    };
    let mut texts: Vec<&str> = vec![&body];
    if let Some(t) = header.as_ref().and_then(|h| h.text.as_deref()) {
        texts.push(t);
    }
    texts.extend(buttons.iter().filter_map(|b| b.url.as_deref()));
    let parameter_format = format_of(&texts);
    Ok(ImportedTemplate {
        template: Template {
            name,
            language,
            category,
            status,
            parameter_format,
            header,
            body,
            footer,
            buttons,
            twilio_content_sid: Some(sid.to_string()),
            namespace: None,
        },
        notes,
    })
}

/// Image, video or document, from the media URL's file type (with variables filled from their samples):
/// "whatsapp/card": "The combined URL must contain the file type"; WhatsApp classifies media headers as
/// Image, Video or Document.
fn media_format(url_node: &Node, variables: &Node) -> Result<HeaderFormat, InvalidInput> {
    let url = url_node.req_str()?;
    // Read every sample first (a bad one is a typed error), then fill the URL in one pass: a URL of many
    // variables, or a sample holding `{{…}}` itself, costs one walk over the URL, never a walk per key.
    for key in keys(url) {
        variables.get(key).opt_str()?;
    }
    let filled = crate::templates::vars::fill(url, |key| {
        Some(variables.get(key).opt_str().ok().flatten().unwrap_or_default().to_string())
    });
    let path = filled.split(['?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    let extension = path.rsplit('.').next().unwrap_or_default();
    // Meta "Supported media types": images jpeg/png, videos mp4/3gpp, documents (pdf and office files).
    match extension {
        "jpg" | "jpeg" | "png" => Ok(HeaderFormat::Image),
        "mp4" | "3gp" | "3gpp" => Ok(HeaderFormat::Video),
        "pdf" | "doc" | "docx" | "xls" | "xlsx" | "ppt" | "pptx" | "txt" => Ok(HeaderFormat::Document),
        _ => Err(url_node.err(format!(
            "cannot tell image, video or document from `{filled}`: the URL (with its variable samples) must end in the file type"
        ))),
    }
}

fn twilio_action(node: &Node) -> Result<Button, InvalidInput> {
    node.object()?;
    let type_node = node.get("type");
    let raw = type_node.req_str()?;
    let title = || node.get("title").req_str().map(str::to_string);
    let button = |kind, text, url, phone_number| Button { kind, text, url, phone_number };
    // "Common components" of the Content API: QUICK_REPLY (title, id), URL (title, url),
    // PHONE_NUMBER (title, phone), COPY_CODE (title, code).
    Ok(match raw {
        "QUICK_REPLY" => button(ButtonKind::QuickReply, title()?, None, None),
        "URL" => button(ButtonKind::Url, title()?, Some(node.get("url").req_str()?.to_string()), None),
        "PHONE_NUMBER" => button(ButtonKind::PhoneNumber, title()?, None, Some(phone(&node.get("phone"))?)),
        "COPY_CODE" => button(ButtonKind::CopyCode, title()?, None, None),
        "VOICE_CALL" | "VOICE_CALL_REQUEST" => {
            return Err(type_node.unrepresentable(raw, "button-kind"));
        }
        _ => return Err(type_node.not_a(raw, "an action type")),
    })
}

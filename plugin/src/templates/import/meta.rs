//! Meta's message-template objects and `message_templates` answers.

use serde_json::Value;

use super::{ImportedTemplate, ItemResult, Node, category, expiry_footer, phone};
use crate::error::InvalidInput;
use crate::templates::model::*;
use crate::types::MessageCategory;

/// One Meta template object, or the `message_templates` list answer (`data`), item by item.
pub fn from_meta(root: &Value, namespace: Option<&str>) -> Result<Vec<ItemResult>, InvalidInput> {
    let node = Node::root(root, "");
    let object = node.object()?;
    if object.contains_key("data") {
        return Ok(node.get("data").items()?.iter().map(|item| meta_template(item, namespace)).collect());
    }
    if object.contains_key("components") {
        return Ok(vec![meta_template(&node, namespace)]);
    }
    Err(node.err("neither a Meta message template (`components`) nor a message_templates answer (`data`)"))
}

fn meta_template(node: &Node, namespace: Option<&str>) -> ItemResult {
    node.object()?;
    let name = node.get("name").req_str()?.to_string();
    let language = node.get("language").req_str()?.to_string();
    let status_node = node.get("status");
    let status_raw = status_node.req_str()?;
    // Graph API reference "WhatsApp Business HSM", field `status`: APPROVED, IN_APPEAL, PENDING, REJECTED,
    // PENDING_DELETION, DELETED, DISABLED, PAUSED, LIMIT_EXCEEDED. The last three of the deleting/limit
    // kind have no place in the WIT `template-status` and no template in them can be sent.
    let status = match status_raw.to_ascii_uppercase().as_str() {
        "APPROVED" => TemplateStatus::Approved,
        "PENDING" => TemplateStatus::Pending,
        "REJECTED" => TemplateStatus::Rejected,
        "PAUSED" => TemplateStatus::Paused,
        "DISABLED" => TemplateStatus::Disabled,
        "IN_APPEAL" => TemplateStatus::InAppeal,
        "PENDING_DELETION" | "DELETED" | "LIMIT_EXCEEDED" => {
            return Err(
                status_node.err(format!("`{status_raw}`: the template cannot be sent and has no template-status"))
            );
        }
        _ => return Err(status_node.not_a(status_raw, "a Meta template status")),
    };
    let category = category(&node.get("category"))?;
    let format_node = node.get("parameter_format");
    // Same reference, field `parameter_format`: "Named or Positional"; absent means positional (the
    // format of templates made before named parameters existed).
    let parameter_format = match format_node.opt_str()?.map(str::to_ascii_uppercase).as_deref() {
        None | Some("POSITIONAL") => ParameterFormat::Positional,
        Some("NAMED") => ParameterFormat::Named,
        Some(_) => return Err(format_node.err("must be NAMED or POSITIONAL")),
    };

    let mut header = None;
    let mut body = None;
    let mut footer = None;
    let mut buttons = Vec::new();
    let mut notes = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for component in node.get("components").items()? {
        component.object()?;
        let type_node = component.get("type");
        let kind = type_node.req_str()?.to_ascii_uppercase();
        if seen.contains(&kind) {
            return Err(type_node.err(format!("a second {kind} component; a template has at most one")));
        }
        seen.push(kind.clone());
        match kind.as_str() {
            "HEADER" => header = Some(meta_header(&component)?),
            "BODY" => body = Some(component.get("text").req_str()?.to_string()),
            "FOOTER" => {
                // Authentication templates: the footer may come as `code_expiration_minutes` alone
                // (Meta "Copy code authentication templates": "This code expires in <NUM_MINUTES> minutes.").
                footer = match (component.get("text").opt_str()?, component.get("code_expiration_minutes").value) {
                    (Some(text), _) => Some(text.to_string()),
                    (None, Some(_)) => Some(expiry_footer(&component)?),
                    (None, None) => return Err(component.get("text").err("missing")),
                }
            }
            "BUTTONS" => {
                for button in component.get("buttons").items()? {
                    buttons.push(meta_button(&button, category, &mut notes)?);
                }
            }
            "CAROUSEL" | "LIMITED_TIME_OFFER" | "CALL_PERMISSION_REQUEST" => {
                return Err(type_node.unrepresentable(&kind, "the template record"));
            }
            _ => return Err(type_node.not_a(&kind, "a component type (HEADER, BODY, FOOTER, BUTTONS)")),
        }
    }
    let Some(body) = body else {
        return Err(node.get("components").err("no BODY component; every template has one"));
    };
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
            twilio_content_sid: None,
            namespace: namespace.map(str::to_string),
        },
        notes,
    })
}

fn meta_header(component: &Node) -> Result<Header, InvalidInput> {
    let format_node = component.get("format");
    let raw = format_node.req_str()?;
    // "Template components" > Headers: TEXT, IMAGE, VIDEO, GIF, DOCUMENT, LOCATION.
    let format = match raw.to_ascii_uppercase().as_str() {
        "TEXT" => HeaderFormat::Text,
        "IMAGE" => HeaderFormat::Image,
        "VIDEO" => HeaderFormat::Video,
        "DOCUMENT" => HeaderFormat::Document,
        "LOCATION" => HeaderFormat::Location,
        "GIF" => return Err(format_node.err("GIF headers cannot be represented by header-format")),
        _ => return Err(format_node.not_a(raw, "a header format")),
    };
    let text = match format {
        HeaderFormat::Text => Some(component.get("text").req_str()?.to_string()),
        _ => None,
    };
    Ok(Header { format, text })
}

fn meta_button(node: &Node, category: MessageCategory, notes: &mut Vec<String>) -> Result<Button, InvalidInput> {
    node.object()?;
    let type_node = node.get("type");
    let raw = type_node.req_str()?;
    let text = |required: bool| -> Result<String, InvalidInput> {
        match node.get("text").opt_str()? {
            Some(t) => Ok(t.to_string()),
            None if required => Err(node.get("text").err("missing")),
            None => Ok(String::new()),
        }
    };
    let button = |kind, text, url, phone_number| Button { kind, text, url, phone_number };
    Ok(match raw.to_ascii_uppercase().as_str() {
        "QUICK_REPLY" => button(ButtonKind::QuickReply, text(true)?, None, None),
        // "Copy code authentication templates": an OTP button is created with type OTP but a GET returns
        // it with type URL; authentication templates support no other URL button ("URLs ... are not supported").
        "URL" if category == MessageCategory::Authentication => button(ButtonKind::Otp, text(false)?, None, None),
        "URL" => button(ButtonKind::Url, text(true)?, Some(node.get("url").req_str()?.to_string()), None),
        "PHONE_NUMBER" => button(ButtonKind::PhoneNumber, text(true)?, None, Some(phone(&node.get("phone_number"))?)),
        "COPY_CODE" => {
            // "Coupon code templates": the copy code button's text cannot be customized; WhatsApp shows its own label.
            let label = text(false)?;
            if label.is_empty() {
                notes.push(format!("{}: the copy-code button has no `text`; WhatsApp shows its own label", node.path));
            }
            button(ButtonKind::CopyCode, label, None, None)
        }
        "OTP" => button(ButtonKind::Otp, text(false)?, None, None),
        "FLOW" | "CATALOG" | "MPM" | "SPM" | "VOICE_CALL" | "APP" => {
            return Err(type_node.unrepresentable(raw, "button-kind"));
        }
        _ => return Err(type_node.not_a(raw, "a button type")),
    })
}

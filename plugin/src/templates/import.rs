//! Templates as the providers store them → the core `Template` that `validate`, `render` and `preview` use.
//!
//! Two sources (WIT `templates.from-provider`):
//! - Meta: one message-template object, or the answer of `GET /{waba-id}/message_templates`
//!   (`{"data": [...], "paging": {...}}`). Fields: `name`, `language`, `status`, `category`,
//!   `parameter_format`, `components[]` (`type` HEADER/BODY/FOOTER/BUTTONS, `format`, `text`,
//!   `buttons[]` with `type`, `text`, `url`, `phone_number`). Sources: Meta "Template components"
//!   (developers.facebook.com/documentation/business-messaging/whatsapp/templates/components) and the
//!   Graph API reference "WhatsApp Business HSM" (developers.facebook.com/docs/graph-api/reference/whats-app-business-hsm).
//!   Meta's template objects carry no namespace: the caller passes the WABA's `message_template_namespace`.
//! - Twilio: one Content resource (`sid`, `friendly_name`, `language`, `variables`, `types`), or the list
//!   answer of `GET /v1/Content` (`{"contents": [...]}`), with the answers of
//!   `GET /v1/Content/{sid}/ApprovalRequests` (`sid`, `whatsapp.name`, `whatsapp.category`,
//!   `whatsapp.status`, `whatsapp.content_type`) matched by `sid`. Sources: Twilio "Content API public
//!   endpoints" (twilio.com/docs/content/content-api-resources) and the pages of each content type
//!   (twilio.com/docs/content/twilio-text, twilio-media, twilio-quick-reply, twilio-call-to-action,
//!   whatsappcard, whatsappauthentication).
//!
//! One bad item never takes its siblings: a list yields one result per item. A value that cannot be
//! read is an `InvalidInput` whose `field` is the JSON path from the document's root
//! (e.g. `data[1].components[2].buttons[0].type`). Nothing here panics: every access is checked.

use serde_json::{Map, Value};

use super::model::*;
use super::vars::{is_positional, keys};
use crate::error::{InvalidInput, json_kind};
use crate::inbound::model::Provider;
use crate::pricing::Category;

/// A template read from a provider, with what the reading had to assume (empty when nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub template: Template,
    /// Plain-language notes on values the source did not carry and the import chose (e.g. Twilio's
    /// status without an approval request).
    pub notes: Vec<String>,
}

/// One item's outcome: the template, or why that item could not be read.
pub type ItemResult = Result<Imported, InvalidInput>;

/// What the host fetched from the provider.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// The provider's answer as received (JSON text).
    pub json: &'a str,
    /// Twilio only: answers of `GET /v1/Content/{sid}/ApprovalRequests` (JSON text), matched by `sid`.
    pub twilio_approvals: &'a [String],
    /// Meta only: the WABA's `message_template_namespace`, copied into every template (1msg needs it).
    pub namespace: Option<&'a str>,
}

/// Convert a provider's template JSON. The outer error means the whole answer is unreadable (not JSON,
/// not an object of a known shape, an unsupported provider); item errors are in the list.
pub fn from_provider(provider: Provider, request: &Request) -> Result<Vec<ItemResult>, InvalidInput> {
    // `from_slice`, as inbound parses: one serde_json reader in the component instead of two (size budget).
    let root: Value = serde_json::from_slice(request.json.as_bytes())
        .map_err(|e| InvalidInput::new("json", format!("not JSON: {e}")))?;
    match provider {
        Provider::MetaCloud => from_meta(&root, request.namespace),
        Provider::Twilio => {
            let mut approvals = Vec::new();
            for (i, text) in request.twilio_approvals.iter().enumerate() {
                let value: Value = serde_json::from_slice(text.as_bytes())
                    .map_err(|e| InvalidInput::new(format!("twilio-approvals[{i}]"), format!("not JSON: {e}")))?;
                approvals.push(value);
            }
            from_twilio(&root, &approvals)
        }
        Provider::OneMsg => Err(InvalidInput::new(
            "provider",
            "1msg's template list is not read yet: pass Meta's template objects (1msg relays Meta's) with the namespace",
        )),
    }
}

// ---- a checked path through a JSON document ----

/// A value (none when absent or null) and the path that reached it.
struct Node<'v> {
    value: Option<&'v Value>,
    path: String,
}

impl<'v> Node<'v> {
    fn root(value: &'v Value, path: &str) -> Self {
        Self { value: Some(value), path: path.to_string() }
    }

    fn join(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    fn get(&self, key: &str) -> Node<'v> {
        let value = self.value.and_then(|v| v.as_object()).and_then(|o| o.get(key)).filter(|v| !v.is_null());
        Node { value, path: self.join(key) }
    }

    fn err(&self, reason: impl Into<String>) -> InvalidInput {
        InvalidInput::new(if self.path.is_empty() { "json".to_string() } else { self.path.clone() }, reason)
    }

    /// `found` is not one of `what` (one formatting site for every such error: the component's size budget).
    fn not_a(&self, found: &str, what: &str) -> InvalidInput {
        self.err(format!("`{found}` is not {what}"))
    }

    /// `found` is valid for the provider but has no place in the template record.
    fn unrepresentable(&self, found: &str, by: &str) -> InvalidInput {
        self.err(format!("{found} cannot be represented by {by}"))
    }

    /// A value of the wrong JSON type.
    fn wrong(&self, expected: &str, found: &Value) -> InvalidInput {
        self.err(format!("must be {expected}, found {}", json_kind(found)))
    }

    fn object(&self) -> Result<&'v Map<String, Value>, InvalidInput> {
        match self.value {
            Some(Value::Object(o)) => Ok(o),
            Some(other) => Err(self.wrong("an object", other)),
            None => Err(self.err("missing")),
        }
    }

    fn items(&self) -> Result<Vec<Node<'v>>, InvalidInput> {
        match self.value {
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Node { value: Some(v), path: format!("{}[{i}]", self.path) })
                .collect()),
            Some(other) => Err(self.wrong("an array", other)),
            None => Err(self.err("missing")),
        }
    }

    fn opt_str(&self) -> Result<Option<&'v str>, InvalidInput> {
        match self.value {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong("a string", other)),
        }
    }

    fn req_str(&self) -> Result<&'v str, InvalidInput> {
        match self.opt_str()? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(self.err("must not be empty")),
            None => Err(self.err("missing")),
        }
    }
}

/// `+` and 8 to 15 digits (E.164), from `+15550051310` or `15550051310`; anything else is no phone number.
fn phone(node: &Node) -> Result<String, InvalidInput> {
    let raw = node.req_str()?.trim();
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    if (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("+{digits}"))
    } else {
        Err(node.not_a(raw, "a phone number in E.164 form (`+` and 8 to 15 digits)"))
    }
}

/// The template's parameter format from the variables its texts hold: named as soon as one is not a number.
fn format_of(texts: &[&str]) -> ParameterFormat {
    let named = texts.iter().flat_map(|t| keys(t)).any(|k| !is_positional(k));
    if named { ParameterFormat::Named } else { ParameterFormat::Positional }
}

fn category(node: &Node) -> Result<Category, InvalidInput> {
    let raw = node.req_str()?;
    // Meta's three template categories ("Template categorization"); Twilio's approval request uses the same names.
    match raw.to_ascii_uppercase().as_str() {
        "MARKETING" => Ok(Category::Marketing),
        "UTILITY" => Ok(Category::Utility),
        "AUTHENTICATION" => Ok(Category::Authentication),
        _ => Err(node.not_a(raw, "a template category (MARKETING, UTILITY or AUTHENTICATION)")),
    }
}

// ---- Meta ----

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
        "APPROVED" => Status::Approved,
        "PENDING" => Status::Pending,
        "REJECTED" => Status::Rejected,
        "PAUSED" => Status::Paused,
        "DISABLED" => Status::Disabled,
        "IN_APPEAL" => Status::InAppeal,
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
    Ok(Imported {
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

fn meta_button(node: &Node, category: Category, notes: &mut Vec<String>) -> Result<Button, InvalidInput> {
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
        "URL" if category == Category::Authentication => button(ButtonKind::Otp, text(false)?, None, None),
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

// ---- Twilio ----

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
                "approved" => Status::Approved,
                "pending" | "received" | "unsubmitted" => Status::Pending,
                "rejected" => Status::Rejected,
                "paused" => Status::Paused,
                "disabled" => Status::Disabled,
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
            (node.get("friendly_name").req_str()?.to_string(), Category::Marketing, Status::Pending)
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
    Ok(Imported {
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
    let filled =
        super::vars::fill(url, |key| Some(variables.get(key).opt_str().ok().flatten().unwrap_or_default().to_string()));
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

/// The footer WhatsApp writes for an authentication template's `code_expiration_minutes` (Meta "Copy code
/// authentication templates": "This code expires in <NUM_MINUTES> minutes."; Twilio's
/// `whatsapp/authentication` takes the same field).
fn expiry_footer(node: &Node) -> Result<String, InvalidInput> {
    let minutes = node.get("code_expiration_minutes");
    match minutes.value.and_then(Value::as_u64) {
        Some(n) => Ok(format!("This code expires in {n} minutes.")),
        None => Err(minutes.err("must be a whole number")),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::render::render;
    use serde_json::json;

    fn meta(v: Value) -> Vec<ItemResult> {
        from_meta(&v, None).expect("a readable answer")
    }

    fn one(v: Value) -> ItemResult {
        meta(v).into_iter().next().expect("one item")
    }

    fn error_at(result: ItemResult) -> (String, String) {
        let e = result.expect_err("an error");
        (e.field, e.reason)
    }

    fn order_update() -> Value {
        json!({
            "name": "order_update", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
            "parameter_format": "POSITIONAL", "id": "1234567890",
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["A-1"]}},
                {"type": "BODY", "text": "Hi {{1}}, order {{2}} shipped.", "example": {"body_text": [["Ana", "A-1"]]}},
                {"type": "FOOTER", "text": "Reply STOP to opt out"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Track", "url": "https://example.com/t/{{1}}", "example": ["https://example.com/t/A-1"]},
                    {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550051310"},
                    {"type": "QUICK_REPLY", "text": "Stop"}
                ]}
            ]
        })
    }

    #[test]
    fn a_meta_template_maps_field_for_field_and_renders() {
        let imported = one(order_update()).expect("imported");
        let t = &imported.template;
        assert_eq!((t.name.as_str(), t.language.as_str()), ("order_update", "en_US"));
        assert_eq!(
            (t.status, t.category, t.parameter_format),
            (Status::Approved, Category::Utility, ParameterFormat::Positional)
        );
        assert_eq!(t.header, Some(Header { format: HeaderFormat::Text, text: Some("Order {{1}}".into()) }));
        assert_eq!(t.footer.as_deref(), Some("Reply STOP to opt out"));
        let kinds: Vec<ButtonKind> = t.buttons.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, vec![ButtonKind::Url, ButtonKind::PhoneNumber, ButtonKind::QuickReply]);
        assert_eq!(t.buttons[1].phone_number.as_deref(), Some("+15550051310"));
        assert!(imported.notes.is_empty());
        let values = Values {
            body: vec![
                VariableValue { key: "1".into(), value: "Ana".into() },
                VariableValue { key: "2".into(), value: "A-1".into() },
            ],
            header_text: Some(VariableValue { key: "1".into(), value: "A-1".into() }),
            buttons: vec![ButtonValue { index: 0, value: "A-1".into() }],
            ..Values::default()
        };
        let rendered = render(t, &values, Provider::MetaCloud).expect("renders");
        assert!(rendered.text.starts_with("Order A-1\n\nHi Ana, order A-1 shipped."), "{}", rendered.text);
    }

    #[test]
    fn the_list_answer_keeps_good_items_beside_bad_ones() {
        let mut bad = order_update();
        bad["components"][3]["buttons"][0]["type"] = json!("TELEPORT");
        let results = meta(
            json!({"data": [order_update(), bad, {"name": 3}], "paging": {"cursors": {"before": "a", "after": "b"}}}),
        );
        assert_eq!(results.len(), 3);
        assert!(results[0].is_ok());
        let errors: Vec<String> = results.into_iter().skip(1).map(|r| error_at(r).0).collect();
        assert_eq!(errors, vec!["data[1].components[3].buttons[0].type", "data[2].name"]);
    }

    /// An edit of a valid template that breaks one field.
    type Change = Box<dyn Fn(&mut Value)>;

    #[test]
    fn malformed_meta_values_name_their_path() {
        let cases: Vec<(Change, &str, &str)> = vec![
            (Box::new(|v| v["components"][0]["type"] = json!("SIDEBAR")), "components[0].type", "not a component type"),
            (
                Box::new(|v| v["components"][0]["format"] = json!("GIF")),
                "components[0].format",
                "cannot be represented",
            ),
            (Box::new(|v| v["components"][1]["text"] = json!(42)), "components[1].text", "must be a string"),
            (Box::new(|v| v["components"] = json!({})), "components", "must be an array"),
            (Box::new(|v| v["status"] = json!("DELETED")), "status", "cannot be sent"),
            (Box::new(|v| v["category"] = json!("TRANSACTIONAL")), "category", "not a template category"),
            (Box::new(|v| v["parameter_format"] = json!("BOTH")), "parameter_format", "NAMED or POSITIONAL"),
            (
                Box::new(|v| v["components"][3]["buttons"][1]["phone_number"] = json!("call me")),
                "components[3].buttons[1].phone_number",
                "E.164",
            ),
            (
                Box::new(|v| {
                    v["components"][3]["buttons"][0].as_object_mut().map(|o| o.remove("url"));
                }),
                "components[3].buttons[0].url",
                "missing",
            ),
            (
                Box::new(|v| v["components"][3]["buttons"][2]["type"] = json!("FLOW")),
                "components[3].buttons[2].type",
                "cannot be represented",
            ),
            (
                Box::new(|v| {
                    v["components"].as_array_mut().map(|c| c.remove(1));
                }),
                "components",
                "no BODY",
            ),
            (Box::new(|v| v["components"][2]["type"] = json!("BODY")), "components[2].type", "a second BODY"),
            (Box::new(|v| v["language"] = json!("")), "language", "empty"),
        ];
        for (change, field, reason) in cases {
            let mut v = order_update();
            change(&mut v);
            let (f, r) = error_at(one(v));
            assert_eq!(f, field);
            assert!(r.contains(reason), "{field}: {r}");
        }
    }

    #[test]
    fn unreadable_answers_are_an_outer_error() {
        assert_eq!(from_meta(&json!([1]), None).unwrap_err().field, "json");
        assert_eq!(from_meta(&json!({"paging": {}}), None).unwrap_err().field, "json");
        assert_eq!(from_meta(&json!({"data": "x"}), None).unwrap_err().field, "data");
        let request = Request { json: "{not json", ..Request::default() };
        assert_eq!(from_provider(Provider::MetaCloud, &request).unwrap_err().field, "json");
        let request = Request { json: "{}", ..Request::default() };
        assert_eq!(from_provider(Provider::OneMsg, &request).unwrap_err().field, "provider");
    }

    #[test]
    fn authentication_url_buttons_are_otp_and_named_formats_carry_over() {
        let auth = json!({"name": "otp", "language": "en_US", "status": "APPROVED", "category": "AUTHENTICATION",
        "components": [
            {"type": "BODY", "text": "*{{1}}* is your verification code. For your security, do not share this code.", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Copy code", "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]}
        ]});
        let t = one(auth).expect("imported").template;
        assert_eq!(t.buttons[0].kind, ButtonKind::Otp);
        assert_eq!(t.buttons[0].url, None);
        assert_eq!(t.footer.as_deref(), Some("This code expires in 10 minutes."));
        let named = json!({"name": "n", "language": "en_US", "status": "PAUSED", "category": "marketing", "parameter_format": "NAMED",
            "components": [{"type": "BODY", "text": "Hi {{first_name}}"}]});
        let t = from_meta(&named, Some("ns-1")).unwrap().remove(0).unwrap().template;
        assert_eq!(
            (t.parameter_format, t.status, t.namespace.as_deref()),
            (ParameterFormat::Named, Status::Paused, Some("ns-1"))
        );
    }

    const SID: &str = "HXb5b62575e6e4ff6129ad7c8efe1f983e";

    fn twilio_cta() -> Value {
        json!({
            "sid": SID, "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "friendly_name": "flight_delay",
            "language": "en", "variables": {"1": "Owl Air", "2": "docs"},
            "types": {
                "twilio/call-to-action": {"body": "Your flight with {{1}} is delayed.", "actions": [
                    {"type": "URL", "title": "Check status", "url": "https://www.twilio.com/{{2}}"},
                    {"type": "PHONE_NUMBER", "title": "Call us", "phone": "+15555551234"}
                ]},
                "twilio/text": {"body": "Your flight with {{1}} is delayed."}
            }
        })
    }

    fn approval(status: &str) -> Value {
        json!({"sid": SID, "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "whatsapp": {"type": "whatsapp", "name": "flight_delay_v2", "category": "UTILITY", "content_type": "twilio/call-to-action",
                "status": status, "rejection_reason": "", "allow_category_change": true}})
    }

    #[test]
    fn a_twilio_resource_with_its_approval() {
        let t = from_twilio(&twilio_cta(), &[approval("approved")]).unwrap().remove(0).unwrap().template;
        assert_eq!(
            (t.name.as_str(), t.language.as_str(), t.status, t.category),
            ("flight_delay_v2", "en", Status::Approved, Category::Utility)
        );
        assert_eq!(t.twilio_content_sid.as_deref(), Some(SID));
        assert_eq!(t.buttons[0].url.as_deref(), Some("https://www.twilio.com/{{2}}"));
        assert_eq!(t.buttons[1].phone_number.as_deref(), Some("+15555551234"));
        assert_eq!(t.parameter_format, ParameterFormat::Positional);
        let rejected = from_twilio(&twilio_cta(), &[approval("rejected")]).unwrap().remove(0).unwrap();
        assert_eq!(rejected.template.status, Status::Rejected);
        let (field, _) = error_at(from_twilio(&twilio_cta(), &[approval("shelved")]).unwrap().remove(0));
        assert_eq!(field, "twilio-approvals[0].whatsapp.status");
    }

    #[test]
    fn without_an_approval_twilio_templates_are_pending_and_say_so() {
        let imported = from_twilio(&twilio_cta(), &[]).unwrap().remove(0).unwrap();
        assert_eq!((imported.template.status, imported.template.category), (Status::Pending, Category::Marketing));
        assert_eq!(imported.template.name, "flight_delay");
        assert_eq!(imported.notes.len(), 1);
    }

    #[test]
    fn unrepresentable_twilio_types_are_typed_errors() {
        let mut v = twilio_cta();
        v["types"]["twilio/list-picker"] = json!({"body": "Pick", "button": "Items", "items": []});
        let (field, reason) = error_at(from_twilio(&v, &[]).unwrap().remove(0));
        assert_eq!(field, "types.twilio/list-picker");
        assert!(reason.contains("cannot be represented"));
        let carousel = json!({"sid": SID, "language": "en", "friendly_name": "c", "types": {"twilio/carousel": {"body": "x", "cards": []}}});
        assert_eq!(error_at(from_twilio(&carousel, &[]).unwrap().remove(0)).0, "types.twilio/carousel");
        let mut voice = twilio_cta();
        voice["types"]["twilio/call-to-action"]["actions"][1]["type"] = json!("VOICE_CALL");
        assert_eq!(
            error_at(from_twilio(&voice, &[]).unwrap().remove(0)).0,
            "types.twilio/call-to-action.actions[1].type"
        );
        let mut bad_sid = twilio_cta();
        bad_sid["sid"] = json!("MM123");
        assert_eq!(error_at(from_twilio(&bad_sid, &[]).unwrap().remove(0)).0, "sid");
        // The approval naming a type the record cannot hold is refused too, never imported as its text.
        let mut picker = twilio_cta();
        picker["types"] = json!({"twilio/list-picker": {"body": "Pick", "button": "Items", "items": []}});
        let mut picked = approval("approved");
        picked["whatsapp"]["content_type"] = json!("twilio/list-picker");
        assert_eq!(error_at(from_twilio(&picker, &[picked]).unwrap().remove(0)).0, "types.twilio/list-picker");
        let list = json!({"contents": [twilio_cta(), {"sid": 5}], "meta": {"page": 0}});
        let results = from_twilio(&list, &[approval("approved")]).unwrap();
        assert!(results[0].as_ref().is_ok_and(|i| i.template.status == Status::Approved));
        assert_eq!(error_at(results[1].clone()).0, "contents[1].sid");
    }

    #[test]
    fn twilio_media_cards_and_authentication() {
        let media = json!({"sid": SID, "language": "en", "friendly_name": "receipt", "variables": {"1": "receipt.pdf"},
            "types": {"twilio/media": {"body": "Your receipt", "media": ["https://example.com/files/{{1}}"]}}});
        let t = from_twilio(&media, &[]).unwrap().remove(0).unwrap().template;
        assert_eq!(t.header, Some(Header { format: HeaderFormat::Document, text: None }));
        // Many variables in one URL, and samples holding variables themselves, are filled in one pass.
        let many = format!("https://example.com/{}.jpg", "{{a}}".repeat(20_000));
        let heavy = json!({"sid": SID, "language": "en", "friendly_name": "heavy", "variables": {"a": "{{a}}{{a}}"},
            "types": {"twilio/media": {"body": "x", "media": [many]}}});
        let t = from_twilio(&heavy, &[]).unwrap().remove(0).unwrap().template;
        assert_eq!(t.header, Some(Header { format: HeaderFormat::Image, text: None }));
        let unknown = json!({"sid": SID, "language": "en", "friendly_name": "x", "types": {"twilio/media": {"media": ["https://example.com/file"]}}});
        assert_eq!(error_at(from_twilio(&unknown, &[]).unwrap().remove(0)).0, "types.twilio/media.media[0]");
        let card = json!({"sid": SID, "language": "en", "friendly_name": "card", "variables": {"name": "Ana"},
            "types": {"whatsapp/card": {"header_text": "Hello {{name}}", "body": "Your table is ready.", "footer": "Owl Cafe",
                "actions": [{"type": "QUICK_REPLY", "title": "On my way", "id": "omw"}, {"type": "COPY_CODE", "title": "Copy", "code": "X1"}]}}});
        let t = from_twilio(&card, &[]).unwrap().remove(0).unwrap().template;
        assert_eq!(t.parameter_format, ParameterFormat::Named);
        assert_eq!(t.footer.as_deref(), Some("Owl Cafe"));
        assert_eq!(
            t.buttons.iter().map(|b| b.kind).collect::<Vec<_>>(),
            vec![ButtonKind::QuickReply, ButtonKind::CopyCode]
        );
        let auth = json!({"sid": SID, "language": "en", "friendly_name": "otp",
            "types": {"whatsapp/authentication": {"add_security_recommendation": false, "code_expiration_minutes": 5,
                "actions": [{"type": "COPY_CODE", "copy_code_text": "Copy code"}]}}});
        let t = from_twilio(&auth, &[]).unwrap().remove(0).unwrap().template;
        assert_eq!(t.body, "{{1}} is your verification code.");
        assert_eq!(t.footer.as_deref(), Some("This code expires in 5 minutes."));
        assert_eq!(t.buttons[0].kind, ButtonKind::Otp);
    }

    /// Any JSON value, nested a few levels, with the keys the importer looks for.
    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec![
            "data",
            "components",
            "type",
            "format",
            "text",
            "buttons",
            "url",
            "phone_number",
            "status",
            "category",
            "name",
            "language",
            "parameter_format",
            "sid",
            "types",
            "twilio/text",
            "twilio/media",
            "whatsapp/card",
            "body",
            "media",
            "actions",
            "title",
            "phone",
            "variables",
            "contents",
            "footer",
            "header_text",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[A-Za-z_{}0-9+./ ]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn no_input_makes_it_panic(value in any_json()) {
            let _ = from_meta(&value, None);
            let _ = from_twilio(&value, std::slice::from_ref(&value));
        }
    }
}

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

mod meta;
#[cfg(test)]
mod tests;
mod twilio;

pub use meta::from_meta;
pub use twilio::from_twilio;

use serde_json::{Map, Value};

use super::model::*;
use super::vars::{is_positional, keys};
use crate::error::{InvalidInput, json_kind};
use crate::types::MessageCategory;
use crate::types::Provider;

/// A template read from a provider, with what the reading had to assume (empty when nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedTemplate {
    pub template: Template,
    /// Plain-language notes on values the source did not carry and the import chose (e.g. Twilio's
    /// status without an approval request).
    pub notes: Vec<String>,
}

/// One item's outcome: the template, or why that item could not be read.
pub type ItemResult = Result<ImportedTemplate, InvalidInput>;

/// What the host fetched from the provider.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest<'a> {
    /// The provider's answer as received (JSON text).
    pub json: &'a str,
    /// Twilio only: answers of `GET /v1/Content/{sid}/ApprovalRequests` (JSON text), matched by `sid`.
    pub twilio_approvals: &'a [String],
    /// Meta only: the WABA's `message_template_namespace`, copied into every template (1msg needs it).
    pub namespace: Option<&'a str>,
}

/// Convert a provider's template JSON. The outer error means the whole answer is unreadable (not JSON,
/// not an object of a known shape, an unsupported provider); item errors are in the list.
pub fn from_provider(provider: Provider, request: &ImportRequest) -> Result<Vec<ItemResult>, InvalidInput> {
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

fn category(node: &Node) -> Result<MessageCategory, InvalidInput> {
    let raw = node.req_str()?;
    // Meta's three template categories ("Template categorization"); Twilio's approval request uses the same names.
    match raw.to_ascii_uppercase().as_str() {
        "MARKETING" => Ok(MessageCategory::Marketing),
        "UTILITY" => Ok(MessageCategory::Utility),
        "AUTHENTICATION" => Ok(MessageCategory::Authentication),
        _ => Err(node.not_a(raw, "a template category (MARKETING, UTILITY or AUTHENTICATION)")),
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

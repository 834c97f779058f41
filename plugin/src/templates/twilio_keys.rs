//! Twilio's `ContentVariables`: every value under its key, or the problem that keeps one from fitting.
//!
//! Twilio numbers a Content template's variables once for the whole content, not per component:
//! - "Using Variables with Content Templates" (https://www.twilio.com/docs/content/using-variables-with-content-api):
//!   one `variables` object per Content template, keys numeric or alphanumeric (at most 16 characters),
//!   "in sequential order" without skipping integers for WhatsApp;
//! - `twilio/call-to-action` (https://www.twilio.com/docs/content/twilio-call-to-action): body `{{1}}`…`{{4}}`
//!   and URL `https://…/{{5}}` in one template; `whatsapp/card`: title `{{1}}`, URL `{{2}}`, media `{{3}}`;
//! - Twilio error 63028 (https://www.twilio.com/docs/api/errors/63028): `ContentVariables` "must map
//!   template variables to substitution values", one key per variable.
//!
//! So a key written in two places of the template (header `{{1}}` and body `{{1}}`, as Meta numbers per
//! component) is one Twilio variable with one value. Equal values are sent once; different values
//! cannot both reach the customer, and are a problem rather than a silent overwrite. Values Twilio has
//! no send-time key for are problems too: a copy code or a quick-reply payload is fixed in the Content
//! template when it is created (`twilio/call-to-action` COPY_CODE `code`, `twilio/quick-reply` `id`)
//! and this template record does not say which Twilio variable (if any) holds it; a one-time password
//! travels as the single variable of `whatsapp/authentication`
//! (https://www.twilio.com/docs/content/whatsappauthentication), i.e. the body's code.

use serde_json::{Map, Value, json};

use super::model::*;
use super::validate::{header_text, url_variable};
use super::vars::keys;

/// One value and where it stands.
struct Entry<'a> {
    key: &'a str,
    value: &'a str,
    part: Part,
    button: Option<usize>,
}

fn place(part: Part, button: Option<usize>) -> String {
    match (part, button) {
        (Part::Header, _) => "the header".into(),
        (Part::Body, _) => "the body".into(),
        (Part::Button, Some(i)) => format!("button {i}"),
        _ => "the template".into(),
    }
}

/// Every keyed value in reading order (header, body, URL buttons), and the button values with no key.
fn entries<'a>(t: &'a Template, values: &'a TemplateValues) -> (Vec<Entry<'a>>, Vec<TemplateProblem>) {
    let mut keyed = Vec::new();
    let mut unkeyed = Vec::new();
    if let (Some(text), Some(v)) = (header_text(t), &values.header_text)
        && keys(text).contains(&v.key.as_str())
    {
        keyed.push(Entry { key: &v.key, value: &v.value, part: Part::Header, button: None });
    }
    for v in &values.body {
        keyed.push(Entry { key: &v.key, value: &v.value, part: Part::Body, button: None });
    }
    let body_keys = keys(&t.body);
    for (i, b) in t.buttons.iter().enumerate() {
        let Some(given) = values.buttons.iter().find(|v| v.index as usize == i) else { continue };
        let lost = |what: &str| {
            TemplateProblem::new(
                Part::Button,
                ProblemKind::AmbiguousProviderVariables,
                format!("Twilio's ContentVariables has no key for {what}; it is fixed in the Content template"),
            )
            .button(i)
        };
        match (b.kind, url_variable(b)) {
            (ButtonKind::Url, Some(key)) => {
                keyed.push(Entry { key, value: &given.value, part: Part::Button, button: Some(i) })
            }
            (ButtonKind::CopyCode, _) => unkeyed.push(lost("a copy code")),
            (ButtonKind::QuickReply, _) => unkeyed.push(lost("a quick-reply payload")),
            // Twilio's authentication template carries one variable, the body's code: a button value is
            // only carried when it is that code.
            (ButtonKind::Otp, _) => {
                let code = match body_keys.as_slice() {
                    [key] => values.body.iter().find(|v| v.key == *key).map(|v| v.value.as_str()),
                    _ => None,
                };
                if code != Some(given.value.as_str()) {
                    unkeyed.push(
                        TemplateProblem::new(
                            Part::Button,
                            ProblemKind::AmbiguousProviderVariables,
                            "Twilio sends one code for the body and the button; this button's value differs from the body's code",
                        )
                        .button(i),
                    );
                }
            }
            _ => {}
        }
    }
    (keyed, unkeyed)
}

/// Every value Twilio could not carry: a key given different values, or a value with no key.
pub fn problems(t: &Template, values: &TemplateValues) -> Vec<TemplateProblem> {
    let (keyed, mut problems) = entries(t, values);
    for (n, e) in keyed.iter().enumerate() {
        let first = keyed.iter().take(n).find(|f| f.key == e.key);
        if let Some(first) = first.filter(|f| f.value != e.value) {
            let p = TemplateProblem::new(
                e.part,
                ProblemKind::AmbiguousProviderVariables,
                format!(
                    "Twilio has one variable `{{{{{}}}}}` for the whole content: {} gives \"{}\" and {} gives \"{}\", and only one can be sent",
                    e.key,
                    place(first.part, first.button),
                    first.value,
                    place(e.part, e.button),
                    e.value
                ),
            )
            .variable(e.key);
            problems.push(match e.button {
                Some(i) => p.button(i),
                None => p,
            });
        }
    }
    problems
}

/// The `ContentVariables` object: each key once. Only called once `problems` found none, so a key
/// that appears twice holds the same value both times.
pub fn content_variables(t: &Template, values: &TemplateValues) -> Map<String, Value> {
    let (keyed, _) = entries(t, values);
    let mut vars = Map::new();
    for e in keyed {
        vars.entry(e.key.to_string()).or_insert_with(|| json!(e.value));
    }
    vars
}

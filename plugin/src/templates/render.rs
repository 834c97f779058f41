//! Template + values → every problem, or the provider payload and the exact customer-visible text.

use serde_json::{Map, Value, json};

use super::model::*;
use super::prevents::*;
use super::supported_media;
use super::twilio_keys;
use super::validate::{BODY_MAX, HEADER_TEXT_MAX, chars, header_text, url_variable, validate};
use super::vars::{fill, is_positional, keys};
use crate::types::Provider;

/// One variable of the template, where it stands.
struct Var<'a> {
    part: Part,
    button: Option<usize>,
    key: &'a str,
}

/// The distinct variables of a text, in order: numeric order for positional keys, else first appearance.
fn distinct(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for key in keys(text) {
        if !out.contains(&key) {
            out.push(key);
        }
    }
    if out.iter().all(|k| is_positional(k)) {
        crate::sort::sort_by_key(&mut out, |k| k.parse::<u64>().unwrap_or(u64::MAX));
    }
    out
}

/// Problems of one value, or none.
fn check_value(var: &Var, value: &str) -> Option<TemplateProblem> {
    let at = |p: TemplateProblem| {
        let p = p.variable(var.key);
        match var.button {
            Some(i) => p.button(i),
            None => p,
        }
    };
    if value.trim().is_empty() {
        return Some(at(TemplateProblem::new(var.part, ProblemKind::Empty, "the value is empty")
            .prevents(REQUIRED_PARAMETER_MISSING)));
    }
    if value.contains(['\n', '\r', '\t']) || value.contains("     ") {
        return Some(at(TemplateProblem::new(
            var.part,
            ProblemKind::ForbiddenWhitespace,
            "a value may not hold newlines, tabs or more than four consecutive spaces",
        )
        .prevents(TEMPLATE_PARAMETER_ISSUE)));
    }
    None
}

/// The value for `key` in `values`, if given.
fn lookup<'v>(values: &'v [VariableValue], key: &str) -> Option<&'v str> {
    values.iter().find(|v| v.key == key).map(|v| v.value.as_str())
}

/// Check template and values against each other and the target; every problem.
pub fn problems(t: &Template, values: &TemplateValues, target: Provider) -> Vec<TemplateProblem> {
    let mut problems = validate(t);
    if target == Provider::Twilio {
        // Meta numbers positional variables per component; a Twilio Content template numbers them once
        // across the whole content (a body `{{1}} {{2}}` and a URL `{{3}}`), and its keys are what
        // `ContentVariables` carries (Twilio, "Using Variables with Content Templates", modified
        // 2026-07-31: numeric or alphanumeric keys, at most 100). So Meta's per-component numbering is
        // not a rule of a Twilio send; two values for one key are (`twilio_keys`).
        problems.retain(|p| p.kind != ProblemKind::Numbering);
    }
    match t.status {
        TemplateStatus::Approved => {}
        TemplateStatus::Paused => problems.push(
            TemplateProblem::new(Part::Template, ProblemKind::Paused, "Meta paused this template for low quality")
                .prevents(TEMPLATE_PAUSED),
        ),
        TemplateStatus::Disabled => problems.push(
            TemplateProblem::new(Part::Template, ProblemKind::Disabled, "Meta disabled this template")
                .prevents(TEMPLATE_DISABLED),
        ),
        _ => problems.push(
            TemplateProblem::new(Part::Template, ProblemKind::NotApproved, "the template is not approved")
                .prevents(TEMPLATE_NOT_AVAILABLE),
        ),
    }
    match target {
        Provider::Twilio if t.twilio_content_sid.is_none() => problems.push(TemplateProblem::new(
            Part::Template,
            ProblemKind::MissingProviderId,
            "Twilio sends templates by Content SID (HX...); this template has none (and a template as plain Body fails with 63016)",
        )),
        Provider::OneMsg if t.namespace.is_none() => problems.push(TemplateProblem::new(
            Part::Template,
            ProblemKind::MissingProviderId,
            "1msg needs the template's namespace",
        )),
        _ => {}
    }

    // Header.
    let format = t.header.as_ref().map(|h| h.format);
    let media_given = values.header_media.is_some();
    let location_given = values.header_location.is_some();
    match format {
        Some(HeaderFormat::Text) | None => {
            if media_given || location_given {
                problems.push(TemplateProblem::new(
                    Part::Header,
                    ProblemKind::WrongMedia,
                    "this header shows no media",
                ));
            }
            let header_vars = header_text(t).map(distinct).unwrap_or_default();
            match (&values.header_text, header_vars.first()) {
                (Some(given), Some(&key)) if given.key == key => {
                    if let Some(p) = check_value(&Var { part: Part::Header, button: None, key }, &given.value) {
                        problems.push(p);
                    }
                }
                (Some(given), expected) => {
                    problems.push(
                        TemplateProblem::new(
                            Part::Header,
                            ProblemKind::Unexpected,
                            "the header has no variable of this name",
                        )
                        .variable(&given.key)
                        .prevents(PARAMETER_COUNT_MISMATCH),
                    );
                    if let Some(key) = expected {
                        problems.push(missing(Part::Header, None, key));
                    }
                }
                (None, Some(key)) => problems.push(missing(Part::Header, None, key)),
                (None, None) => {}
            }
        }
        Some(media) => {
            if let Some(given) = &values.header_text {
                problems.push(
                    TemplateProblem::new(Part::Header, ProblemKind::Unexpected, "a media header has no text variable")
                        .variable(&given.key)
                        .prevents(PARAMETER_COUNT_MISMATCH),
                );
            }
            // Twilio sends the header media fixed in the Content template (`twilio/media`, `whatsapp/card`
            // `media`; Twilio, "Content types overview"): no send-time value reaches it, unless the content's
            // media URL holds a variable, which the template record does not say. A value given is refused
            // rather than silently dropped, and none is required.
            let twilio = target == Provider::Twilio;
            if twilio && (media_given || location_given) {
                problems.push(TemplateProblem::new(
                    Part::Header,
                    ProblemKind::AmbiguousProviderVariables,
                    "Twilio sends the header media set in the Content template; a media or location given here \
                     would not be sent: leave it out when sending through Twilio",
                ));
            }
            let ok = twilio
                || match media {
                    HeaderFormat::Location => location_given && !media_given,
                    _ => {
                        !location_given
                            && values.header_media.as_ref().is_some_and(|m| m.link.is_some() || m.id.is_some())
                    }
                };
            if !ok {
                let what = match media {
                    HeaderFormat::Image => "an image (a link or a media id)",
                    HeaderFormat::Video => "a video (a link or a media id)",
                    HeaderFormat::Document => "a document (a link or a media id)",
                    _ => "a location",
                };
                problems.push(
                    TemplateProblem::new(Part::Header, ProblemKind::WrongMedia, format!("the header needs {what}"))
                        .prevents(PARAMETER_FORMAT_MISMATCH),
                );
            } else if let Some(m) = values.header_media.as_ref().filter(|_| !twilio) {
                // Meta sends the header with the type the template declares; a file of another kind, or
                // a type Meta does not take, is refused when Meta fetches it.
                if let Some(why) = supported_media::mismatch(media, m) {
                    problems.push(
                        TemplateProblem::new(Part::Header, ProblemKind::WrongMedia, why).prevents(MEDIA_UPLOAD_ERROR),
                    );
                }
            }
        }
    }

    // Body.
    let body_vars = distinct(&t.body);
    for key in &body_vars {
        match lookup(&values.body, key) {
            None => problems.push(missing(Part::Body, None, key)),
            Some(value) => problems.extend(check_value(&Var { part: Part::Body, button: None, key }, value)),
        }
    }
    for given in values.body.iter().filter(|v| !body_vars.contains(&v.key.as_str())) {
        problems.push(
            TemplateProblem::new(Part::Body, ProblemKind::Unexpected, "the body has no variable of this name")
                .variable(&given.key)
                .prevents(PARAMETER_COUNT_MISMATCH),
        );
    }

    // Buttons.
    for (i, b) in t.buttons.iter().enumerate() {
        let given = button_value(values, i, t);
        match (b.kind, url_variable(b)) {
            (ButtonKind::Url, Some(key)) => match given {
                None => problems.push(missing(Part::Button, Some(i), key)),
                Some(v) => problems.extend(check_value(&Var { part: Part::Button, button: Some(i), key }, v)),
            },
            // An OTP button given no value takes the body's code, which the body check already covers.
            (ButtonKind::Otp, _) if !values.buttons.iter().any(|v| v.index as usize == i) && given.is_some() => {}
            (ButtonKind::CopyCode | ButtonKind::Otp, _) => match given {
                None => problems.push(
                    TemplateProblem::new(Part::Button, ProblemKind::Missing, "this button needs its code")
                        .button(i)
                        .prevents(REQUIRED_PARAMETER_MISSING),
                ),
                Some(v) => problems.extend(check_value(&Var { part: Part::Button, button: Some(i), key: "code" }, v)),
            },
            (ButtonKind::QuickReply, _) => {}
            // Meta's detail is "Button at index 0 of type Url does not require parameters"; its code is
            // unconfirmed (132000 chosen, see `prevents`).
            _ if given.is_some() && values.buttons.iter().any(|v| v.index as usize == i) => problems.push(
                TemplateProblem::new(Part::Button, ProblemKind::Unexpected, "this button takes no value")
                    .button(i)
                    .prevents(PARAMETER_COUNT_MISMATCH),
            ),
            _ => {}
        }
    }
    // No button at that index: code unconfirmed (132000 chosen, see `prevents`).
    for v in values.buttons.iter().filter(|v| v.index as usize >= t.buttons.len()) {
        problems.push(
            TemplateProblem::new(Part::Button, ProblemKind::Unexpected, "the template has no button at this index")
                .button(v.index as usize)
                .prevents(PARAMETER_COUNT_MISMATCH),
        );
    }

    // Lengths once the values are in (only meaningful when the values themselves are fine).
    if let Some(text) = header_text(t) {
        let filled = fill(text, |k| values.header_text.as_ref().filter(|v| v.key == k).map(|v| v.value.clone()));
        if chars(text) <= HEADER_TEXT_MAX && chars(&filled) > HEADER_TEXT_MAX {
            problems.push(
                TemplateProblem::new(
                    Part::Header,
                    ProblemKind::TooLong,
                    format!("with its value the header has {} characters; at most {HEADER_TEXT_MAX}", chars(&filled)),
                )
                .prevents(TEXT_TOO_LONG),
            );
        }
    }
    let filled_body = fill(&t.body, |k| lookup(&values.body, k).map(str::to_string));
    if chars(&t.body) <= BODY_MAX && chars(&filled_body) > BODY_MAX {
        problems.push(
            TemplateProblem::new(
                Part::Body,
                ProblemKind::TooLong,
                format!("with its values the body has {} characters; at most {BODY_MAX}", chars(&filled_body)),
            )
            .prevents(TEXT_TOO_LONG),
        );
    }
    if target == Provider::Twilio {
        problems.extend(twilio_keys::problems(t, values));
    }
    problems
}

/// A variable with no value: Meta counts header and body parameters (132000), and asks a button for
/// its own (131008).
fn missing(part: Part, button: Option<usize>, key: &str) -> TemplateProblem {
    let p = TemplateProblem::new(part, ProblemKind::Missing, format!("`{{{{{key}}}}}` needs a value")).variable(key);
    match button {
        Some(i) => p.button(i).prevents(REQUIRED_PARAMETER_MISSING),
        None => p.prevents(PARAMETER_COUNT_MISMATCH),
    }
}

/// A button's value; an OTP button takes the body's code when it is given none.
fn button_value<'v>(values: &'v TemplateValues, index: usize, t: &Template) -> Option<&'v str> {
    let given = values.buttons.iter().find(|v| v.index as usize == index).map(|v| v.value.as_str());
    match (given, t.buttons.get(index).map(|b| b.kind)) {
        (None, Some(ButtonKind::Otp)) => match distinct(&t.body).as_slice() {
            [key] => lookup(&values.body, key),
            _ => None,
        },
        (given, _) => given,
    }
}

/// Render, or return every problem.
pub fn render(t: &Template, values: &TemplateValues, target: Provider) -> Result<Rendered, Vec<TemplateProblem>> {
    let problems = problems(t, values, target);
    if !problems.is_empty() {
        return Err(problems);
    }
    let payload = match target {
        Provider::MetaCloud => {
            json!({"name": t.name, "language": {"code": t.language}, "components": components(t, values)})
        }
        Provider::Twilio => json!({
            "ContentSid": t.twilio_content_sid,
            "ContentVariables": Value::Object(twilio_keys::content_variables(t, values)).to_string(),
        }),
        Provider::OneMsg => json!({
            "namespace": t.namespace,
            "template": t.name,
            "language": {"policy": "deterministic", "code": t.language},
            "params": components(t, values),
        }),
    };
    let mut payload = payload;
    if payload["components"].as_array().is_some_and(Vec::is_empty) {
        // Meta's own examples leave `components` out when nothing is filled in.
        payload.as_object_mut().map(|o| o.remove("components"));
    }
    Ok(Rendered { provider: target, payload: payload.to_string(), text: customer_text(t, values) })
}

/// A text parameter; named templates say which variable it fills.
fn text_parameter(t: &Template, key: &str, value: &str) -> Value {
    match t.parameter_format {
        ParameterFormat::Named => json!({"type": "text", "parameter_name": key, "text": value}),
        ParameterFormat::Positional => json!({"type": "text", "text": value}),
    }
}

/// Meta's `components[]` (also what 1msg takes as `params`).
fn components(t: &Template, values: &TemplateValues) -> Vec<Value> {
    let mut out = Vec::new();
    match t.header.as_ref().map(|h| h.format) {
        Some(HeaderFormat::Text) => {
            if let Some(v) = &values.header_text {
                out.push(json!({"type": "header", "parameters": [text_parameter(t, &v.key, &v.value)]}));
            }
        }
        Some(HeaderFormat::Location) => {
            if let Some(l) = &values.header_location {
                // Meta's documented location header sends the coordinates as strings.
                let mut location = json!({"latitude": crate::decimal::display(l.latitude), "longitude": crate::decimal::display(l.longitude)});
                if let Some(name) = &l.name {
                    location["name"] = json!(name);
                }
                if let Some(address) = &l.address {
                    location["address"] = json!(address);
                }
                out.push(json!({"type": "header", "parameters": [{"type": "location", "location": location}]}));
            }
        }
        Some(format) => {
            if let Some(m) = &values.header_media {
                let kind = match format {
                    HeaderFormat::Image => "image",
                    HeaderFormat::Video => "video",
                    _ => "document",
                };
                let mut media = Map::new();
                match (&m.id, &m.link) {
                    (Some(id), _) => media.insert("id".into(), json!(id)),
                    (None, link) => media.insert("link".into(), json!(link)),
                };
                if let (HeaderFormat::Document, Some(filename)) = (format, &m.filename) {
                    media.insert("filename".into(), json!(filename));
                }
                out.push(json!({"type": "header", "parameters": [{"type": kind, kind: media}]}));
            }
        }
        None => {}
    }
    let body: Vec<Value> = distinct(&t.body)
        .into_iter()
        .filter_map(|k| lookup(&values.body, k).map(|v| text_parameter(t, k, v)))
        .collect();
    if !body.is_empty() {
        out.push(json!({"type": "body", "parameters": body}));
    }
    for (i, b) in t.buttons.iter().enumerate() {
        let Some(value) = button_value(values, i, t) else { continue };
        let (sub_type, parameter) = match b.kind {
            ButtonKind::Url | ButtonKind::Otp => ("url", json!({"type": "text", "text": value})),
            ButtonKind::QuickReply => ("quick_reply", json!({"type": "payload", "payload": value})),
            ButtonKind::CopyCode => ("copy_code", json!({"type": "coupon_code", "coupon_code": value})),
            ButtonKind::PhoneNumber => continue,
        };
        out.push(json!({"type": "button", "sub_type": sub_type, "index": i.to_string(), "parameters": [parameter]}));
    }
    out
}

/// Header, body, footer and button labels, as the customer reads them.
pub fn customer_text(t: &Template, values: &TemplateValues) -> String {
    let mut blocks = Vec::new();
    if let Some(text) = header_text(t) {
        blocks.push(fill(text, |k| values.header_text.as_ref().filter(|v| v.key == k).map(|v| v.value.clone())));
    }
    blocks.push(fill(&t.body, |k| lookup(&values.body, k).map(str::to_string)));
    if let Some(footer) = &t.footer {
        blocks.push(footer.clone());
    }
    if !t.buttons.is_empty() {
        blocks.push(t.buttons.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n"));
    }
    blocks.join("\n\n")
}

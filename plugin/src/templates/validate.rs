//! Meta's rules for a template itself: lengths, variable numbering and names, where variables may
//! stand, and button counts. Every problem is reported, not only the first.

use super::model::*;
use super::vars::{is_positional, is_valid_name, keys};

pub const BODY_MAX: usize = 1024;
pub const HEADER_TEXT_MAX: usize = 60;
pub const FOOTER_MAX: usize = 60;
pub const BUTTON_TEXT_MAX: usize = 25;
pub const BUTTONS_MAX: usize = 10;
pub const URL_BUTTONS_MAX: usize = 2;
pub const PHONE_BUTTONS_MAX: usize = 1;
pub const COPY_CODE_BUTTONS_MAX: usize = 1;

pub fn chars(text: &str) -> usize {
    text.chars().count()
}

/// The header's text, when it is a text header.
pub fn header_text(t: &Template) -> Option<&str> {
    t.header.as_ref().filter(|h| h.format == HeaderFormat::Text).and_then(|h| h.text.as_deref())
}

/// The variable of a URL button (at most one, at the end of the URL).
pub fn url_variable(button: &Button) -> Option<&str> {
    match button.kind {
        ButtonKind::Url => button.url.as_deref().and_then(|u| keys(u).into_iter().next()),
        _ => None,
    }
}

/// Every problem of the template itself.
pub fn validate(t: &Template) -> Vec<TemplateProblem> {
    let mut problems = Vec::new();
    let too_long = |part: Part, what: &str, len: usize, max: usize| {
        TemplateProblem::new(
            part,
            ProblemKind::TooLong,
            format!("the {what} has {len} characters; at most {max} are allowed"),
        )
    };
    if let Some(text) = header_text(t).filter(|h| chars(h) > HEADER_TEXT_MAX) {
        problems.push(too_long(Part::Header, "header text", chars(text), HEADER_TEXT_MAX));
    }
    if chars(&t.body) > BODY_MAX {
        problems.push(too_long(Part::Body, "body", chars(&t.body), BODY_MAX));
    }
    if let Some(footer) = t.footer.as_deref().filter(|f| chars(f) > FOOTER_MAX) {
        problems.push(too_long(Part::Footer, "footer", chars(footer), FOOTER_MAX));
    }
    for (i, b) in t.buttons.iter().enumerate() {
        if chars(&b.text) > BUTTON_TEXT_MAX {
            problems.push(too_long(Part::Button, "button text", chars(&b.text), BUTTON_TEXT_MAX).button(i));
        }
    }

    // Where variables may stand.
    if let Some(text) = header_text(t) {
        let n = keys(text).len();
        if n > 1 {
            problems.push(TemplateProblem::new(
                Part::Header,
                ProblemKind::VariablesNotAllowed,
                format!("a text header may hold one variable; this one holds {n}"),
            ));
        }
    }
    if let Some(footer) = &t.footer {
        for key in keys(footer) {
            problems.push(
                TemplateProblem::new(
                    Part::Footer,
                    ProblemKind::VariablesNotAllowed,
                    "the footer cannot hold variables",
                )
                .variable(key),
            );
        }
    }

    // Names, formats and numbering, per component.
    let mut components: Vec<(Part, Option<usize>, Vec<&str>)> = Vec::new();
    if let Some(text) = header_text(t) {
        components.push((Part::Header, None, keys(text)));
    }
    components.push((Part::Body, None, keys(&t.body)));
    for (i, b) in t.buttons.iter().enumerate() {
        if let (ButtonKind::Url, Some(url)) = (b.kind, &b.url) {
            components.push((Part::Button, Some(i), keys(url)));
        }
    }
    for (part, button, found) in &components {
        let at = |p: TemplateProblem| match button {
            Some(i) => p.button(*i),
            None => p,
        };
        for key in found {
            let problem = match (is_positional(key), is_valid_name(key), t.parameter_format) {
                (true, _, ParameterFormat::Positional) | (_, true, ParameterFormat::Named) => None,
                (true, _, ParameterFormat::Named) => Some((
                    ProblemKind::MixedFormats,
                    format!("`{{{{{key}}}}}` is positional, but the template's parameter format is named"),
                )),
                (_, true, ParameterFormat::Positional) => Some((
                    ProblemKind::MixedFormats,
                    format!("`{{{{{key}}}}}` is named, but the template's parameter format is positional"),
                )),
                _ => Some((
                    ProblemKind::BadVariableName,
                    format!(
                        "`{{{{{key}}}}}` is not a variable: use {{{{1}}}}, {{{{2}}}}... or lowercase letters, digits and underscores"
                    ),
                )),
            };
            if let Some((kind, detail)) = problem {
                problems.push(at(TemplateProblem::new(*part, kind, detail).variable(key)));
            }
        }
        if t.parameter_format == ParameterFormat::Positional {
            let mut numbers: Vec<u64> =
                found.iter().filter(|k| is_positional(k)).filter_map(|k| k.parse().ok()).collect();
            crate::sort::sort_by(&mut numbers, |a, b| a.cmp(b));
            let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
            if numbers != expected {
                let list: Vec<String> = numbers.iter().map(|n| format!("{{{{{n}}}}}")).collect();
                problems.push(at(TemplateProblem::new(
                    *part,
                    ProblemKind::Numbering,
                    format!(
                        "positional variables must be {{{{1}}}} to {{{{{}}}}} without gaps or repeats; found {}",
                        numbers.len(),
                        list.join(", ")
                    ),
                )));
            }
        }
    }

    // Buttons.
    let count = |kind: ButtonKind| t.buttons.iter().filter(|b| b.kind == kind).count();
    let limits = [
        (None, t.buttons.len(), BUTTONS_MAX, "buttons"),
        (Some(ButtonKind::Url), count(ButtonKind::Url), URL_BUTTONS_MAX, "URL buttons"),
        (Some(ButtonKind::PhoneNumber), count(ButtonKind::PhoneNumber), PHONE_BUTTONS_MAX, "phone-number buttons"),
        (Some(ButtonKind::CopyCode), count(ButtonKind::CopyCode), COPY_CODE_BUTTONS_MAX, "copy-code buttons"),
    ];
    for (_, n, max, what) in limits {
        if n > max {
            problems.push(TemplateProblem::new(
                Part::Button,
                ProblemKind::TooManyButtons,
                format!("{n} {what}; a template may have at most {max}"),
            ));
        }
    }
    for (i, b) in t.buttons.iter().enumerate() {
        match b.kind {
            ButtonKind::Url => match b.url.as_deref().filter(|u| !u.trim().is_empty()) {
                None => problems.push(
                    TemplateProblem::new(Part::Button, ProblemKind::BadButton, "a URL button needs its URL").button(i),
                ),
                Some(url) => {
                    let vars = keys(url);
                    if vars.len() > 1 || (vars.len() == 1 && !url.trim_end().ends_with("}}")) {
                        problems.push(
                            TemplateProblem::new(
                                Part::Button,
                                ProblemKind::BadButton,
                                "a URL may hold one variable, at its very end (the dynamic suffix)",
                            )
                            .button(i),
                        );
                    }
                }
            },
            ButtonKind::PhoneNumber if b.phone_number.as_deref().is_none_or(|p| p.trim().is_empty()) => problems.push(
                TemplateProblem::new(Part::Button, ProblemKind::BadButton, "a phone-number button needs its number")
                    .button(i),
            ),
            _ => {}
        }
    }
    // The category. A template is marketing, utility or authentication (Meta, Template categorization,
    // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-categorization);
    // `group-*` is what Meta bills a template when it is sent to a group (Meta, Groups API Pricing,
    // Oct 22, 2025), never a template's own category.
    if t.category.is_group() {
        problems.push(TemplateProblem::new(
            Part::Template,
            ProblemKind::WrongCategory,
            format!(
                "`{}` is a pricing category for messages sent to a group, not a template's category; use `{}`",
                t.category.name(),
                t.category.name().trim_start_matches("group-")
            ),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::MessageCategory;

    /// The shared sample template reduced to a body.
    pub(crate) fn template(body: &str) -> Template {
        Template {
            header: None,
            body: body.into(),
            footer: None,
            buttons: vec![],
            twilio_content_sid: None,
            namespace: None,
            ..crate::templates::tests::order_update()
        }
    }

    fn kinds(t: &Template) -> Vec<(Part, ProblemKind)> {
        validate(t).into_iter().map(|p| (p.part, p.kind)).collect()
    }

    #[test]
    fn a_clean_template_has_no_problems() {
        let mut t = template("Hi {{1}}, your order {{2}} has shipped.");
        t.header = Some(Header { format: HeaderFormat::Text, text: Some("Order {{1}}".into()) });
        t.footer = Some("Reply STOP to opt out".into());
        t.buttons = vec![Button {
            kind: ButtonKind::Url,
            text: "Track".into(),
            url: Some("https://example.com/t/{{1}}".into()),
            phone_number: None,
        }];
        assert_eq!(validate(&t), vec![]);
    }

    #[test]
    fn several_problems_at_once() {
        let mut t = template("Hi {{1}}, order {{3}}.");
        t.header = Some(Header { format: HeaderFormat::Text, text: Some("{{1}} and {{2}}".into()) });
        t.footer = Some("Code {{1}}".into());
        let url =
            |u: &str| Button { kind: ButtonKind::Url, text: "Go".into(), url: Some(u.into()), phone_number: None };
        t.buttons = vec![url("https://a.example/{{1}}"), url("https://b.example"), url("https://c.example/{{1}}/x")];
        let found = kinds(&t);
        assert!(found.contains(&(Part::Body, ProblemKind::Numbering)), "{found:?}");
        assert!(found.contains(&(Part::Header, ProblemKind::VariablesNotAllowed)));
        assert!(found.contains(&(Part::Footer, ProblemKind::VariablesNotAllowed)));
        assert!(found.contains(&(Part::Button, ProblemKind::TooManyButtons)));
        assert!(found.contains(&(Part::Button, ProblemKind::BadButton)), "a variable mid-URL");
    }

    #[test]
    fn names_and_formats() {
        let mut t = template("Hi {{first_name}}, order {{Order}}.");
        t.parameter_format = ParameterFormat::Named;
        assert_eq!(kinds(&t), vec![(Part::Body, ProblemKind::BadVariableName)]);
        let mixed = template("Hi {{1}}, order {{order_id}}.");
        assert!(kinds(&mixed).contains(&(Part::Body, ProblemKind::MixedFormats)));
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        let t = template(&"é".repeat(1024));
        assert_eq!(validate(&t), vec![]);
        let t = template(&"é".repeat(1025));
        assert_eq!(kinds(&t), vec![(Part::Body, ProblemKind::TooLong)]);
    }

    #[test]
    fn a_group_category_is_not_a_template_category() {
        let mut t = template("Your order shipped.");
        for category in MessageCategory::ALL.into_iter().filter(|c| !c.is_group()) {
            t.category = category;
            assert_eq!(validate(&t), vec![], "{category:?}");
        }
        t.category = MessageCategory::GroupUtility;
        let problems = validate(&t);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].part, problems[0].kind), (Part::Template, ProblemKind::WrongCategory));
        assert!(problems[0].detail.contains("use `utility`"), "{}", problems[0].detail);
    }
}

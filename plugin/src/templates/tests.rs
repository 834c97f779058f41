use proptest::prelude::*;
use serde_json::{Value, json};

use super::draft::{check_draft, preview};
use super::model::*;
use super::render::render;
use super::select::select;
use crate::types::MessageCategory;
use crate::types::Provider;

/// The sample template the template tests share (positional, text header, URL and quick-reply buttons).
pub(crate) fn order_update() -> Template {
    Template {
        name: "order_update".into(),
        language: "en_US".into(),
        category: MessageCategory::Utility,
        status: TemplateStatus::Approved,
        parameter_format: ParameterFormat::Positional,
        header: Some(Header { format: HeaderFormat::Text, text: Some("Order {{1}}".into()) }),
        body: "Hi {{1}}, your order {{2}} ships on {{3}}.".into(),
        footer: Some("Questions? Reply to this message.".into()),
        buttons: vec![
            Button {
                kind: ButtonKind::Url,
                text: "Track".into(),
                url: Some("https://shop.example/t/{{1}}".into()),
                phone_number: None,
            },
            Button { kind: ButtonKind::QuickReply, text: "Talk to us".into(), url: None, phone_number: None },
        ],
        twilio_content_sid: Some("HX0123456789abcdef0123456789abcdef".into()),
        namespace: Some("ns_1".into()),
    }
}

fn v(key: &str, value: &str) -> VariableValue {
    VariableValue { key: key.into(), value: value.into() }
}

fn filled() -> TemplateValues {
    TemplateValues {
        body: vec![v("1", "Ana"), v("2", "A-1042"), v("3", "Monday")],
        header_text: Some(v("1", "A-1042")),
        buttons: vec![ButtonValue { index: 0, value: "A-1042".into() }],
        ..TemplateValues::default()
    }
}

fn payload(r: &Rendered) -> Value {
    serde_json::from_str(&r.payload).unwrap()
}

#[test]
fn meta_payload_and_customer_text() {
    let r = render(&order_update(), &filled(), Provider::MetaCloud).unwrap();
    assert_eq!(
        payload(&r),
        json!({"name": "order_update", "language": {"code": "en_US"}, "components": [
            {"type": "header", "parameters": [{"type": "text", "text": "A-1042"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "A-1042"}, {"type": "text", "text": "Monday"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "A-1042"}]}
        ]})
    );
    assert_eq!(
        r.text,
        "Order A-1042\n\nHi Ana, your order A-1042 ships on Monday.\n\nQuestions? Reply to this message.\n\nTrack\nTalk to us"
    );
}

/// `ContentVariables` parsed from a Twilio payload.
fn content_variables(r: &Rendered) -> Value {
    serde_json::from_str(payload(r)["ContentVariables"].as_str().unwrap()).unwrap()
}

#[test]
fn twilio_and_one_msg_payloads() {
    // Header, body and URL share key `1` (Twilio numbers across the whole content): one value, sent once.
    let mut same = filled();
    same.header_text = Some(v("1", "Ana"));
    same.buttons = vec![ButtonValue { index: 0, value: "Ana".into() }];
    let r = render(&order_update(), &same, Provider::Twilio).unwrap();
    let p = payload(&r);
    assert_eq!(p["ContentSid"], "HX0123456789abcdef0123456789abcdef");
    assert_eq!(content_variables(&r), json!({"1": "Ana", "2": "A-1042", "3": "Monday"}));
    let r = render(&order_update(), &filled(), Provider::OneMsg).unwrap();
    let p = payload(&r);
    assert_eq!(p["namespace"], "ns_1");
    assert_eq!(p["language"], json!({"policy": "deterministic", "code": "en_US"}));
    assert_eq!(p["params"].as_array().unwrap().len(), 3);
}

#[test]
fn named_parameters_carry_their_names() {
    let t = Template {
        parameter_format: ParameterFormat::Named,
        header: None,
        footer: None,
        buttons: vec![],
        body: "Hi {{first_name}}, order {{order_id}} is ready.".into(),
        ..order_update()
    };
    let values =
        TemplateValues { body: vec![v("order_id", "A-7"), v("first_name", "Ana")], ..TemplateValues::default() };
    let r = render(&t, &values, Provider::MetaCloud).unwrap();
    assert_eq!(
        payload(&r)["components"][0]["parameters"],
        json!([{"type": "text", "parameter_name": "first_name", "text": "Ana"}, {"type": "text", "parameter_name": "order_id", "text": "A-7"}])
    );
}

#[test]
fn every_problem_is_named() {
    let mut values = filled();
    values.body = vec![v("1", "Ana\nSmith"), v("2", "   "), v("9", "x")];
    values.buttons.clear();
    let problems = render(&order_update(), &values, Provider::MetaCloud).unwrap_err();
    let found: Vec<(Part, Option<&str>, ProblemKind, Option<u32>)> =
        problems.iter().map(|p| (p.part, p.variable.as_deref(), p.kind, p.prevents_meta_error)).collect();
    assert!(found.contains(&(Part::Body, Some("1"), ProblemKind::ForbiddenWhitespace, Some(132018))), "{found:?}");
    assert!(found.contains(&(Part::Body, Some("2"), ProblemKind::Empty, Some(131008))));
    assert!(found.contains(&(Part::Body, Some("3"), ProblemKind::Missing, Some(132000))));
    assert!(found.contains(&(Part::Body, Some("9"), ProblemKind::Unexpected, Some(132000))));
    assert!(found.contains(&(Part::Button, Some("1"), ProblemKind::Missing, Some(131008))));
    assert_eq!(found.len(), 5);
}

#[test]
fn status_and_provider_ids_are_checked() {
    let t = Template {
        status: TemplateStatus::Paused,
        twilio_content_sid: None,
        header: None,
        buttons: vec![],
        ..order_update()
    };
    let values = TemplateValues { header_text: None, buttons: vec![], ..filled() };
    let kinds: Vec<ProblemKind> = render(&t, &values, Provider::Twilio).unwrap_err().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::Paused, ProblemKind::MissingProviderId]);
}

#[test]
fn the_draft_reads_back_and_refuses_edited_fixed_text() {
    let t = order_update();
    let draft = preview(&t, &TemplateValues::default());
    assert!(draft.text.starts_with("Order [Header variable 1]\n\nHi [Body variable 1], your order"), "{}", draft.text);
    let full = preview(&t, &filled());
    assert_eq!(check_draft(&t, &full.text).unwrap(), filled());
    let edited = full.text.replace("ships on", "will ship on");
    let changed = check_draft(&t, &edited).unwrap_err();
    // Where a value ends and an edit begins is ambiguous; the position falls inside the edited phrase.
    let (start, end) = (edited.find("A-1042 will").unwrap(), edited.find("Monday").unwrap());
    assert!((start..end).contains(&(changed.position as usize)), "{changed:?}");
    assert!(" ships on ".ends_with(&changed.expected), "{changed:?}");
    // An edit inside the fixed text before any value is found exactly.
    let changed = check_draft(&t, &full.text.replacen("Hi ", "Hello ", 1)).unwrap_err();
    assert_eq!(changed.position as usize, full.text.find("Hi ").unwrap() + 1);
    assert_eq!((changed.expected.as_str(), &changed.found[..4]), ("i ", "ello"));
    // Text added after the fixed end (here the footer) is refused too.
    let no_buttons = Template { buttons: vec![], ..order_update() };
    let text = preview(&no_buttons, &filled()).text;
    let changed = check_draft(&no_buttons, &format!("{text} Thanks!")).unwrap_err();
    assert_eq!((changed.position as usize, changed.found.as_str()), (text.chars().count(), " Thanks!"));
}

#[test]
fn language_selection() {
    let mut list = vec![order_update()];
    list.push(Template { language: "pt_BR".into(), ..order_update() });
    list.push(Template { language: "es".into(), status: TemplateStatus::Pending, ..order_update() });
    let pick = |prefs: &[&str], fallback| {
        let prefs: Vec<String> = prefs.iter().map(|p| p.to_string()).collect();
        select(&list, "order_update", &prefs, fallback).map(|t| t.language)
    };
    assert_eq!(pick(&["pt-BR"], None).unwrap(), "pt_BR");
    assert_eq!(pick(&["pt_PT", "en_GB"], None).unwrap(), "pt_BR", "base language pt");
    assert_eq!(pick(&["es"], Some("en_US")).unwrap(), "en_US", "es is not approved");
    let none = pick(&["fr"], None).unwrap_err();
    assert_eq!(none.available, ["en_US", "pt_BR", "es"]);
}

fn button(kind: ButtonKind, text: &str, url: Option<&str>) -> Button {
    Button { kind, text: text.into(), url: url.map(str::to_string), phone_number: None }
}

fn media(link: Option<&str>, id: Option<&str>, mime_type: Option<&str>) -> Option<Media> {
    Some(Media {
        link: link.map(str::to_string),
        id: id.map(str::to_string),
        filename: None,
        mime_type: mime_type.map(str::to_string),
    })
}

/// One mistake, and the problem (with the Meta code it prevents) it must give.
struct Case {
    what: &'static str,
    template: Template,
    values: TemplateValues,
    target: Provider,
    expect: (Part, Option<u32>, Option<&'static str>, ProblemKind, Option<u32>),
}

/// A body-only template with one variable, approved.
fn plain() -> Template {
    Template { header: None, footer: None, buttons: vec![], body: "Hi {{1}}, thanks.".into(), ..order_update() }
}

fn body(value: &str) -> TemplateValues {
    TemplateValues { body: vec![v("1", value)], ..TemplateValues::default() }
}

fn with_header(format: HeaderFormat) -> Template {
    Template { header: Some(Header { format, text: None }), ..plain() }
}

fn with_button(b: Button) -> Template {
    Template { buttons: vec![b], ..plain() }
}

fn button_value(index: u32, value: &str) -> Vec<ButtonValue> {
    vec![ButtonValue { index, value: value.into() }]
}

fn mapping_cases() -> Vec<Case> {
    let meta = Provider::MetaCloud;
    let url = || button(ButtonKind::Url, "Track", Some("https://shop.example/t/{{1}}"));
    let text_header =
        Template { header: Some(Header { format: HeaderFormat::Text, text: Some("Order {{1}}".into()) }), ..plain() };
    vec![
        Case {
            what: "body value missing",
            template: plain(),
            values: TemplateValues::default(),
            target: meta,
            expect: (Part::Body, None, Some("1"), ProblemKind::Missing, Some(132000)),
        },
        Case {
            what: "header value missing",
            template: text_header.clone(),
            values: body("Ana"),
            target: meta,
            expect: (Part::Header, None, Some("1"), ProblemKind::Missing, Some(132000)),
        },
        Case {
            what: "URL suffix missing (issue 13)",
            template: with_button(url()),
            values: body("Ana"),
            target: meta,
            expect: (Part::Button, Some(0), Some("1"), ProblemKind::Missing, Some(131008)),
        },
        Case {
            what: "copy code missing",
            template: with_button(button(ButtonKind::CopyCode, "Copy", None)),
            values: body("Ana"),
            target: meta,
            expect: (Part::Button, Some(0), None, ProblemKind::Missing, Some(131008)),
        },
        Case {
            what: "one-time password missing",
            template: Template { body: "Your code.".into(), ..with_button(button(ButtonKind::Otp, "Copy code", None)) },
            values: TemplateValues::default(),
            target: meta,
            expect: (Part::Button, Some(0), None, ProblemKind::Missing, Some(131008)),
        },
        Case {
            what: "body value empty",
            template: plain(),
            values: body(""),
            target: meta,
            expect: (Part::Body, None, Some("1"), ProblemKind::Empty, Some(131008)),
        },
        Case {
            what: "body value only spaces",
            template: plain(),
            values: body("   "),
            target: meta,
            expect: (Part::Body, None, Some("1"), ProblemKind::Empty, Some(131008)),
        },
        Case {
            what: "URL suffix empty",
            template: with_button(url()),
            values: TemplateValues { buttons: button_value(0, ""), ..body("Ana") },
            target: meta,
            expect: (Part::Button, Some(0), Some("1"), ProblemKind::Empty, Some(131008)),
        },
        Case {
            what: "newline in a value",
            template: plain(),
            values: body("Ana\nSmith"),
            target: meta,
            expect: (Part::Body, None, Some("1"), ProblemKind::ForbiddenWhitespace, Some(132018)),
        },
        Case {
            what: "tab in a URL suffix",
            template: with_button(url()),
            values: TemplateValues { buttons: button_value(0, "A\t1"), ..body("Ana") },
            target: meta,
            expect: (Part::Button, Some(0), Some("1"), ProblemKind::ForbiddenWhitespace, Some(132018)),
        },
        Case {
            what: "five spaces in a value",
            template: plain(),
            values: body("Ana     Smith"),
            target: meta,
            expect: (Part::Body, None, Some("1"), ProblemKind::ForbiddenWhitespace, Some(132018)),
        },
        Case {
            what: "body value the template lacks",
            template: plain(),
            values: TemplateValues { body: vec![v("1", "Ana"), v("2", "x")], ..TemplateValues::default() },
            target: meta,
            expect: (Part::Body, None, Some("2"), ProblemKind::Unexpected, Some(132000)),
        },
        Case {
            what: "header value the template lacks",
            template: plain(),
            values: TemplateValues { header_text: Some(v("1", "x")), ..body("Ana") },
            target: meta,
            expect: (Part::Header, None, Some("1"), ProblemKind::Unexpected, Some(132000)),
        },
        Case {
            what: "value for a static URL button",
            template: with_button(button(ButtonKind::Url, "Shop", Some("https://shop.example"))),
            values: TemplateValues { buttons: button_value(0, "x"), ..body("Ana") },
            target: meta,
            expect: (Part::Button, Some(0), None, ProblemKind::Unexpected, Some(132000)),
        },
        Case {
            what: "value for a button that is not there",
            template: plain(),
            values: TemplateValues { buttons: button_value(3, "x"), ..body("Ana") },
            target: meta,
            expect: (Part::Button, Some(3), None, ProblemKind::Unexpected, Some(132000)),
        },
        Case {
            what: "body too long with its value",
            template: plain(),
            values: body(&"a".repeat(1020)),
            target: meta,
            expect: (Part::Body, None, None, ProblemKind::TooLong, Some(132005)),
        },
        Case {
            what: "header too long with its value",
            template: text_header,
            values: TemplateValues { header_text: Some(v("1", &"a".repeat(55))), ..body("Ana") },
            target: meta,
            expect: (Part::Header, None, None, ProblemKind::TooLong, Some(132005)),
        },
        Case {
            what: "image header without media",
            template: with_header(HeaderFormat::Image),
            values: body("Ana"),
            target: meta,
            expect: (Part::Header, None, None, ProblemKind::WrongMedia, Some(132012)),
        },
        Case {
            what: "location header without location",
            template: with_header(HeaderFormat::Location),
            values: body("Ana"),
            target: meta,
            expect: (Part::Header, None, None, ProblemKind::WrongMedia, Some(132012)),
        },
        Case {
            what: "video for an image header",
            template: with_header(HeaderFormat::Image),
            values: TemplateValues { header_media: media(Some("https://a.example/v.mp4"), None, None), ..body("Ana") },
            target: meta,
            expect: (Part::Header, None, None, ProblemKind::WrongMedia, Some(131053)),
        },
        Case {
            what: "image type Meta does not take",
            template: with_header(HeaderFormat::Image),
            values: TemplateValues { header_media: media(None, Some("77"), Some("image/webp")), ..body("Ana") },
            target: meta,
            expect: (Part::Header, None, None, ProblemKind::WrongMedia, Some(131053)),
        },
        Case {
            what: "media for a header that shows none",
            template: plain(),
            values: TemplateValues { header_media: media(Some("https://a.example/p.jpg"), None, None), ..body("Ana") },
            target: meta,
            expect: (Part::Header, None, None, ProblemKind::WrongMedia, None),
        },
        Case {
            what: "paused",
            template: Template { status: TemplateStatus::Paused, ..plain() },
            values: body("Ana"),
            target: meta,
            expect: (Part::Template, None, None, ProblemKind::Paused, Some(132015)),
        },
        Case {
            what: "disabled",
            template: Template { status: TemplateStatus::Disabled, ..plain() },
            values: body("Ana"),
            target: meta,
            expect: (Part::Template, None, None, ProblemKind::Disabled, Some(132016)),
        },
        Case {
            what: "pending",
            template: Template { status: TemplateStatus::Pending, ..plain() },
            values: body("Ana"),
            target: meta,
            expect: (Part::Template, None, None, ProblemKind::NotApproved, Some(132001)),
        },
        Case {
            what: "rejected",
            template: Template { status: TemplateStatus::Rejected, ..plain() },
            values: body("Ana"),
            target: meta,
            expect: (Part::Template, None, None, ProblemKind::NotApproved, Some(132001)),
        },
        Case {
            what: "in appeal",
            template: Template { status: TemplateStatus::InAppeal, ..plain() },
            values: body("Ana"),
            target: meta,
            expect: (Part::Template, None, None, ProblemKind::NotApproved, Some(132001)),
        },
        Case {
            what: "no Twilio Content SID",
            template: Template { twilio_content_sid: None, ..plain() },
            values: body("Ana"),
            target: Provider::Twilio,
            expect: (Part::Template, None, None, ProblemKind::MissingProviderId, None),
        },
        Case {
            what: "one Twilio key, two values",
            template: order_update(),
            values: filled(),
            target: Provider::Twilio,
            expect: (Part::Body, None, Some("1"), ProblemKind::AmbiguousProviderVariables, None),
        },
        Case {
            what: "a definition problem (footer variable)",
            template: Template { footer: Some("Code {{1}}".into()), ..plain() },
            values: body("Ana"),
            target: meta,
            expect: (Part::Footer, None, Some("1"), ProblemKind::VariablesNotAllowed, None),
        },
    ]
}

#[test]
fn each_problem_prevents_the_code_meta_returns() {
    for case in mapping_cases() {
        let problems = render(&case.template, &case.values, case.target).unwrap_err();
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.part, p.button_index, p.variable.as_deref(), p.kind, p.prevents_meta_error))
            .collect();
        assert!(found.contains(&case.expect), "{}: expected {:?} among {found:?}", case.what, case.expect);
        // The same mistake never reports another code elsewhere.
        let codes: Vec<_> = found.iter().filter(|f| f.3 == case.expect.3).map(|f| f.4).collect();
        assert!(codes.iter().all(|c| *c == case.expect.4), "{}: {found:?}", case.what);
    }
}

#[test]
fn header_media_of_the_wrong_kind_is_refused_before_sending() {
    let render_media = |format, m: Option<Media>| {
        let values = TemplateValues { header_media: m, ..body("Ana") };
        render(&with_header(format), &values, Provider::MetaCloud)
    };
    let wrong = |format, m| {
        let problems = render_media(format, m).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].kind, problems[0].prevents_meta_error), (ProblemKind::WrongMedia, Some(131053)));
        problems[0].detail.clone()
    };
    // A .mp4 link for an image header (query string ignored), a PDF for a video header, a photo for a document.
    let d = wrong(HeaderFormat::Image, media(Some("https://cdn.example/m/clip.mp4?v=2"), None, None));
    assert!(d.contains("a video (video/mp4)"), "{d}");
    let d = wrong(HeaderFormat::Video, media(Some("https://cdn.example/r/receipt.pdf"), None, None));
    assert!(d.contains("a document (application/pdf)"), "{d}");
    wrong(HeaderFormat::Document, media(None, Some("4490"), Some("image/png")));
    wrong(HeaderFormat::Video, media(None, Some("4490"), Some("video/quicktime")));
    // A JPEG said by MIME type passes, whatever the link looks like; a media id alone claims nothing.
    let ok = render_media(HeaderFormat::Image, media(None, Some("1013859600285441"), Some("image/jpeg"))).unwrap();
    assert_eq!(
        payload(&ok)["components"][0]["parameters"][0],
        json!({"type": "image", "image": {"id": "1013859600285441"}})
    );
    render_media(HeaderFormat::Video, media(None, Some("1013859600285441"), None)).unwrap();
    render_media(HeaderFormat::Document, media(Some("https://cdn.example/r/receipt.pdf"), None, None)).unwrap();
    render_media(HeaderFormat::Video, media(Some("https://cdn.example/stream?id=9"), None, None)).unwrap();
}

#[test]
fn the_issue_example_loses_no_value_for_twilio() {
    // Header {{1}} and body {{1}} {{2}}: Meta keeps all three, Twilio has keys "1" and "2" only.
    let t = Template {
        header: Some(Header { format: HeaderFormat::Text, text: Some("Order {{1}}".into()) }),
        body: "Hi {{1}}, your order {{2}} has shipped.".into(),
        footer: None,
        buttons: vec![],
        ..order_update()
    };
    let values = TemplateValues {
        header_text: Some(v("1", "A-1042")),
        body: vec![v("1", "Ana"), v("2", "A-1042")],
        ..TemplateValues::default()
    };
    let meta = render(&t, &values, Provider::MetaCloud).unwrap();
    assert_eq!(payload(&meta)["components"].as_array().map(Vec::len), Some(2));
    let problems = render(&t, &values, Provider::Twilio).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert_eq!(
        (p.part, p.variable.as_deref(), p.kind),
        (Part::Body, Some("1"), ProblemKind::AmbiguousProviderVariables)
    );
    assert!(
        p.detail.contains("the header gives \"A-1042\"") && p.detail.contains("the body gives \"Ana\""),
        "{}",
        p.detail
    );
    // The same value in both places is one Twilio variable: every value reaches the customer.
    let same = TemplateValues { header_text: Some(v("1", "Ana")), ..values };
    let r = render(&t, &same, Provider::Twilio).unwrap();
    assert_eq!(content_variables(&r), json!({"1": "Ana", "2": "A-1042"}));
    assert_eq!(r.text, "Order Ana\n\nHi Ana, your order A-1042 has shipped.");
}

#[test]
fn twilio_button_values_without_a_key_are_problems() {
    let kinds = |t: &Template, values: &TemplateValues| -> Vec<(Option<u32>, ProblemKind)> {
        match render(t, values, Provider::Twilio) {
            Ok(_) => vec![],
            Err(problems) => problems.iter().map(|p| (p.button_index, p.kind)).collect(),
        }
    };
    let lost = vec![(Some(0), ProblemKind::AmbiguousProviderVariables)];
    let copy = with_button(button(ButtonKind::CopyCode, "Copy offer code", None));
    assert_eq!(kinds(&copy, &TemplateValues { buttons: button_value(0, "SPRING25"), ..body("Ana") }), lost);
    let quick = with_button(button(ButtonKind::QuickReply, "Stop promotions", None));
    assert_eq!(kinds(&quick, &TemplateValues { buttons: button_value(0, "STOP"), ..body("Ana") }), lost);
    assert_eq!(kinds(&quick, &body("Ana")), vec![], "no payload given, nothing lost");
    // Twilio's authentication template sends one code: the body's. The button may repeat it, not differ.
    let otp =
        Template { body: "{{1}} is your code.".into(), ..with_button(button(ButtonKind::Otp, "Copy code", None)) };
    assert_eq!(kinds(&otp, &TemplateValues { buttons: button_value(0, "482913"), ..body("482913") }), vec![]);
    assert_eq!(kinds(&otp, &TemplateValues { buttons: button_value(0, "111111"), ..body("482913") }), lost);
    // A URL suffix under a key of its own (named template) is carried.
    let named = Template {
        parameter_format: ParameterFormat::Named,
        body: "Hi {{first_name}}.".into(),
        ..with_button(button(ButtonKind::Url, "Track", Some("https://shop.example/t/{{tracking}}")))
    };
    let values = TemplateValues {
        body: vec![v("first_name", "Ana")],
        buttons: button_value(0, "Z9"),
        ..TemplateValues::default()
    };
    let r = render(&named, &values, Provider::Twilio).unwrap();
    assert_eq!(content_variables(&r), json!({"first_name": "Ana", "tracking": "Z9"}));
}

/// Values without braces, newlines or runs of spaces, as an agent might type.
fn value() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 .,'-]{0,20}[A-Za-z0-9]".prop_filter("no runs of spaces", |s| !s.contains("  "))
}

proptest! {
    #[test]
    fn rendered_text_has_no_leftover_variables(name in value(), order in value(), day in value(), code in value()) {
        let values = TemplateValues {
            body: vec![v("1", &name), v("2", &order), v("3", &day)],
            header_text: Some(v("1", &code)),
            buttons: vec![ButtonValue { index: 0, value: code.clone() }],
            ..TemplateValues::default()
        };
        for provider in [Provider::MetaCloud, Provider::OneMsg] {
            let r = render(&order_update(), &values, provider).unwrap();
            prop_assert!(!r.text.contains("{{"), "{}", r.text);
        }
        // Twilio has one key `1` for header, body and URL: it renders only when they agree, and
        // otherwise says so; no value is dropped either way.
        match render(&order_update(), &values, Provider::Twilio) {
            Ok(r) => {
                prop_assert_eq!(&name, &code);
                prop_assert!(!r.text.contains("{{"), "{}", r.text);
                prop_assert_eq!(content_variables(&r), json!({"1": name, "2": order, "3": day}));
            }
            Err(problems) => {
                prop_assert_ne!(&name, &code);
                prop_assert_eq!(problems.len(), 1, "{:?}", problems);
                for p in &problems {
                    prop_assert_eq!((p.kind, p.variable.as_deref()), (ProblemKind::AmbiguousProviderVariables, Some("1")));
                }
            }
        }
    }

    #[test]
    fn the_draft_round_trips_to_the_same_payload(name in value(), order in value(), day in value(), code in value()) {
        let values = TemplateValues {
            body: vec![v("1", &name), v("2", &order), v("3", &day)],
            header_text: Some(v("1", &code)),
            buttons: vec![ButtonValue { index: 0, value: code.clone() }],
            ..TemplateValues::default()
        };
        let t = order_update();
        let extracted = check_draft(&t, &preview(&t, &values).text).unwrap();
        for provider in [Provider::MetaCloud, Provider::Twilio, Provider::OneMsg] {
            prop_assert_eq!(render(&t, &extracted, provider), render(&t, &values, provider));
        }
    }
}

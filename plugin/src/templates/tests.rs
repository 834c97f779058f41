use proptest::prelude::*;
use serde_json::{Value, json};

use super::draft::{check_draft, preview};
use super::model::*;
use super::render::render;
use super::select::select;
use crate::inbound::model::Provider;
use crate::pricing::Category;

fn order_update() -> Template {
    Template {
        name: "order_update".into(),
        language: "en_US".into(),
        category: Category::Utility,
        status: Status::Approved,
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

fn filled() -> Values {
    Values {
        body: vec![v("1", "Ana"), v("2", "A-1042"), v("3", "Monday")],
        header_text: Some(v("1", "A-1042")),
        buttons: vec![ButtonValue { index: 0, value: "A-1042".into() }],
        ..Values::default()
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

#[test]
fn twilio_and_one_msg_payloads() {
    let r = render(&order_update(), &filled(), Provider::Twilio).unwrap();
    let p = payload(&r);
    assert_eq!(p["ContentSid"], "HX0123456789abcdef0123456789abcdef");
    let vars: Value = serde_json::from_str(p["ContentVariables"].as_str().unwrap()).unwrap();
    assert_eq!(vars["2"], "A-1042");
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
    let values = Values { body: vec![v("order_id", "A-7"), v("first_name", "Ana")], ..Values::default() };
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
    assert!(found.contains(&(Part::Body, Some("1"), ProblemKind::ForbiddenWhitespace, Some(132012))), "{found:?}");
    assert!(found.contains(&(Part::Body, Some("2"), ProblemKind::Empty, Some(132000))));
    assert!(found.contains(&(Part::Body, Some("3"), ProblemKind::Missing, Some(132000))));
    assert!(found.contains(&(Part::Body, Some("9"), ProblemKind::Unexpected, Some(132000))));
    assert!(found.contains(&(Part::Button, Some("1"), ProblemKind::Missing, Some(132000))));
    assert_eq!(found.len(), 5);
}

#[test]
fn status_and_provider_ids_are_checked() {
    let t = Template { status: Status::Paused, twilio_content_sid: None, ..order_update() };
    let kinds: Vec<ProblemKind> = render(&t, &filled(), Provider::Twilio).unwrap_err().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::Paused, ProblemKind::MissingProviderId]);
}

#[test]
fn the_draft_reads_back_and_refuses_edited_fixed_text() {
    let t = order_update();
    let draft = preview(&t, &Values::default());
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
    list.push(Template { language: "es".into(), status: Status::Pending, ..order_update() });
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

/// Values without braces, newlines or runs of spaces, as an agent might type.
fn value() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 .,'-]{0,20}[A-Za-z0-9]".prop_filter("no runs of spaces", |s| !s.contains("  "))
}

proptest! {
    #[test]
    fn rendered_text_has_no_leftover_variables(name in value(), order in value(), day in value(), code in value()) {
        let values = Values {
            body: vec![v("1", &name), v("2", &order), v("3", &day)],
            header_text: Some(v("1", &code)),
            buttons: vec![ButtonValue { index: 0, value: code.clone() }],
            ..Values::default()
        };
        for provider in [Provider::MetaCloud, Provider::Twilio, Provider::OneMsg] {
            let r = render(&order_update(), &values, provider).unwrap();
            prop_assert!(!r.text.contains("{{"), "{}", r.text);
        }
    }

    #[test]
    fn the_draft_round_trips_to_the_same_payload(name in value(), order in value(), day in value(), code in value()) {
        let values = Values {
            body: vec![v("1", &name), v("2", &order), v("3", &day)],
            header_text: Some(v("1", &code)),
            buttons: vec![ButtonValue { index: 0, value: code.clone() }],
            ..Values::default()
        };
        let t = order_update();
        let extracted = check_draft(&t, &preview(&t, &values).text).unwrap();
        for provider in [Provider::MetaCloud, Provider::Twilio, Provider::OneMsg] {
            prop_assert_eq!(render(&t, &extracted, provider), render(&t, &values, provider));
        }
    }
}

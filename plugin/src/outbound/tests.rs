use serde_json::{Value, json};

use super::limits::*;
use super::*;
use crate::templates::model as tm;
use crate::window::{ClockSource, Conversation, ConversationOrigin, CustomerMessageTime};

const NOW: i64 = 1_764_500_000_000; // 2025-11-30
const HOUR: i64 = 3_600_000;
const SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn meta() -> Account {
    Account::Meta { phone_number_id: "106540352242922".into(), graph_api_version: None }
}
fn twilio() -> Account {
    Account::Twilio {
        account_sid: SID.into(),
        sender: TwilioSender::From("whatsapp:+14155238886".into()),
        status_callback: None,
    }
}
fn one_msg() -> Account {
    Account::OneMsg { api_url: "https://api.1msg.io/123456".into() }
}

fn open_window() -> WindowFacts {
    WindowFacts::Conversation(Conversation {
        last_customer_message: Some(CustomerMessageTime { sent_at: NOW - HOUR, clock: ClockSource::ProviderTimestamp }),
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    })
}

fn req(account: Account, content: Content) -> ComposeRequest {
    ComposeRequest {
        account,
        recipient: Recipient::Phone("+16505551234".into()),
        content,
        reply_to: None,
        preview_url: false,
        window: open_window(),
        now: NOW,
        marketing_opted_out: None,
        recipient_country: None,
    }
}

fn ok(r: &ComposeRequest) -> HttpRequest {
    let a = compose(r).expect("composes");
    assert!(a.problems.is_empty(), "unexpected problems: {:?}", a.problems);
    a.request.expect("a request")
}

fn json_body(r: &HttpRequest) -> Value {
    serde_json::from_str(&r.body).expect("JSON body")
}

fn form(r: &HttpRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(r.body.as_bytes()).into_owned().collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn kinds(r: &ComposeRequest) -> Vec<ProblemKind> {
    let a = compose(r).expect("composes");
    assert_eq!(a.request.is_none(), !a.problems.is_empty(), "a request or problems, never both");
    a.problems.iter().map(|p| p.kind).collect()
}

fn media(kind: MediaKind, link: &str) -> Media {
    Media {
        kind,
        source: MediaSource::Link(link.into()),
        caption: None,
        filename: None,
        mime_type: None,
        size_bytes: None,
        animated: None,
    }
}

// ---- Meta: exact bodies ----

#[test]
fn meta_text_has_the_documented_envelope_path_and_credentials() {
    let mut r = req(meta(), Content::Text("Hello".into()));
    r.reply_to = Some("wamid.IN1".into());
    let http = ok(&r);
    assert_eq!(http.method, "POST");
    assert_eq!(http.base_url, "https://graph.facebook.com");
    assert_eq!(http.path, "/v26.0/106540352242922/messages");
    assert_eq!(http.content_type, "application/json");
    assert_eq!(http.headers, vec![("Content-Type".to_string(), "application/json".to_string())]);
    assert_eq!(http.credentials, CredentialPlacement::BearerHeader);
    assert_eq!(
        json_body(&http),
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+16505551234",
               "type": "text", "context": {"message_id": "wamid.IN1"},
               "text": {"preview_url": false, "body": "Hello"}})
    );
}

#[test]
fn meta_version_can_be_chosen_and_is_checked() {
    let mut r = req(
        Account::Meta { phone_number_id: "1".into(), graph_api_version: Some("v25.0".into()) },
        Content::Text("x".into()),
    );
    assert_eq!(ok(&r).path, "/v25.0/1/messages");
    r.account = Account::Meta { phone_number_id: "1".into(), graph_api_version: Some("25/../x".into()) };
    assert!(
        matches!(compose(&r), Err(ComposeError::InvalidRequest(e)) if e.field == "account.meta-cloud.graph-api-version")
    );
    r.account = Account::Meta { phone_number_id: "1/../2".into(), graph_api_version: None };
    assert!(
        matches!(compose(&r), Err(ComposeError::InvalidRequest(e)) if e.field == "account.meta-cloud.phone-number-id")
    );
}

#[test]
fn meta_media_by_link_and_by_id() {
    let mut image = media(MediaKind::Image, "https://example.com/a.png");
    image.caption = Some("Our shop".into());
    assert_eq!(
        json_body(&ok(&req(meta(), Content::Media(image))))["image"],
        json!({"link": "https://example.com/a.png", "caption": "Our shop"})
    );
    let mut doc = media(MediaKind::Document, "");
    doc.source = MediaSource::Id("1013859600285441".into());
    doc.filename = Some("invoice.pdf".into());
    doc.caption = Some("Your invoice".into());
    let body = json_body(&ok(&req(meta(), Content::Media(doc))));
    assert_eq!(body["type"], "document");
    assert_eq!(
        body["document"],
        json!({"id": "1013859600285441", "caption": "Your invoice", "filename": "invoice.pdf"})
    );
    let mut audio = media(MediaKind::Audio, "https://example.com/a.ogg");
    audio.filename = Some("a.ogg".into());
    let a = compose(&req(meta(), Content::Media(audio))).unwrap();
    assert_eq!(json_body(a.request.as_ref().unwrap())["audio"], json!({"link": "https://example.com/a.ogg"}));
    assert_eq!(a.notes.len(), 1, "the dropped file name is noted");
    let sticker = media(MediaKind::Sticker, "https://example.com/s.webp");
    assert_eq!(
        json_body(&ok(&req(meta(), Content::Media(sticker))))["sticker"],
        json!({"link": "https://example.com/s.webp"})
    );
}

#[test]
fn meta_location_contacts_reaction() {
    let loc = Location { latitude: 37.48, longitude: -122.14, name: Some("HQ".into()), address: None };
    assert_eq!(
        json_body(&ok(&req(meta(), Content::Location(loc))))["location"],
        json!({"latitude": 37.48, "longitude": -122.14, "name": "HQ"})
    );
    let card = ContactCard {
        formatted_name: "Ana Lima".into(),
        first_name: Some("Ana".into()),
        last_name: None,
        phones: vec!["+5511999990000".into()],
        emails: vec![],
    };
    assert_eq!(
        json_body(&ok(&req(meta(), Content::Contacts(vec![card]))))["contacts"],
        json!([{"name": {"formatted_name": "Ana Lima", "first_name": "Ana"}, "phones": [{"phone": "+5511999990000"}]}])
    );
    let mut r = req(meta(), Content::Reaction(Reaction { message_id: "wamid.X".into(), emoji: Some("👍".into()) }));
    r.reply_to = Some("wamid.Y".into());
    let body = json_body(&ok(&r));
    assert_eq!(body["reaction"], json!({"message_id": "wamid.X", "emoji": "👍"}));
    assert!(body.get("context").is_none(), "a reaction names its message itself");
    let removal = req(meta(), Content::Reaction(Reaction { message_id: "wamid.X".into(), emoji: None }));
    assert_eq!(json_body(&ok(&removal))["reaction"]["emoji"], "");
}

fn three_buttons() -> InteractiveButtons {
    InteractiveButtons {
        header: Some("Order 1042".into()),
        body: "Did it arrive?".into(),
        footer: None,
        buttons: vec![
            ReplyButton { id: "yes".into(), title: "Yes".into() },
            ReplyButton { id: "no".into(), title: "No".into() },
            ReplyButton { id: "agent".into(), title: "Talk to us".into() },
        ],
    }
}

fn list(rows: usize) -> InteractiveList {
    InteractiveList {
        header: None,
        body: "Pick a slot".into(),
        footer: Some("Times in CET".into()),
        button: "Slots".into(),
        sections: vec![ListSection {
            title: Some("Monday".into()),
            rows: (0..rows)
                .map(|i| ListRow { id: format!("r{i}"), title: format!("Slot {i}"), description: None })
                .collect(),
        }],
    }
}

#[test]
fn meta_interactive_buttons_and_list() {
    let body = json_body(&ok(&req(meta(), Content::Buttons(three_buttons()))));
    assert_eq!(
        body["interactive"],
        json!({"type": "button", "header": {"type": "text", "text": "Order 1042"}, "body": {"text": "Did it arrive?"},
               "action": {"buttons": [
                   {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                   {"type": "reply", "reply": {"id": "no", "title": "No"}},
                   {"type": "reply", "reply": {"id": "agent", "title": "Talk to us"}}]}})
    );
    let body = json_body(&ok(&req(meta(), Content::List(list(2)))));
    assert_eq!(
        body["interactive"],
        json!({"type": "list", "body": {"text": "Pick a slot"}, "footer": {"text": "Times in CET"},
               "action": {"button": "Slots", "sections": [{"title": "Monday", "rows": [
                   {"id": "r0", "title": "Slot 0"}, {"id": "r1", "title": "Slot 1"}]}]}})
    );
}

#[test]
fn meta_recipients_bsuid_and_group() {
    let mut r = req(meta(), Content::Text("Hi".into()));
    r.recipient = Recipient::Bsuid("US.13491208655302741918".into());
    let body = json_body(&ok(&r));
    assert_eq!(body["recipient"], "US.13491208655302741918");
    assert!(body.get("to").is_none(), "a BSUID is never put where a phone goes");
    r.recipient = Recipient::Group("Y2FwaV9ncm91cDoxNzA1".into());
    let body = json_body(&ok(&r));
    assert_eq!((body["recipient_type"].as_str(), body["to"].as_str()), (Some("group"), Some("Y2FwaV9ncm91cDoxNzA1")));
}

#[test]
fn a_recipient_is_a_phone_only_when_it_is_one() {
    for bad in ["16505551234", "+0123456789", "+1234567", "+1234567890123456", "+1 650 555 1234", "US.123"] {
        let mut r = req(meta(), Content::Text("x".into()));
        r.recipient = Recipient::Phone(bad.into());
        assert!(matches!(compose(&r), Err(ComposeError::InvalidRequest(e)) if e.field == "recipient.phone"), "{bad}");
    }
    let mut r = req(meta(), Content::Text("x".into()));
    r.recipient = Recipient::Bsuid("+16505551234".into());
    assert!(matches!(compose(&r), Err(ComposeError::InvalidRequest(e)) if e.field == "recipient.bsuid"));
}

// ---- Twilio: exact form fields ----

#[test]
fn twilio_text_fields_path_and_status_callback() {
    let mut r = req(
        Account::Twilio {
            account_sid: SID.into(),
            sender: TwilioSender::From("+14155238886".into()),
            status_callback: Some("https://helpdesk.example/status".into()),
        },
        Content::Text("Hello & welcome".into()),
    );
    r.reply_to = Some("SM1".into());
    let a = compose(&r).unwrap();
    let http = a.request.unwrap();
    assert_eq!(http.base_url, "https://api.twilio.com");
    assert_eq!(http.path, format!("/2010-04-01/Accounts/{SID}/Messages.json"));
    assert_eq!(http.content_type, "application/x-www-form-urlencoded");
    assert_eq!(http.credentials, CredentialPlacement::BasicAuth);
    assert_eq!(
        form(&http),
        pairs(&[
            ("To", "whatsapp:+16505551234"),
            ("From", "whatsapp:+14155238886"),
            ("Body", "Hello & welcome"),
            ("StatusCallback", "https://helpdesk.example/status"),
        ])
    );
    assert!(a.notes.iter().any(|n| n.contains("quote")), "the dropped reply context is noted");
}

#[test]
fn twilio_media_and_messaging_service() {
    let mut image = media(MediaKind::Image, "https://example.com/a.jpg");
    image.caption = Some("Look".into());
    let r = req(
        Account::Twilio {
            account_sid: SID.into(),
            sender: TwilioSender::MessagingServiceSid("MGbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb".into()),
            status_callback: None,
        },
        Content::Media(image),
    );
    assert_eq!(
        form(&ok(&r)),
        pairs(&[
            ("To", "whatsapp:+16505551234"),
            ("MessagingServiceSid", "MGbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
            ("Body", "Look"),
            ("MediaUrl", "https://example.com/a.jpg"),
        ])
    );
}

#[test]
fn twilio_refuses_what_it_cannot_send_free_form() {
    for content in [
        Content::Buttons(three_buttons()),
        Content::List(list(2)),
        Content::Reaction(Reaction { message_id: "SM1".into(), emoji: Some("👍".into()) }),
        Content::Location(Location { latitude: 1.0, longitude: 1.0, name: None, address: None }),
    ] {
        assert!(kinds(&req(twilio(), content)).contains(&ProblemKind::NotSupportedByProvider));
    }
    let mut by_id = media(MediaKind::Image, "");
    by_id.source = MediaSource::Id("123".into());
    assert_eq!(kinds(&req(twilio(), Content::Media(by_id))), vec![ProblemKind::NotSupportedByProvider]);
    let mut r = req(twilio(), Content::Text("x".into()));
    r.recipient = Recipient::Bsuid("US.1349".into());
    assert_eq!(kinds(&r), vec![ProblemKind::NotSupportedByProvider]);
}

// ---- 1msg: exact bodies ----

#[test]
fn one_msg_text_file_location_reaction_list() {
    let mut r = req(one_msg(), Content::Text("Hello".into()));
    r.reply_to = Some("wamid.IN".into());
    let http = ok(&r);
    assert_eq!((http.base_url.as_str(), http.path.as_str()), ("https://api.1msg.io/123456", "/sendMessage"));
    assert_eq!(http.credentials, CredentialPlacement::QueryToken);
    assert_eq!(json_body(&http), json!({"body": "Hello", "phone": "16505551234", "quotedMsgId": "wamid.IN"}));

    let mut doc = media(MediaKind::Document, "https://files.example/q3/report.pdf?sig=1");
    doc.caption = Some("Q3".into());
    let http = ok(&req(one_msg(), Content::Media(doc)));
    assert_eq!(http.path, "/sendFile");
    assert_eq!(
        json_body(&http),
        json!({"body": "https://files.example/q3/report.pdf?sig=1", "filename": "report.pdf", "caption": "Q3", "phone": "16505551234"})
    );
    let mut by_id = media(MediaKind::Video, "");
    by_id.source = MediaSource::Id("m1".into());
    assert_eq!(
        json_body(&ok(&req(one_msg(), Content::Media(by_id)))),
        json!({"mediaId": "m1", "mediaType": "video", "phone": "16505551234"})
    );

    let loc =
        Location { latitude: -22.95, longitude: -43.21, name: Some("Cristo".into()), address: Some("Rio".into()) };
    let http = ok(&req(one_msg(), Content::Location(loc)));
    assert_eq!(http.path, "/sendLocation");
    assert_eq!(
        json_body(&http),
        json!({"lat": "-22.95", "lng": "-43.21", "name": "Cristo", "address": "Rio", "phone": "16505551234"})
    );

    let mut r = req(one_msg(), Content::Reaction(Reaction { message_id: "wamid.X".into(), emoji: Some("❤".into()) }));
    r.recipient = Recipient::Group("120363000@g.us".into());
    let http = ok(&r);
    assert_eq!(http.path, "/sendReaction");
    assert_eq!(json_body(&http), json!({"body": "❤", "quotedMsgId": "wamid.X", "chatId": "120363000@g.us"}));

    let mut r = req(one_msg(), Content::List(list(1)));
    r.recipient = Recipient::Bsuid("US.1349".into());
    let a = compose(&r).unwrap();
    let http = a.request.unwrap();
    assert_eq!(http.path, "/sendList");
    assert_eq!(
        json_body(&http),
        json!({"body": "Pick a slot", "buttonText": "Slots", "sections": [{"title": "Monday", "rows": [{"id": "r0", "title": "Slot 0"}]}], "chatId": "US.1349@lid"})
    );
    assert!(a.notes.iter().any(|n| n.contains("footer")));
}

#[test]
fn one_msg_refuses_what_it_does_not_document() {
    assert_eq!(kinds(&req(one_msg(), Content::Buttons(three_buttons()))), vec![ProblemKind::NotSupportedByProvider]);
    let no_name = media(MediaKind::Document, "https://files.example/download");
    assert_eq!(kinds(&req(one_msg(), Content::Media(no_name))), vec![ProblemKind::Empty]);
}

// ---- templates through the same door ----

fn template(category: crate::types::MessageCategory) -> tm::Template {
    tm::Template {
        name: "order_update".into(),
        language: "en_US".into(),
        category,
        status: tm::TemplateStatus::Approved,
        parameter_format: tm::ParameterFormat::Positional,
        header: None,
        body: "Hi {{1}}, your order shipped.".into(),
        footer: None,
        buttons: vec![],
        twilio_content_sid: Some("HXb7e2a91c4d3f48e6a05c19d8f27e3b64".into()),
        namespace: Some("8f2c1e6a_4b7d".into()),
    }
}

fn values(v: &str) -> tm::TemplateValues {
    tm::TemplateValues {
        body: vec![tm::VariableValue { key: "1".into(), value: v.into() }],
        header_text: None,
        header_media: None,
        header_location: None,
        buttons: vec![],
    }
}

fn closed_window() -> WindowFacts {
    WindowFacts::Checked { free_form_allowed: false, closes_at: Some(NOW - HOUR) }
}

#[test]
fn templates_wrap_the_render_payload_for_each_provider_even_outside_the_window() {
    use crate::types::MessageCategory::Utility;
    let content = || Content::Template(Box::new(template(Utility)), Box::new(values("Ana")));
    let mut r = req(meta(), content());
    r.window = closed_window();
    let body = json_body(&ok(&r));
    assert_eq!(body["type"], "template");
    assert_eq!(
        body["template"],
        json!({"name": "order_update", "language": {"code": "en_US"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana"}]}]})
    );
    r.account = twilio();
    assert_eq!(
        form(&ok(&r)),
        pairs(&[
            ("To", "whatsapp:+16505551234"),
            ("From", "whatsapp:+14155238886"),
            ("ContentSid", "HXb7e2a91c4d3f48e6a05c19d8f27e3b64"),
            ("ContentVariables", "{\"1\":\"Ana\"}"),
        ])
    );
    r.account = one_msg();
    let http = ok(&r);
    assert_eq!(http.path, "/sendTemplate");
    let body = json_body(&http);
    assert_eq!(
        (body["template"].as_str(), body["namespace"].as_str(), body["phone"].as_str()),
        (Some("order_update"), Some("8f2c1e6a_4b7d"), Some("16505551234"))
    );
}

#[test]
fn a_rendered_payload_is_wrapped_and_must_match_the_account() {
    use crate::types::MessageCategory::Utility;
    let rendered =
        crate::templates::render::render(&template(Utility), &values("Ana"), crate::types::Provider::MetaCloud)
            .unwrap();
    let content =
        Content::RenderedTemplate(RenderedTemplate { rendered, category: Utility, name: "order_update".into() });
    let body = json_body(&ok(&req(meta(), content.clone())));
    assert_eq!(body["template"]["name"], "order_update");
    assert!(
        matches!(compose(&req(twilio(), content)), Err(ComposeError::InvalidRequest(e)) if e.field == "content.rendered-template.rendered.provider")
    );
}

#[test]
fn template_problems_come_back_with_the_template_list() {
    use crate::types::MessageCategory::Utility;
    let a = compose(&req(meta(), Content::Template(Box::new(template(Utility)), Box::new(values(" "))))).unwrap();
    assert!(a.request.is_none());
    assert_eq!(a.problems.iter().map(|p| p.kind).collect::<Vec<_>>(), vec![ProblemKind::TemplateProblem]);
    assert_eq!(a.template_problems.len(), 1);
}

#[test]
fn marketing_is_checked_against_the_preference_and_us_numbers() {
    use crate::types::MessageCategory::{Marketing, Utility};
    let mut r = req(meta(), Content::Template(Box::new(template(Marketing)), Box::new(values("Ana"))));
    r.recipient = Recipient::Phone("+5511999990000".into());
    assert!(kinds(&r).is_empty(), "marketing to a non-US number who did not opt out goes out");
    r.marketing_opted_out = Some(true);
    let a = compose(&r).unwrap();
    assert_eq!(a.problems[0].kind, ProblemKind::MarketingOptedOut);
    assert_eq!(a.problems[0].prevents_meta_error, Some(131050));
    r.marketing_opted_out = Some(false);
    r.recipient = Recipient::Phone("+16505551234".into());
    let a = compose(&r).unwrap();
    assert_eq!(
        (a.problems[0].kind, a.problems[0].prevents_meta_error),
        (ProblemKind::MarketingToUsNumber, Some(131049))
    );
    assert!(a.problems[0].detail.contains("assumed"), "the country was assumed and says so");
    r.recipient_country = Some("CA".into());
    assert!(kinds(&r).is_empty(), "a Canadian +1 number is not US");
    r.recipient_country = Some("us".into());
    assert_eq!(kinds(&r), vec![ProblemKind::MarketingToUsNumber]);
    r.now = US_MARKETING_PAUSE_FROM - 1;
    assert!(kinds(&r).is_empty(), "before 2025-04-01 US marketing was delivered");
    let mut u = req(meta(), Content::Template(Box::new(template(Utility)), Box::new(values("Ana"))));
    u.marketing_opted_out = Some(true);
    assert!(kinds(&u).is_empty(), "utility templates ignore the marketing preference");
}

#[test]
fn authentication_templates_need_a_phone_and_no_group() {
    use crate::types::MessageCategory::Authentication;
    let mut t = template(Authentication);
    t.body = "{{1}} is your code.".into();
    let mut r = req(meta(), Content::Template(Box::new(t), Box::new(values("123456"))));
    assert!(kinds(&r).is_empty());
    r.recipient = Recipient::Bsuid("US.1349".into());
    assert_eq!(kinds(&r), vec![ProblemKind::NotSupportedForBsuid]);
    r.recipient = Recipient::Group("G1".into());
    assert_eq!(kinds(&r), vec![ProblemKind::NotSupportedInGroup]);
}

// ---- the window ----

#[test]
fn free_form_needs_the_window_at_its_boundary() {
    let mut r = req(meta(), Content::Text("x".into()));
    let at = |sent_at| {
        WindowFacts::Conversation(Conversation {
            last_customer_message: Some(CustomerMessageTime { sent_at, clock: ClockSource::ProviderTimestamp }),
            last_business_message_at: None,
            origin: ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        })
    };
    r.window = at(NOW - 24 * HOUR + 1);
    assert!(kinds(&r).is_empty(), "one millisecond before 24 hours it is open");
    r.window = at(NOW - 24 * HOUR);
    let a = compose(&r).unwrap();
    assert_eq!(a.problems[0].kind, ProblemKind::WindowClosed);
    assert_eq!((a.problems[0].prevents_meta_error, a.problems[0].prevents_twilio_error), (Some(131047), Some(63016)));
    assert!(a.problems[0].suggestion.contains("template"));
    r.window = WindowFacts::Conversation(Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    });
    assert_eq!(kinds(&r), vec![ProblemKind::WindowClosed]);
    r.window = closed_window();
    assert_eq!(kinds(&r), vec![ProblemKind::WindowClosed]);
    r.window = WindowFacts::Checked { free_form_allowed: true, closes_at: Some(NOW + HOUR) };
    assert!(kinds(&r).is_empty());
}

#[test]
fn a_conversation_the_window_refuses_is_an_error_naming_the_field() {
    let mut r = req(meta(), Content::Text("x".into()));
    r.window = WindowFacts::Conversation(Conversation {
        last_customer_message: Some(CustomerMessageTime { sent_at: i64::MIN, clock: ClockSource::ProviderTimestamp }),
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    });
    assert!(matches!(compose(&r), Err(ComposeError::InvalidRequest(e)) if e.field.starts_with("window.")));
}

// ---- limits, each at, below and above ----

/// The problem kinds for a text of `n` characters (multi-byte, so characters are counted, not bytes).
fn text_kinds(account: Account, n: usize) -> Vec<ProblemKind> {
    kinds(&req(account, Content::Text("é".repeat(n))))
}

#[test]
fn text_limits_per_provider() {
    for (account, max) in [(meta(), META_TEXT_MAX), (one_msg(), META_TEXT_MAX), (twilio(), TWILIO_BODY_MAX)] {
        assert!(text_kinds(account.clone(), max - 1).is_empty());
        assert!(text_kinds(account.clone(), max).is_empty());
        assert_eq!(text_kinds(account.clone(), max + 1), vec![ProblemKind::TooLong]);
    }
    let a = compose(&req(twilio(), Content::Text("a".repeat(TWILIO_BODY_MAX + 1)))).unwrap();
    assert_eq!(
        (a.problems[0].limit, a.problems[0].actual, a.problems[0].prevents_twilio_error),
        (Some(1600), Some(1601), Some(21617))
    );
    assert_eq!(text_kinds(meta(), 0), vec![ProblemKind::Empty]);
}

#[test]
fn caption_limit() {
    let caption = |n: usize| {
        let mut m = media(MediaKind::Image, "https://example.com/a.jpg");
        m.caption = Some("c".repeat(n));
        kinds(&req(meta(), Content::Media(m)))
    };
    assert!(caption(META_CAPTION_MAX - 1).is_empty());
    assert!(caption(META_CAPTION_MAX).is_empty());
    assert_eq!(caption(META_CAPTION_MAX + 1), vec![ProblemKind::TooLong]);
}

fn size_kinds(account: Account, kind: MediaKind, animated: Option<bool>, size: u64) -> Vec<ProblemKind> {
    let mut m = media(kind, "https://example.com/file.bin");
    m.filename = Some("file.bin".into());
    m.size_bytes = Some(size);
    m.animated = animated;
    kinds(&req(account, Content::Media(m)))
}

#[test]
fn media_size_limits_per_provider_and_kind() {
    let cases = [
        (meta(), MediaKind::Image, None, META_IMAGE_MAX_BYTES),
        (meta(), MediaKind::Video, None, META_VIDEO_MAX_BYTES),
        (meta(), MediaKind::Audio, None, META_AUDIO_MAX_BYTES),
        (meta(), MediaKind::Document, None, META_DOCUMENT_MAX_BYTES),
        (meta(), MediaKind::Sticker, None, META_STICKER_STATIC_MAX_BYTES),
        (meta(), MediaKind::Sticker, Some(true), META_STICKER_ANIMATED_MAX_BYTES),
        (twilio(), MediaKind::Image, None, TWILIO_IMAGE_MAX_BYTES),
        (twilio(), MediaKind::Video, None, TWILIO_MESSAGE_MAX_BYTES),
        (twilio(), MediaKind::Document, None, TWILIO_MESSAGE_MAX_BYTES),
    ];
    for (account, kind, animated, max) in cases {
        assert!(size_kinds(account.clone(), kind, animated, max - 1).is_empty(), "{kind:?} below");
        assert!(size_kinds(account.clone(), kind, animated, max).is_empty(), "{kind:?} at");
        assert_eq!(
            size_kinds(account.clone(), kind, animated, max + 1),
            vec![ProblemKind::MediaTooLarge],
            "{kind:?} above"
        );
    }
    let mut m = media(MediaKind::Video, "https://example.com/v.mp4");
    m.size_bytes = Some(20_000_000);
    let a = compose(&req(meta(), Content::Media(m))).unwrap();
    assert!(a.problems[0].suggestion.contains("cloud storage"));
    assert_eq!((a.problems[0].limit, a.problems[0].actual), (Some(16_000_000), Some(20_000_000)));
}

#[test]
fn mime_types_per_provider_and_kind() {
    let typed = |account: Account, kind: MediaKind, mime: &str| {
        let mut m = media(kind, "https://example.com/f");
        m.filename = Some("f.x".into());
        m.mime_type = Some(mime.into());
        kinds(&req(account, Content::Media(m)))
    };
    assert!(typed(meta(), MediaKind::Image, "image/JPEG; q=1").is_empty());
    assert_eq!(typed(meta(), MediaKind::Image, "image/webp"), vec![ProblemKind::MediaTypeNotAccepted]);
    assert!(typed(twilio(), MediaKind::Image, "image/webp").is_empty(), "Twilio takes WEBP images");
    assert!(typed(meta(), MediaKind::Sticker, "image/webp").is_empty());
    assert!(typed(meta(), MediaKind::Audio, "audio/ogg").is_empty());
    assert_eq!(typed(meta(), MediaKind::Video, "video/quicktime"), vec![ProblemKind::MediaTypeNotAccepted]);
    assert_eq!(typed(twilio(), MediaKind::Video, "video/3gpp"), vec![ProblemKind::MediaTypeNotAccepted]);
}

fn buttons_with(n: usize, title_len: usize) -> Content {
    Content::Buttons(InteractiveButtons {
        header: None,
        body: "b".into(),
        footer: None,
        buttons: (0..n)
            .map(|i| ReplyButton { id: format!("id{i}"), title: format!("{i}{}", "t".repeat(title_len - 1)) })
            .collect(),
    })
}

#[test]
fn reply_button_limits() {
    assert!(kinds(&req(meta(), buttons_with(2, 5))).is_empty());
    assert!(kinds(&req(meta(), buttons_with(BUTTONS_MAX, 5))).is_empty());
    assert_eq!(kinds(&req(meta(), buttons_with(BUTTONS_MAX + 1, 5))), vec![ProblemKind::WrongCount]);
    assert!(kinds(&req(meta(), buttons_with(1, BUTTON_TITLE_MAX - 1))).is_empty());
    assert!(kinds(&req(meta(), buttons_with(1, BUTTON_TITLE_MAX))).is_empty());
    assert_eq!(kinds(&req(meta(), buttons_with(1, BUTTON_TITLE_MAX + 1))), vec![ProblemKind::TooLong]);
    let mut b = three_buttons();
    b.buttons[2].title = "Yes".into();
    assert_eq!(kinds(&req(meta(), Content::Buttons(b))), vec![ProblemKind::Duplicate]);
    let mut b = three_buttons();
    b.footer = Some("f".repeat(INTERACTIVE_FOOTER_MAX + 1));
    b.body = "x".repeat(INTERACTIVE_BODY_MAX + 1);
    assert_eq!(kinds(&req(meta(), Content::Buttons(b))), vec![ProblemKind::TooLong, ProblemKind::TooLong]);
}

#[test]
fn list_limits() {
    assert!(kinds(&req(meta(), Content::List(list(LIST_ROWS_MAX - 1)))).is_empty());
    assert!(kinds(&req(meta(), Content::List(list(LIST_ROWS_MAX)))).is_empty());
    assert_eq!(kinds(&req(meta(), Content::List(list(LIST_ROWS_MAX + 1)))), vec![ProblemKind::WrongCount]);
    let mut l = list(1);
    l.sections[0].rows[0].title = "t".repeat(LIST_ROW_TITLE_MAX + 1);
    l.sections[0].rows[0].description = Some("d".repeat(LIST_ROW_DESCRIPTION_MAX));
    assert_eq!(kinds(&req(meta(), Content::List(l))), vec![ProblemKind::TooLong]);
    let mut l = list(1);
    l.sections.push(ListSection {
        title: None,
        rows: vec![ListRow { id: "r0".into(), title: "again".into(), description: None }],
    });
    assert_eq!(kinds(&req(meta(), Content::List(l))), vec![ProblemKind::Empty, ProblemKind::Duplicate]);
}

type Setter = fn(&mut Content, String);

/// Every interactive text limit, each at, below and above its boundary.
#[test]
fn interactive_field_limits_at_their_boundaries() {
    fn b(c: &mut Content) -> &mut InteractiveButtons {
        match c {
            Content::Buttons(b) => b,
            _ => unreachable!(),
        }
    }
    fn l(c: &mut Content) -> &mut InteractiveList {
        match c {
            Content::List(l) => l,
            _ => unreachable!(),
        }
    }
    let cases: Vec<(Content, usize, Setter)> = vec![
        (Content::Buttons(three_buttons()), INTERACTIVE_BODY_MAX, |c, v| b(c).body = v),
        (Content::Buttons(three_buttons()), INTERACTIVE_HEADER_MAX, |c, v| b(c).header = Some(v)),
        (Content::Buttons(three_buttons()), INTERACTIVE_FOOTER_MAX, |c, v| b(c).footer = Some(v)),
        (Content::Buttons(three_buttons()), BUTTON_ID_MAX, |c, v| b(c).buttons[0].id = v),
        (Content::List(list(1)), LIST_BODY_MAX, |c, v| l(c).body = v),
        (Content::List(list(1)), LIST_BUTTON_MAX, |c, v| l(c).button = v),
        (Content::List(list(1)), INTERACTIVE_HEADER_MAX, |c, v| l(c).header = Some(v)),
        (Content::List(list(1)), LIST_SECTION_TITLE_MAX, |c, v| l(c).sections[0].title = Some(v)),
        (Content::List(list(1)), LIST_ROW_ID_MAX, |c, v| l(c).sections[0].rows[0].id = v),
        (Content::List(list(1)), LIST_ROW_TITLE_MAX, |c, v| l(c).sections[0].rows[0].title = v),
        (Content::List(list(1)), LIST_ROW_DESCRIPTION_MAX, |c, v| l(c).sections[0].rows[0].description = Some(v)),
    ];
    for (i, (content, max, set)) in cases.into_iter().enumerate() {
        for (n, expected) in [(max - 1, vec![]), (max, vec![]), (max + 1, vec![ProblemKind::TooLong])] {
            let mut c = content.clone();
            set(&mut c, "ü".repeat(n));
            let a = compose(&req(meta(), c)).unwrap();
            assert_eq!(a.problems.iter().map(|p| p.kind).collect::<Vec<_>>(), expected, "case {i} at {n}");
            if let Some(p) = a.problems.first() {
                assert_eq!((p.limit, p.actual), (Some(max as u64), Some(n as u64)), "case {i}");
            }
        }
    }
}

#[test]
fn list_section_count_at_its_boundary() {
    let sections = |n: usize| {
        let mut l = list(0);
        l.sections = (0..n)
            .map(|i| ListSection {
                title: Some(format!("S{i}")),
                rows: vec![ListRow { id: format!("r{i}"), title: "t".into(), description: None }],
            })
            .collect();
        kinds(&req(meta(), Content::List(l)))
    };
    assert!(sections(LIST_SECTIONS_MAX - 1).is_empty());
    assert!(sections(LIST_SECTIONS_MAX).is_empty());
    // Eleven sections also hold eleven rows: both counts are over.
    assert_eq!(sections(LIST_SECTIONS_MAX + 1), vec![ProblemKind::WrongCount, ProblemKind::WrongCount]);
    assert_eq!(sections(0), vec![ProblemKind::WrongCount, ProblemKind::WrongCount]);
}

#[test]
fn groups_take_no_interactive_messages() {
    let mut r = req(meta(), Content::Buttons(three_buttons()));
    r.recipient = Recipient::Group("G1".into());
    let a = compose(&r).unwrap();
    assert_eq!(
        (a.problems[0].kind, a.problems[0].prevents_meta_error),
        (ProblemKind::NotSupportedInGroup, Some(130501))
    );
}

#[test]
fn meta_groups_take_text_media_and_templates_only() {
    let mut r = req(meta(), Content::Reaction(Reaction { message_id: "wamid.X".into(), emoji: Some("👍".into()) }));
    r.recipient = Recipient::Group("G1".into());
    let a = compose(&r).unwrap();
    assert_eq!(
        (a.problems[0].kind, a.problems[0].field.as_str(), a.problems[0].prevents_meta_error),
        (ProblemKind::NotSupportedInGroup, "content.reaction", Some(130501))
    );
    r.content = Content::Text("Hi all".into());
    assert!(compose(&r).unwrap().problems.is_empty());
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut m = media(MediaKind::Image, "https://example.com/a.gif");
    m.mime_type = Some("image/gif".into());
    m.size_bytes = Some(6_000_000);
    m.caption = Some("c".repeat(2000));
    let mut r = req(meta(), Content::Media(m));
    r.window = closed_window();
    assert_eq!(
        kinds(&r),
        vec![
            ProblemKind::WindowClosed,
            ProblemKind::TooLong,
            ProblemKind::MediaTooLarge,
            ProblemKind::MediaTypeNotAccepted
        ]
    );
}

// ---- read receipts and typing ----

#[test]
fn mark_read_per_provider() {
    let read = |account: Account, typing: bool| {
        mark_read(&ReadRequest {
            account,
            recipient: Recipient::Phone("+16505551234".into()),
            message_id: "wamid.IN".into(),
            typing_indicator: typing,
        })
        .unwrap()
    };
    let ReadAnswer::Request(http) = read(meta(), true) else { panic!("Meta documents it") };
    assert_eq!(http.path, "/v26.0/106540352242922/messages");
    assert_eq!(
        json_body(&http),
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN", "typing_indicator": {"type": "text"}})
    );
    let ReadAnswer::Request(http) = read(meta(), false) else { panic!() };
    assert!(json_body(&http).get("typing_indicator").is_none());
    let ReadAnswer::Request(http) = read(twilio(), true) else { panic!("Twilio typing indicator") };
    assert_eq!(
        (http.base_url.as_str(), http.path.as_str()),
        ("https://messaging.twilio.com", "/v2/Indicators/Typing.json")
    );
    assert_eq!(form(&http), pairs(&[("channel", "whatsapp"), ("messageId", "wamid.IN")]));
    assert!(matches!(read(twilio(), false), ReadAnswer::NotAvailable(_)));
    let ReadAnswer::Request(http) = read(one_msg(), true) else { panic!() };
    assert_eq!(json_body(&http), json!({"messageId": "wamid.IN", "typingIndicator": true}));
    let group = mark_read(&ReadRequest {
        account: meta(),
        recipient: Recipient::Group("G1".into()),
        message_id: "wamid.IN".into(),
        typing_indicator: true,
    })
    .unwrap();
    assert!(matches!(group, ReadAnswer::NotAvailable(why) if why.contains("130501")));
}

// ---- never panics ----

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_content() -> impl Strategy<Value = Content> {
        let s = || ".{0,40}";
        prop_oneof![
            s().prop_map(Content::Text),
            (s(), s(), any::<Option<u64>>(), 0u8..5, any::<bool>()).prop_map(|(link, mime, size, k, by_id)| {
                let kind =
                    [MediaKind::Image, MediaKind::Video, MediaKind::Audio, MediaKind::Document, MediaKind::Sticker]
                        [k as usize];
                Content::Media(Media {
                    kind,
                    source: if by_id { MediaSource::Id(link.clone()) } else { MediaSource::Link(link.clone()) },
                    caption: Some(mime.clone()),
                    filename: None,
                    mime_type: Some(mime),
                    size_bytes: size,
                    animated: None,
                })
            }),
            (any::<f64>(), any::<f64>()).prop_map(|(a, b)| Content::Location(Location {
                latitude: a,
                longitude: b,
                name: None,
                address: None
            })),
            (s(), proptest::collection::vec((s(), s()), 0..5)).prop_map(|(body, b)| Content::Buttons(
                InteractiveButtons {
                    header: None,
                    body,
                    footer: None,
                    buttons: b.into_iter().map(|(id, title)| ReplyButton { id, title }).collect(),
                }
            )),
            (s(), proptest::option::of(s())).prop_map(|(m, e)| Content::Reaction(Reaction { message_id: m, emoji: e })),
            (s(), s()).prop_map(|(p, text)| Content::RenderedTemplate(RenderedTemplate {
                rendered: tm::Rendered { provider: crate::types::Provider::MetaCloud, payload: p, text },
                category: crate::types::MessageCategory::Marketing,
                name: "t".into(),
            })),
        ]
    }

    proptest! {
        #[test]
        fn compose_never_panics_and_answers_a_request_or_problems(
            content in any_content(),
            phone in "\\+?[0-9]{0,17}",
            provider in 0u8..3,
            now in any::<i64>(),
            open in any::<bool>(),
        ) {
            let account = [meta(), twilio(), one_msg()][provider as usize].clone();
            let mut r = req(account, content);
            r.recipient = Recipient::Phone(phone);
            r.now = now;
            r.window = WindowFacts::Checked { free_form_allowed: open, closes_at: None };
            if let Ok(a) = compose(&r) {
                prop_assert_eq!(a.request.is_some(), a.problems.is_empty());
            }
        }
    }
}

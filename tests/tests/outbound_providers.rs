//! The plugin's checks against the simulated providers' own rules, both ways, through the real
//! component and the typed bindings:
//! - whatever `outbound.compose` accepts, the simulated provider accepts too (HTTP 2xx, and its log says
//!   `accepted`: no synchronous refusal and no failure decided for a later callback);
//! - whatever breaks one of the provider's rules (the simulation's limits, written from the providers'
//!   pages in `host-harness/src/sim/providers/*_send.rs`, not the plugin's) is refused by `compose` with a
//!   problem naming that rule, and a problem of a rule kind names a rule the provider really has.
//!
//! Also: every outbound fixture whose `compose` yields a request is accepted by the simulated provider
//! once the window and files it needs are in place.

use std::collections::BTreeSet;

use host_harness::bindings::exports::helpdesk::whatsapp::outbound::{
    Account, ComposeAnswer, ComposeRequest, ContactCard, Content, InteractiveButtons, InteractiveList, ListRow,
    ListSection, Location, Media, MediaKind, MediaSource, MetaAccount, OneMsgAccount, ProblemKind, Reaction, Recipient,
    ReplyButton, TwilioAccount, TwilioSender, WindowFacts,
};
use host_harness::bindings::exports::helpdesk::whatsapp::types::ClockSource;
use host_harness::bindings::exports::helpdesk::whatsapp::window::{
    Conversation, ConversationOrigin, CustomerMessageTime,
};
use host_harness::sim::providers::{
    CustomerMessage, HostedFile, HttpRequest, Kind, META_PHONE_NUMBER_ID, ONE_MSG_INSTANCE, Provider,
    TWILIO_ACCOUNT_SID, meta_send as meta, twilio_send as twilio,
};
use integration_tests::plugin;
use proptest::prelude::*;

const CUSTOMER: &str = "+4915112345678";
const BUSINESS: &str = "+15550101234";
const NOW: i64 = 1_795_168_800_000;

/// What the generator made, so the provider's rules can say what it breaks.
#[derive(Debug, Clone)]
enum Reply {
    Text(usize),
    Media { kind: MediaKind, mime: String, size: u64, animated: bool, caption: Option<usize>, by_id: bool },
    Buttons { titles: Vec<usize> },
    List { sections: Vec<(Option<usize>, Vec<usize>)> },
    Location,
    Reaction,
    Contacts,
}

fn text(n: usize) -> String {
    // Multibyte characters count as one each, as the pages count characters.
    (0..n).map(|i| if i % 7 == 3 { 'é' } else { 'a' }).collect()
}

fn kind_name(k: MediaKind) -> &'static str {
    match k {
        MediaKind::Image => "image",
        MediaKind::Video => "video",
        MediaKind::Audio => "audio",
        MediaKind::Document => "document",
        MediaKind::Sticker => "sticker",
    }
}

fn reply() -> impl Strategy<Value = Reply> {
    let length = prop_oneof![0usize..30, 1_020usize..1_030, 1_595usize..1_606, 4_090usize..4_100];
    let mimes = |k: MediaKind| -> Vec<&'static str> {
        match k {
            MediaKind::Image => vec!["image/jpeg", "image/png", "image/webp", "image/gif"],
            MediaKind::Video => vec!["video/mp4", "video/3gpp", "video/quicktime"],
            MediaKind::Audio => vec!["audio/ogg", "audio/mpeg", "audio/aac", "audio/amr", "audio/mp4", "audio/wav"],
            MediaKind::Document => vec!["application/pdf", "text/plain", "application/msword", "application/zip"],
            MediaKind::Sticker => vec!["image/webp", "image/png"],
        }
    };
    let kind = prop_oneof![
        Just(MediaKind::Image),
        Just(MediaKind::Video),
        Just(MediaKind::Audio),
        Just(MediaKind::Document),
        Just(MediaKind::Sticker)
    ];
    let size = prop::sample::select(vec![
        50_000u64,
        100_001,
        499_999,
        500_001,
        4_999_999,
        5_000_001,
        15_999_999,
        16_000_001,
        20_000_000,
        99_999_999,
        100_000_001,
    ]);
    let media =
        (kind, any::<prop::sample::Index>(), size, any::<bool>(), prop::option::of(length.clone()), any::<bool>())
            .prop_map(move |(kind, i, size, animated, caption, by_id)| {
                let pool = mimes(kind);
                Reply::Media { kind, mime: i.get(&pool).to_string(), size, animated, caption, by_id }
            });
    let buttons = prop::collection::vec(1usize..26, 0..5).prop_map(|titles| Reply::Buttons { titles });
    let section = (prop::option::of(18usize..28), prop::collection::vec(18usize..28, 0..6));
    let list = prop::collection::vec(section, 1..4).prop_map(|sections| Reply::List { sections });
    prop_oneof![
        4 => length.prop_map(Reply::Text),
        4 => media,
        2 => buttons,
        2 => list,
        1 => Just(Reply::Location),
        1 => Just(Reply::Reaction),
        1 => Just(Reply::Contacts),
    ]
}

fn kind_of(provider: usize) -> Kind {
    [Kind::MetaCloud, Kind::Twilio, Kind::OneMsg][provider % 3]
}

fn account(kind: Kind) -> Account {
    match kind {
        Kind::MetaCloud => {
            Account::MetaCloud(MetaAccount { phone_number_id: META_PHONE_NUMBER_ID.into(), graph_api_version: None })
        }
        Kind::Twilio => Account::Twilio(TwilioAccount {
            account_sid: TWILIO_ACCOUNT_SID.into(),
            sender: TwilioSender::From(BUSINESS.into()),
            status_callback: None,
        }),
        Kind::OneMsg => Account::OneMsg(OneMsgAccount { api_url: format!("https://api.1msg.io/{ONE_MSG_INSTANCE}") }),
    }
}

fn link(kind: MediaKind) -> String {
    let ext = match kind {
        MediaKind::Image => "jpg",
        MediaKind::Video => "mp4",
        MediaKind::Audio => "ogg",
        MediaKind::Document => "pdf",
        MediaKind::Sticker => "webp",
    };
    format!("https://files.example.com/attachments/file.{ext}")
}

fn content(reply: &Reply) -> Content {
    match reply {
        Reply::Text(n) => Content::Text(text(*n)),
        Reply::Media { kind, mime, size, animated, caption, by_id } => Content::Media(Media {
            kind: *kind,
            source: if *by_id { MediaSource::Id("1013859600285441".into()) } else { MediaSource::Link(link(*kind)) },
            caption: caption.map(text),
            filename: None,
            mime_type: Some(mime.clone()),
            size_bytes: Some(*size),
            animated: Some(*animated),
        }),
        Reply::Buttons { titles } => Content::Buttons(InteractiveButtons {
            header: None,
            body: "Which day suits you?".into(),
            footer: None,
            buttons: titles
                .iter()
                .enumerate()
                .map(|(i, n)| ReplyButton { id: format!("b{i}"), title: format!("{i}{}", text(n.saturating_sub(1))) })
                .collect(),
        }),
        Reply::Location => Content::Location(Location {
            latitude: 52.52,
            longitude: 13.405,
            name: Some("Lucky Shrub Berlin".into()),
            address: Some("Alexanderplatz 1".into()),
        }),
        Reply::Reaction => {
            Content::Reaction(Reaction { message_id: "wamid.SIM0000000000000001".into(), emoji: Some("👍".into()) })
        }
        Reply::Contacts => Content::Contacts(vec![ContactCard {
            formatted_name: "Lucky Shrub Support".into(),
            first_name: None,
            last_name: None,
            phones: vec!["+15550101234".into()],
            emails: vec![],
        }]),
        Reply::List { sections } => {
            let mut row = 0;
            Content::List(InteractiveList {
                header: None,
                body: "Pick a delivery slot".into(),
                footer: None,
                button: "Slots".into(),
                sections: sections
                    .iter()
                    .map(|(title, rows)| ListSection {
                        title: title.map(text),
                        rows: rows
                            .iter()
                            .map(|n| {
                                row += 1;
                                ListRow {
                                    id: format!("r{row}"),
                                    title: format!("{row}{}", text(*n)),
                                    description: None,
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
        }
    }
}

/// The rules of the provider's own that `reply` breaks, by the problem kind that names each, from the
/// simulation's limits (never the plugin's).
fn broken(kind: Kind, reply: &Reply, open: bool, group: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |k: &str| {
        out.insert(k.to_string());
    };
    if !open {
        add("window-closed");
    }
    // Meta groups: text, media and templates only (the simulated Cloud API's group rule).
    let group_type = matches!(reply, Reply::Text(_) | Reply::Media { .. });
    if group && kind == Kind::MetaCloud && !group_type {
        add("not-supported-in-group");
    }
    let text_max = if kind == Kind::Twilio { twilio::BODY_MAX } else { meta::TEXT_MAX };
    match reply {
        Reply::Text(n) if *n > text_max => add("too-long"),
        Reply::Text(_) => {}
        Reply::Media { kind: media_kind, mime, size, animated, caption, .. } => {
            let caption_max = if kind == Kind::Twilio { twilio::BODY_MAX } else { meta::CAPTION_MAX };
            if caption.is_some_and(|n| n > caption_max) {
                add("too-long");
            }
            if kind == Kind::Twilio {
                let max = match mime.as_str() {
                    "image/webp" if *animated => twilio::STICKER_ANIMATED_MAX_BYTES,
                    "image/webp" => twilio::STICKER_STATIC_MAX_BYTES,
                    m if m.starts_with("image/") => twilio::IMAGE_MAX_BYTES,
                    _ => twilio::MESSAGE_MAX_BYTES,
                };
                if *size > max {
                    add("media-too-large");
                }
                if !twilio::SUPPORTED_TYPES.contains(&mime.as_str()) {
                    add("media-type-not-accepted");
                }
            } else {
                let animated = *animated && *media_kind == MediaKind::Sticker;
                let (types, max) = meta::media_rule(kind_name(*media_kind), animated).expect("a kind");
                if *size > max {
                    add("media-too-large");
                }
                if !types.contains(&mime.as_str()) {
                    add("media-type-not-accepted");
                }
            }
        }
        Reply::Buttons { titles } if kind == Kind::MetaCloud => {
            if titles.is_empty() || titles.len() > meta::BUTTONS_MAX {
                add("wrong-count");
            }
            if titles.iter().any(|n| *n > meta::BUTTON_TITLE_MAX) {
                add("too-long");
            }
        }
        Reply::Buttons { .. } => {}
        Reply::List { sections } if kind != Kind::Twilio => {
            let rows: usize = sections.iter().map(|s| s.1.len()).sum();
            if rows == 0 || rows > meta::LIST_ROWS_MAX {
                add("wrong-count");
            }
            let mut n = 0;
            let long_row = sections.iter().flat_map(|s| &s.1).any(|len| {
                n += 1;
                format!("{n}").len() + len > meta::ROW_TITLE_MAX
            });
            if long_row || sections.iter().any(|s| s.0.is_some_and(|t| t > meta::SECTION_TITLE_MAX)) {
                add("too-long");
            }
        }
        Reply::List { .. } | Reply::Location | Reply::Reaction | Reply::Contacts => {}
    }
    out
}

fn kind_case(p: ProblemKind) -> &'static str {
    match p {
        ProblemKind::WindowClosed => "window-closed",
        ProblemKind::TooLong => "too-long",
        ProblemKind::Empty => "empty",
        ProblemKind::MediaTooLarge => "media-too-large",
        ProblemKind::MediaTypeNotAccepted => "media-type-not-accepted",
        ProblemKind::WrongCount => "wrong-count",
        ProblemKind::Duplicate => "duplicate",
        ProblemKind::NotSupportedByProvider => "not-supported-by-provider",
        ProblemKind::NotSupportedInGroup => "not-supported-in-group",
        ProblemKind::NotSupportedForBsuid => "not-supported-for-bsuid",
        ProblemKind::MarketingOptedOut => "marketing-opted-out",
        ProblemKind::MarketingToUsNumber => "marketing-to-us-number",
        ProblemKind::TemplateProblem => "template-problem",
    }
}

/// A provider that knows the customer wrote at `last` and can fetch the reply's file.
fn provider_for(kind: Kind, reply: &Reply, last: i64, group: bool) -> Provider {
    let mut provider = Provider::new(kind, 7, BUSINESS);
    // The provider's window key for a group is `group:<id>`; any participant's message opens it.
    let who = if group { format!("group:{GROUP}") } else { CUSTOMER.to_string() };
    provider.customer_message(&who, "Ana", &CustomerMessage { text: Some("Hi".into()), ..Default::default() }, last);
    if let Reply::Media { kind, mime, size, animated, .. } = reply {
        let file = HostedFile { mime_type: mime.clone(), size_bytes: *size, animated: *animated };
        provider.files.links.insert(link(*kind), file.clone());
        provider.files.uploads.insert("1013859600285441".into(), file);
    }
    provider
}

fn compose(kind: Kind, reply: &Reply, last: i64, group: bool) -> ComposeAnswer {
    let request = ComposeRequest {
        account: account(kind),
        recipient: if group { Recipient::Group(GROUP.into()) } else { Recipient::Phone(CUSTOMER.into()) },
        content: content(reply),
        reply_to: None,
        preview_url: false,
        window: WindowFacts::Conversation(Conversation {
            last_customer_message: Some(CustomerMessageTime { sent_at: last, clock: ClockSource::ProviderTimestamp }),
            last_business_message_at: None,
            origin: ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        }),
        now: NOW,
        marketing_opted_out: None,
        recipient_country: None,
    };
    plugin()
        .compose(&request)
        .expect("the component answers")
        .expect("a well-formed request is composed or refused with problems")
}

/// Send a composed request to the provider: its HTTP status and the outcome it logged.
fn send(
    provider: &mut Provider,
    http: &host_harness::bindings::exports::helpdesk::whatsapp::outbound::HttpRequest,
) -> (u16, String, String) {
    let url = format!("{}{}", http.base_url, http.path);
    let wire = HttpRequest::to_url(&http.method, &url, &http.content_type, http.body.as_bytes());
    let response = provider.handle_send(&wire, NOW);
    let outcome = provider.log.last().map(|l| l.outcome.clone()).unwrap_or_default();
    (response.status, outcome, response.text())
}

/// The rule kinds this test can tell from the provider's limits; other problems (what a provider
/// cannot send free-form at all, empty fields) are the plugin's own and checked by the fixtures.
const RULE_KINDS: &[&str] = &[
    "window-closed",
    "too-long",
    "media-too-large",
    "media-type-not-accepted",
    "wrong-count",
    "not-supported-in-group",
];

const GROUP: &str = "Y2FwaV9ncm91cDoxNTU1MDEwMTIzNDoxMjAzNjM0MDQ2OTQyMzM4NzE";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn compose_and_the_providers_agree(reply in reply(), provider in 0usize..3, open in any::<bool>(), group in any::<bool>()) {
        let kind = kind_of(provider);
        // Groups through the Cloud API (Twilio has none; 1msg's `@g.us` chats are its own).
        let group = group && kind == Kind::MetaCloud;
        let last = if open { NOW - 3_600_000 } else { NOW - 30 * 3_600_000 };
        let answer = compose(kind, &reply, last, group);
        let expected = broken(kind, &reply, open, group);
        let named: BTreeSet<String> = answer.problems.iter().map(|p| kind_case(p.kind).to_string())
            .filter(|k| RULE_KINDS.contains(&k.as_str())).collect();
        match &answer.request {
            Some(http) => {
                prop_assert!(expected.is_empty(), "compose accepted what breaks {:?}: {:?}", expected, reply);
                let mut p = provider_for(kind, &reply, last, group);
                let (status, outcome, body) = send(&mut p, http);
                prop_assert!((200..300).contains(&status), "{:?} refused {} {}: {:?}", kind, status, body, reply);
                prop_assert!(outcome.starts_with("accepted"), "{:?} logged `{}` for {:?}", kind, outcome, reply);
            }
            None => {
                prop_assert!(!answer.problems.is_empty() || !answer.template_problems.is_empty());
                let details: Vec<&String> = answer.problems.iter().map(|p| &p.detail).collect();
                // Every rule broken is named ...
                prop_assert!(named.is_superset(&expected), "{:?} {:?}: expected {:?}, problems {:?}", kind, reply, expected, details);
                // ... and every rule named is broken, unless the provider cannot send this at all (then the
                // plugin may still say what else is wrong with it).
                let unsendable = answer.problems.iter().any(|p| p.kind == ProblemKind::NotSupportedByProvider);
                if !unsendable {
                    prop_assert_eq!(&named, &expected, "{:?} {:?}: problems {:?}", kind, reply, details);
                }
            }
        }
    }
}

/// Every outbound fixture whose `compose` yields a message request (templates aside: the provider's
/// approved list is scenario data) is accepted by the simulated provider, once the customer has written
/// within the window and the files it links are on the web. The fixture's account becomes the simulated
/// one (its ids and sender); nothing else changes.
#[test]
fn every_composed_fixture_is_accepted_by_its_simulated_provider() {
    use host_harness::json::args;
    use serde_json::{Value, json};
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, fixture) in integration_tests::json_fixtures("outbound") {
        let expect = &fixture["expect"];
        let template =
            fixture["request"]["content"].get("template").or(fixture["request"]["content"].get("rendered-template"));
        if fixture["function"].as_str().unwrap_or("compose") != "compose"
            || expect["request"].is_null()
            || template.is_some()
        {
            continue;
        }
        let mut request = fixture["request"].clone();
        let kind = if request["account"].get("twilio").is_some() {
            request["account"]["twilio"]["account_sid"] = json!(TWILIO_ACCOUNT_SID);
            request["account"]["twilio"]["sender"] = json!({"from": BUSINESS});
            Kind::Twilio
        } else if request["account"].get("one-msg").is_some() {
            request["account"]["one-msg"]["api_url"] = json!(format!("https://api.1msg.io/{ONE_MSG_INSTANCE}"));
            Kind::OneMsg
        } else {
            request["account"]["meta-cloud"]["phone_number_id"] = json!(META_PHONE_NUMBER_ID);
            Kind::MetaCloud
        };
        let answer = plugin().call_json("outbound", "compose", &args([("request", request.clone())])).expect("answers");
        let http = &answer["ok"]["request"];
        let now = host_harness::json::rfc3339_millis(request["now"].as_str().unwrap_or_default())
            .or(request["now"].as_i64())
            .unwrap_or(NOW);
        let mut provider = Provider::new(kind, 7, BUSINESS);
        let recipient = &request["recipient"];
        let who = match (recipient["phone"].as_str(), recipient["bsuid"].as_str(), recipient["group"].as_str()) {
            (Some(p), _, _) => p.to_string(),
            (_, Some(b), _) => b.to_string(),
            (_, _, Some(g)) => format!("group:{}", g.trim_end_matches("@g.us")),
            _ => unreachable!("a recipient"),
        };
        provider.customer_message(
            &who,
            "Ana",
            &CustomerMessage { text: Some("Hi".into()), ..Default::default() },
            now - 3_600_000,
        );
        let media = &request["content"]["media"];
        if !media.is_null() {
            let kind = media["kind"].as_str().unwrap_or("document");
            let default_mime = match kind {
                "image" => "image/jpeg",
                "video" => "video/mp4",
                "audio" => "audio/ogg",
                "sticker" => "image/webp",
                _ => "application/pdf",
            };
            let file = HostedFile {
                mime_type: media["mime_type"].as_str().unwrap_or(default_mime).to_string(),
                size_bytes: media["size_bytes"].as_u64().unwrap_or(50_000),
                animated: media["animated"] == true,
            };
            match (&media["source"]["link"], &media["source"]["id"]) {
                (Value::String(l), _) => provider.files.links.insert(l.clone(), file),
                (_, Value::String(i)) => provider.files.uploads.insert(i.clone(), file),
                _ => None,
            };
        }
        let url =
            format!("{}{}", http["base_url"].as_str().unwrap_or_default(), http["path"].as_str().unwrap_or_default());
        let wire = HttpRequest::to_url(
            "POST",
            &url,
            http["content_type"].as_str().unwrap_or_default(),
            http["body"].as_str().unwrap_or_default().as_bytes(),
        );
        let response = provider.handle_send(&wire, now);
        let outcome = provider.log.last().map(|l| l.outcome.clone()).unwrap_or_default();
        checked += 1;
        if !(200..300).contains(&response.status) || !outcome.starts_with("accepted") {
            failures.push(format!("{name}: {} {} ({outcome})", response.status, response.text()));
        }
    }
    assert!(checked >= 15, "only {checked} fixtures composed a message request");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every `mark-read` fixture's request is taken by the simulated provider once the message it names was
/// received there, and `read-response` reads the answer as acknowledged; a receipt for a message the
/// provider never delivered is refused, and read back as a failure.
#[test]
fn every_read_receipt_fixture_is_acknowledged_by_its_simulated_provider() {
    use host_harness::json::args;
    use serde_json::json;
    let mut checked = 0;
    for (name, fixture) in integration_tests::json_fixtures("outbound") {
        if fixture["function"] != "mark-read" || fixture["expect"]["request"].is_null() {
            continue;
        }
        let mut request = fixture["request"].clone();
        let (kind, provider_name) = if request["account"].get("twilio").is_some() {
            request["account"]["twilio"]["account_sid"] = json!(TWILIO_ACCOUNT_SID);
            request["account"]["twilio"]["sender"] = json!({"from": BUSINESS});
            (Kind::Twilio, "twilio")
        } else if request["account"].get("one-msg").is_some() {
            request["account"]["one-msg"]["api_url"] = json!(format!("https://api.1msg.io/{ONE_MSG_INSTANCE}"));
            (Kind::OneMsg, "one-msg")
        } else {
            request["account"]["meta-cloud"]["phone_number_id"] = json!(META_PHONE_NUMBER_ID);
            (Kind::MetaCloud, "meta-cloud")
        };
        let answer =
            plugin().call_json("outbound", "mark-read", &args([("request", request.clone())])).expect("answers");
        let http = &answer["ok"]["request"];
        assert!(http.is_object(), "{name}: {answer}");
        let url = format!("{}{}", http["base_url"].as_str().unwrap(), http["path"].as_str().unwrap());
        let wire = HttpRequest::to_url(
            "POST",
            &url,
            http["content_type"].as_str().unwrap(),
            http["body"].as_str().unwrap().as_bytes(),
        );
        for received in [true, false] {
            let mut provider = Provider::new(kind, 7, BUSINESS);
            if received {
                provider.received.insert(request["message_id"].as_str().unwrap().to_string());
            }
            let response = provider.handle_send(&wire, NOW);
            assert_eq!(
                (200..300).contains(&response.status),
                received,
                "{name}: {} {}",
                response.status,
                response.text()
            );
            let read = json!({"provider": provider_name, "call": "mark-read", "status": response.status, "body": response.text()});
            let outcome =
                plugin().call_json("outbound", "read-response", &args([("response", read)])).expect("answers");
            let key = if received { "sent" } else { "failed" };
            assert!(outcome["ok"].get(key).is_some(), "{name}: {outcome}");
        }
        checked += 1;
    }
    assert_eq!(checked, 3, "the Meta, Twilio and 1msg read fixtures");
}

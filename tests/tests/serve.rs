//! `host-harness serve` over real HTTP on loopback: the fixtures' webhooks posted as the providers
//! send them, the answers, the state in SQLite through the JSON API, a restart, retries, bad
//! signatures, Meta's handshake, a reply out to a loopback stand-in of the Graph API with its status
//! callbacks back, and the loopback guard. The loopback load run is `#[ignore]`d (run it with
//! `cargo test -p integration-tests --test serve -- --ignored --nocapture`).

mod wire_common;

use host_harness::serve::db;
use host_harness::sim::providers::Kind;
use host_harness::wire::{self, load, replay, trigger};
use integration_tests::fixtures;
use serde_json::{Value, json};
use wire_common::*;

/// Post a fixture file as recorded; the receiver's answer.
fn post_fixture(server: &host_harness::serve::Running, provider_dir: &str, file: &str) -> wire::Answer {
    let path = fixtures(provider_dir).join(file);
    let endpoint = match provider_dir {
        "meta-cloud" => "meta-cloud",
        "twilio" => "twilio",
        _ => "1msg",
    };
    replay::run(&[path], &format!("{}/webhooks/{endpoint}", server.url()), None).expect("posted").remove(0).1
}

fn conversations(server: &host_harness::serve::Running) -> Vec<Value> {
    get_json(server, "/api/conversations")["conversations"].as_array().unwrap().clone()
}

/// Everything the API shows: every conversation with its timeline (the window depends on the clock).
fn snapshot(server: &host_harness::serve::Running) -> Value {
    let list = conversations(server);
    let detailed: Vec<Value> = list
        .iter()
        .map(|c| {
            let v = get_json(server, &format!("/api/conversations/{}", c["id"]));
            json!({"conversation": v["conversation"], "entries": v["entries"]})
        })
        .collect();
    Value::Array(detailed)
}

#[test]
fn fixtures_are_stored_and_survive_a_restart() {
    let db_path = temp_db("restart");
    let stub = stub_meta();
    let server = start(config(&db_path, &stub.url));
    for (dir, file) in [
        ("meta-cloud", "01-text.json"),
        ("meta-cloud", "04-image-with-caption.json"),
        ("meta-cloud", "29-status-sent-utility-regular.json"),
        ("twilio", "01-text.json"),
        ("twilio", "04-image-with-caption.json"),
        ("meta-cloud", "36-echo-business-app-text.json"),
    ] {
        let answer = post_fixture(&server, dir, file);
        assert_eq!(answer.status, 200, "{dir}/{file}: {}", answer.body);
    }
    let list = conversations(&server);
    assert_eq!(list.len(), 5, "Maya, Ken and Noah on Meta, Maya Chen and Priya on Twilio: {list:#?}");
    let maya = list.iter().find(|c| c["customer_name"] == "Maya Lindqvist").expect("Maya's conversation");
    assert_eq!(maya["customer_phone"], "+15551230001");
    let view = get_json(&server, &format!("/api/conversations/{}", maya["id"]));
    let text = &view["entries"][0];
    assert_eq!(text["direction"], "in");
    assert!(text["body"].as_str().unwrap().starts_with("Hi, my order #1043"), "{text}");
    assert!(view["window"]["state"].is_string(), "the window is checked: {}", view["window"]);
    let ken = list.iter().find(|c| c["customer_name"] == "Ken Watanabe").expect("Ken's conversation");
    let image = &get_json(&server, &format!("/api/conversations/{}", ken["id"]))["entries"][0];
    assert_eq!(image["attachments"][0]["media_id"], "1208345566779012");
    assert_eq!(image["attachments"][0]["caption"], "The box arrived crushed on one corner");
    // Ken's photo, a Meta media id, is fetched through the Graph API with the access token.
    let media = wire::get_blocking(&format!("{}/media/meta/1208345566779012", server.url())).unwrap();
    assert_eq!(media.status, 200, "{}", media.body);
    assert_eq!(media.body.as_bytes(), String::from_utf8_lossy(MEDIA_BYTES).as_bytes());
    let seen = stub.requests.lock().unwrap().clone();
    assert!(
        seen.iter().any(|(line, auth)| line.starts_with("GET /v26.0/1208345566779012 ")
            && auth == "Bearer meta-access-token-for-tests"),
        "{seen:?}"
    );
    // A reply sent from the WhatsApp Business app on the same number, shown masked.
    let noah = list.iter().find(|c| c["customer_bsuid"] == "US.20491385566071234600").expect("Noah's conversation");
    let echo = &get_json(&server, &format!("/api/conversations/{}", noah["id"]))["entries"][0];
    assert_eq!(
        (echo["direction"].as_str(), echo["author"].as_str()),
        (Some("echo"), Some("WhatsApp Business app")),
        "{echo}"
    );
    let twilio = list.iter().find(|c| c["customer_name"] == "Priya Natarajan").expect("Priya's conversation");
    assert_eq!(twilio["provider"], "twilio");
    let twilio_view = get_json(&server, &format!("/api/conversations/{}", twilio["id"]));
    let url = twilio_view["entries"].as_array().unwrap().iter().find_map(|e| e["attachments"][0]["url"].as_str());
    assert!(url.is_some_and(|u| u.starts_with("https://api.twilio.com/")), "{twilio_view:#}");
    let page = wire::get_blocking(&format!("{}/?c={}", server.url(), maya["id"])).unwrap();
    assert!(page.body.contains("my order #1043"), "the page shows the message");

    let before = snapshot(&server);
    server.stop();
    let server = start(config(&db_path, &stub.url));
    assert_eq!(snapshot(&server), before, "a restart loses nothing");
    // And the retried webhook is still recognised after the restart.
    assert_eq!(post_fixture(&server, "meta-cloud", "01-text.json").status, 200);
    assert_eq!(snapshot(&server), before);
}

#[test]
fn a_bad_signature_or_body_stores_nothing() {
    let stub = stub_meta();
    let server = start(config(&temp_db("refused"), &stub.url));
    for (dir, file, status) in [
        ("meta-cloud", "39-bad-signature-wrong-secret.json", 401),
        ("meta-cloud", "40-bad-signature-altered-body.json", 401),
        ("meta-cloud", "41-missing-signature.json", 401),
        ("meta-cloud", "42-malformed-entry-missing.json", 400),
        ("twilio", "23-bad-signature-tampered-body.json", 401),
        ("twilio", "24-missing-signature.json", 401),
    ] {
        let answer = post_fixture(&server, dir, file);
        assert_eq!(answer.status, status, "{dir}/{file}: {}", answer.body);
    }
    assert!(conversations(&server).is_empty(), "nothing stored");
    // 1msg without the token in the URL: missing signature.
    let hook = replay::read(&fixtures("one-msg").join("01-text.json")).unwrap().webhook;
    let answer =
        wire::post_blocking(&format!("{}/webhooks/1msg", server.url()), &hook.headers, hook.body.as_bytes()).unwrap();
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert!(conversations(&server).is_empty());
}

#[test]
fn a_retried_webhook_changes_nothing() {
    let stub = stub_meta();
    let server = start(config(&temp_db("retry"), &stub.url));
    assert_eq!(post_fixture(&server, "meta-cloud", "01-text.json").status, 200);
    let once = snapshot(&server);
    for _ in 0..3 {
        assert_eq!(post_fixture(&server, "meta-cloud", "01-text.json").status, 200, "a retry is accepted");
    }
    assert_eq!(snapshot(&server), once, "and changes nothing");
    let entries = once[0]["entries"].as_array().unwrap().len();
    assert_eq!(entries, 1);
}

#[test]
fn meta_handshake_answers_the_challenge_only_with_our_token() {
    let stub = stub_meta();
    let server = start(config(&temp_db("handshake"), &stub.url));
    let url = |token: &str, mode: &str| {
        format!(
            "{}/webhooks/meta-cloud?hub.mode={mode}&hub.verify_token={token}&hub.challenge=1158201444",
            server.url()
        )
    };
    let ok = wire::get_blocking(&url(VERIFY_TOKEN, "subscribe")).unwrap();
    assert_eq!((ok.status, ok.body.as_str()), (200, "1158201444"));
    assert_eq!(wire::get_blocking(&url("wrong", "subscribe")).unwrap().status, 403);
    assert_eq!(wire::get_blocking(&url(VERIFY_TOKEN, "unsubscribe")).unwrap().status, 403);
}

#[test]
fn a_reply_goes_out_and_its_statuses_only_move_forward() {
    let stub = stub_meta();
    let server = start(config(&temp_db("reply"), &stub.url));
    customer_writes(&server, "+15551230001", "Maya Lindqvist", "Is my order on its way?");
    let id = conversations(&server)[0]["id"].as_i64().unwrap();
    // Over Meta's 4096-character text limit: a problem, nothing sent.
    let (status, checked) =
        post_json(&server, &format!("/api/conversations/{id}/reply"), &json!({"text": "x".repeat(4100)}));
    assert_eq!(status, 422, "{checked}");
    assert_eq!(checked["problems"][0]["kind"], "too-long", "{checked}");
    assert!(stub.bodies.lock().unwrap().is_empty(), "nothing sent");
    let (status, sent) =
        post_json(&server, &format!("/api/conversations/{id}/reply"), &json!({"text": "Yes, it ships today."}));
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["outcome"], "sent wamid.STUB1");
    let body: Value = serde_json::from_str(&stub.bodies.lock().unwrap()[0]).unwrap();
    assert_eq!(
        (body["to"].as_str(), body["text"]["body"].as_str()),
        (Some("+15551230001"), Some("Yes, it ships today."))
    );
    // Status callbacks, duplicated and out of order: the entry ends at `read`.
    let t = meta_statuses(format!("{}/webhooks/meta-cloud", server.url()), "wamid.STUB1");
    let answers = trigger::run(&t).unwrap();
    assert!(answers.iter().all(|(_, a)| a.status == 200));
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let reply = view["entries"].as_array().unwrap().iter().find(|e| e["message_id"] == "wamid.STUB1").unwrap().clone();
    assert_eq!(reply["status"], "read", "{reply}");
    assert_eq!(reply["direction"], "out");
    assert!(view["window"]["free_form_allowed"].as_bool().unwrap());
    // The customer reacts to it: the reaction shows on the reply.
    let react = trigger::Trigger { event: "reaction".into(), name: "Maya Lindqvist".into(), ..t.clone() };
    assert_eq!(trigger::run(&react).unwrap()[0].1.status, 200);
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let reply = view["entries"].as_array().unwrap().iter().find(|e| e["message_id"] == "wamid.STUB1").unwrap().clone();
    assert_eq!(reply["reactions"], json!([["Maya Lindqvist (+15551230001)", "👍"]]), "{reply}");
    // A second reply fails after it was sent: the marker stays, and a late `delivered` does not undo it.
    let (_, sent) = post_json(&server, &format!("/api/conversations/{id}/reply"), &json!({"text": "One more thing."}));
    assert_eq!(sent["outcome"], "sent wamid.STUB2");
    let recorded = replay::read(&fixtures("meta-cloud").join("33-status-failed-131047-outside-window.json")).unwrap();
    let mut signer = host_harness::sim::providers::Provider::new(Kind::MetaCloud, 0, "+15550101234");
    signer.secret = META_SECRET.into();
    let failed =
        recorded.webhook.body.replace("wamid.HBgLMTU1NTEyMzAwMDMVAgARGBJIQkZBSUxFRDEzMTA0NzAwMDAwNQA=", "wamid.STUB2");
    let late = trigger::Trigger { event: "statuses".into(), message_id: Some("wamid.STUB2".into()), ..t.clone() };
    let url = format!("{}/webhooks/meta-cloud", server.url());
    let hook = signer.signed_raw(&failed);
    assert_eq!(wire::post_blocking(&url, &hook.headers, hook.body.as_bytes()).unwrap().status, 200);
    assert!(trigger::run(&late).unwrap().iter().all(|(_, a)| a.status == 200));
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let second = view["entries"].as_array().unwrap().iter().find(|e| e["message_id"] == "wamid.STUB2").unwrap().clone();
    assert_eq!(second["status"], "failed", "{second}");
    assert!(second["marker"].as_str().unwrap().starts_with("Not delivered (131047 outside-window)"), "{second}");
    // The provider refuses a send at once: the reply stays on the timeline, marked not sent.
    let (status, refused) =
        post_json(&server, &format!("/api/conversations/{id}/reply"), &json!({"text": "PLEASE REFUSE"}));
    assert_eq!(status, 200, "{refused}");
    assert!(refused["outcome"].as_str().unwrap().starts_with("Not sent (131047"), "{refused}");
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let kept = view["entries"].as_array().unwrap().iter().find(|e| e["body"] == "PLEASE REFUSE").unwrap().clone();
    assert!(kept["message_id"].is_null() && kept["marker"].as_str().unwrap().starts_with("Not sent (131047"), "{kept}");
}

#[test]
fn outside_the_window_only_templates_are_offered_and_checked() {
    let stub = stub_meta();
    let server = start(config(&temp_db("templates"), &stub.url));
    // The fixture's customer wrote on 2026-11-20: more than 24 hours ago by now.
    assert_eq!(post_fixture(&server, "meta-cloud", "01-text.json").status, 200);
    let id = conversations(&server)[0]["id"].as_i64().unwrap();
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    assert_eq!(view["window"]["free_form_allowed"], false);
    let offered: Vec<String> = view["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("{} {}", t["name"].as_str().unwrap(), t["language"].as_str().unwrap()))
        .collect();
    let mut sorted = offered.clone();
    sorted.sort();
    assert_eq!(offered, sorted, "sorted by name");
    assert!(!offered.iter().any(|t| t.starts_with("paused")), "approved only: {offered:?}");
    let (status, checked) = post_json(&server, &format!("/api/conversations/{id}/compose"), &json!({"text": "hello"}));
    assert_eq!(status, 200);
    assert_eq!(checked["problems"][0]["kind"], "window-closed", "{checked}");
    // A draft whose fixed text was edited is refused before anything is sent.
    let (status, checked) = post_json(
        &server,
        &format!("/api/conversations/{id}/reply"),
        &json!({"template": "order_shipped", "language": "en_US", "draft": "Hello there"}),
    );
    assert_eq!(status, 422, "{checked}");
    assert_eq!(checked["problems"][0]["kind"], "draft-changed");
    assert!(stub.bodies.lock().unwrap().is_empty());
    // The draft with its slots filled, fixed text as offered: validated, rendered and sent.
    let offer = view["templates"].as_array().unwrap().iter().find(|t| t["name"] == "order_shipped").unwrap().clone();
    let draft: String = offer["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| match s["fixed"].as_str() {
            Some(fixed) => fixed.to_string(),
            None => format!("V-{}", s["slot"]["key"].as_str().unwrap()),
        })
        .collect();
    let (status, sent) = post_json(
        &server,
        &format!("/api/conversations/{id}/reply"),
        &json!({"template": "order_shipped", "language": "en_US", "draft": draft}),
    );
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["outcome"], "sent wamid.STUB1");
    let body: Value = serde_json::from_str(&stub.bodies.lock().unwrap()[0]).unwrap();
    assert_eq!(body["template"]["name"], "order_shipped", "{body}");
    assert!(body.to_string().contains("V-order_id"), "the agent's values go out: {body}");
}

#[test]
fn the_loopback_guard_refuses_other_addresses() {
    wire::restrict_to_loopback();
    assert!(wire::check_destination("http://127.0.0.1:9/webhooks").is_ok());
    assert!(wire::check_destination("http://[::1]:9/").is_ok());
    let refused = wire::check_destination("https://graph.facebook.com/v26.0/1/messages").unwrap_err();
    assert!(refused.contains("not a loopback address"), "{refused}");
    let mut cfg = config(&temp_db("guard"), "http://127.0.0.1:9");
    cfg.twilio_api_base = None; // the real Twilio API
    let plugin = std::sync::Arc::new(host_harness::PluginHost::bundled().unwrap());
    let error = host_harness::serve::start(cfg, plugin).err().expect("refused");
    assert!(error.contains("api.twilio.com"), "{error}");
    let t = trigger::Trigger {
        provider: Kind::MetaCloud,
        event: "text".into(),
        to: "https://example.com/webhooks".into(),
        public_url: None,
        secret: "s".into(),
        phone: "+15551230001".into(),
        name: "n".into(),
        text: "t".into(),
        message_id: None,
        count: 1,
    };
    assert!(trigger::run(&t).unwrap_err().contains("not a loopback address"));
}

#[test]
#[ignore = "a load run: cargo test -p integration-tests --test serve -- --ignored --nocapture"]
fn loopback_load_run_loses_and_duplicates_nothing() {
    let stub = stub_meta();
    let db_path = temp_db("load");
    let server = start(config(&db_path, &stub.url));
    let to = format!("{}/webhooks/meta-cloud", server.url());
    let count = 1000;
    let hooks = load::webhooks(Kind::MetaCloud, &to, None, META_SECRET, count).unwrap();
    let report = load::run(&to, Kind::MetaCloud, hooks, 16).unwrap();
    server.stop();
    let conn = db::open(&db_path).unwrap();
    let rows: i64 = conn.query_row("SELECT count(*) FROM entries WHERE direction = 'in'", [], |r| r.get(0)).unwrap();
    let distinct: i64 =
        conn.query_row("SELECT count(DISTINCT provider_message_id) FROM entries", [], |r| r.get(0)).unwrap();
    let answered: i64 = conn.query_row("SELECT count(*) FROM webhooks WHERE answer = 200", [], |r| r.get(0)).unwrap();
    println!(
        "load: {} requests ({count} distinct webhooks) in {:.2} s = {:.0} webhooks/s; {} accepted; rows {rows}, distinct ids {distinct}, logged 200s {answered}",
        report.requests,
        report.elapsed.as_secs_f64(),
        report.per_second(),
        report.accepted
    );
    assert_eq!(report.accepted, report.requests, "refused: {:?}", report.refused);
    assert_eq!(rows, count as i64, "0 lost, 0 duplicated");
    assert_eq!(distinct, count as i64);
    assert_eq!(answered, report.requests as i64);
}

#[test]
fn every_trigger_event_is_accepted_as_the_provider_would_send_it() {
    let stub = stub_meta();
    let server = start(config(&temp_db("trigger"), &stub.url));
    let base = trigger::Trigger {
        provider: Kind::MetaCloud,
        event: String::new(),
        to: String::new(),
        // Twilio signs the URL it knows the receiver by: the server's PUBLIC_URL and the path.
        public_url: Some(PUBLIC_URL.into()),
        secret: String::new(),
        phone: "+15551230001".into(),
        name: "Maya Lindqvist".into(),
        text: "Here you go".into(),
        message_id: Some("wamid.EARLIER".into()),
        count: 3,
    };
    let mut expected_kinds = Vec::new();
    for (provider, endpoint, secret) in [
        (Kind::MetaCloud, "meta-cloud", META_SECRET),
        (Kind::Twilio, "twilio", TWILIO_TOKEN),
        (Kind::OneMsg, "1msg", ONE_MSG_TOKEN),
    ] {
        for event in trigger::EVENTS {
            let t = trigger::Trigger {
                provider,
                event: event.to_string(),
                to: format!("{}/webhooks/{endpoint}", server.url()),
                secret: secret.into(),
                ..base.clone()
            };
            let answers = match trigger::run(&t) {
                Ok(answers) => answers,
                // Groups, calls and echoes exist on some providers only; the error says so.
                Err(e) => {
                    assert!(matches!(*event, "group" | "call" | "echo"), "{endpoint} {event}: {e}");
                    continue;
                }
            };
            for (_, answer) in &answers {
                assert_eq!(answer.status, 200, "{endpoint} {event}: {}", answer.body);
            }
            if ["image", "video", "audio", "voice", "document", "sticker"].contains(event) {
                expected_kinds.push(event.to_string());
            }
        }
    }
    let mut kinds = Vec::new();
    for c in conversations(&server) {
        for e in get_json(&server, &format!("/api/conversations/{}", c["id"]))["entries"].as_array().unwrap() {
            if !e["attachments"].as_array().unwrap().is_empty() {
                kinds.push(e["kind"].as_str().unwrap().to_string());
            }
        }
    }
    kinds.sort();
    expected_kinds.sort();
    assert_eq!(kinds, expected_kinds, "each media message is stored with its file");
}

#[test]
fn an_unset_secret_is_a_server_error_so_the_provider_retries() {
    let stub = stub_meta();
    let mut cfg = config(&temp_db("unset"), &stub.url);
    cfg.twilio_auth_token = None;
    let server = start(cfg);
    let answer = post_fixture(&server, "twilio", "01-text.json");
    assert_eq!(answer.status, 500, "{}", answer.body);
    assert!(answer.body.contains("TWILIO_AUTH_TOKEN"), "{}", answer.body);
    assert!(conversations(&server).is_empty());
}

#[test]
fn a_status_that_overtakes_the_send_answer_is_applied_when_the_reply_is_stored() {
    let stub = stub_meta();
    let server = start(config(&temp_db("early-status"), &stub.url));
    *stub.status_to.lock().unwrap() = Some(format!("{}/webhooks/meta-cloud", server.url()));
    customer_writes(&server, "+15551230001", "Maya Lindqvist", "Where is my parcel?");
    let id = conversations(&server)[0]["id"].as_i64().unwrap();
    let (status, sent) =
        post_json(&server, &format!("/api/conversations/{id}/reply"), &json!({"text": "EARLY STATUS: it left today."}));
    assert_eq!((status, sent["outcome"].as_str()), (200, Some("sent wamid.STUB1")), "{sent}");
    // The stub posted the statuses before answering: the server had no entry for them yet.
    let posted = stub.bodies.lock().unwrap().clone();
    assert_eq!(posted.last().map(String::as_str), Some("early statuses answered [200, 200, 200, 200, 200, 200, 200]"));
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let reply = view["entries"].as_array().unwrap().iter().find(|e| e["message_id"] == "wamid.STUB1").unwrap().clone();
    assert_eq!(reply["status"], "read", "the early statuses were applied, ranked: {reply}");
    // Applied once: a late `delivered` does not move it back, as for any stored reply.
    let late = meta_statuses(format!("{}/webhooks/meta-cloud", server.url()), "wamid.STUB1");
    assert!(trigger::run(&late).unwrap().iter().all(|(_, a)| a.status == 200));
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let reply = view["entries"].as_array().unwrap().iter().find(|e| e["message_id"] == "wamid.STUB1").unwrap().clone();
    assert_eq!(reply["status"], "read", "{reply}");
}

#[test]
fn a_retried_call_or_group_update_changes_nothing() {
    let stub = stub_meta();
    let server = start(config(&temp_db("retry-call-group"), &stub.url));
    for file in ["91-call-user-initiated-connect.json", "51-group-participant-left.json"] {
        assert_eq!(post_fixture(&server, "meta-cloud", file).status, 200, "{file}");
    }
    let once = snapshot(&server);
    let stored: usize = once.as_array().unwrap().iter().map(|c| c["entries"].as_array().unwrap().len()).sum();
    assert_eq!(stored, 2, "one call entry and one group entry: {once}");
    for file in ["91-call-user-initiated-connect.json", "51-group-participant-left.json"] {
        let answer = post_fixture(&server, "meta-cloud", file);
        assert_eq!(answer.status, 200, "a retry is accepted: {}", answer.body);
        assert!(answer.body.contains("1 duplicates"), "{file}: {}", answer.body);
    }
    assert_eq!(snapshot(&server), once, "and changes nothing");
}

#[test]
fn an_unreadable_send_answer_keeps_the_reply_with_a_marker() {
    let stub = stub_meta();
    let server = start(config(&temp_db("unreadable"), &stub.url));
    customer_writes(&server, "+15551230001", "Maya Lindqvist", "Hello?");
    let id = conversations(&server)[0]["id"].as_i64().unwrap();
    let (status, answer) =
        post_json(&server, &format!("/api/conversations/{id}/reply"), &json!({"text": "GARBLED ANSWER ahead"}));
    assert_eq!(status, 502, "{answer}");
    assert!(answer["error"].as_str().unwrap().starts_with("Answer not read: the provider accepted"), "{answer}");
    let view = get_json(&server, &format!("/api/conversations/{id}"));
    let kept = view["entries"].as_array().unwrap().iter().find(|e| e["body"] == "GARBLED ANSWER ahead").cloned();
    let kept = kept.expect("the reply is on the timeline");
    assert!(kept["marker"].as_str().unwrap().contains("the message may have been sent"), "{kept}");
    assert_eq!(kept["direction"], "out");
}

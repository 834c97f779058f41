//! The whole round trip over real HTTP on loopback: `host-harness providers` (the simulated providers
//! as a server) and `host-harness serve` (the dev server), started in-process on ephemeral ports with
//! serve's API bases pointed at the providers. A customer writes (the provider posts the signed webhook
//! to serve), the agent replies through serve's JSON API, serve sends the composed request to the
//! provider with its credential, and the provider's status callbacks (late, every one twice, out of
//! order) come back and move the stored delivery state forward only. A reply over a size limit is
//! refused by serve before anything reaches the provider; a send without credentials is refused by the
//! provider with its own error shape.

mod wire_common;

use host_harness::provider_server::{self, Config as ProvidersConfig};
use host_harness::serve::{self, Running};
use host_harness::sim::providers::{Misbehaviour, ONE_MSG_INSTANCE};
use host_harness::wire;
use integration_tests::fixtures;
use serde_json::{Value, json};
use wire_common::*;

struct Trip {
    providers: provider_server::Running,
    serve: Running,
}

/// Both servers, each pointed at the other; every callback posted twice, up to 20 s late.
fn start_both(name: &str, seed: u64) -> Trip {
    wire::restrict_to_loopback();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port for the providers");
    let providers_url = format!("http://{}", listener.local_addr().unwrap());
    let mut config = config(&temp_db(name), &providers_url);
    // Twilio signs the URL it posts to: serve checks its own loopback address, and sends no StatusCallback.
    config.public_url = None;
    config.onemsg_api_base = Some(format!("{providers_url}/{ONE_MSG_INSTANCE}"));
    let serve = start(config);
    let providers = provider_server::start_on(
        listener,
        ProvidersConfig {
            callback: serve.url(),
            // A simulated minute (the `read` callback) in 0.3 s.
            speed: 200.0,
            seed,
            misbehaviour: Misbehaviour { duplicates: 1.0, max_delay_ms: 20_000, fail_after_sent: 0.0 },
            meta_app_secret: META_SECRET.into(),
            twilio_auth_token: TWILIO_TOKEN.into(),
            onemsg_webhook_token: ONE_MSG_TOKEN.into(),
            meta_access_token: Some("meta-access-token-for-tests".into()),
            onemsg_api_token: Some("one-msg-api-token".into()),
            templates: serve::setup::templates(&fixtures("templates")).unwrap(),
            ..ProvidersConfig::default()
        },
    )
    .expect("the providers start");
    Trip { providers, serve }
}

fn get(url: &str) -> Value {
    let answer = wire::get_blocking(url).expect("GET");
    assert_eq!(answer.status, 200, "GET {url}: {}", answer.body);
    serde_json::from_str(&answer.body).expect("JSON")
}

fn post(url: &str, body: &Value) -> (u16, Value) {
    let headers = [("Content-Type".to_string(), "application/json".to_string())];
    let answer = wire::post_blocking(url, &headers, body.to_string().as_bytes()).expect("POST");
    (answer.status, serde_json::from_str(&answer.body).unwrap_or(Value::String(answer.body)))
}

fn rank(status: &str) -> usize {
    ["pending", "sent", "delivered", "read"].iter().position(|s| *s == status).unwrap_or(usize::MAX)
}

/// The customer writes through the provider; the conversation serve stored.
fn customer_writes(trip: &Trip, provider: &str) -> i64 {
    let (status, answer) = post(
        &format!("{}/_sim/customer-message", trip.providers.url()),
        &json!({"provider": provider, "phone": "+15551230001", "name": "Maya Lindqvist", "text": "Where is my order?"}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["posted"]["status"], 200, "serve took the provider's signed webhook: {answer}");
    let list = get(&format!("{}/api/conversations", trip.serve.url()));
    let conv = &list["conversations"][0];
    assert_eq!(conv["customer_phone"], "+15551230001", "{list}");
    conv["id"].as_i64().unwrap()
}

/// Reply, then watch the reply's stored status until every callback was posted: the statuses seen in
/// order, and the callbacks as posted.
fn reply_and_watch(trip: &Trip, conversation: i64, text: &str) -> (String, Vec<String>, Vec<Value>) {
    let (status, sent) =
        post(&format!("{}/api/conversations/{conversation}/reply", trip.serve.url()), &json!({"text": text}));
    assert_eq!(status, 200, "{sent}");
    let outcome = sent["outcome"].as_str().unwrap().to_string();
    let id = outcome.strip_prefix("sent ").unwrap_or_else(|| panic!("accepted: {outcome}")).to_string();
    let mut seen: Vec<String> = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let view = get(&format!("{}/api/conversations/{conversation}", trip.serve.url()));
        let entry = view["entries"].as_array().unwrap().iter().find(|e| e["message_id"] == id.as_str()).cloned();
        let status = entry.expect("the reply is on the timeline")["status"].as_str().unwrap_or("none").to_string();
        if seen.last() != Some(&status) {
            seen.push(status);
        }
        let callbacks = get(&format!("{}/_sim/callbacks", trip.providers.url()));
        if callbacks["pending"] == 0 {
            let mine = callbacks["posted"].as_array().unwrap().iter().filter(|p| mentions(p, &id)).cloned().collect();
            return (id, seen, mine);
        }
        assert!(std::time::Instant::now() < deadline, "callbacks still queued after 30 s: {callbacks}");
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
}

fn mentions(posted: &Value, id: &str) -> bool {
    let body = posted["body"].as_str().unwrap_or("");
    body.contains(id) || body.contains(&form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>())
}

/// Which delivery status a posted callback carries (Meta `status`, Twilio `MessageStatus`, 1msg ack).
fn carried(posted: &Value) -> String {
    let body = posted["body"].as_str().unwrap();
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        let meta = &v["entry"][0]["changes"][0]["value"]["statuses"][0]["status"];
        let one_msg = &v["ack"][0]["status"];
        return meta.as_str().or(one_msg.as_str()).unwrap_or("?").replace("viewed", "read");
    }
    form_urlencoded::parse(body.as_bytes()).find(|(k, _)| k == "MessageStatus").map(|(_, v)| v.into_owned()).unwrap()
}

fn round_trip(provider: &str, seed: u64) -> (Trip, Vec<Vec<String>>) {
    let trip = start_both(&format!("trip-{provider}"), seed);
    let conversation = customer_writes(&trip, provider);
    let mut orders = Vec::new();
    for n in 1..=3 {
        let (id, seen, callbacks) = reply_and_watch(&trip, conversation, &format!("Reply {n}: it ships today."));
        // Never backwards, ending at read.
        assert_eq!(seen.last().map(String::as_str), Some("read"), "{provider} {id}: {seen:?}");
        assert!(seen.windows(2).all(|w| rank(&w[0]) < rank(&w[1])), "{provider} {id} went backwards: {seen:?}");
        // sent, delivered, read, each posted twice, every one answered 200.
        let order: Vec<String> = callbacks.iter().map(carried).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, ["delivered", "delivered", "read", "read", "sent", "sent"], "{provider} {id}: {order:?}");
        assert!(callbacks.iter().all(|c| c["status"] == 200), "{provider}: {callbacks:#?}");
        // Only the first copy of each status may change anything; a duplicate or a late lower status
        // is kept out (serve's answer counts what it applied).
        let applied =
            callbacks.iter().filter(|c| c["answer"].as_str().unwrap().contains(" 1 statuses applied")).count();
        assert!((1..=3).contains(&applied), "{provider} {id}: {applied} applied of {callbacks:#?}");
        orders.push(order);
    }
    // The provider got the composed requests, with the credential, and accepted them.
    let requests = get(&format!("{}/_sim/requests", trip.providers.url()));
    let requests = requests["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert!(requests.iter().all(|r| (200..300).contains(&r["status"].as_u64().unwrap())), "{requests:#?}");
    let first = requests[0]["body"].as_str().unwrap();
    let decoded: String = form_urlencoded::parse(first.as_bytes()).map(|(k, v)| format!("{k}={v}&")).collect();
    assert!(first.contains("Reply 1: it ships today.") || decoded.contains("Body=Reply 1: it ships today."), "{first}");
    (trip, orders)
}

#[test]
fn meta_round_trip_over_loopback() {
    let (trip, orders) = round_trip("meta-cloud", 7);
    let requests = get(&format!("{}/_sim/requests", trip.providers.url()));
    assert_eq!(requests["requests"][0]["path"], "/v26.0/106540352242922/messages");
    let body: Value = serde_json::from_str(requests["requests"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!((body["to"].as_str(), body["type"].as_str()), (Some("+15551230001"), Some("text")));
    // Late callbacks overtook each other at least once (seeded: the same every run).
    let inverted =
        orders.iter().any(|o| o.iter().enumerate().any(|(i, a)| o[i + 1..].iter().any(|b| rank(b) < rank(a))));
    assert!(inverted, "no callback arrived out of order with this seed: {orders:?}");
}

#[test]
fn twilio_round_trip_over_loopback() {
    let (trip, _) = round_trip("twilio", 3);
    let requests = get(&format!("{}/_sim/requests", trip.providers.url()));
    assert_eq!(
        requests["requests"][0]["path"],
        "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"
    );
    let posted = get(&format!("{}/_sim/callbacks", trip.providers.url()));
    let url = posted["posted"][1]["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/webhooks/twilio", trip.serve.url()), "no StatusCallback: the account's URL");
}

#[test]
fn one_msg_round_trip_over_loopback() {
    let (trip, _) = round_trip("1msg", 5);
    let requests = get(&format!("{}/_sim/requests", trip.providers.url()));
    assert_eq!(requests["requests"][0]["path"], format!("/{ONE_MSG_INSTANCE}/sendMessage"));
}

#[test]
fn a_reply_over_the_limit_never_reaches_the_provider() {
    let trip = start_both("trip-limit", 1);
    let conversation = customer_writes(&trip, "meta-cloud");
    let (status, checked) = post(
        &format!("{}/api/conversations/{conversation}/reply", trip.serve.url()),
        &json!({"text": "x".repeat(4100)}),
    );
    assert_eq!(status, 422, "{checked}");
    assert_eq!(checked["problems"][0]["kind"], "too-long", "{checked}");
    let requests = get(&format!("{}/_sim/requests", trip.providers.url()));
    assert_eq!(requests["requests"], json!([]), "nothing reached the provider");
}

#[test]
fn the_providers_refuse_sends_without_their_credentials() {
    let trip = start_both("trip-auth", 1);
    let base = trip.providers.url();
    let json_type = [("Content-Type".to_string(), "application/json".to_string())];
    let body = json!({"messaging_product": "whatsapp", "to": "+15551230001", "type": "text", "text": {"body": "hi"}});
    let meta =
        wire::post_blocking(&format!("{base}/v26.0/106540352242922/messages"), &json_type, body.to_string().as_bytes())
            .unwrap();
    assert_eq!(meta.status, 401, "{}", meta.body);
    let error: Value = serde_json::from_str(&meta.body).unwrap();
    assert_eq!((error["error"]["type"].as_str(), error["error"]["code"].as_i64()), (Some("OAuthException"), Some(190)));
    let form = [("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string())];
    let twilio = wire::post_blocking(
        &format!("{base}/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"),
        &form,
        b"To=whatsapp%3A%2B15551230001&From=whatsapp%3A%2B15550101234&Body=hi",
    )
    .unwrap();
    assert_eq!(twilio.status, 401, "{}", twilio.body);
    assert_eq!(serde_json::from_str::<Value>(&twilio.body).unwrap()["code"], 20003);
    let one_msg = wire::post_blocking(
        &format!("{base}/{ONE_MSG_INSTANCE}/sendMessage?token=wrong"),
        &json_type,
        br#"{"phone": "15551230001", "body": "hi"}"#,
    )
    .unwrap();
    assert_eq!(one_msg.status, 401, "{}", one_msg.body);
    // Refused at the door: the providers accepted nothing and will post no callback.
    let log = get(&format!("{base}/_sim/log"));
    assert_eq!(log, json!({"meta-cloud": [], "twilio": [], "one-msg": []}));
    assert_eq!(get(&format!("{base}/_sim/callbacks"))["pending"], 0);
}

#[test]
fn a_callback_off_the_machine_is_refused() {
    wire::restrict_to_loopback();
    let remote = ProvidersConfig { callback: "https://helpdesk.example.com".into(), ..ProvidersConfig::default() };
    let error = provider_server::start(remote.clone()).err().expect("refused");
    assert!(error.contains("not a loopback address"), "{error}");
    // Even with the flag: under test nothing leaves the machine.
    let flagged = ProvidersConfig { allow_remote_callback: true, ..remote };
    let error = provider_server::start(flagged).err().expect("refused under test");
    assert!(error.contains("nothing may leave the machine"), "{error}");
}

#[test]
fn the_provider_keeps_its_own_window_and_fails_a_late_reply_by_callback() {
    let trip = start_both("trip-window", 1);
    // The customer's message reaches serve directly (signed, as a replay would), never through the
    // simulated provider: the provider has no record of it, so its window is closed.
    let (_, _) = wire_common::customer_writes(&trip.serve, "+15551230001", "Maya Lindqvist", "Hello?");
    let conversation =
        get(&format!("{}/api/conversations", trip.serve.url()))["conversations"][0]["id"].as_i64().unwrap();
    let (id, seen, callbacks) = reply_and_watch(&trip, conversation, "Thanks, looking now.");
    // Accepted at once (serve's window is open), then sent and failed 131047 by callback, as Meta does.
    let order: Vec<String> = callbacks.iter().map(carried).collect();
    assert!(order.contains(&"failed".to_string()), "{order:?}");
    assert!(callbacks.iter().any(|c| c["body"].as_str().unwrap().contains("131047")), "{callbacks:#?}");
    assert_eq!(seen.last().map(String::as_str), Some("failed"), "{id}: {seen:?}");
    let log = get(&format!("{}/_sim/log", trip.providers.url()));
    assert_eq!(log["meta-cloud"][0]["outcome"], "failed 131047", "{log}");
}

#[test]
fn meta_media_is_fetched_through_the_providers_media_endpoint() {
    let trip = start_both("trip-media", 1);
    let (status, _) = post(
        &format!("{}/_sim/files", trip.providers.url()),
        &json!({"provider": "meta-cloud", "id": "1208345566779012", "mime_type": "image/jpeg", "size_bytes": 2048}),
    );
    assert_eq!(status, 200);
    // serve looks the id up with its access token and downloads the file the object points to.
    let answer = wire::get_blocking(&format!("{}/media/meta/1208345566779012", trip.serve.url())).unwrap();
    assert_eq!((answer.status, answer.body.len()), (200, 2048), "{}", answer.body);
    let object = wire::get_blocking(&format!("{}/v26.0/1208345566779012", trip.providers.url())).unwrap();
    assert_eq!(object.status, 401, "no bearer token: {}", object.body);
    let missing = wire::get_blocking(&format!("{}/media/meta/999", trip.serve.url())).unwrap();
    assert_eq!(missing.status, 502, "an unknown id is the provider's error: {}", missing.body);
}

/// A customer's file is served on the dev server's own origin, so it must never run as a page there:
/// HTML and SVG download, under a sandboxing CSP and `nosniff`; a picture shows inline.
#[test]
fn meta_media_never_runs_as_a_page_on_the_dev_server() {
    let trip = start_both("trip-media-types", 1);
    for (id, mime, disposition) in [
        ("1208345566779101", "text/html", "attachment"),
        ("1208345566779102", "image/svg+xml", "attachment"),
        ("1208345566779103", "image/jpeg", "inline"),
    ] {
        let file = json!({"provider": "meta-cloud", "id": id, "mime_type": mime, "size_bytes": 64});
        assert_eq!(post(&format!("{}/_sim/files", trip.providers.url()), &file).0, 200);
        let answer = wire::block_on(async {
            wire::client().get(format!("{}/media/meta/{id}", trip.serve.url())).send().await.expect("GET")
        });
        let header = |name: &str| answer.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_eq!(answer.status(), 200, "{mime}");
        assert_eq!(header("content-type"), mime);
        assert_eq!(header("content-disposition"), disposition, "{mime}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{mime}");
        assert!(header("content-security-policy").starts_with("sandbox"), "{mime}");
    }
}

#[test]
fn twilio_signs_status_callbacks_for_the_url_the_send_named() {
    let trip = start_both("trip-status-callback", 1);
    customer_writes(&trip, "twilio");
    let callback = format!("{}/webhooks/twilio?source=send", trip.serve.url());
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("To", "whatsapp:+15551230001")
        .append_pair("From", "whatsapp:+15550101234")
        .append_pair("Body", "Sent by a script")
        .append_pair("StatusCallback", &callback)
        .finish();
    let basic = base64_basic("AC00000000000000000000000000000000", TWILIO_TOKEN);
    let headers = [
        ("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string()),
        ("Authorization".to_string(), format!("Basic {basic}")),
    ];
    let url = format!("{}/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json", trip.providers.url());
    let answer = wire::post_blocking(&url, &headers, form.as_bytes()).unwrap();
    assert_eq!(answer.status, 201, "{}", answer.body);
    let sid = serde_json::from_str::<Value>(&answer.body).unwrap()["sid"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let callbacks = loop {
        let callbacks = get(&format!("{}/_sim/callbacks", trip.providers.url()));
        if callbacks["pending"] == 0 {
            break callbacks;
        }
        assert!(std::time::Instant::now() < deadline, "{callbacks}");
        std::thread::sleep(std::time::Duration::from_millis(15));
    };
    let mine: Vec<&Value> = callbacks["posted"].as_array().unwrap().iter().filter(|p| mentions(p, &sid)).collect();
    assert_eq!(mine.len(), 6, "{mine:#?}");
    // Posted to that URL, signed over it: serve verified every one (the message is not serve's: unmatched).
    for p in mine {
        assert_eq!(p["url"], callback.as_str());
        assert_eq!(p["status"], 200, "{p}");
        assert!(p["answer"].as_str().unwrap().contains("1 unmatched"), "{p}");
    }
}

/// `user:password` in Base64, as HTTP Basic sends it.
fn base64_basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[test]
fn a_webhook_the_receiver_missed_is_retried_until_it_is_taken() {
    wire::restrict_to_loopback();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let providers_url = format!("http://{}", listener.local_addr().unwrap());
    // serve's address, free for now: nothing answers there until serve starts.
    let serve_addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let providers = provider_server::start_on(
        listener,
        ProvidersConfig {
            callback: format!("http://{serve_addr}"),
            speed: 200.0,
            meta_app_secret: META_SECRET.into(),
            ..ProvidersConfig::default()
        },
    )
    .unwrap();
    let (status, answer) = post(
        &format!("{}/_sim/customer-message", providers.url()),
        &json!({"provider": "meta-cloud", "phone": "+15551230001", "name": "Maya", "text": "Anyone there?"}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["posted"]["status"], 0, "nobody answered: {answer}");
    let mut config = config(&temp_db("trip-retry"), &providers_url);
    config.listen = Some(serve_addr);
    let serve = start(config);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let posted = loop {
        let callbacks = get(&format!("{}/_sim/callbacks", providers.url()));
        if callbacks["pending"] == 0 {
            break callbacks["posted"].as_array().unwrap().clone();
        }
        assert!(std::time::Instant::now() < deadline, "still retrying after 30 s: {callbacks}");
        std::thread::sleep(std::time::Duration::from_millis(15));
    };
    // Tried until serve took it, then no more; the retries carried the same signed body.
    let last = posted.last().unwrap();
    assert_eq!(last["status"], 200, "{posted:#?}");
    assert!(last["attempt"].as_u64().unwrap() >= 1, "{posted:#?}");
    assert!(posted.iter().all(|p| p["body"] == posted[0]["body"]));
    assert!(posted[..posted.len() - 1].iter().all(|p| p["status"] != 200), "{posted:#?}");
    let list = get(&format!("{}/api/conversations", serve.url()));
    assert_eq!(list["conversations"][0]["entries"], 1, "stored once: {list}");
}

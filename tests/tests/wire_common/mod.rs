//! Shared by the wire tests (`serve.rs`, `browser.rs`): the dev server started in-process on a free
//! loopback port with the fixtures' secrets, and a stand-in for the Meta Graph API on loopback that
//! accepts every message send, as Meta's 200 answer does (Meta Cloud API "Messages" reference:
//! `{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id"}]}`), and answers a media
//! look-up (`GET /v26.0/<media-id>`: `{"url", "mime_type"}`, Meta "Media" reference) with a file it
//! serves itself. The full simulated providers over HTTP are a later piece of work; this stub is not them.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use host_harness::serve::{self, Config, Running};
use host_harness::sim::providers::Kind;
use host_harness::wire::{self, trigger};
use serde_json::Value;

pub const META_SECRET: &str = "meta-app-secret-for-tests";
pub const TWILIO_TOKEN: &str = "twilio-auth-token-for-tests";
pub const ONE_MSG_TOKEN: &str = "one-msg-token-for-tests";
pub const VERIFY_TOKEN: &str = "verify-token-for-tests";
/// The URL the fixtures were signed for (Twilio signs it).
pub const PUBLIC_URL: &str = "https://helpdesk.example.com";

/// A loopback stand-in for the Graph API: every POST gets a fresh `wamid.STUB<n>`; the bodies are kept.
pub struct StubMeta {
    pub url: String,
    /// The bodies of the sends, in order.
    pub bodies: Arc<Mutex<Vec<String>>>,
    /// Each request's first line and `Authorization` header.
    pub requests: Arc<Mutex<Vec<(String, String)>>>,
    /// Where to post a send's status callbacks before answering the send, for a text containing
    /// `EARLY STATUS` (a provider whose webhook overtakes its API answer); set it once the server runs.
    pub status_to: Arc<Mutex<Option<String>>>,
}

/// The bytes the stub serves as every media file.
pub const MEDIA_BYTES: &[u8] = b"\xff\xd8\xff\xe0 not really a JPEG";

/// Start the stub on a free loopback port; it serves until the test process ends.
pub fn stub_meta() -> StubMeta {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    let base = url.clone();
    let counter = Arc::new(AtomicUsize::new(0));
    let status_to = Arc::new(Mutex::new(None::<String>));
    let callbacks = status_to.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut authorization = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    } else if name.eq_ignore_ascii_case("authorization") {
                        authorization = value.trim().to_string();
                    }
                }
                line.clear();
            }
            let request_line = request_line.trim().to_string();
            seen.lock().unwrap().push((request_line.clone(), authorization));
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let (content_type, answer): (&str, Vec<u8>) = if request_line.starts_with("GET /files/") {
                ("image/jpeg", MEDIA_BYTES.to_vec())
            } else if let Some(rest) = request_line.strip_prefix("GET /v26.0/") {
                let id = rest.split(' ').next().unwrap_or_default();
                let json = format!(r#"{{"url":"{base}/files/{id}","mime_type":"image/jpeg","id":"{id}"}}"#);
                ("application/json", json.into_bytes())
            } else if String::from_utf8_lossy(&body).contains("PLEASE REFUSE") {
                // Meta's error answer ("WhatsApp error codes": 131047, re-engagement message).
                let json = r#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},"fbtrace_id":"AbCdEf"}}"#;
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                    json.len()
                );
                continue;
            } else if String::from_utf8_lossy(&body).contains("GARBLED ANSWER") {
                // Accepted, but the answer is not the Graph API's JSON (a proxy's page, a cut connection).
                kept.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
                ("text/html", b"<html>upstream hiccup</html>".to_vec())
            } else {
                kept.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let early = callbacks.lock().unwrap().clone();
                if let (Some(to), true) = (early, String::from_utf8_lossy(&body).contains("EARLY STATUS")) {
                    // The message's statuses reach the receiver before this answer does.
                    let answers = trigger::run(&meta_statuses(to, &format!("wamid.STUB{n}"))).unwrap_or_default();
                    kept.lock().unwrap().push(format!(
                        "early statuses answered {:?}",
                        answers.iter().map(|(_, a)| a.status).collect::<Vec<_>>()
                    ));
                }
                let json = format!(
                    r#"{{"messaging_product":"whatsapp","contacts":[{{"input":"+15551230001","wa_id":"15551230001"}}],"messages":[{{"id":"wamid.STUB{n}"}}]}}"#
                );
                ("application/json", json.into_bytes())
            };
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            );
            let _ = stream.write_all(&answer);
        }
    });
    StubMeta { url, bodies, requests, status_to }
}

/// The test's configuration: fixtures' secrets, every API base on loopback.
pub fn config(db: &Path, meta_api: &str) -> Config {
    wire::restrict_to_loopback();
    Config {
        db: db.to_path_buf(),
        public_url: Some(PUBLIC_URL.into()),
        meta_app_secret: Some(META_SECRET.into()),
        meta_verify_token: Some(VERIFY_TOKEN.into()),
        twilio_auth_token: Some(TWILIO_TOKEN.into()),
        onemsg_webhook_token: Some(ONE_MSG_TOKEN.into()),
        meta_access_token: Some("meta-access-token-for-tests".into()),
        meta_phone_number_id: Some("106540352242922".into()),
        twilio_account_sid: Some("AC00000000000000000000000000000000".into()),
        twilio_from: Some("whatsapp:+15550101234".into()),
        onemsg_api_url: Some("https://api.1msg.io/test".into()),
        onemsg_api_token: Some("one-msg-api-token".into()),
        meta_api_base: Some(meta_api.into()),
        twilio_api_base: Some(meta_api.into()),
        onemsg_api_base: Some(meta_api.into()),
        time_zone: Some("Europe/Berlin".into()),
        business_hours: Some(serve::setup::business_hours("mon-fri 09:00-17:00").unwrap()),
        templates: serve::setup::templates(&integration_tests::fixtures("templates")).unwrap(),
        ..Config::default()
    }
}

/// Start the server with the bundled component.
pub fn start(config: Config) -> Running {
    let plugin = Arc::new(host_harness::PluginHost::bundled().expect("the bundled component loads"));
    serve::start(config, plugin).expect("the server starts")
}

/// A fresh database path in a folder of its own, under cargo's scratch folder for tests.
pub fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("serve.sqlite")
}

/// Meta's status callbacks (sent, delivered, read; the trigger's `statuses` event) for the business's
/// message `message_id` to the customer +15551230001, signed with the fixtures' app secret, posted to `to`.
pub fn meta_statuses(to: String, message_id: &str) -> trigger::Trigger {
    trigger::Trigger {
        provider: Kind::MetaCloud,
        event: "statuses".into(),
        to,
        public_url: None,
        secret: META_SECRET.into(),
        phone: "+15551230001".into(),
        name: String::new(),
        text: String::new(),
        message_id: Some(message_id.into()),
        count: 1,
    }
}

/// A text from a customer, written now (so the window is open), posted to the server.
pub fn customer_writes(server: &Running, phone: &str, name: &str, text: &str) -> (u16, String) {
    let t = trigger::Trigger {
        provider: Kind::MetaCloud,
        event: "text".into(),
        to: format!("{}/webhooks/meta-cloud", server.url()),
        public_url: None,
        secret: META_SECRET.into(),
        phone: phone.into(),
        name: name.into(),
        text: text.into(),
        message_id: None,
        count: 1,
    };
    let (hook, answer) = trigger::run(&t).expect("posted").remove(0);
    let id: Value = serde_json::from_str(&hook.body).unwrap();
    let id = id["entry"][0]["changes"][0]["value"]["messages"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(answer.status, 200, "{}", answer.body);
    (answer.status, id)
}

/// GET a JSON document from the server.
pub fn get_json(server: &Running, path: &str) -> Value {
    let answer = wire::get_blocking(&format!("{}{path}", server.url())).expect("GET");
    assert_eq!(answer.status, 200, "GET {path}: {}", answer.body);
    serde_json::from_str(&answer.body).expect("JSON")
}

/// POST JSON to the server: (status, answer).
pub fn post_json(server: &Running, path: &str, body: &Value) -> (u16, Value) {
    let headers = [("Content-Type".to_string(), "application/json".to_string())];
    let answer =
        wire::post_blocking(&format!("{}{path}", server.url()), &headers, body.to_string().as_bytes()).expect("POST");
    (answer.status, serde_json::from_str(&answer.body).unwrap_or(Value::String(answer.body)))
}

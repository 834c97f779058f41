//! Shared by the wire tests (`serve.rs`, `browser.rs`): the dev server started in-process on a free
//! loopback port with the fixtures' secrets, and a stand-in for the Meta Graph API on loopback that
//! accepts every message send, as Meta's 200 answer does (Meta Cloud API "Messages" reference:
//! `{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id"}]}`). The full simulated
//! providers over HTTP are a later piece of work; this stub answers sends only.

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
    pub bodies: Arc<Mutex<Vec<String>>>,
}

/// Start the stub on a free loopback port; it serves until the test process ends.
pub fn stub_meta() -> StubMeta {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    let counter = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            kept.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let answer = format!(
                r#"{{"messaging_product":"whatsapp","contacts":[{{"input":"+15551230001","wa_id":"15551230001"}}],"messages":[{{"id":"wamid.STUB{n}"}}]}}"#
            );
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    StubMeta { url, bodies }
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

/// A fresh database path in a folder of its own.
pub fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("host-harness-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("serve.sqlite")
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

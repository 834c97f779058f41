//! The dev server's guards, over real HTTP on loopback: the page and the JSON API answer only requests
//! addressed to a loopback host (a tunnel reaches the webhooks alone), and the harness's HTTP client
//! follows no redirect off the machine under test.

mod wire_common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use host_harness::wire;
use wire_common::*;

/// A raw `GET`/`POST` with the given `Host` header (reqwest would write the address it connects to);
/// the status code of the answer.
fn status_with_host(addr: SocketAddr, method: &str, path: &str, host: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
    stream.write_all(request.as_bytes()).expect("write");
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line).expect("read");
    status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{status_line:?}"))
}

#[test]
fn the_page_and_api_answer_loopback_hosts_only_and_webhooks_answer_any() {
    wire::restrict_to_loopback();
    let stub = stub_meta();
    let server = start(config(&temp_db("guards-host"), &stub.url));
    let addr = server.addr;
    let port = addr.port();
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "[::1]".to_string()] {
        assert_eq!(status_with_host(addr, "GET", "/api/conversations", &host), 200, "{host}");
        assert_eq!(status_with_host(addr, "GET", "/", &host), 200, "{host}");
    }
    // What a tunnel (or a DNS-rebinding page) sends: its public name.
    for path in ["/", "/api/conversations", "/events", "/media/meta/1", "/fragments/list"] {
        assert_eq!(status_with_host(addr, "GET", path, "helpdesk.example.com"), 403, "{path}");
    }
    assert_eq!(status_with_host(addr, "POST", "/api/conversations/1/reply", "abc.ngrok.app"), 403);
    // The webhooks answer whoever the host is: an unsigned body is refused for its signature, not its host.
    assert_eq!(status_with_host(addr, "POST", "/webhooks/meta-cloud", "abc.ngrok.app"), 401);
}

#[test]
fn a_redirect_off_loopback_is_refused() {
    wire::restrict_to_loopback();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/moved", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(
                b"HTTP/1.1 302 Found\r\nLocation: http://example.com/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let refused = wire::get_blocking(&url).expect_err("the redirect is not followed");
    assert!(refused.contains("not a loopback address"), "{refused}");
}

/// 1msg takes its API token in the query string; a send that fails must not carry it into the "Not sent"
/// marker, which is stored and shown on the page.
#[test]
fn a_failed_one_msg_send_never_stores_the_api_token() {
    use host_harness::sim::providers::Kind;
    use host_harness::wire::trigger;
    let stub = stub_meta();
    let mut cfg = config(&temp_db("guards-token"), &stub.url);
    // Nothing listens on port 9 (discard): the send fails to connect.
    cfg.onemsg_api_base = Some("http://127.0.0.1:9/SIM000001".into());
    cfg.onemsg_api_token = Some("SECRET-1MSG-TOKEN".into());
    let server = start(cfg);
    let t = trigger::Trigger {
        provider: Kind::OneMsg,
        event: "text".into(),
        to: format!("{}/webhooks/1msg", server.url()),
        public_url: None,
        secret: ONE_MSG_TOKEN.into(),
        phone: "+15551230001".into(),
        name: "Maya Lindqvist".into(),
        text: "Where is my order?".into(),
        message_id: None,
        count: 1,
    };
    for (_, answer) in trigger::run(&t).expect("the webhook is posted") {
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    let id = get_json(&server, "/api/conversations")["conversations"][0]["id"].as_i64().expect("a conversation");
    let (_, answer) =
        post_json(&server, &format!("/api/conversations/{id}/reply"), &serde_json::json!({"text": "It ships today."}));
    let stored = get_json(&server, &format!("/api/conversations/{id}"));
    let page = wire::get_blocking(&server.url()).expect("the page").body;
    assert!(stored.to_string().contains("Not sent"), "the failure is kept on the ticket: {stored}");
    for shown in [answer.to_string(), stored.to_string(), page] {
        assert!(!shown.contains("SECRET-1MSG-TOKEN"), "the token leaked: {shown}");
    }
}

//! The dev server's page in headless Chromium, driven over WebDriver (`chromium-driver`) with
//! fantoccini: a customer's message appears without a reload, the window shows, a reply over Meta's
//! size limit shows the problem before anything is sent, a valid reply goes out to a loopback stand-in
//! of the Graph API and its ticks arrive by status callbacks. Takes the screenshot
//! `docs/screenshots/serve.png` (when missing, or with `UPDATE_SCREENSHOTS=1`).
//!
//! Needs Debian's `chromium` and `chromium-driver` (`sudo apt-get install chromium chromium-driver`);
//! without them the test prints how to get them in `cargo test`'s own output and passes, unless
//! `REQUIRE_BROWSER=1` (`.ci/run` installs both and sets it), which makes it fail.

mod wire_common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use host_harness::sim::providers::Kind;
use host_harness::wire::trigger;
use wire_common::*;

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path).chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/lib/chromium")]).find_map(
            |dir| {
                let candidate = dir.join(name);
                candidate.is_file().then_some(candidate)
            },
        )
    })
}

/// Kills chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An element's text, or `None` while it is missing or being replaced by a live update.
async fn text_of(client: &fantoccini::Client, css: &str) -> Option<String> {
    client.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn the_page_shows_messages_the_window_problems_and_ticks() {
    let (Some(chromium), Some(chromedriver)) =
        (find(&["chromium", "chromium-browser", "google-chrome"]), find(&["chromedriver"]))
    else {
        let message = "browser test skipped: no chromium/chromedriver; install them with \
                       `sudo apt-get install chromium chromium-driver`";
        if std::env::var("REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("{message} (REQUIRE_BROWSER=1 makes this a failure)");
        }
        // Straight to the process's stderr: the test harness captures `eprintln!` of a passing test,
        // which would make the skip silent.
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "\n*** {message} ***");
        return;
    };
    let port = free_port();
    let driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let stub = stub_meta();
    let server = start(config(&temp_db("browser"), &stub.url));
    customer_writes(&server, "+15551230001", "Maya Lindqvist", "Hi! Is my order #1043 on its way?");
    let page_url = server.url();
    let webhook_url = format!("{}/webhooks/meta-cloud", server.url());

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let deadline = Instant::now() + Duration::from_secs(20);
        let capabilities = serde_json::json!({"goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900",
                     // Nothing leaves the machine: no update checks, sync or hint downloads of Chromium's own.
                     "--disable-background-networking", "--disable-component-update", "--no-first-run",
                     "--disable-sync", "--disable-features=OptimizationHints"]}});
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = loop {
            let mut builder = ClientBuilder::new(connector.clone());
            builder.capabilities(capabilities.as_object().unwrap().clone());
            match builder.connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(client) => break client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("chromedriver on port {port}: {e}"),
            }
        };
        client.goto(&page_url).await.unwrap();
        let wait = |css: &'static str| {
            let client = client.clone();
            async move { client.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css(css)).await.unwrap() }
        };
        // The live stream is up: the page sets `data-live` once it has connected and refreshed (a refresh
        // replaces the timeline, so it is read after).
        wait("body[data-live]").await;
        let timeline = wait("#timeline").await.text().await.unwrap();
        assert!(timeline.contains("Is my order #1043 on its way?"), "{timeline}");
        let window = wait("#window").await.text().await.unwrap();
        assert!(window.contains("Window open"), "{window}");
        assert!(window.contains("open until"), "{window}");

        // A second message arrives while the page is open: it appears without a reload.
        let t = trigger::Trigger {
            provider: Kind::MetaCloud,
            event: "text".into(),
            to: webhook_url.clone(),
            public_url: None,
            secret: META_SECRET.into(),
            phone: "+15551230001".into(),
            name: "Maya Lindqvist".into(),
            text: "It was due yesterday.".into(),
            message_id: None,
            count: 1,
        };
        tokio::task::spawn_blocking(move || trigger::run(&t).unwrap()).await.unwrap();
        let arrived = async {
            loop {
                if text_of(&client, "#timeline").await.is_some_and(|t| t.contains("It was due yesterday.")) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(15), arrived).await.expect("the live update arrives");

        // Over Meta's 4096 characters: the problem shows as the agent types, before sending.
        client
            .execute(
                "const t = document.getElementById('reply-text'); t.value = 'x'.repeat(4100); t.dispatchEvent(new Event('input'));",
                vec![],
            )
            .await
            .unwrap();
        let problem = wait("#problems li.too-long").await.text().await.unwrap();
        assert!(problem.contains("4096"), "{problem}");

        // A valid reply goes out; the stand-in accepts it and the ticks arrive by callbacks.
        client
            .execute("document.getElementById('reply-text').value = 'It ships today, tracking follows.';", vec![])
            .await
            .unwrap();
        client.find(Locator::Id("send")).await.unwrap().click().await.unwrap();
        let outcome = async {
            loop {
                if let Some(text) = text_of(&client, "#outcome").await.filter(|t| !t.is_empty()) {
                    break text;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        let outcome = tokio::time::timeout(Duration::from_secs(15), outcome).await.expect("sent");
        assert_eq!(outcome, "sent wamid.STUB1");
        let statuses = meta_statuses(webhook_url, "wamid.STUB1");
        tokio::task::spawn_blocking(move || trigger::run(&statuses).unwrap()).await.unwrap();
        let read = async {
            loop {
                if let Some(text) = text_of(&client, "li[data-message-id='wamid.STUB1'] .status.read").await {
                    break text;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        let read = tokio::time::timeout(Duration::from_secs(15), read).await.expect("the read tick arrives");
        assert!(read.contains("read"), "{read}");

        // The README's screenshot is written when missing or asked for (UPDATE_SCREENSHOTS=1), so that
        // a test run leaves the work tree as it was; otherwise it goes to the test's scratch folder.
        let png = client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let readme = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots/serve.png");
        let out = if !readme.exists() || std::env::var("UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
            readme
        } else {
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve.png")
        };
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(&out, png).unwrap();
        eprintln!("screenshot: {}", out.display());
        client.close().await.unwrap();
    });
    drop(driver);
}

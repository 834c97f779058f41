//! The harness on the wire: an HTTP client for webhooks and provider calls, the loopback guard that
//! keeps tests on the machine, and the commands that post signed webhooks to any URL (`trigger`,
//! `replay`, `load`).

pub mod background;
pub mod load;
pub mod replay;
pub mod trigger;

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};

static LOOPBACK_ONLY: AtomicBool = AtomicBool::new(false);

/// From now on in this process, any request to an address that is not loopback is an error. Tests
/// call it first; `HOST_HARNESS_LOOPBACK_ONLY=1` does the same for the CLI (a test's child process).
pub fn restrict_to_loopback() {
    LOOPBACK_ONLY.store(true, Ordering::SeqCst);
}

/// Whether the loopback guard is on (`restrict_to_loopback`, `HOST_HARNESS_LOOPBACK_ONLY`, or a unit test).
pub fn loopback_only() -> bool {
    cfg!(test)
        || LOOPBACK_ONLY.load(Ordering::SeqCst)
        || std::env::var("HOST_HARNESS_LOOPBACK_ONLY").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Whether a URL may be called: always, unless the guard is on and its host is not a loopback
/// address (`127.0.0.0/8`, `::1`, `localhost`). Errors name the URL.
pub fn check_destination(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    if !loopback_only() {
        return Ok(());
    }
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    if loopback {
        Ok(())
    } else {
        Err(format!("`{url}` is not a loopback address, and nothing may leave the machine here (tests)"))
    }
}

/// The URL a provider signs when it posts to `to` but knows the receiver as `public`: `public` itself
/// when it has a path, else `public` with `to`'s path and query (`PUBLIC_URL` is a base URL, as `serve`
/// reads it).
pub fn public_url_for(to: &str, public: Option<&str>) -> String {
    let Some(public) = public else { return to.to_string() };
    let has_path = reqwest::Url::parse(public).is_ok_and(|u| u.path() != "/" && !u.path().is_empty());
    match reqwest::Url::parse(to) {
        Ok(to) if !has_path => {
            let query = to.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{}{}{query}", public.trim_end_matches('/'), to.path())
        }
        _ => public.to_string(),
    }
}

/// What a receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// A client for the harness's own requests: no proxy from the environment, short timeouts, and redirects
/// followed only where the loopback guard allows (a loopback server answering 302 to another host must not
/// take a request off the machine under test).
pub fn client() -> reqwest::Client {
    let guarded = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 10 {
            attempt.error("more than 10 redirects")
        } else if let Err(refused) = check_destination(attempt.url().as_str()) {
            attempt.error(refused)
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .redirect(guarded)
        .no_proxy()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap_or_default()
}

/// POST a body with headers to a URL (checked by the guard), and read the answer.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Answer, String> {
    check_destination(url)?;
    let mut request = client.post(url).body(body);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    let response = request.send().await.map_err(|e| format!("POST {url}: {}", describe(&e)))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| format!("POST {url}: reading the answer: {e}"))?;
    Ok(Answer { status, body })
}

/// An error with its causes (reqwest's own text leaves out why a redirect or a connection failed).
pub fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// GET a URL (checked by the guard).
pub async fn get(client: &reqwest::Client, url: &str) -> Result<Answer, String> {
    check_destination(url)?;
    let response = client.get(url).send().await.map_err(|e| format!("GET {url}: {}", describe(&e)))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| format!("GET {url}: reading the answer: {e}"))?;
    Ok(Answer { status, body })
}

/// Run a future to completion on a small runtime of its own: the blocking edge for the CLI and tests.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime builds")
        .block_on(future)
}

/// POST, blocking.
pub fn post_blocking(url: &str, headers: &[(String, String)], body: &[u8]) -> Result<Answer, String> {
    block_on(async { post(&client(), url, headers, body.to_vec()).await })
}

/// GET, blocking.
pub fn get_blocking(url: &str) -> Result<Answer, String> {
    block_on(async { get(&client(), url).await })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_base_url_gets_the_path_and_query_it_is_posted_to() {
        let to = "http://127.0.0.1:8080/webhooks/1msg?hook_token=t";
        assert_eq!(public_url_for(to, None), to);
        assert_eq!(
            public_url_for(to, Some("https://h.example.com/")),
            "https://h.example.com/webhooks/1msg?hook_token=t"
        );
        assert_eq!(public_url_for(to, Some("https://h.example.com/in/1msg")), "https://h.example.com/in/1msg");
    }

    #[test]
    fn under_test_only_loopback_may_be_called() {
        assert!(check_destination("http://localhost:1/").is_ok());
        assert!(check_destination("http://127.0.0.2:1/").is_ok());
        assert!(check_destination("http://10.0.0.1/").is_err());
        assert!(check_destination("not a url").is_err());
    }
}

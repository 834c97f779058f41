//! `host-harness replay FILE... --to URL`: recorded webhooks posted again, byte for byte. A file is a
//! fixture (`{"webhook": {"url", "headers", "body"}, "secret"?}`, as in `tests/fixtures/`) or a bare
//! `{"url", "headers", "body"}`. The recorded URL's query (1msg's `hook_token`) goes along when `--to`
//! has none. With `--resign SECRET` the body is signed again as the provider would for `--public-url`
//! (Twilio signs the URL, so a recording made for another URL fails verification without it).

use std::path::Path;

use serde_json::Value;

use super::Answer;
use crate::sim::providers::{Kind, Provider, Webhook};

/// A recorded webhook: where it was sent, and the request.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub provider: Option<Kind>,
    pub webhook: Webhook,
}

/// Read a recording.
pub fn read(path: &Path) -> Result<Recorded, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let w = if json["webhook"].is_object() { &json["webhook"] } else { &json };
    let url = w["url"].as_str().ok_or_else(|| format!("{}: no `webhook.url`", path.display()))?.to_string();
    let body = w["body"].as_str().ok_or_else(|| format!("{}: no `webhook.body` string", path.display()))?.to_string();
    let headers = w["headers"]
        .as_object()
        .map(|h| h.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
        .unwrap_or_default();
    let provider = json["provider"].as_str().and_then(Kind::parse).or_else(|| {
        let u = url.to_ascii_lowercase();
        if u.contains("twilio") {
            Some(Kind::Twilio)
        } else if u.contains("meta") {
            Some(Kind::MetaCloud)
        } else if u.contains("1msg") || u.contains("one-msg") {
            Some(Kind::OneMsg)
        } else {
            None
        }
    });
    Ok(Recorded { provider, webhook: Webhook { url, headers, body } })
}

/// Where to post a recording: `to`, with the recorded query when `to` has none.
pub fn destination(to: &str, recorded_url: &str) -> String {
    match recorded_url.split_once('?') {
        Some((_, query)) if !to.contains('?') => format!("{to}?{query}"),
        _ => to.to_string(),
    }
}

/// Sign a recording again for `public_url` with `secret` (the provider must be known).
pub fn resign(r: &Recorded, secret: &str, public_url: &str) -> Result<Webhook, String> {
    let kind = r.provider.ok_or("cannot tell the provider of this recording: add \"provider\" to the file")?;
    let mut p = Provider::new(kind, 0, "+15550101234");
    p.secret = secret.to_string();
    p.url = destination(public_url, &r.webhook.url);
    let mut signed = p.signed_raw(&r.webhook.body);
    // Keep the recorded headers other than the signature (Twilio's idempotency token, user agent...).
    for (name, value) in &r.webhook.headers {
        if !signed.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
            && !name.to_ascii_lowercase().contains("signature")
        {
            signed.headers.push((name.clone(), value.clone()));
        }
    }
    Ok(signed)
}

/// Post each file's webhook to `to`; each with what the receiver answered.
pub fn run(
    files: &[std::path::PathBuf],
    to: &str,
    resign_with: Option<(&str, &str)>,
) -> Result<Vec<(String, Answer)>, String> {
    super::check_destination(to)?;
    let mut requests = Vec::new();
    for file in files {
        let recorded = read(file)?;
        let hook = match resign_with {
            Some((secret, public_url)) => resign(&recorded, secret, public_url)?,
            None => recorded.webhook.clone(),
        };
        requests.push((file.display().to_string(), destination(to, &recorded.webhook.url), hook));
    }
    super::block_on(async {
        let client = super::client();
        let mut answers = Vec::new();
        for (name, url, hook) in requests {
            let answer = super::post(&client, &url, &hook.headers, hook.body.into_bytes()).await?;
            answers.push((name, answer));
        }
        Ok(answers)
    })
}

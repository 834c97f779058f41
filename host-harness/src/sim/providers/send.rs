//! The simulated providers' send endpoints, shaped like the wire: a request is a method, a path on the
//! provider's host, a content type and body bytes; the answer is an HTTP status and body bytes. Nothing
//! here knows the plugin: each provider reads the body with its own reader and applies its own rules
//! (`meta_send.rs`, `twilio_send.rs`, `one_msg_send.rs`), written again from the providers' pages.
//!
//! What the endpoint decides at once comes back in the response (an error object with the provider's
//! code); what a real provider only learns later (the customer service window, a media file it fetches
//! and finds too large or of the wrong type) is accepted now and fails by status callback, as the
//! providers document it (Meta "WhatsApp error codes": errors come "synchronously as a Graph API
//! response, asynchronously via Webhook, or sometimes through both").

use std::collections::HashMap;

use serde::Serialize;

use super::{Kind, LogLine, Provider, WINDOW_MS};

/// One HTTP request to a provider's send endpoint, as it arrives on the wire (credentials are the
/// host's business and are not modelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The path on the provider's host, starting with `/`, e.g. `/v26.0/106540352242922/messages`.
    pub path: String,
    /// The `Content-Type` header, e.g. `application/json`.
    pub content_type: String,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request for a full URL (`https://api.1msg.io/SIM000001/sendMessage`): the path is what follows
    /// the host; a URL without a scheme is taken as a path already.
    pub fn to_url(method: &str, url: &str, content_type: &str, body: &[u8]) -> Self {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = if url.contains("://") {
            after_scheme.find('/').map_or("/".to_string(), |i| after_scheme[i..].to_string())
        } else {
            after_scheme.to_string()
        };
        Self { method: method.into(), path, content_type: content_type.into(), body: body.to_vec() }
    }
}

/// The provider's HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpResponse {
    /// The HTTP status, e.g. 200, 201, 400, 404.
    pub status: u16,
    /// The body bytes (JSON for all three providers).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text (the providers answer UTF-8 JSON).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A file on the public web (or uploaded to the provider earlier), as the provider finds it when it
/// fetches a link: the `Content-Type` it is served with, its size in bytes, and, for a WebP, whether it
/// is animated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostedFile {
    pub mime_type: String,
    pub size_bytes: u64,
    pub animated: bool,
}

/// Files the provider can reach: public links, and media ids from earlier uploads.
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub links: HashMap<String, HostedFile>,
    pub uploads: HashMap<String, HostedFile>,
}

/// Why a provider refused a request at once: the HTTP status, its own code and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    pub status: u16,
    pub code: u32,
    pub message: String,
    pub details: String,
    /// What was refused, for the provider's log: `send`, or `template <name>`.
    pub what: String,
}

impl Refusal {
    pub fn new(status: u16, code: u32, message: &str, details: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), details: details.into(), what: "send".into() }
    }

    /// The same refusal, naming what was refused.
    pub fn of(mut self, what: &str) -> Self {
        self.what = what.into();
        self
    }
}

/// A request the provider took: who it goes to (the provider's own window key: `+<digits>`, a BSUID,
/// or `group:<id>`), what it is for the log, and what the provider will find out later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Accepted {
    pub to: String,
    /// `free-form`, `free-form image`, `template <name>`, ...
    pub what: String,
    /// Free-form messages need the customer service window; templates do not.
    pub free_form: bool,
    /// A failure the provider decides now but reports by callback (a fetched file it cannot send).
    pub late_failure: Option<(u32, String)>,
    /// The recipient as the request wrote it (Meta's `contacts[].input`).
    pub input: String,
}

/// Characters as the providers' pages count them (Unicode scalar values; no page says more).
pub(super) fn chars(s: &str) -> usize {
    s.chars().count()
}

impl Provider {
    /// The send endpoint: read the request with this provider's reader, apply its rules, answer as it
    /// documents. Accepted messages get their status callbacks queued (`due`); refusals are logged.
    pub fn handle_send(&mut self, request: &HttpRequest, at: i64) -> HttpResponse {
        if let Some(answer) = self.read_receipt(request, at) {
            return answer;
        }
        let verdict = match self.kind {
            Kind::MetaCloud => self.meta_read(request),
            Kind::Twilio => self.twilio_read(request),
            Kind::OneMsg => self.one_msg_read(request),
        };
        match verdict {
            Err(refusal) => {
                self.log.push(LogLine {
                    at,
                    to: String::new(),
                    what: refusal.what.clone(),
                    outcome: format!("refused {}", refusal.code),
                });
                self.error_response(&refusal)
            }
            Ok(accepted) => {
                let id = self.next_id();
                self.deliver_later(&id, &accepted, at);
                self.success_response(&id, &accepted)
            }
        }
    }

    /// The provider's own window, for a key as `Accepted::to` writes it.
    pub(super) fn window_open_for(&self, key: &str, at: i64) -> bool {
        self.last_customer_message.get(key).is_some_and(|&t| at - t < WINDOW_MS)
    }

    /// Queue what follows an accepted message: delivery, or the failure the provider found.
    fn deliver_later(&mut self, id: &str, a: &Accepted, at: i64) {
        // Meta's group statuses come one per participant (`meta_groups_calls.rs`); 1msg's as any ack.
        if let Some(group) = a.to.strip_prefix("group:")
            && a.late_failure.is_none()
            && self.kind == Kind::MetaCloud
        {
            let group = group.to_string();
            self.group_send(id, &group, &a.what, at);
            return;
        }
        let outside = a.free_form && !self.window_open_for(&a.to, at);
        let failure = if outside {
            // Meta 131047 "Re-engagement message" (WhatsApp error codes); Twilio 63016 (its error page);
            // 1msg relays the Cloud API's.
            Some(match self.kind {
                Kind::Twilio => {
                    (63016, "Failed to send freeform message because you are outside the allowed window.".to_string())
                }
                _ => (131047, "Re-engagement message".to_string()),
            })
        } else {
            a.late_failure.clone()
        };
        match failure {
            None => {
                self.log.push(LogLine {
                    at,
                    to: a.to.clone(),
                    what: a.what.clone(),
                    outcome: format!("accepted {id}"),
                });
                self.schedule_delivery(id, &a.to, at);
            }
            Some((code, title)) => {
                self.log.push(LogLine {
                    at,
                    to: a.to.clone(),
                    what: a.what.clone(),
                    outcome: format!("failed {code}"),
                });
                self.schedule_status(id, &a.to, "sent", at + 500, None);
                self.schedule_status(id, &a.to, "failed", at + 1_500, Some((code, &title)));
            }
        }
    }

    fn success_response(&self, id: &str, a: &Accepted) -> HttpResponse {
        match self.kind {
            Kind::MetaCloud => super::meta_send::success(id, a),
            Kind::Twilio => self.twilio_success(id, a),
            Kind::OneMsg => super::one_msg_send::success(id, a),
        }
    }

    fn error_response(&self, r: &Refusal) -> HttpResponse {
        match self.kind {
            Kind::MetaCloud => super::meta_send::error(r),
            Kind::Twilio => super::twilio_send::error(r),
            Kind::OneMsg => super::one_msg_send::error(r),
        }
    }

    /// A file the provider fetches: a link on the web, or an upload's id.
    pub(super) fn fetch(&self, link: Option<&str>, id: Option<&str>) -> Option<HostedFile> {
        match (link, id) {
            (Some(l), _) => self.files.links.get(l).cloned(),
            (None, Some(i)) => self.files.uploads.get(i).cloned(),
            _ => None,
        }
    }
}

/// A MIME type reduced to `type/subtype`, lowercase (parameters such as `codecs=opus` dropped).
pub(super) fn essence(mime: &str) -> String {
    mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

impl Provider {
    /// A template against the provider's approved list: unknown (`unknown`), paused (132015), disabled
    /// (132016), not approved (132001), or the wrong number of body parameters (132000). Codes and titles:
    /// Meta "WhatsApp error codes" (Jun 18, 2026),
    /// https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/ ; HTTP
    /// 400 for each as bitbybit's copy of that table gives it (https://www.bitbybit.studio/knowledge-base/
    /// troubleshooting-common-whatsapp-messaging-errors-on-bitbybit). Twilio's and 1msg's answers for a
    /// paused or disabled template were not found: they answer Meta's codes here (unconfirmed).
    /// A template in the Cloud API's shape (`components`, or 1msg's `params` that relay them): Meta's 132001
    /// "Template name does not exist in the translation" when unknown, 132000 "Number of parameters does not
    /// match the expected number of params" when the body's parameters differ (WhatsApp error codes).
    pub(super) fn cloud_api_template_verdict(
        &self,
        found: Option<&super::KnownTemplate>,
        components: &serde_json::Value,
        unknown_detail: &str,
    ) -> Result<String, Refusal> {
        let given: usize = components
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["type"] == "body")
            .map(|c| c["parameters"].as_array().map_or(0, Vec::len))
            .sum();
        let unknown = Refusal::new(400, 132001, "Template name does not exist in the translation", "");
        let unknown = if unknown_detail.is_empty() { unknown } else { unknown.of(unknown_detail) };
        let mismatch =
            Refusal::new(400, 132000, "Number of parameters does not match the expected number of params", "");
        self.template_verdict(found, given, unknown, mismatch)
    }

    pub(super) fn template_verdict(
        &self,
        found: Option<&super::KnownTemplate>,
        given: usize,
        unknown: Refusal,
        count_mismatch: Refusal,
    ) -> Result<String, Refusal> {
        let Some(t) = found else { return Err(unknown) };
        let what = format!("template {}", t.name);
        let refusal = |code: u32, message: &str| Err(Refusal::new(400, code, message, message).of(&what));
        match t.status.as_str() {
            "paused" => refusal(132015, "Template is paused"),
            "disabled" => refusal(132016, "Template is disabled"),
            "approved" if given != t.body_parameters => Err(count_mismatch.of(&what)),
            "approved" => Ok(what),
            _ => refusal(132001, "Template does not exist"),
        }
    }
}

//! The agent's side: the window of a conversation (`window.check`), the approved templates offered when
//! only a template can go out (each with its draft, `templates.preview`), a reply checked by
//! `outbound.compose` (a template's draft read back by `templates.check-draft`), and a reply sent and
//! kept on the timeline with its delivery state.

use serde::{Deserialize, Serialize};

use super::App;
use super::db::{self, ConversationRow, NewEntry};
use super::early;
use super::ingest::StoreError;
use crate::bindings::exports::helpdesk::whatsapp::inbound::DeliveryStatus;
use crate::bindings::exports::helpdesk::whatsapp::outbound::{
    self, Account, Content, Recipient, SendOutcome, WindowFacts,
};
use crate::bindings::exports::helpdesk::whatsapp::templates::{self, DraftSegment, TemplateStatus};
use crate::bindings::exports::helpdesk::whatsapp::types::Provider;
use crate::bindings::exports::helpdesk::whatsapp::window::{Conversation, WindowAnswer, WindowRequest};
use crate::sim::wit::WitName;

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The window of a conversation at `now`, with the configured time zone and business hours.
pub fn check_window(app: &App, facts: Conversation, now: i64) -> Result<WindowAnswer, String> {
    let time_zone = match &app.config.time_zone {
        Some(zone) => Some(crate::zones::posix_rule(zone)?),
        None => None,
    };
    let request = WindowRequest {
        conversation: facts,
        now,
        time_zone,
        business_hours: app.config.business_hours.clone(),
        warn_before: None,
        pricing: None,
    };
    match app.plugin.check_window(&request) {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) => Err(format!("window.check refused: {e:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A piece of a template's draft: fixed text the agent cannot edit, or a slot to fill.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Fixed(String),
    Slot { key: String, label: String },
}

/// An approved template offered to the agent, with its draft.
#[derive(Debug, Clone, Serialize)]
pub struct Offer {
    pub name: String,
    pub language: String,
    pub category: &'static str,
    pub segments: Vec<Segment>,
}

/// The approved templates, sorted by name then language, each with its empty draft.
pub fn offers(app: &App) -> Result<Vec<Offer>, String> {
    let mut approved: Vec<&templates::Template> =
        app.config.templates.iter().filter(|t| t.status == TemplateStatus::Approved).collect();
    approved.sort_by(|a, b| (&a.name, &a.language).cmp(&(&b.name, &b.language)));
    let none = templates::TemplateValues {
        body: Vec::new(),
        header_text: None,
        header_media: None,
        header_location: None,
        buttons: Vec::new(),
    };
    approved
        .into_iter()
        .map(|t| {
            let draft = app
                .plugin
                .call_typed(|p, s| p.helpdesk_whatsapp_templates().call_preview(s, t, &none))
                .map_err(|e| e.to_string())?;
            let segments = draft
                .segments
                .into_iter()
                .map(|s| match s {
                    DraftSegment::Fixed(text) => Segment::Fixed(text),
                    DraftSegment::Slot(slot) => Segment::Slot { key: slot.key, label: slot.label },
                })
                .collect();
            Ok(Offer { name: t.name.clone(), language: t.language.clone(), category: t.category.wit_name(), segments })
        })
        .collect()
}

/// What the agent asks for: a text, or a template with its draft as edited.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReplyInput {
    /// A free-form text.
    pub text: Option<String>,
    /// Or an approved template's name...
    pub template: Option<String>,
    /// ...its language...
    pub language: Option<String>,
    /// The template's draft with the slots filled (fixed text unchanged).
    pub draft: Option<String>,
}

/// One problem, for the page and the JSON API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub kind: String,
    pub field: String,
    pub detail: String,
    pub suggestion: String,
}

/// A reply checked: whether it can go out, every problem, the component's notes, the request.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub ok: bool,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
    /// `POST <url>` and the body, without credentials.
    pub request: Option<String>,
    /// What the timeline will show.
    pub text: String,
    /// After sending: `sent <id>` or `not sent: ...`.
    pub outcome: Option<String>,
}

/// `TooLong` → `too-long`.
fn kebab(debug: &str) -> String {
    let name = debug.rsplit("::").next().unwrap_or(debug);
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn config_problem(name: &str) -> Problem {
    Problem {
        kind: "configuration".into(),
        field: name.into(),
        detail: format!("{name} is not set"),
        suggestion: format!("start the server with {name} in the environment"),
    }
}

/// The account a conversation's provider sends from; configuration problems when something is unset.
fn account(app: &App, provider: &str, problems: &mut Vec<Problem>) -> Result<(Provider, Account), String> {
    let c = &app.config;
    let mut need = |value: &Option<String>, name: &str, placeholder: &str| {
        value.clone().unwrap_or_else(|| {
            problems.push(config_problem(name));
            placeholder.to_string()
        })
    };
    Ok(match provider {
        "meta-cloud" => (
            Provider::MetaCloud,
            Account::MetaCloud(outbound::MetaAccount {
                phone_number_id: need(&c.meta_phone_number_id, "META_PHONE_NUMBER_ID", "0"),
                graph_api_version: None,
            }),
        ),
        "twilio" => (
            Provider::Twilio,
            Account::Twilio(outbound::TwilioAccount {
                account_sid: need(&c.twilio_account_sid, "TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
                sender: outbound::TwilioSender::From(need(&c.twilio_from, "TWILIO_FROM", "whatsapp:+10000000000")),
                status_callback: c.public_url.as_ref().map(|u| format!("{}/webhooks/twilio", u.trim_end_matches('/'))),
            }),
        ),
        "one-msg" => (
            Provider::OneMsg,
            Account::OneMsg(outbound::OneMsgAccount {
                api_url: need(&c.onemsg_api_url, "ONEMSG_API_URL", "https://api.1msg.io/unset"),
            }),
        ),
        other => return Err(format!("unknown provider `{other}`")),
    })
}

fn recipient(conv: &ConversationRow) -> Result<Recipient, String> {
    if let Some(g) = &conv.group_id {
        return Ok(Recipient::Group(g.clone()));
    }
    match (&conv.customer_phone, &conv.customer_bsuid) {
        (Some(phone), _) => Ok(Recipient::Phone(phone.clone())),
        (None, Some(bsuid)) => Ok(Recipient::Bsuid(bsuid.clone())),
        _ => Err(format!("conversation {} has no phone, BSUID or group to reply to", conv.id)),
    }
}

/// Check a reply through the component; the request to send when there is no problem.
pub fn check(
    app: &App,
    conv: &ConversationRow,
    facts: Conversation,
    input: &ReplyInput,
    now: i64,
) -> Result<(Checked, Option<(Provider, outbound::HttpRequest)>), String> {
    let mut problems = Vec::new();
    let (provider, account) = account(app, &conv.provider, &mut problems)?;
    let (content, text) = match (&input.text, &input.template) {
        (_, Some(name)) => {
            let language = input.language.clone().unwrap_or_default();
            let template = app
                .config
                .templates
                .iter()
                .find(|t| &t.name == name && t.language == language && t.status == TemplateStatus::Approved)
                .ok_or_else(|| format!("no approved template `{name}` in `{language}`"))?;
            let draft = input.draft.clone().unwrap_or_default();
            let read = app
                .plugin
                .call_typed(|p, s| p.helpdesk_whatsapp_templates().call_check_draft(s, template, &draft))
                .map_err(|e| e.to_string())?;
            match read {
                Ok(values) => (Content::Template(outbound::TemplateFill { template: template.clone(), values }), draft),
                Err(changed) => {
                    problems.push(Problem {
                        kind: "draft-changed".into(),
                        field: "draft".into(),
                        detail: format!(
                            "the template's fixed text was changed at character {}: expected \"{}\", found \"{}\"",
                            changed.position, changed.expected, changed.found
                        ),
                        suggestion: "fill only the slots; the fixed text is the approved template's".into(),
                    });
                    let checked =
                        Checked { ok: false, problems, notes: Vec::new(), request: None, text: draft, outcome: None };
                    return Ok((checked, None));
                }
            }
        }
        (Some(text), None) => (Content::Text(text.clone()), text.clone()),
        (None, None) => return Err("give `text`, or `template` with `language` and `draft`".into()),
    };
    let request = outbound::ComposeRequest {
        account,
        recipient: recipient(conv)?,
        content,
        reply_to: None,
        preview_url: false,
        window: WindowFacts::Conversation(facts),
        now,
        marketing_opted_out: None,
        recipient_country: None,
    };
    let answer = match app.plugin.compose(&request) {
        Ok(Ok(answer)) => answer,
        Ok(Err(outbound::ComposeError::InvalidRequest(i))) => return Err(format!("{}: {}", i.field, i.reason)),
        Ok(Err(outbound::ComposeError::Internal(e))) => return Err(e),
        Err(e) => return Err(e.to_string()),
    };
    problems.extend(answer.problems.iter().map(|p| Problem {
        kind: kebab(&format!("{:?}", p.kind)),
        field: p.field.clone(),
        detail: p.detail.clone(),
        suggestion: p.suggestion.clone(),
    }));
    problems.extend(answer.template_problems.iter().map(|p| Problem {
        kind: kebab(&format!("{:?}", p.kind)),
        field: format!(
            "template.{}{}",
            kebab(&format!("{:?}", p.part)),
            p.variable.as_ref().map(|v| format!(".{v}")).unwrap_or_default()
        ),
        detail: p.detail.clone(),
        suggestion: "fill the template's slots as the detail says".into(),
    }));
    let ok = problems.is_empty() && answer.request.is_some();
    let shown = answer.request.as_ref().map(|r| format!("{} {}{}\n{}", r.method, r.base_url, r.path, r.body));
    let checked = Checked { ok, problems, notes: answer.notes, request: shown, text, outcome: None };
    let request = if ok { answer.request.map(|r| (provider, r)) } else { None };
    Ok((checked, request))
}

/// Why a reply got no 200 or 422 answer, with the HTTP status each case answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyError {
    /// What the agent asked for cannot be checked (no such conversation, an unknown template, neither
    /// text nor template): 400.
    BadRequest(String),
    /// The provider answered the send but `outbound.read-response` could not read the answer. The reply
    /// is on the timeline with a marker saying so (it may have been sent): 502.
    Unreadable(String),
    /// The database or the component failed: 500.
    Host(String),
}

impl ReplyError {
    /// The HTTP status to answer the agent with.
    pub fn status(&self) -> u16 {
        match self {
            ReplyError::BadRequest(_) => 400,
            ReplyError::Unreadable(_) => 502,
            ReplyError::Host(_) => 500,
        }
    }
}

impl std::fmt::Display for ReplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplyError::BadRequest(e) | ReplyError::Unreadable(e) | ReplyError::Host(e) => f.write_str(e),
        }
    }
}

fn host(e: impl std::fmt::Display) -> ReplyError {
    ReplyError::Host(e.to_string())
}

/// `POST /api/conversations/<id>/reply` answered: 200 with the outcome when it went out (or the provider
/// refused it, kept with its marker), 422 with the problems when it was not sent, else the error's
/// status (`ReplyError::status`) with `{"error": ...}`.
pub async fn respond(app: &App, conversation: i64, input: &ReplyInput) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    match send_reply(app, conversation, input).await {
        Ok(checked) if checked.ok => axum::Json(checked).into_response(),
        Ok(checked) => (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(checked)).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, axum::Json(serde_json::json!({ "error": e.to_string() }))).into_response()
        }
    }
}

/// Check, send and keep a reply. Problems: nothing is sent. A refusal by the provider stays on the
/// timeline with a "Not sent" marker; an accepted reply waits for its status callbacks (those that
/// came before it was stored are applied as it is, `early.rs`). An answer that cannot be read is
/// kept with a marker and is `ReplyError::Unreadable`.
pub async fn send_reply(app: &App, conversation: i64, input: &ReplyInput) -> Result<Checked, ReplyError> {
    let now = now_ms();
    let (conv, facts) = {
        let conn = app.db();
        let conv = db::conversation(&conn, conversation)
            .map_err(host)?
            .ok_or_else(|| ReplyError::BadRequest("no such conversation".into()))?;
        (conv, db::window_facts(&conn, conversation).map_err(host)?)
    };
    let (mut checked, request) = check(app, &conv, facts, input, now).map_err(ReplyError::BadRequest)?;
    let Some((provider, request)) = request else { return Ok(checked) };
    let kind = if input.template.is_some() { "template" } else { "reply" };
    let mut unreadable = false;
    let (message_id, status, marker) = match super::send::send(&app.http, &app.config, provider, &request).await {
        Err(e) => (None, None, Some(format!("Not sent: {e}"))),
        Ok((code, body)) => match super::send::read(&app.plugin, provider, code, body) {
            Ok(SendOutcome::Sent(sent)) => (sent.message_id, Some(DeliveryStatus::Pending), None),
            Ok(SendOutcome::Failed(f)) => {
                (None, None, Some(format!("Not sent ({} {}): {}", f.error.code, f.reason.wit_name(), f.hint)))
            }
            Err(e) => {
                unreadable = true;
                let marker = if (200..=299).contains(&code) {
                    format!(
                        "Answer not read: the provider accepted the send (HTTP {code}) but its answer could not be \
                         read ({e}); the message may have been sent"
                    )
                } else {
                    format!("Answer not read: the provider answered HTTP {code}, which could not be read ({e})")
                };
                (None, None, Some(marker))
            }
        },
    };
    checked.outcome = Some(match (&message_id, &marker) {
        (_, Some(m)) => m.clone(),
        (Some(id), None) => format!("sent {id}"),
        (None, None) => "sent".into(),
    });
    let entry = NewEntry {
        conversation,
        message_id: message_id.as_deref(),
        direction: "out",
        kind,
        author: "agent",
        body: &checked.text,
        at: now,
        status,
        marker: marker.as_deref(),
        ..Default::default()
    };
    store(app, &entry, marker.is_none()).map_err(host)?;
    app.changed(&[conversation]);
    match (unreadable, marker) {
        (true, Some(marker)) => Err(ReplyError::Unreadable(marker)),
        _ => Ok(checked),
    }
}

/// Keep a reply in one transaction: the entry, the statuses that came before it (ranked by
/// `inbound.may-replace-status`), and the window folded by `window.record-business-message` when `sent`.
fn store(app: &App, entry: &NewEntry, sent: bool) -> Result<(), StoreError> {
    let mut conn = app.db();
    let tx = conn.transaction()?;
    if let (Some(id), Some(message_id)) = (db::insert_entry(&tx, entry)?, entry.message_id) {
        early::apply(&app.plugin, &tx, id, message_id, entry.status)?;
    }
    if sent {
        let facts = db::window_facts(&tx, entry.conversation)?;
        let folded = app.plugin.record_business_message(facts, entry.at)?;
        db::set_window_facts(&tx, entry.conversation, &folded)?;
    }
    tx.commit()?;
    Ok(())
}

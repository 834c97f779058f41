//! The page at `/`: server-rendered HTML and a small inline script (no build step). The list of
//! conversations, the selected conversation's window and timeline, and the reply box. The script
//! listens to `/events` and swaps in fresh fragments, checks the reply through `/api/.../compose` as
//! the agent types, and sends through `/api/.../reply`.

use serde_json::{Value, json};

use super::App;
use super::db::{self, Attachment, ConversationRow, EntryRow};
use super::reply::{self, Offer, Segment};
use crate::bindings::exports::helpdesk::whatsapp::window::{EntryPoint, WindowAnswer};
use crate::render::Display;
use crate::sim::wit::WitName;

/// HTML-escape text for element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn display(app: &App) -> Display {
    Display::new(app.config.time_zone.as_deref())
}

/// The window answer as the JSON API shows it, times also as text for people.
pub fn window_json(answer: &WindowAnswer, d: &Display) -> Value {
    let (entry_case, entry_at) = match answer.entry_point {
        EntryPoint::NotApplicable => ("not-applicable", None),
        EntryPoint::AnswerBy(t) => ("answer-by", Some(t)),
        EntryPoint::FreeUntil(t) => ("free-until", Some(t)),
        EntryPoint::Ended(t) => ("ended", Some(t)),
        EntryPoint::Missed(t) => ("missed", Some(t)),
    };
    json!({
        "state": answer.state.wit_name(),
        "opened_at": answer.opened_at,
        "closes_at": answer.closes_at,
        "closes_at_text": answer.closes_at.map(|t| d.time(t)),
        "free_form_allowed": answer.free_form_allowed,
        "hint": answer.hint,
        "hours": answer.hours.as_ref().map(|h| json!({
            "open_now": h.open_now,
            "closes_outside_hours": h.closes_outside_hours,
            "last_business_moment": h.last_business_moment,
            "last_business_moment_text": h.last_business_moment.map(|t| d.time(t)),
        })),
        "entry_point": {"case": entry_case, "at": entry_at, "at_text": entry_at.map(|t| d.time(t))},
    })
}

struct Loaded {
    conv: ConversationRow,
    entries: Vec<EntryRow>,
    window: Result<WindowAnswer, String>,
}

fn load(app: &App, id: i64) -> Result<Option<Loaded>, String> {
    let (conv, entries, facts) = {
        let conn = app.db();
        let Some(conv) = db::conversation(&conn, id).map_err(|e| e.to_string())? else { return Ok(None) };
        let entries = db::entries(&conn, id).map_err(|e| e.to_string())?;
        (conv, entries, db::window_facts(&conn, id).map_err(|e| e.to_string())?)
    };
    let window = reply::check_window(app, facts, reply::now_ms());
    Ok(Some(Loaded { conv, entries, window }))
}

/// `GET /api/conversations/:id`: the conversation, its window, its timeline, and the templates on offer
/// when only a template can go out.
pub fn view(app: &App, id: i64) -> Result<Option<Value>, String> {
    let Some(l) = load(app, id)? else { return Ok(None) };
    let d = display(app);
    let only_templates = l.window.as_ref().is_ok_and(|w| !w.free_form_allowed);
    let templates = if only_templates { reply::offers(app)? } else { Vec::new() };
    Ok(Some(json!({
        "conversation": l.conv,
        "window": match &l.window { Ok(w) => window_json(w, &d), Err(e) => json!({"error": e}) },
        "entries": l.entries,
        "templates": templates,
    })))
}

/// The whole page, with conversation `selected` (else the most recent) open.
pub fn index(app: &App, selected: Option<i64>) -> Result<String, String> {
    let rows = db::conversations(&app.db()).map_err(|e| e.to_string())?;
    let selected = selected.or_else(|| rows.first().map(|r| r.id));
    let list = list_html(&rows, selected);
    let conversation = match selected {
        Some(id) => conversation(app, id)?.unwrap_or_default(),
        None => {
            "<p class=empty>No conversation yet: post a webhook (see <code>host-harness trigger --help</code>).</p>"
                .into()
        }
    };
    Ok(format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>WhatsApp channel — dev server</title>\
         <meta name=viewport content=\"width=device-width\"><style>{STYLE}</style></head><body>\
         <header><h1>WhatsApp channel — dev server</h1><span id=live title=\"live updates\">●</span></header>\
         <main><nav id=list>{list}</nav><section id=conversation data-id=\"{}\">{conversation}</section></main>\
         {reply}<script>{SCRIPT}</script></body></html>",
        selected.map(|s| s.to_string()).unwrap_or_default(),
        reply = if selected.is_some() { REPLY_BOX } else { "" },
    ))
}

/// `GET /fragments/list`.
pub fn list(app: &App, selected: Option<i64>) -> Result<String, String> {
    let rows = db::conversations(&app.db()).map_err(|e| e.to_string())?;
    Ok(list_html(&rows, selected))
}

fn list_html(rows: &[ConversationRow], selected: Option<i64>) -> String {
    let mut html = String::from("<ul>");
    for r in rows {
        let class = if Some(r.id) == selected { " class=selected" } else { "" };
        html.push_str(&format!(
            "<li{class}><a href=\"/?c={}\">{}</a><small>{} · {} entries</small></li>",
            r.id,
            esc(&r.title()),
            esc(&r.provider),
            r.entries
        ));
    }
    html.push_str("</ul>");
    html
}

fn tick(status: Option<&str>) -> &'static str {
    match status {
        Some("pending") => "🕓 pending",
        Some("sent") => "✓ sent",
        Some("delivered") => "✓✓ delivered",
        Some("read") => "✓✓ read",
        Some("played") => "✓✓ played",
        Some("failed") => "✗ failed",
        _ => "",
    }
}

fn entry_html(e: &EntryRow, d: &Display) -> String {
    let mut html = format!(
        "<li class=\"entry {} {}\" data-message-id=\"{}\"><div class=head><b>{}</b> <time>{}</time> <span class=\"status {}\">{}</span></div>\
         <div class=body>{}</div>",
        esc(&e.direction),
        esc(&e.kind),
        esc(e.message_id.as_deref().unwrap_or("")),
        esc(&e.author),
        esc(&d.time(e.at)),
        esc(e.status.as_deref().unwrap_or("")),
        tick(e.status.as_deref()),
        esc(&e.body),
    );
    if let Some(r) = &e.reply_to {
        html.push_str(&format!("<div class=quote>replying to {}</div>", esc(r)));
    }
    for a in &e.attachments {
        let label = label_of(a);
        // A provider's URL becomes a link only when it is http(s): a `javascript:` or `data:` URL sent
        // by a customer stays text.
        let href = match (&a.url, &a.media_id) {
            (Some(url), _) if is_web_link(url) => Some(url.clone()),
            (Some(url), _) => {
                html.push_str(&format!(
                    "<div class=file>📎 {} (not a web link: {})</div>",
                    esc(&label_of(a)),
                    esc(url)
                ));
                continue;
            }
            (None, Some(id)) => {
                Some(format!("/media/meta/{}", form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()))
            }
            _ => None,
        };
        let caption = a.caption.as_deref().map(|c| format!(" — {}", esc(c))).unwrap_or_default();
        match href {
            Some(href) => html.push_str(&format!(
                "<div class=file>📎 <a href=\"{}\" target=_blank rel=noopener>{}</a>{caption}</div>",
                esc(&href),
                esc(&label)
            )),
            None => html.push_str(&format!("<div class=file>📎 {}{caption}</div>", esc(&label))),
        }
    }
    if !e.reactions.is_empty() {
        let r: Vec<String> = e.reactions.iter().map(|(who, emoji)| format!("{} {}", esc(emoji), esc(who))).collect();
        html.push_str(&format!("<div class=reactions>{}</div>", r.join(" · ")));
    }
    if let Some(m) = &e.marker {
        html.push_str(&format!("<div class=marker>{}</div>", esc(m)));
    }
    html.push_str("</li>");
    html
}

/// Whether a URL from a provider may be a link on the page: `http` or `https` only.
pub fn is_web_link(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

fn label_of(a: &Attachment) -> String {
    a.filename.clone().unwrap_or_else(|| a.content_type.clone())
}

fn window_html(w: &Result<WindowAnswer, String>, d: &Display) -> String {
    let w = match w {
        Ok(w) => w,
        Err(e) => return format!("<div id=window class=error>Window: {}</div>", esc(e)),
    };
    let state = w.state.wit_name();
    let mut lines = vec![match (w.closes_at, state) {
        (Some(t), "closed") => format!("<b>Window closed</b> since {}", esc(&d.time(t))),
        (Some(t), _) => format!("<b>Window {state}</b>, open until {}", esc(&d.time(t))),
        (None, _) => format!("<b>Window {state}</b>"),
    }];
    lines.push(esc(&w.hint));
    if let Some(h) = &w.hours {
        if h.closes_outside_hours {
            let last = h
                .last_business_moment
                .map(|t| format!("; last business moment {}", esc(&d.time(t))))
                .unwrap_or_default();
            lines.push(format!("<span class=warn>Closes outside business hours</span>{last}"));
        } else {
            lines.push("Closes within business hours".into());
        }
    }
    let entry = match w.entry_point {
        EntryPoint::NotApplicable => None,
        EntryPoint::AnswerBy(t) => Some(format!("Free entry point: answer by {} for 72 free hours", d.time(t))),
        EntryPoint::FreeUntil(t) => Some(format!("Free entry point: every message free until {}", d.time(t))),
        EntryPoint::Ended(t) => Some(format!("Free entry point ended {}", d.time(t))),
        EntryPoint::Missed(t) => Some(format!("Free entry point missed (deadline {})", d.time(t))),
    };
    if let Some(e) = entry {
        lines.push(esc(&e));
    }
    format!("<div id=window class=\"{state}\" data-free-form=\"{}\">{}</div>", w.free_form_allowed, lines.join("<br>"))
}

fn templates_html(offers: &[Offer]) -> String {
    if offers.is_empty() {
        return "<div id=templates data-needed=true><p>Only an approved template can go out now, and none is loaded \
                (start the server with <code>--templates</code>).</p></div>"
            .into();
    }
    let mut html = String::from(
        "<div id=templates data-needed=true><p>Only an approved template can go out now:</p><select id=template-choice>",
    );
    for (i, o) in offers.iter().enumerate() {
        html.push_str(&format!("<option value={i}>{} ({})</option>", esc(&o.name), esc(&o.language)));
    }
    html.push_str("</select>");
    for (i, o) in offers.iter().enumerate() {
        let hidden = if i == 0 { "" } else { " hidden" };
        html.push_str(&format!(
            "<div class=draft data-index={i} data-name=\"{}\" data-language=\"{}\"{hidden}>",
            esc(&o.name),
            esc(&o.language)
        ));
        for s in &o.segments {
            match s {
                Segment::Fixed(t) => html.push_str(&format!("<span class=fixed>{}</span>", esc(t))),
                Segment::Slot { key, label } => html.push_str(&format!(
                    "<input class=slot data-key=\"{}\" placeholder=\"{}\" size=12>",
                    esc(key),
                    esc(label)
                )),
            }
        }
        html.push_str("</div>");
    }
    html.push_str("<button type=button id=send-template>Check and send template</button></div>");
    html
}

/// `GET /fragments/conversations/:id`: heading, window, timeline, templates on offer.
pub fn conversation(app: &App, id: i64) -> Result<Option<String>, String> {
    let Some(l) = load(app, id)? else { return Ok(None) };
    let d = display(app);
    let timeline: String = l.entries.iter().map(|e| entry_html(e, &d)).collect();
    let only_templates = l.window.as_ref().is_ok_and(|w| !w.free_form_allowed);
    let templates = if only_templates {
        templates_html(&reply::offers(app)?)
    } else {
        "<div id=templates data-needed=false></div>".into()
    };
    Ok(Some(format!(
        "<h2 id=title>{}</h2><p class=meta>{} · {}</p>{}<ol id=timeline>{timeline}</ol>{templates}",
        esc(&l.conv.title()),
        esc(&l.conv.provider),
        esc(&l.conv.thread_key),
        window_html(&l.window, &d),
    )))
}

const REPLY_BOX: &str = "<form id=reply onsubmit=\"return false\"><textarea id=reply-text rows=3 \
    placeholder=\"Reply… (checked by the component as you type)\"></textarea><ul id=problems></ul>\
    <button type=button id=send>Send</button> <span id=outcome></span></form>";

const STYLE: &str = "body{font:15px system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f4f5f2}\
header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#075e54;color:#fff}h1{font-size:1.1em;margin:0}\
#live{color:#9fe2a6}main{display:grid;grid-template-columns:18em 1fr;min-height:70vh}\
nav ul{list-style:none;margin:0;padding:0}nav li{padding:.5em 1em;border-bottom:1px solid #ddd}\
nav li.selected{background:#dcf8c6}nav small{display:block;color:#666}section{padding:0 1em}\
#window{padding:.5em;border-radius:6px;background:#e8f0fe;margin:.5em 0}#window.closed,#window.never-opened{background:#fde8e8}\
#window.closing-soon{background:#fff4d6}.warn{color:#a15c00;font-weight:600}\
#timeline{list-style:none;padding:0}.entry{background:#fff;margin:.4em 0;padding:.4em .6em;border-radius:6px;max-width:40em}\
.entry.out,.entry.echo{margin-left:auto;background:#dcf8c6}.entry.system{background:#eee;font-size:.9em}\
.head time{color:#666;font-size:.85em}.status{font-size:.85em;color:#555}.status.read,.status.played{color:#34b7f1}\
.marker{color:#b00020;font-weight:600}.quote{color:#666;font-size:.85em}.reactions{font-size:.9em}\
form#reply,#templates{padding:.5em 1em}#reply-text{width:100%;box-sizing:border-box}#problems{color:#b00020}\
.draft{margin:.5em 0;padding:.5em;background:#fff;border-radius:6px}.fixed{white-space:pre-wrap}";

const SCRIPT: &str = r#"
const section = document.getElementById('conversation');
const id = section.dataset.id;
async function refresh(changed) {
  const list = await fetch('/fragments/list?c=' + id); document.getElementById('list').innerHTML = await list.text();
  if (!id || (changed !== '*' && changed !== id)) return;
  const r = await fetch('/fragments/conversations/' + id); if (!r.ok) return;
  const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
  for (const part of ['title', 'window', 'timeline']) document.getElementById(part).replaceWith(doc.getElementById(part));
  const now = document.getElementById('templates'), next = doc.getElementById('templates');
  if (now.dataset.needed !== next.dataset.needed) { now.replaceWith(next); wireTemplates(); }
}
const events = new EventSource('/events');
events.addEventListener('changed', e => refresh(e.data));
events.onerror = () => document.getElementById('live').style.color = '#f88';
// On (re)connecting, fetch everything once: a change made while the stream was down is not replayed.
events.onopen = () => {
  document.getElementById('live').style.color = '#9fe2a6';
  refresh('*').then(() => { document.body.dataset.live = 'yes'; });
};
function showProblems(answer) {
  const ul = document.getElementById('problems'); ul.innerHTML = '';
  for (const p of answer.problems || []) {
    const li = document.createElement('li'); li.className = 'problem ' + p.kind;
    li.textContent = p.detail + ' — ' + p.suggestion; ul.appendChild(li);
  }
  if (answer.error) { const li = document.createElement('li'); li.textContent = answer.error; ul.appendChild(li); }
}
async function post(path, body) {
  const r = await fetch('/api/conversations/' + id + path, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  return r.json();
}
const text = document.getElementById('reply-text');
let timer;
if (text) text.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(async () => { if (text.value) showProblems(await post('/compose', {text: text.value})); else showProblems({}); }, 250);
});
const send = document.getElementById('send');
if (send) send.addEventListener('click', async () => {
  const answer = await post('/reply', {text: text.value}); showProblems(answer);
  document.getElementById('outcome').textContent = answer.outcome || (answer.ok === false ? 'not sent' : '');
  if (answer.ok) text.value = '';
});
function wireTemplates() {
  const choice = document.getElementById('template-choice');
  if (choice) choice.addEventListener('change', () => {
    for (const d of document.querySelectorAll('.draft')) d.hidden = d.dataset.index !== choice.value;
  });
  const button = document.getElementById('send-template');
  if (button) button.addEventListener('click', async () => {
    const d = document.querySelector('.draft:not([hidden])');
    let draft = '';
    for (const n of d.children) draft += n.classList.contains('slot') ? n.value : n.textContent;
    const answer = await post('/reply', {template: d.dataset.name, language: d.dataset.language, draft});
    showProblems(answer); document.getElementById('outcome').textContent = answer.outcome || (answer.ok === false ? 'not sent' : '');
  });
}
wireTemplates();
"#;

#[cfg(test)]
mod tests {
    use super::is_web_link;

    #[test]
    fn only_http_and_https_urls_become_links() {
        for url in ["https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "http://127.0.0.1:8090/f"]
        {
            assert!(is_web_link(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>x</script>",
            "vbscript:x",
            "/relative",
            "",
        ] {
            assert!(!is_web_link(url), "{url}");
        }
    }
}

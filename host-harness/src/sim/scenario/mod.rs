//! Scenarios: a helpdesk, a provider and a customer on a virtual clock, as a JSON file of steps,
//! with `expect` steps that assert on tickets, timelines, the provider's log, the ledger and alerts.
//! The format is documented in `tests/scenarios/README.md`.

use std::collections::HashMap;

use serde_json::Value;

use super::billing::Ledger;
use super::helpdesk::{Helpdesk, SharedService};
use super::providers::{CustomerMessage, Kind, KnownTemplate, Misbehaviour, Provider, Webhook};
use super::wit::WitName;
use crate::bindings::exports::helpdesk::whatsapp::masking;
use crate::bindings::exports::helpdesk::whatsapp::outbound::{Media, MediaKind, MediaSource};
use crate::json::rfc3339_millis;
use crate::plugin::PluginHost;
use crate::render::Display;

mod expect;
mod records;

pub use expect::matches;
use expect::substitute;
pub use records::{business_hours_from_json, template_from_json, values_from_json};

/// The outcome of one scenario.
pub struct Report {
    pub name: String,
    pub expectations: usize,
    /// Each failed expectation, with the step and a readable difference.
    pub failures: Vec<String>,
    /// The narration: `(time, text, timeline entries so far)` for every `say` step.
    pub narration: Vec<(i64, String, usize)>,
    /// The helpdesk's state at the end.
    pub state: Value,
    pub time_zone: Option<String>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// `30s`, `5m`, `2h`, `3d`, or milliseconds.
pub fn duration(v: &Value) -> Result<i64, String> {
    if let Some(ms) = v.as_i64() {
        return Ok(ms);
    }
    let s = v.as_str().ok_or_else(|| format!("`{v}` is not a duration"))?;
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = number.parse().map_err(|_| format!("`{s}` is not a duration like 30s, 5m, 2h or 3d"))?;
    let unit_ms = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("`{s}`: the unit must be ms, s, m, h or d")),
    };
    Ok(n * unit_ms)
}

fn instant(v: &Value, what: &str) -> Result<i64, String> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("{what}: {n} is not epoch milliseconds")),
        Value::String(s) => rfc3339_millis(s).ok_or_else(|| format!("{what}: `{s}` is not RFC 3339")),
        _ => Err(format!("{what} is missing")),
    }
}

/// The provider's approved list, from the scenario's templates (WIT JSON).
fn known(templates: &[Value]) -> Vec<KnownTemplate> {
    templates
        .iter()
        // A scenario can make the provider forget a template the helpdesk still lists (deleted there).
        .filter(|t| t["provider_deleted"] != true)
        .map(|t| {
            let body = t["body"].as_str().unwrap_or_default();
            let mut keys: Vec<&str> = body.split("{{").skip(1).filter_map(|p| p.split("}}").next()).collect();
            keys.sort_unstable();
            keys.dedup();
            KnownTemplate {
                name: t["name"].as_str().unwrap_or_default().into(),
                language: t["language"].as_str().unwrap_or_default().into(),
                // A scenario can make the provider's list differ from the helpdesk's copy (a stale list).
                status: t["provider_status"].as_str().or(t["status"].as_str()).unwrap_or("approved").into(),
                body_parameters: keys.len(),
                content_sid: t["twilio_content_sid"].as_str().map(str::to_string),
                namespace: t["namespace"].as_str().map(str::to_string),
            }
        })
        .collect()
}

/// Record a step's message id under the name it gives `as`.
fn remember(refs: &mut HashMap<String, String>, arg: &Value, id: Option<String>) {
    if let (Some(name), Some(id)) = (arg["as"].as_str(), id) {
        refs.insert(name.to_string(), id);
    }
}

/// Play a scenario through the component.
pub fn run(plugin: &PluginHost, scenario: &Value) -> Result<Report, String> {
    let name = scenario["name"].as_str().unwrap_or("scenario").to_string();
    let kind = Kind::parse(scenario["provider"].as_str().unwrap_or("meta-cloud"))
        .ok_or("`provider` must be meta-cloud, twilio or 1msg")?;
    let start = instant(&scenario["start"], "start")?;
    let business_number = scenario["business_number"].as_str().unwrap_or("+15550101234");
    let mut provider = Provider::new(kind, scenario["seed"].as_u64().unwrap_or(1), business_number);
    let templates: Vec<Value> = scenario["templates"].as_array().cloned().unwrap_or_default();
    provider.templates = known(&templates);
    let m = &scenario["misbehaviour"];
    provider.misbehaviour = Misbehaviour {
        duplicates: m["duplicates"].as_f64().unwrap_or(0.0),
        max_delay_ms: if m["max_delay"].is_null() { 0 } else { duration(&m["max_delay"])? },
        fail_after_sent: m["fail_after_sent"].as_f64().unwrap_or(0.0),
    };
    let service = |v: &Value| -> Result<SharedService, String> {
        Ok(SharedService {
            id: v["id"].as_str().ok_or("a service needs an `id`")?.into(),
            name: v["name"].as_str().unwrap_or_default().into(),
            subscribed_at: if v["subscribed_at"].is_null() {
                0
            } else {
                instant(&v["subscribed_at"], "subscribed_at")?
            },
        })
    };
    let own = match scenario.get("own_service") {
        Some(v) => service(v)?,
        None => SharedService { id: "helpdesk".into(), name: "Helpdesk".into(), subscribed_at: 0 },
    };
    let l = &scenario["ledger"];
    let ledger = Ledger::new(
        l["balance"].as_i64().unwrap_or(1_000),
        l["threshold"].as_i64().unwrap_or(0),
        l["refill"].as_i64().unwrap_or(100),
        l["credit_price_cents"].as_i64().unwrap_or(5),
    );
    let mut desk = Helpdesk::new(plugin, provider, start, own, ledger);
    let zone_name = scenario["time_zone"].as_str().map(str::to_string);
    desk.time_zone = zone_name.as_deref().map(crate::zones::posix_rule).transpose()?;
    desk.business_hours =
        scenario.get("business_hours").map(|h| business_hours_from_json(h, "business_hours")).transpose()?;
    // The helpdesk's copy, without the scenario's notes on the provider's side.
    desk.templates = templates
        .iter()
        .enumerate()
        .map(|(i, t)| template_from_json(t, &format!("templates[{i}]")))
        .collect::<Result<_, _>>()?;
    for s in scenario["services"].as_array().into_iter().flatten() {
        desk.services.push(service(s)?);
    }
    if !scenario["chat_timeout"].is_null() {
        desk.chat_timeout_ms = duration(&scenario["chat_timeout"])?;
    }
    let default_phone = scenario["customer"]["phone"].as_str().unwrap_or("+15551230001").to_string();
    let default_name = scenario["customer"]["name"].as_str().unwrap_or("Customer").to_string();

    let mut refs: HashMap<String, String> = HashMap::new();
    let mut report = Report {
        name,
        expectations: 0,
        failures: Vec::new(),
        narration: Vec::new(),
        state: Value::Null,
        time_zone: zone_name,
    };
    let steps = scenario["steps"].as_array().ok_or("`steps` must be an array")?;
    for (i, step) in steps.iter().enumerate() {
        let Some((action, arg)) = step.as_object().and_then(|o| o.iter().next()) else {
            return Err(format!("step {i}: a step is an object with one action"));
        };
        let at = |e: crate::HostError| format!("step {i} ({action}): {e}");
        let phone = arg["phone"].as_str().unwrap_or(&default_phone).to_string();
        match action.as_str() {
            "say" => {
                let entries = desk.tickets.iter().map(|t| t.timeline.len()).sum();
                report.narration.push((desk.now, arg.as_str().unwrap_or_default().to_string(), entries));
            }
            "customer" => {
                let reference = |key: &str| {
                    arg[key].as_str().map(|r| refs.get(r.trim_start_matches('$')).cloned().unwrap_or(r.to_string()))
                };
                let message = CustomerMessage {
                    text: arg["text"].as_str().map(str::to_string),
                    reaction: arg["reaction"]["to"].as_str().map(|to| {
                        (
                            refs.get(to.trim_start_matches('$')).cloned().unwrap_or(to.into()),
                            arg["reaction"]["emoji"].as_str().unwrap_or("👍").into(),
                        )
                    }),
                    reply_to: reference("reply_to"),
                    ad_headline: arg["ad"].as_str().map(str::to_string),
                };
                let name = arg["name"].as_str().unwrap_or(&default_name).to_string();
                let times = if arg["twice"] == true { 2 } else { 1 };
                let id = desk.customer_writes(&phone, &name, &message, times).map_err(at)?;
                remember(&mut refs, arg, Some(id));
            }
            "wait" => desk.advance(duration(arg)?).map_err(at)?,
            "window_hint" => {
                desk.show_window(&phone).map_err(at)?;
            }
            "wait_until" => {
                let until = instant(arg, "wait_until")?;
                desk.advance(until - desk.now).map_err(at)?;
            }
            "call" => {
                let name = arg["name"].as_str().unwrap_or(&default_name).to_string();
                let id = desk.customer_calls(&phone, &name).map_err(at)?;
                remember(&mut refs, arg, Some(id));
            }
            "group_join" => {
                let participants: Vec<String> = arg["participants"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect();
                desk.group_join(arg["group"].as_str().unwrap_or_default(), &participants).map_err(at)?;
            }
            "group_message" => {
                let id = desk
                    .group_writes(
                        arg["group"].as_str().unwrap_or_default(),
                        arg["from"].as_str().unwrap_or_default(),
                        arg["name"].as_str().unwrap_or_default(),
                        arg["text"].as_str().unwrap_or_default(),
                    )
                    .map_err(at)?;
                remember(&mut refs, arg, Some(id));
            }
            "reply" => {
                // `to`: another thread than the scenario's customer, e.g. `group:<id>`.
                let to = arg["to"].as_str().map_or_else(|| phone.clone(), str::to_string);
                let id = desk
                    .agent_reply(
                        &to,
                        arg["agent"].as_str().unwrap_or("Agent"),
                        arg["text"].as_str().unwrap_or_default(),
                        arg["force"] == true,
                    )
                    .map_err(at)?;
                remember(&mut refs, arg, id);
            }
            "attach" => {
                // A file the agent attaches, already in the helpdesk's cloud storage at `link`.
                let kind = arg["kind"].as_str().unwrap_or("document");
                let kind = MediaKind::from_wit_name(kind)
                    .ok_or_else(|| format!("step {i} (attach): `{kind}` is not a media kind"))?;
                let media = Media {
                    kind,
                    source: MediaSource::Link(arg["link"].as_str().unwrap_or_default().into()),
                    caption: arg["caption"].as_str().map(str::to_string),
                    filename: arg["filename"].as_str().map(str::to_string),
                    mime_type: arg["mime_type"].as_str().map(str::to_string),
                    size_bytes: arg["size_bytes"].as_u64(),
                    animated: arg["animated"].as_bool(),
                };
                let id = desk.agent_attach(&phone, arg["agent"].as_str().unwrap_or("Agent"), media).map_err(at)?;
                remember(&mut refs, arg, id);
            }
            "template" => {
                let languages: Vec<String> = arg["languages"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|l| l.as_str().map(str::to_string))
                    .collect();
                let values = values_from_json(&arg["values"], &format!("step {i} (template): values"))?;
                let id = desk
                    .agent_template(
                        &phone,
                        arg["agent"].as_str().unwrap_or("Agent"),
                        arg["name"].as_str().unwrap_or_default(),
                        &values,
                        &languages,
                    )
                    .map_err(at)?;
                remember(&mut refs, arg, id);
            }
            "service_reply" => {
                let id = desk
                    .service_reply(
                        &phone,
                        arg["service"].as_str().unwrap_or_default(),
                        arg["agent"].as_str(),
                        arg["text"].as_str().unwrap_or_default(),
                    )
                    .map_err(at)?;
                remember(&mut refs, arg, Some(id));
            }
            "automation" => {
                let kind = arg["kind"].as_str().unwrap_or("bot");
                let kind = masking::AutomationKind::from_wit_name(kind)
                    .ok_or_else(|| format!("step {i} (automation): `{kind}` is not an automation kind"))?;
                desk.automation(
                    &phone,
                    arg["service"].as_str().unwrap_or_default(),
                    kind,
                    arg["text"].as_str().unwrap_or("Automatic reply"),
                )
                .map_err(at)?;
            }
            "disconnect" => desk.disconnect(arg.as_str().unwrap_or_default()).map_err(at)?,
            "pick_up" => desk
                .pick_up(&phone, arg["agent"].as_str().unwrap_or_default(), arg["service"].as_str().unwrap_or_default())
                .map_err(at)?,
            "solve" => desk.set_state(&phone, "solved").map_err(at)?,
            "close" => desk.set_state(&phone, "closed").map_err(at)?,
            "card" => desk.ledger.card_ok = arg == "ok",
            "renewal_day" => desk.renewal(arg.as_u64().unwrap_or(0) as u32),
            "raw_webhook" => {
                let webhook = Webhook {
                    url: desk.provider.url.clone(),
                    headers: vec![("Content-Type".into(), "application/json".into())],
                    body: arg["body"].as_str().unwrap_or_default().into(),
                };
                desk.deliver(&webhook).map_err(at)?;
            }
            "expect" => {
                report.expectations += 1;
                let state = desk.state();
                let expected = substitute(arg, &refs);
                // `ticket` and `timeline` are short for the scenario customer's latest ticket.
                let ticket = desk.ticket_of(&phone).map(|t| state["tickets"][t].clone()).unwrap_or(Value::Null);
                for (key, want) in expected.as_object().into_iter().flatten() {
                    let (got, path) = match key.as_str() {
                        "ticket" => (ticket.clone(), "ticket".to_string()),
                        "timeline" => (ticket["timeline"].clone(), "ticket.timeline".to_string()),
                        other => (state[other].clone(), other.to_string()),
                    };
                    if let Err(diff) = matches(want, &got, &path) {
                        report.failures.push(format!("step {i} (expect): {diff}"));
                    }
                }
            }
            other => return Err(format!("step {i}: unknown action `{other}`")),
        }
    }
    report.state = desk.state();
    Ok(report)
}

/// The report for a person: the narration, every ticket's timeline, and the result.
pub fn narrate(report: &Report) -> String {
    let display = Display::new(report.time_zone.as_deref());
    let mut out = format!("▶ {}\n", report.name);
    for (at, line, _) in &report.narration {
        out.push_str(&format!("  {}  {line}\n", display.time(*at)));
    }
    for ticket in report.state["tickets"].as_array().into_iter().flatten() {
        let follow = ticket["follow_up_of"].as_u64().map(|n| format!(", follow-up of #{n}")).unwrap_or_default();
        out.push_str(&format!(
            "\n  ticket #{} · {} · {}{follow} · chat {}\n",
            ticket["id"],
            ticket["customer"].as_str().unwrap_or(""),
            ticket["state"].as_str().unwrap_or(""),
            ticket["chat"].as_str().unwrap_or("")
        ));
        for e in ticket["timeline"].as_array().into_iter().flatten() {
            let status = e["status"].as_str().map(|s| format!("  [{s}]")).unwrap_or_default();
            out.push_str(&format!(
                "    {}  {:<20} {}{status}\n",
                display.time(e["at"].as_i64().unwrap_or(0)),
                e["who"].as_str().unwrap_or(""),
                e["text"].as_str().unwrap_or("")
            ));
            if let Some(marker) = e["not_delivered"].as_str() {
                out.push_str(&format!("    {:>26} ⚠ {marker}\n", ""));
            }
        }
    }
    let ledger = &report.state["ledger"];
    out.push_str(&format!(
        "\n  credits {} · alerts {}\n",
        ledger["balance"],
        report.state["alerts"].as_array().map_or(0, Vec::len)
    ));
    for alert in report.state["alerts"].as_array().into_iter().flatten() {
        out.push_str(&format!("    alert: {}\n", alert.as_str().unwrap_or("")));
    }
    if report.passed() {
        out.push_str(&format!("  PASS: {} expectation(s) held\n", report.expectations));
    } else {
        out.push_str(&format!(
            "  FAIL: {} of {} expectation(s) did not hold\n",
            report.failures.len(),
            report.expectations
        ));
        for f in &report.failures {
            out.push_str(&format!("    {f}\n"));
        }
    }
    out
}

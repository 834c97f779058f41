//! Readable text for people, from the JSON the component's answers map to (see `json`).

use chrono::DateTime;
use serde_json::Value;

/// A time zone for display: the POSIX rule the component was given, read natively with tz-rs.
pub struct Display {
    zone: Option<tz::TimeZone>,
}

impl Display {
    /// Display times in the zone of an IANA name or POSIX rule; UTC if none or unreadable.
    pub fn new(zone: Option<&str>) -> Self {
        let zone = zone
            .and_then(|z| crate::zones::posix_rule(z).ok())
            .and_then(|rule| tz::TimeZone::from_posix_tz(&rule).ok());
        Self { zone }
    }

    /// `Fri 20 Nov 18:00 CET`.
    pub fn time(&self, ms: i64) -> String {
        let (offset, abbreviation) = match &self.zone {
            Some(zone) => zone
                .find_local_time_type(ms.div_euclid(1000))
                .map(|t| (t.ut_offset(), t.time_zone_designation().to_string()))
                .unwrap_or((0, "UTC".into())),
            None => (0, "UTC".into()),
        };
        match DateTime::from_timestamp_millis(ms + i64::from(offset) * 1000) {
            Some(t) => format!("{} {abbreviation}", t.format("%a %d %b %H:%M")),
            None => ms.to_string(),
        }
    }

    /// A window answer (the `ok` side of `window.check`) as labelled lines.
    pub fn window_answer(&self, answer: &Value) -> String {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let time = |v: &Value| v.as_i64().map(|ms| self.time(ms));
        let mut lines = Vec::new();
        let state = text(&answer["state"]);
        let closes = time(&answer["closes_at"]);
        lines.push(match (state.as_str(), closes) {
            ("closed", Some(c)) => format!("window      closed since {c}"),
            (_, Some(c)) => format!(
                "window      {state}, closes {c} ({} left)",
                describe(answer["time_left"].as_i64().unwrap_or(0))
            ),
            _ => format!("window      {state}"),
        });
        let may = if answer["free_form_allowed"] == Value::Bool(true) {
            "a free-form reply or an approved template"
        } else {
            "an approved template only"
        };
        lines.push(format!("may send    {may}"));
        lines.push(format!("hint        {}", text(&answer["hint"])));
        match &answer["entry_point"] {
            Value::String(s) if s == "not-applicable" => {}
            Value::Object(o) => {
                if let Some((case, at)) = o.iter().next() {
                    lines.push(format!("entry point {case} {}", time(at).unwrap_or_default()));
                }
            }
            _ => {}
        }
        if let Some(hours) = answer["hours"].as_object() {
            let open = if hours["open_now"] == Value::Bool(true) { "open now" } else { "closed now" };
            let mut line = format!("hours       {open}");
            if hours["closes_outside_hours"] == Value::Bool(true) {
                line.push_str("; the window closes outside business hours");
                match time(&hours["last_business_moment"]) {
                    Some(last) => line.push_str(&format!("; last business moment {last}")),
                    None => line.push_str("; no business hours remain before it closes"),
                }
            }
            lines.push(line);
        }
        let details = &answer["pricing_details"];
        if let Some(period) = answer["pricing_period"].as_str() {
            // A period only reported by others says so next to its name.
            let mark = if details["confirmation"] == "reported" {
                " [reported, not confirmed on the provider's own page]"
            } else {
                ""
            };
            lines.push(format!("pricing     {period}{mark}"));
        }
        for cost in answer["costs"].as_array().into_iter().flatten() {
            let what = match (text(&cost["kind"]).as_str(), text(&cost["category"]).as_str()) {
                ("free-form", "group-service") => "free-form reply to a group".to_string(),
                ("free-form", _) => "free-form reply".to_string(),
                (_, category) => format!("{category} template"),
            };
            let charge =
                if cost["allowed"] == Value::Bool(false) { "not allowed".to_string() } else { text(&cost["charge"]) };
            lines.push(format!("  {what:<38} {charge}"));
        }
        // Where the prices come from.
        for source in details["sources"].as_array().into_iter().flatten() {
            lines.push(format!("  source    {}", text(source)));
        }
        for note in details["notes"].as_array().into_iter().flatten() {
            lines.push(format!("  note      {}", text(note)));
        }
        lines.join("\n")
    }
}

/// "2 h 05 min".
pub fn describe(ms: i64) -> String {
    let minutes = ms / 60_000;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// Events (the `ok` side of `inbound.normalize`) as one block each.
pub fn events(display: &Display, events: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out = Vec::new();
    for event in events.as_array().into_iter().flatten() {
        let Some((case, e)) = event.as_object().and_then(|o| o.iter().next()) else { continue };
        let who = |c: &Value| {
            let name = c["profile_name"].as_str().map(|n| format!("{n} ")).unwrap_or_default();
            let id = c["phone"].as_str().or(c["bsuid"].as_str()).or(c["wa_id"].as_str()).unwrap_or("?");
            let username = c["username"].as_str().map(|u| format!(" @{u}")).unwrap_or_default();
            format!("{name}{id}{username}")
        };
        let mut lines = match case.as_str() {
            "message" | "echo" => {
                let at = e["sent_at"].as_i64().map(|t| display.time(t)).unwrap_or_default();
                let clock = if e["clock"] == "helpdesk-receipt" { " (receipt time)" } else { "" };
                let direction = if case == "echo" { "echo to" } else { "from" };
                let mut lines = vec![format!(
                    "{case:<8}{} {direction} {} at {at}{clock} [{}]",
                    text(&e["kind"]),
                    who(&e["customer"]),
                    text(&e["id"])
                )];
                if let Some(g) = e["group_id"].as_str() {
                    lines.push(format!("        in group {g}"));
                }
                if let Some(t) = e["text"].as_str() {
                    lines.push(format!("        text: {t}"));
                }
                for a in e["attachments"].as_array().into_iter().flatten() {
                    let caption = a["caption"].as_str().map(|c| format!(" \"{c}\"")).unwrap_or_default();
                    lines.push(format!("        file: {}{caption}", text(&a["content_type"])));
                }
                if let Some(r) = e["referral"].as_object() {
                    let headline = r.get("headline").and_then(Value::as_str).unwrap_or("(no headline)");
                    lines.push(format!(
                        "        from {}: {headline} {}",
                        text(&r["source_type"]),
                        text(&r["source_url"])
                    ));
                }
                if let Some(r) = e["reaction"].as_object() {
                    let emoji = r.get("emoji").and_then(Value::as_str).unwrap_or("(removed)");
                    lines.push(format!("        reaction {emoji} to {}", text(&r["target_message_id"])));
                }
                if let Some(r) = e["reply_to"].as_str() {
                    lines.push(format!("        replying to {r}"));
                }
                if let Some(o) = e["original_message_id"].as_str() {
                    lines.push(format!("        changes {o}"));
                }
                if let Some(f) = e["flow_reply"].as_object() {
                    let token = f.get("flow_token").and_then(Value::as_str).unwrap_or("(no token)");
                    lines.push(format!("        form {} {token}", text(&f["name"])));
                    for field in f.get("fields").and_then(Value::as_array).into_iter().flatten() {
                        lines.push(format!("          {}: {}", text(&field["name"]), text(&field["value"])));
                    }
                }
                if let Some(s) = e["system"].as_object()
                    && let Some(key) = s.get("new_conversation_key").and_then(Value::as_str)
                {
                    lines.push(format!("        {}: now {key}", text(&s["change"])));
                }
                if let Some(p) = e["call_permission"].as_object() {
                    let answer = if p["accepted"] == Value::Bool(true) { "may call" } else { "may not call" };
                    lines.push(format!("        call permission: {answer}"));
                }
                for note in e["notes"].as_array().into_iter().flatten() {
                    lines.push(format!("        note: {}", text(note)));
                }
                lines
            }
            "status" => {
                let at = e["at"].as_i64().map(|t| display.time(t)).unwrap_or_default();
                let mut lines = vec![format!("status  {} {} at {at}", text(&e["message_id"]), text(&e["status"]))];
                if let Some(g) = e["group_id"].as_str() {
                    lines.push(format!("        in group {g}, participant {}", who(&e["customer"])));
                }
                if let Some(f) = e["failure"].as_object() {
                    lines.push(format!(
                        "        failed {}: {} ({})",
                        f["error"]["code"],
                        text(&f["error"]["title"]),
                        text(&f["reason"])
                    ));
                    lines.push(format!("        hint: {}", text(&f["hint"])));
                }
                lines
            }
            "call" => {
                let at = e["at"].as_i64().map(|t| display.time(t)).unwrap_or_default();
                let mut lines = vec![format!(
                    "call    {} {} with {} at {at} [{}]",
                    text(&e["direction"]),
                    text(&e["action"]),
                    who(&e["customer"]),
                    text(&e["id"])
                )];
                if let Some(seconds) = e["duration_seconds"].as_i64() {
                    lines.push(format!("        lasted {seconds} s"));
                }
                lines
            }
            "unreadable" => {
                let id = e["item_id"].as_str().map(|i| format!(" [{i}]")).unwrap_or_default();
                vec![format!("unread  {}{id} at {}: {}", text(&e["kind"]), text(&e["path"]), text(&e["reason"]))]
            }
            "group-update" => {
                let at = e["at"].as_i64().map(|t| display.time(t)).unwrap_or_default();
                vec![
                    format!("group   {} {} at {at}", text(&e["group_id"]), text(&e["kind"])),
                    format!("        note: {}", text(&e["note"])),
                ]
            }
            "history" => {
                let m = &e["message"];
                let at = m["sent_at"].as_i64().map(|t| display.time(t)).unwrap_or_default();
                let who = if e["from_business"] == true { "business".to_string() } else { who(&m["customer"]) };
                let mut lines = vec![format!("history {} by {who} at {at} [{}]", text(&m["kind"]), text(&m["id"]))];
                if let Some(t) = m["text"].as_str() {
                    lines.push(format!("        text: {t}"));
                }
                lines
            }
            "preference-update" => {
                let at = e["at"].as_i64().map(|t| display.time(t)).unwrap_or_default();
                vec![format!(
                    "prefs   {} {} {} at {at}",
                    who(&e["customer"]),
                    text(&e["preference"]),
                    text(&e["category"])
                )]
            }
            "template-update" => vec![format!("templ   {}", text(&e["note"]))],
            _ => vec![format!("ignored {}: {}", text(&e["kind"]), text(&e["reason"]))],
        };
        out.append(&mut lines);
    }
    if out.is_empty() { "no events".into() } else { out.join("\n") }
}

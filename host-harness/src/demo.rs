//! `demo`: the flagship scenario (`tests/scenarios/00-flagship-friday-to-monday.json`) told as a
//! story: each narration line, then what the helpdesk's timeline shows because of it; then its Twilio
//! epilogue (`tests/scenarios/20-twilio-attachment-too-large-goes-as-a-link.json`: an attachment too
//! large for Twilio sent as a link, a refusal read back as a marker). Every answer comes from the real
//! component; colour on a terminal, plain text when piped.

use serde_json::Value;

use crate::plugin::PluginHost;
use crate::render::Display;
use crate::sim::scenario::{Report, run};

/// The flagship scenario, built into the harness so `demo` needs no file.
pub const FLAGSHIP: &str = include_str!("../../tests/scenarios/00-flagship-friday-to-monday.json");

/// The Twilio epilogue, built in too.
pub const TWILIO_EPILOGUE: &str =
    include_str!("../../tests/scenarios/20-twilio-attachment-too-large-goes-as-a-link.json");

/// Play the flagship scenario.
pub fn play(plugin: &PluginHost) -> Result<Report, String> {
    let scenario: Value = serde_json::from_str(FLAGSHIP).map_err(|e| e.to_string())?;
    run(plugin, &scenario)
}

/// Play the Twilio epilogue.
pub fn play_epilogue(plugin: &PluginHost) -> Result<Report, String> {
    let scenario: Value = serde_json::from_str(TWILIO_EPILOGUE).map_err(|e| e.to_string())?;
    run(plugin, &scenario)
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

/// The story for a terminal; `colour` adds ANSI colours.
pub fn narrate(report: &Report, colour: bool) -> String {
    let style = Style { on: colour };
    let display = Display::new(report.time_zone.as_deref());
    let mut out =
        style.paint("1", "WhatsApp channel plugin: a weekend on one shared number, on a virtual clock (Europe/Berlin)");
    out.push_str(
        "\nEvery line below comes from the real component, through a simulated helpdesk and Meta Cloud API.\n",
    );
    out.push_str(&steps(report, &style, &display));
    let counts = &report.state["counts"];
    out.push_str(&format!(
        "\n{} {} status callbacks applied; {} late or repeated ones ignored, so no tick went backwards; {} echo recognised as already shown.\n",
        style.paint("1", "Callbacks:"),
        counts["statuses_applied"],
        counts["statuses_kept"],
        counts["duplicates"]
    ));
    let ledger = &report.state["ledger"];
    for e in ledger["entries"].as_array().into_iter().flatten() {
        let money = e["charged_cents"]
            .as_i64()
            .filter(|c| *c > 0)
            .map(|c| format!(", charged {}.{:02}", c / 100, c % 100))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} {} ({:+} credits{money})\n",
            style.paint("1", "Credits:"),
            e["what"].as_str().unwrap_or(""),
            e["credits"]
        ));
    }
    out.push_str(&format!(
        "{} {} credits left · {}\n",
        style.paint("1", "End:"),
        ledger["balance"],
        if report.passed() {
            style.paint("32", "all expectations held")
        } else {
            style.paint("31", "EXPECTATIONS FAILED")
        }
    ));
    out
}

/// Each narration line of `report`, then the timeline entries it led to.
fn steps(report: &Report, style: &Style, display: &Display) -> String {
    let entries: Vec<&Value> = report.state["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["timeline"].as_array().into_iter().flatten())
        .collect();
    let mut out = String::new();
    for (i, (at, say, from)) in report.narration.iter().enumerate() {
        let to = report.narration.get(i + 1).map_or(entries.len(), |n| n.2);
        out.push_str(&format!(
            "\n{} {}\n",
            style.paint("1;36", &format!("▶ {}", display.time(*at))),
            style.paint("1", say)
        ));
        for e in entries.iter().take(to).skip(*from) {
            let who = e["who"].as_str().unwrap_or("");
            let text = e["text"].as_str().unwrap_or("");
            let status = e["status"].as_str().map(|s| format!(" [{s}]")).unwrap_or_default();
            let line = format!(
                "  {}  {who:<18} {text}",
                display.time(e["at"].as_i64().unwrap_or(0)).split(' ').nth(3).unwrap_or("")
            );
            let painted = match e["kind"].as_str() {
                Some("masked") => style.paint("35", &line),
                Some("system" | "note" | "warning") => style.paint("2", &line),
                _ => line,
            };
            out.push_str(&format!("{painted}{}\n", style.paint("32", &status)));
            if let Some(marker) = e["not_delivered"].as_str() {
                out.push_str(&format!("        {}\n", style.paint("33", &format!("⚠ kept on the ticket: {marker}"))));
            }
        }
    }
    out
}

/// The Twilio epilogue, told after the flagship story.
pub fn narrate_epilogue(report: &Report, colour: bool) -> String {
    let style = Style { on: colour };
    let display = Display::new(report.time_zone.as_deref());
    let mut out = format!(
        "\n{}\nThe same helpdesk on a Twilio number: the replies below are composed by the component and sent to a simulated Twilio that reads them with its own rules.\n",
        style.paint("1", "Epilogue: an attachment too large for Twilio, and a refusal kept on the ticket")
    );
    out.push_str(&steps(report, &style, &display));
    let verdict = if report.passed() {
        style.paint("32", "all expectations held")
    } else {
        style.paint("31", "EXPECTATIONS FAILED")
    };
    out.push_str(&format!("{} {verdict}\n", style.paint("1", "End:")));
    out
}

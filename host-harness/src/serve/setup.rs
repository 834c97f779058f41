//! What the server is started with, read at the CLI edge: the templates file (the contract's JSON of
//! the `template` record, as in `tests/fixtures/templates/`) and business hours written as
//! `mon-fri 09:00-17:00, sat 10:00-14:00`.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::bindings::exports::helpdesk::whatsapp::templates::{
    Button, ButtonKind, Header, HeaderFormat, ParameterFormat, Template, TemplateStatus,
};
use crate::bindings::exports::helpdesk::whatsapp::types::MessageCategory;
use crate::bindings::exports::helpdesk::whatsapp::window::{BusinessHours, LocalTime, OpeningSpan, Weekday};
use crate::sim::wit::WitName;

#[derive(Deserialize)]
struct TemplateJson {
    name: String,
    language: String,
    category: String,
    status: String,
    parameter_format: String,
    header: Option<HeaderJson>,
    body: String,
    footer: Option<String>,
    #[serde(default)]
    buttons: Vec<ButtonJson>,
    twilio_content_sid: Option<String>,
    namespace: Option<String>,
}

#[derive(Deserialize)]
struct HeaderJson {
    format: String,
    text: Option<String>,
}

#[derive(Deserialize)]
struct ButtonJson {
    kind: String,
    text: String,
    url: Option<String>,
    phone_number: Option<String>,
}

fn case<T: WitName>(name: &str, field: &str) -> Result<T, String> {
    T::from_wit_name(name).ok_or_else(|| format!("{field}: `{name}` is not a case of the WIT enum"))
}

/// One template from the contract's JSON.
pub fn template(v: &Value) -> Result<Template, String> {
    let t: TemplateJson = serde_json::from_value(v.clone()).map_err(|e| format!("template: {e}"))?;
    Ok(Template {
        category: case::<MessageCategory>(&t.category, "category")?,
        status: case::<TemplateStatus>(&t.status, "status")?,
        parameter_format: case::<ParameterFormat>(&t.parameter_format, "parameter_format")?,
        header: match t.header {
            Some(h) => Some(Header { format: case::<HeaderFormat>(&h.format, "header.format")?, text: h.text }),
            None => None,
        },
        buttons: t
            .buttons
            .into_iter()
            .map(|b| {
                Ok(Button {
                    kind: case::<ButtonKind>(&b.kind, "buttons.kind")?,
                    text: b.text,
                    url: b.url,
                    phone_number: b.phone_number,
                })
            })
            .collect::<Result<_, String>>()?,
        name: t.name,
        language: t.language,
        body: t.body,
        footer: t.footer,
        twilio_content_sid: t.twilio_content_sid,
        namespace: t.namespace,
    })
}

/// Templates from a file or a folder of files: each a template, `{"template": ...}`, a list, or
/// `{"templates": [...]}`.
pub fn templates(path: &Path) -> Result<Vec<Template>, String> {
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("read {}: {e}", path.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("read {}: {e}", file.display()))?;
        let json: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let items: Vec<&Value> = match (&json, &json["template"], &json["templates"]) {
            (Value::Array(list), _, _) => list.iter().collect(),
            (_, Value::Object(_), _) => vec![&json["template"]],
            (_, _, Value::Array(list)) => list.iter().collect(),
            _ => vec![&json],
        };
        for item in items {
            out.push(template(item).map_err(|e| format!("{}: {e}", file.display()))?);
        }
    }
    Ok(out)
}

fn weekday(s: &str) -> Result<Weekday, String> {
    Ok(match s.to_ascii_lowercase().get(..3).unwrap_or("") {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return Err(format!("`{s}` is not a weekday (mon, tue, ... sun)")),
    })
}

fn time(s: &str) -> Result<LocalTime, String> {
    let (h, m) = s.split_once(':').ok_or_else(|| format!("`{s}` is not HH:MM"))?;
    let hour = h.parse().map_err(|_| format!("`{s}` is not HH:MM"))?;
    let minute = m.parse().map_err(|_| format!("`{s}` is not HH:MM"))?;
    Ok(LocalTime { hour, minute })
}

/// `mon-fri 09:00-17:00, sat 10:00-14:00` as weekly opening spans (checked by the component).
pub fn business_hours(spec: &str) -> Result<BusinessHours, String> {
    const DAYS: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
    let mut weekly = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, hours) =
            part.split_once(' ').ok_or_else(|| format!("`{part}`: write days then hours, e.g. mon-fri 09:00-17:00"))?;
        let (first, last) = days.split_once('-').unwrap_or((days, days));
        let (first, last) = (weekday(first)?, weekday(last)?);
        let (opens, closes) = hours.trim().split_once('-').ok_or_else(|| format!("`{hours}` is not HH:MM-HH:MM"))?;
        let (opens, closes) = (time(opens)?, time(closes)?);
        let from = DAYS.iter().position(|d| *d == first).unwrap_or(0);
        let to = DAYS.iter().position(|d| *d == last).unwrap_or(6);
        for day in DAYS.iter().cycle().skip(from).take((to + 7 - from) % 7 + 1) {
            weekly.push(OpeningSpan { day: *day, opens, closes });
        }
    }
    Ok(BusinessHours { weekly, closed_dates: Vec::new() })
}

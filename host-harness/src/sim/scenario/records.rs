//! The scenario's JSON (the contract's JSON mapping: snake_case keys, WIT case names) as WIT records.

use serde_json::Value;

use crate::bindings::exports::helpdesk::whatsapp::{templates, window};
use crate::sim::wit::WitName;

fn get<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a Value, String> {
    v.get(key).filter(|f| !f.is_null()).ok_or_else(|| format!("{path}.{key}: missing"))
}

fn string(v: &Value, key: &str, path: &str) -> Result<String, String> {
    let f = get(v, key, path)?;
    f.as_str().map(str::to_string).ok_or_else(|| format!("{path}.{key}: expected a string, found {f}"))
}

fn opt_string(v: &Value, key: &str, path: &str) -> Result<Option<String>, String> {
    if v[key].is_null() { Ok(None) } else { string(v, key, path).map(Some) }
}

fn number<T: TryFrom<i64>>(v: &Value, key: &str, path: &str) -> Result<T, String> {
    let f = get(v, key, path)?;
    f.as_i64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{path}.{key}: {f} is not a whole number in range"))
}

fn float(v: &Value, key: &str, path: &str) -> Result<f64, String> {
    let f = get(v, key, path)?;
    f.as_f64().ok_or_else(|| format!("{path}.{key}: expected a number, found {f}"))
}

fn case<T: WitName>(v: &Value, key: &str, path: &str) -> Result<T, String> {
    let name = string(v, key, path)?;
    T::from_wit_name(&name).ok_or_else(|| format!("{path}.{key}: `{name}` is not a case of the WIT enum"))
}

fn list<T>(
    v: &Value,
    key: &str,
    path: &str,
    item: impl Fn(&Value, &str) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let f = get(v, key, path)?;
    let items = f.as_array().ok_or_else(|| format!("{path}.{key}: expected an array, found {f}"))?;
    items.iter().enumerate().map(|(i, x)| item(x, &format!("{path}.{key}[{i}]"))).collect()
}

fn opt<T>(
    v: &Value,
    key: &str,
    path: &str,
    item: impl Fn(&Value, &str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if v[key].is_null() { Ok(None) } else { item(&v[key], &format!("{path}.{key}")).map(Some) }
}

/// A scenario's template as the WIT `template` record (`provider_status` is the provider's side, not read here).
pub fn template_from_json(t: &Value, path: &str) -> Result<templates::Template, String> {
    Ok(templates::Template {
        name: string(t, "name", path)?,
        language: string(t, "language", path)?,
        category: case(t, "category", path)?,
        status: case(t, "status", path)?,
        parameter_format: case(t, "parameter_format", path)?,
        header: opt(t, "header", path, |h, p| {
            Ok(templates::Header { format: case(h, "format", p)?, text: opt_string(h, "text", p)? })
        })?,
        body: string(t, "body", path)?,
        footer: opt_string(t, "footer", path)?,
        buttons: list(t, "buttons", path, |b, p| {
            Ok(templates::Button {
                kind: case(b, "kind", p)?,
                text: string(b, "text", p)?,
                url: opt_string(b, "url", p)?,
                phone_number: opt_string(b, "phone_number", p)?,
            })
        })?,
        twilio_content_sid: opt_string(t, "twilio_content_sid", path)?,
        namespace: opt_string(t, "namespace", path)?,
    })
}

/// A template step's values as the WIT `template-values` record; none given is no values.
pub fn values_from_json(v: &Value, path: &str) -> Result<templates::TemplateValues, String> {
    let variable =
        |x: &Value, p: &str| Ok(templates::VariableValue { key: string(x, "key", p)?, value: string(x, "value", p)? });
    if v.is_null() {
        return Ok(templates::TemplateValues {
            body: Vec::new(),
            header_text: None,
            header_media: None,
            header_location: None,
            buttons: Vec::new(),
        });
    }
    Ok(templates::TemplateValues {
        body: list(v, "body", path, variable)?,
        header_text: opt(v, "header_text", path, variable)?,
        header_media: opt(v, "header_media", path, |m, p| {
            Ok(templates::Media {
                link: opt_string(m, "link", p)?,
                id: opt_string(m, "id", p)?,
                filename: opt_string(m, "filename", p)?,
                mime_type: opt_string(m, "mime_type", p)?,
            })
        })?,
        header_location: opt(v, "header_location", path, |l, p| {
            Ok(templates::HeaderLocation {
                latitude: float(l, "latitude", p)?,
                longitude: float(l, "longitude", p)?,
                name: opt_string(l, "name", p)?,
                address: opt_string(l, "address", p)?,
            })
        })?,
        buttons: list(v, "buttons", path, |b, p| {
            Ok(templates::ButtonValue { index: number(b, "index", p)?, value: string(b, "value", p)? })
        })?,
    })
}

/// The scenario's business hours as the WIT `business-hours` record.
pub fn business_hours_from_json(h: &Value, path: &str) -> Result<window::BusinessHours, String> {
    let time = |t: &Value, p: &str| -> Result<_, String> {
        Ok(window::LocalTime { hour: number(t, "hour", p)?, minute: number(t, "minute", p)? })
    };
    Ok(window::BusinessHours {
        weekly: list(h, "weekly", path, |s, p| {
            Ok(window::OpeningSpan {
                day: case(s, "day", p)?,
                opens: time(&s["opens"], p)?,
                closes: time(&s["closes"], p)?,
            })
        })?,
        closed_dates: list(h, "closed_dates", path, |d, p| {
            Ok(window::LocalDate {
                year: number(d, "year", p)?,
                month: number(d, "month", p)?,
                day: number(d, "day", p)?,
            })
        })?,
    })
}

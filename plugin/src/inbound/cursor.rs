//! Reading provider JSON while keeping the path, so a malformed payload error can name the exact field
//! (`entry[0].changes[0].value.messages[0].timestamp`) and not just a line and column.

use serde_json::Value;

use super::model::InboundError;
use crate::error::json_kind;
use crate::time::{Instant, check_instant};

static NULL: Value = Value::Null;

/// A place in a JSON document.
#[derive(Clone, Copy)]
pub struct Cursor<'a> {
    pub value: &'a Value,
    parent: Option<&'a Cursor<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Cursor<'a> {
    pub fn root(value: &'a Value) -> Self {
        Self { value, parent: None, step: Step::Root }
    }

    /// The path from the root, e.g. `entry[0].changes[1].field`.
    pub fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(c) = at {
            steps.push(c.step);
            at = c.parent;
        }
        let mut out = String::new();
        for step in steps.into_iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() { "body".into() } else { out }
    }

    pub fn malformed(&self, reason: impl Into<String>) -> InboundError {
        InboundError::malformed(self.path(), reason)
    }

    /// The member `key` (null when absent).
    pub fn get(&'a self, key: &'a str) -> Cursor<'a> {
        Cursor { value: self.value.get(key).unwrap_or(&NULL), parent: Some(self), step: Step::Key(key) }
    }

    pub fn is_present(&self) -> bool {
        !self.value.is_null()
    }

    /// The elements of an array member; absent means empty, anything else is malformed.
    pub fn items(&'a self) -> Result<Vec<Cursor<'a>>, InboundError> {
        match self.value {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Cursor { value, parent: Some(self), step: Step::Index(i) })
                .collect()),
            other => Err(self.malformed(format!("expected an array, found {}", json_kind(other)))),
        }
    }

    /// A string, or none when absent; numbers are accepted as their decimal text (ids, timestamps).
    pub fn opt_str(&self) -> Result<Option<String>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            // A number is read as its text (`7.99` for a price); `e164_strict` refuses a fraction or an exponent,
            // so `15551230001.0` never becomes a phone.
            Value::Number(n) => Ok(Some(n.to_string())),
            other => Err(self.malformed(format!("expected a string, found {}", json_kind(other)))),
        }
    }

    /// A string that must be there and not empty.
    pub fn req_str(&self) -> Result<String, InboundError> {
        match self.opt_str()? {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(self.malformed("must not be empty")),
            None => Err(self.malformed("missing")),
        }
    }

    /// A non-empty string or none (empty strings count as absent, as providers send them).
    pub fn opt_nonempty(&self) -> Result<Option<String>, InboundError> {
        Ok(self.opt_str()?.filter(|s| !s.is_empty()))
    }

    pub fn opt_bool(&self) -> Result<Option<bool>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            Value::Number(n) => Ok(Some(n.as_f64() != Some(0.0))),
            Value::String(s) if s == "true" || s == "1" => Ok(Some(true)),
            Value::String(s) if s == "false" || s == "0" => Ok(Some(false)),
            other => Err(self.malformed(format!("expected true or false, found {}", json_kind(other)))),
        }
    }

    pub fn opt_f64(&self) -> Result<Option<f64>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Number(n) => Ok(n.as_f64()),
            Value::String(s) => {
                s.trim().parse().map(Some).map_err(|_| self.malformed(format!("`{s}` is not a number")))
            }
            other => Err(self.malformed(format!("expected a number, found {}", json_kind(other)))),
        }
    }

    pub fn opt_u64(&self) -> Result<Option<u64>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Number(n) => {
                n.as_u64().map(Some).ok_or_else(|| self.malformed(format!("{n} is not a whole number")))
            }
            Value::String(s) => {
                s.trim().parse().map(Some).map_err(|_| self.malformed(format!("`{s}` is not a whole number")))
            }
            other => Err(self.malformed(format!("expected a whole number, found {}", json_kind(other)))),
        }
    }

    /// Unix seconds (as a number or a decimal string, as Meta sends them) as an instant.
    pub fn req_unix_seconds(&self) -> Result<Instant, InboundError> {
        let seconds = self.opt_u64()?.ok_or_else(|| self.malformed("missing"))?;
        let ms = i64::try_from(seconds).ok().and_then(|s| s.checked_mul(1000)).unwrap_or(i64::MAX);
        check_instant(&self.path(), ms).map_err(InboundError::MalformedPayload)
    }
}

/// Parse a body as JSON, or say why not.
pub fn parse(body: &[u8]) -> Result<Value, InboundError> {
    serde_json::from_slice(body).map_err(|e| InboundError::malformed("body", format!("not JSON: {e}")))
}

/// A number that is one: E.164, `+` (optional in the input) and 8 to 15 digits, the first not `0`
/// (no country code starts with 0; ITU-T E.164 allows at most 15 digits; 8 is this project's floor, the
/// rule issue 12 set), with spaces, `-` and parentheses allowed between digits as providers display them.
/// Anything else is not a phone number: `None`. A dot is refused too: a JSON number read as text
/// (`15551230001.0`) or a date (`2026.11.05`) must never become someone's phone.
pub fn e164_strict(number: &str) -> Option<String> {
    let rest = number.trim();
    let rest = rest.strip_prefix('+').unwrap_or(rest);
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')) {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_the_exact_field() {
        let doc = json!({"entry": [{"changes": [{"value": {"messages": [{"timestamp": "x"}]}}]}]});
        let root = Cursor::root(&doc);
        let entry = root.get("entry");
        let entries = entry.items().unwrap();
        let changes = entries[0].get("changes");
        let change = &changes.items().unwrap()[0];
        let value = change.get("value");
        let messages = value.get("messages");
        let message = &messages.items().unwrap()[0];
        let err = message.get("timestamp").req_unix_seconds().unwrap_err();
        assert_eq!(
            err,
            InboundError::malformed("entry[0].changes[0].value.messages[0].timestamp", "`x` is not a whole number")
        );
        assert_eq!(root.get("missing").req_str().unwrap_err(), InboundError::malformed("missing", "missing"));
        assert!(root.get("entry").opt_str().is_err());
    }

    #[test]
    fn strict_e164_takes_only_numbers_that_are_one() {
        assert_eq!(e164_strict("15550101234").as_deref(), Some("+15550101234"));
        assert_eq!(e164_strict("+1 555-010-1234").as_deref(), Some("+15550101234"));
        assert_eq!(e164_strict("+44 (20) 7946-0958").as_deref(), Some("+442079460958"));
        assert_eq!(e164_strict("15551230001.0"), None, "a JSON number with a fraction, read as text");
        assert_eq!(e164_strict("1.5551230001e10"), None);
        assert_eq!(e164_strict("2026.11.05"), None);
        assert_eq!(e164_strict("12345678").as_deref(), Some("+12345678"), "8 digits is the floor");
        assert_eq!(e164_strict("123456789012345").as_deref(), Some("+123456789012345"), "15 the ceiling");
        for not_one in ["1234567", "1234567890123456", "0155501012", "+1555abc0101", "", "+", "ODI555012345", "1-1"] {
            assert_eq!(e164_strict(not_one), None, "{not_one}");
        }
    }
}

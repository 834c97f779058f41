//! Reading provider JSON while keeping the path, so a malformed payload error can name the exact field
//! (`entry[0].changes[0].value.messages[0].timestamp`) and not just a line and column.
//!
//! The document is a borrowed tree (`serde_json_borrow`, parsed by serde_json): strings without escapes
//! point into the body and objects are vectors of pairs, so a webhook costs a few vectors instead of a
//! `String` per string and a `BTreeMap` per object (issue 15: that tree and its drop were 18% of a Meta
//! `normalize`, the allocator's share in a native profile).

use std::borrow::Cow;
use std::iter::Enumerate;
use std::slice::Iter;

pub use serde_json_borrow::Value;

use super::model::InboundError;
use crate::error::borrowed_json_kind as json_kind;
use crate::time::{Instant, MAX_INSTANT, MIN_INSTANT, check_instant};

static NULL: Value<'static> = Value::Null;

/// A place in a JSON document.
#[derive(Clone, Copy)]
pub struct Cursor<'a> {
    pub value: &'a Value<'a>,
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
    pub fn root(value: &'a Value<'a>) -> Self {
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

    /// The member `key` (null when absent). A key given twice counts once, its last value, as in
    /// serde_json's own map and in JavaScript's `JSON.parse`.
    pub fn get(&'a self, key: &'a str) -> Cursor<'a> {
        let value = match self.value {
            Value::Object(members) => members.as_vec().iter().rev().find(|(k, _)| **k == *key).map(|(_, v)| v),
            _ => None,
        };
        Cursor { value: value.unwrap_or(&NULL), parent: Some(self), step: Step::Key(key) }
    }

    pub fn is_present(&self) -> bool {
        !self.value.is_null()
    }

    /// The elements of an array member; absent means empty, anything else is malformed. An iterator, not
    /// a vector: every list of a webhook is walked once.
    pub fn items(&'a self) -> Result<Items<'a>, InboundError> {
        match self.value {
            Value::Null => Ok(Items::empty(self)),
            Value::Array(items) => Ok(Items { parent: self, items: items.iter().enumerate() }),
            other => Err(self.malformed(format!("expected an array, found {}", json_kind(other)))),
        }
    }

    /// A string, or none when absent; numbers are accepted as their decimal text (ids, timestamps).
    pub fn opt_str(&self) -> Result<Option<String>, InboundError> {
        Ok(self.opt_text()?.map(Cow::into_owned))
    }

    /// `opt_str` borrowed from the body where it can be, for text that is only looked at (a type, a
    /// field's name): no copy.
    pub fn opt_text(&self) -> Result<Option<Cow<'a, str>>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Str(s) => Ok(Some(Cow::Borrowed(s.as_ref()))),
            // A number is read as its text (`7.99` for a price); `e164_strict` refuses a fraction or an exponent,
            // so `15551230001.0` never becomes a phone.
            Value::Number(n) => Ok(Some(Cow::Owned(number_text(n)))),
            other => Err(self.malformed(format!("expected a string, found {}", json_kind(other)))),
        }
    }

    /// `req_str` borrowed, as `opt_text`.
    pub fn req_text(&self) -> Result<Cow<'a, str>, InboundError> {
        match self.opt_text()? {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(self.malformed("must not be empty")),
            None => Err(self.malformed("missing")),
        }
    }

    /// A string that must be there and not empty.
    pub fn req_str(&self) -> Result<String, InboundError> {
        self.req_text().map(Cow::into_owned)
    }

    /// A non-empty string or none (empty strings count as absent, as providers send them).
    pub fn opt_nonempty(&self) -> Result<Option<String>, InboundError> {
        Ok(self.opt_nonempty_text()?.map(Cow::into_owned))
    }

    /// `opt_nonempty` borrowed, as `opt_text`.
    pub fn opt_nonempty_text(&self) -> Result<Option<Cow<'a, str>>, InboundError> {
        Ok(self.opt_text()?.filter(|s| !s.is_empty()))
    }

    pub fn opt_bool(&self) -> Result<Option<bool>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            Value::Number(n) => Ok(Some(n.as_f64() != Some(0.0))),
            Value::Str(s) if s == "true" || s == "1" => Ok(Some(true)),
            Value::Str(s) if s == "false" || s == "0" => Ok(Some(false)),
            other => Err(self.malformed(format!("expected true or false, found {}", json_kind(other)))),
        }
    }

    pub fn opt_f64(&self) -> Result<Option<f64>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Number(n) => Ok(n.as_f64()),
            Value::Str(s) => s.trim().parse().map(Some).map_err(|_| self.malformed(format!("`{s}` is not a number"))),
            other => Err(self.malformed(format!("expected a number, found {}", json_kind(other)))),
        }
    }

    pub fn opt_u64(&self) -> Result<Option<u64>, InboundError> {
        match self.value {
            Value::Null => Ok(None),
            Value::Number(n) => {
                n.as_u64().map(Some).ok_or_else(|| self.malformed(format!("{} is not a whole number", number_text(n))))
            }
            Value::Str(s) => {
                s.trim().parse().map(Some).map_err(|_| self.malformed(format!("`{s}` is not a whole number")))
            }
            other => Err(self.malformed(format!("expected a whole number, found {}", json_kind(other)))),
        }
    }

    /// Unix seconds (as a number or a decimal string, as Meta sends them) as an instant.
    pub fn req_unix_seconds(&self) -> Result<Instant, InboundError> {
        let seconds = self.opt_u64()?.ok_or_else(|| self.malformed("missing"))?;
        let ms = i64::try_from(seconds).ok().and_then(|s| s.checked_mul(1000)).unwrap_or(i64::MAX);
        // The path is built only for the error: every message and status has a timestamp.
        if (MIN_INSTANT..=MAX_INSTANT).contains(&ms) {
            return Ok(ms);
        }
        check_instant(&self.path(), ms).map_err(InboundError::MalformedPayload)
    }
}

/// The elements of an array, each a cursor whose path ends in `[i]`.
pub struct Items<'a> {
    parent: &'a Cursor<'a>,
    items: Enumerate<Iter<'a, Value<'a>>>,
}

impl<'a> Items<'a> {
    /// No elements (an absent list, or one already reported as unreadable).
    pub fn empty(parent: &'a Cursor<'a>) -> Self {
        Self { parent, items: [].iter().enumerate() }
    }

    /// The first element, if any.
    pub fn first(mut self) -> Option<Cursor<'a>> {
        self.next()
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Cursor<'a>;

    fn next(&mut self) -> Option<Cursor<'a>> {
        let (i, value) = self.items.next()?;
        Some(Cursor { value, parent: Some(self.parent), step: Step::Index(i) })
    }
}

/// A JSON number as the text serde_json would print for it (`1795000000`, `-3`, `7.99`): integers
/// exactly, fractions through serde_json's shortest round-trip printer, not core's float formatting
/// (about 17 KB of wasm, see `crate::decimal`).
pub fn number_text(n: &serde_json_borrow::Number) -> String {
    if let Some(u) = n.as_u64() {
        u.to_string()
    } else if let Some(i) = n.as_i64() {
        i.to_string()
    } else {
        // A parsed number is finite, so `from_f64` always gives one.
        n.as_f64().and_then(serde_json::Number::from_f64).map(|f| f.to_string()).unwrap_or_default()
    }
}

/// Parse a body as JSON, or say why not; `.get_value()` is the tree.
///
/// Through `OwnedValue::from_string`, not `serde_json::from_slice` here: the parser's generic code is then
/// instantiated inside serde_json_borrow, which the release profile builds at opt-level 3, instead of in
/// this crate at "z" (a signed Meta webhook: 177k → 160k instructions for about 4 KB; BENCHMARKS.md,
/// issue 15). The copy of the body it keeps costs less than serde_json's per-string UTF-8 checks it saves.
pub fn parse(body: &[u8]) -> Result<serde_json_borrow::OwnedValue, InboundError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| InboundError::malformed("body", format!("not JSON: not UTF-8 text (byte {})", e.valid_up_to())))?;
    serde_json_borrow::OwnedValue::from_string(text.to_owned())
        .map_err(|e| InboundError::malformed("body", format!("not JSON: {e}")))
}

/// A number that is one: E.164, `+` (optional in the input) and 8 to 15 digits, the first not `0`
/// (no country code starts with 0; ITU-T E.164 allows at most 15 digits; 8 is this project's floor, the
/// rule issue 12 set), with spaces, `-` and parentheses allowed between digits as providers display them.
/// Anything else is not a phone number: `None`. A dot is refused too: a JSON number read as text
/// (`15551230001.0`) or a date (`2026.11.05`) must never become someone's phone.
pub fn e164_strict(number: &str) -> Option<String> {
    let rest = number.trim();
    let rest = rest.strip_prefix('+').unwrap_or(rest);
    // Checked in one pass over the bytes, then copied once: called for every party of every webhook,
    // and providers send bare digits, which go over whole.
    let (mut digits, mut separators) = (0usize, false);
    let mut first = None;
    for b in rest.bytes() {
        match b {
            b'0'..=b'9' => {
                first = first.or(Some(b));
                digits += 1;
            }
            b' ' | b'-' | b'(' | b')' => separators = true,
            _ => return None,
        }
    }
    if !(8..=15).contains(&digits) || first == Some(b'0') {
        return None;
    }
    let mut out = String::with_capacity(digits + 1);
    out.push('+');
    if separators {
        out.extend(rest.chars().filter(char::is_ascii_digit));
    } else {
        out.push_str(rest);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_exact_field() {
        let text = r#"{"entry": [{"changes": [{"value": {"messages": [{"timestamp": "x"}]}}]}]}"#;
        let doc = parse(text.as_bytes()).unwrap();
        let root = Cursor::root(doc.get_value());
        let entry = root.get("entry");
        let first_entry = entry.items().unwrap().first().unwrap();
        let changes = first_entry.get("changes");
        let change = changes.items().unwrap().first().unwrap();
        let value = change.get("value");
        let messages = value.get("messages");
        let message = messages.items().unwrap().first().unwrap();
        let err = message.get("timestamp").req_unix_seconds().unwrap_err();
        assert_eq!(
            err,
            InboundError::malformed("entry[0].changes[0].value.messages[0].timestamp", "`x` is not a whole number")
        );
        assert_eq!(root.get("missing").req_str().unwrap_err(), InboundError::malformed("missing", "missing"));
        assert!(root.get("entry").opt_str().is_err());
    }

    #[test]
    fn escapes_numbers_and_repeated_keys_read_as_serde_json_reads_them() {
        let text = r#"{"t\u0065xt": "a\"b\u00e9", "n": 7.99, "big": 18446744073709551615, "neg": -3,
            "e": 1e3, "k": "first", "k": "last", "not": [1]}"#;
        let doc = parse(text.as_bytes()).unwrap();
        let root = Cursor::root(doc.get_value());
        assert_eq!(root.get("text").req_str().unwrap(), "a\"b\u{e9}", "an escaped key and value");
        assert_eq!(root.get("n").req_str().unwrap(), "7.99");
        assert_eq!(root.get("big").req_str().unwrap(), "18446744073709551615");
        assert_eq!(root.get("neg").req_str().unwrap(), "-3");
        assert_eq!(root.get("e").req_str().unwrap(), "1000.0");
        assert_eq!(root.get("k").req_str().unwrap(), "last", "the last of a repeated key, as serde_json's map");
        assert_eq!(root.get("n").opt_u64().unwrap_err(), InboundError::malformed("n", "7.99 is not a whole number"));
        assert_eq!(root.get("not").get("deeper").opt_str().unwrap(), None, "a member of a non-object is absent");
        assert!(parse(b"{\"a\": 1,}").is_err());
        assert_eq!(
            parse(b"{\"a\": \"\xff\"}").unwrap_err(),
            InboundError::malformed("body", "not JSON: not UTF-8 text (byte 7)")
        );
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

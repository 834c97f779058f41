//! `json`: the door for dynamic hosts, every export called with JSON text in and out.
//!
//! This file holds the mapping's generic half (README.md, "JSON mapping"): the `FromJson`/`ToJson`
//! traits, their impls for WIT's built-in types (numbers, strings, `list`, `option`, `result`, tuples)
//! and the helpers the generated code calls. `plugin/build.rs` writes the other half from `wit/` (one
//! impl per record, variant and enum, and `dispatch`, which calls the typed exports' own `Guest`
//! impls), included at the end of this file.

use std::borrow::Cow;
use std::fmt::Write;

use serde_json_borrow::{OwnedValue, Value};

use super::Plugin;
use super::exports::helpdesk::whatsapp::json::{self as wj, JsonError};
use super::exports::helpdesk::whatsapp::types::InvalidInput;

impl wj::Guest for Plugin {
    fn call(interface: String, function: String, arguments: String) -> Result<String, JsonError> {
        // A borrowed tree: strings without escapes point into `arguments`, objects are vectors in
        // document order; parsed inside serde_json_borrow, built at opt-level 3 (Cargo.toml), not here
        // at "z". serde_json's `Value` cost an allocation per key and string and a BTreeMap per object.
        let answer = OwnedValue::from_string(arguments)
            .map_err(|e| JsonError::NotJson(e.to_string()))
            .and_then(|arguments| dispatch(&interface, &kebab(&function), arguments.get_value()));
        // Last: `dispatch` runs the typed exports, which register their own post-returns.
        super::free_after_return(wj::__post_return_call::<Plugin>);
        answer
    }
}

/// A refused argument: the JSON path of the value and what is wrong with it.
type Bad = InvalidInput;

impl From<Bad> for JsonError {
    fn from(bad: Bad) -> Self {
        JsonError::BadArguments(bad)
    }
}

/// Where a value sits in the arguments, built on the stack as the readers descend and rendered only
/// for an error: `webhook.headers[2].name`.
pub(super) enum Path<'a> {
    /// A parameter, by its snake_case name.
    Param(&'a str),
    /// A record field or variant case below `.0`.
    Field(&'a Path<'a>, &'a str),
    /// A list or tuple item below `.0`.
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self, out: &mut String) {
        match self {
            Path::Param(name) => out.push_str(name),
            Path::Field(parent, name) => {
                parent.render(out);
                out.push('.');
                out.push_str(name);
            }
            Path::Index(parent, i) => {
                parent.render(out);
                let _ = write!(out, "[{i}]");
            }
        }
    }
}

fn bad(path: &Path<'_>, reason: String) -> Bad {
    let mut field = String::new();
    path.render(&mut field);
    InvalidInput { field, reason }
}

/// A value as it appears in an error: compact JSON, cut after 120 characters (a refused body can be
/// megabytes).
fn shown(v: &Value<'_>) -> String {
    let mut text = String::new();
    write_value(v, &mut text);
    if let Some((cut, _)) = text.char_indices().nth(120) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// `v` as compact JSON, keys in document order. Not through `Value`'s `Display`, which converts to a
/// `serde_json::Value` first and costs the component about 20 KB (a BTreeMap built from a sorted vector).
fn write_value(v: &Value<'_>, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => b.to_json(out),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.to_json(out),
            (None, Some(i), _) => i.to_json(out),
            (None, None, f) => f.unwrap_or(f64::NAN).to_json(out),
        },
        Value::Str(s) => s.as_ref().to_json(out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                key.to_json(out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

fn wrong(v: &Value, expected: &str, path: &Path<'_>) -> Bad {
    bad(path, format!("expected {expected}, found {}", shown(v)))
}

fn one_of(names: &[&str]) -> String {
    format!("one of {}", names.join(", "))
}

/// `verify_signature` → `verify-signature`; borrowed when there is nothing to change.
fn kebab(name: &str) -> Cow<'_, str> {
    if name.contains('_') { Cow::Owned(name.replace('_', "-")) } else { Cow::Borrowed(name) }
}

/// Whether `key` names the snake_case field `field`, spelled snake_case or kebab-case.
fn same_name(field: &str, key: &str) -> bool {
    field.len() == key.len() && field.bytes().zip(key.bytes()).all(|(f, k)| f == k || (f == b'_' && k == b'-'))
}

/// A WIT value read from JSON.
pub(super) trait FromJson: Sized {
    /// `v` as this type; errors name `path`.
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad>;

    /// What an absent record field or parameter is: `none` for an `option`, an error otherwise.
    fn absent() -> Option<Self> {
        None
    }

    /// A `list<Self>`: an array (`list<u8>` also takes a string, see `u8`).
    fn list_from_json(v: &Value, path: &Path<'_>) -> Result<Vec<Self>, Bad> {
        let Some(items) = v.as_array() else { return Err(wrong(v, "an array", path)) };
        items.iter().enumerate().map(|(i, item)| Self::from_json(item, &Path::Index(path, i))).collect()
    }
}

/// A WIT value written as compact JSON.
pub(super) trait ToJson {
    /// Appends this value's JSON to `out`.
    fn to_json(&self, out: &mut String);

    /// A `list<Self>`: an array.
    fn list_to_json(items: &[Self], out: &mut String)
    where
        Self: Sized,
    {
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.to_json(out);
        }
        out.push(']');
    }
}

fn to_string<T: ToJson>(value: &T) -> String {
    let mut out = String::with_capacity(1024);
    value.to_json(&mut out);
    out
}

// ---- the helpers the generated code calls ----

/// The arguments object, its values in parameter order.
struct Arguments<'v, 'j> {
    slots: Vec<Option<&'v Value<'j>>>,
    names: &'static [&'static str],
}

impl<'v, 'j> Arguments<'v, 'j> {
    /// `arguments` against the parameter names (snake_case); an unknown key is refused, a key given
    /// twice in the same spelling is read from its last value (as a JSON object is read into a map).
    fn read(arguments: &'v Value<'j>, names: &'static [&'static str]) -> Result<Self, JsonError> {
        let Some(object) = arguments.as_object() else {
            return Err(JsonError::NotJson(format!(
                "the arguments must be a JSON object keyed by parameter name, found {}",
                shown(arguments)
            )));
        };
        let mut slots = vec![None; names.len()];
        for (n, (key, value)) in object.iter().enumerate() {
            let Some(i) = names.iter().position(|n| same_name(n, key)) else {
                let reason = format!("unknown parameter; the parameters are {}", names.join(", "));
                return Err(JsonError::BadArguments(InvalidInput { field: key.to_string(), reason }));
            };
            if slots[i].replace(value).is_some() && !object.iter().take(n).any(|(k, _)| k == key) {
                return Err(bad(&Path::Param(names[i]), "given twice (snake_case and kebab-case)".into()).into());
            }
        }
        Ok(Self { slots, names })
    }

    /// Parameter `i` as its type.
    fn take<T: FromJson>(&self, i: usize) -> Result<T, Bad> {
        let path = Path::Param(self.names[i]);
        match self.slots[i] {
            Some(v) => T::from_json(v, &path),
            None => T::absent().ok_or_else(|| bad(&path, "missing".into())),
        }
    }
}

/// A record's object split into `slots` in field order; an unknown key is refused, a key given twice
/// in the same spelling is read from its last value (as a JSON object is read into a map).
fn read_fields<'v, 'j>(
    v: &'v Value<'j>,
    fields: &[&str],
    slots: &mut [Option<&'v Value<'j>>],
    path: &Path<'_>,
) -> Result<(), Bad> {
    let Some(object) = v.as_object() else { return Err(wrong(v, "an object", path)) };
    for (n, (key, value)) in object.iter().enumerate() {
        let Some(i) = fields.iter().position(|f| same_name(f, key)) else {
            return Err(bad(path, format!("unknown field `{key}`; the fields are {}", fields.join(", "))));
        };
        // Rare: only a field already seen looks back for the spelling it was given in.
        if slots[i].replace(value).is_some() && !object.iter().take(n).any(|(k, _)| k == key) {
            return Err(bad(&Path::Field(path, fields[i]), "given twice (snake_case and kebab-case)".into()));
        }
    }
    Ok(())
}

/// Record field `name` from its slot.
fn field<T: FromJson>(slot: Option<&Value>, name: &str, parent: &Path<'_>) -> Result<T, Bad> {
    let path = Path::Field(parent, name);
    match slot {
        Some(v) => T::from_json(v, &path),
        None => T::absent().ok_or_else(|| bad(&path, "missing".into())),
    }
}

/// An enum's case name, kebab-case (snake_case accepted).
fn enum_case<'v>(v: &'v Value<'_>, cases: &[&str], path: &Path<'_>) -> Result<Cow<'v, str>, Bad> {
    v.as_str().map(kebab).ok_or_else(|| wrong(v, &one_of(cases), path))
}

/// A variant's case name and payload: `"case"` or `{"case": payload}`.
fn variant_case<'v, 'j>(v: &'v Value<'j>, path: &Path<'_>) -> Result<(Cow<'v, str>, Option<&'v Value<'j>>), Bad> {
    match v {
        Value::Str(s) => Ok((kebab(s), None)),
        Value::Object(o) if o.len() == 1 => {
            let (k, payload) = o.iter().next().ok_or_else(|| wrong(v, "one case", path))?;
            Ok((kebab(k), Some(payload)))
        }
        _ => Err(wrong(v, "a case name, or an object with one case name as key", path)),
    }
}

fn not_a_case(name: &str, cases: &[&str], path: &Path<'_>) -> Bad {
    bad(path, format!("`{name}` is not {}", one_of(cases)))
}

/// A case's payload, read at `path.case`.
fn payload<T: FromJson>(payload: Option<&Value>, case: &str, path: &Path<'_>) -> Result<T, Bad> {
    match payload {
        Some(v) => T::from_json(v, &Path::Field(path, case)),
        None => Err(bad(path, format!("case `{case}` needs a value: {{\"{case}\": ...}}"))),
    }
}

/// A case without payload: `"case"` or `{"case": null}`.
fn no_payload(payload: Option<&Value>, case: &str, path: &Path<'_>) -> Result<(), Bad> {
    match payload {
        None | Some(Value::Null) => Ok(()),
        Some(_) => Err(bad(path, format!("case `{case}` takes no value"))),
    }
}

fn unknown_function(interface: &str, function: &str, functions: &[&str]) -> JsonError {
    JsonError::UnknownFunction(format!("{interface}.{function}; the functions are {}", functions.join(", ")))
}

// ---- WIT's built-in types ----

impl FromJson for bool {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        v.as_bool().ok_or_else(|| wrong(v, "true or false", path))
    }
}

impl ToJson for bool {
    fn to_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// A whole number in the type's range.
fn int<T: TryFrom<i64> + TryFrom<u64>>(v: &Value, path: &Path<'_>) -> Result<T, Bad> {
    let out_of_range = || bad(path, format!("{} is not a whole number in range", shown(v)));
    match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => T::try_from(u).map_err(|_| out_of_range()),
            (None, Some(i)) => T::try_from(i).map_err(|_| out_of_range()),
            _ => Err(out_of_range()),
        },
        _ => Err(wrong(v, "a number", path)),
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}
integers!(u8, u16, u32, u64, i8, i16, i32, i64);

macro_rules! plain_integers {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
                int(v, path)
            }
        }
    )*};
}
plain_integers!(u16, u32, u64, i8, i16, i32);

/// `u8`, and `list<u8>` from a string's UTF-8 bytes as well as from an array: a host passes a webhook
/// body as the text it received, without an array of thousands of numbers.
impl FromJson for u8 {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        int(v, path)
    }

    fn list_from_json(v: &Value, path: &Path<'_>) -> Result<Vec<Self>, Bad> {
        match v {
            Value::Str(s) => Ok(s.as_bytes().to_vec()),
            Value::Array(items) => items.iter().enumerate().map(|(i, item)| int(item, &Path::Index(path, i))).collect(),
            _ => Err(wrong(v, "a string (its UTF-8 bytes) or an array of bytes", path)),
        }
    }
}

/// `s64`, every `instant` and `duration`: a number, or an RFC 3339 time read as epoch milliseconds.
impl FromJson for i64 {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        match v {
            Value::Str(s) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| t.timestamp_millis())
                .map_err(|_| wrong(v, "epoch milliseconds or an RFC 3339 time", path)),
            _ => int(v, path),
        }
    }
}

impl FromJson for f64 {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        v.as_f64().ok_or_else(|| wrong(v, "a number", path))
    }
}

/// As serde_json writes a number; NaN and infinities, which JSON cannot carry, as `null`.
impl ToJson for f64 {
    fn to_json(&self, out: &mut String) {
        match serde_json::Number::from_f64(*self) {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        }
    }
}

impl FromJson for f32 {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        f64::from_json(v, path).map(|f| f as f32)
    }
}

impl ToJson for f32 {
    fn to_json(&self, out: &mut String) {
        f64::from(*self).to_json(out);
    }
}

impl FromJson for char {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        let mut chars = v.as_str().map(str::chars);
        match (chars.as_mut().and_then(Iterator::next), chars.as_mut().and_then(Iterator::next)) {
            (Some(c), None) => Ok(c),
            _ => Err(wrong(v, "a one-character string", path)),
        }
    }
}

impl ToJson for char {
    fn to_json(&self, out: &mut String) {
        self.to_string().as_str().to_json(out);
    }
}

impl FromJson for String {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        v.as_str().map(str::to_string).ok_or_else(|| wrong(v, "a string", path))
    }
}

impl ToJson for String {
    fn to_json(&self, out: &mut String) {
        self.as_str().to_json(out);
    }
}

/// A JSON string literal, escaped as serde_json escapes (`crate::json_text`).
impl ToJson for str {
    fn to_json(&self, out: &mut String) {
        crate::json_text::push_json_str(out, self);
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        T::list_from_json(v, path)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, out: &mut String) {
        T::list_to_json(self, out);
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        match v {
            Value::Null => Ok(None),
            v => T::from_json(v, path).map(Some),
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self, out: &mut String) {
        match self {
            Some(v) => v.to_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: FromJson, E: FromJson> FromJson for Result<T, E> {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
        let expected = "{\"ok\": ...} or {\"error\": ...}";
        match v.as_object().filter(|o| o.len() == 1) {
            Some(o) => match (o.get("ok"), o.get("error")) {
                (Some(ok), _) => T::from_json(ok, &Path::Field(path, "ok")).map(Ok),
                (_, Some(error)) => E::from_json(error, &Path::Field(path, "error")).map(Err),
                _ => Err(wrong(v, expected, path)),
            },
            None => Err(wrong(v, expected, path)),
        }
    }
}

impl<T: ToJson, E: ToJson> ToJson for Result<T, E> {
    fn to_json(&self, out: &mut String) {
        match self {
            Ok(v) => {
                out.push_str("{\"ok\":");
                v.to_json(out);
            }
            Err(e) => {
                out.push_str("{\"error\":");
                e.to_json(out);
            }
        }
        out.push('}');
    }
}

/// The missing side of a `result<_, e>` or `result<t>`: any value is taken, `null` written.
impl FromJson for () {
    fn from_json(_: &Value, _: &Path<'_>) -> Result<Self, Bad> {
        Ok(())
    }
}

impl ToJson for () {
    fn to_json(&self, out: &mut String) {
        out.push_str("null");
    }
}

macro_rules! tuples {
    ($(($n:literal; $($t:ident $i:tt),+)),*) => {$(
        impl<$($t: FromJson),+> FromJson for ($($t,)+) {
            fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, Bad> {
                match v.as_array() {
                    Some(items) if items.len() == $n => {
                        Ok(($($t::from_json(&items[$i], &Path::Index(path, $i))?,)+))
                    }
                    _ => Err(wrong(v, concat!("an array of ", $n), path)),
                }
            }
        }
        impl<$($t: ToJson),+> ToJson for ($($t,)+) {
            fn to_json(&self, out: &mut String) {
                out.push('[');
                $(
                    if $i > 0 { out.push(','); }
                    self.$i.to_json(out);
                )+
                out.push(']');
            }
        }
    )*};
}
tuples!((2; A 0, B 1), (3; A 0, B 1, C 2));

include!(concat!(env!("OUT_DIR"), "/json_door.rs"));

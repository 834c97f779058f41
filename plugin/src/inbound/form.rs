//! A form-encoded body (`application/x-www-form-urlencoded`, what Twilio posts), decoded once per
//! webhook and shared by the signature check and the parser. Names and values borrow from the body
//! unless they hold `+` or `%` escapes (form_urlencoded decodes those into owned text).

use std::borrow::Cow;

use super::model::InboundError;

/// The posted parameters, in order.
pub struct Form<'a>(pub Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Form<'a> {
    pub fn parse(body: &'a [u8]) -> Self {
        if body.is_empty() {
            // What `normalize` passes for the JSON providers: nothing to decode, nothing to allocate.
            return Self(Vec::new());
        }
        // Sized from the separators: no regrowth while decoding (Twilio posts 15 to 30 parameters).
        let mut pairs = Vec::with_capacity(body.iter().filter(|&&b| b == b'&').count() + 1);
        pairs.extend(form_urlencoded::parse(body));
        Self(pairs)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first value of `name`; an empty value counts as absent, as Twilio sends empty parameters.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_ref()).filter(|v| !v.is_empty())
    }

    pub fn owned(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    pub fn required(&self, name: &str) -> Result<&str, InboundError> {
        self.get(name).ok_or_else(|| InboundError::malformed(name, "missing"))
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, InboundError> {
        self.get(name)
            .map(|v| v.trim().parse().map_err(|_| InboundError::malformed(name, format!("`{v}` is not a number"))))
            .transpose()
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("true" | "True" | "1"))
    }
}

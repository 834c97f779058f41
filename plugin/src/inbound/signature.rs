//! Webhook signatures, compared in constant time.
//! - Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
//! - Twilio: `X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each POST parameter's name and
//!   value, sorted by name))`; for JSON bodies the URL carries `bodySHA256=<hex sha256(body)>` and
//!   only the URL is signed. Which URL variants are tried, and how parameters are sorted, follows
//!   Twilio's own validators exactly (see `url_variants` and `signed_params`), so a webhook is accepted
//!   precisely when they accept it.
//! - 1msg: signs nothing. Our convention: the helpdesk registers its webhook URL with a random
//!   per-channel `hook_token` query parameter and passes that token as the secret; the plugin
//!   compares them in constant time.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::form::Form;
use super::model::{InboundError, Provider, SignatureOk, SignatureScheme, Webhook};

pub const META_HEADER: &str = "X-Hub-Signature-256";
pub const TWILIO_HEADER: &str = "X-Twilio-Signature";
/// The query parameter that carries 1msg's shared token.
pub const ONE_MSG_TOKEN_PARAM: &str = "hook_token";

/// Verify a webhook's signature with the provider's scheme.
pub fn verify(webhook: &Webhook, secret: &str) -> Result<SignatureOk, InboundError> {
    let form = Form::parse(if webhook.provider == Provider::Twilio { &webhook.body } else { &[] });
    verify_parsed(webhook, secret, &form)
}

/// `verify` with a Twilio body already decoded (`form`; ignored for the other providers), so that
/// `normalize` decodes it once.
pub(super) fn verify_parsed(webhook: &Webhook, secret: &str, form: &Form) -> Result<SignatureOk, InboundError> {
    match webhook.provider {
        Provider::MetaCloud => meta(webhook, secret),
        Provider::Twilio => twilio(webhook, secret, form),
        Provider::OneMsg => one_msg(webhook, secret),
    }
}

fn equal(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

fn meta(webhook: &Webhook, secret: &str) -> Result<SignatureOk, InboundError> {
    let header = webhook.header(META_HEADER).ok_or_else(|| InboundError::MissingSignature(META_HEADER.into()))?;
    let Some(given) = header.trim().strip_prefix("sha256=") else {
        return Err(InboundError::BadSignature(format!("{META_HEADER} must be `sha256=<hex>`")));
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|_| InboundError::BadSignature("the app secret cannot key HMAC-SHA256".into()))?;
    mac.update(&webhook.body);
    // The given hex decoded (either case) and the tags compared in constant time by `verify_slice`: no
    // hex text of our own, no allocation, on the path every Meta webhook takes.
    let mut tag = [0u8; 32];
    if unhex(given.as_bytes(), &mut tag) && mac.verify_slice(&tag).is_ok() {
        Ok(SignatureOk { scheme: SignatureScheme::MetaHubSha256, matched_url: None })
    } else {
        Err(InboundError::BadSignature(format!(
            "{META_HEADER} does not match the body and app secret (was the body changed, or is it another app's secret?)"
        )))
    }
}

fn twilio(webhook: &Webhook, secret: &str, form: &Form) -> Result<SignatureOk, InboundError> {
    let given =
        webhook.header(TWILIO_HEADER).ok_or_else(|| InboundError::MissingSignature(TWILIO_HEADER.into()))?.trim();
    let body_sha = query_param(&webhook.url, "bodySHA256");
    let signed_params = match body_sha {
        Some(_) => Vec::new(),
        None => signed_params(form),
    };
    let keyed = Hmac::<Sha1>::new_from_slice(secret.as_bytes())
        .map_err(|_| InboundError::BadSignature("the auth token cannot key HMAC-SHA1".into()))?;
    // The URL as given first (what Twilio signs when the helpdesk configured it as it arrives); the
    // variant with or without the port only when that fails.
    let mut url = webhook.url.clone();
    let mut other = Some(());
    loop {
        let mut mac = keyed.clone();
        mac.update(url.as_bytes());
        for piece in &signed_params {
            mac.update(piece.as_bytes());
        }
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        if equal(expected.as_bytes(), given.as_bytes()) {
            let scheme = match &body_sha {
                None => SignatureScheme::TwilioForm,
                Some(claimed) => {
                    let actual = hex(&Sha256::digest(&webhook.body));
                    // Compared as given: the libraries compare the lowercase hex digest exactly.
                    if !equal(actual.as_bytes(), claimed.as_bytes()) {
                        return Err(InboundError::BadSignature(
                            "the URL's bodySHA256 does not match the body: the body was changed".into(),
                        ));
                    }
                    SignatureScheme::TwilioBodySha256
                }
            };
            return Ok(SignatureOk { scheme, matched_url: Some(url) });
        }
        match other.take().and_then(|()| other_url_variant(&webhook.url)) {
            Some(variant) => url = variant,
            None => break,
        }
    }
    Err(InboundError::BadSignature(format!(
        "{TWILIO_HEADER} does not match: check the auth token, and that the URL is exactly the one configured at \
         Twilio (scheme, host, path and query; a proxy may have rewritten it)"
    )))
}

fn one_msg(webhook: &Webhook, secret: &str) -> Result<SignatureOk, InboundError> {
    let Some(token) = query_param(&webhook.url, ONE_MSG_TOKEN_PARAM) else {
        return Err(InboundError::MissingSignature(format!(
            "the `{ONE_MSG_TOKEN_PARAM}` query parameter of the webhook URL (1msg signs nothing; register the URL with it)"
        )));
    };
    if equal(token.as_bytes(), secret.as_bytes()) {
        Ok(SignatureOk { scheme: SignatureScheme::OneMsgToken, matched_url: None })
    } else {
        Err(InboundError::BadSignature(format!(
            "the webhook URL's `{ONE_MSG_TOKEN_PARAM}` does not match this channel's token"
        )))
    }
}

/// The form parameters as Twilio signs them: each name followed by its value, sorted by name and
/// then value, a repeated identical name=value pair counted once (twilio-python 9.13.0
/// `compute_signature` iterates `sorted(set(values))`; twilio-node 6.3.1 `toFormUrlEncodedParam`
/// sorts a `Set` of the values). Names and values are compared by code point (= UTF-8 byte order).
///
/// The pieces (name, value, name, value…) are fed to the MAC one by one: no concatenated copy.
fn signed_params<'a>(form: &'a Form) -> Vec<&'a str> {
    let mut params: Vec<(&str, &str)> = form.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    crate::sort::sort_by(&mut params, |a, b| a.cmp(b));
    params.dedup();
    let mut pieces = Vec::with_capacity(params.len() * 2);
    for (k, v) in params {
        pieces.extend([k, v]);
    }
    pieces
}

/// The URLs Twilio's validators check a signature against, exactly (read in twilio-python 9.13.0
/// `RequestValidator.validate`, `remove_port`, `add_port`; the same in twilio-node 6.3.1
/// `validateRequest`, `removePort`, `addPort`):
/// - the URL with any port removed, the default or another (`https://h:8443/p` → `https://h/p`);
/// - the URL with a port: as given; without one: with the scheme's default port added,
///   `:443` for `https`, `:80` for any other scheme (`https://h/p` → `https://h:443/p`).
///
/// So a URL without a port matches a signature over itself or over it with the default port; a URL
/// with a port matches one over itself or over it without the port, never over another port
/// (`:8443` given, `:443` signed is refused). Path and query are kept byte for byte.
///
/// The authority is split as twilio-node does: user info up to the last `@` is kept, and a port
/// colon is only one after an IPv6 literal's `]` (twilio-python 9.13.0 cuts the authority at its
/// first colon, which mangles those two rare forms; we do not reproduce that). Not reproduced either:
/// twilio-python re-serialises the URL (lower-case scheme, a trailing empty `?` or `#` dropped), and
/// twilio-node's fallback also tries the WHATWG-normalised URL and a re-encoded query; Twilio signs the
/// URL as configured, which these two variants cover. A URL without `scheme://` is tried as given only.
#[cfg(test)]
fn url_variants(url: &str) -> Vec<String> {
    std::iter::once(url.to_string()).chain(other_url_variant(url)).collect()
}

/// The second of `url_variants`, when there is one.
fn other_url_variant(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://").filter(|(scheme, _)| is_scheme(scheme))?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let user_info_end = authority.rfind('@').map_or(0, |i| i + 1);
    let (user_info, host_port) = authority.split_at(user_info_end);
    let after_ipv6 = host_port.rfind(']').map_or(0, |i| i + 1);
    let port_colon = host_port.get(after_ipv6..).and_then(|s| s.find(':')).map(|i| i + after_ipv6);
    match port_colon {
        Some(i) => {
            let host = host_port.get(..i).unwrap_or(host_port);
            Some(format!("{scheme}://{user_info}{host}{tail}"))
        }
        None => {
            let default_port = if scheme.eq_ignore_ascii_case("https") { "443" } else { "80" };
            Some(format!("{scheme}://{user_info}{host_port}:{default_port}{tail}"))
        }
    }
}

/// RFC 3986 `scheme`: a letter, then letters, digits, `+`, `-` or `.` (so a `://` inside a
/// scheme-less URL's query is not taken for one).
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// A query parameter's decoded value (the first of that name; the query ends at any `#`).
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

pub fn hex(bytes: &[u8]) -> String {
    let mut out = vec![0; bytes.len() * 2];
    hex_into(bytes, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `out` from hex digits of either case; false unless `text` is exactly `out.len()` bytes in hex.
fn unhex(text: &[u8], out: &mut [u8]) -> bool {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    text.len() == out.len() * 2
        && text.chunks_exact(2).zip(out.iter_mut()).all(|(pair, byte)| match (digit(pair[0]), digit(pair[1])) {
            (Some(high), Some(low)) => {
                *byte = high << 4 | low;
                true
            }
            _ => false,
        })
}

/// Lowercase hex of `bytes` into `out` (twice as long; a shorter `out` gets what fits).
fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (&b, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn webhook(provider: Provider, url: &str, headers: &[(&str, &str)], body: &str) -> Webhook {
        Webhook {
            provider,
            url: url.into(),
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
            received_at: 0,
        }
    }

    /// Vector computed independently with Python:
    /// hmac.new(b"meta-app-secret", b'{"object":"whatsapp_business_account","entry":[]}', hashlib.sha256).hexdigest()
    const META_BODY: &str = r#"{"object":"whatsapp_business_account","entry":[]}"#;
    const META_SIG: &str = "sha256=ee9f05f989bc0aa2693d85691a477f8b8403933cde7959a1c5c6be7ea85e8d3d";

    #[test]
    fn meta_signature_roundtrip_and_tamper() {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"meta-app-secret").unwrap();
        mac.update(META_BODY.as_bytes());
        let good = format!("sha256={}", hex(&mac.finalize().into_bytes()));
        let ok = webhook(Provider::MetaCloud, "https://x", &[("x-hub-signature-256", &good)], META_BODY);
        assert_eq!(verify(&ok, "meta-app-secret").unwrap().scheme, SignatureScheme::MetaHubSha256);
        assert!(matches!(verify(&ok, "another-secret"), Err(InboundError::BadSignature(_))));
        let tampered =
            webhook(Provider::MetaCloud, "https://x", &[(META_HEADER, &good)], &META_BODY.replace("[]", "[ ]"));
        assert!(matches!(verify(&tampered, "meta-app-secret"), Err(InboundError::BadSignature(_))));
        let missing = webhook(Provider::MetaCloud, "https://x", &[], META_BODY);
        assert_eq!(verify(&missing, "s"), Err(InboundError::MissingSignature(META_HEADER.into())));
        let python = webhook(Provider::MetaCloud, "https://x", &[(META_HEADER, META_SIG)], META_BODY);
        assert!(verify(&python, "meta-app-secret").is_ok(), "the independently computed vector verifies");
        let upper = webhook(
            Provider::MetaCloud,
            "https://x",
            &[(META_HEADER, &META_SIG.to_uppercase().replace("SHA256=", "sha256="))],
            META_BODY,
        );
        assert!(verify(&upper, "meta-app-secret").is_ok(), "hex case does not matter");
    }

    /// Twilio's documented example (Security page): token 12345, this URL and these parameters
    /// sign to `0/KCTR6DLpKmkAf8muzZqo1nDgQ=` (a vector every Twilio helper library tests against).
    #[test]
    fn twilio_documented_vector() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let body = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
        let hook = webhook(Provider::Twilio, url, &[(TWILIO_HEADER, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")], body);
        let ok = verify(&hook, "12345").unwrap();
        assert_eq!(ok.scheme, SignatureScheme::TwilioForm);
        assert_eq!(ok.matched_url.as_deref(), Some(url));
        assert!(verify(&hook, "54321").is_err());
    }

    #[test]
    fn twilio_port_variants() {
        // No port: as given, and with the scheme's default port (443 for https, 80 otherwise).
        assert_eq!(url_variants("https://a.example/x?y=1"), ["https://a.example/x?y=1", "https://a.example:443/x?y=1"]);
        assert_eq!(url_variants("HTTPS://a.example"), ["HTTPS://a.example", "HTTPS://a.example:443"]);
        assert_eq!(url_variants("http://a.example/x"), ["http://a.example/x", "http://a.example:80/x"]);
        // A port, default or not: as given, and without it; never another port.
        assert_eq!(url_variants("https://a.example:443/x"), ["https://a.example:443/x", "https://a.example/x"]);
        assert_eq!(
            url_variants("https://a.example:8443/x?p=1"),
            ["https://a.example:8443/x?p=1", "https://a.example/x?p=1"]
        );
        assert_eq!(url_variants("http://a.example:8080"), ["http://a.example:8080", "http://a.example"]);
        // IPv6 literals and user info keep their colons.
        assert_eq!(url_variants("http://[::1]/x"), ["http://[::1]/x", "http://[::1]:80/x"]);
        assert_eq!(url_variants("http://[::1]:8080/x"), ["http://[::1]:8080/x", "http://[::1]/x"]);
        assert_eq!(
            url_variants("https://u:p@a.example:8443/x"),
            ["https://u:p@a.example:8443/x", "https://u:p@a.example/x"]
        );
        // No scheme (a `://` in the query is not one): as given only.
        assert_eq!(url_variants("a.example/x?u=http://b"), ["a.example/x?u=http://b"]);
    }

    /// The documented example's parameters; every signature below was computed with twilio-python
    /// 9.13.0 `RequestValidator("12345").compute_signature(url, params)`, and `validate` gave the
    /// same verdict as each assertion.
    const DOC_BODY: &str =
        "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";

    fn twilio_check(url: &str, signature: &str) -> Result<SignatureOk, InboundError> {
        verify(&webhook(Provider::Twilio, url, &[(TWILIO_HEADER, signature)], DOC_BODY), "12345")
    }

    #[test]
    fn twilio_accepts_a_signature_over_the_url_with_or_without_its_port() {
        let port = "https://mycompany.com:8443/myapp.php?foo=1&bar=2";
        let bare = "https://mycompany.com/myapp.php?foo=1&bar=2";
        // Signed without the port (the documented vector) while the URL names :8443: accepted.
        assert_eq!(twilio_check(port, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=").unwrap().matched_url.as_deref(), Some(bare));
        // Signed with :8443: accepted for the URL with :8443, not for the URL without a port.
        let with_8443 = "SffuNP6bC3hHFCUbsco6GyaPyas=";
        assert_eq!(twilio_check(port, with_8443).unwrap().matched_url.as_deref(), Some(port));
        assert!(matches!(twilio_check(bare, with_8443), Err(InboundError::BadSignature(_))));
        // The default port, given or signed.
        let with_443 = "EpDEmp1PyjDYp77YxYU3GILBWzE=";
        assert!(twilio_check(bare, with_443).is_ok());
        assert!(
            twilio_check("https://mycompany.com:443/myapp.php?foo=1&bar=2", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=").is_ok()
        );
        assert!(twilio_check("http://mycompany.com/myapp.php?foo=1&bar=2", "boT12oXXJ0BuzO2U/6iCqFdh2Do=").is_ok());
    }

    #[test]
    fn twilio_refuses_a_signature_over_another_port() {
        let port = "https://mycompany.com:8443/myapp.php?foo=1&bar=2";
        assert!(matches!(twilio_check(port, "lw4Td8ToimqJkoOIdKdIOseBY9g="), Err(InboundError::BadSignature(_))));
        // The default port is added only to a URL without one.
        assert!(matches!(twilio_check(port, "EpDEmp1PyjDYp77YxYU3GILBWzE="), Err(InboundError::BadSignature(_))));
    }

    #[test]
    fn twilio_counts_a_repeated_identical_parameter_once() {
        // twilio-python: `a=2&a=1&a=2&b=x` signs as `a1a2bx` (weCnn…); `a1a2a2bx` would be v57ig….
        let url = "https://mycompany.com/dup";
        let hook = |sig: &str| webhook(Provider::Twilio, url, &[(TWILIO_HEADER, sig)], "a=2&a=1&a=2&b=x");
        assert!(verify(&hook("weCnngYkfSnhAzng4bu7AjTBCbI="), "12345").is_ok());
        assert!(verify(&hook("v57igYxkUCH3fdfGQpsIs8+eiFo="), "12345").is_err());
    }

    #[test]
    fn twilio_body_sha256_with_the_port_removed_and_exact_hex() {
        let body = r#"{"MessageSid":"SM1"}"#;
        let hash = "b4fd85f2ce8bfebc5cbc4a67ac690906953178daf04df41e183024cc01315de4";
        assert_eq!(hex(&Sha256::digest(body.as_bytes())), hash);
        // twilio-python 9.13.0: signed over `https://a.example/hook?bodySHA256=<hash>`, checked on :8443.
        let url = format!("https://a.example:8443/hook?bodySHA256={hash}");
        let hook = webhook(Provider::Twilio, &url, &[(TWILIO_HEADER, "POjI0xYRHlicHrJg/IJnu79XzAg=")], body);
        let ok = verify(&hook, "12345").unwrap();
        assert_eq!(ok.scheme, SignatureScheme::TwilioBodySha256);
        assert_eq!(ok.matched_url, Some(format!("https://a.example/hook?bodySHA256={hash}")));
        // The libraries compare the hex digest exactly: an upper-case claim is refused even when signed.
        let upper = format!("https://a.example/hook?bodySHA256={}", hash.to_uppercase());
        let mut mac = Hmac::<Sha1>::new_from_slice(b"12345").unwrap();
        mac.update(upper.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let hook = webhook(Provider::Twilio, &upper, &[(TWILIO_HEADER, &sig)], body);
        assert!(matches!(verify(&hook, "12345"), Err(InboundError::BadSignature(m)) if m.contains("bodySHA256")));
    }

    #[test]
    fn twilio_body_sha256_checks_the_body_too() {
        let body = r#"{"MessageSid":"SM1"}"#;
        let url = format!("https://a.example/hook?bodySHA256={}", hex(&Sha256::digest(body.as_bytes())));
        let mut mac = Hmac::<Sha1>::new_from_slice(b"token").unwrap();
        mac.update(url.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let hook = webhook(Provider::Twilio, &url, &[(TWILIO_HEADER, &sig)], body);
        assert_eq!(verify(&hook, "token").unwrap().scheme, SignatureScheme::TwilioBodySha256);
        let changed = webhook(Provider::Twilio, &url, &[(TWILIO_HEADER, &sig)], r#"{"MessageSid":"SM2"}"#);
        assert!(matches!(verify(&changed, "token"), Err(InboundError::BadSignature(m)) if m.contains("bodySHA256")));
    }
}

//! Webhook signatures, compared in constant time.
//! - Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
//! - Twilio: `X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each POST parameter's name and
//!   value, sorted by name))`; for JSON bodies the URL carries `bodySHA256=<hex sha256(body)>` and
//!   only the URL is signed. Twilio's own validators accept the URL with and without the default port.
//! - 1msg: see `one_msg::verify`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::model::{InboundError, Provider, SignatureOk, SignatureScheme, Webhook};

pub const META_HEADER: &str = "X-Hub-Signature-256";
pub const TWILIO_HEADER: &str = "X-Twilio-Signature";

/// Verify a webhook's signature with the provider's scheme.
pub fn verify(webhook: &Webhook, secret: &str) -> Result<SignatureOk, InboundError> {
    match webhook.provider {
        Provider::MetaCloud => meta(webhook, secret),
        Provider::Twilio => twilio(webhook, secret),
        Provider::OneMsg => super::one_msg::verify(webhook, secret),
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
    let expected = hex(&mac.finalize().into_bytes());
    if equal(expected.as_bytes(), given.to_ascii_lowercase().as_bytes()) {
        Ok(SignatureOk { scheme: SignatureScheme::MetaHubSha256, matched_url: None })
    } else {
        Err(InboundError::BadSignature(format!(
            "{META_HEADER} does not match the body and app secret (was the body changed, or is it another app's secret?)"
        )))
    }
}

fn twilio(webhook: &Webhook, secret: &str) -> Result<SignatureOk, InboundError> {
    let given =
        webhook.header(TWILIO_HEADER).ok_or_else(|| InboundError::MissingSignature(TWILIO_HEADER.into()))?.trim();
    let body_sha = query_param(&webhook.url, "bodySHA256");
    let signed_params = match body_sha {
        Some(_) => String::new(),
        None => {
            let mut params: Vec<(String, String)> =
                form_urlencoded::parse(&webhook.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            params.sort();
            params.into_iter().flat_map(|(k, v)| [k, v]).collect()
        }
    };
    for url in url_variants(&webhook.url) {
        let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes())
            .map_err(|_| InboundError::BadSignature("the auth token cannot key HMAC-SHA1".into()))?;
        mac.update(url.as_bytes());
        mac.update(signed_params.as_bytes());
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        if equal(expected.as_bytes(), given.as_bytes()) {
            let scheme = match &body_sha {
                None => SignatureScheme::TwilioForm,
                Some(claimed) => {
                    let actual = hex(&Sha256::digest(&webhook.body));
                    if !equal(actual.as_bytes(), claimed.to_ascii_lowercase().as_bytes()) {
                        return Err(InboundError::BadSignature(
                            "the URL's bodySHA256 does not match the body: the body was changed".into(),
                        ));
                    }
                    SignatureScheme::TwilioBodySha256
                }
            };
            return Ok(SignatureOk { scheme, matched_url: Some(url) });
        }
    }
    Err(InboundError::BadSignature(format!(
        "{TWILIO_HEADER} does not match: check the auth token, and that the URL is exactly the one configured at \
         Twilio (scheme, host, path and query; a proxy may have rewritten it)"
    )))
}

/// The URL as given, and with the default port added or removed: Twilio may sign either.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_string()];
    let Some((scheme, rest)) = url.split_once("://") else { return variants };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => return variants,
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    // The port follows the last colon, unless that colon is inside an IPv6 literal.
    let port_colon = authority.rfind(':').filter(|&i| !authority[i..].contains(']'));
    match port_colon {
        Some(i) if &authority[i + 1..] == default_port => {
            variants.push(format!("{scheme}://{}{tail}", &authority[..i]));
        }
        Some(_) => {}
        None => variants.push(format!("{scheme}://{authority}:{default_port}{tail}")),
    }
    variants
}

/// A query parameter's decoded value.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
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
        assert_eq!(url_variants("https://a.example/x?y=1"), ["https://a.example/x?y=1", "https://a.example:443/x?y=1"]);
        assert_eq!(url_variants("https://a.example:443/x"), ["https://a.example:443/x", "https://a.example/x"]);
        assert_eq!(url_variants("http://a.example:8080/x"), ["http://a.example:8080/x"]);
        assert_eq!(url_variants("http://[::1]/x"), ["http://[::1]/x", "http://[::1]:80/x"]);
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

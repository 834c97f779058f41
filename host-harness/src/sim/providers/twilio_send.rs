//! The simulated Twilio's send endpoint, `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: form
//! fields read with `form_urlencoded`, Twilio's rules applied, and Twilio's answers: the Message
//! resource as JSON with HTTP 201 (`sid` `SM…`, `status` `queued`), or its error JSON `{"code",
//! "message", "more_info", "status"}` (Twilio, Messages resource,
//! https://www.twilio.com/docs/messaging/api/message-resource; each error code's own page under
//! https://www.twilio.com/docs/api/errors/).
//!
//! Every limit below is written from the page it names; none is shared with the plugin.

use serde_json::json;

use super::send::{Accepted, HostedFile, HttpRequest, HttpResponse, Refusal, chars, essence};
use super::{Provider, TWILIO_ACCOUNT_SID, digits};

/// `Body`: "Body values can be up to 1,600 characters long" (Twilio error 21658,
/// https://www.twilio.com/docs/api/errors/21658); over it the API answers 21617 "The concatenated
/// message body exceeds the 1600 character limit" (https://www.twilio.com/docs/api/errors/21617).
pub const BODY_MAX: usize = 1600;

/// "For a WhatsApp message, the maximum size limit is 16MB. Please note that the size limit for images is
/// only 5 MB." Twilio, Guidance on WhatsApp Media Messages,
/// https://www.twilio.com/docs/whatsapp/guidance-whatsapp-media-messages (MB read as 1,000,000 bytes).
pub const MESSAGE_MAX_BYTES: u64 = 16_000_000;
pub const IMAGE_MAX_BYTES: u64 = 5_000_000;

/// Supported MIME types (same page): images JPG, JPEG, PNG, WEBP (WebP "only used for WhatsApp stickers,
/// which have additional requirements"); audio OGG (Opus), AMR, 3GP, AAC, MPEG; documents PDF, DOC, DOCX,
/// PPTX, XLSX; video MP4; contacts vCard. Each extension written as its registered MIME type.
pub const SUPPORTED_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "audio/ogg",
    "audio/amr",
    "audio/3gpp",
    "audio/aac",
    "audio/mpeg",
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "video/mp4",
    "text/vcard",
    "text/x-vcard",
];

/// A WhatsApp sticker (the only use of `image/webp` on Twilio): "A static sticker needs to be 512x512
/// pixels and cannot exceed 100 KB. An animated sticker ... cannot exceed 500 KB" (WhatsApp's Node.js
/// SDK, Sticker Media Object, https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/types/StickerMediaObject).
pub const STICKER_STATIC_MAX_BYTES: u64 = 100_000;
pub const STICKER_ANIMATED_MAX_BYTES: u64 = 500_000;

fn refuse(code: u32, message: &str) -> Refusal {
    Refusal::new(400, code, message, message)
}

/// `whatsapp:+<digits>`, the address of a WhatsApp user or sender on Twilio.
fn whatsapp_address(value: &str) -> Option<String> {
    let number = value.strip_prefix("whatsapp:")?.strip_prefix('+')?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then(|| format!("+{number}"))
}

impl Provider {
    /// Read a send request as Twilio does.
    pub(super) fn twilio_read(&self, r: &HttpRequest) -> Result<Accepted, Refusal> {
        let expected = format!("/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json");
        if r.method != "POST" || r.path != expected {
            // Twilio 20404 "The requested resource was not found" (https://www.twilio.com/docs/api/errors/20404).
            return Err(Refusal::new(404, 20404, "The requested resource was not found", r.path.clone()));
        }
        let fields: Vec<(String, String)> =
            form_urlencoded::parse(&r.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        // 21604 "'To' phone number is required" (https://www.twilio.com/docs/api/errors/21604); 21211
        // "Invalid 'To' Phone Number" (https://www.twilio.com/docs/api/errors/21211).
        let to_field = field("To").ok_or_else(|| refuse(21604, "A 'To' phone number is required."))?;
        let to = whatsapp_address(to_field)
            .ok_or_else(|| refuse(21211, &format!("The 'To' number {to_field} is not a valid phone number.")))?;
        // 21603 "'From' phone number is required" (https://www.twilio.com/docs/api/errors/21603) unless a
        // Messaging Service sends; 63007 "Twilio could not find a Channel with the specified From address"
        // (https://www.twilio.com/docs/api/errors/63007).
        match (field("From"), field("MessagingServiceSid")) {
            (Some(from), _) => {
                if whatsapp_address(from).as_deref().map(digits) != Some(digits(&self.business_number)) {
                    return Err(refuse(63007, "Twilio could not find a Channel with the specified From address"));
                }
            }
            (None, Some(sid)) if sid.starts_with("MG") => {}
            _ => return Err(refuse(21603, "A 'From' phone number is required.")),
        }
        let body = field("Body");
        let media = field("MediaUrl");
        if let Some(text) = body
            && chars(text) > BODY_MAX
        {
            return Err(refuse(21617, "The concatenated message body exceeds the 1600 character limit."));
        }
        let what = match field("ContentSid") {
            Some(sid) => {
                let found = self.templates.iter().find(|t| t.content_sid.as_deref() == Some(sid));
                // ContentVariables is a JSON object string ("1", "2", ... or names); 21656 "The
                // ContentVariables Parameter is invalid" (https://www.twilio.com/docs/api/errors/21656).
                let given = match field("ContentVariables") {
                    None => 0,
                    Some(v) => serde_json::from_str::<serde_json::Value>(v)
                        .ok()
                        .and_then(|v| v.as_object().map(|o| o.len()))
                        .ok_or_else(|| refuse(21656, "The ContentVariables Parameter is invalid."))?,
                };
                // 21655 "The ContentSid is Invalid" (https://www.twilio.com/docs/api/errors/21655).
                let unknown = refuse(21655, "The ContentSid is Invalid").of(&format!("template {sid}"));
                let mismatch = refuse(21656, "The ContentVariables Parameter is invalid.");
                return self.template_verdict(found, given, unknown, mismatch).map(|what| Accepted {
                    to: to.clone(),
                    what,
                    free_form: false,
                    late_failure: None,
                    input: to_field.to_string(),
                });
            }
            None if body.is_none_or(|b| b.is_empty()) && media.is_none() => {
                // 21619 "A text message body or media URL must be specified" (https://www.twilio.com/docs/api/errors/21619).
                return Err(refuse(21619, "A text message body or media URL must be specified."));
            }
            None if media.is_some() => "free-form media",
            None => "free-form",
        };
        let late_failure = media.and_then(|url| self.twilio_media_failure(url));
        Ok(Accepted { to, what: what.into(), free_form: true, late_failure, input: to_field.to_string() })
    }

    /// What Twilio finds when it fetches `MediaUrl`. A link it cannot fetch, an unsupported type or a file
    /// over the limit fails the message by status callback with 63019 "Media failed to download" (Twilio's
    /// WhatsApp mapping gives 63019 for WhatsApp's media error 400,
    /// https://www.twilio.com/docs/whatsapp/api/error-code-mapping; which code Twilio gives for a file over
    /// the size limit is not on that page: unconfirmed).
    fn twilio_media_failure(&self, url: &str) -> Option<(u32, String)> {
        let failed = Some((63019, "Media failed to download".to_string()));
        let Some(HostedFile { mime_type, size_bytes, animated }) = self.fetch(Some(url), None) else { return failed };
        let mime = essence(&mime_type);
        let max = match mime.as_str() {
            "image/webp" if animated => STICKER_ANIMATED_MAX_BYTES,
            "image/webp" => STICKER_STATIC_MAX_BYTES,
            m if m.starts_with("image/") => IMAGE_MAX_BYTES,
            _ => MESSAGE_MAX_BYTES,
        };
        if !SUPPORTED_TYPES.contains(&mime.as_str()) || size_bytes > max {
            return failed;
        }
        None
    }

    /// 201 with the Message resource, `queued`.
    pub(super) fn twilio_success(&self, id: &str, a: &Accepted) -> HttpResponse {
        let body = json!({
            "account_sid": TWILIO_ACCOUNT_SID, "api_version": "2010-04-01", "body": "",
            "date_created": "Fri, 20 Nov 2026 18:40:00 +0000", "date_sent": null, "date_updated": "Fri, 20 Nov 2026 18:40:00 +0000",
            "direction": "outbound-api", "error_code": null, "error_message": null,
            "from": format!("whatsapp:{}", self.business_number), "messaging_service_sid": null,
            "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD", "sid": id, "status": "queued",
            "to": a.input, "uri": format!("/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/{id}.json"),
        });
        HttpResponse { status: 201, body: body.to_string().into_bytes() }
    }
}

/// Twilio's REST error JSON.
pub(super) fn error(r: &Refusal) -> HttpResponse {
    let body = json!({"code": r.code, "message": r.message,
        "more_info": format!("https://www.twilio.com/docs/errors/{}", r.code), "status": r.status});
    HttpResponse { status: r.status, body: body.to_string().into_bytes() }
}

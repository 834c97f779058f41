//! Every sending limit, with the page it comes from. Sizes are decimal (5 MB = 5,000,000 bytes): the
//! providers write "MB" without saying which, and the smaller reading never lets through a file the
//! provider would refuse.

// ---- Meta Cloud API ----

/// Text body: "Maximum 4096 characters". Meta, Text messages (Updated Jul 2, 2026),
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/text-messages/
pub const META_TEXT_MAX: usize = 4096;
/// Media caption: "Maximum 1024 characters". Meta, Image messages (Updated Jun 24, 2026),
/// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages/
pub const META_CAPTION_MAX: usize = 1024;

// Media sizes and MIME types per kind: `crate::cloud_api_media` (one table for templates and replies).
pub use crate::cloud_api_media::{
    META_AUDIO_MAX_BYTES, META_AUDIO_TYPES, META_DOCUMENT_MAX_BYTES, META_DOCUMENT_TYPES, META_IMAGE_MAX_BYTES,
    META_IMAGE_TYPES, META_STICKER_ANIMATED_MAX_BYTES, META_STICKER_STATIC_MAX_BYTES, META_STICKER_TYPES,
    META_VIDEO_MAX_BYTES, META_VIDEO_TYPES,
};

/// Interactive reply buttons: at most 3 buttons, title at most 20 characters, id at most 256; body at
/// most 1024, header and footer at most 60. Meta, Interactive reply buttons messages; read through
/// whatsapp-api-js 6.2.1 `Button` (https://whatsappapijs.web.app/classes/messages.Button.html, which
/// also says titles must be unique) and Meta's Direct Send "Supported features and limits" (Jul 31, 2026:
/// body 1024, header 60, footer 60, button text 20). Meta's own interactive page was not read.
pub const BUTTONS_MAX: usize = 3;
pub const BUTTON_TITLE_MAX: usize = 20;
pub const BUTTON_ID_MAX: usize = 256;
pub const INTERACTIVE_BODY_MAX: usize = 1024;
pub const INTERACTIVE_HEADER_MAX: usize = 60;
pub const INTERACTIVE_FOOTER_MAX: usize = 60;

/// Interactive lists: at most 10 rows across all sections, at most 10 sections; row title at most 24,
/// row description at most 72, row id at most 200, section title at most 24, the list button label at
/// most 20, body at most 4096. Row limits: WhatsApp's own Node.js SDK, `RowObject`
/// (https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/types/RowObject) and whatsapp-api-js `Row`;
/// "a total of 10 rows across your sections": the `whatsapp-business` typings of Meta's list reference.
/// Section count, section title, button label and body limits come from the same typings and were not
/// read on Meta's own list page: unconfirmed there.
pub const LIST_ROWS_MAX: usize = 10;
pub const LIST_SECTIONS_MAX: usize = 10;
pub const LIST_ROW_TITLE_MAX: usize = 24;
pub const LIST_ROW_DESCRIPTION_MAX: usize = 72;
pub const LIST_ROW_ID_MAX: usize = 200;
pub const LIST_SECTION_TITLE_MAX: usize = 24;
pub const LIST_BUTTON_MAX: usize = 20;
pub const LIST_BODY_MAX: usize = 4096;

// ---- Twilio ----

/// `Body` of a WhatsApp message: at most 1600 characters. Twilio, Messages resource, `Body` parameter
/// ("up to 1,600 characters"), https://www.twilio.com/docs/messaging/api/message-resource
pub const TWILIO_BODY_MAX: usize = 1600;
/// "For a WhatsApp message, the maximum size limit is 16MB. The size limit for images is only 5 MB."
/// Twilio, Guidance on WhatsApp Media Messages, https://www.twilio.com/docs/whatsapp/guidance-whatsapp-media-messages
pub const TWILIO_MESSAGE_MAX_BYTES: u64 = 16_000_000;
pub const TWILIO_IMAGE_MAX_BYTES: u64 = 5_000_000;
/// "The image/webp MIME type is only used for WhatsApp stickers, which have additional requirements" (same
/// Twilio page): a WebP through Twilio is a sticker, held to WhatsApp's sticker sizes, 100 KB static and
/// 500 KB animated ("A static sticker ... cannot exceed 100 KB. An animated sticker ... cannot exceed 500 KB",
/// WhatsApp's Node.js SDK, https://whatsapp.github.io/WhatsApp-Nodejs-SDK/api-reference/types/StickerMediaObject).
/// Found by the property test against the simulated Twilio (tests/tests/outbound_providers.rs): the 5 MB image
/// limit let a 100,001-byte sticker through.
pub const TWILIO_STICKER_STATIC_MAX_BYTES: u64 = 100_000;
pub const TWILIO_STICKER_ANIMATED_MAX_BYTES: u64 = 500_000;
/// Supported types (same page): images JPG, JPEG, PNG, WEBP; audio OGG, AMR, 3GP, AAC, MPEG; video MP4;
/// documents PDF, DOC, DOCX, PPTX, XLSX (the last four as listed by HCL's copy of the page; the page's
/// own list was cut in the excerpt read).
pub const TWILIO_IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp"];
pub const TWILIO_AUDIO_TYPES: &[&str] = &["audio/ogg", "audio/amr", "audio/3gpp", "audio/aac", "audio/mpeg"];
pub const TWILIO_VIDEO_TYPES: &[&str] = &["video/mp4"];
pub const TWILIO_DOCUMENT_TYPES: &[&str] = &[
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

// ---- Errors prevented ----

/// Meta 131047 "Re-engagement message" and Twilio 63016: free-form outside the window.
pub const META_OUTSIDE_WINDOW: u32 = 131047;
pub const TWILIO_OUTSIDE_WINDOW: u32 = 63016;
/// Meta 131053 "Media upload error" (unsupported type or size).
pub const META_MEDIA_UPLOAD: u32 = 131053;
/// Meta 131049: marketing not delivered (per-user limits; every US number since 2025-04-01).
pub const META_MARKETING_LIMIT: u32 = 131049;
/// Meta 131050: the user stopped marketing messages.
pub const META_MARKETING_OPTED_OUT: u32 = 131050;
/// Meta 130501: message type not supported in a group.
pub const META_UNSUPPORTED_IN_GROUP: u32 = 130501;
/// Meta 131062: "Business-scoped User ID recipients are not supported for this message"
/// (Dualhook's copy of Meta's BSUID API changes, https://dualhook.com/docs/contacts-bsuid-api-changes).
pub const META_BSUID_NOT_SUPPORTED: u32 = 131062;
/// Meta 100 "Invalid parameter": what Meta answers a field over its length (unconfirmed per field).
pub const META_INVALID_PARAMETER: u32 = 100;
/// Twilio 21617: "The concatenated message body exceeds the 1600 character limit"
/// (https://www.twilio.com/docs/api/errors/21617, modified 2026-07-08).
pub const TWILIO_BODY_TOO_LONG: u32 = 21617;

/// The date marketing templates to US numbers stopped being delivered (Meta error-code page, 131049;
/// YCloud MM Lite doc), as epoch milliseconds: 2025-04-01T00:00:00Z.
pub const US_MARKETING_PAUSE_FROM: i64 = 1_743_465_600_000;

//! The WhatsApp Cloud API's media rules: how large a file of each kind may be and which MIME types Meta
//! takes for it. One table for template headers (`templates::supported_media`) and the agent's replies
//! (`outbound::checks`). Sizes are decimal (5 MB = 5,000,000 bytes): Meta writes "MB" without saying
//! which, and the smaller reading never lets through a file Meta would refuse.

/// Media sizes: image 5 MB, video 16 MB, audio 16 MB, document 100 MB, sticker 100 KB static and 500 KB
/// animated. Meta, Cloud API media reference, "Supported media types"
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types), as
/// mirrored unchanged in 2026 by AWS End User Messaging "Supported media file types"
/// (https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html).
pub const META_IMAGE_MAX_BYTES: u64 = 5_000_000;
pub const META_VIDEO_MAX_BYTES: u64 = 16_000_000;
pub const META_AUDIO_MAX_BYTES: u64 = 16_000_000;
pub const META_DOCUMENT_MAX_BYTES: u64 = 100_000_000;
pub const META_STICKER_STATIC_MAX_BYTES: u64 = 100_000;
pub const META_STICKER_ANIMATED_MAX_BYTES: u64 = 500_000;

/// MIME types Meta accepts per kind (same "Supported media types" table). 3GPP video is also written
/// `video/3gp` by the mirrors: both taken.
pub const META_IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png"];
pub const META_VIDEO_TYPES: &[&str] = &["video/mp4", "video/3gpp", "video/3gp"];
pub const META_AUDIO_TYPES: &[&str] = &["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"];
pub const META_DOCUMENT_TYPES: &[&str] = &[
    "text/plain",
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];
pub const META_STICKER_TYPES: &[&str] = &["image/webp"];

/// MIME types a document may have beyond the confirmed list: OpenDocument text, spreadsheet and
/// presentation. Not in the mirrors of Meta's table read so far: unconfirmed. Template headers take them
/// rather than refuse them; replies keep to the confirmed list.
pub const META_DOCUMENT_TYPES_UNCONFIRMED: &[&str] = &[
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

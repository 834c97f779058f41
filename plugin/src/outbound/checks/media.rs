//! Attachments: a source, an accepted type, a size within the limit, a caption and filename where needed.

use super::{lengths::length, unsupported};
use crate::outbound::limits::*;
use crate::outbound::model::*;
use crate::types::Provider;

/// A MIME type reduced to `type/subtype`, lowercase.
fn essence(mime: &str) -> String {
    mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

pub(super) fn media_check(m: &Media, provider: Provider, out: &mut Vec<SendProblem>) {
    let source_empty = match &m.source {
        MediaSource::Link(l) => l.trim().is_empty(),
        MediaSource::Id(id) => id.trim().is_empty(),
    };
    if source_empty {
        out.push(SendProblem::new(
            ProblemKind::Empty,
            "content.media.source",
            "the media link or id is empty",
            "Attach the file again",
        ));
    }
    if let Some(caption) = &m.caption {
        let max = if provider == Provider::Twilio { TWILIO_BODY_MAX } else { META_CAPTION_MAX };
        let source =
            if provider == Provider::Twilio { "Twilio `Body`, sent as the caption" } else { "Meta media caption" };
        length("content.media.caption", caption, max, "caption", source, false, out);
        if matches!(m.kind, MediaKind::Audio | MediaKind::Sticker) {
            out.push(unsupported(
                "content.media.caption",
                "audio and sticker messages carry no caption (Meta Audio and Sticker messages: no `caption` field)",
                "Send the caption as a separate text",
            ));
        }
    }
    match provider {
        Provider::Twilio => twilio_media(m, out),
        Provider::MetaCloud | Provider::OneMsg => meta_media(m, provider, out),
    }
}

fn too_large(field: &str, kind: &str, max: u64, size: u64, source: &str) -> SendProblem {
    SendProblem::new(
        ProblemKind::MediaTooLarge,
        field,
        format!("the {kind} has {size} bytes; at most {max} ({source})"),
        "Upload the file to cloud storage and send its link as text, or send a smaller file",
    )
    .limit(max, size)
}

fn not_accepted(mime: &str, kind: &str, accepted: &[&str], source: &str) -> SendProblem {
    SendProblem::new(
        ProblemKind::MediaTypeNotAccepted,
        "content.media.mime-type",
        format!("{source} does not take `{mime}` for a {kind}; it takes {}", accepted.join(", ")),
        "Convert the file to an accepted type, or send it as a document",
    )
}

fn meta_media(m: &Media, provider: Provider, out: &mut Vec<SendProblem>) {
    let (max, types) = match m.kind {
        MediaKind::Image => (META_IMAGE_MAX_BYTES, META_IMAGE_TYPES),
        MediaKind::Video => (META_VIDEO_MAX_BYTES, META_VIDEO_TYPES),
        MediaKind::Audio => (META_AUDIO_MAX_BYTES, META_AUDIO_TYPES),
        MediaKind::Document => (META_DOCUMENT_MAX_BYTES, META_DOCUMENT_TYPES),
        MediaKind::Sticker if m.animated == Some(true) => (META_STICKER_ANIMATED_MAX_BYTES, META_STICKER_TYPES),
        MediaKind::Sticker => (META_STICKER_STATIC_MAX_BYTES, META_STICKER_TYPES),
    };
    let kind = m.kind.name();
    if let Some(size) = m.size_bytes.filter(|&s| s > max) {
        out.push(
            too_large("content.media.size-bytes", kind, max, size, "Meta Supported media types")
                .meta(META_MEDIA_UPLOAD),
        );
    }
    if let Some(mime) = m.mime_type.as_deref().map(essence).filter(|t| !types.contains(&t.as_str())) {
        out.push(not_accepted(&mime, kind, types, "Meta").meta(META_MEDIA_UPLOAD));
    }
    if provider == Provider::OneMsg
        && matches!(m.source, MediaSource::Link(_))
        && crate::outbound::one_msg::filename(m).is_none()
    {
        out.push(SendProblem::new(
            ProblemKind::Empty,
            "content.media.filename",
            "1msg's sendFile needs a file name with extension when the file is sent by URL, and the link has none",
            "Give the file name, e.g. `invoice.pdf`",
        ));
    }
    if provider == Provider::OneMsg && m.kind == MediaKind::Sticker {
        out.push(unsupported(
            "content.media.kind",
            "1msg's sendFile `mediaType` is image, video, audio or document: no sticker",
            "Send the sticker as an image",
        ));
    }
}

fn twilio_media(m: &Media, out: &mut Vec<SendProblem>) {
    if let MediaSource::Id(_) = m.source {
        out.push(unsupported(
            "content.media.source",
            "Twilio fetches media from a public `MediaUrl`; it takes no provider media id",
            "Send the file by a public HTTPS link",
        ));
    }
    let kind = m.kind.name();
    let webp = m.mime_type.as_deref().map(essence).as_deref() == Some("image/webp");
    let (max, source) = match m.kind {
        MediaKind::Sticker | MediaKind::Image if webp && m.animated == Some(true) => {
            (TWILIO_STICKER_ANIMATED_MAX_BYTES, "Twilio: a WebP is a WhatsApp sticker, animated at most 500 KB")
        }
        MediaKind::Sticker | MediaKind::Image if webp => {
            (TWILIO_STICKER_STATIC_MAX_BYTES, "Twilio: a WebP is a WhatsApp sticker, at most 100 KB")
        }
        MediaKind::Image | MediaKind::Sticker => (TWILIO_IMAGE_MAX_BYTES, "Twilio: images at most 5 MB"),
        _ => (TWILIO_MESSAGE_MAX_BYTES, "Twilio: a WhatsApp message at most 16 MB"),
    };
    if let Some(size) = m.size_bytes.filter(|&s| s > max) {
        out.push(too_large("content.media.size-bytes", kind, max, size, source));
    }
    let types = match m.kind {
        MediaKind::Image | MediaKind::Sticker => TWILIO_IMAGE_TYPES,
        MediaKind::Video => TWILIO_VIDEO_TYPES,
        MediaKind::Audio => TWILIO_AUDIO_TYPES,
        MediaKind::Document => TWILIO_DOCUMENT_TYPES,
    };
    if let Some(mime) = m.mime_type.as_deref().map(essence).filter(|t| !types.contains(&t.as_str())) {
        out.push(not_accepted(&mime, kind, types, "Twilio"));
    }
    if m.kind == MediaKind::Document && m.caption.is_some() {
        out.push(unsupported(
            "content.media.caption",
            "\"Twilio does not support setting a filename or caption for documents\" (Guidance on WhatsApp Media Messages)",
            "Send the caption as a separate text",
        ));
    }
}

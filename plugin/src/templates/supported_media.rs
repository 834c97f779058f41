//! What a header's media file is, and whether Meta takes it for that header.
//!
//! Source: Meta, Cloud API media reference, "Supported media types"
//! (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types):
//! image `image/jpeg`, `image/png`; video `video/mp4`, `video/3gpp`; document `text/plain`,
//! `application/pdf` and the Microsoft Word, Excel and PowerPoint types. Mirrors of that table (AWS
//! End User Messaging "Supported media file types", 360dialog) write the 3GPP video as `video/3gp`;
//! both spellings are taken. OpenDocument types are not in the mirrors read: unconfirmed, so they are
//! taken rather than refused.

use super::model::{HeaderFormat, Media};
use crate::cloud_api_media::{
    META_DOCUMENT_TYPES, META_DOCUMENT_TYPES_UNCONFIRMED, META_IMAGE_TYPES, META_VIDEO_TYPES,
};

/// The kind of file, by its MIME type's top-level type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Video,
    Audio,
    /// Anything else (`application/*`, `text/*`): a document header is where it could go.
    Document,
}

/// What the file is known to be: its kind, the MIME type it was read as, and whether Meta accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub kind: Kind,
    pub mime: String,
    pub accepted: bool,
}

/// File extensions and the MIME type each stands for (IANA registrations). An extension not listed
/// tells nothing: no guess is made from it.
const EXTENSIONS: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("webp", "image/webp"),
    ("gif", "image/gif"),
    ("heic", "image/heic"),
    ("bmp", "image/bmp"),
    ("svg", "image/svg+xml"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("mp4", "video/mp4"),
    ("3gp", "video/3gpp"),
    ("mov", "video/quicktime"),
    ("webm", "video/webm"),
    ("avi", "video/x-msvideo"),
    ("mkv", "video/x-matroska"),
    ("mp3", "audio/mpeg"),
    ("m4a", "audio/mp4"),
    ("aac", "audio/aac"),
    ("amr", "audio/amr"),
    ("ogg", "audio/ogg"),
    ("opus", "audio/ogg"),
    ("wav", "audio/wav"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("doc", "application/msword"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("zip", "application/zip"),
    ("csv", "text/csv"),
    ("html", "text/html"),
];

/// A MIME type as written, reduced to `type/subtype` in lowercase (parameters after `;` dropped).
fn normalize(mime: &str) -> Option<String> {
    let essence = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.split_once('/') {
        Some((top, sub)) if !top.is_empty() && !sub.is_empty() => Some(essence),
        _ => None,
    }
}

fn known(mime: String) -> Known {
    let kind = match mime.split('/').next().unwrap_or_default() {
        "image" => Kind::Image,
        "video" => Kind::Video,
        "audio" => Kind::Audio,
        _ => Kind::Document,
    };
    let accepted = [META_IMAGE_TYPES, META_VIDEO_TYPES, META_DOCUMENT_TYPES, META_DOCUMENT_TYPES_UNCONFIRMED]
        .iter()
        .any(|types| types.contains(&mime.as_str()));
    Known { kind, mime, accepted }
}

/// The extension of a link's last path segment, without query string or fragment; none when the link
/// has no path (`https://example.com`) or the segment has no dot.
fn extension(link: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or_default();
    let link = link.split('?').next().unwrap_or_default();
    let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    let (_, path) = after_scheme.split_once('/')?;
    let segment = path.rsplit('/').next().unwrap_or_default();
    let (stem, ext) = segment.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// What the media is: from `mime_type` when given (and well formed), else from the extension of the
/// link when the link is what gets sent (no `id`); `None` when neither tells.
pub fn infer(media: &Media) -> Option<Known> {
    if let Some(mime) = media.mime_type.as_deref().and_then(normalize) {
        return Some(known(mime));
    }
    if media.id.is_some() {
        return None;
    }
    let ext = extension(media.link.as_deref()?)?;
    EXTENSIONS.iter().find(|(e, _)| *e == ext).map(|(_, mime)| known((*mime).to_string()))
}

/// The kind a header format takes, for media headers.
pub fn kind_for(format: HeaderFormat) -> Option<Kind> {
    match format {
        HeaderFormat::Image => Some(Kind::Image),
        HeaderFormat::Video => Some(Kind::Video),
        HeaderFormat::Document => Some(Kind::Document),
        HeaderFormat::Text | HeaderFormat::Location => None,
    }
}

/// The types Meta accepts for a header's kind, in words for problem details.
pub fn accepted_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "image/jpeg or image/png",
        Kind::Video => "video/mp4 or video/3gpp",
        Kind::Document => "a PDF, plain text, or a Word, Excel or PowerPoint file",
        Kind::Audio => "no audio",
    }
}

/// The kind in words, with its article (`an image`), for problem details.
pub fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "an image",
        Kind::Video => "a video",
        Kind::Audio => "an audio file",
        Kind::Document => "a document",
    }
}

/// Why this media does not fit the header, or `None` when it fits or nothing is known.
pub fn mismatch(format: HeaderFormat, media: &Media) -> Option<String> {
    let want = kind_for(format)?;
    let found = infer(media)?;
    if found.kind != want {
        return Some(format!(
            "this is {} ({}), but the header shows {}; Meta takes {}",
            name(found.kind),
            found.mime,
            name(want),
            accepted_for(want)
        ));
    }
    (!found.accepted)
        .then(|| format!("Meta does not take {} for {} header; use {}", found.mime, name(want), accepted_for(want)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(l: &str) -> Media {
        Media { link: Some(l.into()), ..Media::default() }
    }

    fn mime(m: &str) -> Media {
        Media { id: Some("1013859600285441".into()), mime_type: Some(m.into()), ..Media::default() }
    }

    #[test]
    fn the_extension_ignores_query_fragment_and_host() {
        assert_eq!(extension("https://a.example/m/clip.MP4?x=1.jpg#t=2.png"), Some("mp4".into()));
        assert_eq!(extension("https://a.example/m/clip"), None);
        assert_eq!(extension("https://www.example.com"), None, "the host's .com is no extension");
        assert_eq!(extension("https://www.example.com?f=a.jpg"), None);
        assert_eq!(extension("https://a.example/m/.hidden"), None);
    }

    #[test]
    fn the_mime_type_wins_over_the_link() {
        let m = Media {
            link: Some("https://a.example/x.mp4".into()),
            mime_type: Some("Image/JPEG; q=1".into()),
            ..Media::default()
        };
        assert_eq!(infer(&m), Some(Known { kind: Kind::Image, mime: "image/jpeg".into(), accepted: true }));
    }

    #[test]
    fn an_id_without_mime_type_claims_nothing() {
        let m = Media {
            id: Some("1013859600285441".into()),
            link: Some("https://a.example/x.mp4".into()),
            ..Media::default()
        };
        assert_eq!(infer(&m), None);
        assert_eq!(mismatch(HeaderFormat::Image, &m), None);
        assert_eq!(infer(&link("https://a.example/download.php?id=3")), None, "unknown extension: no guess");
        assert_eq!(infer(&mime("not a mime type")), None);
    }

    #[test]
    fn image_headers() {
        assert_eq!(mismatch(HeaderFormat::Image, &link("https://a.example/p.jpg")), None);
        assert_eq!(mismatch(HeaderFormat::Image, &link("https://a.example/p.PNG")), None);
        assert_eq!(mismatch(HeaderFormat::Image, &mime("image/jpeg")), None);
        let video = mismatch(HeaderFormat::Image, &link("https://a.example/clip.mp4")).unwrap();
        assert!(video.contains("a video (video/mp4)") && video.contains("shows an image"), "{video}");
        let webp = mismatch(HeaderFormat::Image, &mime("image/webp")).unwrap();
        assert!(webp.starts_with("Meta does not take image/webp"), "{webp}");
        assert!(mismatch(HeaderFormat::Image, &link("https://a.example/r.pdf")).is_some());
    }

    #[test]
    fn video_headers() {
        assert_eq!(mismatch(HeaderFormat::Video, &link("https://a.example/v.mp4")), None);
        assert_eq!(mismatch(HeaderFormat::Video, &link("https://a.example/v.3gp")), None);
        assert_eq!(mismatch(HeaderFormat::Video, &mime("video/3gpp")), None);
        let pdf = mismatch(HeaderFormat::Video, &link("https://a.example/r.pdf")).unwrap();
        assert!(pdf.contains("a document (application/pdf)") && pdf.contains("shows a video"), "{pdf}");
        assert!(mismatch(HeaderFormat::Video, &link("https://a.example/v.mov")).unwrap().contains("video/quicktime"));
        assert!(mismatch(HeaderFormat::Video, &mime("audio/mpeg")).unwrap().contains("an audio file"));
    }

    #[test]
    fn document_headers() {
        for ok in ["r.pdf", "r.txt", "r.docx", "r.xls", "r.pptx", "r.odt"] {
            assert_eq!(mismatch(HeaderFormat::Document, &link(&format!("https://a.example/{ok}"))), None, "{ok}");
        }
        assert!(mismatch(HeaderFormat::Document, &link("https://a.example/p.jpg")).unwrap().contains("an image"));
        let zip = mismatch(HeaderFormat::Document, &mime("application/zip")).unwrap();
        assert!(zip.starts_with("Meta does not take application/zip for a document header"), "{zip}");
    }

    #[test]
    fn text_and_location_headers_take_no_file_kind() {
        assert_eq!(mismatch(HeaderFormat::Text, &link("https://a.example/p.mp4")), None);
        assert_eq!(mismatch(HeaderFormat::Location, &link("https://a.example/p.mp4")), None);
    }
}

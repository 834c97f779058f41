//! Everything that would make the provider refuse the reply, found before sending, all at once.

use super::limits::*;
use super::model::*;
use crate::inbound::model::Provider;
use crate::pricing::Category;
use crate::templates::validate::chars;
use crate::time::Instant;
use crate::window::{self, WindowRequest};

/// The problems of one request for its provider (the account decides the provider).
pub fn problems(r: &ComposeRequest, provider: Provider, template_category: Option<Category>) -> Vec<Problem> {
    let mut out = Vec::new();
    window_check(r, &mut out);
    let group = matches!(r.recipient, Recipient::Group(_));
    let bsuid = matches!(r.recipient, Recipient::Bsuid(_));
    if bsuid && provider == Provider::Twilio {
        out.push(Problem::new(
            ProblemKind::NotSupportedByProvider,
            "recipient.bsuid",
            "Twilio documents no way to send to a business-scoped user id (Messages resource: `To` is a phone number or channel address)",
            "Reply to the customer's phone number, or through Meta or 1msg",
        ));
    }
    if group && provider == Provider::Twilio {
        out.push(unsupported(
            "recipient.group",
            "Twilio documents no way to send to a WhatsApp group (Messages resource: `To` is a phone number or channel address)",
            "Send through Meta or 1msg, or to each participant",
        ));
    }
    match &r.content {
        Content::Text(text) => text_check("content.text", text, provider, &mut out),
        Content::Media(m) => media_check(m, provider, &mut out),
        Content::Location(_) => {
            if provider == Provider::Twilio {
                out.push(unsupported(
                    "content.location",
                    "Twilio's Messages resource has no location field this plugin could confirm (a `PersistentAction` geo link is reported, not read)",
                    "Send the address or a map link as text",
                ));
            }
        }
        Content::Contacts(cards) => {
            if cards.is_empty() {
                out.push(Problem::new(
                    ProblemKind::WrongCount,
                    "content.contacts",
                    "no contact card given",
                    "Add at least one contact",
                ));
            }
            for (i, c) in cards.iter().enumerate() {
                if c.formatted_name.trim().is_empty() {
                    out.push(Problem::new(
                        ProblemKind::Empty,
                        format!("content.contacts[{i}].formatted-name"),
                        "Meta requires `name.formatted_name` on every contact card",
                        "Give the contact's full name",
                    ));
                }
            }
            match provider {
                Provider::Twilio => out.push(unsupported(
                    "content.contacts",
                    "Twilio sends a contact only as a hosted vCard file (`MediaUrl` to a .vcf, Guidance on WhatsApp Media Messages)",
                    "Host a .vcf file and send it as a document link, or send the details as text",
                )),
                Provider::OneMsg => out.push(unsupported(
                    "content.contacts",
                    "1msg's contact-send body could not be confirmed in its published API",
                    "Send the contact's details as text",
                )),
                Provider::MetaCloud => {}
            }
        }
        Content::Buttons(b) => {
            buttons_check(b, &mut out);
            interactive_elsewhere("content.buttons", provider, group, &mut out, provider == Provider::OneMsg);
        }
        Content::List(l) => {
            list_check(l, &mut out);
            interactive_elsewhere("content.list", provider, group, &mut out, false);
        }
        Content::Reaction(reaction) => {
            if reaction.message_id.trim().is_empty() {
                out.push(Problem::new(
                    ProblemKind::Empty,
                    "content.reaction.message-id",
                    "a reaction needs the id of the message it reacts to",
                    "Pick the customer's message",
                ));
            }
            match provider {
                Provider::Twilio => out.push(unsupported(
                    "content.reaction",
                    "Twilio's Messages resource documents no reaction field",
                    "Reply with the emoji as text",
                )),
                Provider::OneMsg if reaction.emoji.is_none() => out.push(unsupported(
                    "content.reaction.emoji",
                    "1msg's sendReaction takes an emoji `body`; removing a reaction is not documented",
                    "Leave the reaction in place",
                )),
                _ => {}
            }
        }
        Content::RenderedTemplate(_) | Content::Template(..) => {}
    }
    if let Some(category) = template_category {
        template_check(r, category, provider, &mut out);
    }
    out
}

fn unsupported(field: &str, detail: &str, suggestion: &str) -> Problem {
    Problem::new(ProblemKind::NotSupportedByProvider, field, detail, suggestion)
}

/// Free-form replies only inside the customer service window.
fn window_check(r: &ComposeRequest, out: &mut Vec<Problem>) {
    if r.content.is_template() {
        return;
    }
    let (open, closes_at) = match &r.window {
        WindowFacts::Checked { free_form_allowed, closes_at } => (*free_form_allowed, *closes_at),
        WindowFacts::Conversation(c) => {
            let request = WindowRequest {
                conversation: c.clone(),
                now: r.now,
                time_zone: None,
                business_hours: None,
                warn_before: None,
                pricing: None,
            };
            // A conversation the window cannot read was already refused in `compose`.
            match window::check(&request) {
                Ok(a) => (a.free_form_allowed, a.closes_at),
                Err(_) => (false, None),
            }
        }
    };
    if !open {
        let when = match closes_at {
            Some(t) => format!("the 24-hour customer service window closed {}", at(t, r.now)),
            None => "the customer has not written yet, so no customer service window is open".to_string(),
        };
        out.push(
            Problem::new(
                ProblemKind::WindowClosed,
                "window",
                format!("{when}: a free-form reply would be refused"),
                "Send an approved template instead; the reply can stay on the ticket marked not delivered",
            )
            .meta(META_OUTSIDE_WINDOW)
            .twilio(TWILIO_OUTSIDE_WINDOW),
        );
    }
}

/// `Sat 19:40 UTC`, with the date when it is more than six days from `now`.
fn at(t: Instant, now: Instant) -> String {
    crate::zone::Zone::utc().describe(t, now)
}

/// A text field's length against a limit; empty counts as a problem when `required`.
#[allow(clippy::too_many_arguments)]
fn length(
    field: &str,
    text: &str,
    max: usize,
    what: &str,
    source: &str,
    required: bool,
    out: &mut Vec<Problem>,
) -> bool {
    let n = chars(text);
    if required && text.trim().is_empty() {
        out.push(Problem::new(ProblemKind::Empty, field, format!("the {what} is empty"), format!("Write the {what}")));
        return false;
    }
    if n > max {
        out.push(
            Problem::new(
                ProblemKind::TooLong,
                field,
                format!("the {what} has {n} characters; at most {max} ({source})"),
                format!("Shorten the {what} by {} characters, or split it into several messages", n - max),
            )
            .limit(max as u64, n as u64),
        );
        return false;
    }
    true
}

fn text_check(field: &str, text: &str, provider: Provider, out: &mut Vec<Problem>) {
    match provider {
        Provider::Twilio => {
            let before = out.len();
            length(field, text, TWILIO_BODY_MAX, "text", "Twilio `Body`", true, out);
            if let Some(p) =
                out.get_mut(before..).and_then(|s| s.first_mut()).filter(|p| p.kind == ProblemKind::TooLong)
            {
                p.prevents_twilio_error = Some(TWILIO_BODY_TOO_LONG);
            }
        }
        // 1msg relays to the Cloud API, so Meta's limit holds there too.
        _ => {
            length(field, text, META_TEXT_MAX, "text", "Meta text body", true, out);
        }
    }
}

/// A MIME type reduced to `type/subtype`, lowercase.
fn essence(mime: &str) -> String {
    mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn media_check(m: &Media, provider: Provider, out: &mut Vec<Problem>) {
    let source_empty = match &m.source {
        MediaSource::Link(l) => l.trim().is_empty(),
        MediaSource::Id(id) => id.trim().is_empty(),
    };
    if source_empty {
        out.push(Problem::new(
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

fn too_large(field: &str, kind: &str, max: u64, size: u64, source: &str) -> Problem {
    Problem::new(
        ProblemKind::MediaTooLarge,
        field,
        format!("the {kind} has {size} bytes; at most {max} ({source})"),
        "Upload the file to cloud storage and send its link as text, or send a smaller file",
    )
    .limit(max, size)
}

fn not_accepted(mime: &str, kind: &str, accepted: &[&str], source: &str) -> Problem {
    Problem::new(
        ProblemKind::MediaTypeNotAccepted,
        "content.media.mime-type",
        format!("{source} does not take `{mime}` for a {kind}; it takes {}", accepted.join(", ")),
        "Convert the file to an accepted type, or send it as a document",
    )
}

fn meta_media(m: &Media, provider: Provider, out: &mut Vec<Problem>) {
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
    if provider == Provider::OneMsg && matches!(m.source, MediaSource::Link(_)) && super::one_msg::filename(m).is_none()
    {
        out.push(Problem::new(
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

fn twilio_media(m: &Media, out: &mut Vec<Problem>) {
    if let MediaSource::Id(_) = m.source {
        out.push(unsupported(
            "content.media.source",
            "Twilio fetches media from a public `MediaUrl`; it takes no provider media id",
            "Send the file by a public HTTPS link",
        ));
    }
    let kind = m.kind.name();
    let (max, source) = match m.kind {
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

fn buttons_check(b: &Buttons, out: &mut Vec<Problem>) {
    let src = "Meta interactive reply buttons";
    length("content.buttons.body", &b.body, INTERACTIVE_BODY_MAX, "body", src, true, out);
    if let Some(h) = &b.header {
        length("content.buttons.header", h, INTERACTIVE_HEADER_MAX, "header", src, false, out);
    }
    if let Some(f) = &b.footer {
        length("content.buttons.footer", f, INTERACTIVE_FOOTER_MAX, "footer", src, false, out);
    }
    let n = b.buttons.len();
    if n == 0 || n > BUTTONS_MAX {
        out.push(
            Problem::new(
                ProblemKind::WrongCount,
                "content.buttons.buttons",
                format!("{n} buttons; a reply-button message has 1 to {BUTTONS_MAX} ({src})"),
                "Keep at most three buttons, or send a list (up to ten rows)",
            )
            .limit(BUTTONS_MAX as u64, n as u64),
        );
    }
    for (i, button) in b.buttons.iter().enumerate() {
        length(
            &format!("content.buttons.buttons[{i}].title"),
            &button.title,
            BUTTON_TITLE_MAX,
            "button title",
            src,
            true,
            out,
        );
        length(&format!("content.buttons.buttons[{i}].id"), &button.id, BUTTON_ID_MAX, "button id", src, true, out);
        if b.buttons.iter().take(i).any(|o| o.id == button.id || o.title == button.title) {
            out.push(Problem::new(
                ProblemKind::Duplicate,
                format!("content.buttons.buttons[{i}]"),
                "another button has the same id or title; they must be unique",
                "Give each button its own id and title",
            ));
        }
    }
}

fn list_check(l: &List, out: &mut Vec<Problem>) {
    let src = "Meta interactive list";
    length("content.list.body", &l.body, LIST_BODY_MAX, "body", src, true, out);
    length("content.list.button", &l.button, LIST_BUTTON_MAX, "list button label", src, true, out);
    if let Some(h) = &l.header {
        length("content.list.header", h, INTERACTIVE_HEADER_MAX, "header", src, false, out);
    }
    if let Some(f) = &l.footer {
        length("content.list.footer", f, INTERACTIVE_FOOTER_MAX, "footer", src, false, out);
    }
    let sections = l.sections.len();
    if sections == 0 || sections > LIST_SECTIONS_MAX {
        out.push(
            Problem::new(
                ProblemKind::WrongCount,
                "content.list.sections",
                format!("{sections} sections; a list has 1 to {LIST_SECTIONS_MAX} ({src})"),
                "Group the rows into at most ten sections",
            )
            .limit(LIST_SECTIONS_MAX as u64, sections as u64),
        );
    }
    let rows: usize = l.sections.iter().map(|s| s.rows.len()).sum();
    if rows == 0 || rows > LIST_ROWS_MAX {
        out.push(
            Problem::new(
                ProblemKind::WrongCount,
                "content.list.sections",
                format!("{rows} rows in all; a list has 1 to {LIST_ROWS_MAX} rows across its sections ({src})"),
                "Keep at most ten rows, or send a link to the full choice",
            )
            .limit(LIST_ROWS_MAX as u64, rows as u64),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (s, section) in l.sections.iter().enumerate() {
        match &section.title {
            Some(t) => {
                length(
                    &format!("content.list.sections[{s}].title"),
                    t,
                    LIST_SECTION_TITLE_MAX,
                    "section title",
                    src,
                    true,
                    out,
                );
            }
            None if sections > 1 => out.push(Problem::new(
                ProblemKind::Empty,
                format!("content.list.sections[{s}].title"),
                "a list with more than one section needs a title on each",
                "Give the section a title",
            )),
            None => {}
        }
        for (i, row) in section.rows.iter().enumerate() {
            let at = format!("content.list.sections[{s}].rows[{i}]");
            length(&format!("{at}.title"), &row.title, LIST_ROW_TITLE_MAX, "row title", src, true, out);
            length(&format!("{at}.id"), &row.id, LIST_ROW_ID_MAX, "row id", src, true, out);
            if let Some(d) = &row.description {
                length(&format!("{at}.description"), d, LIST_ROW_DESCRIPTION_MAX, "row description", src, false, out);
            }
            if seen.contains(&row.id.as_str()) {
                out.push(Problem::new(
                    ProblemKind::Duplicate,
                    at,
                    "another row has the same id; ids must be unique",
                    "Give each row its own id",
                ));
            }
            seen.push(&row.id);
        }
    }
}

/// Interactive messages: never free-form on Twilio, never in groups; 1msg documents lists only.
fn interactive_elsewhere(field: &str, provider: Provider, group: bool, out: &mut Vec<Problem>, one_msg_buttons: bool) {
    if provider == Provider::Twilio {
        out.push(unsupported(
            field,
            "Twilio sends buttons and lists only as Content templates (twilio/quick-reply, twilio/list-picker) by `ContentSid`",
            "Create the Content template in Twilio and send it as a template",
        ));
    }
    if one_msg_buttons {
        out.push(unsupported(
            field,
            "1msg's published API documents sendList but no reply-button call this plugin could confirm",
            "Send a list instead",
        ));
    }
    if group {
        out.push(
            Problem::new(
                ProblemKind::NotSupportedInGroup,
                field,
                "WhatsApp groups do not take interactive messages (Meta Group messaging / Get started with Groups API, May 21, 2026)",
                "Send the choices as text",
            )
            .meta(META_UNSUPPORTED_IN_GROUP),
        );
    }
}

/// Marketing preference, US marketing pause, authentication templates to groups and BSUIDs.
fn template_check(r: &ComposeRequest, category: Category, provider: Provider, out: &mut Vec<Problem>) {
    let field = "content";
    let marketing = matches!(category, Category::Marketing | Category::GroupMarketing);
    if marketing && r.marketing_opted_out == Some(true) {
        out.push(
            Problem::new(
                ProblemKind::MarketingOptedOut,
                field,
                "the customer stopped marketing messages (their stored preference, Meta `user_preferences`)",
                "Send a utility template if this is about an order or account, or nothing",
            )
            .meta(META_MARKETING_OPTED_OUT),
        );
    }
    if marketing
        && r.now >= US_MARKETING_PAUSE_FROM
        && let Recipient::Phone(phone) = &r.recipient
        && phone.starts_with("+1")
    {
        let country = r.recipient_country.as_deref().map(str::to_ascii_uppercase);
        let assumed = country.is_none();
        if country.as_deref().is_none_or(|c| c == "US") {
            let how = if assumed {
                "the number starts with +1 and no recipient country was given, so it is assumed to be in the US (+1 also covers Canada and Caribbean countries: pass recipient-country to decide)"
            } else {
                "the recipient country is US"
            };
            out.push(
                Problem::new(
                    ProblemKind::MarketingToUsNumber,
                    "recipient.phone",
                    format!("Meta has not delivered marketing templates to US numbers since 2025-04-01; {how}"),
                    "Send a utility template if this is about an order or account, or reach the customer another way",
                )
                .meta(META_MARKETING_LIMIT),
            );
        }
    }
    let authentication = matches!(category, Category::Authentication | Category::AuthenticationInternational);
    if authentication && matches!(r.recipient, Recipient::Group(_)) {
        out.push(
            Problem::new(
                ProblemKind::NotSupportedInGroup,
                field,
                "groups take no authentication templates (Meta Get started with Groups API, May 21, 2026)",
                "Send the code to the participant's own number",
            )
            .meta(META_UNSUPPORTED_IN_GROUP),
        );
    }
    if authentication && matches!(r.recipient, Recipient::Bsuid(_)) && provider != Provider::Twilio {
        out.push(
            Problem::new(
                ProblemKind::NotSupportedForBsuid,
                field,
                "authentication templates still need the phone number (Meta Business-scoped user IDs)",
                "Send to the customer's phone number; ask for it with a REQUEST_CONTACT_INFO button",
            )
            .meta(META_BSUID_NOT_SUPPORTED),
        );
    }
}

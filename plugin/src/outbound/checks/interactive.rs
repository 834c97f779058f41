//! Reply buttons and lists: counts, lengths, unique ids, and where interactive messages cannot go.

use super::{lengths::length, unsupported};
use crate::outbound::limits::*;
use crate::outbound::model::*;
use crate::types::Provider;

pub(super) fn buttons_check(b: &InteractiveButtons, out: &mut Vec<SendProblem>) {
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
            SendProblem::new(
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
            out.push(SendProblem::new(
                ProblemKind::Duplicate,
                format!("content.buttons.buttons[{i}]"),
                "another button has the same id or title; they must be unique",
                "Give each button its own id and title",
            ));
        }
    }
}

pub(super) fn list_check(l: &InteractiveList, out: &mut Vec<SendProblem>) {
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
            SendProblem::new(
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
            SendProblem::new(
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
            None if sections > 1 => out.push(SendProblem::new(
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
                out.push(SendProblem::new(
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
pub(super) fn interactive_elsewhere(
    field: &str,
    provider: Provider,
    group: bool,
    out: &mut Vec<SendProblem>,
    one_msg_buttons: bool,
) {
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
            SendProblem::new(
                ProblemKind::NotSupportedInGroup,
                field,
                "WhatsApp groups do not take interactive messages (Meta Group messaging / Get started with Groups API, May 21, 2026)",
                "Send the choices as text",
            )
            .meta(META_UNSUPPORTED_IN_GROUP),
        );
    }
}

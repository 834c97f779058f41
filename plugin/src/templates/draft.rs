//! The agent's draft: the customer-visible text cut into fixed text (not editable) and labelled
//! slots, and reading an edited draft back into values, refusing edits to the fixed text.

use super::model::*;
use super::validate::{header_text, url_variable};
use super::vars::{Piece, is_positional, pieces};

fn label(part: Part, key: &str, button: Option<&Button>) -> String {
    match (part, button) {
        (Part::Button, Some(b)) if b.kind == ButtonKind::CopyCode => format!("{} code", b.text),
        (Part::Button, Some(b)) => format!("{} link ending", b.text),
        (Part::Header, _) if is_positional(key) => format!("Header variable {key}"),
        (_, _) if is_positional(key) => format!("Body variable {key}"),
        _ => key.to_string(),
    }
}

/// The segments of a template with no values filled.
fn segments(t: &Template) -> Vec<DraftSegment> {
    let mut out: Vec<DraftSegment> = Vec::new();
    let mut push_fixed = |out: &mut Vec<DraftSegment>, text: &str| match out.last_mut() {
        Some(DraftSegment::Fixed(last)) => last.push_str(text),
        _ if !text.is_empty() => out.push(DraftSegment::Fixed(text.to_string())),
        _ => {}
    };
    let text_block = |out: &mut Vec<DraftSegment>,
                      part: Part,
                      text: &str,
                      push_fixed: &mut dyn FnMut(&mut Vec<DraftSegment>, &str)| {
        for piece in pieces(text) {
            match piece {
                Piece::Text(t) => push_fixed(out, t),
                Piece::Var(key) => out.push(DraftSegment::Slot(DraftSlot {
                    part,
                    button_index: None,
                    key: key.to_string(),
                    label: label(part, key, None),
                    value: None,
                })),
            }
        }
    };
    if let Some(text) = header_text(t) {
        text_block(&mut out, Part::Header, text, &mut push_fixed);
        push_fixed(&mut out, "\n\n");
    }
    text_block(&mut out, Part::Body, &t.body, &mut push_fixed);
    if let Some(footer) = &t.footer {
        push_fixed(&mut out, &format!("\n\n{footer}"));
    }
    for (i, b) in t.buttons.iter().enumerate() {
        let (prefix, key) = match (b.kind, url_variable(b)) {
            (ButtonKind::Url, Some(key)) => {
                let url = b.url.as_deref().unwrap_or_default();
                (format!("\n\n{}: {}", b.text, &url[..url.find("{{").unwrap_or(url.len())]), key.to_string())
            }
            (ButtonKind::CopyCode, _) => (format!("\n\n{}: ", b.text), "code".to_string()),
            _ => continue,
        };
        push_fixed(&mut out, &prefix);
        out.push(DraftSegment::Slot(DraftSlot {
            part: Part::Button,
            button_index: u32::try_from(i).ok(),
            label: label(Part::Button, &key, Some(b)),
            key,
            value: None,
        }));
    }
    out
}

fn value_of(values: &TemplateValues, slot: &DraftSlot) -> Option<String> {
    match slot.part {
        Part::Header => values.header_text.as_ref().filter(|v| v.key == slot.key).map(|v| v.value.clone()),
        Part::Button => values.buttons.iter().find(|v| Some(v.index) == slot.button_index).map(|v| v.value.clone()),
        _ => values.body.iter().find(|v| v.key == slot.key).map(|v| v.value.clone()),
    }
}

/// The draft, filled with the values given so far.
pub fn preview(t: &Template, values: &TemplateValues) -> Draft {
    let segments: Vec<DraftSegment> = segments(t)
        .into_iter()
        .map(|s| match s {
            DraftSegment::Slot(slot) => DraftSegment::Slot(DraftSlot { value: value_of(values, &slot), ..slot }),
            fixed => fixed,
        })
        .collect();
    let text = segments
        .iter()
        .map(|s| match s {
            DraftSegment::Fixed(f) => f.clone(),
            DraftSegment::Slot(slot) => slot.value.clone().unwrap_or_else(|| format!("[{}]", slot.label)),
        })
        .collect();
    Draft { segments, text }
}

/// Read values back from a draft the agent edited. The fixed text must be there, unchanged and in
/// order; each slot's value is what stands between its neighbours. Slots still showing `[label]` are unfilled.
pub fn check_draft(t: &Template, edited: &str) -> Result<TemplateValues, DraftChanged> {
    let segments = segments(t);
    let mut values = TemplateValues::default();
    let mut pos = 0;
    let changed = |at: usize, expected: &str| {
        let rest = &edited[at..];
        let same = rest.chars().zip(expected.chars()).take_while(|(a, b)| a == b).count();
        let from = at + rest.char_indices().nth(same).map_or(rest.len(), |(i, _)| i);
        DraftChanged {
            position: u32::try_from(edited[..from].chars().count()).unwrap_or(u32::MAX),
            expected: expected.chars().skip(same).collect(),
            found: edited[from..].chars().take(40).collect(),
        }
    };
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            DraftSegment::Fixed(fixed) => {
                if !edited[pos..].starts_with(fixed.as_str()) {
                    return Err(changed(pos, fixed));
                }
                pos += fixed.len();
            }
            DraftSegment::Slot(slot) => {
                let end = match segments.get(i + 1) {
                    // The value ends where the next fixed text starts; if the agent changed that text,
                    // where its longest surviving beginning starts, so the difference is reported there.
                    Some(DraftSegment::Fixed(next)) => (1..=next.len())
                        .rev()
                        .filter(|&n| next.is_char_boundary(n))
                        .find_map(|n| edited[pos..].find(&next[..n]))
                        .map_or(pos, |offset| pos + offset),
                    _ => edited.len(),
                };
                let value = &edited[pos..end];
                pos = end;
                if value == format!("[{}]", slot.label) {
                    continue;
                }
                let value = value.to_string();
                match slot.part {
                    Part::Header => values.header_text = Some(VariableValue { key: slot.key.clone(), value }),
                    Part::Button => values.buttons.push(ButtonValue { index: slot.button_index.unwrap_or(0), value }),
                    _ if values.body.iter().any(|v| v.key == slot.key) => {}
                    _ => values.body.push(VariableValue { key: slot.key.clone(), value }),
                }
            }
        }
    }
    if pos < edited.len() {
        return Err(changed(pos, ""));
    }
    Ok(values)
}

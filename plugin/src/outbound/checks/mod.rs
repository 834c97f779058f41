//! Everything that would make the provider refuse the reply, found before sending, all at once.

mod interactive;
mod lengths;
mod media;
mod templates;
mod window;

use super::model::*;
use crate::time::Instant;
use crate::types::MessageCategory;
use crate::types::Provider;
use interactive::{buttons_check, interactive_elsewhere, list_check};
use lengths::text_check;
use media::media_check;
use templates::template_check;
use window::window_check;
pub(crate) use window::window_state;

/// The problems of one request for its provider (the account decides the provider).
pub fn problems(
    r: &ComposeRequest,
    window: (bool, Option<Instant>),
    provider: Provider,
    template_category: Option<MessageCategory>,
) -> Vec<SendProblem> {
    let mut out = Vec::new();
    window_check(r, window, &mut out);
    let group = matches!(r.recipient, Recipient::Group(_));
    let bsuid = matches!(r.recipient, Recipient::Bsuid(_));
    if bsuid && provider == Provider::Twilio {
        out.push(SendProblem::new(
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
                out.push(SendProblem::new(
                    ProblemKind::WrongCount,
                    "content.contacts",
                    "no contact card given",
                    "Add at least one contact",
                ));
            }
            for (i, c) in cards.iter().enumerate() {
                if c.formatted_name.trim().is_empty() {
                    out.push(SendProblem::new(
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
                out.push(SendProblem::new(
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
    // "Supported message types: Text, media, text-based templates, and media-based templates" (Meta, Groups
    // API, Quick Facts, Nov 14, 2025, https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/
    // as chatarchitect copies it). Interactive messages are refused in `interactive`; these three were found
    // missing when the simulated Cloud API's group rule was written (tests/tests/outbound_providers.rs covers
    // them). 1msg's `@g.us` chats are left as its own API documents them.
    let group_field = match &r.content {
        Content::Location(_) => Some("content.location"),
        Content::Contacts(_) => Some("content.contacts"),
        Content::Reaction(_) => Some("content.reaction"),
        _ => None,
    };
    if let (true, Provider::MetaCloud, Some(field)) = (group, provider, group_field) {
        out.push(
            SendProblem::new(
                ProblemKind::NotSupportedInGroup,
                field,
                "WhatsApp groups take text, media and templates only (Meta Groups API, Quick Facts)",
                "Send it as text, or to the participant directly",
            )
            .meta(crate::outbound::limits::META_UNSUPPORTED_IN_GROUP),
        );
    }
    if let Some(category) = template_category {
        template_check(r, category, provider, &mut out);
    }
    out
}

fn unsupported(field: &str, detail: &str, suggestion: &str) -> SendProblem {
    SendProblem::new(ProblemKind::NotSupportedByProvider, field, detail, suggestion)
}

//! The simulated Meta Cloud API's wire format: the `whatsapp_business_account` envelope, a customer's
//! message, an echo of a message sent elsewhere, a status callback, and the one place the simulation
//! signs a Meta body (`X-Hub-Signature-256`). Groups and calls: `meta_groups_calls.rs`.

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::{CustomerMessage, Provider, Webhook, digits};

/// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, as Meta signs a body.
pub(super) fn signature_header(secret: &str, body: &[u8]) -> (String, String) {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    ("X-Hub-Signature-256".into(), format!("sha256={hex}"))
}

impl Provider {
    pub(super) fn meta_envelope(&self, field: &str, value: Value) -> Value {
        json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": field, "value": value}]}]})
    }

    pub(super) fn meta_metadata(&self) -> Value {
        json!({"display_phone_number": digits(&self.business_number), "phone_number_id": super::META_PHONE_NUMBER_ID})
    }

    /// A customer's message (text or reaction, maybe a reply, maybe from an ad).
    pub(super) fn meta_customer_message(
        &self,
        id: &str,
        phone: &str,
        name: &str,
        message: &CustomerMessage,
        seconds: &str,
    ) -> Webhook {
        let mut m = json!({"from": digits(phone), "id": id, "timestamp": seconds});
        match &message.reaction {
            Some((target, emoji)) => {
                m["type"] = json!("reaction");
                m["reaction"] = json!({"message_id": target, "emoji": emoji});
            }
            None => {
                m["type"] = json!("text");
                m["text"] = json!({"body": message.text.clone().unwrap_or_default()});
            }
        }
        if let Some(target) = &message.reply_to {
            m["context"] = json!({"from": digits(&self.business_number), "id": target});
        }
        if let Some(headline) = &message.ad_headline {
            m["referral"] = json!({"source_url": "https://fb.me/sim-ad", "source_id": "120208600000000001", "source_type": "ad",
                "headline": headline, "body": "Chat with us on WhatsApp", "media_type": "image",
                "image_url": "https://scontent.example/ad.jpg", "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP7GDaBL"});
        }
        let value = json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(),
            "contacts": [{"profile": {"name": name}, "wa_id": digits(phone)}], "messages": [m]});
        self.json_webhook(&self.meta_envelope("messages", value))
    }

    /// An `smb_message_echoes` webhook: a message another service sent on the number.
    pub(super) fn meta_echo(&self, id: &str, phone: &str, text: &str, seconds: &str) -> Webhook {
        let value = json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(),
            "message_echoes": [{"from": digits(&self.business_number), "to": digits(phone), "id": id,
                "timestamp": seconds, "type": "text", "text": {"body": text}}]});
        self.json_webhook(&self.meta_envelope("smb_message_echoes", value))
    }

    /// A `statuses` callback, with pricing unless it failed.
    pub(super) fn meta_status(
        &self,
        id: &str,
        to: &str,
        status: &str,
        at: i64,
        failure: Option<(u32, &str)>,
    ) -> Webhook {
        let mut s =
            json!({"id": id, "status": status, "timestamp": (at / 1000).to_string(), "recipient_id": digits(to)});
        if let Some((code, title)) = failure {
            s["errors"] = json!([{"code": code, "title": title, "message": title, "error_data": {"details": title}}]);
        } else if status != "failed" {
            s["pricing"] = json!({"billable": true, "pricing_model": "PMP", "category": "utility", "type": "regular"});
        }
        let value = json!({"messaging_product": "whatsapp", "metadata": self.meta_metadata(), "statuses": [s]});
        self.json_webhook(&self.meta_envelope("messages", value))
    }
}

//! The simulated 1msg's wire format: `{"instanceId", "messages": [...]}` for a customer's message and
//! for a `fromMe` echo, `{"instanceId", "ack": [...]}` for a status. 1msg signs nothing: the webhook URL
//! carries the `hook_token` query parameter (see `Provider::new`).

use serde_json::json;

use super::{CustomerMessage, Provider, Webhook, digits};

impl Provider {
    /// A customer's message (`chat` or `reaction`; a reaction or reply quotes its target).
    pub(super) fn one_msg_customer_message(
        &self,
        id: &str,
        phone: &str,
        name: &str,
        message: &CustomerMessage,
        at: i64,
    ) -> Webhook {
        let (kind, body) = match &message.reaction {
            Some((_, emoji)) => ("reaction", emoji.clone()),
            None => ("chat", message.text.clone().unwrap_or_default()),
        };
        let quoted = message.reaction.as_ref().map(|r| r.0.clone()).or_else(|| message.reply_to.clone());
        let m = json!({"id": id, "body": body, "fromMe": false, "self": 0, "isForwarded": false,
            "author": format!("{}@c.us", digits(phone)), "time": at / 1000, "chatId": format!("{}@c.us", digits(phone)),
            "type": kind, "senderName": name, "caption": null, "quotedMsgId": quoted});
        self.json_webhook(&json!({"instanceId": super::ONE_MSG_INSTANCE, "messages": [m]}))
    }

    /// A `fromMe` message: one another service sent on the number.
    pub(super) fn one_msg_echo(&self, id: &str, phone: &str, text: &str, at: i64) -> Webhook {
        let m = json!({"id": id, "body": text, "fromMe": true, "self": 0, "isForwarded": false,
            "author": format!("{}@c.us", digits(&self.business_number)), "time": at / 1000,
            "chatId": format!("{}@c.us", digits(phone)), "type": "chat", "senderName": "Business", "caption": null, "quotedMsgId": null});
        self.json_webhook(&json!({"instanceId": super::ONE_MSG_INSTANCE, "messages": [m]}))
    }

    /// An ack (`read` is 1msg's `viewed`), with the failure's title as its error.
    pub(super) fn one_msg_ack(&self, id: &str, to: &str, status: &str, failure: Option<(u32, &str)>) -> Webhook {
        let mut ack = json!({"id": id, "chatId": format!("{}@c.us", digits(to)), "status": if status == "read" { "viewed" } else { status }});
        if let Some((_, title)) = failure {
            ack["error"] = json!(title);
        }
        self.json_webhook(&json!({"instanceId": super::ONE_MSG_INSTANCE, "ack": [ack]}))
    }
}

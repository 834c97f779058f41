//! The simulated Twilio's wire format: form-encoded webhooks for a customer's message and a status
//! callback, and the one place the simulation signs a Twilio form (`X-Twilio-Signature`). Twilio posts
//! no echo of a message sent elsewhere.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{CustomerMessage, Provider, Webhook, digits};

/// `base64(HMAC-SHA1(auth token, URL + each parameter's name and value, sorted))`, as Twilio signs.
fn signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut mac = Hmac::<Sha1>::new_from_slice(token.as_bytes()).expect("HMAC takes any key");
    mac.update(url.as_bytes());
    for (k, v) in &sorted {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

impl Provider {
    /// Sign and wrap form parameters.
    pub(super) fn form_webhook(&self, params: Vec<(String, String)>) -> Webhook {
        let signature = signature(&self.secret, &self.url, &params);
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(params.iter()).finish();
        Webhook {
            url: self.url.clone(),
            headers: vec![
                ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
                ("X-Twilio-Signature".into(), signature),
            ],
            body,
        }
    }

    /// A customer's message (a reaction arrives as its emoji), maybe a reply, maybe from an ad.
    pub(super) fn twilio_customer_message(
        &self,
        id: &str,
        phone: &str,
        name: &str,
        message: &CustomerMessage,
    ) -> Webhook {
        let mut params = vec![
            ("SmsMessageSid".to_string(), id.to_string()),
            ("NumMedia".into(), "0".into()),
            ("ProfileName".into(), name.into()),
            ("MessageType".into(), "text".into()),
            ("SmsSid".into(), id.into()),
            ("WaId".into(), digits(phone)),
            ("SmsStatus".into(), "received".into()),
            (
                "Body".into(),
                message.text.clone().unwrap_or_else(|| message.reaction.clone().map(|r| r.1).unwrap_or_default()),
            ),
            ("To".into(), format!("whatsapp:{}", self.business_number)),
            ("MessageSid".into(), id.into()),
            ("AccountSid".into(), super::TWILIO_ACCOUNT_SID.into()),
            ("From".into(), format!("whatsapp:{phone}")),
            ("ApiVersion".into(), "2010-04-01".into()),
        ];
        if let Some(target) = &message.reply_to {
            params.push(("OriginalRepliedMessageSid".into(), target.clone()));
            params.push(("OriginalRepliedMessageSender".into(), format!("whatsapp:{}", self.business_number)));
        }
        if let Some(headline) = &message.ad_headline {
            params.push(("ReferralSourceType".into(), "ad".into()));
            params.push(("ReferralSourceId".into(), "120208600000000001".into()));
            params.push(("ReferralHeadline".into(), headline.clone()));
            params.push(("ReferralCtwaClid".into(), "ARAkLkA8rmlFeiCktEJQ".into()));
        }
        self.form_webhook(params)
    }

    /// A status callback; a failure after `sent` is `undelivered` with its error code.
    pub(super) fn twilio_status(&self, id: &str, to: &str, status: &str, failure: Option<(u32, &str)>) -> Webhook {
        let twilio_status = if failure.is_some() && status == "failed" { "undelivered" } else { status };
        let mut params = vec![
            ("MessageSid".to_string(), id.to_string()),
            ("SmsSid".into(), id.into()),
            ("MessageStatus".into(), twilio_status.into()),
            ("SmsStatus".into(), twilio_status.into()),
            ("To".into(), format!("whatsapp:{to}")),
            ("From".into(), format!("whatsapp:{}", self.business_number)),
            ("AccountSid".into(), super::TWILIO_ACCOUNT_SID.into()),
            ("ApiVersion".into(), "2010-04-01".into()),
        ];
        if let Some((code, _)) = failure {
            params.push(("ErrorCode".into(), code.to_string()));
        }
        self.form_webhook(params)
    }
}

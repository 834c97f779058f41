//! The body every provider's target runs: any bytes, signed or not, must give events or a typed
//! error, never a panic.

use whatsapp_plugin::inbound::model::{InboundOptions, Provider, Webhook};
use whatsapp_plugin::inbound::normalize;

pub fn run(provider: Provider, data: &[u8]) {
    let webhook = Webhook {
        provider,
        url: "https://helpdesk.example.com/webhooks?hook_token=t".into(),
        headers: vec![("X-Hub-Signature-256".into(), "sha256=00".into()), ("X-Twilio-Signature".into(), "AA==".into())],
        body: data.to_vec(),
        received_at: 1_795_000_000_000,
    };
    let _ = normalize(&webhook, &InboundOptions::default());
    let _ = normalize(&webhook, &InboundOptions { secret: Some("t".into()), ..InboundOptions::default() });
    // A host that serves no groups takes the other path for group messages, updates and statuses.
    let _ = normalize(&webhook, &InboundOptions { serve_groups: Some(false), ..InboundOptions::default() });
}

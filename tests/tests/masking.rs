//! Shared-number rules through the real component: masked entries leak nothing, parents are
//! reassigned on every order of removals, only the parent automates, pick-up warns and never blocks.

use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, masking};
use integration_tests::plugin;
use proptest::prelude::*;

fn service(id: &str, name: &str) -> masking::Service {
    masking::Service { id: id.into(), name: name.into() }
}

fn call<R>(
    f: impl FnOnce(
        &host_harness::bindings::Plugin,
        &mut wasmtime::Store<host_harness::sandbox::CallState>,
    ) -> wasmtime::Result<R>,
) -> R {
    plugin().call_typed(f).expect("no host error")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random hidden content (text, captions, file names, values, links): no run of five of its
    /// characters appears in the entry beyond what the entry is meant to show.
    #[test]
    fn no_masked_entry_contains_hidden_content(
        text in "\\PC{5,80}", caption in "\\PC{5,30}", file in "[A-Za-z0-9_]{3,12}\\.(pdf|jpg)",
        value in "\\PC{5,20}", url in "https://[a-z]{3,10}\\.example/[A-Za-z0-9]{4,12}",
        files in 0u32..5, template in any::<bool>(), status in 0usize..6, language in "(en|de|es|pt|fr|xx)",
    ) {
        let statuses = [inbound::DeliveryStatus::Pending, inbound::DeliveryStatus::Sent, inbound::DeliveryStatus::Delivered,
            inbound::DeliveryStatus::Read, inbound::DeliveryStatus::Played, inbound::DeliveryStatus::Failed];
        let message = masking::OutboundMessage {
            id: "wamid.HBgL1".into(), service: service("crm", "Zoho CRM"), agent_name: Some("Priya".into()),
            sent_at: 1_795_010_520_000, kind: inbound::MessageKind::Text,
            template_name: template.then(|| "order_update".to_string()), status: Some(statuses[status]),
            text: Some(text.clone()), captions: vec![caption.clone()], file_names: vec![file.clone()],
            template_values: vec![value.clone()], urls: vec![url.clone()], attachment_count: files,
        };
        let policy = masking::MaskingPolicy { show_agent_name: true, language, time_zone: None };
        let entry = call(|p, s| p.helpdesk_whatsapp_masking().call_format_masked_reply(s, &message, &service("desk", "Desk"), &policy))
            .expect("an entry");
        prop_assert!(entry.content_hidden);
        prop_assert_eq!(&entry.text, &None);
        let shown = format!("{} {} {:?} {:?}", entry.summary, entry.service_name, entry.agent_name, entry.template_name);
        for hidden in [&text, &caption, &file, &value, &url] {
            let chars: Vec<char> = hidden.chars().collect();
            for run in chars.windows(5) {
                let run: String = run.iter().collect();
                // A run that the non-secret parts themselves contain (e.g. "Zoho ") proves nothing.
                let innocent = ["Zoho CRM", "Priya", "order_update", "wamid.HBgL1"].iter().any(|v| v.contains(&run))
                    || ["Template", "Reply", "sent from", "with", "files", "delivered", "gesendet", "enviada", "envoy"].iter().any(|w| w.contains(&run));
                if !innocent {
                    prop_assert!(!shown.contains(&run), "hidden `{}` leaked into {}", run, shown);
                }
            }
        }
    }
}

fn state(subscriptions: &[(&str, i64)]) -> masking::ChannelState {
    masking::ChannelState {
        subscriptions: subscriptions
            .iter()
            .map(|(id, at)| masking::Subscription { service: service(id, &id.to_uppercase()), subscribed_at: *at })
            .collect(),
        parent: None,
    }
}

#[test]
fn parent_reassignment_on_every_order_of_removals() {
    let services = [("desk", 100), ("crm", 200), ("app", 300), ("bot", 400)];
    // Every permutation of the four services, built by extending every partial order.
    let mut orders: Vec<Vec<usize>> = vec![vec![]];
    for _ in 0..services.len() {
        let mut longer = Vec::new();
        for order in &orders {
            for i in (0..services.len()).filter(|i| !order.contains(i)) {
                longer.push([order.clone(), vec![i]].concat());
            }
        }
        orders = longer;
    }
    assert_eq!(orders.len(), 24);
    for order in orders {
        let mut current = state(&services);
        for (step, &i) in order.iter().enumerate() {
            let leaving = services[i].0;
            let outcome =
                call(|p, s| p.helpdesk_whatsapp_masking().call_after_disconnect(s, &current, leaving)).unwrap();
            let earliest = outcome.remaining.iter().min_by_key(|s| s.subscribed_at).map(|s| s.service.id.clone());
            assert_eq!(outcome.parent, earliest, "order {order:?}, step {step}");
            assert_eq!(outcome.channel_running, step + 1 < services.len());
            assert!(outcome.notices.iter().any(|n| n.service_id == leaving), "the leaving service is told");
            current = masking::ChannelState { subscriptions: outcome.remaining, parent: outcome.parent };
        }
    }
}

#[test]
fn automation_is_refused_for_every_non_parent_and_kind() {
    let channel = state(&[("crm", 200), ("desk", 100), ("app", 300)]);
    let kinds = [
        masking::AutomationKind::Bot,
        masking::AutomationKind::AutoReply,
        masking::AutomationKind::WorkflowMessage,
        masking::AutomationKind::ScheduledNotification,
    ];
    for kind in kinds {
        for (id, parent) in [("desk", true), ("crm", false), ("app", false)] {
            let answer = call(|p, s| p.helpdesk_whatsapp_masking().call_may_automate(s, &channel, id, kind)).unwrap();
            assert_eq!(answer.allowed, parent, "{id} {kind:?}");
            assert_eq!(answer.parent.as_deref(), Some("desk"));
        }
    }
    let unknown = call(|p, s| p.helpdesk_whatsapp_masking().call_may_automate(s, &channel, "ghost", kinds[0]));
    assert!(matches!(unknown, Err(masking::MaskingError::UnknownService(id)) if id == "ghost"));
}

#[test]
fn pick_up_warns_and_never_blocks() {
    let holds = vec![
        masking::Hold { agent: "Priya".into(), service: service("crm", "Zoho CRM"), since: 0 },
        masking::Hold { agent: "Tom".into(), service: service("desk", "Desk"), since: 60_000 },
    ];
    for (agent, svc) in
        [("Ana", service("desk", "Desk")), ("Priya", service("crm", "Zoho CRM")), ("Lee", service("app", "App"))]
    {
        let answer = call(|p, s| p.helpdesk_whatsapp_masking().call_pick_up(s, &holds, agent, &svc, 600_000));
        assert!(answer.allowed, "never a block");
        let warning = answer.warning.expect("others hold it");
        assert!(!answer.held_by.iter().any(|h| h.agent == agent && h.service.id == svc.id));
        assert!(warning.starts_with("Already handled by"), "{warning}");
    }
    let alone = call(|p, s| p.helpdesk_whatsapp_masking().call_pick_up(s, &[], "Ana", &service("desk", "Desk"), 0));
    assert!(alone.allowed && alone.warning.is_none());
}

#[test]
fn identifiers_are_masked_through_the_component() {
    let masked = call(|p, s| p.helpdesk_whatsapp_masking().call_mask_identifier(s, "+44 7700 900123"));
    assert_eq!(masked, "+44 •••• ••01 23");
    let masked = call(|p, s| p.helpdesk_whatsapp_masking().call_mask_identifier(s, "priya.sharma@example.com"));
    assert_eq!(masked, "p•••••@example.com");
}

use proptest::prelude::*;

use super::*;
use crate::inbound::model::{DeliveryStatus, MessageKind};

fn service(id: &str, name: &str) -> Service {
    Service { id: id.into(), name: name.into() }
}

fn message() -> OutboundMessage {
    OutboundMessage {
        id: "wamid.1".into(),
        service: service("crm", "Zoho CRM"),
        agent_name: Some("Priya".into()),
        sent_at: 1_795_010_520_000, // 2026-11-20T14:02:00Z
        kind: MessageKind::Text,
        template_name: None,
        status: Some(DeliveryStatus::Delivered),
        text: Some("Your refund of 42 EUR is on its way".into()),
        captions: vec![],
        file_names: vec![],
        template_values: vec![],
        urls: vec![],
        attachment_count: 0,
    }
}

fn policy() -> MaskingPolicy {
    MaskingPolicy { show_agent_name: true, language: "en".into(), time_zone: None }
}

#[test]
fn another_services_reply_is_masked() {
    let entry = format_masked_reply(&message(), &service("desk", "Support Desk"), &policy()).unwrap();
    assert_eq!(entry.summary, "Reply sent from Zoho CRM by Priya · 14:02 · delivered");
    assert!(entry.content_hidden);
    assert_eq!(entry.text, None);
}

#[test]
fn own_replies_are_not_masked_and_agents_can_be_hidden() {
    let own = format_masked_reply(&message(), &service("crm", "Zoho CRM"), &policy()).unwrap();
    assert!(!own.content_hidden);
    assert_eq!(own.text.as_deref(), Some("Your refund of 42 EUR is on its way"));
    let hidden = MaskingPolicy { show_agent_name: false, ..policy() };
    let entry = format_masked_reply(&message(), &service("desk", "Desk"), &hidden).unwrap();
    assert_eq!(entry.summary, "Reply sent from Zoho CRM · 14:02 · delivered");
    assert_eq!(entry.agent_name, None);
}

#[test]
fn templates_files_languages_and_zones() {
    let m = OutboundMessage {
        template_name: Some("order_update".into()),
        template_values: vec!["A-1042".into()],
        attachment_count: 2,
        status: Some(DeliveryStatus::Read),
        ..message()
    };
    let en = format_masked_reply(&m, &service("desk", "Desk"), &policy()).unwrap();
    assert_eq!(en.summary, "Template order_update with 2 files sent from Zoho CRM by Priya · 14:02 · read");
    let de =
        MaskingPolicy { language: "de-AT".into(), time_zone: Some("CET-1CEST,M3.5.0,M10.5.0/3".into()), ..policy() };
    let entry = format_masked_reply(&m, &service("desk", "Desk"), &de).unwrap();
    assert_eq!(entry.summary, "Vorlage order_update mit 2 Dateien gesendet aus Zoho CRM von Priya · 15:02 · gelesen");
    let pt = MaskingPolicy { language: "pt_BR".into(), ..policy() };
    assert!(
        format_masked_reply(&m, &service("desk", "Desk"), &pt)
            .unwrap()
            .summary
            .starts_with("Modelo order_update com 2 arquivos enviado de")
    );
}

fn channel(ids: &[(&str, i64)]) -> ChannelState {
    ChannelState {
        subscriptions: ids
            .iter()
            .map(|(id, at)| Subscription { service: service(id, &id.to_uppercase()), subscribed_at: *at })
            .collect(),
        parent: None,
    }
}

#[test]
fn only_the_parent_automates() {
    let state = channel(&[("crm", 200), ("desk", 100), ("app", 300)]);
    for kind in [
        AutomationKind::Bot,
        AutomationKind::AutoReply,
        AutomationKind::WorkflowMessage,
        AutomationKind::ScheduledNotification,
    ] {
        assert!(may_automate(&state, "desk", kind).unwrap().allowed);
        for other in ["crm", "app"] {
            let answer = may_automate(&state, other, kind).unwrap();
            assert!(!answer.allowed);
            assert_eq!(answer.parent.as_deref(), Some("desk"));
            assert!(answer.reason.contains("Only the parent service (DESK)"), "{}", answer.reason);
        }
    }
    assert_eq!(may_automate(&state, "ghost", AutomationKind::Bot), Err(MaskingError::UnknownService("ghost".into())));
}

#[test]
fn parent_reassignment_on_every_order_of_removals() {
    let ids = [("a", 100), ("b", 200), ("c", 300), ("d", 400)];
    let orders = permutations(&["a", "b", "c", "d"]);
    assert_eq!(orders.len(), 24);
    for order in orders {
        let mut state = channel(&ids);
        for (step, leaving) in order.iter().enumerate() {
            let outcome = after_disconnect(&state, leaving).unwrap();
            let expected_parent =
                outcome.remaining.iter().min_by_key(|s| s.subscribed_at).map(|s| s.service.id.clone());
            assert_eq!(outcome.parent, expected_parent, "{order:?} step {step}");
            assert_eq!(outcome.channel_running, step < 3, "runs until the last one leaves");
            assert_eq!(outcome.notices.len(), outcome.remaining.len() + 1, "everyone is told");
            state = ChannelState { subscriptions: outcome.remaining, parent: outcome.parent };
        }
    }
}

fn permutations(items: &[&'static str]) -> Vec<Vec<&'static str>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    (0..items.len())
        .flat_map(|i| {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            permutations(&rest).into_iter().map(move |mut p| {
                p.insert(0, first);
                p
            })
        })
        .collect()
}

#[test]
fn pick_up_warns_and_never_blocks() {
    let holds = vec![Hold { agent: "Priya".into(), service: service("crm", "Zoho CRM"), since: 0 }];
    let answer = pick_up(&holds, "Tom", &service("desk", "Desk"), 12 * 60_000);
    assert!(answer.allowed);
    assert_eq!(
        answer.warning.as_deref(),
        Some(
            "Already handled by Priya (Zoho CRM) for 12 min. You can both reply: agree who answers so the customer gets one reply."
        )
    );
    let again = pick_up(&holds, "Priya", &service("crm", "Zoho CRM"), 1);
    assert!(again.allowed && again.warning.is_none(), "one's own hold is no collision");
}

proptest! {
    /// Hidden content from a script no summary word uses: not one of its characters may appear.
    #[test]
    fn no_hidden_character_leaks(
        text in "[\u{4e00}-\u{4e80}]{1,30}",
        caption in "[\u{4e00}-\u{4e80}]{1,20}",
        file in "[\u{4e00}-\u{4e80}]{1,12}\\.pdf",
        value in "[\u{4e00}-\u{4e80}]{1,12}",
        url in "https://[\u{4e00}-\u{4e80}]{1,10}\\.example/[\u{4e00}-\u{4e80}]{1,10}",
        files in 0u32..4, template in any::<bool>(), show_agent in any::<bool>(), language in "(en|de|es|pt|fr|ja)",
    ) {
        let m = OutboundMessage {
            text: Some(text), captions: vec![caption], file_names: vec![file], template_values: vec![value],
            urls: vec![url], attachment_count: files, template_name: template.then(|| "order_update".to_string()), ..message()
        };
        let policy = MaskingPolicy { show_agent_name: show_agent, language, time_zone: None };
        let entry = format_masked_reply(&m, &service("desk", "Desk"), &policy).unwrap();
        let shown = format!("{entry:?}");
        prop_assert!(!shown.chars().any(|c| ('\u{4e00}'..='\u{4e80}').contains(&c)), "{}", shown);
        prop_assert!(!shown.contains(".pdf") && !shown.contains("https://"));
    }

    /// Hidden ASCII content: no run of five of its characters appears beyond what is meant to be shown.
    #[test]
    fn no_hidden_ascii_leaks(text in "[A-Za-z0-9 ]{5,60}", caption in "[A-Za-z0-9]{5,20}", value in "[A-Za-z0-9]{5,20}") {
        let m = OutboundMessage { text: Some(text.clone()), captions: vec![caption.clone()], template_values: vec![value.clone()], ..message() };
        let entry = format_masked_reply(&m, &service("desk", "Desk"), &policy()).unwrap();
        let visible = "Reply sent from Zoho CRM by Priya · 14:02 · delivered wamid.1";
        for hidden in [&text, &caption, &value] {
            let chars: Vec<char> = hidden.chars().collect();
            for run in chars.windows(5) {
                let run: String = run.iter().collect();
                if !visible.contains(&run) {
                    prop_assert!(!format!("{entry:?}").contains(&run), "`{}` leaked", run);
                }
            }
        }
    }
}

use chrono::{NaiveDate, Weekday};

use super::*;
use crate::business_hours::{LocalDate, LocalTime, OpeningSpan};
use crate::pricing::{Charge, CostReason, REPORTED_2026_CHANGE_FROM};
use crate::time::MINUTE;
use crate::types::MessageCategory;

const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap().and_utc().timestamp_millis()
}

fn berlin(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Instant {
    Zone::from_posix_rule(BERLIN)
        .unwrap()
        .instant_of(NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap())
}

fn customer_wrote(sent_at: Instant, now: Instant) -> WindowRequest {
    WindowRequest {
        conversation: Conversation {
            last_customer_message: Some(CustomerMessageTime { sent_at, clock: ClockSource::ProviderTimestamp }),
            last_business_message_at: None,
            origin: ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        },
        now,
        time_zone: None,
        business_hours: None,
        warn_before: None,
        pricing: None,
    }
}

fn office_hours() -> BusinessHours {
    let weekly = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
        .into_iter()
        .map(|day| OpeningSpan {
            day,
            opens: LocalTime { hour: 9, minute: 0 },
            closes: LocalTime { hour: 18, minute: 0 },
        })
        .collect();
    BusinessHours { weekly, closed_dates: vec![] }
}

fn cost(answer: &WindowAnswer, category: MessageCategory) -> &CostLine {
    answer.costs.iter().find(|c| c.category == category).unwrap()
}

#[test]
fn open_one_millisecond_before_24_hours_closed_at_exactly_24() {
    let sent = utc(2026, 11, 20, 17, 0);
    let just_before = check(&customer_wrote(sent, sent + DAY - 1)).unwrap();
    assert_eq!(just_before.state, WindowState::ClosingSoon);
    assert!(just_before.free_form_allowed);
    assert_eq!(just_before.time_left, 1);
    let at_24h = check(&customer_wrote(sent, sent + DAY)).unwrap();
    assert_eq!(at_24h.state, WindowState::Closed);
    assert!(!at_24h.free_form_allowed);
    assert!(at_24h.templates_allowed);
    assert_eq!(at_24h.time_left, 0);
    assert_eq!(at_24h.closes_at, Some(sent + DAY));
    assert!(at_24h.hint.contains("131047"), "{}", at_24h.hint);
}

#[test]
fn closing_soon_starts_at_the_lead_time() {
    let sent = utc(2026, 11, 20, 17, 0);
    let open = check(&customer_wrote(sent, sent + DAY - DEFAULT_WARN_BEFORE - 1)).unwrap();
    assert_eq!(open.state, WindowState::Open);
    let soon = check(&customer_wrote(sent, sent + DAY - DEFAULT_WARN_BEFORE)).unwrap();
    assert_eq!(soon.state, WindowState::ClosingSoon);
    assert!(soon.hint.starts_with("The window closes in 2 h ("), "{}", soon.hint);
    let mut custom = customer_wrote(sent, sent + DAY - 30 * MINUTE);
    custom.warn_before = Some(15 * MINUTE);
    assert_eq!(check(&custom).unwrap().state, WindowState::Open);
}

#[test]
fn never_opened_allows_only_templates() {
    let mut request = customer_wrote(0, utc(2026, 11, 20, 17, 0));
    request.conversation.last_customer_message = None;
    let answer = check(&request).unwrap();
    assert_eq!(answer.state, WindowState::NeverOpened);
    assert_eq!((answer.opened_at, answer.closes_at, answer.clock), (None, None, None));
    assert!(!answer.free_form_allowed && answer.templates_allowed);
    assert!(answer.hint.contains("has not written yet"));
    assert_eq!(cost(&answer, MessageCategory::Service).reason, CostReason::NotAllowed);
}

#[test]
fn business_messages_never_extend_the_window() {
    let sent = utc(2026, 11, 20, 17, 0);
    let mut request = customer_wrote(sent, sent + DAY + MINUTE);
    request.conversation.last_business_message_at = Some(sent + DAY - MINUTE);
    let answer = check(&request).unwrap();
    assert_eq!(answer.state, WindowState::Closed);
    assert_eq!(answer.closes_at, Some(sent + DAY));
    // While open, the hint says the agent's reply did not move the deadline.
    let mut request = customer_wrote(sent, sent + HOUR);
    request.conversation.last_business_message_at = Some(sent + 30 * MINUTE);
    assert!(check(&request).unwrap().hint.contains("do not extend the window"));
}

#[test]
fn a_send_time_in_the_future_is_clamped_and_reported() {
    let now = utc(2026, 11, 20, 17, 0);
    let answer = check(&customer_wrote(now + 5 * MINUTE, now)).unwrap();
    assert_eq!(answer.clock_skew, Some(ClockSkew { reported: now + 5 * MINUTE, used: now }));
    assert_eq!(answer.opened_at, Some(now));
    assert_eq!(answer.closes_at, Some(now + DAY));
    assert!(answer.hint.contains("clock skew"));
    assert_eq!(check(&customer_wrote(now, now)).unwrap().clock_skew, None);
}

#[test]
fn twilio_receipt_time_is_flagged() {
    let now = utc(2026, 11, 20, 17, 0);
    let mut request = customer_wrote(now - HOUR, now);
    request.conversation.last_customer_message.as_mut().unwrap().clock = ClockSource::HelpdeskReceipt;
    let answer = check(&request).unwrap();
    assert_eq!(answer.clock, Some(ClockSource::HelpdeskReceipt));
    assert!(answer.hint.contains("provider gave no send time"));
}

#[test]
fn friday_evening_customer_window_closes_on_saturday_outside_hours() {
    // The customer writes on Friday 20 Nov 2026 at 19:40 in Berlin; the agent looks at 19:55.
    let sent = berlin(2026, 11, 20, 19, 40);
    let mut request = customer_wrote(sent, berlin(2026, 11, 20, 19, 55));
    request.time_zone = Some(BERLIN.into());
    request.business_hours = Some(office_hours());
    let friday_night = check(&request).unwrap();
    let hours = friday_night.hours.unwrap();
    assert!(hours.closes_outside_hours);
    assert!(!hours.open_now);
    assert_eq!(hours.last_business_moment, None, "Saturday holds no business hours");
    assert!(
        friday_night.hint.starts_with("The window closes Sat 19:40 CET and no business hours remain before then"),
        "{}",
        friday_night.hint
    );
    // Monday morning: closed.
    request.now = berlin(2026, 11, 23, 9, 0);
    let monday = check(&request).unwrap();
    assert_eq!(monday.state, WindowState::Closed);
    assert!(monday.hint.contains("closed Sat 19:40 CET"), "{}", monday.hint);
    assert!(monday.hours.unwrap().open_now);
}

#[test]
fn thursday_evening_customer_gets_the_friday_deadline() {
    let sent = berlin(2026, 11, 19, 20, 0);
    let mut request = customer_wrote(sent, berlin(2026, 11, 20, 9, 30));
    request.time_zone = Some(BERLIN.into());
    request.business_hours = Some(office_hours());
    let answer = check(&request).unwrap();
    let hours = answer.hours.unwrap();
    assert!(hours.open_now);
    // Friday 20:00 is after closing time: the last moment with agents at work is Friday 18:00.
    assert!(hours.closes_outside_hours);
    assert_eq!(hours.last_business_moment, Some(berlin(2026, 11, 20, 18, 0)));
    assert!(
        answer.hint.starts_with("The window closes Fri 20:00 CET, outside your business hours: reply by Fri 18:00 CET"),
        "{}",
        answer.hint
    );
}

#[test]
fn dst_week_keeps_24_real_hours_and_shows_the_new_offset() {
    // Saturday 24 Oct 2026 12:00 CEST; the clocks go back on Sunday 03:00 CEST -> 02:00 CET.
    let sent = berlin(2026, 10, 24, 12, 0);
    let mut request = customer_wrote(sent, sent + HOUR);
    request.time_zone = Some(BERLIN.into());
    let answer = check(&request).unwrap();
    assert_eq!(answer.closes_at, Some(sent + DAY));
    // 24 real hours later the wall clock shows 11:00, in CET.
    assert!(answer.hint.contains("Sun 11:00 CET"), "{}", answer.hint);
}

#[test]
fn ad_referral_opens_72_free_hours_from_the_answer() {
    let entry = utc(2026, 11, 20, 10, 0);
    let mut request = customer_wrote(entry, entry + HOUR);
    request.conversation.origin = ConversationOrigin::ClickToWhatsappAd;
    request.conversation.entry_message_at = Some(entry);
    let waiting = check(&request).unwrap();
    assert_eq!(waiting.entry_point, EntryPoint::AnswerBy(entry + DAY));
    assert!(waiting.costs.iter().all(|c| c.charge == Charge::Free));
    assert!(waiting.hint.contains("free for 72 hours"));

    let reply = entry + 2 * HOUR;
    request.conversation.first_business_reply_at = Some(reply);
    request.now = reply + 3 * DAY - 1;
    let late = check(&request).unwrap();
    assert_eq!(late.entry_point, EntryPoint::FreeUntil(reply + 3 * DAY));
    assert_eq!(late.state, WindowState::Closed, "free does not mean free-form allowed");
    assert!(!late.free_form_allowed);
    let marketing = cost(&late, MessageCategory::Marketing);
    assert_eq!((marketing.charge, marketing.reason), (Charge::Free, CostReason::FreeEntryPoint));
    assert_eq!(cost(&late, MessageCategory::Service).reason, CostReason::NotAllowed);

    request.now = reply + 3 * DAY;
    let ended = check(&request).unwrap();
    assert_eq!(ended.entry_point, EntryPoint::Ended(reply + 3 * DAY));
    assert_eq!(cost(&ended, MessageCategory::Marketing).charge, Charge::Billable);
}

#[test]
fn an_answer_after_24_hours_misses_the_free_entry_point() {
    let entry = utc(2026, 11, 20, 10, 0);
    let mut request = customer_wrote(entry, entry + DAY + HOUR);
    request.conversation.origin = ConversationOrigin::FacebookPageCta;
    request.conversation.entry_message_at = Some(entry);
    assert_eq!(check(&request).unwrap().entry_point, EntryPoint::Missed(entry + DAY));
    request.conversation.first_business_reply_at = Some(entry + DAY);
    assert_eq!(check(&request).unwrap().entry_point, EntryPoint::Missed(entry + DAY));
}

#[test]
fn pricing_changes_on_2026_10_01() {
    let before = check(&customer_wrote(REPORTED_2026_CHANGE_FROM - HOUR, REPORTED_2026_CHANGE_FROM - 1)).unwrap();
    assert_eq!(cost(&before, MessageCategory::Utility).charge, Charge::Free);
    assert_eq!(cost(&before, MessageCategory::Service).charge, Charge::Free);
    assert_eq!(
        before.pricing_period.as_deref(),
        Some("per-message pricing from 2025-07-01, group pricing from 2025-10-22")
    );
    assert!(before.pricing_details.as_ref().is_some_and(|p| p.confirmation == pricing::Confirmation::Confirmed));
    let after = check(&customer_wrote(REPORTED_2026_CHANGE_FROM - HOUR, REPORTED_2026_CHANGE_FROM)).unwrap();
    assert_eq!(cost(&after, MessageCategory::Utility).charge, Charge::Billable);
    assert_eq!(cost(&after, MessageCategory::Service).charge, Charge::Billable);
    assert_eq!(cost(&after, MessageCategory::Authentication).charge, Charge::Billable);
    let details = after.pricing_details.unwrap();
    assert_eq!(details.confirmation, pricing::Confirmation::Reported);
    assert!(details.sources.iter().any(|s| s.contains("ycloud.com/blog")));
}

#[test]
fn a_conversation_in_december_2024_has_free_service() {
    let sent = utc(2024, 12, 10, 9, 0);
    let answer = check(&customer_wrote(sent, sent + HOUR)).unwrap();
    assert_eq!(cost(&answer, MessageCategory::Service).charge, Charge::Free);
    assert_eq!(cost(&answer, MessageCategory::Utility).charge, Charge::Billable, "per conversation until 2025-07-01");
    let details = answer.pricing_details.unwrap();
    assert!(details.name.starts_with("conversation-based pricing from 2024-11-01"));
    assert!(details.notes.iter().any(|n| n.contains("72-hour")));
}

#[test]
fn a_host_pricing_table_replaces_the_default() {
    let now = utc(2026, 11, 20, 17, 0);
    let mut request = customer_wrote(now - HOUR, now);
    request.pricing = Some(vec![PricingPeriod {
        effective_from: utc(2026, 1, 1, 0, 0),
        name: "our contract".into(),
        categories: vec![pricing::CategoryPricing {
            category: MessageCategory::Marketing,
            inside_window: Charge::Free,
            outside_window: Charge::Billable,
        }],
        sources: vec!["Contract 2026-01, section 4".into()],
        confirmation: pricing::Confirmation::Reported,
        notes: vec!["our own note".into()],
    }]);
    let answer = check(&request).unwrap();
    assert_eq!(answer.pricing_period.as_deref(), Some("our contract"));
    let details = answer.pricing_details.as_ref().unwrap();
    assert_eq!((details.sources.len(), details.notes.len()), (1, 1), "the host's fields come back as given");
    assert!(cost(&answer, MessageCategory::Marketing).explanation.contains("reported"));
    assert_eq!(cost(&answer, MessageCategory::Marketing).charge, Charge::Free);
    assert_eq!(cost(&answer, MessageCategory::Utility).charge, Charge::Unknown);
}

#[test]
fn bad_requests_get_typed_errors_naming_the_field() {
    let now = utc(2026, 11, 20, 17, 0);
    let field = |r: &WindowRequest| match check(r).unwrap_err() {
        WindowError::InvalidRequest(e) => e.field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(&customer_wrote(-1, now)), "conversation.last-customer-message.sent-at");
    assert_eq!(field(&customer_wrote(now, i64::MAX)), "now");
    let mut ad = customer_wrote(now - HOUR, now);
    ad.conversation.origin = ConversationOrigin::ClickToWhatsappAd;
    assert_eq!(field(&ad), "conversation.entry-message-at");
    ad.conversation.entry_message_at = Some(now - 30 * MINUTE);
    assert_eq!(field(&ad), "conversation.last-customer-message.sent-at", "the last message precedes the first");
    ad.conversation.entry_message_at = Some(now - 90 * MINUTE);
    ad.conversation.first_business_reply_at = Some(now - 2 * HOUR);
    assert_eq!(field(&ad), "conversation.first-business-reply-at");
    let mut warn = customer_wrote(now, now);
    warn.warn_before = Some(-1);
    assert_eq!(field(&warn), "warn-before");

    let mut zone = customer_wrote(now, now);
    zone.time_zone = Some("Europe/Berlin".into());
    assert!(matches!(check(&zone), Err(WindowError::InvalidTimeZone(r)) if r.contains("IANA")));
    let mut hours = customer_wrote(now, now);
    hours.business_hours =
        Some(BusinessHours { weekly: vec![], closed_dates: vec![LocalDate { year: 2026, month: 13, day: 1 }] });
    assert!(matches!(check(&hours), Err(WindowError::InvalidBusinessHours(_))));
    let mut table = customer_wrote(now, now);
    table.pricing = Some(vec![PricingPeriod {
        effective_from: -5,
        name: "x".into(),
        categories: vec![],
        sources: vec![],
        confirmation: pricing::Confirmation::Confirmed,
        notes: vec![],
    }]);
    assert!(matches!(check(&table), Err(WindowError::InvalidPricingTable(_))));
}

#[test]
fn echoes_never_open_or_extend_the_window() {
    let sent = utc(2026, 11, 20, 10, 0);
    let start = customer_wrote(sent, sent).conversation;
    let events = [
        WindowEvent::Business { sent_at: sent + 20 * HOUR },
        WindowEvent::Other,
        WindowEvent::Business { sent_at: sent + 2 * HOUR },
    ];
    let folded = record_events(&start, &events);
    assert_eq!(folded.last_customer_message, start.last_customer_message, "echoes leave the customer's time alone");
    assert_eq!(folded.last_business_message_at, Some(sent + 20 * HOUR));
    let request = WindowRequest { conversation: folded, ..customer_wrote(sent, sent + DAY) };
    assert_eq!(
        check(&request).unwrap().state,
        WindowState::Closed,
        "closed 24 h after the customer, whatever the echoes"
    );

    // Only an echo has ever been seen: the window has never opened.
    let never = record_events(&Conversation { last_customer_message: None, ..start.clone() }, &events[..1]);
    assert_eq!(never.last_customer_message, None);
}

#[test]
fn customer_messages_restart_the_window_and_referrals_set_the_entry_point() {
    let t0 = utc(2026, 11, 20, 10, 0);
    let empty = Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    };
    let events = [
        WindowEvent::Customer { sent_at: t0 + HOUR, clock: ClockSource::ProviderTimestamp, referral: None },
        WindowEvent::Customer { sent_at: t0, clock: ClockSource::ProviderTimestamp, referral: Some("ad".into()) },
        WindowEvent::Business { sent_at: t0 + 30 * MINUTE },
    ];
    let c = record_events(&empty, &events);
    assert_eq!(c.last_customer_message.unwrap().sent_at, t0 + HOUR, "the latest send time wins, in any order");
    assert_eq!((c.origin, c.entry_message_at), (ConversationOrigin::ClickToWhatsappAd, Some(t0)));
    assert_eq!(c.first_business_reply_at, Some(t0 + 30 * MINUTE));
}

#[test]
fn the_hosts_own_send_is_recorded_by_the_same_rule() {
    let t0 = utc(2026, 11, 20, 10, 0);
    let ad = Conversation {
        last_customer_message: Some(CustomerMessageTime { sent_at: t0, clock: ClockSource::ProviderTimestamp }),
        last_business_message_at: None,
        origin: ConversationOrigin::ClickToWhatsappAd,
        entry_message_at: Some(t0),
        first_business_reply_at: None,
    };
    let once = record_business_message(&ad, t0 + 2 * HOUR);
    assert_eq!(once.last_business_message_at, Some(t0 + 2 * HOUR));
    assert_eq!(once.first_business_reply_at, Some(t0 + 2 * HOUR), "the first answer starts the free 72 hours");
    assert_eq!(once.last_customer_message, ad.last_customer_message, "a business send never extends the window");
    let twice = record_business_message(&once, t0 + 5 * HOUR);
    assert_eq!(twice.first_business_reply_at, Some(t0 + 2 * HOUR), "later answers keep the first one");
    assert_eq!(twice.last_business_message_at, Some(t0 + 5 * HOUR));
    // An organic conversation has no entry point to answer.
    let organic = record_business_message(
        &Conversation { origin: ConversationOrigin::Organic, entry_message_at: None, ..ad },
        t0,
    );
    assert_eq!(organic.first_business_reply_at, None);
}

/// What each inbound event means for the window: the reduction the adapter applies before `record_events`.
#[test]
fn each_event_kind_moves_the_window_as_the_rules_say() {
    let t = 1_795_000_000_000;
    let empty = Conversation {
        last_customer_message: None,
        last_business_message_at: None,
        origin: ConversationOrigin::Organic,
        entry_message_at: None,
        first_business_reply_at: None,
    };
    let clock = ClockSource::ProviderTimestamp;
    // A customer's text or media opens the window, with its referral.
    for kind in [MessageKind::Text, MessageKind::Image, MessageKind::Reaction, MessageKind::FlowReply] {
        assert_eq!(
            WindowEvent::customer_message(kind, t, clock, Some("ad".into())),
            WindowEvent::Customer { sent_at: t, clock, referral: Some("ad".into()) },
            "{kind:?}"
        );
    }
    // An edit or a revoke changes an earlier message: nothing moves.
    for kind in [MessageKind::Edit, MessageKind::Revoke] {
        assert_eq!(WindowEvent::customer_message(kind, t, clock, None), WindowEvent::Other, "{kind:?}");
    }
    // An echo is the business writing: never the customer's time.
    let echoed = record_events(&empty, &[WindowEvent::echo(t)]);
    assert_eq!((echoed.last_customer_message, echoed.last_business_message_at), (None, Some(t)));
    // A call counts only when the customer called and it connected.
    assert_eq!(
        WindowEvent::call(CallDirection::UserInitiated, CallAction::Connect, t),
        WindowEvent::Customer { sent_at: t, clock, referral: None }
    );
    for (direction, action) in [
        (CallDirection::BusinessInitiated, CallAction::Connect),
        (CallDirection::BusinessInitiated, CallAction::Accepted),
        (CallDirection::UserInitiated, CallAction::Completed),
    ] {
        assert_eq!(WindowEvent::call(direction, action, t), WindowEvent::Other, "{direction:?} {action:?}");
    }
    assert_eq!(record_events(&empty, &[WindowEvent::other()]), empty);
}

//! The task that posts the providers' callbacks when they fall due on the simulated clock, one after
//! another in the order the simulation scheduled them (so a late `sent` can arrive after `delivered`,
//! and a duplicate after both), and records each post with the receiver's answer. A post the receiver
//! did not take (no 2xx answer, or no answer) is tried again later, as the provider does.

use std::sync::Arc;
use std::time::Duration;

use super::{App, Posted};
use crate::sim::providers::{Kind, Webhook};

/// The longest the task sleeps before looking again (a send may queue something sooner).
const IDLE: Duration = Duration::from_millis(250);

/// Retries of a post that failed: the first after 30 s of the providers' clock, each next one twice as
/// late, at most this many. Meta "keeps trying" a webhook its receiver did not answer with 200, with
/// exponential backoff for up to 7 days (Hookdeck, "Guide to WhatsApp Webhooks",
/// https://hookdeck.com/webhooks/platforms/guide-to-whatsapp-webhooks-features-and-best-practices; Meta's own
/// page was not read here); the schedule and the cap are the simulation's. 1msg relays the Cloud API and
/// is taken to retry alike (unconfirmed). Twilio is not retried here: it retries a callback on connection
/// failures and timeouts as the URL's connection overrides say (`#rc=`, Twilio "Webhooks (HTTP callbacks):
/// Connection Overrides", https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides); its
/// default for status callbacks is unconfirmed, and the simulation ignores the overrides.
pub const RETRY: u32 = 6;
const FIRST_RETRY_MS: i64 = 30_000;

/// Post one webhook to its URL (checked by the loopback guard) and record what the receiver answered.
/// `attempt` is 0 the first time; a failed post is queued again while the provider retries.
pub async fn post(app: &App, kind: Kind, webhook: Webhook, attempt: u32) -> Posted {
    let mut posted = Posted {
        provider: kind.wit_name(),
        url: webhook.url.clone(),
        body: webhook.body.clone(),
        status: 0,
        answer: String::new(),
        attempt,
    };
    let allowed = super::check_callback(&webhook.url, app.config.allow_remote_callback);
    let answer = match allowed {
        Ok(()) => crate::wire::post(&app.http, &webhook.url, &webhook.headers, webhook.body.clone().into_bytes()).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(a) => {
            posted.status = a.status;
            posted.answer = a.body;
        }
        Err(e) => posted.answer = e,
    }
    let mut sim = app.sim();
    sim.posted.push(posted.clone());
    let failed = !(200..300).contains(&posted.status);
    if failed && kind != Kind::Twilio && attempt < RETRY {
        let at = app.clock.now_ms() + FIRST_RETRY_MS * (1 << attempt);
        sim.retries.push(super::Retry { at, attempt: attempt + 1, kind, webhook });
    }
    drop(sim);
    posted
}

/// Post what is due, then sleep until the next callback is due (or a send wakes the task); forever.
pub async fn run(app: Arc<App>) {
    loop {
        let now = app.clock.now_ms();
        let due = app.sim().due(now);
        for (kind, webhook, attempt) in due {
            let posted = post(&app, kind, webhook, attempt).await;
            let mut sim = app.sim();
            sim.in_flight = sim.in_flight.saturating_sub(1);
            drop(sim);
            if !(200..300).contains(&posted.status) {
                eprintln!("callback {} {} → {} {}", posted.provider, posted.url, posted.status, posted.answer.trim());
            }
        }
        let wait = app.sim().next_due().map_or(IDLE, |at| app.clock.real_wait_until(at).min(IDLE));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = app.queued.notified() => {}
        }
    }
}

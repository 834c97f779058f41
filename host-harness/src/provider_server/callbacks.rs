//! The task that posts the providers' callbacks when they fall due on the simulated clock, one after
//! another in the order the simulation scheduled them (so a late `sent` can arrive after `delivered`,
//! and a duplicate after both), and records each post with the receiver's answer.

use std::sync::Arc;
use std::time::Duration;

use super::{App, Posted};
use crate::sim::providers::{Kind, Webhook};

/// The longest the task sleeps before looking again (a send may queue something sooner).
const IDLE: Duration = Duration::from_millis(250);

/// Post one webhook to its URL (checked by the loopback guard) and record what the receiver answered.
pub async fn post(app: &App, kind: Kind, webhook: Webhook) -> Posted {
    let mut posted = Posted {
        provider: kind.wit_name(),
        url: webhook.url.clone(),
        body: webhook.body.clone(),
        status: 0,
        answer: String::new(),
    };
    let allowed = super::check_callback(&webhook.url, app.config.allow_remote_callback);
    let answer = match allowed {
        Ok(()) => crate::wire::post(&app.http, &webhook.url, &webhook.headers, webhook.body.into_bytes()).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(a) => {
            posted.status = a.status;
            posted.answer = a.body;
        }
        Err(e) => posted.answer = e,
    }
    app.sim().posted.push(posted.clone());
    posted
}

/// Post what is due, then sleep until the next callback is due (or a send wakes the task); forever.
pub async fn run(app: Arc<App>) {
    loop {
        let now = app.clock.now_ms();
        let due = app.sim().due(now);
        for (kind, webhook) in due {
            let posted = post(&app, kind, webhook).await;
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

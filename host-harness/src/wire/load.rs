//! `host-harness load --to URL`: N signed text webhooks from N customers posted concurrently, every
//! tenth posted twice more (a provider's retries racing the original), and the throughput. Whether
//! anything was lost or duplicated is read from the receiver's state (for `serve`, rows in SQLite).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::trigger::{Trigger, build};
use crate::sim::providers::{Kind, Webhook};

/// What a load run did.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// Distinct webhooks (distinct messages).
    pub webhooks: usize,
    /// Requests posted, retries included.
    pub requests: usize,
    /// Requests answered 200.
    pub accepted: usize,
    /// Other answers, with their status.
    pub refused: Vec<u16>,
    pub elapsed: Duration,
}

impl LoadReport {
    /// Requests per second over the whole run.
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Build `count` distinct webhooks for `provider`, signed for `public_url` (default `to`).
pub fn webhooks(
    provider: Kind,
    to: &str,
    public_url: Option<&str>,
    secret: &str,
    count: usize,
) -> Result<Vec<Webhook>, String> {
    (0..count)
        .map(|i| {
            let t = Trigger {
                provider,
                event: "text".into(),
                to: to.into(),
                public_url: public_url.map(str::to_string),
                secret: secret.into(),
                phone: format!("+1555{:07}", i),
                name: format!("Load {i}"),
                text: format!("Load message {i}"),
                message_id: None,
                count: 1,
            };
            build(&t).map(|mut hooks| hooks.remove(0))
        })
        .collect()
}

/// Post the webhooks with at most `concurrency` in flight; every tenth three times in all.
pub fn run(to: &str, provider: Kind, hooks: Vec<Webhook>, concurrency: usize) -> Result<LoadReport, String> {
    super::check_destination(to)?;
    let post_url = match provider {
        Kind::OneMsg => hooks.first().map_or(to.to_string(), |h| super::replay::destination(to, &h.url)),
        _ => to.to_string(),
    };
    let mut requests: Vec<Webhook> = Vec::new();
    for (i, hook) in hooks.iter().enumerate() {
        requests.push(hook.clone());
        if i % 10 == 0 {
            requests.push(hook.clone());
            requests.push(hook.clone());
        }
    }
    let webhooks = hooks.len();
    let total = requests.len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let client = super::client();
        let gate = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for hook in requests {
            let permit = gate.clone().acquire_owned().await.map_err(|e| e.to_string())?;
            let (client, url) = (client.clone(), post_url.clone());
            tasks.push(tokio::spawn(async move {
                let answer = super::post(&client, &url, &hook.headers, hook.body.into_bytes()).await;
                drop(permit);
                answer
            }));
        }
        let mut accepted = 0;
        let mut refused = Vec::new();
        for task in tasks {
            let answer = task.await.map_err(|e| e.to_string())??;
            if answer.status == 200 {
                accepted += 1;
            } else {
                refused.push(answer.status);
            }
        }
        Ok(LoadReport { webhooks, requests: total, accepted, refused, elapsed: started.elapsed() })
    })
}

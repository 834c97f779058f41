//! The seeded soak: 10,000 webhooks (10% duplicates, shuffled late statuses, 1% malformed bodies)
//! end with every valid message on exactly one ticket, no status downgraded, every malformed body
//! refused with a typed error, and the ledger balanced. The 100,000-webhook run is ignored by default
//! (`cargo test --release -p integration-tests --test soak -- --ignored`).

use host_harness::sim::providers::Kind;
use host_harness::sim::soak::soak;
use integration_tests::plugin;

/// Resident memory now and at its peak, in KiB (Linux `/proc/self/status`; zeros elsewhere).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn check(kind: Kind, webhooks: u64, seed: u64) {
    plugin(); // load the component before measuring
    let (rss_start, peak_start) = memory();
    let report = soak(plugin(), kind, webhooks, seed).expect("no host error");
    let (rss_end, peak_end) = memory();
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    println!(
        "memory: RSS {rss_start} KiB at start, {rss_end} KiB at end; peak {peak_start} KiB at start, {peak_end} KiB at end"
    );
    assert!(report.webhooks >= webhooks);
    assert!(
        report.malformed_sent > 0 && report.counts.duplicates > 0 && report.counts.statuses_kept > 0,
        "the soak exercised every misbehaviour"
    );
    assert!(report.holds(), "an invariant broke: {report:?}");
}

#[test]
fn ten_thousand_meta_webhooks() {
    check(Kind::MetaCloud, 10_000, 42);
}

#[test]
fn two_thousand_twilio_and_1msg_webhooks() {
    check(Kind::Twilio, 2_000, 7);
    check(Kind::OneMsg, 2_000, 9);
}

#[test]
#[ignore = "long: run for the load figures"]
fn one_hundred_thousand_meta_webhooks() {
    check(Kind::MetaCloud, 100_000, 4242);
}

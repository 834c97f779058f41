//! Instructions per call (wasmtime fuel: deterministic, unlike time) for a typical call of each
//! export, printed for BENCHMARKS.md and held under a ceiling so that a regression fails. The
//! ceiling is today's figures with headroom; the performance target (issue 7) is 100,000 for a
//! typical webhook (Shopify Functions allow 11 million per call).

use host_harness::envelope;
use host_harness::json::args;
use integration_tests::{json_fixtures, plugin};
use serde_json::Value;

/// Measured with the release profile in Cargo.toml: at most about 240,000 (a signed Twilio webhook).
const CEILING: u64 = 300_000;

/// Fuel for one JSON call.
fn fuel(interface: &str, function: &str, call: serde_json::Map<String, Value>) -> u64 {
    plugin().call_json_metered(interface, function, &call).expect("no host error").fuel
}

fn fixture(dir: &str, prefix: &str) -> Value {
    json_fixtures(dir).into_iter().find(|(n, _)| n.starts_with(prefix)).expect("fixture").1
}

#[test]
fn instructions_per_export_stay_under_target() {
    let mut figures = Vec::new();
    for (provider, name) in [("meta-cloud", "01-"), ("twilio", "01-"), ("one-msg", "01-")] {
        let f = fixture(provider, name);
        figures.push((
            format!("inbound.normalize ({provider}, signed text message)"),
            fuel("inbound", "normalize", envelope::normalize_args(&f, Some(provider)).unwrap()),
        ));
    }
    let meta = fixture("meta-cloud", "01-");
    figures.push((
        "inbound.verify-signature (meta-cloud)".into(),
        fuel("inbound", "verify-signature", envelope::verify_args(&meta, Some("meta-cloud")).unwrap()),
    ));
    let window = fixture("window", "10-");
    let mut request = window["request"].clone();
    request["time_zone"] = Value::String(host_harness::zones::posix_rule("Europe/Berlin").unwrap());
    figures
        .push(("window.check (business hours, Berlin)".into(), fuel("window", "check", args([("request", request)]))));
    let t = fixture("templates", "01-");
    let case = &t["cases"][0];
    figures.push((
        "templates.render (text header, 3 body variables)".into(),
        fuel(
            "templates",
            "render",
            args([
                ("template", t["template"].clone()),
                ("values", case["values"].clone()),
                ("target", case["target"].clone()),
            ]),
        ),
    ));
    for (what, n) in &figures {
        println!("{n:>9} instructions  {what}");
    }
    for (what, n) in &figures {
        assert!(*n < CEILING, "{what}: {n} instructions, over the {CEILING} ceiling");
    }
}

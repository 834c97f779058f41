//! The figures of issue 15 that are not times, printed before criterion's groups so that one
//! `cargo bench -p host-harness` gives them all: the component's size and the instructions of a signed
//! Meta and Twilio webhook against their targets, and the peer benchmarks in their own languages
//! (`bench/peers/run.sh` for Python, `bench/peers/node.sh` for Node.js), whose JSON is printed as they
//! give it. A peer benchmark whose language is missing is reported as not run, with how to get it.
//!
//! Skipped when criterion is given a filter that does not mention `figures`
//! (`cargo bench -p host-harness -- "^normalize/"` runs that group alone).

use std::path::Path;
use std::process::Command;

use host_harness::bindings::exports::helpdesk::whatsapp::types;
use host_harness::{BUNDLED_COMPONENT, BUNDLED_POST_LINK_OPTIMIZED, PluginHost};

/// Issue 15's targets: the component's bytes (the 256 KB marketplaces such as Shopify Functions take),
/// and the instructions of a signed text webhook.
const SIZE_TARGET: usize = 256 * 1024;
const META_TARGET: u64 = 150_000;
const TWILIO_TARGET: u64 = 170_000;

/// Whether the command line asks for the figures: no filter, or a filter naming them.
pub fn wanted() -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    filters.is_empty() || filters.iter().any(|f| f.contains("figures"))
}

pub fn print() {
    println!("== figures (issue 15 targets)");
    let optimized = if BUNDLED_POST_LINK_OPTIMIZED { "with wasm-opt -Oz" } else { "default build" };
    let size = BUNDLED_COMPONENT.len();
    println!(
        "component: {size} bytes ({optimized}); target {SIZE_TARGET}: {}",
        verdict(size as u64, SIZE_TARGET as u64)
    );

    let host = PluginHost::bundled_metered().expect("the bundled component loads");
    for (dir, provider, target) in
        [("meta-cloud", types::Provider::MetaCloud, META_TARGET), ("twilio", types::Provider::Twilio, TWILIO_TARGET)]
    {
        let f = super::fixture(&format!("{dir}/01-text.json"));
        let hook = super::wit_webhook(provider, &f);
        let options = super::options_for(&f);
        let metered = host.normalize_metered(&hook, &options).expect("within budgets");
        assert!(metered.value.is_ok(), "{dir}/01-text.json normalizes");
        println!(
            "instructions, signed {dir} text webhook: {}; target {target}: {}",
            metered.fuel,
            verdict(metered.fuel, target)
        );
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let peers = root.canonicalize().unwrap_or(root).join("bench/peers");
    peer("Python", "python3", "Python 3 with venv (Debian: apt-get install python3-venv)", &peers.join("run.sh"));
    peer("Node.js", "node", "Node.js 20 or later with npm (https://nodejs.org)", &peers.join("node.sh"));
}

fn verdict(now: u64, target: u64) -> String {
    if now <= target { "met".into() } else { format!("{:.2}x the target", now as f64 / target as f64) }
}

/// Run one peer script, printing its JSON line, or say why it did not run.
fn peer(language: &str, program: &str, how: &str, script: &Path) {
    let present = Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success());
    if !present {
        println!("peers in {language}: not run: `{program}` is not on PATH; install {how}");
        return;
    }
    println!("peers in {language}: running {} (its log on stderr)", script.display());
    match Command::new("bash").arg(script).stderr(std::process::Stdio::inherit()).output() {
        Ok(out) if out.status.success() => {
            println!("peers in {language}: {}", String::from_utf8_lossy(&out.stdout).trim())
        }
        Ok(out) => println!("peers in {language}: failed ({})", out.status),
        Err(e) => println!("peers in {language}: could not run bash: {e}"),
    }
}

//! A fresh instance per call against a warm one, for several builds of the component, interleaved in
//! one run: `cargo run --profile bench -p host-harness --example fresh_ab -- A.component.wasm B.component.wasm`.
//!
//! Why it exists: the criterion bench measures the bundled component only, so comparing two builds (a
//! memory layout, a stack size) across two bench runs on a shared machine mixes the change with the
//! load. Here every round measures each build in turn, and the medians over the rounds are compared.
//! Per build it prints the medians of store+instantiate (with the slot's reset when the store drops),
//! a fresh-instance signed Meta webhook (`PluginHost::normalize`, the default host), the same call on a
//! kept instance, their difference (the fixed cost of a fresh instance) and their ratio.
//!
//! `ROUNDS` (default 15) sets the rounds; `ONLY_FRESH=N` or `ONLY_WARM=N` instead runs N calls of the
//! first build only, for `perf record`; `SMAPS=1` runs 100 fresh calls of each build and prints the
//! resident mappings under 4 MiB (the pool's slot shows which pages of linear memory stay resident) and,
//! where few are, the offsets of the written ones.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use host_harness::PluginHost;
use host_harness::bindings::exports::helpdesk::whatsapp::inbound;
use host_harness::envelope::Envelope;
use serde_json::Value;
use whatsapp_runtime::Budgets;

/// Calls per build per round.
const CALLS: u32 = 3000;

fn main() {
    let (hook, opts) = meta_text();
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let hosts: Vec<PluginHost> = paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("read {p}: {e}"));
            PluginHost::new(&bytes, Budgets::default()).unwrap_or_else(|e| panic!("load {p}: {e}"))
        })
        .collect();
    let count = |name: &str| std::env::var(name).ok().and_then(|n| n.parse::<u32>().ok());
    if let Some(n) = count("ONLY_FRESH") {
        for _ in 0..n {
            black_box(hosts[0].normalize(black_box(&hook), &opts).unwrap().unwrap());
        }
        return;
    }
    if let Some(n) = count("ONLY_WARM") {
        let mut warm = hosts[0].warm().unwrap();
        for _ in 0..n {
            black_box(
                warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, &hook, &opts)).unwrap().unwrap(),
            );
        }
        return;
    }
    if std::env::var_os("SMAPS").is_some() {
        for host in &hosts {
            for _ in 0..100 {
                black_box(host.normalize(black_box(&hook), &opts).unwrap().unwrap());
            }
        }
        print_small_mappings();
        return;
    }
    let per_call = |start: Instant| start.elapsed().as_nanos() as f64 / f64::from(CALLS) / 1000.0;
    let mut times = vec![[vec![], vec![], vec![]]; hosts.len()];
    for _ in 0..count("ROUNDS").unwrap_or(15) {
        for (host, times) in hosts.iter().zip(&mut times) {
            let sandbox = host.sandbox();
            let start = Instant::now();
            for _ in 0..CALLS {
                let mut store = sandbox.store(sandbox.budgets().fuel).unwrap();
                black_box(sandbox.instance_pre().instantiate(&mut store).unwrap());
            }
            times[0].push(per_call(start));
            let start = Instant::now();
            for _ in 0..CALLS {
                black_box(host.normalize(black_box(&hook), &opts).unwrap().unwrap());
            }
            times[1].push(per_call(start));
            let mut warm = host.warm().unwrap();
            let start = Instant::now();
            for _ in 0..CALLS {
                black_box(
                    warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, black_box(&hook), &opts))
                        .unwrap()
                        .unwrap(),
                );
            }
            times[2].push(per_call(start));
        }
    }
    for (path, times) in paths.iter().zip(&mut times) {
        let [instantiate, fresh, warm] = times.each_mut().map(|v| median(v));
        println!(
            "{path}: store+instantiate {instantiate:.2} µs, fresh {fresh:.2} µs, warm {warm:.2} µs, \
             fixed {:.2} µs, fresh/warm {:.3}",
            fresh - warm,
            fresh / warm
        );
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The signed Meta text webhook of the fixtures, and its options, read as the CLI reads a webhook file.
fn meta_text() -> (inbound::Webhook, inbound::InboundOptions) {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/meta-cloud/01-text.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let envelope = Envelope::read(&fixture, Some("meta-cloud")).unwrap();
    (envelope.webhook(), envelope.options())
}

/// The process's anonymous or file mappings of at most 4 MiB with resident pages, from
/// `/proc/self/smaps`: size, resident and anonymous kB.
fn print_small_mappings() {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
    let kb = |v: &str| v.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0);
    let (mut head, mut size, mut rss) = ("", 0, 0);
    for line in smaps.lines() {
        if let Some(v) = line.strip_prefix("Size:") {
            size = kb(v);
        } else if let Some(v) = line.strip_prefix("Rss:") {
            rss = kb(v);
        } else if let Some(v) = line.strip_prefix("Anonymous:") {
            if rss > 0 && size <= 4096 {
                println!("{head:100} size {size} kB, resident {rss} kB, anonymous {} kB", kb(v));
                if kb(v) > 0 && kb(v) < 64 {
                    println!("    written pages at {:?}", written_pages(head));
                }
            }
        } else if !line.starts_with(|c: char| c.is_ascii_uppercase()) {
            head = line;
        }
    }
}

/// The offsets (kB from the mapping's start) of the pages of a mapping (an smaps heading) that the
/// process has written: present in `/proc/self/pagemap` and no longer the file's (bit 61 clear).
fn written_pages(head: &str) -> Vec<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let range = head.split_whitespace().next().unwrap_or_default();
    let Some((start, end)) = range.split_once('-') else { return vec![] };
    let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16)) else { return vec![] };
    let Ok(mut pagemap) = std::fs::File::open("/proc/self/pagemap") else { return vec![] };
    let mut written = vec![];
    for page in (start..end).step_by(4096) {
        let mut entry = [0u8; 8];
        if pagemap.seek(SeekFrom::Start(page / 4096 * 8)).is_err() || pagemap.read_exact(&mut entry).is_err() {
            break;
        }
        let entry = u64::from_le_bytes(entry);
        if entry >> 63 == 1 && (entry >> 61) & 1 == 0 {
            written.push((page - start) / 1024);
        }
    }
    written
}

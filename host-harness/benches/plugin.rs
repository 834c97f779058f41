//! `cargo bench -p host-harness`: the component against the same Rust compiled natively, the call
//! boundary, instantiation, loading, scaling and the simulated pipeline, after the figures that are
//! not times (size, instructions, the peers in Python and Node.js: `support/figures.rs`).
//! BENCHMARKS.md holds the figures of one run as ratios.

#[path = "support/figures.rs"]
mod figures;

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use host_harness::bindings::exports::helpdesk::whatsapp::{inbound, templates, types, window};
use host_harness::sim::billing::Ledger;
use host_harness::sim::helpdesk::{Helpdesk, SharedService};
use host_harness::sim::providers::{CustomerMessage, Kind, Provider};
use host_harness::{BUNDLED_COMPONENT, PluginHost};
use serde_json::Value;
use wasmtime::component::Component;
use whatsapp_plugin as native;

fn fixture(path: &str) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(path);
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

const RECEIVED_AT: i64 = 1_795_000_000_000;

fn headers(f: &Value) -> Vec<(String, String)> {
    f["webhook"]["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn wit_webhook(provider: types::Provider, f: &Value) -> inbound::Webhook {
    inbound::Webhook {
        provider,
        url: f["webhook"]["url"].as_str().unwrap().into(),
        headers: headers(f).into_iter().map(|(name, value)| inbound::Header { name, value }).collect(),
        body: f["webhook"]["body"].as_str().unwrap().as_bytes().to_vec(),
        received_at: RECEIVED_AT,
    }
}

/// The fixture's options as the typed bindings take them: its `secret` (none when the fixture has none),
/// every other option at its default.
fn options_for(f: &Value) -> inbound::InboundOptions {
    inbound::InboundOptions {
        secret: f["secret"].as_str().map(str::to_string),
        redact_card_numbers: None,
        max_attachment_bytes: None,
        serve_groups: None,
    }
}

fn native_webhook(provider: native::inbound::model::Provider, f: &Value) -> native::inbound::model::Webhook {
    native::inbound::model::Webhook {
        provider,
        url: f["webhook"]["url"].as_str().unwrap().into(),
        headers: headers(f),
        body: f["webhook"]["body"].as_str().unwrap().as_bytes().to_vec(),
        received_at: RECEIVED_AT,
    }
}

fn normalize(c: &mut Criterion) {
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    use native::inbound::model::Provider as N;
    for (dir, wit, nat) in [
        ("meta-cloud/01-text.json", types::Provider::MetaCloud, N::MetaCloud),
        ("twilio/01-text.json", types::Provider::Twilio, N::Twilio),
        ("one-msg/01-text.json", types::Provider::OneMsg, N::OneMsg),
    ] {
        let f = fixture(dir);
        let secret = f["secret"].as_str().map(str::to_string);
        let (ww, nw) = (wit_webhook(wit, &f), native_webhook(nat, &f));
        let wopts = options_for(&f);
        let nopts = native::inbound::model::InboundOptions { secret, ..Default::default() };
        let name = dir.split('/').next().unwrap();
        let mut g = c.benchmark_group(format!("normalize/{name}"));
        g.bench_function("native", |b| b.iter(|| native::inbound::normalize(black_box(&nw), &nopts).unwrap()));
        g.bench_function("wasm-warm", |b| {
            b.iter(|| {
                warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, black_box(&ww), &wopts)).unwrap()
            })
        });
        g.bench_function("wasm-fresh-instance", |b| b.iter(|| host.normalize(black_box(&ww), &wopts).unwrap()));
        g.finish();
    }
}

fn door(c: &mut Criterion) {
    // The JSON door (`json.call`) against the typed call, warm, on the same signed Meta webhook: what a
    // dynamic host's two strings cost the guest (reading the arguments, writing the answer) over the
    // typed lowering. The body goes in as a JSON string, as examples/python passes it.
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    let f = fixture("meta-cloud/01-text.json");
    let hook = wit_webhook(types::Provider::MetaCloud, &f);
    let options = options_for(&f);
    let headers: Vec<Value> =
        headers(&f).into_iter().map(|(name, value)| serde_json::json!({"name": name, "value": value})).collect();
    let arguments = serde_json::json!({
        "webhook": {"provider": "meta-cloud", "url": f["webhook"]["url"], "headers": headers,
            "body": f["webhook"]["body"], "received_at": RECEIVED_AT},
        "options": {"secret": f["secret"]},
    })
    .to_string();
    let typed = warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, &hook, &options)).unwrap().unwrap();
    let answer =
        warm.call(|p, s| p.helpdesk_whatsapp_json().call_call(s, "inbound", "normalize", &arguments)).unwrap().unwrap();
    assert_eq!(serde_json::from_str::<Value>(&answer).unwrap()["ok"].as_array().map(Vec::len), Some(typed.len()));
    let mut g = c.benchmark_group("door/meta-cloud");
    g.bench_function("typed-warm", |b| {
        b.iter(|| {
            warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, black_box(&hook), &options)).unwrap()
        })
    });
    g.bench_function("json-warm", |b| {
        b.iter(|| {
            warm.call(|p, s| p.helpdesk_whatsapp_json().call_call(s, "inbound", "normalize", black_box(&arguments)))
                .unwrap()
        })
    });
    g.finish();
}

fn unmetered(c: &mut Criterion) {
    // The same warm call in an engine without fuel metering or epoch checks: what the budgets cost.
    let mut config = wasmtime::Config::new();
    config.wasm_component_model(true);
    let engine = wasmtime::Engine::new(&config).unwrap();
    let component = Component::new(&engine, BUNDLED_COMPONENT).unwrap();
    let linker = wasmtime::component::Linker::<()>::new(&engine);
    let mut store = wasmtime::Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let plugin = host_harness::bindings::Plugin::new(&mut store, &instance).unwrap();
    let f = fixture("meta-cloud/01-text.json");
    let hook = wit_webhook(types::Provider::MetaCloud, &f);
    let options = options_for(&f);
    c.bench_function("normalize/meta-cloud/wasm-warm-unmetered", |b| {
        b.iter(|| plugin.helpdesk_whatsapp_inbound().call_normalize(&mut store, black_box(&hook), &options).unwrap())
    });
}

fn boundary(c: &mut Criterion) {
    // The cheapest export: what a call costs beyond the guest's own work.
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    c.bench_function("boundary/may-replace-status/wasm-warm", |b| {
        b.iter(|| {
            warm.call(|p, s| {
                p.helpdesk_whatsapp_inbound().call_may_replace_status(
                    s,
                    inbound::DeliveryStatus::Sent,
                    inbound::DeliveryStatus::Read,
                )
            })
            .unwrap()
        })
    });
}

fn verify(c: &mut Criterion) {
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    let f = fixture("meta-cloud/01-text.json");
    let secret = f["secret"].as_str().unwrap().to_string();
    let (ww, nw) =
        (wit_webhook(types::Provider::MetaCloud, &f), native_webhook(native::inbound::model::Provider::MetaCloud, &f));
    let mut g = c.benchmark_group("verify-signature/meta-cloud");
    g.bench_function("native", |b| b.iter(|| native::inbound::verify_signature(black_box(&nw), &secret).unwrap()));
    g.bench_function("wasm-warm", |b| {
        b.iter(|| {
            warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_verify_signature(s, black_box(&ww), &secret)).unwrap()
        })
    });
    g.finish();
}

const BERLIN: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

fn window_check(c: &mut Criterion) {
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    let sent = 1_795_000_000_000;
    let spans = |day| window::OpeningSpan {
        day,
        opens: window::LocalTime { hour: 9, minute: 0 },
        closes: window::LocalTime { hour: 18, minute: 0 },
    };
    use window::Weekday::*;
    let wit = window::WindowRequest {
        conversation: window::Conversation {
            last_customer_message: Some(window::CustomerMessageTime {
                sent_at: sent,
                clock: types::ClockSource::ProviderTimestamp,
            }),
            last_business_message_at: None,
            origin: window::ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        },
        now: sent + 3_600_000,
        time_zone: Some(BERLIN.into()),
        business_hours: Some(window::BusinessHours {
            weekly: [Monday, Tuesday, Wednesday, Thursday, Friday].map(spans).to_vec(),
            closed_dates: vec![],
        }),
        warn_before: None,
        pricing: None,
    };
    use native::business_hours::{BusinessHours, LocalTime, OpeningSpan};
    use native::window as nw;
    let nat = nw::WindowRequest {
        conversation: nw::Conversation {
            last_customer_message: Some(nw::CustomerMessageTime {
                sent_at: sent,
                clock: nw::ClockSource::ProviderTimestamp,
            }),
            last_business_message_at: None,
            origin: nw::ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        },
        now: sent + 3_600_000,
        time_zone: Some(BERLIN.into()),
        business_hours: Some(BusinessHours {
            weekly: [
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
            ]
            .map(|day| OpeningSpan {
                day,
                opens: LocalTime { hour: 9, minute: 0 },
                closes: LocalTime { hour: 18, minute: 0 },
            })
            .to_vec(),
            closed_dates: vec![],
        }),
        warn_before: None,
        pricing: None,
    };
    let mut g = c.benchmark_group("window-check/business-hours");
    g.bench_function("native", |b| b.iter(|| nw::check(black_box(&nat)).unwrap()));
    g.bench_function("wasm-warm", |b| {
        b.iter(|| warm.call(|p, s| p.helpdesk_whatsapp_window().call_check(s, black_box(&wit))).unwrap())
    });
    g.finish();
}

fn render(c: &mut Criterion) {
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    let body = "Hi {{1}}, your order {{2}} is now {{3}}. Reply below if you need anything else from our team.";
    let values = [("1", "Maria"), ("2", "LS-4821"), ("3", "out for delivery")];
    let wit_t = templates::Template {
        name: "order_status_update".into(),
        language: "en_US".into(),
        category: types::MessageCategory::Utility,
        status: templates::TemplateStatus::Approved,
        parameter_format: templates::ParameterFormat::Positional,
        header: Some(templates::Header {
            format: templates::HeaderFormat::Text,
            text: Some("Your order update".into()),
        }),
        body: body.into(),
        footer: Some("Lucky Shrub customer care".into()),
        buttons: vec![],
        twilio_content_sid: None,
        namespace: None,
    };
    let wit_v = templates::TemplateValues {
        body: values
            .iter()
            .map(|(k, v)| templates::VariableValue { key: k.to_string(), value: v.to_string() })
            .collect(),
        header_text: None,
        header_media: None,
        header_location: None,
        buttons: vec![],
    };
    use native::templates::model as tm;
    let nat_t = tm::Template {
        name: "order_status_update".into(),
        language: "en_US".into(),
        category: native::types::MessageCategory::Utility,
        status: tm::TemplateStatus::Approved,
        parameter_format: tm::ParameterFormat::Positional,
        header: Some(tm::Header { format: tm::HeaderFormat::Text, text: Some("Your order update".into()) }),
        body: body.into(),
        footer: Some("Lucky Shrub customer care".into()),
        buttons: vec![],
        twilio_content_sid: None,
        namespace: None,
    };
    let nat_v = tm::TemplateValues {
        body: values.iter().map(|(k, v)| tm::VariableValue { key: k.to_string(), value: v.to_string() }).collect(),
        ..Default::default()
    };
    let mut g = c.benchmark_group("render/meta-cloud");
    g.bench_function("native", |b| {
        b.iter(|| {
            native::templates::render::render(black_box(&nat_t), &nat_v, native::inbound::model::Provider::MetaCloud)
                .unwrap()
        })
    });
    g.bench_function("wasm-warm", |b| {
        b.iter(|| {
            warm.call(|p, s| {
                p.helpdesk_whatsapp_templates().call_render(s, black_box(&wit_t), &wit_v, types::Provider::MetaCloud)
            })
            .unwrap()
            .unwrap()
        })
    });
    g.finish();
}

fn instantiate(c: &mut Criterion) {
    let mut g = c.benchmark_group("instantiate");
    use host_harness::sandbox::Allocation;
    for (name, host) in [
        ("on-demand", PluginHost::bundled_with(Allocation::OnDemand).unwrap()),
        ("pooling", PluginHost::bundled_with(Allocation::Pooling).unwrap()),
    ] {
        let sandbox = host.sandbox();
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut store = sandbox.store(1_000_000).unwrap();
                black_box(sandbox.instance_pre().instantiate(&mut store).unwrap());
            })
        });
    }
    g.finish();
}

/// Where a fresh instance per call goes, for a signed Meta text webhook, in each allocation
/// strategy: a Store with its budgets, then instantiation, then binding the exports, then the whole
/// call (`PluginHost::normalize`), against the same call on a kept instance.
fn fresh_instance(c: &mut Criterion) {
    use host_harness::sandbox::Allocation;
    let f = fixture("meta-cloud/01-text.json");
    let hook = wit_webhook(types::Provider::MetaCloud, &f);
    let options = options_for(&f);
    let mut g = c.benchmark_group("fresh-instance/meta-cloud");
    for (name, host) in [
        ("on-demand", PluginHost::bundled_with(Allocation::OnDemand).unwrap()),
        ("pooling", PluginHost::bundled_with(Allocation::Pooling).unwrap()),
        ("metered", PluginHost::bundled_metered().unwrap()),
    ] {
        let sandbox = host.sandbox();
        let fuel = sandbox.budgets().fuel_for(hook.body.len());
        g.bench_function(format!("{name}/store"), |b| b.iter(|| black_box(sandbox.store(fuel).unwrap())));
        g.bench_function(format!("{name}/store+instantiate"), |b| {
            b.iter(|| {
                let mut store = sandbox.store(fuel).unwrap();
                black_box(sandbox.instance_pre().instantiate(&mut store).unwrap());
            })
        });
        g.bench_function(format!("{name}/store+instantiate+bind-normalize"), |b| {
            b.iter(|| {
                let mut store = sandbox.store(fuel).unwrap();
                let instance = sandbox.instance_pre().instantiate(&mut store).unwrap();
                black_box(host.exports().inbound.normalize(&mut store, &instance).unwrap());
            })
        });
        g.bench_function(format!("{name}/store+instantiate+bind"), |b| {
            b.iter(|| {
                let mut store = sandbox.store(fuel).unwrap();
                black_box(host.plugin_pre().instantiate(&mut store).unwrap());
            })
        });
        g.bench_function(format!("{name}/call"), |b| b.iter(|| host.normalize(black_box(&hook), &options).unwrap()));
        let mut warm = host.warm().unwrap();
        g.bench_function(format!("{name}/warm"), |b| {
            b.iter(|| {
                warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, black_box(&hook), &options)).unwrap()
            })
        });
    }
    g.finish();
}

fn load(c: &mut Criterion) {
    let engine = host_harness::sandbox::engine();
    let precompiled = engine.precompile_component(BUNDLED_COMPONENT).unwrap();
    let mut g = c.benchmark_group("load");
    // SAFETY: bytes produced by this engine's precompile_component just above.
    g.bench_function("precompiled", |b| {
        b.iter(|| unsafe { Component::deserialize(engine, black_box(&precompiled)).unwrap() })
    });
    // What the harness's cache does: the precompiled file, memory-mapped.
    let file = std::env::temp_dir().join(format!("whatsapp-bench-{}.cwasm", std::process::id()));
    std::fs::write(&file, &precompiled).unwrap();
    // SAFETY: the file holds this engine's own precompile output, written just above.
    g.bench_function("precompiled-file", |b| {
        b.iter(|| unsafe { Component::deserialize_file(engine, black_box(&file)).unwrap() })
    });
    g.sample_size(10);
    g.bench_function("compile-from-bytes", |b| {
        b.iter(|| Component::new(engine, black_box(BUNDLED_COMPONENT)).unwrap())
    });
    g.finish();
}

/// A Meta webhook carrying `n` text messages.
fn meta_batch(n: usize) -> Vec<u8> {
    let messages: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({"from": "15551230001", "id": format!("wamid.BATCH{i:06}"), "timestamp": "1795000000",
                "type": "text", "text": {"body": format!("Message number {i}: where is my order LS-{i:04}?")}})
        })
        .collect();
    serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550101234", "phone_number_id": "1"},
        "contacts": [{"profile": {"name": "Ana"}, "wa_id": "15551230001"}], "messages": messages}}]}]})
    .to_string()
    .into_bytes()
}

fn scale(c: &mut Criterion) {
    let host = PluginHost::bundled().unwrap();
    let mut warm = host.warm().unwrap();
    let options = options_for(&Value::Null);
    let mut g = c.benchmark_group("scale/meta-messages-per-webhook");
    for n in [1usize, 10, 25, 50, 100] {
        let hook = inbound::Webhook {
            provider: types::Provider::MetaCloud,
            url: String::new(),
            headers: vec![],
            body: meta_batch(n),
            received_at: RECEIVED_AT,
        };
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("wasm-warm", n), &hook, |b, hook| {
            b.iter(|| {
                warm.call(|p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, black_box(hook), &options)).unwrap()
            })
        });
    }
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    // Two helpdesks on two threads share one PluginHost (one Engine, one InstancePre); each webhook
    // goes through verify + normalize + the window fold, each call on a fresh instance.
    let host = PluginHost::bundled().unwrap();
    let per_thread = 100;
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(2 * per_thread));
    g.sample_size(10);
    g.bench_function("simulated-helpdesk/2-threads", |b| {
        b.iter(|| {
            std::thread::scope(|scope| {
                for t in 0..2u64 {
                    let host = &host;
                    scope.spawn(move || {
                        let own = SharedService { id: "desk".into(), name: "Desk".into(), subscribed_at: 0 };
                        let mut desk = Helpdesk::new(
                            host,
                            Provider::new(Kind::MetaCloud, t, "+15550101234"),
                            RECEIVED_AT,
                            own,
                            Ledger::new(10, 0, 10, 5),
                        );
                        for i in 0..per_thread {
                            let text = CustomerMessage { text: Some(format!("hello {i}")), ..Default::default() };
                            desk.customer_writes(&format!("+1555{t}{i:06}"), "Ana", &text, 1).unwrap();
                        }
                    });
                }
            })
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    normalize,
    door,
    unmetered,
    boundary,
    verify,
    window_check,
    render,
    instantiate,
    fresh_instance,
    load,
    scale,
    pipeline
);
/// criterion's `criterion_main!`, with the figures first.
fn main() {
    if figures::wanted() {
        figures::print();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

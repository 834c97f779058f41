//! Every call runs under budgets; a call that exceeds one comes back as a typed host error and
//! the next call works.

use std::time::Duration;

use host_harness::bindings::exports::helpdesk::whatsapp::{types, window};
use host_harness::sandbox::{Allocation, Metering, Sandbox};
use host_harness::{BUNDLED_COMPONENT, Budgets, HostError, PluginHost};
use wasmtime::component::Val;

fn simple_request() -> window::WindowRequest {
    window::WindowRequest {
        conversation: window::Conversation {
            last_customer_message: Some(window::CustomerMessageTime {
                sent_at: 1_795_000_000_000,
                clock: types::ClockSource::ProviderTimestamp,
            }),
            last_business_message_at: None,
            origin: window::ConversationOrigin::Organic,
            entry_message_at: None,
            first_business_reply_at: None,
        },
        now: 1_795_000_000_000 + 3_600_000,
        time_zone: Some("CET-1CEST,M3.5.0,M10.5.0/3".into()),
        business_hours: None,
        warn_before: None,
        pricing: None,
    }
}

/// The same request with thousands of opening spans: far more work, same answer shape.
fn heavy_request() -> window::WindowRequest {
    let span = |hour: u8| window::OpeningSpan {
        day: window::Weekday::Monday,
        opens: window::LocalTime { hour, minute: 0 },
        closes: window::LocalTime { hour, minute: 30 },
    };
    let weekly = (0..4000).map(|i| span((i % 23) as u8)).collect();
    window::WindowRequest {
        business_hours: Some(window::BusinessHours { weekly, closed_dates: vec![] }),
        ..simple_request()
    }
}

#[test]
fn out_of_fuel_is_typed_and_the_next_call_works() {
    let measuring = PluginHost::bundled_metered().unwrap();
    let simple = measuring.check_window_metered(&simple_request()).unwrap().fuel;
    let heavy = measuring.check_window_metered(&heavy_request()).unwrap().fuel;
    println!("fuel: simple window check {simple}, with 4000 opening spans {heavy}");
    assert!(heavy > 4 * simple, "the heavy request costs more ({heavy} vs {simple})");

    // A budget that fits the simple check and not the heavy one.
    let budget = simple * 2;
    let plugin = PluginHost::metered(BUNDLED_COMPONENT, Budgets { fuel: budget, ..Budgets::default() }).unwrap();
    assert_eq!(plugin.check_window(&heavy_request()).unwrap_err(), HostError::OutOfFuel { budget });
    let answer = plugin.check_window(&simple_request()).expect("the next call gets a fresh instance");
    assert_eq!(answer.unwrap().state, window::WindowState::Open);
}

/// A busy but real request: two spans a day all week, a year of holidays, the pricing table.
fn busy_request() -> window::WindowRequest {
    use window::Weekday::*;
    let span = |day, opens: u8, closes: u8| window::OpeningSpan {
        day,
        opens: window::LocalTime { hour: opens, minute: 0 },
        closes: window::LocalTime { hour: closes, minute: 0 },
    };
    let weekly = [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday]
        .into_iter()
        .flat_map(|d| [span(d, 8, 12), span(d, 13, 19)])
        .collect();
    let closed_dates = (1..=28).map(|day| window::LocalDate { year: 2026, month: 12, day }).collect();
    let plugin = PluginHost::bundled().unwrap();
    window::WindowRequest {
        business_hours: Some(window::BusinessHours { weekly, closed_dates }),
        pricing: Some(plugin.default_pricing().unwrap()),
        ..simple_request()
    }
}

#[test]
fn the_default_fuel_budget_leaves_wide_room_for_real_requests() {
    let busy = PluginHost::bundled_metered().unwrap().check_window_metered(&busy_request()).unwrap().fuel;
    println!("fuel: busy window check {busy}");
    assert!(busy * 100 < host_harness::budget::FUEL_PER_CALL, "{busy} instructions");
}

#[test]
fn the_memory_limit_is_typed_and_the_next_call_works() {
    let limit = 4 << 20;
    let plugin = PluginHost::new(BUNDLED_COMPONENT, Budgets { memory_bytes: limit, ..Budgets::default() }).unwrap();
    // Passing an 8 MiB string makes the host grow the guest's memory past 4 MiB.
    let huge = window::WindowRequest { time_zone: Some("A".repeat(8 << 20)), ..simple_request() };
    assert_eq!(plugin.check_window(&huge).unwrap_err(), HostError::MemoryLimit { limit_bytes: limit });
    assert!(plugin.check_window(&simple_request()).unwrap().is_ok());
}

/// Components built to misbehave (the plugin never does): one loops, one allocates without bound,
/// one traps, one returns garbage (a string outside its memory, an enum case that does not exist),
/// and one answers, to show the host still serves.
const MISBEHAVING: &str = r#"
(component
  (core module $m
    (memory (export "memory") 1)
    (data (i32.const 16) "\f0\ff\ff\7f\ff\ff\00\00")
    (func (export "spin") (loop $l (br $l)))
    (func (export "hog") (loop $l (drop (memory.grow (i32.const 16))) (br $l)))
    (func (export "boom") unreachable)
    (func (export "garbage") (result i32) (i32.const 16))
    (func (export "nine") (result i32) (i32.const 9))
    (func (export "fine") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (type $choice (enum "yes" "no"))
  (export $choice' "choice" (type $choice))
  (func (export "spin") (canon lift (core func $i "spin")))
  (func (export "hog") (canon lift (core func $i "hog")))
  (func (export "boom") (canon lift (core func $i "boom")))
  (func (export "garbage") (result string) (canon lift (core func $i "garbage") (memory $mem)))
  (func (export "bad-enum") (result $choice') (canon lift (core func $i "nine")))
  (func (export "fine") (result u32) (canon lift (core func $i "fine"))))
"#;

fn call(sandbox: &Sandbox, name: &str) -> Result<Option<u32>, HostError> {
    sandbox
        .call(|store, instance| {
            let func = instance.get_func(&mut *store, name).expect("export");
            let mut results = vec![Val::U32(0); func.ty(&*store).results().len()];
            func.call(&mut *store, &[], &mut results)?;
            Ok(results.first().map(|v| if let Val::U32(n) = v { *n } else { 0 }))
        })
        .map(|(value, _)| value)
}

#[test]
fn unbounded_allocation_is_stopped_by_the_memory_limit() {
    let bytes = wat::parse_str(MISBEHAVING).unwrap();
    let limit = 8 << 20;
    let sandbox = Sandbox::new(&bytes, Budgets { memory_bytes: limit, ..Budgets::default() }).unwrap();
    assert_eq!(call(&sandbox, "hog"), Err(HostError::MemoryLimit { limit_bytes: limit }));
    assert_eq!(call(&sandbox, "fine"), Ok(Some(42)));
}

#[test]
fn garbage_results_are_typed_errors_not_crashes() {
    let bytes = wat::parse_str(MISBEHAVING).unwrap();
    let sandbox = Sandbox::new(&bytes, Budgets::default()).unwrap();
    // A string whose pointer and length lie outside the instance's memory.
    let garbage = call(&sandbox, "garbage").unwrap_err();
    assert!(matches!(&garbage, HostError::Trap(m) if m.contains("out of bounds")), "{garbage}");
    // An enum case number the type does not have.
    let bad_enum = call(&sandbox, "bad-enum").unwrap_err();
    assert!(matches!(&bad_enum, HostError::Trap(m) if m.contains("discriminant")), "{bad_enum}");
    assert_eq!(call(&sandbox, "fine"), Ok(Some(42)));
}

#[test]
fn a_deadline_stops_a_loop_that_fuel_would_not() {
    let deadline = Duration::from_millis(50);
    let bytes = wat::parse_str(MISBEHAVING).unwrap();
    let budgets = Budgets { fuel: u64::MAX / 2, deadline, ..Budgets::default() };
    let sandbox = Sandbox::with_engine(&bytes, budgets, Allocation::Pooling, Metering::Fuel).unwrap();
    assert_eq!(call(&sandbox, "spin"), Err(HostError::DeadlineExceeded { deadline }));
    assert_eq!(call(&sandbox, "fine"), Ok(Some(42)));
}

/// The default sandbox counts no instructions: the wall-time deadline is what stops a runaway.
#[test]
fn the_default_sandbox_stops_a_loop_at_its_deadline() {
    let deadline = Duration::from_millis(50);
    let bytes = wat::parse_str(MISBEHAVING).unwrap();
    let sandbox = Sandbox::new(&bytes, Budgets { deadline, ..Budgets::default() }).unwrap();
    assert_eq!(sandbox.metering(), Metering::Epoch);
    assert_eq!(call(&sandbox, "spin"), Err(HostError::DeadlineExceeded { deadline }));
    assert!(matches!(call(&sandbox, "boom"), Err(HostError::Trap(m)) if m.contains("unreachable")));
    assert_eq!(call(&sandbox, "fine"), Ok(Some(42)));
}

#[test]
fn fuel_stops_a_loop_and_a_trap_is_typed() {
    let bytes = wat::parse_str(MISBEHAVING).unwrap();
    let budgets = Budgets { fuel: 1_000_000, ..Budgets::default() };
    let sandbox = Sandbox::with_engine(&bytes, budgets, Allocation::Pooling, Metering::Fuel).unwrap();
    assert_eq!(call(&sandbox, "spin"), Err(HostError::OutOfFuel { budget: 1_000_000 }));
    assert!(matches!(call(&sandbox, "boom"), Err(HostError::Trap(m)) if m.contains("unreachable")));
    assert_eq!(call(&sandbox, "fine"), Ok(Some(42)));
}

#[test]
fn a_component_that_imports_something_is_refused() {
    let importing = r#"(component (import "host-clock" (func (result u64))))"#;
    let bytes = wat::parse_str(importing).unwrap();
    let error = Sandbox::new(&bytes, Budgets::default()).err().expect("refused");
    assert!(matches!(&error, HostError::Load(m) if m.contains("imports")), "{error}");
}

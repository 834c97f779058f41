//! The limits every call into a component runs under. A call that exceeds one is stopped and
//! comes back as a typed `HostError`; the next call gets a fresh instance and works.
//!
//! Which limits are enforced depends on the engine's `sandbox::Metering`: the memory limit and the
//! deadline always; the fuel budget only under `Metering::Fuel` (`PluginHost::metered`, used by the
//! tests that count instructions and by hosts that want determinism). The default (`PluginHost::new`)
//! runs without fuel: fuel metering made a warm signed Meta webhook 1.41x as long as the epoch
//! deadline alone (22.3 vs 15.8 µs in one run; BENCHMARKS.md, "What the budgets cost"), and a
//! runaway call is still stopped by `CALL_DEADLINE`.

use std::time::Duration;

/// Instructions one call may execute (wasmtime fuel: about one unit per wasm instruction).
/// Measured (`tests/tests/fuel.rs`, `tests/tests/budgets.rs`, release profile of Cargo.toml): a plain
/// window check costs about 44,000, a busy one (14 opening spans, 28 holidays, the pricing table)
/// about 208,000, a signed Twilio webhook about 240,000. 30 million is over 100x the largest, so a
/// real call never meets it, and a runaway loop is still stopped within tens of milliseconds.
pub const FUEL_PER_CALL: u64 = 30_000_000;

/// Extra instructions allowed per byte of input (a webhook body, a JSON request). Parsing costs
/// about 31 per byte (measured: a 3 MB Meta webhook, Meta's largest, takes 94.6 million), so 100
/// leaves a 3x margin while a small request keeps the tight base budget.
pub const FUEL_PER_INPUT_BYTE: u64 = 100;

/// How often the engine's epoch advances: the granularity of the wall-time deadline.
pub const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Wall time one call may take, checked at every epoch tick. Generous beside the sub-millisecond
/// calls it guards, so that a loaded CI machine never trips it; fuel catches loops much earlier.
pub const CALL_DEADLINE: Duration = Duration::from_secs(2);

/// Linear memory one instance may grow to. The plugin needs well under 2 MiB for a window check;
/// 64 MiB leaves room for the largest webhook bodies (Meta allows 3 MB payloads) several times over.
pub const MEMORY_LIMIT_BYTES: usize = 64 << 20;

/// The budgets of one sandbox; `Budgets::default()` is the constants above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Fuel (instructions) per call.
    pub fuel: u64,
    /// Wall time per call.
    pub deadline: Duration,
    /// Linear memory per instance, in bytes.
    pub memory_bytes: usize,
}

impl Default for Budgets {
    fn default() -> Self {
        Self { fuel: FUEL_PER_CALL, deadline: CALL_DEADLINE, memory_bytes: MEMORY_LIMIT_BYTES }
    }
}

impl Budgets {
    /// The fuel for a call with `input_bytes` of input: the base plus `FUEL_PER_INPUT_BYTE` per byte.
    pub fn fuel_for(&self, input_bytes: usize) -> u64 {
        self.fuel.saturating_add(FUEL_PER_INPUT_BYTE.saturating_mul(input_bytes as u64))
    }

    /// The deadline in epoch ticks, at least one.
    pub fn deadline_ticks(&self) -> u64 {
        (self.deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64
    }
}

//! Running any component under budgets: one process-wide `Engine`, components precompiled once and
//! cached on disk by content hash, instantiation from an `InstancePre`, and a fresh `Store` per call
//! with fuel, a wall-time deadline and a memory limit. Nothing is linked: a component that imports
//! anything fails to load.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Instance, InstancePre, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, ResourceLimiter, Store, Trap};

use crate::budget::{Budgets, EPOCH_TICK};
use crate::error::HostError;

/// What each call's `Store` carries: only the memory limiter, since the component imports nothing.
pub struct CallState {
    limiter: MemoryLimiter,
}

/// Refuses memory growth past the limit and remembers that it did, so the failure can be named.
struct MemoryLimiter {
    limit_bytes: usize,
    hit: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limit_bytes {
            self.hit = true;
            // Trap rather than return -1 from memory.grow: a Rust guest would abort anyway, and a trap is clearer.
            return Err(wasmtime::format_err!("memory limit of {} bytes reached", self.limit_bytes));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// How instances get their memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Allocation {
    /// Fresh memory for every instance (wasmtime's default): an `mmap` of the reservation per
    /// instance, every page touched faults, and the whole region is unmapped after the call.
    OnDemand,
    /// The harness's default: slots reserved up front and reused (see [`pooling_config`]).
    /// Measured for a signed Meta webhook (BENCHMARKS.md, "A fresh instance per call"): a fresh
    /// instance per call costs a small fraction of the on-demand allocator's overhead.
    #[default]
    Pooling,
}

/// Instances (and core instances, memories, tables) the pooling engine holds at once: calls in
/// flight plus kept (`warm`) instances. A call beyond it fails with `HostError::Load`, never waits.
pub const POOL_INSTANCES: u32 = 256;

/// Bytes of each linear memory kept mapped after a call and reset in place (only its dirty pages,
/// found with Linux's `PAGEMAP_SCAN`, or with `memset` where the kernel lacks it), instead of
/// `madvise`d away and faulted in again by the next call. The plugin's memory is 512 KiB at
/// instantiation (a 128 KiB shadow stack, about 105 KiB of data, the rest heap: see the plugin's
/// `allocator.rs`), which a webhook of typical size never grows; 4 MiB covers larger ones too.
pub const KEEP_RESIDENT_BYTES: usize = 4 << 20;

/// What stops a runaway call. Both keep the memory limit and the wall-time deadline.
///
/// Measured for a signed Meta webhook (BENCHMARKS.md, "What the budgets cost"): fuel makes the
/// guest's code count every instruction, which made a warm call 1.41x as long as the epoch deadline
/// alone, which only checks a counter at function entries and loop heads (1.11x over no check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metering {
    /// The epoch deadline alone: the default, for serving. A runaway call is stopped after
    /// `Budgets::deadline` of wall time, and `Metered::fuel` is always 0.
    #[default]
    Epoch,
    /// Fuel (instructions, deterministic: the same call costs the same on every machine) and the
    /// epoch deadline, for tests and for hosts that want determinism: a runaway loop stops at a fixed
    /// instruction count, and `Metered::fuel` reports what each call cost (`PluginHost::metered`).
    Fuel,
}

/// The process-wide engine of the default allocation and metering ([`Allocation::Pooling`],
/// [`Metering::Epoch`]); each engine has a thread that ticks its epoch.
pub fn engine() -> &'static Engine {
    engine_for(Allocation::default(), Metering::default())
}

/// The process-wide engine of an allocation strategy and a metering.
pub fn engine_for(allocation: Allocation, metering: Metering) -> &'static Engine {
    static ENGINES: [OnceLock<Engine>; 4] = [const { OnceLock::new() }; 4];
    let index = 2 * usize::from(allocation == Allocation::OnDemand) + usize::from(metering == Metering::Epoch);
    ENGINES[index].get_or_init(|| new_engine(allocation, metering))
}

/// The pooling allocator as the harness sizes it: [`POOL_INSTANCES`] slots whose memories may grow
/// to the memory budget, copy-on-write images of the data segment (wasmtime's `memory_init_cow`, on
/// by default), and [`KEEP_RESIDENT_BYTES`] of each memory (and a table's first 64 KiB) kept resident.
pub fn pooling_config() -> PoolingAllocationConfig {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(POOL_INSTANCES)
        .total_core_instances(POOL_INSTANCES)
        .total_memories(POOL_INSTANCES)
        .total_tables(POOL_INSTANCES)
        .max_memory_size(crate::budget::MEMORY_LIMIT_BYTES)
        .linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
        .table_keep_resident(64 << 10)
        .pagemap_scan(wasmtime::Enabled::Auto);
    pool
}

fn new_engine(allocation: Allocation, metering: Metering) -> Engine {
    {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.consume_fuel(metering == Metering::Fuel);
        config.epoch_interruption(true);
        config.memory_init_cow(true);
        if allocation == Allocation::Pooling {
            config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling_config()));
        }
        let engine = Engine::new(&config).expect("the harness's engine configuration is valid");
        let ticking = engine.clone();
        std::thread::Builder::new()
            .name("epoch-ticker".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(EPOCH_TICK);
                    ticking.increment_epoch();
                }
            })
            .expect("start the epoch ticker thread");
        engine
    }
}

/// A component ready to instantiate, and the budgets each call runs under.
pub struct Sandbox {
    component: Component,
    pre: InstancePre<CallState>,
    budgets: Budgets,
    metering: Metering,
    sha256: String,
}

impl Sandbox {
    /// Compile (or load from the cache) and pre-link a component, in the default allocation
    /// ([`Allocation::Pooling`]). Fails if it imports anything.
    pub fn new(bytes: &[u8], budgets: Budgets) -> Result<Self, HostError> {
        Self::with_allocation(bytes, budgets, Allocation::default())
    }

    /// The same, with the given allocation strategy.
    pub fn with_allocation(bytes: &[u8], budgets: Budgets, allocation: Allocation) -> Result<Self, HostError> {
        Self::with_engine(bytes, budgets, allocation, Metering::default())
    }

    /// The same, in the engine of the given allocation strategy and metering.
    pub fn with_engine(
        bytes: &[u8],
        budgets: Budgets,
        allocation: Allocation,
        metering: Metering,
    ) -> Result<Self, HostError> {
        let engine = engine_for(allocation, metering);
        let sha256 = hex(&Sha256::digest(bytes));
        let component = load_cached(engine, bytes, &sha256)?;
        let linker: Linker<CallState> = Linker::new(engine);
        let pre = linker
            .instantiate_pre(&component)
            .map_err(|e| HostError::Load(format!("the component needs imports this host does not give: {e:#}")))?;
        Ok(Self { component, pre, budgets, metering, sha256 })
    }

    pub fn budgets(&self) -> Budgets {
        self.budgets
    }

    /// What stops a runaway call in this sandbox.
    pub fn metering(&self) -> Metering {
        self.metering
    }

    pub fn component(&self) -> &Component {
        &self.component
    }

    /// The sha256 of the component's bytes, hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn instance_pre(&self) -> &InstancePre<CallState> {
        &self.pre
    }

    /// Run `f` against a fresh instance in a fresh store under the budgets; returns its result and the fuel used.
    pub fn call<R>(
        &self,
        f: impl FnOnce(&mut Store<CallState>, &Instance) -> wasmtime::Result<R>,
    ) -> Result<(R, u64), HostError> {
        self.call_sized(0, f)
    }

    /// Like `call`, with the fuel budget grown for `input_bytes` of input (see `Budgets::fuel_for`).
    pub fn call_sized<R>(
        &self,
        input_bytes: usize,
        f: impl FnOnce(&mut Store<CallState>, &Instance) -> wasmtime::Result<R>,
    ) -> Result<(R, u64), HostError> {
        let fuel = self.budgets.fuel_for(input_bytes);
        let mut store = self.store(fuel)?;
        let result = self.pre.instantiate(&mut store).and_then(|instance| f(&mut store, &instance));
        let fuel_used = if self.metering == Metering::Fuel { fuel - store.get_fuel().unwrap_or(0) } else { 0 };
        match result {
            Ok(value) => Ok((value, fuel_used)),
            Err(error) => Err(self.classify(&error, &store, fuel)),
        }
    }

    /// A store with fresh budgets, for a caller that keeps an instance across calls (benchmarks).
    pub fn store(&self, fuel: u64) -> Result<Store<CallState>, HostError> {
        let state = CallState { limiter: MemoryLimiter { limit_bytes: self.budgets.memory_bytes, hit: false } };
        let mut store = Store::new(self.pre.engine(), state);
        store.limiter(|s| &mut s.limiter);
        if self.metering == Metering::Fuel {
            store.set_fuel(fuel).map_err(|e| HostError::Load(format!("{e:#}")))?;
        }
        store.set_epoch_deadline(self.budgets.deadline_ticks());
        Ok(store)
    }

    /// Name what stopped the call: a budget, or a trap of the guest's own.
    /// Give a kept store its budgets again before the next call.
    pub fn refill(&self, store: &mut Store<CallState>) -> Result<(), HostError> {
        if self.metering == Metering::Fuel {
            store.set_fuel(self.budgets.fuel).map_err(|e| HostError::Load(format!("{e:#}")))?;
        }
        store.set_epoch_deadline(self.budgets.deadline_ticks());
        Ok(())
    }

    pub(crate) fn classify(&self, error: &wasmtime::Error, store: &Store<CallState>, fuel: u64) -> HostError {
        if store.data().limiter.hit {
            return HostError::MemoryLimit { limit_bytes: self.budgets.memory_bytes };
        }
        match error.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => HostError::OutOfFuel { budget: fuel },
            Some(Trap::Interrupt) => HostError::DeadlineExceeded { deadline: self.budgets.deadline },
            _ => HostError::Trap(format!("{error:#}")),
        }
    }
}

/// A component compiled for `engine`, from the precompile cache when it holds one for these bytes
/// (`sha256`: theirs, hex). Precompiling takes seconds; loading a precompiled component takes microseconds. The cache key is
/// the component's sha256 plus the engine's compatibility hash, so a new wasmtime or other settings
/// never read a stale artifact.
pub fn load_cached(engine: &Engine, bytes: &[u8], sha256: &str) -> Result<Component, HostError> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let path = cache_dir().map(|dir| dir.join(format!("{sha256}-{:016x}.cwasm", hasher.finish())));
    if let Some(path) = path.as_ref().filter(|p| p.exists()) {
        // SAFETY: the file was written by `precompile_component` below, under a name that binds it to
        // these exact bytes and this engine's settings; wasmtime still checks its header and version.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, path) } {
            return Ok(component);
        }
    }
    let compiled = engine.precompile_component(bytes).map_err(|e| HostError::Load(format!("{e:#}")))?;
    if let Some(path) = path {
        // Write then rename, so a concurrent reader never sees half a file; a failure only costs speed.
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::create_dir_all(path.parent().unwrap_or(&path)).is_ok() && std::fs::write(&tmp, &compiled).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
    // SAFETY: `compiled` was produced just now by this engine's `precompile_component`.
    unsafe { Component::deserialize(engine, &compiled) }.map_err(|e| HostError::Load(format!("{e:#}")))
}

/// `WHATSAPP_HARNESS_CACHE` if set (empty turns the cache off), else `<target>/harness-cache` of the
/// build that compiled this crate (see `build.rs`).
fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("WHATSAPP_HARNESS_CACHE") {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(PathBuf::from(env!("WHATSAPP_RUNTIME_DEFAULT_CACHE"))),
    }
}

/// Bytes as lowercase hex, two digits each (how the cache and the CLI write a sha256).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

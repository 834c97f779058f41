//! The component this harness was built with, and the harness's `PluginHost`: the runtime's
//! (`whatsapp_runtime::PluginHost`, every typed call through `Deref`) plus what depends on the build or
//! on JSON: loading the bundled bytes, and `call_json` (in `json.rs`). A type of the harness's own
//! rather than an extension trait, so that callers (the simulation, the tests) need no trait import.

use std::ops::Deref;

use whatsapp_runtime::sandbox::Allocation;
use whatsapp_runtime::{Budgets, HostError};

/// The component this harness was built with (see `build.rs`).
pub const BUNDLED_COMPONENT: &[u8] = include_bytes!(env!("WHATSAPP_PLUGIN_COMPONENT"));

/// Whether binaryen's `wasm-opt -Oz` ran over the bundled component's core module (the build had
/// `WHATSAPP_PLUGIN_WASM_OPT` set; see `component_build::post_link_optimize`).
pub const BUNDLED_POST_LINK_OPTIMIZED: bool = matches!(env!("WHATSAPP_PLUGIN_POST_LINK_OPTIMIZED").as_bytes(), b"yes");

/// The runtime's plugin host, with the harness's additions.
pub struct PluginHost(whatsapp_runtime::PluginHost);

impl PluginHost {
    /// The bundled component with the default budgets.
    pub fn bundled() -> Result<Self, HostError> {
        Self::new(BUNDLED_COMPONENT, Budgets::default())
    }

    /// The bundled component in the engine of the given allocation strategy.
    pub fn bundled_with(allocation: Allocation) -> Result<Self, HostError> {
        whatsapp_runtime::PluginHost::with_allocation(BUNDLED_COMPONENT, Budgets::default(), allocation).map(Self)
    }

    /// The bundled component with fuel metering (`whatsapp_runtime::PluginHost::metered`): calls report
    /// the instructions they cost, and a runaway loop stops at the fuel budget.
    pub fn bundled_metered() -> Result<Self, HostError> {
        whatsapp_runtime::PluginHost::metered(BUNDLED_COMPONENT, Budgets::default()).map(Self)
    }

    /// Any build of the plugin (`whatsapp_runtime::PluginHost::new`: refused on another contract version).
    pub fn new(bytes: &[u8], budgets: Budgets) -> Result<Self, HostError> {
        whatsapp_runtime::PluginHost::new(bytes, budgets).map(Self)
    }

    /// Any build of the plugin with fuel metering (`whatsapp_runtime::PluginHost::metered`).
    pub fn metered(bytes: &[u8], budgets: Budgets) -> Result<Self, HostError> {
        whatsapp_runtime::PluginHost::metered(bytes, budgets).map(Self)
    }

    /// The runtime's host, for code that takes one.
    pub fn runtime(&self) -> &whatsapp_runtime::PluginHost {
        &self.0
    }
}

impl Deref for PluginHost {
    type Target = whatsapp_runtime::PluginHost;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<whatsapp_runtime::PluginHost> for PluginHost {
    fn from(host: whatsapp_runtime::PluginHost) -> Self {
        Self(host)
    }
}

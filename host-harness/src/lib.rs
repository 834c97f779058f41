//! The host harness: loads the WhatsApp plugin component with wasmtime under budgets, calls its
//! exports (typed for Rust, or with JSON), and simulates the helpdesk around it.
//!
//! ```no_run
//! use host_harness::PluginHost;
//! let plugin = PluginHost::bundled()?;                  // compiled once, cached by content hash
//! let info = plugin.info()?;                             // a fresh instance per call
//! println!("contract {}", info.contract_version);
//! # Ok::<(), host_harness::HostError>(())
//! ```

pub mod budget;
pub mod contract;
pub mod demo;
pub mod error;
pub mod inspect;
pub mod json;
pub mod plugin;
pub mod render;
pub mod sandbox;
pub mod zones;

/// Rust types and calls generated from `wit/` for the `plugin` world.
pub mod bindings {
    wasmtime::component::bindgen!({ world: "plugin", path: "../wit" });
}

pub use budget::Budgets;
pub use error::HostError;
pub use plugin::{BUNDLED_COMPONENT, Metered, PluginHost};

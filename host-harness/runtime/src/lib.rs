//! The runtime a helpdesk links to embed the WhatsApp channel component, and nothing else: one
//! wasmtime `Engine` per process, components precompiled once and cached on disk by content hash, an
//! `InstancePre` per component, a fresh sandboxed instance per call under budgets (wall time and
//! memory; fuel too with `PluginHost::metered`), the contract-version check before anything is
//! instantiated, and typed calls generated from `wit/`. No CLI, no simulation, no code that builds the plugin: `host-harness` adds those.
//!
//! Embedding it. The component is the `.wasm` file a plugin release ships (`cargo build` of this
//! workspace writes it to `target/whatsapp_plugin.component.wasm`). `host-harness` runs the same
//! example, as README.md shows it, with the component it bundles (`host_harness::PluginHost::bundled()`).
//!
//! ```no_run
//! use whatsapp_runtime::bindings::exports::helpdesk::whatsapp::{types, window};
//! use whatsapp_runtime::{Budgets, PluginHost};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("whatsapp_plugin.component.wasm")?;
//! // Refused here if the component speaks another contract version or imports anything.
//! let plugin = PluginHost::new(&bytes, Budgets::default())?; // compiled once, cached by content hash
//! let request = window::WindowRequest {
//!     conversation: window::Conversation {
//!         last_customer_message: Some(window::CustomerMessageTime {
//!             sent_at: 1_795_000_000_000,
//!             clock: types::ClockSource::ProviderTimestamp,
//!         }),
//!         last_business_message_at: None,
//!         origin: window::ConversationOrigin::Organic,
//!         entry_message_at: None,
//!         first_business_reply_at: None,
//!     },
//!     now: 1_795_003_600_000,
//!     // A POSIX TZ rule; host-harness's `zones::posix_rule("Europe/Berlin")` gives it from the IANA name.
//!     time_zone: Some("CET-1CEST,M3.5.0,M10.5.0/3".into()),
//!     business_hours: None,
//!     warn_before: None,
//!     pricing: None,
//! };
//! // The outer result is the host's (a budget, a trap), the inner one the plugin's typed error.
//! match plugin.check_window(&request)? {
//!     Ok(answer) => println!("{:?}: {}", answer.state, answer.hint),
//!     Err(error) => println!("refused: {error:?}"),
//! }
//! # Ok(())
//! # }
//! ```

pub mod budget;
pub mod contract;
pub mod error;
pub mod exports;
pub mod plugin;
pub mod sandbox;

/// Rust types and calls generated from `wit/` for the `plugin` world.
pub mod bindings {
    wasmtime::component::bindgen!({ world: "plugin", path: "../../wit" });
}

pub use budget::Budgets;
pub use error::HostError;
pub use plugin::{Metered, PluginHost, Warm};

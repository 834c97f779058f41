//! The host harness: loads the WhatsApp plugin component with wasmtime under budgets, calls its
//! exports (typed for Rust, or with JSON), and simulates the helpdesk around it.
//!
//! Embedding it (the same example as README.md):
//!
//! ```
//! use host_harness::PluginHost;
//! use host_harness::bindings::exports::helpdesk::whatsapp::{types, window};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let plugin = PluginHost::bundled()?; // one Engine; compiled once, cached by content hash
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
//!     time_zone: Some(host_harness::zones::posix_rule("Europe/Berlin")?),
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
pub mod component_build;
pub mod contract;
pub mod contract_docs;
pub mod demo;
pub mod dist;
pub mod envelope;
pub mod error;
pub mod inspect;
pub mod json;
pub mod plugin;
pub mod render;
pub mod sandbox;
pub mod sim;
pub mod template_input;
pub mod zones;

/// Rust types and calls generated from `wit/` for the `plugin` world.
pub mod bindings {
    wasmtime::component::bindgen!({ world: "plugin", path: "../wit" });
}

pub use budget::Budgets;
pub use error::HostError;
pub use plugin::{BUNDLED_COMPONENT, Metered, PluginHost};

//! The host harness: the WhatsApp plugin component built and bundled, JSON calls for the CLI, a
//! simulated helpdesk around it, and the CLI itself. What an embedder links (engine, sandbox, budgets,
//! contract check, typed bindings) is the runtime crate, `whatsapp_runtime` (`host-harness/runtime/`);
//! this crate re-exports it under the old paths (`host_harness::sandbox`, `host_harness::bindings`, ...).
//!
//! The runtime's embedding example, run with the component this crate bundles:
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

pub mod bundled;
pub mod cli_calls;
pub mod component_build;
pub mod contract_docs;
pub mod demo;
pub mod dist;
pub mod envelope;
pub mod inspect;
pub mod json;
pub mod outbound_text;
pub mod provider_server;
pub mod render;
pub mod serve;
pub mod sim;
pub mod template_input;
pub mod wire;
pub mod zones;

pub use whatsapp_runtime as runtime;
pub use whatsapp_runtime::{Budgets, HostError, Metered, bindings, budget, contract, error, sandbox};

/// The runtime's `plugin` module, with the harness's `PluginHost` (bundled component, JSON calls).
pub mod plugin {
    pub use crate::bundled::PluginHost;
    pub use whatsapp_runtime::plugin::{Metered, Warm};
}

pub use bundled::{BUNDLED_COMPONENT, BUNDLED_POST_LINK_OPTIMIZED, PluginHost};

//! The simulated helpdesk and providers.
pub mod billing;

//! The WhatsApp channel plugin's logic, in plain Rust.
//!
//! Everything here is pure: no clock, no I/O, no global state. The wasm32 build wraps it in a
//! thin wit-bindgen adapter (`adapter`) that converts the WIT types; native builds run the same
//! code for unit tests and for the wasm-vs-native benchmarks.

pub mod business_hours;
pub mod cloud_api_media;
pub mod decimal;
pub mod error;
pub mod failures;
pub mod inbound;
pub mod info;
pub mod json_text;
pub mod masking;
pub mod outbound;
pub mod pricing;
pub mod sort;
pub mod templates;
pub mod time;
pub mod types;
pub mod window;
pub mod zone;

#[cfg(target_arch = "wasm32")]
mod adapter;
#[cfg(target_arch = "wasm32")]
mod allocator;

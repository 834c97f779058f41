//! Templates: Meta's rules checked before sending, provider payloads, the agent's draft, language choice.

pub mod draft;
pub mod import;
pub mod model;
pub mod prevents;
pub mod render;
pub mod select;
pub mod supported_media;
pub mod twilio_keys;
pub mod validate;
pub mod vars;

#[cfg(test)]
mod tests;

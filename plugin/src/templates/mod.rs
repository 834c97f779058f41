//! Templates: Meta's rules checked before sending, provider payloads, the agent's draft, language choice.

pub mod draft;
pub mod import;
pub mod model;
pub mod render;
pub mod select;
pub mod validate;
pub mod vars;

#[cfg(test)]
mod tests;

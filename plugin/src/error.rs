//! The plain-Rust error shapes the core returns; the adapter maps them onto the WIT variants.

/// Which field of a request was wrong, and how (WIT `invalid-input`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    pub field: String,
    pub reason: String,
}

impl InvalidInput {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { field: field.into(), reason: reason.into() }
    }
}

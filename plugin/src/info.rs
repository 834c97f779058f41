//! What this build is: the contract it implements and its features (WIT `info`).

/// The WIT package version this code implements; the harness's build checks it against `wit/`.
pub const CONTRACT_VERSION: &str = "0.2.0";
/// The plugin's own version.
pub const PLUGIN_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Features this build supports (WIT `plugin-info.features`).
pub const FEATURES: &[&str] = &[
    "window",
    "business-hours",
    "pricing",
    "free-entry-point",
    "inbound",
    "signatures",
    "card-redaction",
    "templates",
    "template-import",
    "group-pricing",
    "outbound",
];

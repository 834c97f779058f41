//! What can go wrong on the host's side of a call. The plugin's own typed errors (a bad webhook,
//! an invalid request) are not here: they are values of the WIT `result`s.

use std::fmt;
use std::time::Duration;

/// A failure of the host around a call: loading, a budget, a trap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostError {
    /// The component could not be read, compiled or linked.
    Load(String),
    /// The component implements another major version of the contract than this host speaks.
    ContractMismatch { component: String, host: String },
    /// The call used up its fuel (instructions) budget.
    OutOfFuel { budget: u64 },
    /// The call ran past its wall-time deadline.
    DeadlineExceeded { deadline: Duration },
    /// The instance tried to grow its memory beyond the limit.
    MemoryLimit { limit_bytes: usize },
    /// The guest trapped (a panic, an unreachable, an out-of-bounds access).
    Trap(String),
    /// The export asked for does not exist: its name, then what there is where the host knows it
    /// (`inbound.normalise; the functions are normalize, verify-signature, may-replace-status`).
    NoSuchExport(String),
    /// The arguments do not fit the export's WIT types (dynamic JSON calls).
    BadArguments(String),
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Load(m) => write!(f, "could not load the component: {m}"),
            HostError::ContractMismatch { component, host } => write!(
                f,
                "the component implements contract helpdesk:whatsapp@{component}, this host speaks @{host}; \
                 they are not compatible"
            ),
            HostError::OutOfFuel { budget } => write!(f, "the call used up its budget of {budget} instructions"),
            HostError::DeadlineExceeded { deadline } => write!(f, "the call ran past its deadline of {deadline:?}"),
            HostError::MemoryLimit { limit_bytes } => {
                write!(f, "the instance tried to grow its memory past {} MiB", limit_bytes >> 20)
            }
            HostError::Trap(m) => write!(f, "the component trapped: {m}"),
            HostError::NoSuchExport(what) => write!(f, "the component has no export {what}"),
            HostError::BadArguments(m) => write!(f, "the arguments do not fit: {m}"),
        }
    }
}

impl std::error::Error for HostError {}

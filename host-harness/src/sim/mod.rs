//! The simulated helpdesk and providers: enough of both that a plugin bug shows up as it would in
//! production, as a provider rejection, a lost message or a wrong tick.

pub mod billing;
pub mod helpdesk;
pub mod providers;
pub mod scenario;
pub mod soak;
pub mod wit;

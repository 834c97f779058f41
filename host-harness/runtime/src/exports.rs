//! The functions a host calls per message, bound on a fresh instance by index, their types checked once.
//!
//! Why not the generated bindings (`Plugin::new`, `inbound::GuestIndices::load`): they type-check
//! every function they bind on every instance (wasmtime's `get_typed_func`), a deep walk of records
//! and variants that cost 8 µs of each fresh-instance call for the whole world and 3.5 µs for the three
//! `inbound` functions alone (BENCHMARKS.md, "A fresh instance per call"). The types cannot differ
//! between instances of one component, so they are checked once, when the host loads it, and each call
//! only looks its one function up.

use wasmtime::Store;
use wasmtime::component::{ComponentExportIndex, Func, Instance, InstancePre, TypedFunc};

use crate::bindings::exports::helpdesk::whatsapp::{inbound, outbound, window};
use crate::error::HostError;
use crate::sandbox::CallState;

/// One interface's functions: a struct of export indices, `new` checking each one's types, and a
/// method per function giving its `TypedFunc` on an instance.
macro_rules! interface_exports {
    ($(#[$doc:meta])* $name:ident, $interface:literal {
        $( $(#[$fdoc:meta])* $field:ident = $wit:literal: ($($param:ty),*) -> $result:ty; )*
    }) => {
        $(#[$doc])*
        pub struct $name {
            $( $field: ComponentExportIndex, )*
        }

        impl $name {
            /// Look the functions up in `pre`'s component and check their types on `instance` (one made
            /// for the purpose). `version` is the contract version, e.g. `0.2.0`.
            ///
            /// Errors: `HostError::Load` naming the function that is missing or has other types.
            // `'a` names the borrowed parameters' lifetime in the signatures given to the macro.
            #[allow(clippy::extra_unused_lifetimes)]
            pub fn new<'a>(
                pre: &InstancePre<CallState>,
                store: &mut Store<CallState>,
                instance: &Instance,
                version: &str,
            ) -> Result<Self, HostError> {
                let interface = format!(concat!("helpdesk:whatsapp/", $interface, "@{}"), version);
                let component = pre.component();
                let missing = |what: &str| HostError::Load(format!("the component does not export `{interface}#{what}`"));
                let iface = component.get_export_index(None, &interface).ok_or_else(|| missing("*"))?;
                $(
                    let $field = component.get_export_index(Some(&iface), $wit).ok_or_else(|| missing($wit))?;
                    instance
                        .get_typed_func::<($($param,)*), ($result,)>(&mut *store, &$field)
                        .map_err(|e| HostError::Load(format!("`{interface}#{}`: {e:#}", $wit)))?;
                )*
                Ok(Self { $( $field, )* })
            }

            $(
                $(#[$fdoc])*
                #[allow(clippy::extra_unused_lifetimes)]
                pub fn $field<'a>(
                    &self,
                    store: &mut Store<CallState>,
                    instance: &Instance,
                ) -> wasmtime::Result<TypedFunc<($($param,)*), ($result,)>> {
                    // SAFETY: `new` checked this export's types against these on an instance of the same
                    // component, and every instance of a component has the same types.
                    Ok(unsafe { TypedFunc::new_unchecked(func(store, instance, &self.$field)?) })
                }
            )*
        }
    };
}

interface_exports! {
    /// `inbound`: what a webhook call uses.
    InboundExports, "inbound" {
        /// `normalize: func(webhook, options) -> result<list<event>, inbound-error>`.
        normalize = "normalize": (&'a inbound::Webhook, &'a inbound::InboundOptions)
            -> Result<Vec<inbound::Event>, inbound::InboundError>;
        /// `verify-signature: func(webhook, secret) -> result<signature-ok, inbound-error>`.
        verify_signature = "verify-signature": (&'a inbound::Webhook, &'a str)
            -> Result<inbound::SignatureOk, inbound::InboundError>;
        /// `may-replace-status: func(current, incoming) -> bool`.
        may_replace_status = "may-replace-status": (inbound::DeliveryStatus, inbound::DeliveryStatus) -> bool;
    }
}

interface_exports! {
    /// `window`: the checks and folds a helpdesk runs per message.
    WindowExports, "window" {
        /// `check: func(request) -> result<window-answer, window-error>`.
        check = "check": (&'a window::WindowRequest) -> Result<window::WindowAnswer, window::WindowError>;
        /// `record-events: func(conversation, events) -> conversation`.
        record_events = "record-events": (window::Conversation, &'a [window::Event]) -> window::Conversation;
        /// `record-business-message: func(conversation, sent-at) -> conversation`.
        record_business_message = "record-business-message": (window::Conversation, i64) -> window::Conversation;
    }
}

interface_exports! {
    /// `outbound`: composing an agent's reply and reading the provider's answer.
    OutboundExports, "outbound" {
        /// `compose: func(request) -> result<compose-answer, compose-error>`.
        compose = "compose": (&'a outbound::ComposeRequest)
            -> Result<outbound::ComposeAnswer, outbound::ComposeError>;
        /// `mark-read: func(request) -> result<read-answer, compose-error>`.
        mark_read = "mark-read": (&'a outbound::ReadRequest) -> Result<outbound::ReadAnswer, outbound::ComposeError>;
        /// `read-response: func(response) -> result<send-outcome, compose-error>`.
        read_response = "read-response": (&'a outbound::ProviderResponse)
            -> Result<outbound::SendOutcome, outbound::ComposeError>;
    }
}

/// The per-message functions of every interface above, checked once per component.
pub struct Exports {
    /// `inbound`.
    pub inbound: InboundExports,
    /// `window`.
    pub window: WindowExports,
    /// `outbound`.
    pub outbound: OutboundExports,
}

impl Exports {
    /// Look up and check every function above, on one instance made for the purpose.
    pub fn new(pre: &InstancePre<CallState>, store: &mut Store<CallState>, version: &str) -> Result<Self, HostError> {
        let instance = pre.instantiate(&mut *store).map_err(|e| HostError::Load(format!("{e:#}")))?;
        Ok(Self {
            inbound: InboundExports::new(pre, store, &instance, version)?,
            window: WindowExports::new(pre, store, &instance, version)?,
            outbound: OutboundExports::new(pre, store, &instance, version)?,
        })
    }
}

fn func(store: &mut Store<CallState>, instance: &Instance, index: &ComponentExportIndex) -> wasmtime::Result<Func> {
    instance.get_func(&mut *store, index).ok_or_else(|| wasmtime::format_err!("an export vanished"))
}

//! The `inbound` interface's functions bound on a fresh instance by index, their types checked once.
//!
//! Why not the generated `inbound::GuestIndices::load`: it type-checks every function it binds on
//! every instance (wasmtime's `get_typed_func`), a deep walk of `list<event>` and its records that
//! cost about 3.5 µs of each webhook call with a fresh instance (BENCHMARKS.md, "A fresh instance per
//! call"). The types cannot differ between instances of one component, so they are checked once,
//! when the host loads it, and each call only looks its function up.

use wasmtime::Store;
use wasmtime::component::{ComponentExportIndex, Func, Instance, InstancePre, TypedFunc};

use crate::bindings::exports::helpdesk::whatsapp::inbound::{
    DeliveryStatus, Event, InboundError, InboundOptions, SignatureOk, Webhook,
};
use crate::error::HostError;
use crate::sandbox::CallState;

/// `normalize: func(webhook, options) -> result<list<event>, inbound-error>`.
pub type Normalize<'a> = TypedFunc<(&'a Webhook, &'a InboundOptions), (Result<Vec<Event>, InboundError>,)>;
/// `verify-signature: func(webhook, secret) -> result<signature-ok, inbound-error>`.
pub type VerifySignature<'a> = TypedFunc<(&'a Webhook, &'a str), (Result<SignatureOk, InboundError>,)>;
/// `may-replace-status: func(current, incoming) -> bool`.
pub type MayReplaceStatus = TypedFunc<(DeliveryStatus, DeliveryStatus), (bool,)>;

/// The export indices of the three `inbound` functions of one component.
pub struct InboundExports {
    normalize: ComponentExportIndex,
    verify_signature: ComponentExportIndex,
    may_replace_status: ComponentExportIndex,
}

impl InboundExports {
    /// Look the functions up in `pre`'s component (`interface` is its export name, e.g.
    /// `helpdesk:whatsapp/inbound@0.2.0`) and check their types on one instance made for the purpose.
    ///
    /// Errors: `HostError::Load` naming the function that is missing or has other types.
    pub fn new(pre: &InstancePre<CallState>, store: &mut Store<CallState>, interface: &str) -> Result<Self, HostError> {
        let component = pre.component();
        let missing = |what: &str| HostError::Load(format!("the component does not export `{interface}#{what}`"));
        let iface = component.get_export_index(None, interface).ok_or_else(|| missing("*"))?;
        let index = |name: &str| component.get_export_index(Some(&iface), name).ok_or_else(|| missing(name));
        let exports = Self {
            normalize: index("normalize")?,
            verify_signature: index("verify-signature")?,
            may_replace_status: index("may-replace-status")?,
        };
        let instance = pre.instantiate(&mut *store).map_err(|e| HostError::Load(format!("{e:#}")))?;
        let mistyped = |name: &str, e: wasmtime::Error| HostError::Load(format!("`{interface}#{name}`: {e:#}"));
        instance
            .get_typed_func::<(&Webhook, &InboundOptions), (Result<Vec<Event>, InboundError>,)>(
                &mut *store,
                &exports.normalize,
            )
            .map_err(|e| mistyped("normalize", e))?;
        instance
            .get_typed_func::<(&Webhook, &str), (Result<SignatureOk, InboundError>,)>(
                &mut *store,
                &exports.verify_signature,
            )
            .map_err(|e| mistyped("verify-signature", e))?;
        instance
            .get_typed_func::<(DeliveryStatus, DeliveryStatus), (bool,)>(&mut *store, &exports.may_replace_status)
            .map_err(|e| mistyped("may-replace-status", e))?;
        Ok(exports)
    }

    /// `normalize` on `instance`.
    pub fn normalize<'a>(&self, store: &mut Store<CallState>, instance: &Instance) -> wasmtime::Result<Normalize<'a>> {
        // SAFETY: `new` checked this export's types against these on an instance of the same
        // component, and every instance of a component has the same types.
        Ok(unsafe { TypedFunc::new_unchecked(func(store, instance, &self.normalize)?) })
    }

    /// `verify-signature` on `instance`.
    pub fn verify_signature<'a>(
        &self,
        store: &mut Store<CallState>,
        instance: &Instance,
    ) -> wasmtime::Result<VerifySignature<'a>> {
        // SAFETY: as in `normalize`.
        Ok(unsafe { TypedFunc::new_unchecked(func(store, instance, &self.verify_signature)?) })
    }

    /// `may-replace-status` on `instance`.
    pub fn may_replace_status(
        &self,
        store: &mut Store<CallState>,
        instance: &Instance,
    ) -> wasmtime::Result<MayReplaceStatus> {
        // SAFETY: as in `normalize`.
        Ok(unsafe { TypedFunc::new_unchecked(func(store, instance, &self.may_replace_status)?) })
    }
}

fn func(store: &mut Store<CallState>, instance: &Instance, index: &ComponentExportIndex) -> wasmtime::Result<Func> {
    instance.get_func(&mut *store, index).ok_or_else(|| wasmtime::format_err!("an inbound export vanished"))
}

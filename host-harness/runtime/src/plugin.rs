//! The WhatsApp plugin loaded in a sandbox: typed calls for Rust hosts, and one dynamic call with
//! `wasmtime::component::Val`s for hosts that build arguments from the component's own types.

use wasmtime::component::types::ComponentFunc;
use wasmtime::component::{Instance, Val};

use crate::bindings::Plugin;
use crate::bindings::exports::helpdesk::whatsapp::{inbound, info, outbound, window};
use crate::budget::Budgets;
use crate::contract;
use crate::error::HostError;
use crate::exports::Exports;
use crate::sandbox::{Allocation, Metering, Sandbox};

/// The plugin, compiled once, instantiated fresh for every call.
pub struct PluginHost {
    sandbox: Sandbox,
    /// The exports looked up once, so a fresh instance is bound without a lookup by name per call.
    pre: crate::bindings::PluginPre<crate::sandbox::CallState>,
    /// The per-message functions (`inbound`, `window`, `outbound`), type-checked once: such a call binds
    /// only the function it calls, by index (measured: binding the whole world took 8-10 µs of a fresh
    /// instance per call in the pooling allocator, 18 µs on demand; the generated binding of the three
    /// `inbound` functions alone 3.5 µs).
    exports: Exports,
    contract_version: String,
}

/// An instance kept across calls, its budgets refilled before each: for benchmarks that measure the
/// guest without instantiation. Hosts should prefer a fresh instance per call (`PluginHost`).
pub struct Warm<'h> {
    host: &'h PluginHost,
    store: wasmtime::Store<crate::sandbox::CallState>,
    plugin: Plugin,
}

impl Warm<'_> {
    /// One typed call on the kept instance.
    pub fn call<R>(
        &mut self,
        f: impl FnOnce(&Plugin, &mut wasmtime::Store<crate::sandbox::CallState>) -> wasmtime::Result<R>,
    ) -> Result<R, HostError> {
        let sandbox = &self.host.sandbox;
        sandbox.refill(&mut self.store)?;
        let fuel = sandbox.budgets().fuel;
        f(&self.plugin, &mut self.store).map_err(|e| sandbox.classify(&e, &self.store, fuel))
    }
}

/// A call's answer and the instructions it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Metered<T> {
    /// The call's answer.
    pub value: T,
    /// The fuel (about one unit per wasm instruction) the call used, instantiation included.
    pub fuel: u64,
}

impl PluginHost {
    /// Any build of the plugin (the bytes of a `.wasm` component); refused before instantiation if its
    /// contract version does not fit (`HostError::ContractMismatch`), if it imports anything or does not
    /// export the `plugin` world (`HostError::Load`).
    ///
    /// The engine is the default one, for serving: the pooling allocator ([`Allocation::Pooling`]) and
    /// the epoch deadline without fuel ([`Metering::Epoch`], the cheapest containment measured:
    /// BENCHMARKS.md, "What the budgets cost"); `Metered::fuel` is 0. See `metered` for fuel.
    pub fn new(bytes: &[u8], budgets: Budgets) -> Result<Self, HostError> {
        Self::with_allocation(bytes, budgets, Allocation::default())
    }

    /// The same, in the engine of the given allocation strategy (see `sandbox::Allocation`).
    pub fn with_allocation(bytes: &[u8], budgets: Budgets, allocation: Allocation) -> Result<Self, HostError> {
        Self::with_engine(bytes, budgets, allocation, Metering::default())
    }

    /// The same with fuel metering as well ([`Metering::Fuel`]): every call's instructions are counted
    /// (`Metered::fuel`) and a runaway loop stops at `Budgets::fuel`, the same on every machine. For
    /// tests and for hosts that want determinism; it costs about 1.4x the default's time per call.
    pub fn metered(bytes: &[u8], budgets: Budgets) -> Result<Self, HostError> {
        Self::with_engine(bytes, budgets, Allocation::Pooling, Metering::Fuel)
    }

    /// The same, in the engine of the given allocation strategy and metering.
    pub fn with_engine(
        bytes: &[u8],
        budgets: Budgets,
        allocation: Allocation,
        metering: Metering,
    ) -> Result<Self, HostError> {
        let contract_version = contract::check(bytes)?;
        let sandbox = Sandbox::with_engine(bytes, budgets, allocation, metering)?;
        // Type-check and look up the exports once, here, rather than on every call.
        let pre = crate::bindings::PluginPre::new(sandbox.instance_pre().clone())
            .map_err(|e| HostError::Load(format!("the component does not export the plugin world: {e:#}")))?;
        let mut store = sandbox.store(sandbox.budgets().fuel)?;
        let exports = Exports::new(sandbox.instance_pre(), &mut store, &contract_version)?;
        Ok(Self { sandbox, pre, exports, contract_version })
    }

    /// An instance kept across calls (see `Warm`).
    pub fn warm(&self) -> Result<Warm<'_>, HostError> {
        let mut store = self.sandbox.store(self.sandbox.budgets().fuel)?;
        let instance =
            self.sandbox.instance_pre().instantiate(&mut store).map_err(|e| HostError::Load(format!("{e:#}")))?;
        let plugin = Plugin::new(&mut store, &instance).map_err(|e| HostError::Load(format!("{e:#}")))?;
        Ok(Warm { host: self, store, plugin })
    }

    /// The sandbox the calls run in: its budgets, the compiled component, its sha256.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// The component pre-linked with its exports looked up: `instantiate` gives a bound `Plugin`.
    pub fn plugin_pre(&self) -> &crate::bindings::PluginPre<crate::sandbox::CallState> {
        &self.pre
    }

    /// The per-message functions by index (what a webhook, window or outbound call binds).
    pub fn exports(&self) -> &Exports {
        &self.exports
    }

    /// The contract version the component declares.
    pub fn contract_version(&self) -> &str {
        &self.contract_version
    }

    fn typed<R>(
        &self,
        f: impl FnOnce(&Plugin, &mut wasmtime::Store<crate::sandbox::CallState>) -> wasmtime::Result<R>,
    ) -> Result<Metered<R>, HostError> {
        self.typed_sized(0, f)
    }

    /// A typed call whose fuel grows with `input_bytes` of input.
    fn typed_sized<R>(
        &self,
        input_bytes: usize,
        f: impl FnOnce(&Plugin, &mut wasmtime::Store<crate::sandbox::CallState>) -> wasmtime::Result<R>,
    ) -> Result<Metered<R>, HostError> {
        self.sandbox
            .call_sized(input_bytes, |store, instance| {
                let plugin = Plugin::new(&mut *store, instance)?;
                f(&plugin, store)
            })
            .map(|(value, fuel)| Metered { value, fuel })
    }

    /// A call of one of `exports` on a fresh instance, binding only the function it calls.
    fn bound_sized<R>(
        &self,
        input_bytes: usize,
        f: impl FnOnce(&Exports, &mut wasmtime::Store<crate::sandbox::CallState>, &Instance) -> wasmtime::Result<R>,
    ) -> Result<Metered<R>, HostError> {
        self.sandbox
            .call_sized(input_bytes, |store, instance| f(&self.exports, store, instance))
            .map(|(value, fuel)| Metered { value, fuel })
    }

    /// Any typed call on a fresh instance with the instructions it cost (the base fuel budget).
    pub fn call_typed_metered<R>(
        &self,
        f: impl FnOnce(&Plugin, &mut wasmtime::Store<crate::sandbox::CallState>) -> wasmtime::Result<R>,
    ) -> Result<Metered<R>, HostError> {
        self.typed(f)
    }

    /// Any typed call on a fresh instance, for exports without a helper of their own.
    pub fn call_typed<R>(
        &self,
        f: impl FnOnce(&Plugin, &mut wasmtime::Store<crate::sandbox::CallState>) -> wasmtime::Result<R>,
    ) -> Result<R, HostError> {
        self.typed(f).map(|m| m.value)
    }

    /// `info.info`.
    pub fn info(&self) -> Result<info::PluginInfo, HostError> {
        self.typed(|p, s| p.helpdesk_whatsapp_info().call_info(s)).map(|m| m.value)
    }

    /// `window.check`.
    pub fn check_window(
        &self,
        request: &window::WindowRequest,
    ) -> Result<Result<window::WindowAnswer, window::WindowError>, HostError> {
        self.check_window_metered(request).map(|m| m.value)
    }

    /// `window.check`, with the instructions it cost.
    pub fn check_window_metered(
        &self,
        request: &window::WindowRequest,
    ) -> Result<Metered<Result<window::WindowAnswer, window::WindowError>>, HostError> {
        self.bound_sized(0, |e, s, i| e.window.check(s, i)?.call(s, (request,)).map(|(r,)| r))
    }

    /// `window.record-events`: the conversation's facts with a webhook's events folded in.
    pub fn record_events(
        &self,
        conversation: window::Conversation,
        events: &[window::Event],
    ) -> Result<window::Conversation, HostError> {
        self.bound_sized(0, |e, s, i| e.window.record_events(s, i)?.call(s, (conversation, events)).map(|(r,)| r))
            .map(|m| m.value)
    }

    /// `window.record-business-message`: the conversation's facts after the business wrote at `sent_at`
    /// (epoch milliseconds).
    pub fn record_business_message(
        &self,
        conversation: window::Conversation,
        sent_at: i64,
    ) -> Result<window::Conversation, HostError> {
        self.bound_sized(0, |e, s, i| {
            e.window.record_business_message(s, i)?.call(s, (conversation, sent_at)).map(|(r,)| r)
        })
        .map(|m| m.value)
    }

    /// `outbound.compose`.
    pub fn compose(
        &self,
        request: &outbound::ComposeRequest,
    ) -> Result<Result<outbound::ComposeAnswer, outbound::ComposeError>, HostError> {
        self.bound_sized(0, |e, s, i| e.outbound.compose(s, i)?.call(s, (request,)).map(|(r,)| r)).map(|m| m.value)
    }

    /// `outbound.mark-read`.
    pub fn mark_read(
        &self,
        request: &outbound::ReadRequest,
    ) -> Result<Result<outbound::ReadAnswer, outbound::ComposeError>, HostError> {
        self.bound_sized(0, |e, s, i| e.outbound.mark_read(s, i)?.call(s, (request,)).map(|(r,)| r)).map(|m| m.value)
    }

    /// `outbound.read-response`; the fuel budget grows with the response body.
    pub fn read_response(
        &self,
        response: &outbound::ProviderResponse,
    ) -> Result<Result<outbound::SendOutcome, outbound::ComposeError>, HostError> {
        self.bound_sized(response.body.len(), |e, s, i| {
            e.outbound.read_response(s, i)?.call(s, (response,)).map(|(r,)| r)
        })
        .map(|m| m.value)
    }

    /// `window.default-pricing`.
    pub fn default_pricing(&self) -> Result<Vec<window::PricingPeriod>, HostError> {
        self.typed(|p, s| p.helpdesk_whatsapp_window().call_default_pricing(s)).map(|m| m.value)
    }

    /// `inbound.normalize`, with the instructions it cost.
    pub fn normalize_metered(
        &self,
        webhook: &inbound::Webhook,
        options: &inbound::InboundOptions,
    ) -> Result<Metered<Result<Vec<inbound::Event>, inbound::InboundError>>, HostError> {
        self.bound_sized(webhook.body.len(), |e, s, i| {
            e.inbound.normalize(s, i)?.call(s, (webhook, options)).map(|(r,)| r)
        })
    }

    /// `inbound.normalize`.
    pub fn normalize(
        &self,
        webhook: &inbound::Webhook,
        options: &inbound::InboundOptions,
    ) -> Result<Result<Vec<inbound::Event>, inbound::InboundError>, HostError> {
        self.normalize_metered(webhook, options).map(|m| m.value)
    }

    /// `inbound.verify-signature`.
    pub fn verify_signature(
        &self,
        webhook: &inbound::Webhook,
        secret: &str,
    ) -> Result<Result<inbound::SignatureOk, inbound::InboundError>, HostError> {
        self.verify_signature_metered(webhook, secret).map(|m| m.value)
    }

    /// `inbound.verify-signature`, with the instructions it cost.
    pub fn verify_signature_metered(
        &self,
        webhook: &inbound::Webhook,
        secret: &str,
    ) -> Result<Metered<Result<inbound::SignatureOk, inbound::InboundError>>, HostError> {
        self.bound_sized(webhook.body.len(), |e, s, i| {
            e.inbound.verify_signature(s, i)?.call(s, (webhook, secret)).map(|(r,)| r)
        })
    }

    /// `inbound.may-replace-status`.
    pub fn may_replace_status(
        &self,
        current: inbound::DeliveryStatus,
        incoming: inbound::DeliveryStatus,
    ) -> Result<bool, HostError> {
        self.bound_sized(0, |e, s, i| e.inbound.may_replace_status(s, i)?.call(s, (current, incoming)).map(|(r,)| r))
            .map(|m| m.value)
    }

    /// Call `interface.function` of the contract (e.g. `"window"`, `"check"`) on a fresh instance, with
    /// arguments built by `params` from the function's type (its parameter names and WIT types, in
    /// order); the results come back as `Val`s with the instructions the call cost. `input_bytes` is the
    /// size of the input, which grows the fuel budget (`Budgets::fuel_for`); 0 gives the base budget.
    ///
    /// Errors: `NoSuchExport` (`helpdesk:whatsapp/<interface>@<version>#<function>`) if the component
    /// has no such function; `BadArguments` if `params` refuses or gives another number of arguments
    /// than the function takes; otherwise the budgets' and traps' errors of any call.
    pub fn call_dynamic(
        &self,
        interface: &str,
        function: &str,
        input_bytes: usize,
        params: impl FnOnce(&ComponentFunc) -> Result<Vec<Val>, HostError>,
    ) -> Result<Metered<Vec<Val>>, HostError> {
        let export = format!("helpdesk:whatsapp/{interface}@{}", self.contract_version);
        let mut problem = None;
        let result = self.sandbox.call_sized(input_bytes, |store, instance| {
            let func = instance
                .get_export_index(&mut *store, None, &export)
                .and_then(|iface| instance.get_export_index(&mut *store, Some(&iface), function))
                .and_then(|index| instance.get_func(&mut *store, index));
            let Some(func) = func else {
                problem = Some(HostError::NoSuchExport(format!("{export}#{function}")));
                return Ok(Vec::new());
            };
            let ty = func.ty(&*store);
            let args = match params(&ty) {
                Ok(args) if args.len() == ty.params().len() => args,
                Ok(args) => {
                    let expected = ty.params().len();
                    problem = Some(HostError::BadArguments(format!(
                        "{export}#{function} takes {expected} arguments, {} given",
                        args.len()
                    )));
                    return Ok(Vec::new());
                }
                Err(e) => {
                    problem = Some(e);
                    return Ok(Vec::new());
                }
            };
            let mut results = vec![Val::Bool(false); ty.results().len()];
            func.call(&mut *store, &args, &mut results)?;
            Ok(results)
        });
        match (problem, result) {
            (Some(problem), _) => Err(problem),
            (None, result) => result.map(|(value, fuel)| Metered { value, fuel }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PluginHost;
    use crate::contract::{CONTRACT_SECTION, HOST_CONTRACT_VERSION};
    use crate::{Budgets, HostError};

    /// A component from WAT with a contract section appended, as the plugin's build appends it.
    fn component(wat: &str, contract: Option<&str>) -> Vec<u8> {
        let mut bytes = wat::parse_str(wat).expect("valid WAT");
        if let Some(version) = contract {
            let mut body = leb(CONTRACT_SECTION.len());
            body.extend_from_slice(CONTRACT_SECTION.as_bytes());
            body.extend_from_slice(version.as_bytes());
            bytes.push(0); // custom section id
            bytes.extend(leb(body.len()));
            bytes.extend(body);
        }
        bytes
    }

    fn leb(mut n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return out;
            }
            out.push(byte | 0x80);
        }
    }

    fn load_error(bytes: &[u8]) -> HostError {
        PluginHost::new(bytes, Budgets::default()).err().expect("refused")
    }

    #[test]
    fn a_component_without_a_contract_section_is_refused() {
        let error = load_error(&component("(component)", None));
        assert!(matches!(&error, HostError::Load(m) if m.contains(CONTRACT_SECTION)), "{error}");
    }

    #[test]
    fn a_component_of_another_contract_version_is_refused_naming_both() {
        let error = load_error(&component("(component)", Some("1.0.0")));
        assert_eq!(
            error,
            HostError::ContractMismatch { component: "1.0.0".into(), host: HOST_CONTRACT_VERSION.into() }
        );
    }

    #[test]
    fn a_component_that_imports_anything_is_refused() {
        let error = load_error(&component(r#"(component (import "clock" (func)))"#, Some(HOST_CONTRACT_VERSION)));
        assert!(matches!(&error, HostError::Load(m) if m.contains("imports")), "{error}");
    }

    #[test]
    fn a_component_without_the_plugin_world_is_refused() {
        let error = load_error(&component("(component)", Some(HOST_CONTRACT_VERSION)));
        assert!(matches!(&error, HostError::Load(m) if m.contains("plugin world")), "{error}");
    }
}

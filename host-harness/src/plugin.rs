//! The WhatsApp plugin loaded in a sandbox: typed calls for Rust hosts, and JSON calls for the CLI.

use serde_json::Value;
use wasmtime::component::Val;

use crate::bindings::Plugin;
use crate::bindings::exports::helpdesk::whatsapp::{inbound, info, window};
use crate::budget::Budgets;
use crate::error::HostError;
use crate::sandbox::Sandbox;
use crate::{contract, json};

/// The component this harness was built with (see `build.rs`).
pub const BUNDLED_COMPONENT: &[u8] = include_bytes!(env!("WHATSAPP_PLUGIN_COMPONENT"));

/// The plugin, compiled once, instantiated fresh for every call.
pub struct PluginHost {
    sandbox: Sandbox,
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
    pub value: T,
    pub fuel: u64,
}

impl PluginHost {
    /// The bundled component with the default budgets.
    pub fn bundled() -> Result<Self, HostError> {
        Self::new(BUNDLED_COMPONENT, Budgets::default())
    }

    /// Any build of the plugin; refused before instantiation if its contract version does not fit.
    pub fn new(bytes: &[u8], budgets: Budgets) -> Result<Self, HostError> {
        let contract_version = contract::check(bytes)?;
        let sandbox = Sandbox::new(bytes, budgets)?;
        // Type-check the exports once, here, rather than on every call.
        crate::bindings::PluginPre::new(sandbox.instance_pre().clone())
            .map_err(|e| HostError::Load(format!("the component does not export the plugin world: {e:#}")))?;
        Ok(Self { sandbox, contract_version })
    }

    /// The bundled component in the pooling allocator's engine (see `sandbox::Allocation`).
    pub fn bundled_pooling() -> Result<Self, HostError> {
        let contract_version = contract::check(BUNDLED_COMPONENT)?;
        let sandbox =
            Sandbox::with_allocation(BUNDLED_COMPONENT, Budgets::default(), crate::sandbox::Allocation::Pooling)?;
        Ok(Self { sandbox, contract_version })
    }

    /// An instance kept across calls (see `Warm`).
    pub fn warm(&self) -> Result<Warm<'_>, HostError> {
        let mut store = self.sandbox.store(self.sandbox.budgets().fuel)?;
        let instance =
            self.sandbox.instance_pre().instantiate(&mut store).map_err(|e| HostError::Load(format!("{e:#}")))?;
        let plugin = Plugin::new(&mut store, &instance).map_err(|e| HostError::Load(format!("{e:#}")))?;
        Ok(Warm { host: self, store, plugin })
    }

    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
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
        self.typed(|p, s| p.helpdesk_whatsapp_window().call_check(s, request))
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
        self.typed_sized(webhook.body.len(), |p, s| p.helpdesk_whatsapp_inbound().call_normalize(s, webhook, options))
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
        self.typed_sized(webhook.body.len(), |p, s| {
            p.helpdesk_whatsapp_inbound().call_verify_signature(s, webhook, secret)
        })
        .map(|m| m.value)
    }

    /// `inbound.may-replace-status`.
    pub fn may_replace_status(
        &self,
        current: inbound::DeliveryStatus,
        incoming: inbound::DeliveryStatus,
    ) -> Result<bool, HostError> {
        self.typed(|p, s| p.helpdesk_whatsapp_inbound().call_may_replace_status(s, current, incoming)).map(|m| m.value)
    }

    /// Call `interface.function` with JSON arguments keyed by parameter name (snake_case or kebab-case);
    /// the answer comes back as JSON. See `json` for the mapping.
    pub fn call_json(
        &self,
        interface: &str,
        function: &str,
        args: &serde_json::Map<String, Value>,
    ) -> Result<Value, HostError> {
        self.call_json_metered(interface, function, args).map(|m| m.value)
    }

    /// `call_json`, with the instructions the call cost.
    pub fn call_json_metered(
        &self,
        interface: &str,
        function: &str,
        args: &serde_json::Map<String, Value>,
    ) -> Result<Metered<Value>, HostError> {
        let export = format!("helpdesk:whatsapp/{interface}@{}", self.contract_version);
        let mut problem = None;
        let input_bytes = serde_json::to_string(args).map_or(0, |s| s.len());
        let result = self.sandbox.call_sized(input_bytes, |store, instance| {
            let func = instance
                .get_export_index(&mut *store, None, &export)
                .and_then(|iface| instance.get_export_index(&mut *store, Some(&iface), function))
                .and_then(|index| instance.get_func(&mut *store, index));
            let Some(func) = func else {
                problem = Some(HostError::NoSuchExport(format!("{export}#{function}")));
                return Ok(Value::Null);
            };
            let ty = func.ty(&*store);
            let mut params = Vec::new();
            for (name, param_ty) in ty.params() {
                let arg = args.get(&json::snake(name)).or_else(|| args.get(name)).unwrap_or(&Value::Null);
                match json::to_val(arg, &param_ty, &json::snake(name)) {
                    Ok(v) => params.push(v),
                    Err(e) => {
                        problem = Some(HostError::BadArguments(e));
                        return Ok(Value::Null);
                    }
                }
            }
            let mut results = vec![Val::Bool(false); ty.results().len()];
            func.call(&mut *store, &params, &mut results)?;
            Ok(match results.as_slice() {
                [] => Value::Null,
                [one] => json::from_val(one),
                many => Value::Array(many.iter().map(json::from_val).collect()),
            })
        });
        match (problem, result) {
            (Some(problem), _) => Err(problem),
            (None, result) => result.map(|(value, fuel)| Metered { value, fuel }),
        }
    }
}

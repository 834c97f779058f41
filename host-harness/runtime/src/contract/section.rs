/// The name of the custom section that carries a component's contract version (`0.2.0`, UTF-8):
/// the plugin's build appends it, the runtime reads it before instantiating. In a file of its own so
/// that host-harness's build script, which cannot depend on the runtime (wasmtime would be built a
/// second time), includes this one definition by path.
pub const CONTRACT_SECTION: &str = "helpdesk:whatsapp/contract-version";

//! The CLI's edge: what each one-shot command asks the component, JSON in and JSON out (through the
//! component's `json` door, which holds the mapping; see `json.rs`). The commands in `main.rs` read a
//! file and print these answers; the fixture tests in `tests/` check the same answers, so a fixture is
//! exactly what `host-harness <command> FILE --json` prints. With `contract_docs` (the `docs` command),
//! the only callers of `call_json`: the simulation and the property tests call the component through
//! the typed bindings.
//!
//! Every function answers the component's JSON (`{"ok": ...}` / `{"error": ...}` for a WIT `result`), or
//! an error message when the input is not what the command takes or the host failed.

use serde_json::{Map, Value, json};

use crate::bundled::PluginHost;
use crate::json::args;
use crate::{envelope, template_input, zones};

fn call(plugin: &PluginHost, interface: &str, function: &str, args: &Map<String, Value>) -> Result<Value, String> {
    plugin.call_json(interface, function, args).map_err(|e| e.to_string())
}

/// `normalize`: an envelope (`envelope.rs`) into helpdesk events.
pub fn normalize(plugin: &PluginHost, envelope: &Value, provider: Option<&str>) -> Result<Value, String> {
    call(plugin, "inbound", "normalize", &envelope::normalize_args(envelope, provider)?)
}

/// `verify`: the envelope's signature checked with its `secret`.
pub fn verify(plugin: &PluginHost, envelope: &Value, provider: Option<&str>) -> Result<Value, String> {
    call(plugin, "inbound", "verify-signature", &envelope::verify_args(envelope, provider)?)
}

/// `window`: a `window-request`; its `time_zone` may be an IANA name, turned into its POSIX rule first.
pub fn window(plugin: &PluginHost, mut request: Value) -> Result<Value, String> {
    if let Some(zone) = request.get("time_zone").and_then(Value::as_str).map(str::to_string) {
        request["time_zone"] = Value::String(zones::posix_rule(&zone)?);
    }
    window_check(plugin, request)
}

/// `window.check` on the request exactly as given (a `time_zone` must already be a POSIX rule).
pub fn window_check(plugin: &PluginHost, request: Value) -> Result<Value, String> {
    call(plugin, "window", "check", &args([("request", request)]))
}

/// `validate`: the problems (a JSON array) of `{"template": ...}` or of a bare template, ours or a provider's.
pub fn validate(plugin: &PluginHost, input: &Value) -> Result<Value, String> {
    let template = template_of(plugin, input, true)?;
    call(plugin, "templates", "validate-template", &args([("template", template)]))
}

/// `render`: `{"template", "values", "target"?}`; the target defaults to `target`, else Meta.
pub fn render(plugin: &PluginHost, input: &Value, target: Option<&str>) -> Result<Value, String> {
    let target = input.get("target").cloned().or(target.map(|t| Value::String(t.to_string())));
    let call_args = args([
        ("template", template_of(plugin, input, false)?),
        ("values", template_input::values(&input["values"])?),
        ("target", target.unwrap_or_else(|| "meta-cloud".into())),
    ]);
    call(plugin, "templates", "render", &call_args)
}

/// `select`: `{"approved", "name", "preferences"?, "fallback_language"?}`.
pub fn select(plugin: &PluginHost, input: &Value) -> Result<Value, String> {
    let call_args = args([
        ("approved", input.get("approved").cloned().ok_or("`approved`: the list of approved templates")?),
        ("name", input.get("name").cloned().ok_or("`name`: the template's name")?),
        ("preferences", input.get("preferences").cloned().unwrap_or_else(|| Value::Array(Vec::new()))),
        ("fallback_language", input.get("fallback_language").cloned().unwrap_or(Value::Null)),
    ]);
    call(plugin, "templates", "select", &call_args)
}

/// `preview`: the agent's draft of `{"template", "values"}`.
pub fn preview(plugin: &PluginHost, input: &Value) -> Result<Value, String> {
    let template = template_of(plugin, input, false)?;
    call(
        plugin,
        "templates",
        "preview",
        &args([("template", template), ("values", template_input::values(&input["values"])?)]),
    )
}

/// `import-template`: `templates.from-provider` on a provider's JSON (`{"ok": [{"ok"|"error": ...}]}`).
pub fn import(
    plugin: &PluginHost,
    provider: &str,
    source: &Value,
    approvals: &[Value],
    namespace: Option<&str>,
) -> Result<Value, String> {
    let request = json!({
        "provider": provider,
        "json": source.to_string(),
        "twilio_approvals": approvals.iter().map(Value::to_string).collect::<Vec<_>>(),
        "namespace": namespace,
    });
    from_provider(plugin, request)
}

/// `templates.from-provider` with the request as the contract writes it (`json` already text).
pub fn from_provider(plugin: &PluginHost, request: Value) -> Result<Value, String> {
    call(plugin, "templates", "from-provider", &args([("request", request)]))
}

/// The provider whose template shape `value` has: a Meta message-template object has `components`, a
/// Twilio Content resource `types`; with `lists`, Meta's `message_templates` answer (`data`) and
/// Twilio's Content list (`contents`) count too.
pub fn source_provider(value: &Value, lists: bool) -> Option<&'static str> {
    let has = |key: &str| value.get(key).is_some();
    if has("components") || (lists && has("data")) {
        Some("meta-cloud")
    } else if has("types") || (lists && has("contents")) {
        Some("twilio")
    } else {
        None
    }
}

/// The template record of a CLI input (`{"template": ...}`, or with `bare` the input itself when it has no
/// `template`): used as is, or, when it is a provider's template (see `source_provider`), converted with the
/// `namespace` and `twilio_approval` beside it. Exactly one template must come out.
fn template_of(plugin: &PluginHost, input: &Value, bare: bool) -> Result<Value, String> {
    let template = match input.get("template") {
        Some(t) => t,
        None if bare => input,
        None => &Value::Null,
    };
    let Some(provider) = source_provider(template, false) else {
        return Ok(template.clone());
    };
    let approvals: Vec<Value> = input.get("twilio_approval").filter(|a| !a.is_null()).cloned().into_iter().collect();
    let result = import(plugin, provider, template, &approvals, input.get("namespace").and_then(Value::as_str))?;
    let items = match (result.get("ok").and_then(Value::as_array), result.get("error")) {
        (Some(items), _) => items,
        (_, Some(error)) => return Err(format!("the plugin could not read the {provider} template: {error}")),
        _ => return Err(format!("unexpected answer: {result}")),
    };
    match items.as_slice() {
        [one] => match (one.get("ok"), one.get("error")) {
            (Some(ok), _) => Ok(ok["template"].clone()),
            (_, Some(e)) => Err(format!(
                "the plugin could not read the {provider} template: {}: {}",
                e["field"].as_str().unwrap_or_default(),
                e["reason"].as_str().unwrap_or_default()
            )),
            _ => Err(format!("unexpected answer: {one}")),
        },
        _ => Err(format!("expected one template, found {}; use import-template for lists", items.len())),
    }
}

/// `mask` with `{"identifier"}`: the identifier masked (a JSON string).
pub fn mask_identifier(plugin: &PluginHost, identifier: Value) -> Result<Value, String> {
    call(plugin, "masking", "mask-identifier", &args([("value", identifier)]))
}

/// `mask` with `{"message", "viewer", "policy"}`: the reply as the viewer sees it; the policy's
/// `time_zone` may be an IANA name.
pub fn mask(plugin: &PluginHost, mut input: Value) -> Result<Value, String> {
    if let Some(zone) = input["policy"]["time_zone"].as_str().map(str::to_string) {
        input["policy"]["time_zone"] = Value::String(zones::posix_rule(&zone)?);
    }
    let call_args = args([
        ("message", input["message"].clone()),
        ("viewer", input["viewer"].clone()),
        ("policy", input["policy"].clone()),
    ]);
    call(plugin, "masking", "format-masked-reply", &call_args)
}

/// `channel`: one shared-number rule (`action`: may-automate, after-disconnect or pick-up) called with
/// the rest of the input as its arguments.
pub fn channel(plugin: &PluginHost, input: &Value) -> Result<Value, String> {
    let action =
        input["action"].as_str().ok_or("`action` must be may-automate, after-disconnect or pick-up")?.to_string();
    let mut call_args = input.as_object().cloned().unwrap_or_default();
    call_args.remove("action");
    call(plugin, "masking", &action, &call_args)
}

/// The request of an outbound input: a fixture file's `request` (it has `function`), or the input itself.
pub fn outbound_request(input: Value) -> Value {
    input.get("request").filter(|_| input.get("function").is_some()).cloned().unwrap_or(input)
}

/// `compose`: an agent's reply (a `send-request`) into the provider's HTTP request, or problems.
pub fn compose(plugin: &PluginHost, request: Value) -> Result<Value, String> {
    call(plugin, "outbound", "compose", &args([("request", request)]))
}

/// `mark-read`: the read receipt (and typing indicator) request for a message.
pub fn mark_read(plugin: &PluginHost, request: Value) -> Result<Value, String> {
    call(plugin, "outbound", "mark-read", &args([("request", request)]))
}

/// `read-response`: a provider's answer (`{"provider", "call", "status", "body"}`, the body as text or
/// JSON) read back into the message id or a failure.
pub fn read_response(plugin: &PluginHost, response: Value) -> Result<Value, String> {
    let response = crate::outbound_text::provider_response(response);
    call(plugin, "outbound", "read-response", &args([("response", response)]))
}

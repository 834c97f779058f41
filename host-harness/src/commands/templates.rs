//! `validate`, `render`, `preview`, `select` and `import-template`: templates, ours or a provider's.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use host_harness::PluginHost;
use host_harness::json::args;
use host_harness::template_input;

use super::{load, pretty, print_result, read_json};

/// `validate`: the template's problems against Meta's rules; exit 1 when there are some.
pub fn validate(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let plugin = load(bytes)?;
    let template = template_of(&plugin, &input, true)?;
    let problems = plugin
        .call_json("templates", "validate-template", &args([("template", template)]))
        .map_err(|e| e.to_string())?;
    println!(
        "{}",
        if json || !problems.as_array().is_some_and(Vec::is_empty) { pretty(&problems) } else { "valid".into() }
    );
    Ok(if problems.as_array().is_some_and(Vec::is_empty) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `render`: the template with its values for a provider (`target` in the file, else `--target`, else Meta).
pub fn render(bytes: &[u8], json: bool, file: Option<&PathBuf>, target: Option<&str>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let target = input
        .get("target")
        .cloned()
        .or(target.map(|t| Value::String(t.to_string())))
        .unwrap_or_else(|| "meta-cloud".into());
    let plugin = load(bytes)?;
    let call = args([
        ("template", template_of(&plugin, &input, false)?),
        ("values", template_input::values(&input["values"])?),
        ("target", target),
    ]);
    let result = plugin.call_json("templates", "render", &call).map_err(|e| e.to_string())?;
    print_result(json, &result, template_input::rendered_text)
}

/// `select`: a template's best language for a customer; exit 1 when none fits.
pub fn select(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let call = args([
        ("approved", input.get("approved").cloned().ok_or("`approved`: the list of approved templates")?),
        ("name", input.get("name").cloned().ok_or("`name`: the template's name")?),
        ("preferences", input.get("preferences").cloned().unwrap_or_else(|| Value::Array(Vec::new()))),
        ("fallback_language", input.get("fallback_language").cloned().unwrap_or(Value::Null)),
    ]);
    let plugin = load(bytes)?;
    let result = plugin.call_json("templates", "select", &call).map_err(|e| e.to_string())?;
    print_result(json, &result, |t| {
        format!("{} in {}", t["name"].as_str().unwrap_or_default(), t["language"].as_str().unwrap_or_default())
    })
}

/// `preview`: the agent's draft of the template with its values.
pub fn preview(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let plugin = load(bytes)?;
    let template = template_of(&plugin, &input, false)?;
    let call = args([("template", template), ("values", template_input::values(&input["values"])?)]);
    let draft = plugin.call_json("templates", "preview", &call).map_err(|e| e.to_string())?;
    println!("{}", if json { pretty(&draft) } else { draft["text"].as_str().unwrap_or_default().to_string() });
    Ok(ExitCode::SUCCESS)
}

/// `import-template`: a provider's templates converted into template records; exit 1 when one is not.
pub fn import_template(
    bytes: &[u8],
    json: bool,
    file: Option<&PathBuf>,
    provider: Option<&str>,
    approval: &[PathBuf],
    namespace: Option<&str>,
) -> Result<ExitCode, String> {
    let source = read_json(file)?;
    let provider = match provider {
        Some(p) => p.to_string(),
        None => source_provider(&source, true)
            .ok_or("cannot tell the provider from the shape; pass --provider meta-cloud or twilio")?
            .to_string(),
    };
    let approvals = approval.iter().map(|path| read_json(Some(path))).collect::<Result<Vec<Value>, String>>()?;
    let plugin = load(bytes)?;
    let result = import(&plugin, &provider, &source, &approvals, namespace)?;
    let failed = result["ok"].as_array().is_some_and(|items| items.iter().any(|i| i.get("error").is_some()));
    let code = print_result(json, &result, |items| {
        let mut out = Vec::new();
        for (i, item) in items.as_array().into_iter().flatten().enumerate() {
            match (item.get("ok"), item.get("error")) {
                (Some(ok), _) => {
                    out.push(format!("[{i}] {}", pretty(&ok["template"])));
                    for note in ok["notes"].as_array().into_iter().flatten() {
                        out.push(format!("    note: {}", note.as_str().unwrap_or_default()));
                    }
                }
                (_, Some(e)) => out.push(format!(
                    "[{i}] not imported: {}: {}",
                    e["field"].as_str().unwrap_or_default(),
                    e["reason"].as_str().unwrap_or_default()
                )),
                _ => {}
            }
        }
        out.join("\n")
    })?;
    Ok(if failed { ExitCode::from(1) } else { code })
}

/// The provider whose template shape `value` has: a Meta message-template object has `components`, a
/// Twilio Content resource `types`; with `lists`, Meta's `message_templates` answer (`data`) and
/// Twilio's Content list (`contents`) count too.
fn source_provider(value: &Value, lists: bool) -> Option<&'static str> {
    let has = |key: &str| value.get(key).is_some();
    if has("components") || (lists && has("data")) {
        Some("meta-cloud")
    } else if has("types") || (lists && has("contents")) {
        Some("twilio")
    } else {
        None
    }
}

/// `templates.from-provider` on a provider's JSON; the answer as JSON (`{"ok": [{"ok"|"error": ...}]}`).
fn import(
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
    plugin.call_json("templates", "from-provider", &args([("request", request)])).map_err(|e| e.to_string())
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

//! `docs/contract.md`, generated from the WIT doc comments: every interface, type and function, and
//! for each function an example request and the answer the component gives to it (so the examples
//! cannot drift from the code). `cargo run -p host-harness -- docs` rewrites it; a test fails when
//! the committed file is stale.

use std::fmt::Write as _;

use serde_json::{Value, json};
use wit_parser::{Docs, Function, Resolve, Type, TypeDefKind, TypeOwner};

use crate::error::HostError;
use crate::json::args;
use crate::plugin::PluginHost;

/// Where the generated file lives, relative to the workspace.
pub const PATH: &str = "docs/contract.md";

fn docs(d: &Docs) -> String {
    d.contents.as_deref().unwrap_or("").trim().to_string()
}

/// One line of a doc comment (the first sentence block) for tables.
fn short(d: &Docs) -> String {
    docs(d).lines().take_while(|l| !l.trim().is_empty()).collect::<Vec<_>>().join(" ")
}

fn type_name(resolve: &Resolve, ty: &Type) -> String {
    match ty {
        Type::Bool => "bool".into(),
        Type::U8 => "u8".into(),
        Type::U16 => "u16".into(),
        Type::U32 => "u32".into(),
        Type::U64 => "u64".into(),
        Type::S8 => "s8".into(),
        Type::S16 => "s16".into(),
        Type::S32 => "s32".into(),
        Type::S64 => "s64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Char => "char".into(),
        Type::String => "string".into(),
        Type::Id(id) => {
            let def = &resolve.types[*id];
            if let Some(name) = &def.name {
                return name.clone();
            }
            match &def.kind {
                TypeDefKind::List(t) => format!("list<{}>", type_name(resolve, t)),
                TypeDefKind::Option(t) => format!("option<{}>", type_name(resolve, t)),
                TypeDefKind::Result(r) => format!(
                    "result<{}, {}>",
                    r.ok.as_ref().map_or("_".into(), |t| type_name(resolve, t)),
                    r.err.as_ref().map_or("_".into(), |t| type_name(resolve, t))
                ),
                TypeDefKind::Tuple(t) => {
                    format!("tuple<{}>", t.types.iter().map(|t| type_name(resolve, t)).collect::<Vec<_>>().join(", "))
                }
                TypeDefKind::Type(t) => type_name(resolve, t),
                _ => "?".into(),
            }
        }
        _ => "?".into(),
    }
}

fn signature(resolve: &Resolve, f: &Function) -> String {
    let params: Vec<String> = f.params.iter().map(|p| format!("{}: {}", p.name, type_name(resolve, &p.ty))).collect();
    let result = f.result.as_ref().map(|t| format!(" -> {}", type_name(resolve, t))).unwrap_or_default();
    format!("{}: func({}){result}", f.name, params.join(", "))
}

fn fixture(path: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(path);
    std::fs::read_to_string(file).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(Value::Null)
}

/// One example: interface, function, arguments in the CLI's JSON mapping.
type Example = (&'static str, &'static str, serde_json::Map<String, Value>);

/// The example arguments of each function.
fn examples(plugin: &PluginHost) -> Result<Vec<Example>, HostError> {
    let meta = fixture("meta-cloud/01-text.json");
    let normalize = crate::envelope::normalize_args(&meta, Some("meta-cloud")).map_err(HostError::BadArguments)?;
    let verify = crate::envelope::verify_args(&meta, Some("meta-cloud")).map_err(HostError::BadArguments)?;
    let echo =
        crate::envelope::normalize_args(&fixture("meta-cloud/36-echo-business-app-text.json"), Some("meta-cloud"))
            .map_err(HostError::BadArguments)?;
    let echo_events = plugin.call_json("inbound", "normalize", &echo)?["ok"].clone();
    let mut window = fixture("window/10-thursday-evening-last-business-moment-friday.json")["request"].clone();
    window["time_zone"] = json!(crate::zones::posix_rule("Europe/Berlin").map_err(HostError::BadArguments)?);
    let template = fixture("templates/01-positional-utility-text-header-quick-replies.json");
    let t = template["template"].clone();
    let values = template["cases"][0]["values"].clone();
    let draft =
        plugin.call_json("templates", "preview", &args([("template", t.clone()), ("values", values.clone())]))?;
    let mut pt = t.clone();
    pt["language"] = json!("pt_BR");
    let desk = json!({"id": "desk", "name": "Support Desk"});
    let crm = json!({"id": "crm", "name": "Zoho CRM"});
    let state = json!({"subscriptions": [{"service": desk, "subscribed_at": 1_740_819_600_000_i64}, {"service": crm, "subscribed_at": 1_757_926_800_000_i64}], "parent": null});
    let conversation = json!({"last_customer_message": {"sent_at": 1_795_000_000_000_i64, "clock": "provider-timestamp"},
        "last_business_message_at": null, "origin": "organic", "entry_message_at": null, "first_business_reply_at": null});
    let import_source = fixture("template-sources/meta/03-coupon-code-copy-code-button.json");
    let compose = fixture("outbound/20-twilio-text-with-status-callback.json")["request"].clone();
    let mark_read = fixture("outbound/16-meta-mark-read-with-typing.json")["request"].clone();
    let mut response = fixture("outbound/41-meta-131047-outside-window.json")["request"].clone();
    response["body"] = json!(response["body"].to_string());
    Ok(vec![
        ("info", "info", args([])),
        ("inbound", "normalize", normalize),
        ("inbound", "verify-signature", verify),
        ("inbound", "may-replace-status", args([("current", json!("read")), ("incoming", json!("sent"))])),
        ("window", "check", args([("request", window)])),
        ("window", "record-events", args([("conversation", conversation.clone()), ("events", echo_events)])),
        (
            "window",
            "record-business-message",
            args([("conversation", conversation), ("sent_at", json!(1_795_003_600_000_i64))]),
        ),
        ("window", "default-pricing", args([])),
        ("templates", "validate-template", args([("template", t.clone())])),
        (
            "templates",
            "render",
            args([("template", t.clone()), ("values", values.clone()), ("target", json!("meta-cloud"))]),
        ),
        (
            "templates",
            "preview",
            args([
                ("template", t.clone()),
                ("values", json!({"body": [{"key": "1", "value": "Maria"}], "buttons": []})),
            ]),
        ),
        ("templates", "check-draft", args([("template", t.clone()), ("edited", draft["text"].clone())])),
        (
            "templates",
            "select",
            args([
                ("approved", json!([t, pt])),
                ("name", json!("order_status_update")),
                ("preferences", json!(["pt-PT", "en"])),
                ("fallback_language", json!("en_US")),
            ]),
        ),
        (
            "templates",
            "from-provider",
            args([(
                "request",
                json!({"provider": "meta-cloud", "json": import_source["source"].to_string(), "twilio_approvals": [], "namespace": null}),
            )]),
        ),
        ("outbound", "compose", args([("request", compose)])),
        ("outbound", "mark-read", args([("request", mark_read)])),
        ("outbound", "read-response", args([("response", response)])),
        (
            "masking",
            "format-masked-reply",
            args([
                (
                    "message",
                    json!({"id": "wamid.HBgL1", "service": crm, "agent_name": "Priya", "sent_at": 1_795_010_520_000_i64, "kind": "text",
                "template_name": null, "status": "delivered", "text": "Your refund of 42 EUR is on its way", "captions": [], "file_names": [],
                "template_values": [], "urls": [], "attachment_count": 0}),
                ),
                ("viewer", desk.clone()),
                ("policy", json!({"show_agent_name": true, "language": "en", "time_zone": null})),
            ]),
        ),
        (
            "json",
            "call",
            args([
                ("interface", json!("inbound")),
                ("function", json!("may-replace-status")),
                ("arguments", json!(r#"{"current": "read", "incoming": "sent"}"#)),
            ]),
        ),
        ("masking", "mask-identifier", args([("value", json!("+44 7700 900123"))])),
        (
            "masking",
            "may-automate",
            args([("state", state.clone()), ("service_id", json!("crm")), ("kind", json!("bot"))]),
        ),
        ("masking", "after-disconnect", args([("state", state), ("service_id", json!("desk"))])),
        (
            "masking",
            "pick-up",
            args([
                ("holds", json!([{"agent": "Priya", "service": crm, "since": 1_795_010_000_000_i64}])),
                ("agent", json!("Tom")),
                ("service", desk),
                ("now", json!(1_795_010_720_000_i64)),
            ]),
        ),
    ])
}

/// The door's example: `json.call` itself is not reachable through the door, so its arguments are passed
/// as they are and its answer shown as the `result` it is.
fn door_example(plugin: &PluginHost, call: &serde_json::Map<String, Value>) -> Result<Value, HostError> {
    let text = |key: &str| call.get(key).and_then(Value::as_str).unwrap_or_default();
    let answer = plugin.call_door(text("interface"), text("function"), text("arguments"))?;
    Ok(json!({ "ok": answer.value }))
}

/// Long byte lists (webhook bodies) are shown as the text they hold, for reading; a body given as a
/// JSON string (what the door reads as its UTF-8 bytes) is shown as it is.
fn readable(mut v: Value) -> Value {
    if let Some(body) = v.pointer_mut("/webhook/body").filter(|b| b.is_array()) {
        let bytes: Vec<u8> =
            body.as_array().into_iter().flatten().filter_map(|b| b.as_u64().map(|b| b as u8)).collect();
        *body = json!(format!("<{} bytes> {}", bytes.len(), String::from_utf8_lossy(&bytes)));
    }
    v
}

fn code(out: &mut String, value: &Value) {
    let _ = writeln!(out, "```json\n{}\n```", serde_json::to_string_pretty(value).unwrap_or_default());
}

/// The whole document.
pub fn generate(plugin: &PluginHost) -> Result<String, HostError> {
    let mut resolve = Resolve::default();
    let (package, _) = resolve.push_dir(crate::dist::WIT_DIR).map_err(|e| HostError::Load(format!("{e:?}")))?;
    let examples = examples(plugin)?;
    let pkg = &resolve.packages[package];
    let mut out = String::new();
    let _ = writeln!(out, "# The contract: `{}`\n", pkg.name);
    let _ = writeln!(
        out,
        "Generated from the doc comments in `wit/` and from the component's own answers by \
         `cargo run -p host-harness -- docs`; `cargo test` fails when this file is stale. \
         JSON follows the component's mapping (the `json` interface; README: snake_case keys, kebab-case cases, `{{\"ok\": …}}`/`{{\"error\": …}}` results, \
         instants in epoch milliseconds). In the examples a webhook body (`list<u8>`) is shown as the text it holds.\n"
    );
    let world = pkg.worlds.values().next().map(|w| &resolve.worlds[*w]);
    if let Some(world) = world {
        let _ = writeln!(out, "## World `{}`\n\n{}\n", world.name, docs(&world.docs));
    }
    let order = ["types", "info", "inbound", "window", "templates", "masking", "outbound", "json"];
    let mut interfaces: Vec<_> = pkg.interfaces.iter().collect();
    interfaces.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(order.len()));
    for (name, id) in interfaces {
        let iface = &resolve.interfaces[*id];
        let _ = writeln!(out, "## Interface `{name}`\n\n{}\n", docs(&iface.docs));
        for (fname, f) in &iface.functions {
            let _ =
                writeln!(out, "### `{name}.{fname}`\n\n```wit\n{}\n```\n\n{}\n", signature(&resolve, f), docs(&f.docs));
            if let Some((_, _, call)) = examples.iter().find(|(i, func, _)| *i == name && func == fname) {
                let answer =
                    if name == "json" { door_example(plugin, call)? } else { plugin.call_json(name, fname, call)? };
                out.push_str("Example request:\n\n");
                code(&mut out, &readable(Value::Object(call.clone())));
                out.push_str("\nAnswer:\n\n");
                code(&mut out, &answer);
                out.push('\n');
            }
        }
        let own: Vec<_> = iface
            .types
            .iter()
            .filter(|(_, t)| matches!(resolve.types[**t].owner, TypeOwner::Interface(o) if o == *id))
            .collect();
        if !own.is_empty() {
            let _ = writeln!(out, "### Types of `{name}`\n");
        }
        for (tname, tid) in own {
            let def = &resolve.types[*tid];
            let kind = match &def.kind {
                TypeDefKind::Record(_) => "record",
                TypeDefKind::Enum(_) => "enum",
                TypeDefKind::Variant(_) => "variant",
                TypeDefKind::Flags(_) => "flags",
                _ => "type",
            };
            let _ = writeln!(out, "#### {kind} `{tname}`\n\n{}\n", docs(&def.docs));
            let rows: Vec<(String, String, String)> = match &def.kind {
                TypeDefKind::Record(r) => {
                    r.fields.iter().map(|f| (f.name.clone(), type_name(&resolve, &f.ty), short(&f.docs))).collect()
                }
                TypeDefKind::Enum(e) => {
                    e.cases.iter().map(|c| (c.name.clone(), String::new(), short(&c.docs))).collect()
                }
                TypeDefKind::Variant(v) => v
                    .cases
                    .iter()
                    .map(|c| {
                        (
                            c.name.clone(),
                            c.ty.as_ref().map(|t| type_name(&resolve, t)).unwrap_or_default(),
                            short(&c.docs),
                        )
                    })
                    .collect(),
                TypeDefKind::Type(t) => vec![("=".into(), type_name(&resolve, t), String::new())],
                _ => Vec::new(),
            };
            if !rows.is_empty() {
                out.push_str("| name | type | meaning |\n|---|---|---|\n");
                for (n, t, d) in rows {
                    let _ = writeln!(
                        out,
                        "| `{n}` | {} | {} |",
                        if t.is_empty() { String::new() } else { format!("`{t}`") },
                        d.replace('|', "\\|")
                    );
                }
                out.push('\n');
            }
        }
    }
    Ok(out)
}

//! `validate`, `render`, `preview`, `select` and `import-template`: templates, ours or a provider's.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use host_harness::{cli_calls, template_input};

use super::{load, pretty, print_result, read_json};

/// `validate`: the template's problems against Meta's rules; exit 1 when there are some.
pub fn validate(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let problems = cli_calls::validate(&load(bytes)?, &input)?;
    println!(
        "{}",
        if json || !problems.as_array().is_some_and(Vec::is_empty) { pretty(&problems) } else { "valid".into() }
    );
    Ok(if problems.as_array().is_some_and(Vec::is_empty) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `render`: the template with its values for a provider (`target` in the file, else `--target`, else Meta).
pub fn render(bytes: &[u8], json: bool, file: Option<&PathBuf>, target: Option<&str>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let result = cli_calls::render(&load(bytes)?, &input, target)?;
    print_result(json, &result, template_input::rendered_text)
}

/// `select`: a template's best language for a customer; exit 1 when none fits.
pub fn select(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let result = cli_calls::select(&load(bytes)?, &input)?;
    print_result(json, &result, |t| {
        format!("{} in {}", t["name"].as_str().unwrap_or_default(), t["language"].as_str().unwrap_or_default())
    })
}

/// `preview`: the agent's draft of the template with its values.
pub fn preview(bytes: &[u8], json: bool, file: Option<&PathBuf>) -> Result<ExitCode, String> {
    let input = read_json(file)?;
    let draft = cli_calls::preview(&load(bytes)?, &input)?;
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
        None => cli_calls::source_provider(&source, true)
            .ok_or("cannot tell the provider from the shape; pass --provider meta-cloud or twilio")?
            .to_string(),
    };
    let approvals = approval.iter().map(|path| read_json(Some(path))).collect::<Result<Vec<Value>, String>>()?;
    let plugin = load(bytes)?;
    let result = cli_calls::import(&plugin, &provider, &source, &approvals, namespace)?;
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

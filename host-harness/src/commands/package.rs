//! `inspect`, `docs` and `dist`: the component as shipped, its contract document and its package.

use std::path::Path;
use std::process::ExitCode;

use host_harness::inspect;

use super::{load, pretty};

/// `inspect`: the component's contract version, exports, imports, size and sha256.
pub fn inspect(bytes: &[u8], json: bool) -> Result<ExitCode, String> {
    let inspection = inspect::inspect(bytes).map_err(|e| e.to_string())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&inspection).map_err(|e| e.to_string())?);
    } else {
        print!("{inspection}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `docs`: regenerate the contract document at `out`.
pub fn docs(bytes: &[u8], out: &Path) -> Result<ExitCode, String> {
    let plugin = load(bytes)?;
    let text = host_harness::contract_docs::generate(&plugin).map_err(|e| e.to_string())?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(out, &text).map_err(|e| e.to_string())?;
    println!("wrote {} ({} lines)", out.display(), text.lines().count());
    Ok(ExitCode::SUCCESS)
}

/// `dist`: write the marketplace package into `out`.
pub fn dist(bytes: &[u8], json: bool, out: &Path) -> Result<ExitCode, String> {
    let manifest = host_harness::dist::write(out, bytes)?;
    if json {
        println!("{}", pretty(&serde_json::to_value(&manifest).map_err(|e| e.to_string())?));
    } else {
        println!(
            "wrote {}/{} ({} bytes, sha256 {})",
            out.display(),
            manifest.file,
            manifest.size_bytes,
            manifest.sha256
        );
        println!("      {0}/wit/, {0}/manifest.json, {0}/SHA256SUMS", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

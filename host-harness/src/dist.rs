//! `dist`: the package a marketplace takes: the component named with its version, its WIT package,
//! a JSON manifest and SHA-256 checksums of every file.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::inspect::{Export, inspect};
use crate::sandbox::hex;

/// The WIT package the harness was built with.
pub const WIT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../wit");

/// What `manifest.json` says.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    pub contract_version: String,
    pub description: String,
    pub license: String,
    pub source_repository: String,
    /// The component's file name in the package.
    pub file: String,
    pub exports: Vec<Export>,
    /// Always empty for this plugin: it imports nothing.
    pub imports: Vec<String>,
    pub size_bytes: usize,
    pub sha256: String,
}

/// Write the package into `out`; returns the manifest.
pub fn write(out: &Path, component: &[u8]) -> Result<Manifest, String> {
    let facts = inspect(component).map_err(|e| e.to_string())?;
    let m = &facts.metadata;
    let name = m.name.clone().ok_or("the component has no name in its metadata")?;
    let version = m.version.clone().ok_or("the component has no version in its metadata")?;
    let file = format!("{name}-{version}.wasm");
    let manifest = Manifest {
        contract_version: facts.contract_version.clone().ok_or("the component declares no contract version")?,
        description: m.description.clone().unwrap_or_default(),
        license: m.license.clone().unwrap_or_default(),
        source_repository: m.source.clone().unwrap_or_default(),
        exports: facts.exports.clone(),
        imports: facts.imports.clone(),
        size_bytes: facts.size_bytes,
        sha256: facts.sha256.clone(),
        file: file.clone(),
        name,
        version,
    };
    let io = |e: std::io::Error| e.to_string();
    std::fs::create_dir_all(out.join("wit")).map_err(io)?;
    let mut written: Vec<PathBuf> = Vec::new();
    std::fs::write(out.join(&file), component).map_err(io)?;
    written.push(PathBuf::from(&file));
    let mut wit_files: Vec<PathBuf> = std::fs::read_dir(WIT_DIR)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wit"))
        .collect();
    wit_files.sort();
    for path in wit_files {
        let name = PathBuf::from("wit").join(path.file_name().unwrap_or_default());
        std::fs::copy(&path, out.join(&name)).map_err(io)?;
        written.push(name);
    }
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
    std::fs::write(out.join("manifest.json"), json).map_err(io)?;
    written.push(PathBuf::from("manifest.json"));
    // `sha256sum -c SHA256SUMS` checks them.
    let sums: String = written
        .iter()
        .map(|f| std::fs::read(out.join(f)).map(|b| format!("{}  {}\n", hex(&Sha256::digest(&b)), f.display())))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    std::fs::write(out.join("SHA256SUMS"), sums).map_err(io)?;
    Ok(manifest)
}

//! What a marketplace reviewer wants to see of a component before loading it: contract version,
//! exports, imports, size and checksum.

use serde::Serialize;
use sha2::{Digest, Sha256};
use wasmtime::component::types::ComponentItem;

use crate::error::HostError;
use crate::sandbox::{engine, hex, load_cached};

/// A component's outward facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// From the `helpdesk:whatsapp/contract-version` custom section; none if the component has none.
    pub contract_version: Option<String>,
    /// Exported interfaces (or functions) with their functions.
    pub exports: Vec<Export>,
    /// Everything the component imports; the plugin imports nothing.
    pub imports: Vec<String>,
    /// Size of the component file in bytes.
    pub size_bytes: usize,
    /// sha256 of the component file, hex.
    pub sha256: String,
    /// Name, version, description, license and source from the component's metadata.
    pub metadata: ComponentMetadata,
}

/// What the component says about itself (its `wasm-metadata` sections).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ComponentMetadata {
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub source: Option<String>,
}

/// The metadata sections of a component; empty when it has none.
pub fn metadata(bytes: &[u8]) -> ComponentMetadata {
    let Ok(payload) = wasm_metadata::Payload::from_binary(bytes) else { return ComponentMetadata::default() };
    let m = payload.metadata();
    ComponentMetadata {
        name: m.name.clone(),
        version: m.version.as_ref().map(|v| v.to_string()),
        description: m.description.as_ref().map(|d| d.to_string()),
        license: m.licenses.as_ref().map(|l| l.to_string()),
        source: m.source.as_ref().map(|s| s.to_string()),
    }
}

/// One export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    pub name: String,
    pub functions: Vec<String>,
}

/// Compile (or load from the cache) without linking, and read the component's type.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, HostError> {
    let engine = engine();
    let sha256 = hex(&Sha256::digest(bytes));
    let component = load_cached(engine, bytes, &sha256)?;
    let ty = component.component_type();
    let exports = ty
        .exports(engine)
        .map(|(name, item)| Export {
            name: name.to_string(),
            functions: match item.ty {
                ComponentItem::ComponentInstance(instance) => instance
                    .exports(engine)
                    .filter(|(_, i)| matches!(i.ty, ComponentItem::ComponentFunc(_)))
                    .map(|(n, _)| n.to_string())
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect();
    let imports = ty.imports(engine).map(|(name, _)| name.to_string()).collect();
    Ok(Inspection {
        contract_version: crate::contract::declared_version(bytes),
        exports,
        imports,
        size_bytes: bytes.len(),
        sha256,
        metadata: metadata(bytes),
    })
}

impl std::fmt::Display for Inspection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let version = self.contract_version.as_deref().unwrap_or("(none: not a helpdesk:whatsapp plugin)");
        let m = &self.metadata;
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        writeln!(f, "name       {} {}", or_none(&m.name), m.version.clone().unwrap_or_default())?;
        writeln!(f, "about      {}", or_none(&m.description))?;
        writeln!(f, "license    {}", or_none(&m.license))?;
        writeln!(f, "source     {}", or_none(&m.source))?;
        writeln!(f, "contract   helpdesk:whatsapp@{version}")?;
        writeln!(f, "size       {} bytes ({:.1} KiB)", self.size_bytes, self.size_bytes as f64 / 1024.0)?;
        writeln!(f, "sha256     {}", self.sha256)?;
        if self.imports.is_empty() {
            writeln!(f, "imports    none: the component can reach nothing outside the values it is given")?;
        } else {
            writeln!(f, "imports    {}", self.imports.join(", "))?;
        }
        writeln!(f, "exports")?;
        for export in &self.exports {
            if export.functions.is_empty() {
                writeln!(f, "  {}", export.name)?;
            } else {
                writeln!(f, "  {}: {}", export.name, export.functions.join(", "))?;
            }
        }
        Ok(())
    }
}

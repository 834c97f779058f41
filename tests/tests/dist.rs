//! `dist` writes a package that validates: the manifest's sha256 matches the file, `inspect` shows
//! the metadata, imports are none, and SHA256SUMS covers every file.

use host_harness::{BUNDLED_COMPONENT, dist, inspect};
use sha2::{Digest, Sha256};

#[test]
fn the_marketplace_package_validates() {
    let out = std::env::temp_dir().join(format!("whatsapp-dist-{}", std::process::id()));
    let manifest = dist::write(&out, BUNDLED_COMPONENT).unwrap();
    assert_eq!(manifest.file, format!("whatsapp-plugin-{}.wasm", env!("CARGO_PKG_VERSION")));
    let bytes = std::fs::read(out.join(&manifest.file)).unwrap();
    let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(manifest.sha256, sha, "the manifest's sha256 is the file's");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(json["sha256"], sha);
    assert_eq!(json["imports"], serde_json::json!([]));
    assert_eq!(json["contract_version"], "0.2.0");
    let shown = inspect::inspect(&bytes).unwrap();
    assert_eq!(shown.metadata.name.as_deref(), Some("whatsapp-plugin"));
    assert_eq!(shown.metadata.version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    assert!(shown.to_string().contains("license    Apache-2.0"));
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    for line in sums.lines() {
        let (hash, file) = line.split_once("  ").unwrap();
        let actual: String =
            Sha256::digest(std::fs::read(out.join(file)).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hash, actual, "{file}");
    }
    assert!(sums.contains("wit/window.wit") && sums.contains("manifest.json"));
    let _ = std::fs::remove_dir_all(&out);
}

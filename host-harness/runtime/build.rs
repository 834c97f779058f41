//! Two facts the runtime needs at build time, found without running anything:
//! - the contract version it expects: the version of the `wit/` package (`package helpdesk:whatsapp@X.Y.Z;`);
//! - the default precompile cache: `<target>/harness-cache`, next to the build outputs.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let world = manifest_dir.join("../../wit/world.wit");
    println!("cargo:rerun-if-changed={}", world.display());
    let wit = std::fs::read_to_string(&world).unwrap_or_else(|e| panic!("read {}: {e}", world.display()));
    let version = package_version(&wit)
        .unwrap_or_else(|| panic!("{} has no `package helpdesk:whatsapp@X.Y.Z;` line", world.display()));
    println!("cargo:rustc-env=WHATSAPP_CONTRACT_VERSION={version}");

    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/whatsapp-plugin-runtime-<hash>/out.
    let target_dir = out_dir.ancestors().nth(4).map(Path::to_path_buf).unwrap_or(out_dir);
    println!("cargo:rustc-env=WHATSAPP_RUNTIME_DEFAULT_CACHE={}", target_dir.join("harness-cache").display());
}

/// `X.Y.Z` of the `package helpdesk:whatsapp@X.Y.Z;` line.
fn package_version(wit: &str) -> Option<String> {
    wit.lines().find_map(|line| {
        let version = line.trim().strip_prefix("package helpdesk:whatsapp@")?.strip_suffix(';')?.trim();
        let parts: Vec<&str> = version.split('.').collect();
        (parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
            .then(|| version.to_string())
    })
}

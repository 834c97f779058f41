//! Builds the plugin component the harness embeds, so that `cargo run`/`cargo test` need no manual step:
//! 1. makes sure the `wasm32-unknown-unknown` target is installed (adds it with rustup, or says what to run);
//! 2. builds `whatsapp-plugin` for it in its own target directory (`<target>/plugin-wasm`);
//! 3. encodes the core module into a component with `wit-component` (what `wasm-tools component new` does);
//! 4. embeds name, version, description, license and source (the `wasm-metadata` crate), and appends a
//!    `helpdesk:whatsapp/contract-version` custom section read from the WIT package, so a host can check
//!    the contract before instantiating.
//!
//! The build is reproducible: paths are remapped (`--remap-path-prefix`) so that builds of the same
//! commit in different checkouts give byte-identical components.
//!
//! Why not `wasm32-wasip2`: std's panic machinery makes any realistic component there import 13 WASI
//! interfaces; built for `wasm32-unknown-unknown` the component imports nothing.

use std::env;
use std::path::{Path, PathBuf};

#[path = "src/component_build.rs"]
mod component_build;
/// The contract-section name, from the runtime's source: the runtime cannot be a build-dependency
/// (wasmtime would be compiled a second time for the build script).
#[path = "runtime/src/contract/section.rs"]
mod contract;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir.parent().expect("host-harness lives in the workspace").to_path_buf();
    for watched in ["plugin", "wit", "Cargo.lock", "Cargo.toml", "rust-toolchain.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    // The plugin's release profile can be overridden from the environment to compare builds.
    for var in ["CARGO_PROFILE_RELEASE_OPT_LEVEL", "CARGO_PROFILE_RELEASE_LTO", "CARGO_PROFILE_RELEASE_CODEGEN_UNITS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    // Opt-in post-link optimization (see `component_build::post_link_optimize`).
    println!("cargo:rerun-if-env-changed={}", component_build::WASM_OPT_VAR);
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/host-harness-<hash>/out: share one plugin build between profiles.
    let target_dir = out_dir.ancestors().nth(4).map(Path::to_path_buf).unwrap_or_else(|| out_dir.clone());

    // The runtime reads the version it expects from wit/world.wit itself; `tests/tests/component.rs`
    // checks that the section written here says the same.
    let (component, _contract_version) = component_build::build(&root, &target_dir.join("plugin-wasm"));

    let component_path = out_dir.join("whatsapp_plugin.component.wasm");
    std::fs::write(&component_path, &component).expect("write the component");
    // A copy where people look for build outputs.
    let _ = std::fs::write(target_dir.join("whatsapp_plugin.component.wasm"), &component);
    println!("cargo:rustc-env=WHATSAPP_PLUGIN_COMPONENT={}", component_path.display());
    let optimized = env::var_os(component_build::WASM_OPT_VAR).is_some_and(|p| !p.is_empty());
    println!("cargo:rustc-env=WHATSAPP_PLUGIN_POST_LINK_OPTIMIZED={}", if optimized { "yes" } else { "no" });
}

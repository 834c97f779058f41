//! Builds the plugin component the harness embeds, so that `cargo run`/`cargo test` need no manual step:
//! 1. makes sure the `wasm32-unknown-unknown` target is installed (adds it with rustup, or says what to run);
//! 2. builds `whatsapp-plugin` for it in its own target directory (`<target>/plugin-wasm`);
//! 3. encodes the core module into a component with `wit-component` (what `wasm-tools component new` does);
//! 4. appends a `helpdesk:whatsapp/contract-version` custom section read from the WIT package, so a host can
//!    check the contract before instantiating.
//!
//! Why not `wasm32-wasip2`: std's panic machinery makes any realistic component there import 13 WASI
//! interfaces; built for `wasm32-unknown-unknown` the component imports nothing.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TARGET: &str = "wasm32-unknown-unknown";
const CONTRACT_SECTION: &str = "helpdesk:whatsapp/contract-version";

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
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/host-harness-<hash>/out: share one plugin build between profiles.
    let target_dir = out_dir.ancestors().nth(4).map(Path::to_path_buf).unwrap_or_else(|| out_dir.clone());

    ensure_wasm_target();
    let module = build_plugin(&root, &target_dir.join("plugin-wasm"));
    let contract_version = contract_version(&root.join("wit"));
    let component = encode_component(&module, &contract_version);

    let component_path = out_dir.join("whatsapp_plugin.component.wasm");
    std::fs::write(&component_path, &component).expect("write the component");
    // A copy where people look for build outputs.
    let _ = std::fs::write(target_dir.join("whatsapp_plugin.component.wasm"), &component);
    println!("cargo:rustc-env=WHATSAPP_PLUGIN_COMPONENT={}", component_path.display());
    println!("cargo:rustc-env=WHATSAPP_CONTRACT_VERSION={contract_version}");
    println!("cargo:rustc-env=WHATSAPP_HARNESS_DEFAULT_CACHE={}", target_dir.join("harness-cache").display());
}

/// The wasm target's standard library is installed, or is added now, or the build stops saying what to run.
fn ensure_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let has_target = || {
        Command::new(&rustc)
            .args(["--print", "target-libdir", "--target", TARGET])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            .and_then(|dir| std::fs::read_dir(dir).ok())
            .is_some_and(|mut entries| {
                entries.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("libcore-")))
            })
    };
    if has_target() {
        return;
    }
    println!("cargo:warning=installing the {TARGET} target with rustup (needed once to build the plugin component)");
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add", TARGET]);
    if let Ok(toolchain) = env::var("RUSTUP_TOOLCHAIN") {
        rustup.args(["--toolchain", &toolchain]);
    }
    let added = rustup.stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if !added || !has_target() {
        panic!(
            "\n\nThe plugin component is built for {TARGET}, and this Rust toolchain does not have that target.\n\
             Adding it with rustup failed. Run this, then build again:\n\n    rustup target add {TARGET}\n\n"
        );
    }
}

/// `cargo build -p whatsapp-plugin --target wasm32-unknown-unknown --release` into its own target directory.
fn build_plugin(root: &Path, target_dir: &Path) -> Vec<u8> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "-p", "whatsapp-plugin", "--release", "--target", TARGET, "--target-dir"])
        .arg(target_dir)
        // The outer build's settings are for the host, not for the guest.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .stdout(Stdio::null());
    let status = command.status().expect("run cargo to build the plugin");
    if !status.success() {
        panic!("building the plugin for {TARGET} failed (see the compiler output above)");
    }
    let module_path = target_dir.join(TARGET).join("release").join("whatsapp_plugin.wasm");
    std::fs::read(&module_path).unwrap_or_else(|e| panic!("read {}: {e}", module_path.display()))
}

/// The version of the `helpdesk:whatsapp` WIT package: the single source of the contract version.
fn contract_version(wit_dir: &Path) -> String {
    let mut resolve = wit_parser::Resolve::default();
    let (package, _) =
        resolve.push_dir(wit_dir).unwrap_or_else(|e| panic!("the WIT in {} does not parse: {e:?}", wit_dir.display()));
    let name = &resolve.packages[package].name;
    match &name.version {
        Some(v) => v.to_string(),
        None => panic!("the WIT package {name} has no version; write it as helpdesk:whatsapp@X.Y.Z"),
    }
}

/// Encode the core module (whose embedded component-type section wit-bindgen wrote) into a component,
/// then append the contract-version custom section.
fn encode_component(module: &[u8], contract_version: &str) -> Vec<u8> {
    let mut component = wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|e| e.validate(true).encode())
        .unwrap_or_else(|e| panic!("encoding the plugin into a component failed: {e:?}"));
    let section =
        wasm_encoder::CustomSection { name: CONTRACT_SECTION.into(), data: contract_version.as_bytes().into() };
    use wasm_encoder::{ComponentSection, Encode};
    component.push(section.id());
    section.encode(&mut component);
    component
}

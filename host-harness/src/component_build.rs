//! Building the plugin component: the wasm target, the cargo build, encoding, metadata and the
//! contract section. Compiled twice: by `build.rs` (the component the harness embeds) and into the
//! library, so a test can rebuild it elsewhere and check that the bytes are the same.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The runtime's name for the contract-version section (in `build.rs`, the runtime's file by path).
pub use crate::contract::CONTRACT_SECTION;

pub const TARGET: &str = "wasm32-unknown-unknown";

/// Build the component from the workspace at `root` into `target_dir`: the bytes and the contract version.
pub fn build(root: &Path, target_dir: &Path) -> (Vec<u8>, String) {
    ensure_wasm_target();
    let module = build_plugin(root, target_dir);
    let module = post_link_optimize(module, target_dir);
    let module = share_post_return(&module);
    let contract_version = contract_version(&root.join("wit"));
    let component = encode_component(&module, &contract_version, root);
    (component, contract_version)
}

/// The wasm target's standard library is installed, or is added now, or the build stops saying what to run.
pub fn ensure_wasm_target() {
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
    eprintln!("installing the {TARGET} target with rustup (needed once to build the plugin component)");
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
        // Paths of this checkout and of the cargo home must not end up in the component; the memory size.
        .env("CARGO_ENCODED_RUSTFLAGS", plugin_rustflags(root))
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

/// The variable that turns on binaryen's post-link optimizer: the `wasm-opt` program to run (a path,
/// or `wasm-opt` to take it from PATH). Unset, the component is what rustc and wit-component make.
pub const WASM_OPT_VAR: &str = "WHATSAPP_PLUGIN_WASM_OPT";

/// The wasm features rustc's `wasm32-unknown-unknown` target enables by default (Rust 1.95); the
/// stripped module carries no `target_features` section, so `wasm-opt` is told them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
];

/// `wasm-opt -Oz` over the core module, only when [`WASM_OPT_VAR`] names the program.
///
/// Why opt-in (issue 15): measured on the core module, Debian binaryen 108's `-Oz` takes 694,187
/// bytes to about 605,000 (-13%). It is a C++ tool that a fresh rustup/cargo machine lacks, and the
/// `wasm-opt` crate would compile binaryen on every newcomer's first build; running it whenever it
/// happens to be on PATH would make the component depend on the machine. So the default build
/// never runs it, and `dist` and CI set the variable (`WHATSAPP_PLUGIN_WASM_OPT=wasm-opt`) and run
/// the whole test suite against the optimized component. The same binaryen version gives the same
/// bytes, so such a build is reproducible too. A set variable whose program fails stops the build.
fn post_link_optimize(module: Vec<u8>, target_dir: &Path) -> Vec<u8> {
    let Some(program) = env::var_os(WASM_OPT_VAR).filter(|p| !p.is_empty()) else { return module };
    let input = target_dir.join("whatsapp_plugin.core.wasm");
    let output = target_dir.join("whatsapp_plugin.core.opt.wasm");
    std::fs::write(&input, &module).unwrap_or_else(|e| panic!("write {}: {e}", input.display()));
    let status = Command::new(&program)
        .arg("-Oz")
        .args(WASM_FEATURES)
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .status()
        .unwrap_or_else(|e| panic!("{WASM_OPT_VAR}={}: cannot run it: {e}", program.to_string_lossy()));
    if !status.success() {
        panic!("{WASM_OPT_VAR}={}: wasm-opt failed ({status})", program.to_string_lossy());
    }
    std::fs::read(&output).unwrap_or_else(|e| panic!("read {}: {e}", output.display()))
}

/// The plugin's export that every `cabi_post_*` export is pointed at (see `share_post_return`).
const SHARED_POST_RETURN: &str = "whatsapp-plugin:shared-post-return";

/// Point every `cabi_post_*` export of the core module at the plugin's one post-return function
/// (`plugin/src/adapter/mod.rs`) and drop that function's own export, which is in no WIT world.
///
/// Why: wasmtime resolves each distinct post-return of a component on every instantiation; one shared
/// function is resolved once. Measured with `examples/fresh_ab.rs`: a fresh instance per call 0.7 to
/// 0.9 µs shorter. Only the export section changes; a module without the shared export is returned as is.
fn share_post_return(module: &[u8]) -> Vec<u8> {
    use wasmparser::{ExternalKind, Parser, Payload};
    let payloads = || Parser::new(0).parse_all(module).map(|p| p.expect("the plugin's core module reads"));
    let Some(reader) = payloads().find_map(|p| if let Payload::ExportSection(r) = p { Some(r) } else { None }) else {
        return module.to_vec();
    };
    let exports: Vec<_> = reader.into_iter().collect::<Result<_, _>>().expect("the plugin's exports read");
    let Some(shared) = exports.iter().find(|e| e.name == SHARED_POST_RETURN && e.kind == ExternalKind::Func) else {
        return module.to_vec();
    };
    let mut section = wasm_encoder::ExportSection::new();
    for e in exports.iter().filter(|e| e.name != SHARED_POST_RETURN) {
        let post_return = e.kind == ExternalKind::Func && e.name.starts_with("cabi_post_");
        let kind = match e.kind {
            ExternalKind::Func | ExternalKind::FuncExact => wasm_encoder::ExportKind::Func,
            ExternalKind::Table => wasm_encoder::ExportKind::Table,
            ExternalKind::Memory => wasm_encoder::ExportKind::Memory,
            ExternalKind::Global => wasm_encoder::ExportKind::Global,
            ExternalKind::Tag => wasm_encoder::ExportKind::Tag,
        };
        section.export(e.name, kind, if post_return { shared.index } else { e.index });
    }
    // Every other section is copied byte for byte.
    let mut out = wasm_encoder::Module::new();
    for payload in payloads() {
        match payload {
            Payload::ExportSection(_) => {
                out.section(&section);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    let data = &module[range.start as usize..range.end as usize];
                    out.section(&wasm_encoder::RawSection { id, data });
                }
            }
        }
    }
    out.finish()
}

/// The plugin's initial linear memory, bytes (a multiple of the 64 KiB wasm page): the stack, the
/// data (about 105 KiB) and about 270 KiB of heap, which a signed Meta webhook uses 12 KiB of.
///
/// Why not more: a fresh instance's slot is reset with one `PAGEMAP_SCAN` over the whole initial
/// memory, and a shorter walk is a cheaper reset. Measured with `examples/fresh_ab.rs`, four runs of
/// 80 rounds, both orders: 512 KiB with a 128 KiB stack against 2 MiB with a 1 MiB stack, the fixed
/// cost of a fresh instance 0.16 to 0.29 µs lower in each. Larger inputs grow the memory as before.
const INITIAL_MEMORY_BYTES: u32 = 512 << 10;

/// The plugin's shadow stack, bytes (rustc's default is 1 MiB). A signed Meta webhook uses 12 KiB.
/// The deepest JSON any parser of the plugin accepts (serde_json stops at 128 levels) is built, walked,
/// shown and dropped within 64 KiB: `hostile_input.rs`, `the_deepest_json_each_parser_accepts_fits_the_stack`,
/// passed at 64 KiB and trapped at 24 KiB (measured 2026-12-01), so this leaves twice that. The stack
/// comes first in memory, so an overflow traps at address 0 instead of overwriting the data.
const STACK_BYTES: u32 = 128 << 10;

/// The plugin build's rustflags, separated as CARGO_ENCODED_RUSTFLAGS wants: `--remap-path-prefix` for the
/// workspace and the cargo home, the initial memory and the stack size.
fn plugin_rustflags(root: &Path) -> String {
    let cargo_home = env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env::var("HOME").unwrap_or_default()).join(".cargo"));
    [
        format!("--remap-path-prefix={}=/whatsapp-plugin", root.display()),
        format!("--remap-path-prefix={}=/cargo", cargo_home.display()),
        // The initial memory holds the stack, the data, and a heap the plugin's allocator starts in
        // (plugin/src/allocator.rs), so a fresh instance never grows its memory for a usual webhook.
        format!("-Clink-arg=--initial-memory={INITIAL_MEMORY_BYTES}"),
        format!("-Clink-arg=-zstack-size={STACK_BYTES}"),
    ]
    .join("\u{1f}")
}

/// A `key = "value"` line of a Cargo.toml, for the plugin's own description.
fn manifest_value(manifest: &str, key: &str) -> Option<String> {
    manifest.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
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
/// add its metadata, then append the contract-version custom section.
fn encode_component(module: &[u8], contract_version: &str, root: &Path) -> Vec<u8> {
    let component = wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|e| e.validate(true).encode())
        .unwrap_or_else(|e| panic!("encoding the plugin into a component failed: {e:?}"));
    let plugin_manifest = std::fs::read_to_string(root.join("plugin/Cargo.toml")).expect("read plugin/Cargo.toml");
    let description = manifest_value(&plugin_manifest, "description").unwrap_or_default();
    use wasm_metadata::{AddMetadata, AddMetadataField::Set, Description, Licenses, Source, Version};
    let mut metadata = AddMetadata::default();
    metadata.name = Set("whatsapp-plugin".into());
    metadata.version = Set(Version::new(env!("CARGO_PKG_VERSION")));
    metadata.description = Set(Description::new(description));
    metadata.licenses = Set(Licenses::new(env!("CARGO_PKG_LICENSE")).expect("an SPDX license"));
    metadata.source = Set(Source::new(env!("CARGO_PKG_REPOSITORY")).expect("a URL"));
    let mut component = metadata.to_wasm(&component).unwrap_or_else(|e| panic!("adding metadata failed: {e:?}"));
    let section =
        wasm_encoder::CustomSection { name: CONTRACT_SECTION.into(), data: contract_version.as_bytes().into() };
    use wasm_encoder::{ComponentSection, Encode};
    component.push(section.id());
    section.encode(&mut component);
    component
}

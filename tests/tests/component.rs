//! The built component as a marketplace would check it: no imports, small, a readable contract version.

use host_harness::{BUNDLED_COMPONENT, BUNDLED_POST_LINK_OPTIMIZED, contract, inspect};
use integration_tests::plugin;

/// Shopify Functions cap a module at 256 KB (issue 15's target, not met yet); the foundation's budget was
/// 512 KiB. Measured at 490,579 bytes (0.1.0), 698,791 with the `outbound` interface, 788,367 with
/// `outbound.read-response`; then issue 15's size work: 747,698 with one instantiation of std's sort
/// and no core float formatting. The budgets are those figures plus about 2%: the default build
/// (rustc + wit-component), and the build `dist` and CI make with binaryen 108's `wasm-opt -Oz`
/// (657,894 bytes; `WHATSAPP_PLUGIN_WASM_OPT=wasm-opt`, see `component_build::post_link_optimize`).
/// The `json` door (issue 15, item 6: generated readers and writers of every exported type) adds about
/// 222 KB: 970,763 bytes (core module 695,221 → 916,421); with `wasm-opt -Oz` the core module goes from
/// 605,407 to 793,614 bytes, about 848,000 as a component (BENCHMARKS.md, "Fast JSON door").
const SIZE_BUDGET_BYTES: usize = if BUNDLED_POST_LINK_OPTIMIZED { 845 * 1024 } else { 968 * 1024 };

#[test]
fn the_component_imports_nothing() {
    let inspection = inspect::inspect(BUNDLED_COMPONENT).unwrap();
    assert_eq!(inspection.imports, Vec::<String>::new(), "no WASI, no host functions");
    let exports: Vec<&str> = inspection.exports.iter().map(|e| e.name.as_str()).collect();
    assert!(exports.contains(&"helpdesk:whatsapp/window@0.2.0"), "{exports:?}");
    assert!(exports.contains(&"helpdesk:whatsapp/info@0.2.0"), "{exports:?}");
}

#[test]
fn the_component_fits_its_size_budget() {
    let size = BUNDLED_COMPONENT.len();
    println!(
        "component size: {size} bytes ({:.1} KiB) of a {} KiB budget (post-link optimized: {BUNDLED_POST_LINK_OPTIMIZED})",
        size as f64 / 1024.0,
        SIZE_BUDGET_BYTES / 1024
    );
    assert!(size < SIZE_BUDGET_BYTES, "{size} bytes");
}

#[test]
fn the_contract_version_is_the_same_in_the_wit_the_section_and_info() {
    let section = contract::declared_version(BUNDLED_COMPONENT).expect("a contract-version section");
    assert_eq!(section, contract::HOST_CONTRACT_VERSION, "the section is written from the WIT package version");
    let info = plugin().info().unwrap();
    assert_eq!(info.contract_version, section, "plugin/src/info.rs must follow wit/");
    assert_eq!(info.plugin_version, env!("CARGO_PKG_VERSION"));
    assert!(info.features.iter().any(|f| f == "window"));
    assert_eq!(info.providers.len(), 3);
}

#[test]
fn a_component_of_another_major_contract_is_refused_before_instantiation() {
    // The bundled component with its contract section (the build appends it last) replaced by 1.0.0.
    let section = |version: &str| {
        use wasm_encoder::{ComponentSection, Encode};
        let section =
            wasm_encoder::CustomSection { name: contract::CONTRACT_SECTION.into(), data: version.as_bytes().into() };
        let mut bytes = vec![section.id()];
        section.encode(&mut bytes);
        bytes
    };
    let ours = section(contract::HOST_CONTRACT_VERSION);
    assert!(BUNDLED_COMPONENT.ends_with(&ours));
    let mut other = BUNDLED_COMPONENT[..BUNDLED_COMPONENT.len() - ours.len()].to_vec();
    other.extend_from_slice(&section("1.0.0"));
    assert_eq!(contract::declared_version(&other).as_deref(), Some("1.0.0"));
    let error = host_harness::PluginHost::new(&other, Default::default()).err().expect("refused");
    let message = error.to_string();
    assert!(message.contains("@1.0.0") && message.contains("@0.2.0"), "{message}");
}

//! docs/contract.md is generated from the WIT and the component's answers; it must be current.

use integration_tests::plugin;

#[test]
fn the_contract_docs_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let committed = std::fs::read_to_string(root.join(host_harness::contract_docs::PATH)).unwrap_or_default();
    let generated = host_harness::contract_docs::generate(plugin()).unwrap();
    assert!(committed == generated, "docs/contract.md is stale: run `cargo run -p host-harness -- docs` and commit it");
    // Every exported function is documented with an example.
    for function in ["normalize", "check", "render", "check-draft", "format-masked-reply", "after-disconnect"] {
        assert!(generated.contains(&format!(".{function}`")), "{function}");
    }
    // One example per function the WIT declares (`name: func(` in every interface file).
    let mut functions = 0;
    for entry in std::fs::read_dir(root.join("wit")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        functions += text
            .lines()
            .filter(|l| l.trim_start().split_once(": func(").is_some_and(|(n, _)| !n.contains(' ')))
            .count();
    }
    assert!(functions >= 21, "the WIT declares {functions} functions");
    assert_eq!(generated.matches("Example request:").count(), functions, "one example per function");
}

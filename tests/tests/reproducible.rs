//! Two builds of the same commit give byte-identical components: the plugin is rebuilt from this
//! checkout into a fresh target directory and compared with the component the harness embeds.
//! (Paths are remapped, so a build in another checkout gives the same bytes too.)

use std::path::PathBuf;

use host_harness::{BUNDLED_COMPONENT, component_build, inspect};

#[test]
fn a_second_build_is_byte_identical() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let target = std::env::temp_dir().join(format!("whatsapp-plugin-rebuild-{}", std::process::id()));
    let (rebuilt, contract) = component_build::build(&root, &target);
    let _ = std::fs::remove_dir_all(&target);
    assert_eq!(contract, host_harness::contract::HOST_CONTRACT_VERSION);
    assert_eq!(rebuilt.len(), BUNDLED_COMPONENT.len(), "same size");
    assert!(rebuilt == BUNDLED_COMPONENT, "the rebuilt component differs from the embedded one");
    // And the metadata a marketplace reads is there.
    let m = inspect::metadata(&rebuilt);
    assert_eq!(m.name.as_deref(), Some("whatsapp-plugin"));
    assert_eq!(m.license.as_deref(), Some("Apache-2.0"));
    assert!(m.description.is_some_and(|d| d.contains("WhatsApp")));
}

//! The contract version a component declares, read before instantiating it.

use crate::error::HostError;

mod section;
pub use section::CONTRACT_SECTION;

/// The contract version this host was built against: the version of the `wit/` package, read by
/// `build.rs` from the `package helpdesk:whatsapp@X.Y.Z;` line of `wit/world.wit`.
pub const HOST_CONTRACT_VERSION: &str = env!("WHATSAPP_CONTRACT_VERSION");

/// The contract version in a component's top-level custom section, if it has one.
pub fn declared_version(bytes: &[u8]) -> Option<String> {
    wasmparser::Parser::new(0).parse_all(bytes).find_map(|payload| match payload {
        Ok(wasmparser::Payload::CustomSection(section)) if section.name() == CONTRACT_SECTION => {
            String::from_utf8(section.data().to_vec()).ok()
        }
        _ => None,
    })
}

/// Semver compatibility: the same major version, or for 0.x the same minor one.
pub fn compatible(component: &str, host: &str) -> bool {
    let key = |v: &str| {
        let mut parts = v.split('.').map(|p| p.parse::<u64>().ok());
        match (parts.next().flatten(), parts.next().flatten()) {
            (Some(0), Some(minor)) => Some((0, minor)),
            (Some(major), Some(_)) => Some((major, 0)),
            _ => None,
        }
    };
    key(component).is_some() && key(component) == key(host)
}

/// Refuse a component without a contract section or with an incompatible one, naming both versions.
pub fn check(bytes: &[u8]) -> Result<String, HostError> {
    let Some(version) = declared_version(bytes) else {
        return Err(HostError::Load(format!(
            "the component has no `{CONTRACT_SECTION}` custom section; is it a helpdesk:whatsapp plugin?"
        )));
    };
    if compatible(&version, HOST_CONTRACT_VERSION) {
        Ok(version)
    } else {
        Err(HostError::ContractMismatch { component: version, host: HOST_CONTRACT_VERSION.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::compatible;

    #[test]
    fn semver_rules_for_zero_and_later_majors() {
        assert!(compatible("0.2.0", "0.2.3"));
        assert!(!compatible("0.2.0", "0.1.0") && !compatible("0.1.0", "0.2.0"));
        assert!(compatible("1.4.0", "1.0.0"));
        assert!(!compatible("2.0.0", "1.9.0"));
        assert!(!compatible("garbage", "0.2.0"));
    }
}

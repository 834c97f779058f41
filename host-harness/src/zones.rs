//! IANA time-zone names (`Europe/Berlin`) to the POSIX TZ rules the component takes.
//!
//! The component holds no time-zone database, to stay small (see DESIGN.md); the host does. The
//! rule is the footer of the zone's TZif file, here from the `tzdb_data` crate, so the answer is the
//! same on every machine whatever its /usr/share/zoneinfo holds.

/// The POSIX rule for an IANA name, or the input unchanged if it already is a rule
/// (it has a comma, or no slash and is not a known zone name).
pub fn posix_rule(zone: &str) -> Result<String, String> {
    if let Some(tzif) = tzdb_data::find_raw(zone.as_bytes()) {
        return footer(tzif).ok_or_else(|| format!("the TZif data of `{zone}` has no POSIX footer"));
    }
    if zone.contains('/') && !zone.contains(',') {
        return Err(format!("`{zone}` is not an IANA time-zone name (tzdb {})", tzdb_data::VERSION));
    }
    Ok(zone.to_string())
}

/// The last line of a TZif v2+ file: `\n<rule>\n`.
fn footer(tzif: &[u8]) -> Option<String> {
    let text = tzif.strip_suffix(b"\n")?;
    let start = text.iter().rposition(|&b| b == b'\n')? + 1;
    let rule = std::str::from_utf8(&text[start..]).ok()?;
    (!rule.is_empty()).then(|| rule.to_string())
}

#[cfg(test)]
mod tests {
    use super::posix_rule;

    #[test]
    fn iana_names_become_their_rules() {
        assert_eq!(posix_rule("Europe/Berlin").unwrap(), "CET-1CEST,M3.5.0,M10.5.0/3");
        assert_eq!(posix_rule("America/New_York").unwrap(), "EST5EDT,M3.2.0,M11.1.0");
        assert_eq!(posix_rule("Asia/Kolkata").unwrap(), "IST-5:30");
        assert_eq!(posix_rule("UTC").unwrap(), "UTC0");
    }

    #[test]
    fn rules_pass_through_and_unknown_names_are_refused() {
        assert_eq!(posix_rule("CET-1CEST,M3.5.0,M10.5.0/3").unwrap(), "CET-1CEST,M3.5.0,M10.5.0/3");
        assert!(posix_rule("Mars/Olympus_Mons").unwrap_err().contains("not an IANA"));
    }
}

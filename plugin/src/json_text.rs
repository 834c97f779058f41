//! JSON string literals written fast: the JSON door's answers are mostly strings, and this crate is
//! built at opt-level "z", where a test per byte costs about a dozen instructions. Here eight bytes
//! are tested at once for anything JSON escapes, and runs without one are copied whole.

use std::fmt::Write;

/// Appends `s` as a JSON string literal, escaped as serde_json escapes: `"` and `\`, control
/// characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00xx`; everything else as it is.
pub fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut rest = s;
    loop {
        let plain = plain_prefix(rest.as_bytes());
        let Some(&b) = rest.as_bytes().get(plain) else { break };
        out.push_str(&rest[..plain]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        // The escaped byte is ASCII, so the next one starts a character.
        rest = &rest[plain + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// Whether `b` is written escaped.
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The length of the longest prefix of `bytes` without a byte JSON escapes.
fn plain_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // A byte of `w` below `n` (n <= 128): the borrow of `w - n` reaches its top bit, which `w` does not
    // have set (bit-twiddling "hasless"); exact for "is there any", which is all this asks.
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH != 0;
    let mut at = 0;
    for word in bytes.as_chunks::<8>().0 {
        let w = u64::from_ne_bytes(*word);
        // A byte equal to `c` is a zero byte of `w ^ c…c`, that is one below 1.
        if below(w, 0x20) || below(w ^ (ONES * u64::from(b'"')), 1) || below(w ^ (ONES * u64::from(b'\\')), 1) {
            break;
        }
        at += 8;
    }
    at + bytes[at..].iter().position(|&b| escaped(b)).unwrap_or(bytes.len() - at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(s: &str) -> String {
        let mut out = String::new();
        push_json_str(&mut out, s);
        out
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let samples = [
            "",
            "plain text longer than eight bytes",
            "Hi, my order #1043 still shows 'processing'. Can you check?",
            "quote \" backslash \\ slash / tab\t newline\n return\r",
            "caf\u{e9} \u{1F600} \u{7f} \u{80} \u{ff} \u{2028}",
            "\u{0}\u{1}\u{8}\u{c}\u{1f} ",
        ];
        for s in samples {
            assert_eq!(written(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn every_ascii_byte_at_every_place_of_a_word() {
        // Each byte value at each offset of strings of 1 to 24 bytes, so the eight-byte test and the
        // tail after it both meet it, next to bytes with the top bit set (UTF-8).
        for len in 1..=24 {
            for at in 0..len {
                for b in 0u8..0x80 {
                    let mut s: Vec<char> = "é".repeat(len).chars().collect();
                    s[at] = char::from(b);
                    let s: String = s.into_iter().collect();
                    assert_eq!(written(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                    let s = "a".repeat(at) + &char::from(b).to_string() + &"z".repeat(len - at - 1);
                    assert_eq!(written(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
    }
}

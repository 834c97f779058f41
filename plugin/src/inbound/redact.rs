//! Card numbers in what customers write: 13 to 19 digits, optionally grouped by single spaces or
//! dashes, passing the Luhn check, are masked but for the last four digits.

/// The masked text and the last four digits of each card number found.
///
/// Works on bytes: digits, spaces and dashes are ASCII, and no byte of a multi-byte UTF-8 character is,
/// so the scan can never split a character. Text with fewer than 13 digits is returned as it is.
pub fn card_numbers(text: &str) -> (String, Vec<String>) {
    let bytes = text.as_bytes();
    if bytes.iter().filter(|b| b.is_ascii_digit()).take(13).count() < 13 {
        return (text.to_string(), Vec::new());
    }
    let mut out = bytes.to_vec();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // The longest run of digits joined by single spaces or dashes.
        let mut end = i;
        while end + 1 < bytes.len() {
            if bytes[end + 1].is_ascii_digit() {
                end += 1;
            } else if matches!(bytes[end + 1], b' ' | b'-') && bytes.get(end + 2).is_some_and(u8::is_ascii_digit) {
                end += 2;
            } else {
                break;
            }
        }
        let digits: Vec<u32> =
            bytes[i..=end].iter().filter(|b| b.is_ascii_digit()).map(|b| u32::from(b - b'0')).collect();
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            let mut left = digits.len() - 4;
            for b in &mut out[i..=end] {
                if b.is_ascii_digit() && left > 0 {
                    *b = b'*';
                    left -= 1;
                }
            }
            found.push(digits[digits.len() - 4..].iter().map(|d| char::from(b'0' + *d as u8)).collect());
        }
        i = end + 1;
    }
    // Only ASCII digits were replaced by ASCII stars, so the bytes are still the same valid UTF-8.
    (String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()), found)
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_cards_in_any_grouping_are_masked() {
        assert_eq!(card_numbers("card 4111 1111 1111 1111 thanks").0, "card **** **** **** 1111 thanks");
        assert_eq!(card_numbers("4111-1111-1111-1111").0, "****-****-****-1111");
        assert_eq!(card_numbers("4111111111111111").1, vec!["1111".to_string()]);
        // Amex, 15 digits.
        assert_eq!(card_numbers("378282246310005").0, "***********0005");
    }

    #[test]
    fn numbers_failing_luhn_or_length_stay() {
        assert_eq!(card_numbers("order 4111 1111 1111 1112").0, "order 4111 1111 1111 1112");
        assert_eq!(card_numbers("call +1 555 0100 please").0, "call +1 555 0100 please");
        assert!(card_numbers("tracking 123456789012").1.is_empty());
        assert_eq!(card_numbers("two  spaces 4111  1111 1111 1111").1.len(), 0, "double spaces break a number");
    }

    proptest! {
        #[test]
        fn masking_keeps_length_and_everything_but_digits(text in "[a-zé0-9 \\-€]{0,80}") {
            let (masked, _) = card_numbers(&text);
            prop_assert_eq!(masked.chars().count(), text.chars().count());
            for (a, b) in text.chars().zip(masked.chars()) {
                prop_assert!(a == b || (a.is_ascii_digit() && b == '*'));
            }
        }
    }
}

//! Card numbers in what customers write: 13 to 19 digits, optionally grouped by single spaces or
//! dashes, passing the Luhn check, are masked but for the last four digits.

/// The masked text and the last four digits of each card number found.
pub fn card_numbers(text: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The longest run of digits joined by single spaces or dashes.
        let mut end = i;
        while end + 1 < chars.len() {
            if chars[end + 1].is_ascii_digit() {
                end += 1;
            } else if matches!(chars[end + 1], ' ' | '-') && end + 2 < chars.len() && chars[end + 2].is_ascii_digit() {
                end += 2;
            } else {
                break;
            }
        }
        let run = &chars[i..=end];
        let digits: Vec<u32> = run.iter().filter_map(|c| c.to_digit(10)).collect();
        if (13..=19).contains(&digits.len()) && luhn(&digits) {
            let keep_from = digits.len() - 4;
            let mut seen = 0;
            for &c in run {
                if c.is_ascii_digit() {
                    out.push(if seen < keep_from { '*' } else { c });
                    seen += 1;
                } else {
                    out.push(c);
                }
            }
            found.push(digits[keep_from..].iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect());
        } else {
            out.extend(run);
        }
        i = end + 1;
    }
    (out, found)
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
        fn masking_keeps_length_and_everything_but_digits(text in "[a-z0-9 \\-]{0,80}") {
            let (masked, _) = card_numbers(&text);
            prop_assert_eq!(masked.chars().count(), text.chars().count());
            for (a, b) in text.chars().zip(masked.chars()) {
                prop_assert!(a == b || (a.is_ascii_digit() && b == '*'));
            }
        }
    }
}

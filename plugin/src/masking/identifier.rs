//! Phone numbers and e-mail addresses for agents without permission to see them:
//! `+44 •••• ••01 23`, `p•••••@example.com`. Enough to recognise a customer, not to contact them.

const DOT: char = '•';

/// Mask a phone number, an e-mail address, or (anything else) all but its last two characters.
pub fn mask(value: &str) -> String {
    let value = value.trim();
    if let Some((local, domain)) = value.rsplit_once('@').filter(|(l, d)| !l.is_empty() && d.contains('.')) {
        // A fixed number of dots, so the mask does not tell the length of the name.
        let first = local.chars().next().map(String::from).unwrap_or_default();
        return format!("{first}{}@{domain}", DOT.to_string().repeat(5));
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let phone_like = value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if phone_like && digits.len() >= 7 {
        return phone(&digits, value.starts_with('+'));
    }
    let keep = value.chars().count().saturating_sub(2);
    value.chars().enumerate().map(|(i, c)| if i < keep { DOT } else { c }).collect()
}

/// `+` and the country code, then the national number with all but its last four digits hidden:
/// a final pair, and the rest in fours counted from the right: `+44 •••• ••01 23`.
fn phone(digits: &str, international: bool) -> String {
    let cc = if international { country_code_len(digits) } else { 0 };
    let (code, national) = digits.split_at(cc.min(digits.len()));
    let keep_from = national.len().saturating_sub(4);
    let masked: Vec<char> = national.chars().enumerate().map(|(i, c)| if i < keep_from { DOT } else { c }).collect();
    let mut groups: Vec<String> = Vec::new();
    let (head, tail) = masked.split_at(masked.len().saturating_sub(2));
    for chunk in head.rchunks(4).rev() {
        groups.push(chunk.iter().collect());
    }
    groups.push(tail.iter().collect());
    let national = groups.into_iter().filter(|g| !g.is_empty()).collect::<Vec<_>>().join(" ");
    if international { format!("+{code} {national}") } else { national }
}

/// The length of an E.164 country code (ITU-T E.164 assignments): 1 for zones 1 and 7, 2 for the
/// listed two-digit codes, 3 otherwise.
fn country_code_len(digits: &str) -> usize {
    const TWO_DIGIT: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    match digits.as_bytes().first() {
        Some(b'1' | b'7') => 1,
        _ if digits.get(..2).is_some_and(|p| TWO_DIGIT.contains(&p)) => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn phones_keep_country_code_and_last_four() {
        assert_eq!(mask("+44 7700 900123"), "+44 •••• ••01 23");
        assert_eq!(mask("+1 (415) 555-2671"), "+1 •••• ••26 71");
        assert_eq!(mask("+353851234567"), "+353 ••• ••45 67");
        assert_eq!(mask("07700 900123"), "• •••• ••01 23");
    }

    #[test]
    fn emails_keep_the_first_letter_and_domain() {
        assert_eq!(mask("priya.sharma@example.com"), "p•••••@example.com");
        assert_eq!(mask("a@b.io"), "a•••••@b.io");
    }

    #[test]
    fn anything_else_keeps_two_characters() {
        assert_eq!(mask("US.1234"), "•••••34");
        assert_eq!(mask("x"), "x");
    }
}

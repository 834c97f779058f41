//! Variables in template text: `{{1}}` or `{{order_id}}`, and the text split around them.

/// A piece of template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// A variable's key, as written between the braces.
    Var(&'a str),
}

/// Split text into literal pieces and variables. A `{{` with no closing `}}` is literal text.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else { break };
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        out.push(Piece::Var(&rest[open + 2..open + 2 + close]));
        rest = &rest[open + 2 + close + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The variables of a text, in order of appearance (repeats included).
pub fn keys(text: &str) -> Vec<&str> {
    pieces(text).into_iter().filter_map(|p| if let Piece::Var(k) = p { Some(k) } else { None }).collect()
}

pub fn is_positional(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

/// Meta's rule for named parameters: lowercase letters, digits and underscores, starting with a letter.
pub fn is_valid_name(key: &str) -> bool {
    key.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Substitute values into text in one pass: a value is never searched for variables itself.
pub fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_string(),
            Piece::Var(k) => value(k).unwrap_or_else(|| format!("{{{{{k}}}}}")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_variables() {
        assert_eq!(
            pieces("Hi {{1}}, order {{order_id}}!"),
            [Piece::Text("Hi "), Piece::Var("1"), Piece::Text(", order "), Piece::Var("order_id"), Piece::Text("!")]
        );
        assert_eq!(pieces("{{1}}{{2}}"), [Piece::Var("1"), Piece::Var("2")]);
        assert_eq!(pieces("no {{ closing"), [Piece::Text("no {{ closing")]);
        assert_eq!(keys("a {{2}} b {{2}}"), ["2", "2"]);
    }

    #[test]
    fn names_follow_metas_rule() {
        assert!(is_valid_name("order_id") && is_valid_name("a1"));
        assert!(!is_valid_name("Order") && !is_valid_name("1a") && !is_valid_name("order-id") && !is_valid_name(""));
        assert!(is_positional("12") && !is_positional("1a"));
    }

    #[test]
    fn filling_is_one_pass() {
        assert_eq!(fill("Hi {{1}}", |_| Some("{{1}}".into())), "Hi {{1}}");
        assert_eq!(fill("Hi {{1}} {{2}}", |k| (k == "1").then(|| "Ana".into())), "Hi Ana {{2}}");
    }
}

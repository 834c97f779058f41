//! Choosing a template's language for a customer.

use super::model::*;

/// `pt-BR`, `pt_br` → `pt_BR`-comparable form.
fn norm(code: &str) -> String {
    code.trim().replace('-', "_").to_ascii_lowercase()
}

fn base(code: &str) -> String {
    norm(code).split('_').next().unwrap_or_default().to_string()
}

/// The approved `name` in the first preference (exact), then a preference's base language, then the fallback.
pub fn select(
    approved: &[Template],
    name: &str,
    preferences: &[String],
    fallback: Option<&str>,
) -> Result<Template, NoMatch> {
    let named: Vec<&Template> = approved.iter().filter(|t| t.name == name).collect();
    let available: Vec<String> = named.iter().map(|t| t.language.clone()).collect();
    let usable: Vec<&Template> = named.iter().copied().filter(|t| t.status == TemplateStatus::Approved).collect();
    let exact = |code: &str| usable.iter().find(|t| norm(&t.language) == norm(code));
    let by_base = |code: &str| {
        let wanted = base(code);
        usable
            .iter()
            .find(|t| norm(&t.language) == wanted)
            .or_else(|| usable.iter().find(|t| base(&t.language) == wanted))
    };
    let chosen = preferences
        .iter()
        .find_map(|p| exact(p))
        .or_else(|| preferences.iter().find_map(|p| by_base(p)))
        .or_else(|| fallback.and_then(|f| exact(f).or_else(|| by_base(f))));
    match chosen {
        Some(t) => Ok((*t).clone()),
        None => Err(NoMatch {
            reason: if named.is_empty() {
                format!("there is no template named `{name}`")
            } else if usable.is_empty() {
                format!("`{name}` exists, but no language version is approved")
            } else {
                format!("`{name}` has no approved version in {} or the fallback", preferences.join(", "))
            },
            available,
        }),
    }
}

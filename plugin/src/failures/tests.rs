use std::collections::HashSet;

use super::*;

fn classify(code: u32) -> Failure {
    failure(ProviderError { code, title: format!("title of {code}"), detail: None })
}

/// `code` gets `reason` and `retryable`, and its hint names what to do (every word in `mentions`,
/// compared case-insensitively). The hint never asks for the customer to resend anything.
fn check(code: u32, reason: FailureReason, retryable: bool, mentions: &[&str]) {
    let f = classify(code);
    assert_eq!(f.reason, reason, "reason of {code}");
    assert_eq!(f.retryable, retryable, "retryable of {code}");
    let hint = f.hint.to_lowercase();
    for word in mentions {
        assert!(hint.contains(&word.to_lowercase()), "hint of {code} lacks {word:?}: {}", f.hint);
    }
    assert!(!hint.contains("ask the customer to resend"), "hint of {code}: {}", f.hint);
    assert_eq!(f.error.code, code, "the provider's code is kept");
    assert_eq!(f.error.title, format!("title of {code}"), "the provider's title is kept");
}

// ---- Meta ----

#[test]
fn meta_131047_outside_window_sends_a_template() {
    check(131047, R::OutsideWindow, false, &["template"]);
}

#[test]
fn meta_131026_undeliverable_checks_the_number_or_another_channel() {
    check(131026, R::Undeliverable, false, &["check the number", "another channel"]);
}

#[test]
fn meta_131049_marketing_limit_is_not_resent_soon() {
    check(131049, R::MarketingLimit, false, &["marketing", "do not resend", "US", "another channel"]);
}

#[test]
fn meta_131050_marketing_opt_out_stops_marketing() {
    check(131050, R::MarketingOptedOut, false, &["do not resend", "stop sending them marketing", "user_preferences"]);
}

#[test]
fn meta_131056_pair_rate_limit_waits_then_retries() {
    check(131056, R::RateLimited, true, &["wait", "this customer"]);
}

#[test]
fn meta_130472_experiment_reaches_them_another_way() {
    check(130472, R::Experiment, false, &["experiment", "do not resend", "another way"]);
}

#[test]
fn meta_130501_group_sends_another_kind() {
    check(130501, R::UnsupportedInGroup, false, &["group", "plain text"]);
}

#[test]
fn meta_131021_recipient_is_the_business() {
    check(131021, R::InvalidRequest, false, &["customer's number"]);
}

#[test]
fn meta_131051_unsupported_type_sends_another_type() {
    check(131051, R::InvalidRequest, false, &["send the content as"]);
}

#[test]
fn meta_131052_customer_media_not_downloaded() {
    check(131052, R::MediaProblem, false, &["could not be downloaded", "did not come through"]);
}

#[test]
fn meta_131053_media_upload_sends_a_supported_file() {
    check(131053, R::MediaProblem, false, &["supported file", "link"]);
}

#[test]
fn meta_131008_missing_value_fills_every_variable() {
    check(131008, R::InvalidRequest, false, &["fill every template variable"]);
}

#[test]
fn meta_131009_invalid_value_is_corrected() {
    check(131009, R::InvalidRequest, false, &["correct it"]);
}

#[test]
fn meta_132000_parameter_count() {
    check(132000, R::TemplateProblem, false, &["fill exactly its variables"]);
}

#[test]
fn meta_132001_template_missing_in_language() {
    check(132001, R::TemplateProblem, false, &["approved template", "language"]);
}

#[test]
fn meta_132005_text_too_long() {
    check(132005, R::TemplateProblem, false, &["shorten"]);
}

#[test]
fn meta_132012_parameter_format() {
    check(132012, R::TemplateProblem, false, &["format", "correct its value"]);
}

#[test]
fn meta_132015_paused_template() {
    check(132015, R::TemplateProblem, false, &["paused", "another approved template"]);
}

#[test]
fn meta_132016_disabled_template() {
    check(132016, R::TemplateProblem, false, &["disabled", "another approved template"]);
}

#[test]
fn meta_other_132xxx_is_the_template_family() {
    check(132018, R::TemplateProblem, false, &["template"]);
    check(132999, R::TemplateProblem, false, &["template"]);
    assert_eq!(classify(133000).reason, R::Other, "the family ends at 132999");
    assert_eq!(classify(131999).reason, R::Other, "and starts at 132000");
}

#[test]
fn meta_130429_throughput_waits() {
    check(130429, R::RateLimited, true, &["wait"]);
}

#[test]
fn meta_131048_spam_limit_goes_to_an_administrator() {
    check(131048, R::RateLimited, false, &["do not resend", "administrator", "quality"]);
}

#[test]
fn meta_4_and_80007_api_rate_limits_wait() {
    check(4, R::RateLimited, true, &["wait"]);
    check(80007, R::RateLimited, true, &["wait"]);
}

#[test]
fn meta_131042_payment_goes_to_an_administrator() {
    check(131042, R::Payment, false, &["administrator", "billing"]);
}

#[test]
fn meta_131031_locked_account() {
    check(131031, R::AccountProblem, false, &["locked", "administrator"]);
}

#[test]
fn meta_368_policy_block() {
    check(368, R::AccountProblem, false, &["policy", "administrator"]);
}

#[test]
fn meta_190_expired_token_reconnects() {
    check(190, R::AccountProblem, false, &["administrator", "reconnect"]);
}

#[test]
fn meta_131005_access_denied() {
    check(131005, R::AccountProblem, false, &["administrator", "permission"]);
}

#[test]
fn meta_131016_1_2_131000_provider_unavailable_retry_in_minutes() {
    for code in [131016, 1, 2, 131000] {
        check(code, R::ProviderUnavailable, true, &["send again in a few minutes"]);
    }
}

// ---- Twilio ----

#[test]
fn twilio_63016_outside_window_uses_a_content_sid() {
    check(63016, R::OutsideWindow, false, &["template", "content sid"]);
}

#[test]
fn twilio_63049_marketing_limit_matches_meta_131049() {
    check(63049, R::MarketingLimit, false, &["do not resend", "US"]);
    assert_eq!(classify(63049).hint, classify(131049).hint, "the same event, the same words");
}

#[test]
fn twilio_63062_terms_go_to_an_administrator() {
    check(63062, R::AccountProblem, false, &["administrator", "marketing messages api terms"]);
}

#[test]
fn twilio_63018_rate_limit_waits() {
    check(63018, R::RateLimited, true, &["later", "24"]);
}

#[test]
fn twilio_63024_and_63003_undeliverable() {
    check(63024, R::Undeliverable, false, &["check the number", "another channel"]);
    check(63003, R::Undeliverable, false, &["check the number", "another channel"]);
}

#[test]
fn twilio_63032_experiment_matches_meta_130472() {
    check(63032, R::Experiment, false, &["experiment", "another way"]);
}

#[test]
fn twilio_63030_invalid_value() {
    check(63030, R::InvalidRequest, false, &["correct it"]);
}

#[test]
fn twilio_21610_opted_out_of_the_sender() {
    check(21610, R::OptedOut, false, &["stop", "do not message them"]);
}

#[test]
fn twilio_21211_invalid_number() {
    check(21211, R::InvalidRequest, false, &["not a valid phone number"]);
}

#[test]
fn twilio_30003_unreachable_handset_may_succeed_later() {
    check(30003, R::Undeliverable, true, &["send again later", "another channel"]);
}

#[test]
fn twilio_30005_30006_dead_or_landline_numbers() {
    check(30005, R::Undeliverable, false, &["another channel"]);
    check(30006, R::Undeliverable, false, &["landline", "another channel"]);
}

#[test]
fn twilio_30007_filtered_is_not_resent_as_is() {
    check(30007, R::Other, false, &["do not resend", "administrator"]);
}

// ---- the table itself ----

#[test]
fn an_unknown_code_is_other_and_not_retryable() {
    for code in [0, 3, 131060, 63051, 63112, 30008, u32::MAX] {
        check(code, R::Other, false, &["read it"]);
    }
}

#[test]
fn every_code_is_unique_and_every_entry_has_a_source() {
    let mut seen = HashSet::new();
    for e in all() {
        assert!(!e.codes.is_empty(), "an entry without codes: {}", e.hint);
        for &code in e.codes {
            assert!(seen.insert(code), "code {code} is in the table twice");
            assert!(!(132_000..=132_999).contains(&code) || e.reason == R::TemplateProblem, "{code}");
        }
        assert!(e.source.starts_with("https://"), "{:?}: source {}", e.codes, e.source);
        assert!(!e.seen_at.is_empty(), "{:?}: where was it read?", e.codes);
        if e.evidence == Evidence::ProviderPage {
            let provider_page = |url: &str| url.starts_with("https://www.twilio.com/") || url.starts_with(META);
            assert!(provider_page(e.seen_at), "{:?} claims the provider's page but was read at {}", e.codes, e.seen_at);
        }
        assert!(!e.hint.is_empty() && e.hint.ends_with('.'), "{:?}: {}", e.codes, e.hint);
        // Whitespace from the continued string literals stays single.
        assert!(!e.hint.contains("  "), "{:?}: {}", e.codes, e.hint);
    }
    assert!(seen.len() >= 40, "the table lost rows: {}", seen.len());
}

#[test]
fn every_entry_is_what_lookup_returns() {
    for e in all() {
        for &code in e.codes {
            assert!(std::ptr::eq(entry(code), e), "{code}");
        }
    }
}

#[test]
fn no_hint_asks_the_customer_to_resend() {
    for e in all().chain([&TEMPLATE_FAMILY, &UNKNOWN]) {
        let hint = e.hint.to_lowercase();
        assert!(!(hint.contains("ask the customer") || hint.contains("ask them to")), "{:?}: {}", e.codes, e.hint);
    }
}

use proptest::prelude::*;

use super::*;

#[test]
fn account_name_rules() {
    assert_eq!(
        account_name(" JosephPinetrees ").unwrap(),
        "JosephPinetrees"
    );
    assert!(account_name("abc").is_ok() && account_name(&"a".repeat(63)).is_ok());
    for (bad, why) in [
        ("", "required"),
        ("ab", "3 to 63"),
        ("9lives", "start with a letter"),
        ("with-dash", "letters and digits"),
        ("two words", "letters and digits"),
        ("Café", "letters and digits"),
    ] {
        let err = account_name(bad).unwrap_err();
        assert!(err.contains(why), "{bad}: {err}");
    }
    assert!(
        account_name(&"a".repeat(64))
            .unwrap_err()
            .contains("not 64")
    );
}

#[test]
fn email_shapes() {
    for good in [
        "john.doe@josephpinetrees.com",
        "a+tag@sub.example.co.uk",
        "o'neil@example.ie",
        "josé@exämple.pt",
    ] {
        assert_eq!(admin_email(good).as_deref(), Ok(good), "{good}");
    }
    for bad in [
        "",
        "john",
        "john@localhost",
        "@example.com",
        "a b@example.com",
        "a@@example.com",
        "a@b@example.com",
        ".a@example.com",
        "a..b@example.com",
        "a@-example.com",
        "a@example-.com",
        "a@example..com",
        "a@127.0.0.1",
        "a@exam\nple.com",
    ] {
        assert!(admin_email(bad).is_err(), "{bad:?}");
    }
    let long = format!("{}@{}.com", "a".repeat(64), "b".repeat(190));
    assert!(long.len() > 254 && admin_email(&long).is_err());
}

#[test]
fn names_and_free_text() {
    assert_eq!(admin_name("  John Doe ").unwrap(), "John Doe");
    assert!(company_name(" ").unwrap_err().contains("required"));
    assert!(admin_name("John\tDoe").unwrap_err().contains("control"));
    assert!(
        company_name(&"é".repeat(255)).is_ok(),
        "characters, not bytes"
    );
    assert!(
        company_name(&"é".repeat(256))
            .unwrap_err()
            .contains("not 256")
    );
    assert_eq!(external_data("  ").unwrap(), None);
    assert_eq!(
        external_data("Salesforce_id:2142141").unwrap().as_deref(),
        Some("Salesforce_id:2142141")
    );
    assert!(external_data(&"x".repeat(256)).is_err());
}

#[test]
fn currency_codes() {
    assert_eq!(currency_iso_code(" eur").unwrap().code, "EUR");
    assert!(currency_iso_code("").unwrap_err().contains("required"));
    assert!(currency_iso_code("xyz").unwrap_err().contains("XYZ is not"));
    assert!(
        currency_iso_code("dollars")
            .unwrap_err()
            .contains("three-letter")
    );
}

#[test]
fn license_counts() {
    assert_eq!(num_licenses(" 10 "), Ok(10));
    assert_eq!(num_licenses("0010"), Ok(10));
    assert_eq!(num_licenses("10000"), Ok(10_000));
    assert!(num_licenses("0").unwrap_err().contains("at least 1"));
    assert!(num_licenses("10001").unwrap_err().contains("at most"));
    assert!(
        num_licenses("99999999999999999999999")
            .unwrap_err()
            .contains("at most")
    );
    for bad in ["", "-1", "+5", "1.5", "1e3", "ten", "1 000"] {
        assert!(num_licenses(bad).is_err(), "{bad}");
    }
}

#[test]
fn phone_numbers() {
    assert_eq!(phone_number("+351489489948").unwrap(), "+351489489948");
    assert_eq!(phone_number(" +1 415-555-0100 ").unwrap(), "+14155550100");
    assert!(phone_number("+12345678").is_ok() && phone_number("+123456789012345").is_ok());
    for (bad, why) in [
        ("", "required"),
        ("351489489948", "start with +"),
        ("+0351489489", "0 right after"),
        ("+1234567", "8 to 15"),
        ("+1234567890123456", "8 to 15"),
        ("+1 (415) 555-0100", "digits only"),
        ("+", "digits only"),
    ] {
        let err = phone_number(bad).unwrap_err();
        assert!(err.contains(why), "{bad}: {err}");
    }
}

#[test]
fn website_urls() {
    for good in [
        "https://www.josephpinetrees.com",
        "http://example.com/path?q=1",
        " https://exämple.pt ",
    ] {
        assert_eq!(website_url(good).unwrap(), good.trim());
    }
    for bad in [
        "",
        "www.example.com",
        "ftp://example.com",
        "mailto:a@example.com",
        "https://",
        "https://user:pw@example.com",
        "file:///etc/passwd",
    ] {
        assert!(website_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn editions() {
    assert_eq!(edition(""), Ok("EXPRESS"));
    assert_eq!(edition(" elite "), Ok("ELITE"));
    assert!(
        edition("PLATINUM")
            .unwrap_err()
            .contains("EXPRESS, ESSENTIALS")
    );
}

#[test]
fn validate_field_agrees_with_the_field_functions() {
    assert!(validate_field(Field::AdminEmail, "john").is_err());
    assert!(validate_field(Field::Edition, "").is_ok());
    assert!(validate_field(Field::ExternalData, "").is_ok());
    assert!(validate_field(Field::NumLicenses, "").is_err());
}

proptest! {
    #[test]
    fn no_input_panics_and_accepted_values_are_fixed_points(input in "\\PC{0,80}|[ -~]{0,300}") {
        for field in Field::ALL {
            let _ = validate_field(field, &input);
        }
        if let Ok(name) = account_name(&input) {
            prop_assert_eq!(account_name(&name), Ok(name.clone()));
        }
        if let Ok(email) = admin_email(&input) {
            prop_assert_eq!(admin_email(&email), Ok(email.clone()));
        }
        if let Ok(phone) = phone_number(&input) {
            prop_assert_eq!(phone_number(&phone), Ok(phone.clone()));
        }
        if let Ok(url) = website_url(&input) {
            prop_assert_eq!(website_url(&url), Ok(url.clone()));
        }
    }

    #[test]
    fn account_names_follow_the_documented_rule(name in "[A-Za-z][A-Za-z0-9]{2,62}") {
        prop_assert_eq!(account_name(&name), Ok(name.clone()));
    }

    #[test]
    fn account_names_with_any_other_character_are_refused(
        head in "[A-Za-z][A-Za-z0-9]{0,30}",
        odd in "[^A-Za-z0-9\\s]",
        tail in "[A-Za-z0-9]{0,30}",
    ) {
        let name = format!("{head}{odd}{tail}");
        prop_assert!(account_name(&name).is_err(), "{}", name);
        // What the documented rule refuses, the simulator's rule refuses too.
        prop_assert!(!sim_account_name(&name));
    }

    #[test]
    fn account_names_too_long_are_refused(name in "[A-Za-z][A-Za-z0-9]{63,100}") {
        prop_assert!(account_name(&name).is_err());
    }

    #[test]
    fn e164_numbers_are_accepted(number in "\\+[1-9][0-9]{7,14}") {
        prop_assert_eq!(phone_number(&number), Ok(number.clone()));
    }

    #[test]
    fn e164_lengths_outside_8_to_15_are_refused(
        number in "\\+[1-9][0-9]{0,6}|\\+[1-9][0-9]{15,30}",
    ) {
        prop_assert!(phone_number(&number).is_err());
    }

    #[test]
    fn license_counts_in_range_are_accepted(n in 1u32..=10_000) {
        prop_assert_eq!(num_licenses(&n.to_string()), Ok(n));
    }

    #[test]
    fn license_counts_out_of_range_are_refused(n in 10_001u64..) {
        prop_assert!(num_licenses(&n.to_string()).is_err());
    }

    #[test]
    fn generated_addresses_are_accepted(
        local in "[a-z0-9_+-]{1,20}(\\.[a-z0-9_+-]{1,10}){0,2}",
        domain in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\\.[a-z0-9]{1,10}){0,2}",
        tld in "[a-z]{2,10}",
    ) {
        let address = format!("{local}@{domain}.{tld}");
        prop_assert_eq!(admin_email(&address), Ok(address.clone()));
    }

    #[test]
    fn every_listed_currency_is_accepted_in_any_case(i in 0..currencies::CURRENCIES.len(), lower: bool) {
        let code = currencies::CURRENCIES[i].code;
        let typed = if lower { code.to_ascii_lowercase() } else { code.to_owned() };
        prop_assert_eq!(currency_iso_code(&typed).map(|c| c.code), Ok(code));
    }

    #[test]
    fn text_within_255_characters_without_controls_is_kept(s in "[^\\p{Cc}]{1,255}") {
        let trimmed = s.trim();
        prop_assume!(!trimmed.is_empty());
        prop_assert_eq!(admin_name(&s), Ok(trimmed.to_owned()));
    }
}

/// The simulator's account name rule (src/sim/provision.rs), copied to keep the two in step.
fn sim_account_name(s: &str) -> bool {
    (3..=63).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

proptest! {
    #[test]
    fn account_name_agrees_with_the_simulator(input in "[A-Za-z0-9_-]{0,70}") {
        prop_assert_eq!(account_name(&input).is_ok(), sim_account_name(&input));
    }
}

use super::*;
use proptest::prelude::*;

#[test]
fn signatures_match_the_standard_webhooks_test_vector() {
    // The example of the Standard Webhooks specification (and of the svix libraries' tests).
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let signature = secret.sign(
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1_614_265_330,
        br#"{"test": 2432232314}"#,
    );
    assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assert_eq!(secret.encode(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let other = Secret::from_key(vec![9; 32]).unwrap();
    let header = signature_header(&[secret.clone(), other.clone()], "id", 1, b"{}");
    assert_eq!(
        header,
        format!(
            "{} {}",
            secret.sign("id", 1, b"{}"),
            other.sign("id", 1, b"{}")
        )
    );
    assert!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_none());
    assert!(Secret::parse("whsec_c2hvcnQ=").is_none());
    assert_eq!(format!("{secret:?}"), "Secret(…)");
}

#[test]
fn urls_must_be_https_on_a_public_host() {
    for good in [
        "https://hooks.unesco.org/wsis",
        "https://hooks.unesco.org:8443/wsis?x=1",
        "https://[2606:4700::1111]/in",
        "https://1.1.1.1/in",
    ] {
        assert_eq!(check_url(good, false, false), Ok(()), "{good}");
    }
    for bad in [
        "http://hooks.unesco.org/wsis",
        "ftp://hooks.unesco.org/",
        "hooks.unesco.org/wsis",
        "https://user:pw@hooks.unesco.org/",
        "https://hooks.unesco.org/#frag",
        "https:///path",
        "https://hooks.unesco.org/\u{0}",
    ] {
        assert_eq!(
            check_url(bad, false, false),
            Err(said!("field-webhook-url")),
            "{bad}"
        );
    }
    for private in [
        "https://127.0.0.1/",
        "https://10.1.2.3/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/",
        "https://[fd00::1]/",
        "https://localhost/",
        "https://api.localhost/",
        "https://[::ffff:192.168.1.1]/",
    ] {
        assert_eq!(
            check_url(private, false, false),
            Err(said!("field-webhook-url-private")),
            "{private}"
        );
    }
    assert_eq!(check_url("http://127.0.0.1:9000/in", true, true), Ok(()));
    assert_eq!(
        check_url("gopher://127.0.0.1/", true, true),
        Err(said!("field-webhook-url-local"))
    );
    let long = format!("https://example.org/{}", "a".repeat(URL_MAX));
    assert!(check_url(&long, false, false).is_err());
}

#[test]
fn public_addresses_are_told_from_the_rest() {
    for public in ["1.1.1.1", "8.8.8.8", "2606:4700::1111", "2a00:1450::1"] {
        assert!(is_public(public.parse().unwrap()), "{public}");
    }
    for private in [
        "0.0.0.0",
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.1.1",
        "100.64.0.1",
        "192.0.0.1",
        "198.18.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.2.1",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "2001:db8::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
    ] {
        assert!(!is_public(private.parse().unwrap()), "{private}");
    }
}

#[test]
fn an_endpoint_is_given_up_after_a_day_of_failures() {
    let since: DateTime<Utc> = "2025-03-14T10:00:00Z".parse().unwrap();
    assert!(!gives_up(
        since,
        since + Duration::hours(23) + Duration::minutes(59)
    ));
    assert!(gives_up(since, since + Duration::hours(24)));
}

proptest! {
    #[test]
    fn backoff_doubles_up_to_an_hour_with_half_of_it_jittered(attempts in 1u32..200, unit in 0.0f64..1.0) {
        let wait = backoff(attempts, unit).num_milliseconds();
        let base = (1i64 << (attempts - 1).min(20)).min(MAX_BACKOFF_SECONDS) * 1000;
        prop_assert!(wait >= base / 2 && wait <= base, "{wait} outside [{}, {base}]", base / 2);
        prop_assert!(wait <= MAX_BACKOFF_SECONDS * 1000);
        // Never shorter than the fixed half of the attempt before.
        let before = (1i64 << attempts.saturating_sub(2).min(20)).min(MAX_BACKOFF_SECONDS) * 1000;
        prop_assert!(wait >= before / 2);
    }

    #[test]
    fn backoff_never_breaks_on_odd_jitter(attempts in any::<u32>(), unit in any::<f64>()) {
        let wait = backoff(attempts, unit).num_milliseconds();
        prop_assert!((500..=MAX_BACKOFF_SECONDS * 1000).contains(&wait));
    }
}

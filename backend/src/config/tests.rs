//! The environment read into [`BackendConfig`], variable by variable.
use super::*;
use std::collections::HashMap;

fn read(vars: &[(&str, &str)]) -> Result<BackendConfig, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    BackendConfig::from_lookup(|var| Ok(vars.get(var).cloned()))
}

#[test]
fn the_demo_pat_is_the_simulators() {
    assert_eq!(DEMO_PAT, cxreports_simulator::DEMO_PAT);
}

#[test]
fn nothing_set_is_the_simulator_demo() {
    let config = read(&[]).unwrap();
    assert_eq!(config.cxreports_url, "http://127.0.0.1:8081");
    assert_eq!(config.pat.expose(), DEMO_PAT);
    assert_eq!(config.workspace, "sales");
    assert_eq!(
        config.allowed_origins,
        ["http://127.0.0.1:*", "http://localhost:*"]
    );
    assert_eq!(config.upstream_timeout, Duration::from_secs(10));
    assert_eq!(config.max_temp_data_bytes, 256 * 1024);
    assert_eq!(config.page_size, 200);
    assert_eq!(config.session_secret, None);
}

#[test]
fn a_real_url_needs_a_real_pat_and_drops_the_demo_origins() {
    let err = read(&[("CXREPORTS_URL", "https://r.example.com")]).unwrap_err();
    assert!(matches!(err, ConfigError::MissingPat { .. }));
    assert!(err.to_string().contains("CXREPORTS_PAT"), "{err}");
    let config = read(&[
        ("CXREPORTS_URL", "https://r.example.com/cx/"),
        ("CXREPORTS_PAT", " pat123\n"),
        ("BACKEND_DEMO_SIGN_IN", "1"),
    ])
    .unwrap();
    assert_eq!(config.cxreports_url, "https://r.example.com/cx");
    assert_eq!(config.pat.expose(), "pat123");
    assert!(config.allowed_origins.is_empty());
    assert!(config.allowed_hosts.is_empty());
}

#[test]
fn a_real_url_needs_a_sign_in_and_the_demo_one_only_on_request() {
    let real = [
        ("CXREPORTS_URL", "https://r.example.com"),
        ("CXREPORTS_PAT", "p"),
    ];
    let err = read(&real).unwrap_err();
    assert!(matches!(err, ConfigError::NoSignIn { .. }), "{err}");
    for needed in [
        "BACKEND_FORWARD_AUTH_URL",
        "BACKEND_JWT_SECRET",
        "BACKEND_DEMO_SIGN_IN=1",
    ] {
        assert!(err.to_string().contains(needed), "{err}");
    }
    assert_eq!(read(&[]).unwrap().sign_in, SignIn::Demo);
    let off = read(&[("BACKEND_DEMO_SIGN_IN", "0")]).unwrap_err();
    assert!(matches!(off, ConfigError::NoSignIn { .. }), "{off}");

    let with = |extra: &[(&'static str, &'static str)]| {
        let mut vars = real.to_vec();
        vars.extend_from_slice(extra);
        read(&vars)
    };
    let forward = with(&[("BACKEND_FORWARD_AUTH_URL", "http://app.internal/auth/check")]).unwrap();
    let SignIn::ForwardAuth(forward) = forward.sign_in else {
        panic!("{forward:?}")
    };
    assert_eq!(forward.user_header, "X-Auth-User");
    assert_eq!(forward.user_field, "user");
    assert_eq!(forward.timeout, Duration::from_secs(3));
    assert_eq!(forward.cache_ttl, Duration::from_secs(5));
    let secret = "0123456789abcdef0123456789abcdef";
    let jwt = with(&[
        ("BACKEND_JWT_SECRET", secret),
        ("BACKEND_JWT_AUDIENCE", "cx"),
        ("BACKEND_JWT_COOKIE", "token"),
    ])
    .unwrap();
    let SignIn::Jwt(jwt) = jwt.sign_in else {
        panic!("{jwt:?}")
    };
    assert_eq!(jwt.audience.as_deref(), Some("cx"));
    assert_eq!(jwt.user_claim, "sub");
    assert!(!format!("{jwt:?}").contains(secret));
    for (extra, var) in [
        (&[("BACKEND_JWT_SECRET", "short")][..], "BACKEND_JWT_SECRET"),
        (
            &[("BACKEND_FORWARD_AUTH_URL", "not a url")][..],
            "BACKEND_FORWARD_AUTH_URL",
        ),
        (
            &[
                ("BACKEND_FORWARD_AUTH_URL", "http://a"),
                ("BACKEND_FORWARD_AUTH_TIMEOUT_MS", "0"),
            ][..],
            "BACKEND_FORWARD_AUTH_TIMEOUT_MS",
        ),
        (
            &[("BACKEND_JWT_PUBLIC_KEY_FILE", "/nonexistent/key.pem")][..],
            "BACKEND_JWT_PUBLIC_KEY_FILE",
        ),
        (
            &[
                ("BACKEND_JWT_SECRET", secret),
                ("BACKEND_JWT_ALGORITHM", "RS256"),
            ][..],
            "BACKEND_JWT_ALGORITHM",
        ),
        (
            &[
                ("BACKEND_FORWARD_AUTH_URL", "http://a"),
                ("BACKEND_DEMO_SIGN_IN", "1"),
            ][..],
            "keep one",
        ),
        (
            &[("BACKEND_DEMO_SIGN_IN", "maybe")][..],
            "BACKEND_DEMO_SIGN_IN",
        ),
    ] {
        let err = with(extra).unwrap_err();
        assert!(err.to_string().contains(var), "{extra:?}: {err}");
    }
}

#[test]
fn hosts_origins_and_cookies_follow_the_public_origin() {
    let config = read(&[]).unwrap();
    assert_eq!(
        config.allowed_hosts,
        ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    );
    assert!(!config.secure_cookies);
    let config = read(&[
        ("CXREPORTS_URL", "http://cx.internal:5000"),
        ("CXREPORTS_PAT", "p"),
        ("BACKEND_DEMO_SIGN_IN", "1"),
        ("BACKEND_PUBLIC_ORIGIN", "https://app.example.com/"),
        ("CXREPORTS_PUBLIC_URL", "https://reports.example.com"),
    ])
    .unwrap();
    assert_eq!(config.allowed_hosts, ["app.example.com:443"]);
    assert_eq!(
        config.public_origin.as_deref(),
        Some("https://app.example.com")
    );
    assert_eq!(
        config.public_cxreports_url.as_deref(),
        Some("https://reports.example.com")
    );
    assert!(config.secure_cookies);
    let config = read(&[
        ("BACKEND_PUBLIC_ORIGIN", "https://app.example.com"),
        ("BACKEND_ALLOWED_HOSTS", "app.example.com, 10.0.0.5:8082"),
        ("BACKEND_SECURE_COOKIES", "0"),
    ])
    .unwrap();
    assert_eq!(config.allowed_hosts, ["app.example.com", "10.0.0.5:8082"]);
    assert!(!config.secure_cookies);
    for (var, value) in [
        ("BACKEND_PUBLIC_ORIGIN", "https://*.example.com:*"),
        ("BACKEND_ALLOWED_HOSTS", "a/b"),
        ("CXREPORTS_PUBLIC_URL", "ftp://x"),
        ("CXREPORTS_EXPORT_TIMEOUT_MS", "0"),
        ("BACKEND_NONCES_PER_MINUTE_PER_USER", "x"),
        ("BACKEND_NONCES_PER_MINUTE_PER_CLIENT", "-1"),
        ("BACKEND_TEMP_DATA_HANDLE_TTL_SECS", "0"),
    ] {
        let err = read(&[(var, value)]).unwrap_err();
        assert!(err.to_string().contains(var), "{var}={value}: {err}");
    }
    let config = read(&[
        ("CXREPORTS_EXPORT_TIMEOUT_MS", "300000"),
        ("BACKEND_NONCES_PER_MINUTE_PER_USER", "7"),
        ("BACKEND_NONCES_PER_MINUTE_PER_CLIENT", "70"),
        ("BACKEND_TEMP_DATA_HANDLE_TTL_SECS", "60"),
    ])
    .unwrap();
    assert_eq!(config.export_timeout, Duration::from_secs(300));
    assert_eq!(
        (
            config.nonces_per_minute_per_user,
            config.nonces_per_minute_per_client
        ),
        (7, 70)
    );
    assert_eq!(config.temp_data_handle_ttl, Duration::from_secs(60));
    assert_eq!(read(&[]).unwrap().export_timeout, Duration::from_secs(120));
}

#[test]
fn every_variable_is_read() {
    let config = read(&[
        ("CXREPORTS_PAT", "p"),
        ("CXREPORTS_WORKSPACE", "ops"),
        ("CXREPORTS_ALLOWED_REPORT_TYPES", " invoice, revenue ,,"),
        ("CXREPORTS_ALLOWED_REPORTS", "101, 105"),
        (
            "BACKEND_ALLOWED_ORIGINS",
            "https://app.example.com,http://127.0.0.1:*",
        ),
        ("BACKEND_SESSION_SECRET", &"s".repeat(32)),
        ("CXREPORTS_TIMEOUT_MS", "250"),
        ("CXREPORTS_PAGE_SIZE", "50"),
    ])
    .unwrap();
    assert_eq!(config.workspace, "ops");
    assert_eq!(config.allowed_report_types, ["invoice", "revenue"]);
    assert_eq!(config.allowed_reports, [101, 105]);
    assert_eq!(
        config.allowed_origins,
        ["https://app.example.com", "http://127.0.0.1:*"]
    );
    assert_eq!(config.session_secret, Some(vec![b's'; 32]));
    assert_eq!(config.upstream_timeout, Duration::from_millis(250));
    assert_eq!(config.page_size, 50);
}

#[test]
fn the_page_size_is_a_whole_number_from_1_to_1000() {
    assert_eq!(read(&[]).unwrap().page_size, 200);
    for (value, expected) in [("7", 7), (" 1 ", 1), ("1000", 1000)] {
        let config = read(&[("CXREPORTS_PAGE_SIZE", value)]).unwrap();
        assert_eq!(config.page_size, expected, "{value:?}");
    }
    // Empty counts as unset.
    assert_eq!(read(&[("CXREPORTS_PAGE_SIZE", "")]).unwrap().page_size, 200);
    for value in ["0", "1001", "x", "-5", "7.5", "99999999999999999999999"] {
        let err = read(&[("CXREPORTS_PAGE_SIZE", value)]).unwrap_err();
        assert_eq!(err, ConfigError::BadPageSize(value.to_owned()));
        assert_eq!(
            err.to_string(),
            format!(
                "CXREPORTS_PAGE_SIZE={value:?} is not a whole number from 1 to 1000: set it \
                 to at most the largest page (`limit`) your CxReports answers in full, like \
                 CXREPORTS_PAGE_SIZE=100, or unset it for 200"
            )
        );
    }
}

#[test]
fn the_pat_file_is_read_and_trimmed() {
    let path = std::env::temp_dir().join(format!("cxr-pat-test-{}", std::process::id()));
    std::fs::write(&path, "file_pat_value\n").unwrap();
    let path_text = path.display().to_string();
    let config = read(&[
        ("CXREPORTS_URL", "http://cx.internal:5000"),
        ("CXREPORTS_PAT_FILE", &path_text),
        ("BACKEND_DEMO_SIGN_IN", "1"),
    ])
    .unwrap();
    assert_eq!(config.pat.expose(), "file_pat_value");
    assert_eq!(
        read(&[("CXREPORTS_PAT_FILE", &path_text), ("CXREPORTS_PAT", "x")]).unwrap_err(),
        ConfigError::TwoPats
    );
    std::fs::remove_file(&path).unwrap();
    let err = read(&[("CXREPORTS_PAT_FILE", &path_text)]).unwrap_err();
    assert!(matches!(err, ConfigError::PatFile { .. }), "{err}");
}

#[test]
fn bad_values_name_the_variable_and_never_echo_the_pat() {
    let err = read(&[("CXREPORTS_PAT", "secret value")]).unwrap_err();
    assert!(!err.to_string().contains("secret value"), "{err}");
    assert!(matches!(err, ConfigError::BadPat { .. }));
    for (var, value) in [
        ("CXREPORTS_URL", "ftp://x"),
        ("CXREPORTS_URL", "not a url"),
        ("CXREPORTS_URL", "https://user:pw@x"),
        ("CXREPORTS_URL", "https://x/?a=1"),
        ("CXREPORTS_WORKSPACE", ".."),
        ("CXREPORTS_ALLOWED_REPORTS", "101,abc"),
        ("CXREPORTS_ALLOWED_REPORT_TYPES", "invoice,.."),
        ("BACKEND_ALLOWED_ORIGINS", "app.example.com"),
        ("BACKEND_ALLOWED_ORIGINS", "https://a.example.com/path"),
        ("BACKEND_SESSION_SECRET", "short"),
        ("CXREPORTS_TIMEOUT_MS", "0"),
        ("CXREPORTS_TIMEOUT_MS", "10s"),
        ("CXREPORTS_PAGE_SIZE", "0"),
        ("CXREPORTS_PAGE_SIZE", "1001"),
        ("CXREPORTS_PAGE_SIZE", "x"),
    ] {
        let err = read(&[("CXREPORTS_PAT", "p"), (var, value)]).unwrap_err();
        assert!(err.to_string().contains(var), "{var}={value}: {err}");
    }
}

#[test]
fn debug_redacts_both_secrets() {
    let config = BackendConfig {
        pat: Secret::new("pat-XYZZY"),
        session_secret: Some(b"session-PLUGH".to_vec()),
        ..BackendConfig::simulator_default()
    };
    let debug = format!("{config:?}");
    assert!(!debug.contains("XYZZY"), "{debug}");
    assert!(
        !debug.contains("PLUGH") && !debug.contains("115"),
        "{debug}"
    );
    assert!(debug.contains("[redacted]"));
}

//! The checker against the real thing: the project's reference backend
//! pointed at the CxReports simulator, both in-process on loopback (as
//! `backend/tests/common` starts them), configured as the test command
//! runs them (explicit nulls, a default page size, a redirect to a sign-in
//! page for a wrong PAT, small pages). Every check must pass, the viewer's
//! single use included.
use cxreports_backend::{BackendConfig, Secret};
use cxreports_backend_check::{parse_args, run, Command, Outcome, CHECKS};
use cxreports_simulator::SimConfig;

const PAT: &str = "cxr_pat_CHECKER_REFERENCE_5e8d1f0a7b_LEAKCANARY";

/// Starts the simulator and the backend; answers the backend's URL.
async fn start(tweak: impl FnOnce(&mut BackendConfig)) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = cxreports_simulator::spawn(SimConfig {
        pats: vec![PAT.to_owned()],
        explicit_nulls: true,
        default_page_size: Some(5),
        auth_redirect: true,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut config = BackendConfig {
        cxreports_url: format!("http://{sim}"),
        pat: Secret::new(PAT),
        page_size: 4,
        ..BackendConfig::simulator_default()
    };
    tweak(&mut config);
    // A short header timeout, as the test command sets, keeps
    // conn.slow_headers quick.
    let limits = cxreports_backend::Limits {
        header_read_timeout: std::time::Duration::from_secs(1),
        ..cxreports_backend::Limits::default()
    };
    let backend = cxreports_backend::spawn_with_limits(config, limits)
        .await
        .unwrap();
    format!("http://{backend}")
}

/// Signs in as `user` through the demo login; answers `host_session=…`.
async fn login(backend: &str, user: &str) -> String {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{backend}/auth/login"))
        .header("x-requested-with", "test")
        .header("content-type", "application/json")
        .body(format!(r#"{{"user":"{user}"}}"#))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    set_cookie.split(';').next().unwrap().trim().to_owned()
}

async fn check_reference(tweak: impl FnOnce(&mut BackendConfig)) {
    let backend = start(tweak).await;
    let cookie = login(&backend, "alice").await;
    let cookie_b = login(&backend, "bob").await;
    // One file per call: the tests of this binary run in parallel, and one
    // removing a shared file would leave the other reading nothing.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let pat_file = std::env::temp_dir().join(format!(
        "cxreports-check-ref-pat-{}-{call}.txt",
        std::process::id()
    ));
    std::fs::write(&pat_file, PAT).unwrap();
    let base = format!("{backend}/api/cxreports");
    let pat_arg = pat_file.to_string_lossy().into_owned();
    let Ok(Command::Run(options)) = parse_args([
        "--base",
        &base,
        "--cookie",
        &cookie,
        "--cookie-b",
        &cookie_b,
        "--pat-file",
        &pat_arg,
        "--slow-client-secs",
        "5",
    ]) else {
        panic!("options")
    };
    let report = run(&options).await.unwrap();
    let _ = std::fs::remove_file(&pat_file);
    let text = report.to_text();
    assert_eq!(report.checks.len(), CHECKS.len(), "{text}");
    for check in &report.checks {
        assert_eq!(
            check.outcome,
            Outcome::Pass,
            "{}: {}\n{text}",
            check.id,
            check.detail
        );
    }
    assert!(
        text.contains("widget-config: CxReports http://127.0.0.1:"),
        "{text}"
    );
    assert!(
        report
            .check("nonce.single_use")
            .unwrap()
            .detail
            .contains("second 401"),
        "{text}"
    );
    assert!(
        !text.contains(PAT) && !text.contains(&cookie[13..]) && !text.contains(&cookie_b[13..]),
        "{text}"
    );
    assert!(
        report
            .check("nonce.rate_limit")
            .unwrap()
            .detail
            .contains("429 with Retry-After"),
        "{text}"
    );
    assert_eq!(report.exit_code(), 0);
}

#[tokio::test]
async fn the_reference_backend_passes_every_check() {
    check_reference(|_| {}).await;
}

#[tokio::test]
async fn the_reference_backend_passes_same_origin_only_too() {
    // As in production with CXREPORTS_URL set and no BACKEND_ALLOWED_ORIGINS:
    // the page is on the backend's own origin.
    check_reference(|config| config.allowed_origins.clear()).await;
}

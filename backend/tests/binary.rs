//! The `cxreports-backend` binary: configuration from the environment, the
//! ready file, the startup line, clean shutdown on SIGTERM, and logs that
//! never carry the PAT.
mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{client, cxreports_with_bad_rows, Stub, SWEEP_PAT};
use cxreports_simulator::SimConfig;
use serde_json::json;
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_cxreports-backend");

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cxr-backend-{}-{name}", std::process::id()))
}

/// The binary with a clean environment plus `vars`.
fn backend(vars: &[(&str, &str)], args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .envs(vars.iter().copied())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

async fn wait_for_file(path: &Path) -> String {
    for _ in 0..300 {
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.is_empty() {
                return text;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the backend wrote no ready file at {}", path.display());
}

/// The binary serving on an ephemeral loopback port with `vars`: the child
/// and its URL, once it has written its ready file (named after `name`).
async fn serve(name: &str, vars: &[(&str, &str)]) -> (Child, String) {
    let ready = temp_path(name);
    let _ = std::fs::remove_file(&ready);
    let child = backend(
        vars,
        &[
            "--addr",
            "127.0.0.1:0",
            "--ready-file",
            ready.to_str().unwrap(),
        ],
    )
    .spawn()
    .unwrap();
    (child, wait_for_file(&ready).await)
}

/// Signs in as the demo user; the session cookie as a `Cookie` value.
async fn sign_in(http: &reqwest::Client, url: &str) -> String {
    let login = http
        .post(format!("{url}/auth/login"))
        .header("x-requested-with", "t")
        .json(&json!({"user": "alice"}))
        .send()
        .await
        .unwrap();
    login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn terminate(child: Child) -> std::process::Output {
    let pid = child.id().unwrap().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("the backend stops within 10 s of SIGTERM")
        .unwrap()
}

#[tokio::test]
async fn the_binary_serves_announces_itself_stops_cleanly_and_logs_no_pat() {
    let sim = cxreports_simulator::spawn(SimConfig {
        pats: vec![SWEEP_PAT.to_owned()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let pat_file = temp_path("pat");
    std::fs::write(&pat_file, format!("{SWEEP_PAT}\n")).unwrap();
    let sim_url = format!("http://{sim}");
    let (child, url) = serve(
        "ready",
        &[
            ("CXREPORTS_URL", &sim_url),
            ("BACKEND_DEMO_SIGN_IN", "1"),
            ("CXREPORTS_PAT_FILE", pat_file.to_str().unwrap()),
            ("CXREPORTS_TIMEOUT_MS", "300"),
            ("BACKEND_ALLOWED_ORIGINS", "http://127.0.0.1:*"),
        ],
    )
    .await;
    let ready = temp_path("ready");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    // Work, and failures that get logged.
    let http = client();
    let cookie = sign_in(&http, &url).await;
    let nonce = |http: reqwest::Client| {
        let (url, cookie) = (url.clone(), cookie.clone());
        async move {
            http.post(format!("{url}/api/cxreports/nonce"))
                .header("x-requested-with", "t")
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(nonce(http.clone()).await, 200);
    for fault in [
        json!({"path": "/api/v1/", "kind": "html", "times": 1}),
        json!({"path": "/api/v1/", "kind": "status", "status": 500, "times": 1}),
        json!({"path": "/api/v1/", "kind": "latency", "ms": 1000, "times": 1}),
        json!({"path": "/api/v1/", "kind": "drop", "times": 1}),
    ] {
        http.post(format!("{sim_url}/__faults"))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert!(nonce(http.clone()).await >= 500);
    }

    let output = terminate(child).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "cxreports-backend listening on {url} (CxReports: {sim_url}, workspace: sales, sign-in: demo sign-in (POST /auth/login))"
        )),
        "{stdout}"
    );
    assert!(
        stderr.contains("BACKEND_SESSION_SECRET is not set"),
        "{stderr}"
    );
    assert!(
        stderr.contains("CxReports refused the backend's PAT"),
        "{stderr}"
    );
    assert!(stderr.contains("did not answer within 300 ms"), "{stderr}");
    for text in [&stdout, &stderr] {
        assert!(
            !text.contains(SWEEP_PAT) && !text.contains("LEAKCANARY"),
            "{text}"
        );
    }
    assert!(!ready.exists(), "the ready file is removed on shutdown");
    std::fs::remove_file(&pat_file).unwrap();
}

#[tokio::test]
async fn rows_cxreports_sent_unreadable_are_logged_as_a_warning_without_the_pat() {
    let stub = Stub::start(cxreports_with_bad_rows("attachment")).await;
    let stub_url = format!("http://{}", stub.addr);
    let (child, url) = serve(
        "ready-rows",
        &[
            ("CXREPORTS_URL", &stub_url),
            ("BACKEND_DEMO_SIGN_IN", "1"),
            ("CXREPORTS_PAT", SWEEP_PAT),
            ("BACKEND_ALLOWED_ORIGINS", "http://127.0.0.1:*"),
        ],
    )
    .await;
    let http = client();
    let cookie = sign_in(&http, &url).await;
    for path in [
        "workspaces",
        "report-types",
        "reports",
        "reports?type=invoice",
    ] {
        let answer = http
            .get(format!("{url}/api/cxreports/{path}"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{path}");
    }

    let output = terminate(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in [
        format!(
            "cxreports-backend: warning: GET {stub_url}/api/v1/workspaces: skipped 1 row \
             CxReports sent without what a row needs (id, name, code)"
        ),
        format!(
            "cxreports-backend: warning: GET {stub_url}/api/v1/ws/sales/report-types: skipped 2 \
             rows CxReports sent without what a row needs (id, name, code)"
        ),
        format!(
            "cxreports-backend: warning: GET {stub_url}/api/v1/ws/sales/reports: skipped 3 rows \
             CxReports sent without what a row needs (id, name, reportTypeId, reportTypeName)"
        ),
        format!(
            "cxreports-backend: warning: GET {stub_url}/api/v1/ws/sales/reports?type=invoice: \
             skipped 3 rows CxReports sent without what a row needs (id, name, reportTypeId, \
             reportTypeName)"
        ),
    ] {
        assert!(
            stderr.lines().any(|l| l == line),
            "no line {line:?} in:\n{stderr}"
        );
    }
    assert!(
        !stderr.contains(SWEEP_PAT) && !stderr.contains("LEAKCANARY"),
        "{stderr}"
    );
}

#[tokio::test]
async fn configuration_errors_exit_2_and_name_the_fix_without_the_pat() {
    let output = backend(&[("CXREPORTS_URL", "https://reports.example.com")], &[])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("CXREPORTS_PAT"), "{stderr}");

    let output = backend(
        &[
            ("CXREPORTS_PAT", "LEAKCANARY with space"),
            ("CXREPORTS_URL", "https://r"),
        ],
        &[],
    )
    .output()
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("CXREPORTS_PAT") && !stderr.contains("LEAKCANARY"),
        "{stderr}"
    );

    let output = backend(&[("CXREPORTS_PAGE_SIZE", "1001")], &[])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("CXREPORTS_PAGE_SIZE=\"1001\" is not a whole number from 1 to 1000"),
        "{stderr}"
    );

    let output = backend(&[], &["--addr", "nowhere"]).output().await.unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage:"));

    // A real CxReports and no way to know who is signed in: no start.
    let output = backend(
        &[
            ("CXREPORTS_URL", "https://reports.example.com"),
            ("CXREPORTS_PAT", "cxr_pat_LEAKCANARY"),
        ],
        &["--addr", "127.0.0.1:0"],
    )
    .output()
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no sign-in is configured")
            && stderr.contains("BACKEND_FORWARD_AUTH_URL")
            && stderr.contains("BACKEND_JWT_SECRET")
            && !stderr.contains("LEAKCANARY"),
        "{stderr}"
    );
    let output = backend(
        &[("BACKEND_HEADER_TIMEOUT_MS", "soon")],
        &["--addr", "127.0.0.1:0"],
    )
    .output()
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BACKEND_HEADER_TIMEOUT_MS"), "{stderr}");
}

/// Whether the server closes `stream` within `within`.
async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
    use tokio::io::AsyncReadExt as _;
    let mut buf = [0u8; 1024];
    tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn over_sockets_the_binary_refuses_rebinding_slow_clients_and_nonce_floods() {
    use tokio::io::AsyncWriteExt as _;
    let sim = cxreports_simulator::spawn(SimConfig::default())
        .await
        .unwrap();
    let sim_url = format!("http://{sim}");
    let (child, url) = serve(
        "ready-hostile",
        &[
            ("CXREPORTS_URL", &sim_url),
            ("CXREPORTS_PAT", cxreports_simulator::DEMO_PAT),
            ("BACKEND_DEMO_SIGN_IN", "1"),
            ("BACKEND_HEADER_TIMEOUT_MS", "400"),
            ("BACKEND_NONCES_PER_MINUTE_PER_USER", "5"),
        ],
    )
    .await;
    let http = client();
    let cookie = sign_in(&http, &url).await;
    let addr = url.trim_start_matches("http://").to_owned();
    let port = addr.rsplit(':').next().unwrap().to_owned();

    // DNS rebinding: Host and Origin both name the attacker's site.
    let rebound = format!("rebind.example:{port}");
    let answer = http
        .post(format!("{url}/api/cxreports/nonce"))
        .header("host", &rebound)
        .header("origin", format!("http://{rebound}"))
        .header("x-requested-with", "t")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 421);
    // The right Host, a foreign Origin.
    let answer = http
        .post(format!("{url}/api/cxreports/nonce"))
        .header("origin", format!("http://{rebound}"))
        .header("x-requested-with", "t")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);

    // Slow clients: connections that never finish their headers are
    // closed within the header timeout, many at once.
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    let started = std::time::Instant::now();
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(5)).await);
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    let health = http.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // A burst of nonces: the sixth within a minute is refused.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let answer = http
            .post(format!("{url}/api/cxreports/nonce"))
            .header("x-requested-with", "t")
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        statuses.push((
            answer.status().as_u16(),
            answer.headers().get("retry-after").cloned(),
        ));
    }
    assert!(statuses[..5].iter().all(|(s, _)| *s == 200), "{statuses:?}");
    let (status, retry_after) = &statuses[5];
    assert_eq!(*status, 429, "{statuses:?}");
    let secs: u64 = retry_after
        .as_ref()
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    terminate(child).await;
}

#[cfg(feature = "fault-injection")]
#[tokio::test]
async fn with_fault_injection_the_backend_endpoints_can_be_faulted_and_keep_cors() {
    let sim = cxreports_simulator::spawn(SimConfig::default())
        .await
        .unwrap();
    let sim_url = format!("http://{sim}");
    let (child, url) = serve(
        "ready-faults",
        &[
            ("CXREPORTS_URL", &sim_url),
            ("BACKEND_DEMO_SIGN_IN", "1"),
            ("CXREPORTS_PAT", cxreports_simulator::DEMO_PAT),
            ("BACKEND_ALLOWED_ORIGINS", "http://127.0.0.1:*"),
        ],
    )
    .await;
    let http = client();
    let added = http
        .post(format!("{url}/__faults"))
        .json(&json!({"path": "/auth/me", "kind": "status", "status": 503, "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let faulted = http
        .get(format!("{url}/auth/me"))
        .header("origin", "http://127.0.0.1:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(faulted.status(), 503);
    assert_eq!(
        faulted.headers()["access-control-allow-origin"],
        "http://127.0.0.1:3000"
    );
    // Used up: the next one is the real answer.
    let real = http.get(format!("{url}/auth/me")).send().await.unwrap();
    assert_eq!(real.status(), 401);

    // A browser test page on an allowed origin can clear faults.
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{url}/__faults"))
        .header("origin", "http://127.0.0.1:3000")
        .header("access-control-request-method", "DELETE")
        .header("access-control-request-headers", "x-requested-with")
        .send()
        .await
        .unwrap();
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("DELETE"), "{methods}");
    http.post(format!("{url}/__faults"))
        .json(&json!({"path": "/auth/me", "kind": "status", "status": 503}))
        .send()
        .await
        .unwrap();
    let cleared = http
        .delete(format!("{url}/__faults"))
        .header("origin", "http://127.0.0.1:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(
        cleared.headers()["access-control-allow-origin"],
        "http://127.0.0.1:3000"
    );
    assert_eq!(
        cleared.json::<serde_json::Value>().await.unwrap()["cleared"],
        1
    );
    let real = http.get(format!("{url}/auth/me")).send().await.unwrap();
    assert_eq!(real.status(), 401);

    let output = terminate(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("WARNING: built with the `fault-injection` feature"),
        "{stderr}"
    );
}

//! The `cxreports-simulator` binary: ready file, configuration errors and
//! shutdown on SIGTERM.
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cxr-sim-{}-{name}", std::process::id()))
}

#[tokio::test]
async fn it_writes_the_ready_file_serves_and_stops_on_sigterm() {
    let ready = temp_path("ready");
    let _ = std::fs::remove_file(&ready);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxreports-simulator"))
        .args(["--addr", "127.0.0.1:0", "--ready-file"])
        .arg(&ready)
        .env("SIM_PATS", "bin-test-pat")
        .env("SIM_DEFAULT_PAGE_SIZE", "2")
        .env("SIM_EXPLICIT_NULLS", "true")
        .env("SIM_EXTRA_REPORTS", "3")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = loop {
        if let Ok(url) = std::fs::read_to_string(&ready) {
            break url;
        }
        assert!(Instant::now() < deadline, "no ready file");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with('\n'));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = http
        .get(format!("{url}/api/v1/workspaces"))
        .bearer_auth("bin-test-pat")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    // The list settings come from the environment.
    let page: serde_json::Value = http
        .get(format!("{url}/api/v1/ws/sales/reports?offset=15"))
        .bearer_auth("bin-test-pat")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.as_array().map(Vec::len), Some(2), "{page}");
    assert_eq!(page[0]["id"], 1002, "{page}");
    assert!(page[0]["themeName"].is_null() && page[0].get("themeName").is_some());

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    assert_eq!(
        stdout.trim(),
        format!("cxreports-simulator listening on {url}\ncxreports-simulator stopped")
    );
    assert!(!ready.exists(), "the ready file is removed on shutdown");
}

#[test]
fn bad_configuration_fails_with_a_clear_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_cxreports-simulator"))
        .args(["--addr", "127.0.0.1:0"])
        .env("SIM_SAME_SITE", "sideways")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("SIM_SAME_SITE=\"sideways\""), "{stderr}");
    assert!(stderr.contains("lax, strict or none"), "{stderr}");

    let output = Command::new(env!("CARGO_BIN_EXE_cxreports-simulator"))
        .args(["--addr", "127.0.0.1:0"])
        .env("SIM_VIEWER_PRINT", "host")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("SIM_VIEWER_PRINT=\"host\""), "{stderr}");

    let output = Command::new(env!("CARGO_BIN_EXE_cxreports-simulator"))
        .arg("--adr")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("usage:"));
}

//! `cxreports-backend [--addr 127.0.0.1:8082] [--ready-file PATH]`
//!
//! Serves the reference backend; configuration comes from the environment
//! (see `BackendConfig::from_env` and the README). Once listening it writes
//! `http://IP:PORT` to the ready file, if asked, so scripts can wait for
//! that file instead of polling a port.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;

use cxreports_backend::BackendConfig;
use cxreports_serve::Server;

#[cfg(feature = "fault-injection")]
fn app(config: BackendConfig) -> axum::Router {
    eprintln!(
        "cxreports-backend: WARNING: built with the `fault-injection` feature: anyone who can \
         reach this port can make it fail through /__faults. For tests only; never deploy this build."
    );
    cxreports_backend::router_with_faults(config, cxreports_simulator::faults::Faults::new())
}

#[cfg(not(feature = "fault-injection"))]
fn app(config: BackendConfig) -> axum::Router {
    cxreports_backend::router(config)
}

fn main() -> ExitCode {
    let server = Server {
        name: "cxreports-backend",
        default_addr: "127.0.0.1:8082",
        help: "Configuration: CXREPORTS_URL, CXREPORTS_PAT or CXREPORTS_PAT_FILE, \
               CXREPORTS_WORKSPACE, CXREPORTS_ALLOWED_REPORT_TYPES, CXREPORTS_ALLOWED_REPORTS, \
               BACKEND_ALLOWED_ORIGINS, BACKEND_SESSION_SECRET, CXREPORTS_TIMEOUT_MS, \
               CXREPORTS_PAGE_SIZE, CXREPORTS_PUBLIC_URL, CXREPORTS_EXPORT_TIMEOUT_MS, \
               BACKEND_DEMO_SIGN_IN, BACKEND_FORWARD_AUTH_*, BACKEND_JWT_*, BACKEND_ALLOWED_HOSTS, \
               BACKEND_PUBLIC_ORIGIN, BACKEND_SECURE_COOKIES, BACKEND_NONCES_PER_MINUTE_PER_USER, \
               BACKEND_NONCES_PER_MINUTE_PER_CLIENT, BACKEND_TEMP_DATA_HANDLE_TTL_SECS (see README.md); the listener's BACKEND_HEADER_TIMEOUT_MS, \
               BACKEND_BODY_TIMEOUT_MS, BACKEND_MAX_CONNECTIONS.",
        env_prefix: "BACKEND",
    };
    server.main(|| {
        BackendConfig::from_env().map(|config| {
            let summary = format!(
                "CxReports: {}, workspace: {}, sign-in: {}",
                config.cxreports_url,
                config.workspace,
                config.sign_in.name()
            );
            (app(config), summary)
        })
    })
}

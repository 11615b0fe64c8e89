//! `cxreports-simulator [--addr 127.0.0.1:8081] [--ready-file PATH]`
//!
//! Serves the simulator; configuration comes from the environment (see
//! `SimConfig::from_env`). Once listening it writes `http://IP:PORT` to the
//! ready file, if asked, so scripts can wait for that file instead of
//! polling a port.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;

use cxreports_serve::Server;
use cxreports_simulator::{router, SimConfig};

fn main() -> ExitCode {
    let server = Server {
        name: "cxreports-simulator",
        default_addr: "127.0.0.1:8081",
        help: "Configuration: SIM_PATS, SIM_NONCE_TTL_SECS, SIM_SESSION_TTL_SECS, \
               SIM_TEMP_DATA_TTL_SECS, SIM_SAME_SITE, SIM_LOGIN_PAGE_200, SIM_AUTH_REDIRECT, \
               SIM_EXPLICIT_NULLS, SIM_DEFAULT_PAGE_SIZE, SIM_EXTRA_REPORTS, SIM_VIEWER_PRINT \
               (see README.md); the listener's SIM_HEADER_TIMEOUT_MS, SIM_BODY_TIMEOUT_MS, \
               SIM_MAX_CONNECTIONS (see serve/).",
        env_prefix: "SIM",
    };
    server.main(|| SimConfig::from_env().map(|config| (router(config), String::new())))
}

//! What the CxReports simulator and the reference backend share as servers.
//!
//! The command line:
//! `NAME [--addr IP:PORT] [--ready-file PATH]`, a ready file written once
//! listening (so scripts wait for a file, not a port), and a clean shutdown
//! on SIGINT/SIGTERM.
//!
//! The listener is built to face untrusted clients: a client must send its
//! request headers within a time limit (which also closes idle keep-alive
//! connections), must send its body without long pauses, and only so many
//! connections are open at once ([`Limits`]). `axum::serve` sets none of
//! these, so a few hundred connections that never finish their headers
//! would stay open for ever.
//!
//! ```no_run
//! use cxreports_serve::Server;
//!
//! fn main() -> std::process::ExitCode {
//!     let server = Server { name: "my-server", default_addr: "127.0.0.1:8090", help: "Configuration: none.", env_prefix: "MY" };
//!     server.main(|| Ok::<_, std::convert::Infallible>((axum::Router::new(), String::new())))
//! }
//! ```
//!
//! Besides, settings read from the environment the same way everywhere
//! ([`var`], [`parse_set`], [`positive_number`], [`switch`], [`comma_list`]) and session
//! cookies read and written the same way ([`cookie_values`], [`SetCookie`]).
//!
//! One file a concern: `cli` ([`Server`]: the binary's arguments, ready
//! file and signals), `listener` ([`serve`], [`spawn`], [`spawn_on_loopback`]),
//! `limits` ([`Limits`]), `env` ([`var`], [`parse_set`], [`positive_number`], [`switch`],
//! [`comma_list`]) and `cookie` ([`cookie_values`], [`SetCookie`]).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;
mod cookie;
mod env;
mod limits;
mod listener;

pub use cli::Server;
pub use cookie::{cookie_values, SetCookie};
pub use env::{comma_list, parse_set, positive_number, switch, var, NotUnicode};
pub use limits::{Limits, LimitsError};
pub use listener::{serve, spawn, spawn_on_loopback, LocalAddr};

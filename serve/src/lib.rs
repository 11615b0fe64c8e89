//! The command line the CxReports simulator and the reference backend share:
//! `NAME [--addr IP:PORT] [--ready-file PATH]`, a ready file written once
//! listening (so scripts wait for a file, not a port), and a clean shutdown
//! on SIGINT/SIGTERM.
//!
//! ```no_run
//! use cxreports_serve::Server;
//!
//! fn main() -> std::process::ExitCode {
//!     let server = Server { name: "my-server", default_addr: "127.0.0.1:8090", help: "Configuration: none." };
//!     server.main(|| Ok::<_, std::convert::Infallible>((axum::Router::new(), String::new())))
//! }
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::fmt::Display;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use thiserror::Error;

/// After a shutdown signal, open connections (a stalled download, a
/// browser's keep-alive) get this long before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// A server binary's identity.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    /// The binary's name, as in messages: `cxreports-backend`.
    pub name: &'static str,
    /// The address without `--addr`: `127.0.0.1:8082`.
    pub default_addr: &'static str,
    /// What `--help` prints after the usage line: the configuration it reads.
    pub help: &'static str,
}

#[derive(Debug, Error)]
enum ServeError {
    #[error("{0}")]
    Usage(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error(
        "cannot listen on {addr}: {source} (is another server running there? pick another --addr)"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot write the ready file {path}: {source} (check that its folder exists and is writable)")]
    ReadyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen for shutdown signals: {0}")]
    Signal(std::io::Error),
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
}

struct Args {
    addr: SocketAddr,
    ready_file: Option<PathBuf>,
}

impl Server {
    fn usage(&self) -> String {
        format!(
            "usage: {} [--addr {}] [--ready-file PATH]",
            self.name, self.default_addr
        )
    }

    /// Runs the binary: parses the arguments, calls `setup` for the app and a
    /// one-line summary of its configuration (printed after the listening
    /// URL), serves until a signal. Exit code 2 for bad arguments or
    /// configuration, 1 for other failures.
    pub fn main<E: Display>(
        self,
        setup: impl FnOnce() -> Result<(axum::Router, String), E>,
    ) -> ExitCode {
        let result = self.parse_args(std::env::args().skip(1)).and_then(|args| {
            let Some(args) = args else {
                println!("{}\n{}", self.usage(), self.help);
                return Ok(());
            };
            let (app, summary) = setup().map_err(|e| ServeError::Config(e.to_string()))?;
            let runtime = tokio::runtime::Runtime::new().map_err(ServeError::Serve)?;
            runtime.block_on(self.run(args, app, &summary))
        });
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(error @ (ServeError::Usage(_) | ServeError::Config(_))) => {
                eprintln!("{}: {error}", self.name);
                ExitCode::from(2)
            }
            Err(error) => {
                eprintln!("{}: {error}", self.name);
                ExitCode::FAILURE
            }
        }
    }

    fn parse_args(
        &self,
        mut args: impl Iterator<Item = String>,
    ) -> Result<Option<Args>, ServeError> {
        let usage = |message: String| ServeError::Usage(format!("{message}\n{}", self.usage()));
        let mut addr = None;
        let mut ready_file = None;
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| usage(format!("{name} needs a value")))
            };
            match arg.as_str() {
                "--addr" => {
                    let text = value("--addr")?;
                    let parsed = text.parse().map_err(|_| {
                        usage(format!(
                            "--addr {text:?} is not IP:PORT, e.g. {}",
                            self.default_addr
                        ))
                    })?;
                    addr = Some(parsed);
                }
                "--ready-file" => ready_file = Some(PathBuf::from(value("--ready-file")?)),
                "-h" | "--help" => return Ok(None),
                other => return Err(usage(format!("unknown argument {other:?}"))),
            }
        }
        let addr = match addr {
            Some(addr) => addr,
            None => self
                .default_addr
                .parse()
                .map_err(|_| usage("the default address is invalid".into()))?,
        };
        Ok(Some(Args { addr, ready_file }))
    }

    async fn run(&self, args: Args, app: axum::Router, summary: &str) -> Result<(), ServeError> {
        let bind = |source| ServeError::Bind {
            addr: args.addr,
            source,
        };
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let url = format!("http://{addr}");
        if let Some(path) = &args.ready_file {
            write_ready_file(path, &url)?;
        }
        match summary {
            "" => println!("{} listening on {url}", self.name),
            _ => println!("{} listening on {url} ({summary})", self.name),
        }

        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stop_rx.wait_for(|stop| *stop).await;
        });
        let server = std::future::IntoFuture::into_future(server);
        tokio::pin!(server);
        tokio::select! {
            result = &mut server => return result.map_err(ServeError::Serve),
            signal = shutdown_signal() => signal?,
        }
        let _ = stop_tx.send(true);
        tokio::select! {
            result = &mut server => result.map_err(ServeError::Serve)?,
            () = tokio::time::sleep(SHUTDOWN_GRACE) => {
                eprintln!("{}: connections still open after {SHUTDOWN_GRACE:?}; closing them", self.name);
            }
        }
        if let Some(path) = &args.ready_file {
            // A stale ready file would tell the next script a dead server is up.
            let _ = std::fs::remove_file(path);
        }
        println!("{} stopped", self.name);
        Ok(())
    }
}

/// Writes via a temporary file and a rename, so a reader never sees a
/// half-written URL.
fn write_ready_file(path: &Path, url: &str) -> Result<(), ServeError> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, url)
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|source| ServeError::ReadyFile {
            path: path.to_owned(),
            source,
        })
}

async fn shutdown_signal() -> Result<(), ServeError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).map_err(ServeError::Signal)?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.map_err(ServeError::Signal),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(ServeError::Signal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Server = Server {
        name: "t",
        default_addr: "127.0.0.1:9",
        help: "",
    };

    fn parse(args: &[&str]) -> Result<Option<Args>, ServeError> {
        SERVER.parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments() {
        let args = parse(&["--addr", "127.0.0.1:0", "--ready-file", "/tmp/x"])
            .unwrap()
            .unwrap();
        assert_eq!(args.addr.port(), 0);
        assert_eq!(args.ready_file.as_deref(), Some(Path::new("/tmp/x")));
        assert_eq!(parse(&[]).unwrap().unwrap().addr.port(), 9);
        assert!(parse(&["--help"]).unwrap().is_none());
        for bad in [&["--addr"][..], &["--addr", "nope"], &["--adr"]] {
            let message = parse(bad).err().unwrap().to_string();
            assert!(message.contains("usage: t"), "{message}");
        }
    }
}

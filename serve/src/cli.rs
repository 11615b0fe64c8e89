//! The command line of a server binary: `NAME [--addr IP:PORT]
//! [--ready-file PATH]`, the ready file, the startup line and the exit
//! codes, and the end on SIGINT/SIGTERM.
use std::fmt::Display;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use thiserror::Error;

use crate::listener::{serve, SHUTDOWN_GRACE};
use crate::{Limits, LimitsError};

/// A server binary's identity.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    /// The binary's name, as in messages: `cxreports-backend`.
    pub name: &'static str,
    /// The address without `--addr`: `127.0.0.1:8082`.
    pub default_addr: &'static str,
    /// What `--help` prints after the usage line: the configuration it reads.
    pub help: &'static str,
    /// Prefix of the variables that set the listener's [`Limits`]:
    /// `BACKEND` reads `BACKEND_HEADER_TIMEOUT_MS` and so on.
    pub env_prefix: &'static str,
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
    #[error("configuration: {0}")]
    Limits(#[from] LimitsError),
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
            let limits = Limits::from_env(self.env_prefix)?;
            let runtime = tokio::runtime::Runtime::new().map_err(ServeError::Serve)?;
            runtime.block_on(self.run(args, app, limits, &summary))
        });
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(error @ (ServeError::Usage(_) | ServeError::Config(_) | ServeError::Limits(_))) => {
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

    async fn run(
        &self,
        args: Args,
        app: axum::Router,
        limits: Limits,
        summary: &str,
    ) -> Result<(), ServeError> {
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
        let server = serve(
            listener,
            app,
            limits,
            async move {
                let _ = stop_rx.wait_for(|stop| *stop).await;
            },
            SHUTDOWN_GRACE,
        );
        tokio::pin!(server);
        tokio::select! {
            () = &mut server => {}
            signal = shutdown_signal() => {
                signal?;
                let _ = stop_tx.send(true);
                server.await;
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
        env_prefix: "T",
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

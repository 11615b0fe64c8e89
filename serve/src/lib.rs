//! The command line the CxReports simulator and the reference backend share:
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
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::fmt::Display;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;
use tower_http::timeout::RequestBodyTimeoutLayer;

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
    /// Prefix of the variables that set the listener's [`Limits`]:
    /// `BACKEND` reads `BACKEND_HEADER_TIMEOUT_MS` and so on.
    pub env_prefix: &'static str,
}

/// Time and count limits of the listener, against clients that connect and
/// then dawdle.
///
/// ```
/// use cxreports_serve::Limits;
/// let limits = Limits::default();
/// assert_eq!(limits.max_connections, 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A connection is closed when a request's headers have not all arrived
    /// this long after the connection opened or its previous answer was
    /// sent; the same clock closes idle keep-alive connections.
    /// `{PREFIX}_HEADER_TIMEOUT_MS`; default 10 s.
    pub header_read_timeout: Duration,
    /// A request fails when its body pauses longer than this between two
    /// pieces. `{PREFIX}_BODY_TIMEOUT_MS`; default 30 s.
    pub body_read_timeout: Duration,
    /// At most this many connections are open at once; more wait to be
    /// accepted. `{PREFIX}_MAX_CONNECTIONS`; default 1024.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// A listener setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LimitsError {
    /// Not a whole number above 0.
    #[error("{var}={value:?} is not a whole number above 0: set it like {var}={example}, or unset it for the default")]
    NotPositive {
        /// The variable.
        var: String,
        /// What it held.
        value: String,
        /// A value that would do.
        example: u64,
    },
}

impl Limits {
    /// The defaults, overridden by `{prefix}_HEADER_TIMEOUT_MS`,
    /// `{prefix}_BODY_TIMEOUT_MS` and `{prefix}_MAX_CONNECTIONS` where set
    /// (an empty variable counts as unset).
    pub fn from_env(prefix: &str) -> Result<Self, LimitsError> {
        Self::from_lookup(prefix, |var| std::env::var(var).ok())
    }

    /// [`Limits::from_env`] over any source of variables.
    pub fn from_lookup(
        prefix: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, LimitsError> {
        let mut limits = Limits::default();
        let read = |name: &str, example: u64| -> Result<Option<u64>, LimitsError> {
            let var = format!("{prefix}_{name}");
            match lookup(&var).map(|v| v.trim().to_owned()) {
                None => Ok(None),
                Some(value) if value.is_empty() => Ok(None),
                Some(value) => match value.parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(LimitsError::NotPositive {
                        var,
                        value,
                        example,
                    }),
                },
            }
        };
        if let Some(ms) = read("HEADER_TIMEOUT_MS", 10_000)? {
            limits.header_read_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = read("BODY_TIMEOUT_MS", 30_000)? {
            limits.body_read_timeout = Duration::from_millis(ms);
        }
        if let Some(n) = read("MAX_CONNECTIONS", 1024)? {
            limits.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        Ok(limits)
    }
}

/// The address a request's connection was accepted on (a request
/// extension, like axum's `ConnectInfo<SocketAddr>` for the client's): the
/// server's own address as the client reached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalAddr(pub SocketAddr);

/// Serves `app` on `listener` under `limits` until `shutdown` completes,
/// then lets open requests finish for up to `grace`. Each request carries
/// [`LocalAddr`] and `ConnectInfo<SocketAddr>` (the client) as extensions.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let permits = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let app = app.layer(RequestBodyTimeoutLayer::new(limits.body_read_timeout));
    tokio::pin!(shutdown);
    loop {
        // Waiting for a permit before accepting leaves further clients in
        // the kernel's queue rather than holding a socket each.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: pass, not die.
                    eprintln!("warning: cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let local = stream.local_addr().unwrap_or(remote);
        let service = app.clone().map_request(move |mut request: Request<_>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            request.extensions_mut().insert(LocalAddr(local));
            request
        });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or dawdles past a limit ends here;
            // nothing to report.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {}
    }
}

/// Serves `app` on `listener` under `limits` in a tokio task that lives as
/// long as the runtime: for tests and embedding.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// cxreports_serve::spawn(listener, axum::Router::new(), cxreports_serve::Limits::default());
/// # Ok(())
/// # }
/// ```
pub fn spawn(listener: TcpListener, app: axum::Router, limits: Limits) {
    tokio::spawn(serve(
        listener,
        app,
        limits,
        std::future::pending(),
        SHUTDOWN_GRACE,
    ));
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

    #[test]
    fn limits_are_read_with_their_prefix() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |var: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == var)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        assert_eq!(
            Limits::from_lookup("X", vars(&[])).unwrap(),
            Limits::default()
        );
        let limits = Limits::from_lookup(
            "X",
            vars(&[
                ("X_HEADER_TIMEOUT_MS", "1500"),
                ("X_BODY_TIMEOUT_MS", " 2000 "),
                ("X_MAX_CONNECTIONS", "7"),
                ("Y_MAX_CONNECTIONS", "9"),
            ]),
        )
        .unwrap();
        assert_eq!(limits.header_read_timeout, Duration::from_millis(1500));
        assert_eq!(limits.body_read_timeout, Duration::from_millis(2000));
        assert_eq!(limits.max_connections, 7);
        for bad in ["0", "x", "-1"] {
            let pairs: &'static [(&'static str, &'static str)] =
                Box::leak(Box::new([("X_MAX_CONNECTIONS", bad)]));
            let message = Limits::from_lookup("X", vars(pairs))
                .unwrap_err()
                .to_string();
            assert!(message.contains("X_MAX_CONNECTIONS"), "{message}");
        }
    }

    async fn start(limits: Limits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(|body: axum::body::Bytes| async move { body.len().to_string() }),
        );
        spawn(listener, app, limits);
        addr
    }

    /// Whether the server closes `stream` within `within` (reads until EOF
    /// or an error, ignoring what it answers).
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
    async fn unfinished_headers_and_idle_connections_are_closed() {
        use tokio::io::AsyncWriteExt as _;
        let addr = start(Limits {
            header_read_timeout: Duration::from_millis(300),
            ..Limits::default()
        })
        .await;
        let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        assert!(closed_within(&mut slow, Duration::from_secs(3)).await);
        // An idle keep-alive connection, after a complete exchange.
        let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab")
            .await
            .unwrap();
        assert!(closed_within(&mut idle, Duration::from_secs(3)).await);
    }

    #[tokio::test]
    async fn a_stalled_body_fails_and_connections_are_capped() {
        use tokio::io::AsyncWriteExt as _;
        let addr = start(Limits {
            body_read_timeout: Duration::from_millis(300),
            max_connections: 2,
            ..Limits::default()
        })
        .await;
        let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
        stalled
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
            .await
            .unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(3), async {
            use tokio::io::AsyncReadExt as _;
            let mut buf = [0u8; 512];
            while let Ok(n @ 1..) = stalled.read(&mut buf).await {
                answer.extend_from_slice(&buf[..n]);
            }
        })
        .await;
        assert!(read.is_ok(), "the stalled body was never given up");
        assert!(
            !String::from_utf8_lossy(&answer).contains("\r\n\r\n10"),
            "{answer:?}"
        );
        drop(stalled);
        // Two connections hold both permits; a third is not served until
        // one closes.
        let _a = tokio::net::TcpStream::connect(addr).await.unwrap();
        let _b = tokio::net::TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
        third
            .write_all(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await
            .unwrap();
        let mut buf = [0u8; 64];
        use tokio::io::AsyncReadExt as _;
        let early = tokio::time::timeout(Duration::from_millis(300), third.read(&mut buf)).await;
        assert!(
            early.is_err(),
            "a third connection was served beyond the cap"
        );
        drop(_a);
        let served = tokio::time::timeout(Duration::from_secs(3), third.read(&mut buf)).await;
        assert!(matches!(served, Ok(Ok(n)) if n > 0), "{served:?}");
    }
}

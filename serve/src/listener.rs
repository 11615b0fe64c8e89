//! Serving an app on a listener that faces untrusted clients: header and
//! body time limits, a cap on open connections, and a graceful end.
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::Limits;

/// After a shutdown signal, open connections (a stalled download, a
/// browser's keep-alive) get this long before the process exits anyway.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

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

/// Binds `127.0.0.1` on a free port, serves `app` there under `limits` as
/// [`spawn`] does, and answers the address: how tests and embedders start
/// a server without picking a port.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use cxreports_serve::{spawn_on_loopback, Limits};
/// let addr = spawn_on_loopback(axum::Router::new(), Limits::default()).await?;
/// println!("serving at http://{addr}");
/// # Ok(())
/// # }
/// ```
pub async fn spawn_on_loopback(app: axum::Router, limits: Limits) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    spawn(listener, app, limits);
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

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

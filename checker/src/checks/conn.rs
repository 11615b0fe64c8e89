//! `conn.slow_headers`: a connection that never finishes its request
//! headers is closed within a bound (`--slow-client-secs`), so a few
//! hundred such connections cannot hold the server.
use std::time::{Duration, Instant};

use reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::Ctx;

const SLOW: &str = "conn.slow_headers";

/// Opens a connection to the host of `--base`, sends half a request head
/// (plain http) or nothing (https: not even a TLS greeting), and waits for
/// the server to close it.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let Some((host, port, https)) = Url::parse(&ctx.options.base).ok().and_then(|url| {
        let host = url.host_str()?.to_owned();
        Some((host, url.port_or_known_default()?, url.scheme() == "https"))
    }) else {
        return ctx.skip(SLOW, "--base names no host and port to connect to");
    };
    let bound = ctx.options.slow_client;
    if bound.is_zero() {
        return ctx.skip(
            SLOW,
            "--slow-client-secs 0: left to the server in front of this one",
        );
    }
    let host_for_connect = host.trim_matches(['[', ']']).to_owned();
    let mut stream = match tokio::time::timeout(
        Duration::from_secs(10),
        TcpStream::connect((host_for_connect.as_str(), port)),
    )
    .await
    {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return ctx.fail(SLOW, format!("cannot connect to {host}:{port}: {e}")),
        Err(_) => return ctx.fail(SLOW, format!("cannot connect to {host}:{port} within 10 s")),
    };
    if !https {
        let head = format!("GET / HTTP/1.1\r\nHost: {host}:{port}\r\nX-Slow: ");
        if let Err(e) = stream.write_all(head.as_bytes()).await {
            return ctx.fail(SLOW, format!("cannot write to {host}:{port}: {e}"));
        }
    }
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(bound, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                // An error answer (408, 400) is fine; the close is what counts.
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok();
    let sent = if https {
        "a connection that sent nothing"
    } else {
        "a connection that sent half a request head"
    };
    if closed {
        ctx.pass(
            SLOW,
            format!(
                "{sent} was closed after {:.1} s (bound {} s)",
                started.elapsed().as_secs_f64(),
                bound.as_secs()
            ),
        );
    } else {
        ctx.fail(
            SLOW,
            format!(
                "{sent} was still open after {} s: set a time limit for reading request headers (and for idle keep-alive connections) and cap the connections, in the server or the proxy in front of it, or a few hundred slow clients stop the backend (or raise --slow-client-secs if your limit is longer)",
                bound.as_secs()
            ),
        );
    }
}

//! The HTTP server loop: timeouts and a connection cap that sheds idle connections.
//!
//! `axum::serve` has no timeouts: idle and half-sent connections stayed open for good, and ~20,000 idle
//! connections from one client made the server unreachable. Here each connection has
//! - a header-read timeout (the whole request head must arrive within it),
//! - an idle timeout (no bytes either way for that long closes a connection between requests);
//!
//! and the app has a request timeout (408). At most `max_connections` are open: a new connection
//! beyond that closes the connection that has been quiet the longest and is not serving a request, so a
//! flood of idle connections pushes out its own oldest members instead of keeping others out.

use crate::Config;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower::ServiceExt;

/// Timeouts and the cap, from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

impl Limits {
    pub fn from_config(config: &Config) -> Self {
        Self {
            header_timeout: config.header_timeout,
            idle_timeout: config.idle_timeout,
            max_connections: config.max_connections,
        }
    }
}

/// What the server loop knows about one open connection.
struct Conn {
    /// Milliseconds since the server started, at the last byte read or written.
    last_active: Arc<AtomicU64>,
    /// Requests being answered on it.
    in_flight: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    open: HashMap<u64, Conn>,
}

impl Registry {
    /// The connection to close to make room: the one quiet the longest among those not answering a
    /// request.
    fn most_idle(&self) -> Option<u64> {
        self.open
            .iter()
            .filter(|(_, c)| c.in_flight.load(Ordering::SeqCst) == 0)
            .min_by_key(|(_, c)| c.last_active.load(Ordering::SeqCst))
            .map(|(id, _)| *id)
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let started = Instant::now();
    let registry = Arc::new(Mutex::new(Registry::default()));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let conn = Conn {
            last_active: Arc::new(AtomicU64::new(millis(started))),
            in_flight: Arc::new(AtomicUsize::new(0)),
            close: Arc::new(Notify::new()),
        };
        let id = {
            let mut registry = registry.lock().unwrap_or_else(|e| e.into_inner());
            if registry.open.len() >= limits.max_connections {
                match registry.most_idle() {
                    Some(victim) => {
                        if let Some(victim) = registry.open.remove(&victim) {
                            victim.close.notify_one();
                        }
                    }
                    // Every connection is answering a request: this one waits for none of them.
                    None => continue,
                }
            }
            registry.next_id += 1;
            let id = registry.next_id;
            registry.open.insert(
                id,
                Conn {
                    last_active: conn.last_active.clone(),
                    in_flight: conn.in_flight.clone(),
                    close: conn.close.clone(),
                },
            );
            id
        };
        let (app, registry) = (app.clone(), registry.clone());
        tokio::spawn(async move {
            serve_connection(stream, peer, app, limits, conn, started).await;
            registry
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .open
                .remove(&id);
        });
    }
}

fn millis(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    conn: Conn,
    started: Instant,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Tracked {
        inner: stream,
        last_active: conn.last_active.clone(),
        started,
    });
    let in_flight = conn.in_flight.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let guard = InFlight::new(in_flight.clone());
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await;
            drop(guard);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let check_every =
        (limits.idle_timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            () = conn.close.notified() => break,
            () = tokio::time::sleep(check_every) => {
                let quiet = millis(started).saturating_sub(conn.last_active.load(Ordering::SeqCst));
                if conn.in_flight.load(Ordering::SeqCst) == 0
                    && Duration::from_millis(quiet) >= limits.idle_timeout
                {
                    break;
                }
            }
        }
    }
    connection.as_mut().graceful_shutdown();
    // A connection told to close gets a moment to finish an answer, then is dropped.
    let _ = tokio::time::timeout(Duration::from_secs(1), connection).await;
}

/// Counts a request as in flight on its connection for as long as it lives.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn new(count: Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        InFlight(count)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A TCP stream that notes the time of its last byte read or written.
struct Tracked {
    inner: TcpStream,
    last_active: Arc<AtomicU64>,
    started: Instant,
}

impl Tracked {
    fn touch(&self) {
        self.last_active
            .store(millis(self.started), Ordering::SeqCst);
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        poll
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

//! The real server binary on a free port, and plain HTTP/1.1 over TCP to it: for the attacks that need
//! real connections (parallel bursts, idle sockets, forwarding headers, the server's memory).
#![allow(dead_code)] // Each test binary uses a different subset.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Server {
    pub addr: SocketAddr,
    child: Child,
    /// Everything the server printed (confirmation messages included).
    pub log: Arc<Mutex<Vec<String>>>,
    _dir: crate::common::TempDir,
}

impl Server {
    /// Starts the server over a fresh database (in memory, or a new PostgreSQL schema when the tests
    /// run on PostgreSQL) with these extra environment variables.
    pub async fn start(env: &[(&str, &str)]) -> Server {
        let database = crate::common::fresh_postgres_url()
            .await
            .unwrap_or_else(|| ":memory:".to_owned());
        Server::start_on(&database, env).await
    }

    /// Starts the server over `database` (several servers may share one).
    pub async fn start_on(database: &str, env: &[(&str, &str)]) -> Server {
        let dir = crate::common::temp_dir("live");
        let mut command = Command::new(env!("CARGO_BIN_EXE_rapport-server"));
        command
            .env_clear()
            .env("RAPPORT_PORT", "0")
            .env("RAPPORT_DB", database)
            .env("RAPPORT_PORTAL_DIR", dir.0.join("portal"))
            .env("RAPPORT_WIDGET_DIR", dir.0.join("widget"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Rapport is running at http://") {
                    let _ = tx.send(rest.trim_end_matches('/').to_owned());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)))
            .await
            .unwrap()
            .expect("the server says where it runs");
        Server {
            addr: addr.parse().unwrap(),
            child,
            log,
            _dir: dir,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A line of `/proc/<pid>/status` in kB (`VmHWM` is the peak resident memory, `VmRSS` the current).
    pub fn memory_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in {status}"))
    }

    pub fn log_lines(&self, containing: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(containing))
            .count()
    }

    pub async fn send(&self, request: Req) -> Resp {
        send(self.addr, request).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request to send: method, path, extra headers and a body (sent as JSON when not empty).
#[derive(Clone, Debug, Default)]
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Req {
    pub fn new(method: &'static str, path: impl Into<String>) -> Self {
        Req {
            method,
            path: path.into(),
            ..Req::default()
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Req::new("GET", path)
    }

    pub fn post_json(path: impl Into<String>, body: serde_json::Value) -> Self {
        Req {
            body: body.to_string(),
            ..Req::new("POST", path)
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn cookie(self, cookie: &str) -> Self {
        self.header("cookie", cookie)
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The `name=value` part of the first `Set-Cookie`.
    pub fn cookie(&self) -> Option<String> {
        self.header("set-cookie")
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
    }
}

/// The raw bytes of a request, closing the connection after the answer.
pub fn encode(request: &Req, host: SocketAddr) -> Vec<u8> {
    let mut text = format!(
        "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        request.method, request.path
    );
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if !request.body.is_empty() || request.method != "GET" {
        if !request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            text.push_str("Content-Type: application/json\r\n");
        }
        text.push_str(&format!("Content-Length: {}\r\n", request.body.len()));
    }
    text.push_str("\r\n");
    text.push_str(&request.body);
    text.into_bytes()
}

/// Sends one request on a new connection and reads the whole answer. A connection the server refuses
/// or closes without an answer is status 0.
pub async fn send(addr: SocketAddr, request: Req) -> Resp {
    let failed = |why: String| Resp {
        status: 0,
        headers: Vec::new(),
        body: why,
    };
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return failed("connect failed".into());
    };
    if let Err(e) = stream.write_all(&encode(&request, addr)).await {
        return failed(e.to_string());
    }
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw).await {
        if raw.is_empty() {
            return failed(e.to_string());
        }
    }
    parse(&raw).unwrap_or_else(|| failed(String::from_utf8_lossy(&raw).into_owned()))
}

/// Parses an HTTP/1.1 answer (a `Content-Length` or chunked body).
pub fn parse(raw: &[u8]) -> Option<Resp> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = body.as_slice();
        while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?, 16).ok()?;
            if size == 0 {
                break;
            }
            let start = line_end + 2;
            out.extend_from_slice(rest.get(start..start + size)?);
            rest = rest.get(start + size + 2..)?;
        }
        body = out;
    }
    Some(Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Runs `n` requests at once (each on its own connection and task) and returns the answers in order.
pub async fn burst<F>(n: usize, make: F) -> Vec<Resp>
where
    F: Fn(usize) -> (SocketAddr, Req),
{
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (addr, request) = make(i);
            tokio::spawn(async move { send(addr, request).await })
        })
        .collect();
    let mut answers = Vec::with_capacity(n);
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// Counts of each status among answers, for messages and tables.
pub fn tally(answers: &[Resp]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for answer in answers {
        *counts.entry(answer.status).or_insert(0) += 1;
    }
    counts
}

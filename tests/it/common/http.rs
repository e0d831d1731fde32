//! A tiny blocking HTTP/1.1 client on `TcpStream`, and a `serve` process that is stopped when
//! dropped: enough to test the server the way a browser meets it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(address: &str) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect to serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream
}

/// GET `path`; the server closes the connection after the answer.
pub(crate) fn get(address: &str, path: &str) -> Response {
    get_with_host(address, path, Some(address))
}

/// GET `path` with the given `Host` header (or none), as another website's page would send it.
pub(crate) fn get_with_host(address: &str, path: &str, host: Option<&str>) -> Response {
    let mut stream = connect(address);
    let host_line = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n"
    )
    .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

/// The `data:` lines of a server-sent event stream, as they arrive.
pub(crate) fn events(address: &str, path: &str) -> Receiver<String> {
    let mut stream = connect(address);
    stream.set_read_timeout(None).expect("no timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n").expect("send request");
    let (send, receive) = channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data:") {
                if send.send(data.trim().to_owned()).is_err() {
                    return;
                }
            }
        }
    });
    receive
}

/// Polls `check` until it returns `Some`, or panics after `limit` with `what`.
pub(crate) fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `reprisals-site serve`, killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub address: String,
    stderr: Receiver<String>,
    /// What `stderr_so_far` has taken from `stderr` already.
    stderr_seen: std::cell::RefCell<Vec<String>>,
}

impl Server {
    pub(crate) fn start(root: &Path, date: &str) -> Server {
        Server::start_with(root, date, &[])
    }

    /// `serve` with more arguments, for example `--drafts`.
    pub(crate) fn start_with(root: &Path, date: &str, args: &[&str]) -> Server {
        let mut child = Command::new(super::BIN)
            .args(["serve", "--port", "0", "--build-date", date, "--root"])
            .arg(root)
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (send_err, stderr_lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send_err.send(line);
            }
        });
        let (send, receive) = channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = send.send(line);
            }
            // Keep reading so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let line = receive
            .recv_timeout(Duration::from_secs(120))
            .expect("serve printed its address");
        let address = line
            .strip_prefix("serving http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_owned();
        Server {
            child,
            address,
            stderr: stderr_lines,
            stderr_seen: Default::default(),
        }
    }

    pub(crate) fn get(&self, path: &str) -> Response {
        get(&self.address, path)
    }

    /// Everything the server printed on stderr so far.
    /// Lines read before are kept: a caller polling for a late line still sees the early ones.
    pub(crate) fn stderr_so_far(&self) -> String {
        let mut seen = self.stderr_seen.borrow_mut();
        seen.extend(self.stderr.try_iter());
        seen.join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

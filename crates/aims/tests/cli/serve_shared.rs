//! Two `aims serve` processes over one store, as behind a load balancer: everything stateful lives in the
//! database, so a session opened on one process works on the other, an API token created by the CLI works on
//! both, a record written through one is read through the other, and a stale `If-Match` is refused with 412 even
//! when the newer version was written by the other process. Runs on every backend (PostgreSQL is the intended
//! deployment; a shared SQLite file must behave the same).

use crate::common::{BIN, run_in};
use aims_app::test_store::testing::{TestDb, backends};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `aims serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn serve(db: &str, demo: bool, dir: &std::path::Path) -> Server {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut args = vec!["--database", db, "serve", "--bind", &bind];
    if demo {
        args.push("--demo");
    }
    let child = Command::new(BIN)
        .args(&args)
        .current_dir(dir)
        .env_remove("AIMS_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aims serve");
    let server = Server { child, port };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if let Ok(r) = request(port, "GET", "/readyz", &[], None)
            && r.status == 200
        {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("aims serve on port {port} did not become ready");
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A minimal HTTP/1.1 request over a fresh connection (`Connection: close`).
fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.map(|(ct, b)| {
        req.push_str(&format!(
            "Content-Type: {ct}\r\nContent-Length: {}\r\n",
            b.len()
        ));
        b
    });
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(&b);
    }
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

#[test]
fn two_servers_share_sessions_tokens_records_and_versions() {
    for backend in backends() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let db = rt.block_on(TestDb::new(backend)).expect("scratch database");
        let dir = tempfile::tempdir().expect("dir");
        let a = serve(&db.url, true, dir.path());
        let b = serve(&db.url, false, dir.path());
        let cli = |args: &[&str]| run_in(dir.path(), Some(&db.url), args, &[]).ok().stdout;

        // A token made by the CLI works on both processes.
        let out = cli(&[
            "token",
            "create",
            "--user",
            "maria.keller@northwind-lending.example",
            "--name",
            "lb",
            "--days",
            "1",
        ]);
        let token = out
            .split_whitespace()
            .find(|w| w.starts_with("aims_"))
            .expect("token printed")
            .to_string();
        let bearer = format!("Bearer {token}");
        let auth = [("Authorization", bearer.as_str())];

        // Written through A, read through B.
        let body = json!({"name": "Shared-store check", "purpose": "Written on one server, read on the other."});
        let created = request(
            a.port,
            "POST",
            "/api/v1/ai-systems",
            &auth,
            Some(("application/json", body.to_string())),
        )
        .expect("POST on A");
        assert_eq!(created.status, 201, "{backend:?}: {}", created.body);
        let id = created.json()["id"].as_str().expect("id").to_string();
        let path = format!("/api/v1/ai-systems/{id}");
        let read = request(b.port, "GET", &path, &auth, None).expect("GET on B");
        assert_eq!(read.status, 200, "{}", read.body);
        assert_eq!(read.json()["name"], "Shared-store check");
        let etag_v1 = read.header("etag").expect("ETag").to_string();

        // Updated through B; A then refuses the stale version with 412.
        let mut changed = read.json();
        for k in ["id", "version", "created_at", "updated_at"] {
            changed.as_object_mut().unwrap().remove(k);
        }
        let mut put_v1 = |port: u16, owner: &str| {
            changed["owner"] = json!(owner);
            let headers = [
                ("Authorization", bearer.as_str()),
                ("If-Match", etag_v1.as_str()),
            ];
            request(
                port,
                "PUT",
                &path,
                &headers,
                Some(("application/json", changed.to_string())),
            )
        };
        let put = put_v1(b.port, "Server B").expect("PUT on B");
        assert_eq!(put.status, 200, "{}", put.body);
        let stale = put_v1(a.port, "Server A, stale").expect("PUT on A");
        assert_eq!(stale.status, 412, "{backend:?}: {}", stale.body);
        let now = request(a.port, "GET", &path, &auth, None).expect("GET on A");
        assert_eq!(now.json()["owner"], "Server B");

        // A session opened on A is valid on B.
        let login = request(
            a.port,
            "POST",
            "/login",
            &[("Cookie", "aims_login_csrf=shared-check-csrf")],
            Some((
                "application/x-www-form-urlencoded",
                "email=elif.aydin%40northwind-lending.example&password=demo-aims-2026%21&csrf=shared-check-csrf"
                    .to_string(),
            )),
        )
        .expect("sign in on A");
        assert!(
            login.status == 303 || login.status == 302,
            "{}: {}",
            login.status,
            login.body
        );
        let session = login
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .find_map(|(_, v)| v.strip_prefix("aims_session="))
            .and_then(|v| v.split(';').next())
            .filter(|v| !v.is_empty())
            .expect("session cookie")
            .to_string();
        let cookie = format!("aims_session={session}");
        let with_session = [("Cookie", cookie.as_str())];
        let page = request(b.port, "GET", "/systems", &with_session, None).expect("page on B");
        assert_eq!(page.status, 200, "the session from A signs in on B");
        assert!(page.body.contains("Shared-store check"));

        let api = request(
            b.port,
            "GET",
            "/api/v1/ai-systems?limit=1",
            &with_session,
            None,
        )
        .expect("API with session on B");
        assert_eq!(api.status, 200, "{}", api.body);
        drop(a);
        drop(b);
        assert!(cli(&["verify"]).contains("intact"), "{backend:?}");
    }
}

//! Load test of listing AI systems: a store with the demo organization plus 10,000 AI systems, the real server
//! on a loopback port in this process, and `wrk` (Debian's package) as the load generator with 16 connections.
//! Prints requests/s and the latency distribution, and the server's memory when idle.
//!
//! `cargo bench -p aims-web --bench list_load` (SQLite). Environment: `AIMS_LOAD_PATH` (default
//! `/api/v1/ai-systems?limit=50`), `AIMS_LOAD_SYSTEMS` (default 10000), `AIMS_LOAD_SECONDS` (default 20),
//! `AIMS_LOAD_DB` (`postgres://…` to run on PostgreSQL; default a temporary SQLite file), `AIMS_LOAD_RISKS`
//! (default 0: risks added to the register, each assessed, for `/risks` and `/`).
//!
//! The risk register: `AIMS_LOAD_RISKS=10000 AIMS_LOAD_SYSTEMS=100 AIMS_LOAD_PATH=/risks cargo bench -p aims-web
//! --bench list_load`.

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aims_app::demo::{DEMO_PASSWORD, seed_demo};
use aims_app::{Actor, App};
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{Risk, RiskAssessment, Score};
use aims_web::AppState;
use std::sync::Arc;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

fn main() {
    let n: usize = env_or("AIMS_LOAD_SYSTEMS", "10000")
        .parse()
        .unwrap_or(10_000);
    let seconds = env_or("AIMS_LOAD_SECONDS", "20");
    let path = env_or("AIMS_LOAD_PATH", "/api/v1/ai-systems?limit=50");
    let dir = std::env::temp_dir().join(format!("aims-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url =
        std::env::var("AIMS_LOAD_DB").unwrap_or_else(|_| dir.join("aims.db").display().to_string());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let app = App::open_or_create(&url).await.expect("store");
        let info = seed_demo(&app).await.expect("demo").expect("empty store");
        let org = info.organization.org_id();
        let actor = Actor::operator("load");
        let start = std::time::Instant::now();
        for i in 0..n {
            let mut s = AiSystem::new(
                &format!("Load system {i:05}"),
                "A system created for the load test.",
            );
            s.owner = format!("Owner {}", i % 37);
            s.business_unit = format!("Unit {}", i % 11);
            s.lifecycle_stage = ["design", "development", "operation"][i % 3].to_string();
            app.create_record(&actor, &org, s).await.expect("add");
        }
        eprintln!(
            "seeded {n} AI systems in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        let risks: usize = env_or("AIMS_LOAD_RISKS", "0").parse().unwrap_or(0);
        let start = std::time::Instant::now();
        for i in 0..risks {
            let score = |l: usize, m: usize| Score {
                likelihood: (l % 5 + 1) as i64,
                impact: (m % 5 + 1) as i64,
            };
            let r = Risk {
                title: format!("Load risk {i:05}"),
                description: "A risk created for the load test.".into(),
                system_ids: vec![],
                sources: vec!["C.3.4".into()],
                objectives: vec!["C.2.5".into()],
                owner: format!("Owner {}", i % 37),
                review_date: "2027-01-31".into(),
                status: ["open", "treating", "accepted", "closed"][i % 4].into(),
                raised_from: vec![],
                assessments: vec![RiskAssessment {
                    date: "2026-11-01".into(),
                    assessor: "load".into(),
                    method_version: 0,
                    inherent: score(i, i / 5),
                    current: score(i / 2, i / 7),
                    residual: score(i / 3, i / 11),
                    levels: Default::default(),
                    dimensions: vec![],
                    note: String::new(),
                }],
            };
            app.create_record(&actor, &org, r).await.expect("add risk");
        }
        if risks > 0 {
            eprintln!(
                "seeded {risks} risks in {:.1} s",
                start.elapsed().as_secs_f64()
            );
        }
        let signed = app
            .sign_in("maria.keller@northwind-lending.example", DEMO_PASSWORD)
            .await
            .expect("sign in")
            .expect("credentials");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = AppState {
            app: app.clone(),
            secure_cookies: false,
            metrics: Arc::new(Default::default()),
        };
        tokio::spawn(aims_web::serve(state, listener));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        println!("server RSS after seeding, before load: {} KiB", rss_kib());
        let target = format!("http://{addr}{path}");
        let out = tokio::process::Command::new("wrk")
            .args(["-t2", "-c16", &format!("-d{seconds}s"), "--latency", "-H"])
            .arg(format!("Cookie: aims_session={}", signed.token))
            .arg(&target)
            .output()
            .await
            .expect("wrk must be installed (Debian package wrk)");
        println!("wrk -t2 -c16 -d{seconds}s --latency {target}");
        println!("{}", String::from_utf8_lossy(&out.stdout));
        println!("server RSS after load: {} KiB", rss_kib());
    });
    let _ = std::fs::remove_dir_all(&dir);
}

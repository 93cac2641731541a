//! Inventory import benchmark: 100,000 AI systems imported with `App::import_systems` (what `aims system import`
//! runs), each create validated and appended to the hash-chained change log, all in one transaction. Prints the
//! time and the rate, then verifies the store. Compare with the store's `changelog` benchmark, where every change
//! is its own transaction.
//!
//! `cargo bench -p aims-app --bench import` on SQLite (AIMS_BENCH_N changes the count); AIMS_BENCH_PG_URL runs
//! it on PostgreSQL in a fresh database as well.

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aims_app::orgs::InitInput;
use aims_app::{Actor, App};
use aims_domain::inventory::AiSystem;
use aims_store::Backend;
use aims_store::testing::TestDb;
use std::time::Instant;

async fn run(backend: Backend, n: usize) {
    let db = TestDb::new(backend).await.expect("database");
    let app = App::open_or_create(&db.url).await.expect("open");
    let actor = Actor::operator("bench");
    let init = app
        .init(
            &actor,
            InitInput {
                org_name: "Bench Org".into(),
                org_slug: None,
                admin_email: "admin@bench.test".into(),
                admin_name: "Admin".into(),
                admin_password: Some("bench-password-2026".into()),
            },
        )
        .await
        .expect("init");
    let org = init.organization.org_id();
    let systems: Vec<AiSystem> = (0..n)
        .map(|i| {
            let mut s = AiSystem::new(
                &format!("System {i:06}"),
                "Scores incoming requests so that staff handle the urgent ones first.",
            );
            s.owner = format!("Owner {}", i % 97);
            s.business_unit = format!("Unit {}", i % 13);
            s.lifecycle_stage = "operation".into();
            s.affected_parties = vec!["customers".into(), "staff".into()];
            s
        })
        .collect();
    let start = Instant::now();
    let stored = app
        .import_systems(&actor, &org, systems)
        .await
        .expect("import");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{backend:?}: imported {} AI systems (one logged change each) in {secs:.1} s = {:.0} changes/s",
        stored.len(),
        stored.len() as f64 / secs
    );
    let start = Instant::now();
    let report = app.verify(&actor, None).await.expect("verify");
    let secs = start.elapsed().as_secs_f64();
    assert!(report.intact(), "{:?}", report.problems);
    println!(
        "{backend:?}: verified {} log entries in {secs:.2} s = {:.0} entries/s",
        report.entries_checked,
        report.entries_checked as f64 / secs
    );
}

fn main() {
    let n = std::env::var("AIMS_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(Backend::Sqlite, n));
    if let Ok(url) = std::env::var("AIMS_BENCH_PG_URL") {
        // SAFETY: set before any PostgreSQL connection is made; no other thread reads the environment.
        unsafe { std::env::set_var("AIMS_TEST_PG_URL", url) };
        rt.block_on(run(Backend::Postgres, n));
    }
}

//! Change-log benchmark: writes N logged changes (each in its own transaction, as the CLI and API do) and then
//! verifies the whole store. Prints writes per second and verified entries per second.
//!
//! `cargo bench -p aims-store --bench changelog` (SQLite; N = 100000, or AIMS_BENCH_N). Set AIMS_BENCH_PG_URL to
//! a PostgreSQL server URL to run the same on PostgreSQL in a fresh database.

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

use aims_store::Backend;
use aims_store::spec::CONTEXT_ISSUES;
use aims_store::testing::TestDb;
use std::time::Instant;
use support::{issue_data, open_store};

const ORG: &str = "0190a000-0000-7000-8000-0000000000be";

async fn run(backend: Backend, n: usize) {
    let db = TestDb::new(backend).await.expect("database");
    let store = open_store(&db, true).await;
    let start = Instant::now();
    let mut ids: Vec<(String, i64)> = Vec::with_capacity(n / 2);
    for i in 0..n {
        let mut tx = store.begin_write().await.expect("begin");
        if i % 2 == 1 && !ids.is_empty() {
            // Every other change updates an earlier record, so the log holds creates and updates.
            let k = (i / 2) % ids.len();
            let (id, version): (String, i64) = ids[k].clone();
            let data = issue_data("internal", &format!("issue {i} (edited)"), true);
            let row = tx
                .update(&CONTEXT_ISSUES, ORG, "bench", &id, Some(version), data)
                .await
                .expect("update");
            ids[k].1 = row.version();
        } else {
            let id = uuid::Uuid::now_v7().to_string();
            let data = issue_data("external", &format!("issue {i}"), false);
            tx.insert(&CONTEXT_ISSUES, ORG, "bench", &id, data)
                .await
                .expect("insert");
            ids.push((id, 1));
        }
        tx.commit().await.expect("commit");
    }
    let write = start.elapsed();
    // Verify three times and report the median, to damp the noise of a shared virtual machine.
    let mut runs = Vec::new();
    let mut report = None;
    for _ in 0..3 {
        let start = Instant::now();
        report = Some(store.verify(None).await.expect("verify"));
        runs.push(start.elapsed());
    }
    runs.sort();
    let verify = runs[1];
    let report = report.expect("three runs");
    assert!(report.intact(), "{:?}", report.problems);
    assert_eq!(report.entries_checked as usize, n);
    println!(
        "{backend:?}: wrote {n} logged changes in {:.2} s ({:.0} changes/s); verified {} entries and {} records in {:.3} s ({:.0} entries/s)",
        write.as_secs_f64(),
        n as f64 / write.as_secs_f64(),
        report.entries_checked,
        report.records_checked,
        verify.as_secs_f64(),
        report.entries_checked as f64 / verify.as_secs_f64(),
    );
    store.close().await;
}

fn main() {
    let n: usize = std::env::var("AIMS_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let pg = std::env::var("AIMS_BENCH_PG_URL").ok();
    if let Some(url) = &pg {
        // SAFETY: no other thread exists yet (the runtime is built below); TestDb reads this variable.
        unsafe { std::env::set_var("AIMS_TEST_PG_URL", url) };
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(Backend::Sqlite, n));
    if pg.is_some() {
        rt.block_on(run(Backend::Postgres, n));
    }
}

//! Statement of Applicability benchmark: computes the SoA of an organization with 10,000 AI systems and
//! 100,000 risks, each risk with a treatment plan naming one to three Annex A controls, plus a decision for every
//! Annex A control. Prints the time of each computation (the same `App::soa` the CLI, API and web page call).
//!
//! `cargo bench -p aims-app --bench soa` on SQLite. AIMS_BENCH_SYSTEMS and AIMS_BENCH_RISKS change the sizes;
//! AIMS_BENCH_PG_URL runs it on PostgreSQL in a fresh database. The data is written through the store's logged
//! insert in one transaction per thousand records (setup time is printed but is not what is measured).

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aims_app::records;
use aims_app::{Actor, App};
use aims_domain::controls::{ControlImplementation, InclusionReason};
use aims_domain::inventory::AiSystem;
use aims_domain::risk::{AssessedLevels, Risk, RiskAssessment, Score, Treatment};
use aims_store::Backend;
use aims_store::spec::{AI_SYSTEMS, CONTROL_IMPLEMENTATIONS, ORGANIZATIONS, RISKS, TREATMENTS};
use aims_store::testing::TestDb;
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run(backend: Backend, systems: usize, risks: usize) {
    let db = TestDb::new(backend).await.expect("database");
    let app = App::open_or_create(&db.url).await.expect("open");
    let actor = Actor::operator("bench");
    // The bench writes its data below the use cases, through a second handle on the same database.
    let store = aims_store::Store::open(&db.url, aims_store::OpenOptions::default())
        .await
        .expect("store");
    let controls: Vec<String> = aims_app::catalogue::builtin()
        .expect("catalogue")
        .refs("control");
    let setup = Instant::now();
    let org = aims_app::OrgId::from(aims_domain::new_id());
    {
        let mut tx = store.begin_write().await.expect("begin");
        let o = serde_json::json!({
            "name": "Bench Org", "slug": "bench", "legal_name": "", "sector": "", "size": "",
            "jurisdictions": [], "description": "", "ai_roles": [], "website": ""
        });
        tx.insert(
            &ORGANIZATIONS,
            &org,
            "bench",
            &org,
            aims_store::records::data_from_json(&ORGANIZATIONS, &o).expect("org"),
        )
        .await
        .expect("org");
        for c in &controls {
            let ci = ControlImplementation {
                control: c.clone(),
                title: String::new(),
                status: "implemented".into(),
                owner: "Owner".into(),
                description: "How it is met.".into(),
                justification: String::new(),
                reasons: vec![InclusionReason {
                    kind: "business".into(),
                    reference: "policy".into(),
                    note: String::new(),
                }],
                inherited: None,
                evidence: vec![],
                target_date: String::new(),
            };
            records::insert(&mut tx, &CONTROL_IMPLEMENTATIONS, &org, "bench", &ci)
                .await
                .expect("control");
        }
        tx.commit().await.expect("commit");
    }
    let mut system_ids = Vec::with_capacity(systems);
    for chunk in 0..systems.div_ceil(1000) {
        let mut tx = store.begin_write().await.expect("begin");
        for i in chunk * 1000..((chunk + 1) * 1000).min(systems) {
            let mut s = AiSystem::new(&format!("System {i:05}"), "Benchmark system.");
            s.org_role = if i % 3 == 0 { "developer" } else { "deployer" }.into();
            let stored = records::insert(&mut tx, &AI_SYSTEMS, &org, "bench", &s)
                .await
                .expect("system");
            system_ids.push(stored.id);
        }
        tx.commit().await.expect("commit");
    }
    let score = |l, i| Score {
        likelihood: l,
        impact: i,
    };
    for chunk in 0..risks.div_ceil(1000) {
        let mut tx = store.begin_write().await.expect("begin");
        for i in chunk * 1000..((chunk + 1) * 1000).min(risks) {
            let r = Risk {
                title: format!("Risk {i:06}"),
                description: "A benchmark risk with a short description.".into(),
                system_ids: vec![system_ids[i % system_ids.len()].to_string()],
                sources: vec!["C.3.4".into()],
                objectives: vec!["C.2.5".into()],
                owner: "Risk owner".into(),
                review_date: "2027-01-31".into(),
                status: "treating".into(),
                raised_from: vec![],
                assessments: vec![RiskAssessment {
                    date: "2026-11-01".into(),
                    assessor: "bench".into(),
                    method_version: 1,
                    inherent: score(4, 4),
                    current: score(3, 3),
                    residual: score(2, 2),
                    levels: AssessedLevels {
                        inherent: "high".into(),
                        current: "medium".into(),
                        residual: "low".into(),
                    },
                    dimensions: vec![],
                    note: String::new(),
                }],
            };
            let risk = records::insert(&mut tx, &RISKS, &org, "bench", &r)
                .await
                .expect("risk");
            let chosen: Vec<String> = (0..=(i % 3))
                .map(|k| controls[(i * 7 + k * 11) % controls.len()].clone())
                .collect();
            let t = Treatment {
                risk_id: risk.id.into(),
                option: "modify".into(),
                description: "Benchmark plan.".into(),
                controls: chosen,
                tasks: vec![],
                status: "in_progress".into(),
                acceptance: None,
            };
            records::insert(&mut tx, &TREATMENTS, &org, "bench", &t)
                .await
                .expect("treatment");
        }
        tx.commit().await.expect("commit");
    }
    println!(
        "{backend:?}: {systems} AI systems, {risks} risks and {risks} treatment plans written in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    let mut lines = 0;
    for _ in 0..12 {
        let start = Instant::now();
        let soa = app.soa(&actor, &org).await.expect("soa");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        lines = soa.entries.len();
        assert!(
            soa.risks.len() == risks,
            "every treated risk is in the plan"
        );
    }
    // Where the time goes: the two large reads on their own.
    for _ in 0..3 {
        let mut tx = store.begin_snapshot().await.expect("snapshot");
        let t0 = Instant::now();
        let n = tx.treated_risks(&org).await.expect("treatments").len();
        let t1 = Instant::now();
        let m = tx
            .project(&CONTROL_IMPLEMENTATIONS, &org, &["control"])
            .await
            .expect("controls")
            .len();
        let t2 = Instant::now();
        tx.commit().await.expect("commit");
        println!(
            "{backend:?}: read {n} treatment plans with their risks in {:.0} ms, {m} control decisions in {:.0} ms",
            (t1 - t0).as_secs_f64() * 1000.0,
            (t2 - t1).as_secs_f64() * 1000.0
        );
    }
    // The first run warms the caches; report the rest.
    let mut warm = times[1..].to_vec();
    warm.sort_by(f64::total_cmp);
    println!(
        "{backend:?}: SoA of {lines} lines computed {} times: first {:.0} ms, then min {:.0} ms, median {:.0} ms, max {:.0} ms",
        times.len(),
        times[0],
        warm[0],
        warm[warm.len() / 2],
        warm[warm.len() - 1]
    );
}

fn main() {
    let systems = env_usize("AIMS_BENCH_SYSTEMS", 10_000);
    let risks = env_usize("AIMS_BENCH_RISKS", 100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(Backend::Sqlite, systems, risks));
    if let Ok(url) = std::env::var("AIMS_BENCH_PG_URL") {
        // SAFETY: single-threaded at this point apart from the runtime's idle workers, which read no env.
        unsafe { std::env::set_var("AIMS_TEST_PG_URL", url) };
        rt.block_on(run(Backend::Postgres, systems, risks));
    }
}

//! Storage conformance suite: every test runs unchanged on SQLite and, when `AIMS_TEST_PG_URL` is set, on
//! PostgreSQL. It covers the generic record path, organization isolation, optimistic concurrency, the change
//! log and its tamper detection, concurrent writers, migrations, the catalogue, and backup/restore across
//! backends.

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use aims_store::changelog::VerifyReport;
use aims_store::spec::{
    AI_SYSTEMS, ALL_TABLES, CONTEXT_ISSUES, IMPACT_ASSESSMENTS, INTERESTED_PARTIES, RISKS,
    TableKind, TableSpec,
};
use aims_store::testing::{TestDb, backends};
use aims_store::value::{Kind, Value};
use aims_store::{Backend, OpenOptions, Store, StoreError};
use sqlx::{AssertSqlSafe, Connection, Row};
use support::{issue_data, open_store};

const ORG_A: &str = "0190a000-0000-7000-8000-00000000000a";
const ORG_B: &str = "0190a000-0000-7000-8000-00000000000b";

async fn open(db: &TestDb) -> Store {
    open_store(db, true).await
}

fn issue(title: &str) -> Vec<Value> {
    issue_data("external", title, false)
}

fn system(name: &str) -> Vec<Value> {
    let data = serde_json::json!({
        "name": name, "purpose": "p", "intended_use": "", "foreseeable_misuse": "", "owner": "", "business_unit": "",
        "lifecycle_stage": "idea", "org_role": "deployer", "in_scope": true, "automation_level": "",
        "human_oversight": "", "oversight_notes": "", "affected_parties": ["customers"], "data_resources": [],
        "models": [], "tooling": [], "compute": [], "people": [], "components": [], "custom_fields": {},
        "retired_on": "", "retired_reason": ""
    });
    aims_store::records::data_from_json(&AI_SYSTEMS, &data).expect("valid data")
}

/// The titles of listed rows, in order.
fn titles(rows: &[aims_store::Row]) -> Vec<String> {
    rows.iter()
        .map(|r| r.get("title").unwrap().as_text().to_string())
        .collect()
}

/// The titles of the demo organization's rows of `table` that `q` lists, in order.
async fn list_titles(
    store: &Store,
    table: &'static TableSpec,
    q: &aims_store::ListQuery,
) -> Vec<String> {
    titles(&store.list(table, ORG_A, q).await.unwrap())
}

/// The query `q` continued after `row` (an id cursor).
fn continued_after(row: &aims_store::Row, q: aims_store::ListQuery) -> aims_store::ListQuery {
    aims_store::ListQuery {
        after_id: Some(row.id().to_string()),
        ..q
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Runs raw SQL behind the application's back, as someone with sqlite3 or psql would.
async fn raw(db: &TestDb, sql: &str) {
    match db.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.url))
                .await
                .expect("connect");
            sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                .execute(&mut c)
                .await
                .expect("raw sql");
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.expect("connect");
            sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                .execute(&mut c)
                .await
                .expect("raw sql");
        }
    }
}

async fn add_issue(store: &Store, org: &str, title: &str) -> String {
    let id = new_id();
    let mut tx = store.begin_write().await.expect("begin");
    tx.insert(&CONTEXT_ISSUES, org, "tester", &id, issue(title))
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    id
}

/// Runs `sql` behind the store's back, then verifies every chain of the store: what it finds.
async fn tamper(store: &Store, db: &TestDb, sql: &str) -> VerifyReport {
    raw(db, sql).await;
    store.verify(None).await.unwrap()
}

/// Asserts that some problem of `report` mentions `needle`.
#[track_caller]
fn assert_problem(report: &VerifyReport, needle: &str) {
    assert!(
        report.problems.iter().any(|p| p.message.contains(needle)),
        "{needle} in {:?}",
        report.problems
    );
}

/// Retitles the context issue `id` at `version`, in a transaction of its own.
async fn edit_issue(store: &Store, org: &str, id: &str, version: i64, title: &str) {
    let mut tx = store.begin_write().await.expect("begin");
    tx.update(&CONTEXT_ISSUES, org, "t", id, Some(version), issue(title))
        .await
        .expect("update");
    tx.commit().await.expect("commit");
}

macro_rules! on_both {
    ($name:ident, $body:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for backend in backends() {
                let db = TestDb::new(backend).await.expect("test database");
                let body = $body;
                body(db).await;
            }
        }
    };
}

on_both!(
    schema_matches_the_table_descriptions,
    |db: TestDb| async move {
        let store = open(&db).await;
        for spec in ALL_TABLES {
            let cols: Vec<(String, String)> = match db.backend {
                Backend::Sqlite => {
                    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.url))
                        .await
                        .expect("connect");
                    sqlx::query(AssertSqlSafe(format!(
                        "SELECT name, type FROM pragma_table_info('{}') ORDER BY cid",
                        spec.name
                    )))
                    .fetch_all(&mut c)
                    .await
                    .expect("pragma")
                    .iter()
                    .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
                    .collect()
                }
                Backend::Postgres => {
                    let mut c = sqlx::PgConnection::connect(&db.url).await.expect("connect");
                    sqlx::query("SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position")
                    .bind(spec.name).fetch_all(&mut c).await.expect("columns")
                    .iter().map(|r| (r.get::<String, _>(0), r.get::<String, _>(1))).collect()
                }
            };
            let want: Vec<(String, String)> = spec
                .columns
                .iter()
                .map(|c| {
                    let ty = match (db.backend, c.kind) {
                        (Backend::Sqlite, Kind::Text | Kind::Json) => "TEXT",
                        (Backend::Sqlite, _) => "INTEGER",
                        (Backend::Postgres, Kind::Text | Kind::Json) => "text",
                        (Backend::Postgres, Kind::Bool) => "boolean",
                        (Backend::Postgres, _) => "bigint",
                    };
                    (c.name.to_string(), ty.to_string())
                })
                .collect();
            assert_eq!(cols, want, "table {} on {:?}", spec.name, db.backend);
        }
        store.close().await;
    }
);

on_both!(
    records_round_trip_with_versions_and_isolation,
    |db: TestDb| async move {
        let store = open(&db).await;
        let id = new_id();
        let mut tx = store.begin_write().await.unwrap();
        let row = tx
            .insert(&AI_SYSTEMS, ORG_A, "alice", &id, system("Credit scoring"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(row.version(), 1);
        let got = store
            .get(&AI_SYSTEMS, ORG_A, &id)
            .await
            .unwrap()
            .expect("found");
        assert_eq!(
            got.data_json()["affected_parties"],
            serde_json::json!(["customers"])
        );
        assert_eq!(got.content_hash(), row.content_hash());
        assert!(
            store.get(&AI_SYSTEMS, ORG_B, &id).await.unwrap().is_none(),
            "other organization sees nothing"
        );

        let mut tx = store.begin_write().await.unwrap();
        let updated = tx
            .update(
                &AI_SYSTEMS,
                ORG_A,
                "bob",
                &id,
                Some(1),
                system("Credit scoring v2"),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(updated.version(), 2);

        let mut tx = store.begin_write().await.unwrap();
        let stale = tx
            .update(&AI_SYSTEMS, ORG_A, "carol", &id, Some(1), system("stale"))
            .await;
        assert!(
            matches!(
                stale,
                Err(StoreError::Conflict {
                    expected: 1,
                    found: 2,
                    ..
                })
            ),
            "{stale:?}"
        );
        let cross = tx
            .update(&AI_SYSTEMS, ORG_B, "mallory", &id, None, system("x"))
            .await;
        assert!(matches!(cross, Err(StoreError::NotFound { .. })));
        drop(tx);

        let hist = store.history(ORG_A, "ai_system", &id).await.unwrap();
        assert_eq!(
            hist.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            vec!["create", "update"]
        );
        assert_eq!(hist[1].actor, "bob");
        assert!(
            store
                .history(ORG_B, "ai_system", &id)
                .await
                .unwrap()
                .is_empty()
        );

        let mut tx = store.begin_write().await.unwrap();
        tx.delete(&AI_SYSTEMS, ORG_A, "bob", &id, Some(2))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(store.get(&AI_SYSTEMS, ORG_A, &id).await.unwrap().is_none());
        let report = store.verify(None).await.unwrap();
        assert!(report.intact(), "{:?}", report.problems);
        assert_eq!(report.entries_checked, 3);
        store.close().await;
    }
);

on_both!(lists_filter_search_sort_and_page, |db: TestDb| async move {
    let store = open(&db).await;
    for name in ["Delta", "alpha", "Charlie", "bravo_1", "bravo%2"] {
        let mut tx = store.begin_write().await.unwrap();
        tx.insert(&AI_SYSTEMS, ORG_A, "t", &new_id(), system(name))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let mut tx = store.begin_write().await.unwrap();
    tx.insert(
        &AI_SYSTEMS,
        ORG_B,
        "t",
        &new_id(),
        system("alpha other org"),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let q = aims_store::ListQuery {
        order_by: Some("name"),
        limit: Some(2),
        ..Default::default()
    };
    let page1 = store.list(&AI_SYSTEMS, ORG_A, &q).await.unwrap();
    let names = |rows: &[aims_store::Row]| {
        rows.iter()
            .map(|r| r.get("name").unwrap().as_text().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&page1),
        vec!["Charlie", "Delta"],
        "byte order, same on both backends"
    );
    let last = page1.last().unwrap();
    let q2 = aims_store::ListQuery {
        after: Some((last.get("name").unwrap().clone(), last.id().to_string())),
        ..q.clone()
    };
    assert_eq!(
        names(&store.list(&AI_SYSTEMS, ORG_A, &q2).await.unwrap()),
        vec!["alpha", "bravo%2"]
    );
    let search = aims_store::ListQuery {
        search: Some((vec!["name"], "BRAVO%".into())),
        ..Default::default()
    };
    assert_eq!(
        names(&store.list(&AI_SYSTEMS, ORG_A, &search).await.unwrap()),
        vec!["bravo%2"],
        "% is literal"
    );
    let search = aims_store::ListQuery {
        search: Some((vec!["name"], "alpha".into())),
        ..Default::default()
    };
    assert_eq!(
        store.list(&AI_SYSTEMS, ORG_A, &search).await.unwrap().len(),
        1,
        "no rows of another organization"
    );
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(
        tx.count(
            &AI_SYSTEMS,
            ORG_A,
            &[("lifecycle_stage", Value::Text("idea".into()))]
        )
        .await
        .unwrap(),
        5
    );
    tx.commit().await.unwrap();
    store.close().await;
});

/// One assessment of a test risk: the inherent score and level, then the residual score and level.
type Assessed<'a> = ((i64, i64), &'a str, (i64, i64), &'a str);

/// A risk with these assessments, oldest first.
fn risk(title: &str, status: &str, scores: &[Assessed]) -> Vec<Value> {
    let assessments: Vec<serde_json::Value> = scores
        .iter()
        .map(|((il, ii), ilevel, (rl, ri), rlevel)| {
            serde_json::json!({
                "date": "2026-11-01", "assessor": "", "method_version": 1,
                "inherent": {"likelihood": il, "impact": ii},
                "current": {"likelihood": il, "impact": ii},
                "residual": {"likelihood": rl, "impact": ri},
                "levels": {"inherent": ilevel, "current": ilevel, "residual": rlevel},
                "dimensions": [], "note": ""
            })
        })
        .collect();
    let data = serde_json::json!({
        "title": title, "description": "", "system_ids": [], "sources": [], "objectives": [], "owner": "",
        "review_date": "", "status": status, "raised_from": [], "assessments": assessments
    });
    aims_store::records::data_from_json(&RISKS, &data).expect("valid risk")
}

on_both!(
    aggregates_derived_values_ranked_orders_and_id_cursors,
    |db: TestDb| async move {
        use aims_store::{ListQuery, OrderKey, Tally};
        let store = open(&db).await;
        let mut tx = store.begin_write().await.unwrap();
        let rows = [
            // Only the latest assessment counts: the first is superseded.
            (
                "beta",
                "open",
                vec![
                    ((1, 1), "low", (1, 1), "low"),
                    ((4, 5), "high", (2, 3), "medium"),
                ],
            ),
            ("Alpha", "open", vec![((4, 5), "high", (2, 3), "medium")]),
            ("gamma", "treating", vec![((5, 5), "high", (4, 4), "high")]),
            ("Delta", "open", vec![]),
            ("epsilon", "closed", vec![((2, 2), "low", (1, 1), "low")]),
        ];
        for (title, status, scores) in &rows {
            tx.insert(&RISKS, ORG_A, "t", &new_id(), risk(title, status, scores))
                .await
                .unwrap();
        }
        tx.insert(
            &RISKS,
            ORG_B,
            "t",
            &new_id(),
            risk("other", "open", &[((4, 5), "high", (2, 3), "medium")]),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // The heat map of the open risks: one query, grouped by the latest scores; unassessed risks group as NULL.
        let cols = [
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
        ];
        let open_only = ListQuery {
            filters: vec![("status", Value::Text("open".into()))],
            ..Default::default()
        };
        let mut tx = store.begin_read().await.unwrap();
        let mut groups = tx
            .tally(&RISKS, ORG_A, &open_only, &cols, &[])
            .await
            .unwrap();
        groups.sort_by_key(|g| g.count);
        assert_eq!(
            groups,
            vec![
                Tally {
                    key: vec![Value::Null; 4],
                    count: 1,
                    sums: vec![]
                },
                Tally {
                    key: vec![Value::Int(4), Value::Int(5), Value::Int(2), Value::Int(3)],
                    count: 2,
                    sums: vec![],
                },
            ]
        );
        // Grouped by a text column and a derived level, over the whole register of this organization only.
        let mut by_status = tx
            .tally(
                &RISKS,
                ORG_A,
                &ListQuery::default(),
                &["status", "residual_level"],
                &[],
            )
            .await
            .unwrap();
        by_status.sort_by(|a, b| format!("{:?}", a.key).cmp(&format!("{:?}", b.key)));
        let flat: Vec<(String, String, i64)> = by_status
            .iter()
            .map(|g| {
                (
                    g.key[0].as_text().to_string(),
                    g.key[1].as_text().to_string(),
                    g.count,
                )
            })
            .collect();
        assert_eq!(
            flat,
            vec![
                ("closed".to_string(), "low".to_string(), 1),
                ("open".into(), "".into(), 1),
                ("open".into(), "medium".into(), 2),
                ("treating".into(), "high".into(), 1),
            ]
        );
        // A derived value filters like a column; no grouping gives one total.
        let cell = ListQuery {
            filters: vec![
                ("residual_likelihood", Value::Int(2)),
                ("residual_impact", Value::Int(3)),
            ],
            ..Default::default()
        };
        assert_eq!(
            tx.tally(&RISKS, ORG_A, &cell, &[], &[]).await.unwrap()[0].count,
            2
        );
        assert_eq!(tx.count(&RISKS, ORG_A, &cell.filters).await.unwrap(), 2);
        // Unknown names are refused, naming them; text cannot be summed.
        match tx
            .tally(
                &RISKS,
                ORG_A,
                &ListQuery::default(),
                &["likelihood; DROP TABLE risks"],
                &[],
            )
            .await
        {
            Err(StoreError::InvalidValue { field, .. }) => {
                assert_eq!(field, "likelihood; DROP TABLE risks")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        match tx
            .tally(&RISKS, ORG_A, &ListQuery::default(), &[], &["title"])
            .await
        {
            Err(StoreError::InvalidValue { field, .. }) => assert_eq!(field, "title"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        tx.commit().await.unwrap();

        // Sums of a derived count: the requirements not yet addressed.
        let mut tx = store.begin_write().await.unwrap();
        for reqs in [
            serde_json::json!([{"text": "a", "addressed": false}, {"text": "b", "addressed": true}]),
            serde_json::json!([{"text": "\"addressed\":false", "addressed": false}]),
            serde_json::json!([]),
        ] {
            let data = serde_json::json!({"name": "P", "category": "customer", "description": "", "requirements": reqs});
            let values = aims_store::records::data_from_json(&INTERESTED_PARTIES, &data).unwrap();
            tx.insert(&INTERESTED_PARTIES, ORG_A, "t", &new_id(), values)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let mut tx = store.begin_read().await.unwrap();
        let parties = tx
            .tally(
                &INTERESTED_PARTIES,
                ORG_A,
                &ListQuery::default(),
                &[],
                &["requirements_open"],
            )
            .await
            .unwrap();
        assert_eq!((parties[0].count, parties[0].sums.clone()), (3, vec![2]));
        tx.commit().await.unwrap();

        // Ranked order (residual level, then inherent level), highest first, paged by id alone.
        let ranked = ListQuery {
            order_key: Some(OrderKey::Ranked {
                columns: vec!["residual_level", "inherent_level"],
                ranking: vec!["low".into(), "medium".into(), "high".into()],
            }),
            descending: true,
            limit: Some(2),
            ..Default::default()
        };
        let mut seen = Vec::new();
        let mut q = ranked.clone();
        loop {
            let page = store.list(&RISKS, ORG_A, &q).await.unwrap();
            seen.extend(titles(&page));
            match page.last() {
                Some(last) if page.len() == 2 => q.after_id = Some(last.id().to_string()),
                _ => break,
            }
        }
        // beta and Alpha tie on both levels: creation order (by id, descending here) breaks the tie.
        assert_eq!(seen, vec!["gamma", "Alpha", "beta", "epsilon", "Delta"]);

        // Folded text order: letters compared without case, paged by id and by value alike.
        let folded = ListQuery {
            order_key: Some(OrderKey::Folded("title")),
            limit: Some(3),
            ..Default::default()
        };
        let page1 = store.list(&RISKS, ORG_A, &folded).await.unwrap();
        assert_eq!(titles(&page1), vec!["Alpha", "beta", "Delta"]);
        let by_id = continued_after(&page1[2], folded.clone());
        assert_eq!(
            list_titles(&store, &RISKS, &by_id).await,
            vec!["epsilon", "gamma"]
        );
        let by_value = ListQuery {
            after: Some((Value::Text("delta".into()), page1[2].id().to_string())),
            ..folded
        };
        assert_eq!(
            list_titles(&store, &RISKS, &by_value).await,
            vec!["epsilon", "gamma"]
        );
        // A derived value orders like a column, and an id cursor works on a plain column order too.
        let by_level = ListQuery {
            order_by: Some("residual_level"),
            after_id: Some(page1[2].id().to_string()),
            ..Default::default()
        };
        assert_eq!(
            list_titles(&store, &RISKS, &by_level).await,
            vec!["gamma", "epsilon", "beta", "Alpha"],
            "after Delta, whose level is empty"
        );
        store.close().await;
    }
);

on_both!(
    a_value_from_a_linked_record_searches_and_orders_with_newest_ties_first,
    |db: TestDb| async move {
        use aims_store::{ListQuery, OrderKey};
        let store = open(&db).await;
        let (zeta, alpha) = (new_id(), new_id());
        let mut tx = store.begin_write().await.unwrap();
        tx.insert(&AI_SYSTEMS, ORG_A, "t", &zeta, system("Zeta scorer"))
            .await
            .unwrap();
        tx.insert(&AI_SYSTEMS, ORG_A, "t", &alpha, system("alpha chatbot"))
            .await
            .unwrap();
        // The same id in another organization must not lend its name.
        tx.insert(&AI_SYSTEMS, ORG_B, "t", &new_id(), system("Other org"))
            .await
            .unwrap();
        for (sys, title) in [
            (&zeta, "first"),
            (&alpha, "second"),
            (&zeta, "third"),
            (&alpha, "fourth"),
        ] {
            let data = serde_json::json!({
                "system_id": sys, "system_version": "", "template": "t", "title": title, "status": "draft",
                "scope": "", "system_info": "", "data_info": "", "model_info": "", "deployment_context": "",
                "affected": [], "impacts": [], "human_oversight": "", "answers": {}, "triggers": [],
                "next_review": "", "approval": null
            });
            let values = aims_store::records::data_from_json(&IMPACT_ASSESSMENTS, &data).unwrap();
            tx.insert(&IMPACT_ASSESSMENTS, ORG_A, "t", &new_id(), values)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let by_system = ListQuery {
            order_key: Some(OrderKey::Folded("system_name")),
            ties_descending: Some(true),
            limit: Some(3),
            ..Default::default()
        };
        let page1 = store
            .list(&IMPACT_ASSESSMENTS, ORG_A, &by_system)
            .await
            .unwrap();
        assert_eq!(titles(&page1), vec!["fourth", "second", "third"]);
        let page2 = continued_after(&page1[2], by_system.clone());
        assert_eq!(
            list_titles(&store, &IMPACT_ASSESSMENTS, &page2).await,
            vec!["first"]
        );
        let search = ListQuery {
            search: Some((vec!["title", "system_name"], "CHATBOT".into())),
            ..by_system
        };
        assert_eq!(
            list_titles(&store, &IMPACT_ASSESSMENTS, &search).await,
            vec!["fourth", "second"]
        );
        let mut tx = store.begin_read().await.unwrap();
        assert_eq!(
            tx.tally(&IMPACT_ASSESSMENTS, ORG_A, &search, &[], &[])
                .await
                .unwrap()[0]
                .count,
            2
        );
        tx.commit().await.unwrap();
        store.close().await;
    }
);

on_both!(verify_names_an_edited_record, |db: TestDb| async move {
    let store = open(&db).await;
    let id = add_issue(&store, ORG_A, "Regulation").await;
    add_issue(&store, ORG_B, "Other").await;
    assert!(store.verify(None).await.unwrap().intact());
    let sql = format!("UPDATE context_issues SET title = 'Forged' WHERE id = '{id}'");
    let report = tamper(&store, &db, &sql).await;
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!(report.problems[0].record_id, id);
    assert!(report.problems[0].message.contains("altered outside aims"));
    let only_b = store.verify(Some(ORG_B)).await.unwrap();
    assert!(
        only_b.intact(),
        "one organization's chain verifies without the others"
    );
});

on_both!(verify_names_an_edited_log_entry, |db: TestDb| async move {
    let store = open(&db).await;
    add_issue(&store, ORG_A, "one").await;
    add_issue(&store, ORG_A, "two").await;
    add_issue(&store, ORG_A, "three").await;
    let sql = format!(
        "UPDATE change_log SET actor = 'someone-else' WHERE org_id = '{ORG_A}' AND seq = 2"
    );
    let report = tamper(&store, &db, &sql).await;
    assert!(!report.intact());
    assert_eq!(report.problems[0].seq, Some(2), "{:?}", report.problems);
    assert!(report.problems[0].message.contains("entry 2"));
});

on_both!(
    verify_finds_deleted_entries_in_the_middle_and_at_the_end,
    |db: TestDb| async move {
        let store = open(&db).await;
        let delete_second = format!("DELETE FROM change_log WHERE org_id = '{ORG_A}' AND seq = 2");
        for t in ["one", "two", "three"] {
            add_issue(&store, ORG_A, t).await;
        }
        let report = tamper(&store, &db, &delete_second).await;
        assert!(
            report.problems[0].message.contains("entry 2 is missing"),
            "{:?}",
            report.problems
        );

        let db2 = TestDb::new(db.backend).await.unwrap();
        let store2 = open(&db2).await;
        for t in ["one", "two"] {
            add_issue(&store2, ORG_A, t).await;
        }
        let report = tamper(&store2, &db2, &delete_second).await;
        assert_problem(&report, "chain head");
    }
);

on_both!(
    verify_finds_records_added_or_removed_behind_its_back,
    |db: TestDb| async move {
        let store = open(&db).await;
        let id = add_issue(&store, ORG_A, "kept").await;
        let intruder = new_id();
        raw(&db, &format!(
        "INSERT INTO context_issues (id, org_id, version, created_at, updated_at, kind, title, description, category, climate_related) \
         VALUES ('{intruder}', '{ORG_A}', 1, 1, 1, 'internal', 'sneaky', '', '', {})",
        if db.backend == Backend::Sqlite { "0" } else { "false" }
    )).await;
        let sql = format!("DELETE FROM context_issues WHERE id = '{id}'");
        let report = tamper(&store, &db, &sql).await;
        let msgs: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains(&intruder) && m.contains("no change-log entry")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains(&id) && m.contains("deleted outside aims")),
            "{msgs:?}"
        );
    }
);

on_both!(verify_finds_catalogue_edits, |db: TestDb| async move {
    let store = open(&db).await;
    let sql = "UPDATE catalog_items SET title = 'Made up' WHERE framework_id = 'iso42001' AND ref = 'A.2.2'";
    let report = tamper(&store, &db, sql).await;
    assert_problem(&report, "A.2.2");
});

on_both!(
    concurrent_writers_never_fork_the_chain,
    |db: TestDb| async move {
        // Two independent stores (two pools, as two processes would have) write to one organization at once.
        let s1 = open(&db).await;
        let s2 = open_store(&db, false).await;
        let mut tasks = vec![];
        for (n, s) in [s1.clone(), s2.clone(), s1.clone(), s2.clone()]
            .into_iter()
            .enumerate()
        {
            tasks.push(tokio::spawn(async move {
                for i in 0..25 {
                    add_issue(&s, ORG_A, &format!("writer {n} issue {i}")).await;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let report = s1.verify(None).await.unwrap();
        assert!(report.intact(), "{:?}", report.problems);
        assert_eq!(report.entries_checked, 100);
        assert_eq!(report.chains[0].head_seq, 100);
    }
);

on_both!(unknown_migration_stops_start_up, |db: TestDb| async move {
    let store = open(&db).await;
    store.close().await;
    raw(&db, "INSERT INTO aims_migrations (version, name, checksum, applied_at) VALUES (99, 'from_the_future', 'x', 0)").await;
    let err = Store::open(&db.url, OpenOptions::default())
        .await
        .err()
        .expect("refused");
    assert!(
        err.to_string().contains("migration 99 'from_the_future'"),
        "{err}"
    );
});

on_both!(
    catalogue_is_loaded_with_crosswalks_both_ways,
    |db: TestDb| async move {
        let store = open(&db).await;
        let controls = store.catalog_items("iso42001", &["control"]).await.unwrap();
        assert_eq!(controls.len(), 38);
        let fws = store.catalog_frameworks().await.unwrap();
        assert_eq!(
            fws.iter().map(|f| f.info.id.as_str()).collect::<Vec<_>>(),
            vec!["iso42001", "nist-ai-rmf", "eu-ai-act"]
        );
        let to_rmf = store.catalog_mappings("iso42001", "A.2.4").await.unwrap();
        assert!(
            to_rmf
                .iter()
                .any(|m| m.framework == "nist-ai-rmf" && m.reference == "GOVERN 1.1")
        );
        assert!(to_rmf.iter().all(|m| !m.source.is_empty()));
        let from_rmf = store
            .catalog_mappings("nist-ai-rmf", "GOVERN 1.1")
            .await
            .unwrap();
        let refs: Vec<&str> = from_rmf.iter().map(|m| m.reference.as_str()).collect();
        assert_eq!(refs, vec!["4.1", "6.2", "A.2.2", "A.2.4"]);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_restores_across_backends_and_refuses_bad_files() {
    let all = backends();
    for &from in &all {
        for &to in &all {
            let src = TestDb::new(from).await.unwrap();
            let store = open(&src).await;
            add_issue(&store, ORG_A, "one").await;
            let id = add_issue(&store, ORG_B, "two").await;
            edit_issue(&store, ORG_B, &id, 1, "two, edited").await;
            let mut buf = Vec::new();
            let summary = store.backup(&mut buf).await.unwrap();
            assert_eq!(summary.log_entries, 3);

            let dst = TestDb::new(to).await.unwrap();
            let target = open(&dst).await;
            // A truncated file, and one from another schema version, are refused and change nothing.
            let truncated = &buf[..buf.len() - 40];
            let err = target.restore(truncated).await.unwrap_err().to_string();
            assert!(
                err.contains("truncated") || err.contains("not valid JSON"),
                "{err}"
            );
            let text = String::from_utf8(buf.clone()).unwrap();
            let current = format!(
                "\"schema_version\":{}",
                aims_store::migrate::current_version()
            );
            assert!(text.contains(&current));
            // A version this build does not know: the one after its newest.
            let next = aims_store::migrate::current_version() + 1;
            let other = text.replacen(&current, &format!("\"schema_version\":{next}"), 1);
            assert!(
                target
                    .restore(other.as_bytes())
                    .await
                    .unwrap_err()
                    .to_string()
                    .contains(&format!("schema version {next}"))
            );
            assert_eq!(target.verify(None).await.unwrap().entries_checked, 0);

            let restored = target.restore(&buf[..]).await.unwrap();
            assert_eq!(restored, summary);
            let report = target.verify(None).await.unwrap();
            assert!(report.intact(), "{from:?} -> {to:?}: {:?}", report.problems);
            assert_eq!(report.entries_checked, 3);
            assert_eq!(
                store.verify(None).await.unwrap().chains,
                report.chains,
                "same chain heads after {from:?} -> {to:?}"
            );
            let err = target.restore(&buf[..]).await.unwrap_err().to_string();
            assert!(err.contains("not empty"), "{err}");
        }
    }
}

#[test]
fn every_record_table_starts_with_the_system_columns() {
    for spec in ALL_TABLES.iter().filter(|t| t.kind == TableKind::Record) {
        let names: Vec<&str> = spec.columns.iter().take(5).map(|c| c.name).collect();
        assert_eq!(
            names,
            vec!["id", "org_id", "version", "created_at", "updated_at"],
            "{}",
            spec.name
        );
    }
}

//! End-to-end tests of the `aims` binary: every test runs the real executable as a user would (its own working
//! directory, stdin closed, `--database` pointing at a scratch store) and checks exit codes, standard output and
//! standard error. Every test that touches a store runs once per backend from `backends()`: SQLite always, and
//! PostgreSQL when `AIMS_TEST_PG_URL` is set.
//!
//! Conventions: data is checked through `--format json`; a refused command must exit 2 with a one-line JSON error
//! on stderr naming the field, and must leave the store exactly as it was (same organizations, same systems, same
//! change-log chain heads, and `verify` still intact). No run of the binary may panic.

use crate::common::{
    ACTOR, Run, assert_invalid_field, assert_refused, command, finished, new_db, rt, run_in,
};
use aims_app::test_store::Backend;
use aims_app::test_store::testing::{TestDb, backends};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Runs raw SQL behind the application's back, as someone with sqlite3 or psql would.
fn raw_sql(backend: Backend, url: &str, sql: &str) {
    rt().block_on(async {
        match backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{url}"))
                    .await
                    .expect("connect to SQLite");
                sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                    .execute(&mut c)
                    .await
                    .unwrap_or_else(|e| panic!("raw SQL {sql:?}: {e}"));
                c.close().await.expect("close");
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(url)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
                    .execute(&mut c)
                    .await
                    .unwrap_or_else(|e| panic!("raw SQL {sql:?}: {e}"));
                c.close().await.expect("close");
            }
        }
    });
}

/// One scratch store and a working directory to run commands in.
struct Fx {
    backend: Backend,
    db: TestDb,
    dir: tempfile::TempDir,
}

impl Fx {
    fn new(backend: Backend) -> Fx {
        Fx {
            backend,
            db: new_db(backend),
            dir: tempfile::tempdir().expect("working directory"),
        }
    }

    /// A fresh store with `init` already run (organization "Acme AI", slug acme-ai).
    fn initialised(backend: Backend) -> Fx {
        let fx = Fx::new(backend);
        fx.init();
        fx
    }

    fn url(&self) -> &str {
        &self.db.url
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, content: &str) -> String {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write input file");
        p.display().to_string()
    }

    fn aims(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), Some(self.url()), args, &[])
    }

    fn aims_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_in(self.dir.path(), Some(self.url()), args, env)
    }

    /// `aims --format json ARGS`, which may fail (a refusal is then a JSON error on stderr).
    fn try_json(&self, args: &[&str]) -> Run {
        let mut all = vec!["--format", "json"];
        all.extend(args);
        self.aims(&all)
    }

    /// `aims --format json ARGS`, which must succeed; its output parsed.
    #[track_caller]
    fn json(&self, args: &[&str]) -> Value {
        self.try_json(args).ok().json()
    }

    fn init(&self) -> Run {
        self.aims(&[
            "init",
            "--org-name",
            "Acme AI",
            "--admin-email",
            "admin@acme.test",
        ])
        .ok()
    }

    /// Adds a system from flags; returns it as JSON.
    #[track_caller]
    fn add_system(&self, args: &[&str]) -> Value {
        let mut all = vec!["system", "add"];
        all.extend(args);
        self.json(&all)
    }

    #[track_caller]
    fn systems(&self, filters: &[&str]) -> Vec<Value> {
        let mut all = vec!["system", "list"];
        all.extend(filters);
        self.json(&all).as_array().expect("an array").clone()
    }

    fn org_id(&self) -> String {
        self.json(&["org", "show"])["id"]
            .as_str()
            .expect("org id")
            .to_string()
    }

    fn raw(&self, sql: &str) {
        raw_sql(self.backend, self.url(), sql);
    }

    /// Everything a user could see change: organizations, every organization's systems, suppliers and parties,
    /// and the verify report (entry counts and every chain's head hash). Asserts the store verifies intact.
    #[track_caller]
    fn snapshot(&self) -> Value {
        let orgs = self.json(&["org", "list"]);
        let mut per_org = serde_json::Map::new();
        for o in orgs.as_array().expect("org list") {
            let slug = o["slug"].as_str().expect("slug");
            let mut lists = serde_json::Map::new();
            for noun in ["system", "supplier", "party", "issue", "field"] {
                lists.insert(noun.into(), self.json(&["--org", slug, noun, "list"]));
            }
            lists.insert(
                "scope".into(),
                self.json(&["--org", slug, "scope", "versions"]),
            );
            per_org.insert(slug.to_string(), Value::Object(lists));
        }
        let verify = self.try_json(&["verify"]);
        assert_eq!(
            verify.code,
            0,
            "the store must verify intact: {}",
            verify.describe()
        );
        assert_eq!(verify.json()["intact"], true);
        json!({ "orgs": orgs, "records": per_org, "verify": verify.json() })
    }

    /// Asserts the store is exactly as in `before` (a [`Fx::snapshot`]).
    #[track_caller]
    fn assert_unchanged(&self, before: &Value, after_what: &str) {
        let now = self.snapshot();
        assert!(
            now == *before,
            "the store changed after {after_what} on {:?}\nbefore: {before:#}\nafter: {now:#}",
            self.backend
        );
    }
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("record id").to_string()
}

fn names(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|s| s["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The backend to restore into: the other one when PostgreSQL is available, else the same one.
fn other_backend(b: Backend) -> Backend {
    let all = backends();
    match b {
        Backend::Sqlite if all.contains(&Backend::Postgres) => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
        same => same,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 1. init
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn init_prints_the_organization_the_admin_and_a_generated_password() {
    for backend in backends() {
        let fx = Fx::new(backend);
        let run = fx
            .aims(&[
                "init",
                "--org-name",
                "Acme AI",
                "--admin-email",
                "boss@acme.test",
            ])
            .ok();
        run.assert_stdout("Acme AI");
        assert!(run.stdout.contains("acme-ai"), "slug: {}", run.describe());
        run.assert_stdout("boss@acme.test");
        let password = run
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("Password:"))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no password line: {}", run.describe()))
            .to_string();
        assert_eq!(password.chars().count(), 20, "{}", run.describe());
        assert!(
            password.chars().all(|c| c.is_ascii_alphanumeric()),
            "generated password {password:?}"
        );
        assert!(run.stderr.is_empty(), "{}", run.describe());

        // The password is shown once and stored only as a hash: it appears nowhere in a full backup.
        let backup = fx.path("after-init.jsonl");
        fx.aims(&["backup", backup.to_str().unwrap()]).ok();
        let text = std::fs::read_to_string(&backup).unwrap();
        assert!(!text.contains(&password), "password stored in clear");
        assert!(text.contains("$argon2id$"), "argon2id hash stored");

        let orgs = fx.json(&["org", "list"]);
        assert_eq!(orgs.as_array().unwrap().len(), 1);
        assert_eq!(orgs[0]["name"], "Acme AI");
        let users = fx.json(&["user", "list"]);
        assert_eq!(users[0]["email"], "boss@acme.test");
        assert_eq!(users[0]["role"], "admin");
    }
}

#[test]
fn init_with_admin_password_in_the_environment_prints_no_password() {
    const SECRET: &str = "correct-horse-battery-staple-42";
    for backend in backends() {
        let fx = Fx::new(backend);
        let run = fx
            .aims_env(
                &["init", "--org-name", "Acme AI"],
                &[("AIMS_ADMIN_PASSWORD", SECRET)],
            )
            .ok();
        run.assert_stdout("Acme AI");
        assert!(!run.stdout.contains(SECRET), "{}", run.describe());
        assert!(!run.stderr.contains(SECRET), "{}", run.describe());
        let generated = run
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("Password:"))
            .any(|rest| {
                let t = rest.trim();
                t.len() == 20 && t.chars().all(|c| c.is_ascii_alphanumeric())
            });
        assert!(!generated, "no password is generated: {}", run.describe());

        let fx2 = Fx::new(backend);
        let out = fx2
            .aims_env(
                &["--format", "json", "init"],
                &[("AIMS_ADMIN_PASSWORD", SECRET)],
            )
            .ok()
            .json();
        assert_eq!(out["generated_password"], Value::Null, "{out:#}");
        assert!(!out.to_string().contains(SECRET));
    }
}

#[test]
fn init_with_password_env_names_the_variable_it_read() {
    for backend in backends() {
        let fx = Fx::new(backend);
        let run = fx
            .aims_env(
                &["init", "--password-env", "OPS_ADMIN_PW"],
                &[("OPS_ADMIN_PW", "a-long-enough-secret-123")],
            )
            .ok();
        assert!(
            !run.stdout.contains("a-long-enough-secret-123"),
            "{}",
            run.describe()
        );
        assert!(
            run.stdout.contains("OPS_ADMIN_PW"),
            "the output should say the password came from $OPS_ADMIN_PW: {}",
            run.describe()
        );
    }
}

#[test]
fn second_init_is_refused_and_leaves_the_store_unchanged() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.add_system(&["--name", "Credit scoring", "--purpose", "Score loans"]);
        let before = fx.snapshot();
        let run = fx.try_json(&[
            "init",
            "--org-name",
            "Other Corp",
            "--admin-email",
            "other@corp.test",
        ]);
        assert_refused(&run, "conflict", "already initialised");
        fx.assert_unchanged(&before, "a second init");

        let run = fx.aims(&["init"]);
        run.assert_code(2);
        assert!(
            run.stderr.starts_with("error: ") && run.stderr.trim().lines().count() == 1,
            "one-line error: {}",
            run.describe()
        );
        fx.assert_unchanged(&before, "a third init");
    }
}

#[test]
fn init_with_a_too_short_admin_password_is_refused_naming_password() {
    for backend in backends() {
        let fx = Fx::new(backend);
        let run = fx.aims_env(
            &["--format", "json", "init"],
            &[("AIMS_ADMIN_PASSWORD", "short")],
        );
        assert_invalid_field(&run, "password");
        // Nothing half-made: a proper init still works afterwards.
        fx.init();
        assert_eq!(fx.json(&["org", "list"]).as_array().unwrap().len(), 1);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. AI system lifecycle
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn system_add_with_flags_stores_every_given_field() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let run = fx
            .aims(&[
                "system",
                "add",
                "--name",
                "Credit scoring",
                "--purpose",
                "Scores consumer loan applications",
                "--lifecycle-stage",
                "Operation",
                "--role",
                "provider",
                "--affected-party",
                "loan applicants",
                "--affected-party",
                "underwriters",
                "--owner",
                "Head of Risk",
                "--business-unit",
                "Retail lending",
                "--in-scope",
                "false",
                "--automation-level",
                "partial",
                "--human-oversight",
                "human-in-the-loop",
            ])
            .ok();
        run.assert_stdout("Added AI system Credit scoring");
        let list = fx.systems(&[]);
        assert_eq!(list.len(), 1);
        let s = fx.json(&["system", "show", &id_of(&list[0])]);
        assert_eq!(s["name"], "Credit scoring");
        assert_eq!(s["purpose"], "Scores consumer loan applications");
        assert_eq!(s["lifecycle_stage"], "operation", "normalised spelling");
        assert_eq!(s["org_role"], "provider");
        assert_eq!(
            s["affected_parties"],
            json!(["loan applicants", "underwriters"])
        );
        assert_eq!(s["owner"], "Head of Risk");
        assert_eq!(s["business_unit"], "Retail lending");
        assert_eq!(s["in_scope"], false);
        assert_eq!(s["automation_level"], "partial");
        assert_eq!(s["human_oversight"], "human_in_the_loop");
        assert_eq!(s["version"], 1);

        // Defaults when only name and purpose are given.
        let d = fx.add_system(&["--name", "Minimal", "--purpose", "p"]);
        assert_eq!(d["lifecycle_stage"], "idea");
        assert_eq!(d["org_role"], "deployer");
        assert_eq!(d["in_scope"], true);
        fx.snapshot();
    }
}

fn nested_json(supplier_id: &str) -> String {
    json!({
        "name": "Chat assistant",
        "purpose": "Answers customer questions",
        "lifecycle_stage": "deployment",
        "org_role": "deployer",
        "affected_parties": ["customers"],
        "data_resources": [
            {"name": "Support tickets", "category": "Training", "personal_data": true, "provenance": "CRM export"},
            {"name": "Live chats", "category": "production"}
        ],
        "models": [{"name": "assistant-llm", "version": "2024-05", "kind": "LLM", "provider": "Vendor Inc"}],
        "tooling": [{"name": "Eval harness", "purpose": "regression tests"}],
        "compute": [{"name": "GPU pool", "location": "cloud"}],
        "people": [{"role": "Human overseer", "assignee": "Support lead"}],
        "components": [{"name": "Hosted LLM API", "kind": "service", "supplier_id": supplier_id, "version": "v1"}]
    })
    .to_string()
}

fn nested_toml(supplier_id: &str) -> String {
    format!(
        r#"name = "Fraud detector"
purpose = "Flags suspicious card payments"
lifecycle_stage = "verification"
org_role = "developer"
owner = "Fraud team"
affected_parties = ["card holders", "merchants"]

[[data_resources]]
name = "Card transactions"
category = "training"
personal_data = true
provenance = "Core banking 2019-2024"
quality_notes = "Class imbalance 1:900"

[[models]]
name = "gbm-fraud"
version = "3.2"
kind = "gradient boosting"
provider = "in-house"

[[components]]
name = "Feature store"
kind = "platform"
supplier_id = "{supplier_id}"
version = "5"

[[components]]
name = "scikit-learn"
kind = "library"
version = "1.5"
"#
    )
}

#[test]
fn system_add_from_json_and_toml_files_keeps_nested_sections_and_supplier_links() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let supplier = fx.json(&[
            "supplier",
            "add",
            "--name",
            "Vendor Inc",
            "--website",
            "https://vendor.example",
        ]);
        let sid = id_of(&supplier);

        let json_file = fx.write("sys.json", &nested_json(&sid));
        let chat = fx.add_system(&["--file", &json_file]);
        let chat = fx.json(&["system", "show", &id_of(&chat)]);
        assert_eq!(chat["name"], "Chat assistant");
        assert_eq!(chat["lifecycle_stage"], "deployment");
        let dr = chat["data_resources"].as_array().unwrap();
        assert_eq!(dr.len(), 2);
        assert_eq!(dr[0]["category"], "training", "normalised");
        assert_eq!(dr[0]["personal_data"], true);
        assert!(
            dr.iter()
                .all(|d| d["id"].as_str().is_some_and(|i| !i.is_empty())),
            "nested entries get ids: {chat:#}"
        );
        assert_ne!(dr[0]["id"], dr[1]["id"]);
        assert_eq!(chat["models"][0]["name"], "assistant-llm");
        assert_eq!(chat["tooling"][0]["name"], "Eval harness");
        assert_eq!(chat["compute"][0]["location"], "cloud");
        assert_eq!(chat["people"][0]["role"], "Human overseer");
        assert_eq!(chat["components"][0]["supplier_id"], sid.as_str());

        let toml_file = fx.write("sys.toml", &nested_toml(&sid));
        let fraud = fx.add_system(&["--file", &toml_file, "--owner", "Chief Risk Officer"]);
        let fraud = fx.json(&["system", "show", &id_of(&fraud)]);
        assert_eq!(fraud["name"], "Fraud detector");
        assert_eq!(fraud["org_role"], "developer");
        assert_eq!(
            fraud["owner"], "Chief Risk Officer",
            "flags win over the file"
        );
        assert_eq!(
            fraud["affected_parties"],
            json!(["card holders", "merchants"])
        );
        assert_eq!(
            fraud["data_resources"][0]["quality_notes"],
            "Class imbalance 1:900"
        );
        assert_eq!(fraud["models"][0]["version"], "3.2");
        let comps = fraud["components"].as_array().unwrap();
        assert_eq!(comps.len(), 2);
        assert_eq!(comps[0]["supplier_id"], sid.as_str());
        assert_eq!(comps[0]["kind"], "platform");
        assert_eq!(comps[1]["supplier_id"], "");

        // A component pointing at a supplier that does not exist is refused, naming the component.
        let before = fx.snapshot();
        let ghost = "01900000-0000-7000-8000-000000000042";
        let bad = fx.write("ghost.json", &nested_json(ghost));
        let run = fx.try_json(&["system", "add", "--file", &bad]);
        assert_invalid_field(&run, "components[0].supplier_id");
        fx.assert_unchanged(&before, "a component with an unknown supplier");
    }
}

#[test]
fn system_list_filters_by_stage_role_and_search_and_sorts_both_ways() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.add_system(&[
            "--name",
            "Credit scoring",
            "--purpose",
            "Scores loans",
            "--lifecycle-stage",
            "operation",
            "--role",
            "provider",
            "--owner",
            "Risk team",
            "--business-unit",
            "Lending",
        ]);
        fx.add_system(&[
            "--name",
            "Chat assistant",
            "--purpose",
            "Answers customer questions",
            "--lifecycle-stage",
            "deployment",
            "--role",
            "deployer",
            "--owner",
            "Support",
            "--business-unit",
            "Service",
        ]);
        fx.add_system(&[
            "--name",
            "Fraud detector",
            "--purpose",
            "Flags payments",
            "--lifecycle-stage",
            "operation",
            "--role",
            "developer",
            "--owner",
            "Anti-fraud",
            "--business-unit",
            "Payments",
        ]);
        fx.add_system(&[
            "--name",
            "Battery forecaster",
            "--purpose",
            "Forecasts demand",
            "--lifecycle-stage",
            "idea",
            "--role",
            "provider",
            "--owner",
            "Zed",
            "--business-unit",
            "Energy",
        ]);

        let by_name = [
            "Battery forecaster",
            "Chat assistant",
            "Credit scoring",
            "Fraud detector",
        ];
        assert_eq!(
            names(&fx.systems(&[])),
            by_name,
            "sorted by name by default"
        );
        let mut rev = by_name.to_vec();
        rev.reverse();
        assert_eq!(names(&fx.systems(&["--sort", "name", "--desc"])), rev);
        assert_eq!(
            names(&fx.systems(&["--sort", "owner"])),
            [
                "Fraud detector",
                "Credit scoring",
                "Chat assistant",
                "Battery forecaster"
            ]
        );
        assert_eq!(
            names(&fx.systems(&["--sort", "created", "--desc"])),
            [
                "Battery forecaster",
                "Fraud detector",
                "Chat assistant",
                "Credit scoring"
            ]
        );
        assert_eq!(
            names(&fx.systems(&["--stage", "operation"])),
            ["Credit scoring", "Fraud detector"]
        );
        assert_eq!(
            names(&fx.systems(&["--role", "provider"])),
            ["Battery forecaster", "Credit scoring"]
        );
        assert_eq!(
            names(&fx.systems(&["--stage", "operation", "--role", "provider"])),
            ["Credit scoring"]
        );
        assert_eq!(
            names(&fx.systems(&["--search", "CREDIT"])),
            ["Credit scoring"],
            "case-insensitive name"
        );
        assert_eq!(
            names(&fx.systems(&["--search", "customer"])),
            ["Chat assistant"],
            "purpose"
        );
        assert_eq!(
            names(&fx.systems(&["--search", "payments"])),
            ["Fraud detector"],
            "business unit"
        );
        assert_eq!(
            names(&fx.systems(&["--search", "risk team"])),
            ["Credit scoring"],
            "owner"
        );
        assert!(fx.systems(&["--search", "nothing like this"]).is_empty());
        assert_eq!(fx.systems(&["--limit", "2"]).len(), 2);

        // The table output lists the same systems.
        let table = fx.aims(&["system", "list", "--stage", "operation"]).ok();
        assert!(table.stdout.contains("Credit scoring") && table.stdout.contains("Fraud detector"));
        assert!(
            !table.stdout.contains("Chat assistant"),
            "{}",
            table.describe()
        );

        // Bad filters name what is wrong.
        let run = fx.try_json(&["system", "list", "--stage", "sideways"]);
        assert_invalid_field(&run, "stage");
        let run = fx.try_json(&["system", "list", "--role", "boss"]);
        assert_invalid_field(&run, "role");
        let run = fx.try_json(&["system", "list", "--sort", "colour"]);
        assert_invalid_field(&run, "sort");
    }
}

#[test]
fn system_show_json_has_every_section() {
    let expected: BTreeSet<&str> = [
        "id",
        "version",
        "created_at",
        "updated_at",
        "name",
        "purpose",
        "intended_use",
        "foreseeable_misuse",
        "owner",
        "business_unit",
        "lifecycle_stage",
        "org_role",
        "in_scope",
        "automation_level",
        "human_oversight",
        "oversight_notes",
        "affected_parties",
        "data_resources",
        "models",
        "tooling",
        "compute",
        "people",
        "components",
        "custom_fields",
        "retired_on",
        "retired_reason",
    ]
    .into_iter()
    .collect();
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let sid = id_of(&fx.json(&["supplier", "add", "--name", "Vendor Inc"]));
        let file = fx.write("sys.json", &nested_json(&sid));
        let id = id_of(&fx.add_system(&["--file", &file]));
        let s = fx.json(&["system", "show", &id]);
        let keys: BTreeSet<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, expected, "{s:#}");
        for section in [
            "data_resources",
            "models",
            "tooling",
            "compute",
            "people",
            "components",
        ] {
            assert!(
                s[section].as_array().is_some_and(|a| !a.is_empty()),
                "{section} is a non-empty array: {s:#}"
            );
        }
        assert!(s["custom_fields"].is_object());
        for ts in ["created_at", "updated_at"] {
            let t = s[ts].as_str().unwrap();
            assert!(
                t.ends_with('Z') && t.len() == 27,
                "RFC 3339 with microseconds: {t}"
            );
        }

        // The table view has a heading for every section.
        let table = fx.aims(&["system", "show", &id]).ok();
        for heading in [
            "Data resources (A.4.3, A.7)",
            "Models (A.4.4)",
            "Tooling (A.4.4)",
            "Compute (A.4.5)",
            "People (A.4.6)",
            "Third-party components (A.10.3)",
        ] {
            assert!(
                table.stdout.contains(heading),
                "{heading}: {}",
                table.describe()
            );
        }
        assert!(table.stdout.contains("Support tickets") && table.stdout.contains(&sid));
    }
}

#[test]
fn system_update_owner_changes_only_the_owner() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let sid = id_of(&fx.json(&["supplier", "add", "--name", "Vendor Inc"]));
        let file = fx.write("sys.json", &nested_json(&sid));
        let id = id_of(&fx.add_system(&["--file", &file, "--owner", "Alice"]));
        let before = fx.json(&["system", "show", &id]);
        let updated = fx.json(&["system", "update", &id, "--owner", "Bob"]);
        assert_eq!(updated["owner"], "Bob");
        let after = fx.json(&["system", "show", &id]);
        assert_eq!(after, updated, "update prints the stored record");
        assert_eq!(after["version"], 2);
        let (mut b, mut a) = (before.clone(), after.clone());
        for v in [&mut b, &mut a] {
            let o = v.as_object_mut().unwrap();
            o.remove("owner");
            o.remove("version");
            o.remove("updated_at");
        }
        assert_eq!(a, b, "nothing but owner, version and updated_at changed");
        assert_eq!(after["created_at"], before["created_at"]);
        fx.snapshot();
    }
}

#[test]
fn system_update_with_a_stale_if_version_is_refused_as_changed_by_someone_else() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let id = id_of(&fx.add_system(&["--name", "Credit scoring", "--purpose", "p"]));
        fx.json(&[
            "system",
            "update",
            &id,
            "--owner",
            "Alice",
            "--if-version",
            "1",
        ]);
        let before = fx.snapshot();
        let run = fx.try_json(&[
            "system",
            "update",
            &id,
            "--owner",
            "Mallory",
            "--if-version",
            "1",
        ]);
        assert_refused(&run, "conflict", "changed by someone else");
        fx.assert_unchanged(&before, "a stale update");
        let s = fx.json(&["system", "show", &id]);
        assert_eq!(
            (s["owner"].clone(), s["version"].clone()),
            (json!("Alice"), json!(2))
        );

        // With the current version it goes through.
        let s = fx.json(&[
            "system",
            "update",
            &id,
            "--owner",
            "Carol",
            "--if-version",
            "2",
        ]);
        assert_eq!(
            (s["owner"].clone(), s["version"].clone()),
            (json!("Carol"), json!(3))
        );
    }
}

#[test]
fn system_retire_then_history_lists_create_update_and_retire_by_the_actor() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let id = id_of(&fx.add_system(&[
            "--name",
            "Credit scoring",
            "--purpose",
            "p",
            "--lifecycle-stage",
            "operation",
        ]));
        fx.json(&["system", "update", &id, "--owner", "Alice"]);
        let run = fx
            .aims(&["system", "retire", &id, "--reason", "Replaced by v2"])
            .ok();
        run.assert_stdout("Retired AI system Credit scoring");
        let s = fx.json(&["system", "show", &id]);
        assert_eq!(s["lifecycle_stage"], "retired");
        assert_eq!(s["retired_reason"], "Replaced by v2");
        let on = s["retired_on"].as_str().unwrap();
        assert!(
            on.len() == 10 && on.as_bytes()[4] == b'-' && on.as_bytes()[7] == b'-',
            "retired today, YYYY-MM-DD: {on}"
        );
        assert_eq!(s["version"], 3);

        let history = fx.json(&["system", "history", &id]);
        let entries = history.as_array().unwrap();
        let actions: Vec<&str> = entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        // The change log knows create, update and delete; retiring is an update to stage `retired`.
        assert_eq!(actions, ["create", "update", "update"], "{history:#}");
        assert!(entries.iter().all(|e| e["actor"] == ACTOR), "{history:#}");
        // Each update names what it changed: the owner, then the stage with the retirement.
        let fields = |e: &Value| -> Vec<String> {
            (e["changes"].as_array().into_iter().flatten())
                .map(|c| c["field"].as_str().unwrap_or_default().to_string())
                .collect()
        };
        assert_eq!(fields(&entries[1]), ["owner"], "{history:#}");
        assert_eq!(entries[1]["changes"][0]["after"], "Alice");
        assert!(
            fields(&entries[2]).contains(&"lifecycle_stage".to_string()),
            "{history:#}"
        );
        let table = fx.aims(&["system", "history", &id]).ok();
        assert!(
            table.stdout.contains("owner: (none) → \"Alice\""),
            "{}",
            table.describe()
        );
        let seqs: Vec<i64> = entries.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "oldest first: {seqs:?}"
        );
        assert_eq!(
            entries.last().unwrap()["content_hash"]
                .as_str()
                .map(str::len),
            Some(64)
        );

        let table = fx.aims(&["system", "history", &id]).ok();
        table.assert_stdout(ACTOR);
        assert_eq!(
            table.stdout.matches("update").count(),
            2,
            "{}",
            table.describe()
        );
        assert_eq!(
            fx.json(&["history", "ai_system", &id]),
            history,
            "same as `aims history`"
        );

        // Retiring twice, or without a reason, is refused and changes nothing.
        let before = fx.snapshot();
        let run = fx.try_json(&["system", "retire", &id, "--reason", "again"]);
        assert_invalid_field(&run, "lifecycle_stage");
        let other = id_of(&fx.add_system(&["--name", "Other", "--purpose", "p"]));
        let before2 = fx.snapshot();
        assert_ne!(before, before2);
        let run = fx.try_json(&["system", "retire", &other, "--reason", "  "]);
        assert_invalid_field(&run, "reason");
        let run = fx.try_json(&[
            "system",
            "retire",
            &other,
            "--reason",
            "x",
            "--on",
            "2024-13-45",
        ]);
        assert_invalid_field(&run, "retired_on");
        fx.assert_unchanged(&before2, "refused retirements");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Bad input
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn system_add_with_bad_values_is_refused_naming_the_field_and_changes_nothing() {
    let long_name = "x".repeat(201);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--name",
                "A",
                "--purpose",
                "p",
                "--lifecycle-stage",
                "sideways",
            ],
            "lifecycle_stage",
        ),
        (
            vec!["--name", "A", "--purpose", "p", "--role", "boss"],
            "org_role",
        ),
        (vec!["--name", "", "--purpose", "p"], "name"),
        (vec!["--name", "   ", "--purpose", "p"], "name"),
        (vec!["--name", &long_name, "--purpose", "p"], "name"),
        (vec!["--purpose", "p"], "name"),
        (
            vec![
                "--name",
                "A",
                "--purpose",
                "p",
                "--automation-level",
                "total",
            ],
            "automation_level",
        ),
        (
            vec![
                "--name",
                "A",
                "--purpose",
                "p",
                "--human-oversight",
                "sometimes",
            ],
            "human_oversight",
        ),
        (
            vec!["--name", "A", "--purpose", "p", "--affected-party", ""],
            "affected_parties[0]",
        ),
        (
            vec!["--name", "A", "--purpose", "p", "--custom", "novalue"],
            "custom",
        ),
    ];
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.add_system(&["--name", "Existing", "--purpose", "p"]);
        let before = fx.snapshot();
        for (args, field) in &cases {
            let mut all = vec!["--format", "json", "system", "add"];
            all.extend(args.iter());
            let run = fx.aims(&all);
            assert_invalid_field(&run, field);
        }
        // Same refusals in table format: one line, `error: FIELD: ...`.
        let run = fx.aims(&["system", "add", "--name", &long_name, "--purpose", "p"]);
        run.assert_code(2);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.describe());
        assert!(
            run.stderr.starts_with("error: name: "),
            "{}",
            run.describe()
        );
        assert!(
            run.stderr.contains("201"),
            "says how long: {}",
            run.describe()
        );
        assert!(run.stdout.is_empty(), "{}", run.describe());
        fx.assert_unchanged(&before, "refused system adds");
        assert_eq!(fx.systems(&[]).len(), 1);
    }
}

#[test]
fn system_add_with_a_bad_file_is_refused_naming_the_field_and_changes_nothing() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.add_system(&["--name", "Existing", "--purpose", "p"]);
        let before = fx.snapshot();

        let f = fx.write(
            "unknown.json",
            r#"{"name": "A", "purpose": "p", "colour": "red"}"#,
        );
        let run = fx.try_json(&["system", "add", "--file", &f]);
        assert_invalid_field(&run, "colour");

        let f = fx.write(
            "nested-unknown.json",
            r#"{"name": "A", "purpose": "p", "models": [{"name": "m", "colour": 1}]}"#,
        );
        let run = fx.try_json(&["system", "add", "--file", &f]);
        assert_refused(&run, "invalid_input", "colour");

        let f = fx.write("invalid.json", r#"{"name": "A", "purpose": "#);
        let run = fx.try_json(&["system", "add", "--file", &f]);
        assert_invalid_field(&run, "file");
        assert_refused(&run, "invalid_input", "not valid JSON");

        let f = fx.write("invalid.toml", "name = \"A\"\npurpose = ");
        let run = fx.try_json(&["system", "add", "--file", &f]);
        assert_invalid_field(&run, "file");
        assert_refused(&run, "invalid_input", "not valid TOML");

        let f = fx.write("array.json", "[1, 2]");
        let run = fx.try_json(&["system", "add", "--file", &f]);
        assert_invalid_field(&run, "file");

        let f = fx.write("bad-category.json", r#"{"name": "A", "purpose": "p", "data_resources": [{"name": "d", "category": "gossip"}]}"#);
        let run = fx.try_json(&["system", "add", "--file", &f]);
        assert_invalid_field(&run, "data_resources[0].category");

        let missing = fx.path("no-such-file.json").display().to_string();
        let run = fx.try_json(&["system", "add", "--file", &missing]);
        assert_invalid_field(&run, "file");

        fx.assert_unchanged(&before, "refused file input");
    }
}

#[test]
fn system_update_with_a_bad_file_or_custom_value_is_refused_naming_the_field() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let id = id_of(&fx.add_system(&["--name", "Existing", "--purpose", "p"]));
        let before = fx.snapshot();

        let run = fx.try_json(&["system", "update", &id, "--lifecycle-stage", "sideways"]);
        assert_invalid_field(&run, "lifecycle_stage");

        let f = fx.write("unknown.json", r#"{"colour": "red"}"#);
        let run = fx.try_json(&["system", "update", &id, "--file", &f]);
        assert_invalid_field(&run, "colour");

        let f = fx.write("invalid.json", "{");
        let run = fx.try_json(&["system", "update", &id, "--file", &f]);
        assert_invalid_field(&run, "file");

        let run = fx.try_json(&["system", "update", &id, "--custom", "novalue"]);
        assert_invalid_field(&run, "custom");

        fx.assert_unchanged(&before, "refused updates");
    }
}

#[test]
fn unknown_org_is_refused_and_changes_nothing() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.add_system(&["--name", "Existing", "--purpose", "p"]);
        let before = fx.snapshot();
        let run = fx.try_json(&["--org", "no-such-org", "system", "list"]);
        assert_refused(&run, "not_found", "no-such-org");
        let run = fx.try_json(&[
            "--org",
            "no-such-org",
            "system",
            "add",
            "--name",
            "A",
            "--purpose",
            "p",
        ]);
        assert_refused(&run, "not_found", "no organization 'no-such-org'");
        let run = run_in(
            fx.dir.path(),
            Some(fx.url()),
            &["system", "add", "--name", "A", "--purpose", "p"],
            &[("AIMS_ORG", "no-such-org")],
        );
        assert_eq!(run.code, 2, "AIMS_ORG is honoured: {}", run.describe());
        fx.assert_unchanged(&before, "commands for an unknown organization");
    }
}

#[test]
fn malformed_database_urls_are_refused_naming_the_database_url() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("postgres://", "names no host"),
        ("postgres://postgres@127.0.0.1:54329", "names no database"),
        ("postgres://user@/db", "malformed"),
        ("postgres://127.0.0.1:99999/db", "malformed"),
        ("mysql://x/y", "unsupported scheme 'mysql'"),
        ("sqlite:", "names no file"),
        ("", "is empty"),
    ];
    for (url, says) in cases {
        for cmd in [&["system", "list"][..], &["init"][..], &["verify"][..]] {
            let run = json_in(dir.path(), Some(url), cmd);
            let e = assert_refused(&run, "store_unusable", "database URL");
            assert!(
                e["message"].as_str().unwrap().contains(says),
                "{}",
                run.describe()
            );
        }
    }
    assert_nothing_created(dir.path(), "a bad URL");
}

/// Runs `aims --format json CMD…` in `dir` against the store `url`.
fn json_in(dir: &Path, url: Option<&str>, cmd: &[&str]) -> Run {
    let mut args = vec!["--format", "json"];
    args.extend(cmd);
    run_in(dir, url, &args, &[])
}

/// Asserts that `dir` is still empty after `what`.
fn assert_nothing_created(dir: &Path, what: &str) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{what} created files: {left:?}");
}

#[test]
fn database_url_errors_never_show_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![
        "postgres://u:s3cr3t-pw@/db".to_string(),
        "postgres://u:s3cr3t-pw@127.0.0.1:99999/db".to_string(),
        "postgres://u:s3cr3t-pw@127.0.0.1:54329".to_string(),
    ];
    if let Ok(admin) = std::env::var("AIMS_TEST_PG_URL")
        && let Some(rest) = admin.strip_prefix("postgres://postgres@")
    {
        // A reachable server (trust authentication ignores the password) but a database that does not exist.
        let host = rest.split('/').next().unwrap();
        urls.push(format!(
            "postgres://postgres:s3cr3t-pw@{host}/no_such_database_here"
        ));
    }
    for url in &urls {
        for format in ["table", "json"] {
            let run = run_in(
                dir.path(),
                Some(url),
                &["--format", format, "system", "list"],
                &[],
            );
            run.assert_code(2);
            assert!(
                !run.stderr.contains("s3cr3t-pw") && !run.stdout.contains("s3cr3t-pw"),
                "password shown in the error: {}",
                run.describe()
            );
        }
    }
}

#[test]
fn database_url_with_postgres_scheme_but_no_slashes_is_not_taken_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for url in ["postgres:aims", "postgresql:/127.0.0.1/aims"] {
        let run = json_in(dir.path(), Some(url), &["init"]);
        assert_refused(&run, "store_unusable", "database URL");
    }
    assert_nothing_created(
        dir.path(),
        "a mistyped PostgreSQL URL (taken for a SQLite store)",
    );
}

#[test]
fn unreachable_postgres_server_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://postgres@127.0.0.1:1/none";
    let started = std::time::Instant::now();
    let run = json_in(dir.path(), Some(url), &["system", "list"]);
    let e = assert_refused(&run, "store_unusable", "cannot open the database");
    assert!(
        e["message"].as_str().unwrap().contains("127.0.0.1:1"),
        "names the server: {}",
        run.describe()
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "gave up in reasonable time"
    );
    let run = run_in(dir.path(), Some(url), &["system", "list"], &[]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with("error: cannot open the database"),
        "{}",
        run.describe()
    );
}

#[test]
fn missing_sqlite_file_is_refused_with_a_hint_to_run_init_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nowhere.db").display().to_string();
    for cmd in [
        &["system", "list"][..],
        &["system", "add", "--name", "A", "--purpose", "p"][..],
        &["verify"][..],
        &["backup", "b.jsonl"][..],
    ] {
        let run = json_in(dir.path(), Some(&db), cmd);
        assert_refused(&run, "store_unusable", "run `aims init`");
        assert!(!Path::new(&db).exists(), "{db} was created by {}", run.line);
    }
    // The default store is aims.db in the working directory.
    let run = run_in(dir.path(), None, &["system", "list"], &[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("aims.db") && run.stderr.contains("aims init"),
        "{}",
        run.describe()
    );
    assert_nothing_created(dir.path(), "a missing SQLite file");
}

/// The catalogue is built-in content: it answers before `aims init`, without creating a store.
#[test]
fn the_catalogue_is_read_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nowhere.db").display().to_string();
    let run = run_in(
        dir.path(),
        Some(&db),
        &["--format", "json", "catalog", "frameworks"],
        &[],
    );
    run.assert_code(0);
    let fws: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(fws[0]["id"], "iso42001", "{}", run.describe());
    let run = run_in(dir.path(), Some(&db), &["catalog", "show", "A.6.2.4"], &[]);
    run.assert_code(0);
    run.assert_stdout("A.6.2.4");
    let run = run_in(dir.path(), Some(&db), &["catalog", "show", "Z.9"], &[]);
    assert_ne!(run.code, 0, "{}", run.describe());
    assert!(!Path::new(&db).exists(), "the catalogue created a store");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files were created: {left:?}");
}

#[test]
fn system_show_with_an_invalid_id_is_refused_naming_id() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let id = id_of(&fx.add_system(&["--name", "A", "--purpose", "p"]));
        let before = fx.snapshot();
        for bad in ["not-an-id", "", "' OR 1=1 --", "01900000-0000-7000-8000"] {
            let run = fx.try_json(&["system", "show", bad]);
            assert_invalid_field(&run, "id");
        }
        let run = fx.try_json(&["system", "update", "nope", "--owner", "x"]);
        assert_invalid_field(&run, "id");
        let run = fx.try_json(&["system", "history", "nope"]);
        assert_invalid_field(&run, "id");
        // A well-formed id that does not exist is "not found".
        let run = fx.try_json(&["system", "show", "01900000-0000-7000-8000-000000000001"]);
        assert_refused(&run, "not_found", "no ai system with id");
        // Ids are accepted in upper case too.
        fx.json(&["system", "show", &id.to_uppercase()]);
        fx.assert_unchanged(&before, "refused lookups");
    }
}

#[test]
fn another_organizations_system_is_not_found() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let beta = fx.json(&["org", "add", "--name", "Beta Bank", "--slug", "beta"]);
        assert_eq!(beta["slug"], "beta");
        let acme_sys = id_of(&fx.json(&[
            "--org",
            "acme-ai",
            "system",
            "add",
            "--name",
            "Acme secret",
            "--purpose",
            "p",
        ]));
        let beta_sys = id_of(&fx.json(&[
            "--org",
            "beta",
            "system",
            "add",
            "--name",
            "Beta system",
            "--purpose",
            "p",
        ]));
        // With two organizations, --org is required.
        let run = fx.try_json(&["system", "list"]);
        assert_invalid_field(&run, "org");

        let before = fx.snapshot();
        let id = acme_sys.as_str();
        for cmd in [
            vec!["system", "show", id],
            vec!["system", "update", id, "--owner", "Mallory"],
            vec!["system", "retire", id, "--reason", "hostile"],
            vec!["system", "history", id],
            vec!["history", "ai_system", id],
        ] {
            let mut args = vec!["--format", "json", "--org", "beta"];
            args.extend(cmd);
            let run = fx.aims(&args);
            let e = assert_refused(&run, "not_found", id);
            assert!(
                !e["message"].as_str().unwrap().contains("Acme secret"),
                "{}",
                run.describe()
            );
        }
        assert_eq!(names(&fx.systems(&["--org", "beta"])), ["Beta system"]);
        assert_eq!(names(&fx.systems(&["--org", "acme-ai"])), ["Acme secret"]);
        assert_eq!(
            fx.json(&["--org", &id_of(&beta), "system", "show", &beta_sys])["name"],
            "Beta system",
            "--org also takes the organization id"
        );
        fx.assert_unchanged(&before, "cross-organization attempts");
    }
}

#[test]
fn custom_field_rules_are_enforced_on_system_add() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let f = fx.json(&[
            "field",
            "add",
            "--key",
            "risk_tier",
            "--label",
            "Risk tier",
            "--kind",
            "choice",
            "--choice",
            "a",
            "--choice",
            "b",
            "--required",
        ]);
        assert_eq!(f["required"], true);
        assert_eq!(f["choices"], json!(["a", "b"]));
        let before = fx.snapshot();

        let run = fx.try_json(&["system", "add", "--name", "S", "--purpose", "p"]);
        assert_invalid_field(&run, "custom_fields.risk_tier");
        assert_refused(&run, "invalid_input", "required");

        let run = fx.try_json(&[
            "system",
            "add",
            "--name",
            "S",
            "--purpose",
            "p",
            "--custom",
            "risk_tier=c",
        ]);
        assert_invalid_field(&run, "custom_fields.risk_tier");
        assert_refused(&run, "invalid_input", "one of: a, b");

        let run = fx.try_json(&[
            "system",
            "add",
            "--name",
            "S",
            "--purpose",
            "p",
            "--custom",
            "risk_tier=a",
            "--custom",
            "colour=red",
        ]);
        assert_invalid_field(&run, "custom_fields.colour");
        fx.assert_unchanged(&before, "custom field violations");

        let s = fx.add_system(&["--name", "S", "--purpose", "p", "--custom", "risk_tier=b"]);
        assert_eq!(s["custom_fields"], json!({"risk_tier": "b"}));

        // A bad field definition is refused too.
        let run = fx.try_json(&[
            "field", "add", "--key", "x", "--label", "X", "--kind", "colour",
        ]);
        assert_invalid_field(&run, "kind");
        let run = fx.try_json(&[
            "field",
            "add",
            "--key",
            "risk_tier",
            "--label",
            "Again",
            "--kind",
            "text",
        ]);
        assert_invalid_field(&run, "key");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Tamper detection
// ---------------------------------------------------------------------------------------------------------------

/// A store with a few writes on it; returns the ids of the systems.
fn store_with_history(fx: &Fx) -> Vec<String> {
    let a = id_of(&fx.add_system(&["--name", "Credit scoring", "--purpose", "p"]));
    let b = id_of(&fx.add_system(&["--name", "Chat assistant", "--purpose", "p"]));
    fx.json(&["system", "update", &a, "--owner", "Alice"]);
    fx.json(&[
        "issue",
        "add",
        "--kind",
        "external",
        "--title",
        "New AI regulation",
    ]);
    vec![a, b]
}

#[test]
fn verify_says_intact_after_normal_writes() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        store_with_history(&fx);
        let run = fx.aims(&["verify"]).ok();
        run.assert_stdout("intact");
        assert!(!run.stdout.contains("NOT INTACT"), "{}", run.describe());
        let v = fx.json(&["verify"]);
        assert_eq!(v["intact"], true);
        assert_eq!(v["report"]["problems"], json!([]));
        // org create + membership + 2 adds + update + issue, and the admin user on the installation chain.
        assert_eq!(v["report"]["entries_checked"], 7, "{v:#}");
        let org = fx.org_id();
        let chain = v["report"]["chains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["org_id"] == org.as_str())
            .expect("the organization's chain");
        assert_eq!(chain["head_seq"], 6);
        assert_eq!(chain["head_hash"].as_str().map(str::len), Some(64));
        let run = fx.aims(&["--org", "acme-ai", "verify"]).ok();
        run.assert_stdout("intact");
    }
}

#[test]
fn verify_names_an_ai_system_edited_behind_the_apps_back() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let ids = store_with_history(&fx);
        fx.aims(&["verify"]).ok();
        fx.raw(&format!(
            "UPDATE ai_systems SET owner = 'Mallory' WHERE id = '{}'",
            ids[0]
        ));
        let run = fx.aims(&["verify"]);
        assert_eq!(run.code, 1, "a failed check exits 1: {}", run.describe());
        run.assert_stdout("NOT INTACT");
        assert!(
            run.stdout.contains(&ids[0]),
            "names the record: {}",
            run.describe()
        );
        run.assert_stdout("altered outside aims");
        assert!(
            !run.stdout.contains(&ids[1]),
            "only the edited one: {}",
            run.describe()
        );

        let run = fx.try_json(&["verify"]);
        run.assert_code(1);
        let v = run.json();
        assert_eq!(v["intact"], false);
        let problems = v["report"]["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{v:#}");
        assert_eq!(problems[0]["record_id"], ids[0].as_str());
        assert_eq!(problems[0]["record_type"], "ai_system");
        assert_eq!(problems[0]["org_id"], fx.org_id().as_str());
    }
}

#[test]
fn verify_names_an_edited_change_log_entry() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        store_with_history(&fx);
        let org = fx.org_id();
        fx.raw(&format!(
            "UPDATE change_log SET actor = 'someone-else' WHERE org_id = '{org}' AND seq = 3"
        ));
        let run = fx.aims(&["verify"]);
        run.assert_code(1);
        assert!(
            run.stdout.contains("entry 3"),
            "names the entry: {}",
            run.describe()
        );
        run.assert_stdout("altered");

        let run = fx.try_json(&["verify"]);
        run.assert_code(1);
        let v = run.json();
        assert_eq!(v["intact"], false);
        let problems = v["report"]["problems"].as_array().unwrap();
        assert!(!problems.is_empty());
        assert_eq!(problems[0]["seq"], 3, "{v:#}");
        assert_eq!(problems[0]["org_id"], org.as_str());
    }
}

#[test]
fn verify_detects_a_deleted_change_log_entry() {
    for backend in backends() {
        // In the middle of the chain.
        let fx = Fx::initialised(backend);
        store_with_history(&fx);
        let org = fx.org_id();
        fx.raw(&format!(
            "DELETE FROM change_log WHERE org_id = '{org}' AND seq = 3"
        ));
        let run = fx.aims(&["verify"]);
        run.assert_code(1);
        run.assert_stdout("entry 3 is missing");
        let run = fx.try_json(&["verify"]);
        run.assert_code(1);
        let v = run.json();
        assert_eq!(v["intact"], false);
        assert!(!v["report"]["problems"].as_array().unwrap().is_empty());

        // The newest entry, which leaves an unbroken but shorter chain.
        let fx = Fx::initialised(backend);
        store_with_history(&fx);
        let org = fx.org_id();
        fx.raw(&format!(
            "DELETE FROM change_log WHERE org_id = '{org}' AND seq = 6"
        ));
        let run = fx.try_json(&["verify"]);
        run.assert_code(1);
        let v = run.json();
        assert_eq!(v["intact"], false, "{v:#}");
        let msgs: Vec<&str> = v["report"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["message"].as_str().unwrap())
            .collect();
        assert!(msgs.iter().any(|m| m.contains("chain head")), "{msgs:?}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Concurrent writers
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn two_processes_adding_systems_at_once_lose_nothing_and_keep_the_chain_intact() {
    const WRITERS: usize = 2;
    const EACH: usize = 15;
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let start = std::sync::Barrier::new(WRITERS);
        let failures: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let (fx, start) = (&fx, &start);
                    scope.spawn(move || {
                        start.wait();
                        let mut failed = vec![];
                        for i in 0..EACH {
                            let name = format!("Writer {w} system {i:02}");
                            let actor = format!("writer-{w}");
                            let (mut cmd, line) = command(
                                fx.dir.path(),
                                Some(fx.url()),
                                &["system", "add", "--name", &name, "--purpose", "load"],
                                &[("AIMS_ACTOR", &actor)],
                            );
                            let child = cmd.spawn().expect("spawn aims");
                            let out = child.wait_with_output().expect("wait for aims");
                            let run = finished(line, out);
                            if run.code != 0 {
                                failed.push(run.describe());
                            }
                        }
                        failed
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("writer thread"))
                .collect()
        });
        assert!(
            failures.is_empty(),
            "{backend:?}: failed writes:\n{}",
            failures.join("\n")
        );

        let run = fx.aims(&["verify"]);
        assert_eq!(run.code, 0, "{backend:?}: {}", run.describe());
        assert!(run.stdout.contains("intact"));
        let list = fx.systems(&[]);
        assert_eq!(list.len(), WRITERS * EACH, "{backend:?}");
        let got: BTreeSet<String> = names(&list).into_iter().collect();
        let want: BTreeSet<String> = (0..WRITERS)
            .flat_map(|w| (0..EACH).map(move |i| format!("Writer {w} system {i:02}")))
            .collect();
        assert_eq!(got, want);
        for s in &list {
            let writer = &s["name"].as_str().unwrap()[..8];
            let history = fx.json(&["system", "history", &id_of(s)]);
            assert_eq!(
                history[0]["actor"],
                writer.to_lowercase().replace(' ', "-"),
                "each process logs its own actor: {history:#}"
            );
        }
        let v = fx.json(&["verify"]);
        let org = fx.org_id();
        let chain = v["report"]["chains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["org_id"] == org.as_str())
            .cloned()
            .unwrap();
        assert_eq!(chain["entries"], (2 + WRITERS * EACH) as i64, "{chain:#}");
        assert_eq!(chain["head_seq"], (2 + WRITERS * EACH) as i64);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 6. Backup and restore
// ---------------------------------------------------------------------------------------------------------------

/// A store with a bit of everything.
fn populated(backend: Backend) -> Fx {
    let fx = Fx::initialised(backend);
    let sid = id_of(&fx.json(&["supplier", "add", "--name", "Vendor Inc"]));
    fx.json(&[
        "supplier",
        "certify",
        &sid,
        "--standard",
        "ISO/IEC 42001:2023",
        "--valid-until",
        "2027-01-31",
    ]);
    let file = fx.write("sys.json", &nested_json(&sid));
    let chat = id_of(&fx.add_system(&["--file", &file]));
    let toml = fx.write("sys.toml", &nested_toml(&sid));
    fx.add_system(&["--file", &toml]);
    let old = id_of(&fx.add_system(&[
        "--name",
        "Legacy scorer",
        "--purpose",
        "p",
        "--lifecycle-stage",
        "operation",
    ]));
    fx.json(&["system", "update", &chat, "--owner", "Support lead"]);
    fx.json(&["system", "retire", &old, "--reason", "Replaced"]);
    fx.json(&["scope", "draft", "--statement", "All customer-facing AI"]);
    fx.json(&["scope", "approve"]);
    fx.json(&["issue", "add", "--kind", "external", "--title", "EU AI Act"]);
    fx.json(&["org", "add", "--name", "Beta Bank", "--slug", "beta"]);
    fx.json(&[
        "--org",
        "beta",
        "system",
        "add",
        "--name",
        "Beta system",
        "--purpose",
        "p",
    ]);
    fx
}

#[test]
fn backup_restores_into_the_other_backend_with_the_same_systems_and_an_intact_chain() {
    for backend in backends() {
        let src = populated(backend);
        let before = src.snapshot();
        let file = src.path("store.jsonl");
        let file_s = file.display().to_string();
        let summary = src.json(&["backup", &file_s]);
        assert!(
            summary["rows"].as_i64().unwrap() > 0 && summary["log_entries"].as_i64().unwrap() > 0
        );
        src.assert_unchanged(&before, "backup");

        let target = Fx::new(other_backend(backend));
        let run = target.aims(&["restore", &file_s]).ok();
        run.assert_stdout("verify: intact");
        let run = target.aims(&["verify"]).ok();
        run.assert_stdout("intact");
        // Same organizations, records and chain heads: the snapshots are identical.
        let after = target.snapshot();
        assert_eq!(
            after, before,
            "{backend:?} -> {:?}: restored store differs",
            target.backend
        );
        let id = id_of(&target.systems(&["--org", "acme-ai", "--search", "Chat"])[0]);
        assert_eq!(
            target.json(&["--org", "acme-ai", "system", "history", &id]),
            src.json(&["--org", "acme-ai", "system", "history", &id])
        );

        // The restored store keeps working: new writes extend the restored chains.
        target.json(&[
            "--org",
            "acme-ai",
            "system",
            "add",
            "--name",
            "After restore",
            "--purpose",
            "p",
        ]);
        target.aims(&["verify"]).ok();

        // Restoring into a store that holds data is refused and changes nothing.
        let run = src.aims(&["--format", "json", "restore", &file_s]);
        assert_refused(&run, "store_unusable", "not empty");
        src.assert_unchanged(&before, "restore into a non-empty store");
    }
}

#[test]
fn restore_of_a_truncated_or_edited_backup_is_refused_and_leaves_the_target_empty() {
    for backend in backends() {
        let src = populated(backend);
        let file = src.path("store.jsonl");
        src.json(&["backup", file.to_str().unwrap()]);
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();

        let half = src.path("half.jsonl");
        std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let no_trailer = src.path("no-trailer.jsonl");
        std::fs::write(&no_trailer, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
        let edited = src.path("edited.jsonl");
        std::fs::write(&edited, text.replacen("Legacy scorer", "Legacy sc0rer", 1)).unwrap();
        let empty = src.path("empty.jsonl");
        std::fs::write(&empty, "").unwrap();

        let target = Fx::new(other_backend(backend));
        for (bad, says) in [
            (&half, "truncated"),
            (&no_trailer, "truncated"),
            (&edited, "changed or damaged"),
            (&empty, "empty"),
        ] {
            let run = target.aims(&["--format", "json", "restore", bad.to_str().unwrap()]);
            let e = assert_refused(&run, "store_unusable", "backup file");
            assert!(
                e["message"].as_str().unwrap().contains(says),
                "message should say {says:?}: {}",
                run.describe()
            );
            assert_eq!(
                target.json(&["org", "list"]),
                json!([]),
                "target stays empty after {}",
                run.line
            );
        }
        let run = target.aims(&["restore", half.to_str().unwrap()]);
        assert_eq!(run.code, 2);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.describe());
        run.assert_stderr("truncated");
        // Still empty, so the good file restores.
        target.aims(&["restore", file.to_str().unwrap()]).ok();
        target.aims(&["verify"]).ok();
    }
}

#[test]
fn backup_to_an_existing_file_is_refused_and_the_file_is_kept() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.add_system(&["--name", "A", "--purpose", "p"]);
        let file = fx.write("existing.jsonl", "keep me\n");
        let before = fx.snapshot();
        let run = fx.try_json(&["backup", &file]);
        assert_invalid_field(&run, "file");
        assert_refused(&run, "invalid_input", "exists");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me\n");
        fx.assert_unchanged(&before, "a refused backup");
        let run = fx.aims(&["backup", &file]);
        run.assert_code(2);
        assert!(
            run.stderr.starts_with("error: file: "),
            "{}",
            run.describe()
        );
        // Into a directory that does not exist: refused, nothing written.
        let nested = fx.path("no/such/dir/b.jsonl").display().to_string();
        let run = fx.try_json(&["backup", &nested]);
        assert_invalid_field(&run, "file");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Catalogue
// ---------------------------------------------------------------------------------------------------------------

const ISO_CONTROLS: [&str; 38] = [
    "A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6",
    "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4",
    "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6",
    "A.8.2", "A.8.3", "A.8.4", "A.8.5", "A.9.2", "A.9.3", "A.9.4", "A.10.2", "A.10.3", "A.10.4",
];

#[test]
fn catalog_lists_the_38_iso42001_annex_a_controls_in_order() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let items = fx.json(&["catalog", "controls", "--framework", "iso42001"]);
        let items = items.as_array().unwrap();
        assert_eq!(items.len(), 38);
        let refs: Vec<&str> = items.iter().map(|i| i["ref"].as_str().unwrap()).collect();
        assert_eq!(refs, ISO_CONTROLS);
        assert!(
            items
                .iter()
                .all(|i| i["kind"] == "control" && i["framework"] == "iso42001")
        );
        assert!(
            items
                .iter()
                .all(|i| i["title"].as_str().is_some_and(|t| !t.is_empty()))
        );
        let table = fx
            .aims(&["catalog", "controls", "--framework", "iso42001"])
            .ok();
        assert!(table.stdout.contains("A.10.4") && table.stdout.contains("A.6.2.4"));
    }
}

#[test]
fn catalog_lists_the_72_nist_ai_rmf_subcategories() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let items = fx.json(&["catalog", "requirements", "--framework", "nist-ai-rmf"]);
        let subs: Vec<&Value> = items
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == "subcategory")
            .collect();
        assert_eq!(subs.len(), 72);
        assert!(subs.iter().any(|i| i["ref"] == "GOVERN 1.1"));
        assert!(
            items
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["framework"] == "nist-ai-rmf")
        );
        let only = fx.json(&[
            "catalog",
            "items",
            "--framework",
            "nist-ai-rmf",
            "--kind",
            "subcategory",
        ]);
        assert_eq!(only.as_array().unwrap().len(), 72);
    }
}

#[test]
fn catalog_map_govern_1_1_shows_its_iso42001_counterparts() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let m = fx.json(&["catalog", "map", "GOVERN 1.1"]);
        assert_eq!(m["item"]["ref"], "GOVERN 1.1");
        assert_eq!(m["item"]["framework"], "nist-ai-rmf");
        let iso: BTreeSet<&str> = m["mappings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["framework"] == "iso42001")
            .map(|x| x["ref"].as_str().unwrap())
            .collect();
        assert_eq!(
            iso,
            BTreeSet::from(["4.1", "6.2", "A.2.2", "A.2.4"]),
            "{m:#}"
        );
        let table = fx.aims(&["catalog", "map", "GOVERN 1.1"]).ok();
        for r in ["4.1", "6.2", "A.2.2", "A.2.4"] {
            assert!(table.stdout.contains(r), "{r}: {}", table.describe());
        }
    }
}

#[test]
fn catalog_with_an_unknown_framework_is_refused_naming_framework() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        for cmd in [
            &["catalog", "controls", "--framework", "iso9001"][..],
            &["catalog", "requirements", "--framework", "iso9001"][..],
            &["catalog", "items", "--framework", "iso9001"][..],
        ] {
            let mut args = vec!["--format", "json"];
            args.extend(cmd);
            let run = fx.aims(&args);
            assert_invalid_field(&run, "framework");
            assert_refused(&run, "invalid_input", "iso42001");
        }
        let run = fx.try_json(&["catalog", "show", "Z.99"]);
        assert_refused(&run, "not_found", "Z.99");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 8. Context
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn approving_a_second_scope_draft_supersedes_the_first() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let run = fx.try_json(&["scope", "approve"]);
        assert_refused(&run, "conflict", "no draft");

        let d1 = fx.json(&[
            "scope",
            "draft",
            "--statement",
            "Customer-facing AI",
            "--boundaries",
            "EU sites",
        ]);
        assert_eq!(
            (d1["number"].clone(), d1["status"].clone()),
            (json!(1), json!("draft"))
        );
        let a1 = fx.json(&["scope", "approve", "--note", "board 2024-06"]);
        assert_eq!(a1["status"], "approved");
        assert_eq!(a1["approved_by"], ACTOR);
        let d2 = fx.json(&["scope", "draft", "--statement", "All AI systems"]);
        assert_eq!(d2["number"], 2);
        // While the second is a draft, the first stays in force.
        let show = fx.json(&["scope", "show"]);
        assert_eq!(show["approved"]["number"], 1);
        assert_eq!(show["draft"]["number"], 2);
        fx.json(&["scope", "approve"]);

        let versions = fx.json(&["scope", "versions"]);
        let v: Vec<(i64, &str, &str)> = versions
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["number"].as_i64().unwrap(),
                    x["status"].as_str().unwrap(),
                    x["statement"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            v,
            [
                (2, "approved", "All AI systems"),
                (1, "superseded", "Customer-facing AI")
            ]
        );
        let show = fx.json(&["scope", "show"]);
        assert_eq!(show["approved"]["number"], 2);
        assert_eq!(show["draft"], Value::Null);
        let table = fx.aims(&["scope", "versions"]).ok();
        table.assert_stdout("superseded");
        fx.snapshot();
    }
}

#[test]
fn issue_with_an_unknown_kind_is_refused_naming_kind() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        fx.json(&[
            "issue",
            "add",
            "--kind",
            "Internal",
            "--title",
            "Skills gap",
        ]);
        let before = fx.snapshot();
        let run = fx.try_json(&["issue", "add", "--kind", "sideways", "--title", "t"]);
        assert_invalid_field(&run, "kind");
        assert_refused(&run, "invalid_input", "internal, external");
        fx.assert_unchanged(&before, "a refused issue");
        let issues = fx.json(&["issue", "list"]);
        assert_eq!(issues.as_array().unwrap().len(), 1);
        assert_eq!(issues[0]["kind"], "internal");
    }
}

#[test]
fn party_requirement_with_an_unknown_source_is_refused_naming_it() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let p = fx.json(&[
            "party",
            "add",
            "--name",
            "Data protection authority",
            "--category",
            "regulator",
        ]);
        let id = id_of(&p);
        let before = fx.snapshot();
        let run = fx.try_json(&[
            "party",
            "require",
            &id,
            "--text",
            "DPIA for high-risk processing",
            "--source",
            "rumour",
        ]);
        assert_invalid_field(&run, "requirements[0].source");
        fx.assert_unchanged(&before, "a refused requirement");

        let p = fx.json(&[
            "party",
            "require",
            &id,
            "--text",
            "DPIA for high-risk processing",
            "--source",
            "Legal",
            "--addressed",
            "--how",
            "DPIA procedure",
        ]);
        let reqs = p["requirements"].as_array().unwrap();
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0]["source"], "legal");
        assert_eq!(reqs[0]["addressed"], true);
        assert!(reqs[0]["id"].as_str().is_some_and(|i| !i.is_empty()));
        // The second requirement with a bad source is named by its own index.
        let run = fx.try_json(&["party", "require", &id, "--text", "x", "--source", "gossip"]);
        assert_invalid_field(&run, "requirements[1].source");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 9. Read-only stores
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn read_only_sqlite_store_refuses_writes_with_a_clear_one_line_message() {
    let fx = Fx::initialised(Backend::Sqlite);
    fx.add_system(&["--name", "Existing", "--purpose", "p"]);
    let before = fx.snapshot();
    let ro = format!("sqlite:{}?mode=ro", fx.url());
    let ro_run = |args: &[&str]| run_in(fx.dir.path(), Some(&ro), args, &[]);

    let run = ro_run(&["system", "add", "--name", "New", "--purpose", "p"]);
    assert_ne!(run.code, 0, "{}", run.describe());
    assert_eq!(
        run.code,
        2,
        "a read-only store is the caller's input: {}",
        run.describe()
    );
    let line = run.stderr.trim();
    assert_eq!(line.lines().count(), 1, "one line: {}", run.describe());
    assert!(line.starts_with("error: "), "{}", run.describe());
    assert!(line.contains("read-only"), "says why: {}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());

    let run = ro_run(&[
        "--format",
        "json",
        "system",
        "add",
        "--name",
        "New",
        "--purpose",
        "p",
    ]);
    assert_refused(&run, "store_unusable", "read-only");
    let id = id_of(&fx.systems(&[])[0]);
    let run = ro_run(&["--format", "json", "system", "update", &id, "--owner", "x"]);
    assert_refused(&run, "store_unusable", "read-only");

    // Reading still works.
    let list = ro_run(&["--format", "json", "system", "list"]).ok().json();
    assert_eq!(names(list.as_array().unwrap()), ["Existing"]);
    ro_run(&["verify"]).ok();

    fx.assert_unchanged(&before, "writes to a read-only store");
}

fn pg_database_name(url: &str) -> String {
    url.rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn read_only_postgres_database_refuses_writes_but_can_still_be_read() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let fx = Fx::initialised(Backend::Postgres);
    fx.add_system(&["--name", "Existing", "--purpose", "p"]);
    let before = fx.snapshot();
    let admin = std::env::var("AIMS_TEST_PG_URL").unwrap();
    let name = pg_database_name(fx.url());
    raw_sql(
        Backend::Postgres,
        &admin,
        &format!("ALTER DATABASE {name} SET default_transaction_read_only = on"),
    );

    let write = fx.aims(&["system", "add", "--name", "New", "--purpose", "p"]);
    let read = fx.try_json(&["system", "list"]);

    raw_sql(
        Backend::Postgres,
        &admin,
        &format!("ALTER DATABASE {name} SET default_transaction_read_only = off"),
    );
    fx.assert_unchanged(&before, "writes to a read-only database");

    write.assert_code(2);
    let line = write.stderr.trim();
    assert_eq!(line.lines().count(), 1, "one line: {}", write.describe());
    assert!(line.contains("read-only"), "says why: {}", write.describe());
    assert_eq!(
        read.code,
        0,
        "reading a read-only PostgreSQL database should work as it does for SQLite: {}",
        read.describe()
    );
    assert_eq!(names(read.json().as_array().unwrap()), ["Existing"]);
}

#[test]
fn context_records_update_only_the_given_fields_refuse_stale_versions_and_delete_with_history() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let issue = fx.json(&[
            "issue",
            "add",
            "--kind",
            "internal",
            "--title",
            "Skills gap",
            "--category",
            "people",
        ]);
        let id = issue["id"].as_str().expect("id").to_string();
        let updated = fx.json(&[
            "issue",
            "update",
            &id,
            "--title",
            "Skills gap in ML operations",
        ]);
        assert_eq!(updated["title"], "Skills gap in ML operations");
        assert_eq!(
            updated["category"], "people",
            "fields not given stay as they were"
        );
        assert_eq!(updated["version"], 2);
        let stale = fx.try_json(&["issue", "update", &id, "--title", "x", "--if-version", "1"]);
        stale.assert_code(2);
        assert!(
            stale.error()["message"]
                .as_str()
                .unwrap_or_default()
                .contains("changed by someone else")
        );
        let supplier = fx.json(&[
            "supplier",
            "add",
            "--name",
            "Acme Models",
            "--website",
            "https://acme.example",
        ]);
        let sid = supplier["id"].as_str().expect("id").to_string();
        let s2 = fx.json(&["supplier", "update", &sid, "--contact", "ai@acme.example"]);
        assert_eq!(s2["website"], "https://acme.example");
        assert_eq!(s2["contact"], "ai@acme.example");
        fx.aims(&["supplier", "delete", &sid]).ok();
        fx.aims(&["issue", "delete", &id]).ok();
        assert_eq!(
            fx.json(&["issue", "list"]).as_array().map(Vec::len),
            Some(0)
        );
        let history = fx.json(&["issue", "history", &id]);
        let actions: Vec<&str> = history
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(actions, vec!["create", "update", "delete"]);
        let missing = fx.try_json(&["supplier", "delete", &sid]);
        missing.assert_code(2);
        assert_eq!(missing.error()["code"], "not_found");
        fx.aims(&["verify"]).ok();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn system_import_writes_all_or_nothing_and_names_the_item_at_fault() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let before = fx.snapshot();
        let bad = json!([
            {"name": "Lead scoring", "purpose": "Ranks sales leads."},
            {"name": "", "purpose": "Nameless.", "lifecycle_stage": "someday"},
            {"name": "Churn model", "purpose": "Predicts churn."}
        ]);
        let path = fx.write("bad.json", &bad.to_string());
        let run = fx.try_json(&["system", "import", &path]);
        assert_invalid_field(&run, "[1].name");
        assert_invalid_field(&run, "[1].lifecycle_stage");
        fx.assert_unchanged(&before, "a refused import");
        let unknown = json!([bad[0], {"name": "Churn model", "purpose": "p", "colour": "red"}]);
        let path = fx.write("unknown.json", &unknown.to_string());
        let run = fx.try_json(&["system", "import", &path]);
        assert_invalid_field(&run, "[1].colour");
        fx.assert_unchanged(&before, "an import with an unknown field");

        let lines = "{\"name\": \"Lead scoring\", \"purpose\": \"Ranks sales leads.\"}\n\n{\"name\": \"Churn model\", \"purpose\": \"Predicts churn.\", \"org_role\": \"developer\"}\n";
        let path = fx.write("good.jsonl", lines);
        let out = fx.json(&["system", "import", &path]);
        assert_eq!(out["imported"], 2);
        let toml = "[[systems]]\nname = \"Doc triage\"\npurpose = \"Sorts incoming documents.\"\n";
        let path = fx.write("more.toml", toml);
        assert_eq!(fx.json(&["system", "import", &path])["imported"], 1);
        let all = fx.systems(&[]);
        assert_eq!(
            names(&all),
            ["Churn model", "Doc triage", "Lead scoring"],
            "{backend:?}"
        );
        let id = out["ids"][1].as_str().unwrap();
        let h = fx.json(&["system", "history", id]);
        assert_eq!(
            h.as_array().unwrap().len(),
            1,
            "each imported system is logged"
        );
        assert_eq!(fx.aims(&["verify"]).code, 0);
    }
}

/// The sample input files the README links (`docs/examples/`) stay valid: each goes through the command it is
/// for, on both databases.
#[test]
fn the_readme_sample_files_are_accepted() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let file = |name: &str| examples.join(name).display().to_string();
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let system = fx.json(&["system", "add", "--file", &file("system.toml")]);
        assert_eq!(system["data_resources"].as_array().map(Vec::len), Some(1));
        assert_eq!(system["human_oversight"], "human_in_the_loop");
        let id = id_of(&system);
        let class = fx.json(&["classify", &id, "--answers", &file("answers.json")]);
        assert_eq!(class["result"]["risk_class"], "high_risk", "{class}");
        let impact = fx.json(&[
            "impact",
            "add",
            "--system",
            &id,
            "--file",
            &file("assessment.json"),
        ]);
        assert_eq!(impact["impacts"].as_array().map(Vec::len), Some(2));
    }
}

#[test]
fn user_role_and_remove_keep_an_admin_and_name_unknown_members() {
    for backend in backends() {
        let fx = Fx::initialised(backend);
        let add = [
            "user",
            "add",
            "--email",
            "bo@acme.test",
            "--name",
            "Bo",
            "--role",
            "viewer",
        ];
        fx.json(&add);
        let m = fx.json(&["user", "role", "BO@acme.test", "--role", "manager"]);
        assert_eq!(m["role"], "manager");
        let before = fx.snapshot();
        let run = fx.try_json(&["user", "role", "admin@acme.test", "--role", "viewer"]);
        assert_invalid_field(&run, "role");
        let run = fx.try_json(&["user", "remove", "admin@acme.test"]);
        assert_invalid_field(&run, "role");
        let run = fx.try_json(&["user", "remove", "nobody@acme.test"]);
        assert_invalid_field(&run, "email");
        fx.assert_unchanged(&before, "refused member changes");
        fx.json(&["user", "remove", "bo@acme.test"]);
        let members = fx.json(&["user", "list"]);
        assert_eq!(members.as_array().map(Vec::len), Some(1), "{members}");
    }
}

/// Table output wraps a long cell onto further lines of its column; nothing is cut.
#[test]
fn long_table_cells_wrap_and_are_never_cut() {
    let fx = Fx::initialised(Backend::Sqlite);
    let name = "Assistant that drafts replies to supplier e-mails for the procurement team in three languages";
    fx.add_system(&["--name", name, "--purpose", "p"]);
    let table = fx.aims(&["system", "list"]).ok();
    assert!(!table.stdout.contains('…'), "{}", table.describe());
    for part in [
        "Assistant that drafts replies to supplier e-mails for the",
        "procurement team in three languages",
    ] {
        assert!(table.stdout.contains(part), "{part}: {}", table.describe());
    }
}

//! What the test modules of the aims binary share: running the real executable as a user would (its own working
//! directory, stdin closed, a clean `AIMS_*` environment), what a run did and the checks on it (no crash, JSON
//! output, a refusal naming the field), and scratch stores.
#![allow(dead_code)]

use aims_app::test_store::Backend;
use aims_app::test_store::testing::TestDb;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_aims");
/// The actor every command runs as (through `AIMS_ACTOR`), so the change log can be checked for it.
pub const ACTOR: &str = "qa-engineer@aims.test";

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The command line, for failure messages.
    pub line: String,
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// The command line, exit code and both outputs, for failure messages.
    pub fn describe(&self) -> String {
        format!(
            "`{}` exited {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.line, self.code, self.stdout, self.stderr
        )
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "expected success: {}", self.describe());
        self
    }

    /// Asserts the exit code.
    #[track_caller]
    pub fn assert_code(&self, code: i32) {
        assert_eq!(self.code, code, "{}", self.describe());
    }

    /// Asserts that standard output contains `needle`.
    #[track_caller]
    pub fn assert_stdout(&self, needle: &str) {
        assert!(self.stdout.contains(needle), "{}", self.describe());
    }

    /// Asserts that standard error contains `needle`.
    #[track_caller]
    pub fn assert_stderr(&self, needle: &str) {
        assert!(self.stderr.contains(needle), "{}", self.describe());
    }

    /// Standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.describe()))
    }

    /// The `error` object of a `--format json` failure: exactly one line of JSON on stderr.
    #[track_caller]
    pub fn error(&self) -> Value {
        let text = self.stderr.trim();
        assert_eq!(
            text.lines().count(),
            1,
            "a JSON error is one line on stderr: {}",
            self.describe()
        );
        let v: Value = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("stderr is not a JSON error ({e}): {}", self.describe()));
        let err = v["error"].clone();
        assert!(
            err["code"].is_string() && err["message"].is_string() && err.get("details").is_some(),
            "error has code, message and details: {}",
            self.describe()
        );
        err
    }

    /// The fields a JSON error's details name.
    #[track_caller]
    pub fn error_fields(&self) -> Vec<String> {
        self.error()["details"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|x| x["field"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts a refusal for bad input (exit 2) whose JSON error's details name `field`.
    #[track_caller]
    pub fn refused(&self, field: &str) {
        assert_eq!(self.code, 2, "expected exit 2: {}", self.describe());
        let fields = self.error_fields();
        assert!(
            fields.iter().any(|f| f == field),
            "details should name field {field:?}, got {fields:?}: {}",
            self.describe()
        );
    }
}

/// Builds `aims [--database DB] ARGS` to run in `cwd` with stdin closed and a clean `AIMS_*` environment plus
/// `env`; returns it with the command line for messages.
pub fn command(
    cwd: &Path,
    db: Option<&str>,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Command, String) {
    let mut cmd = Command::new(BIN);
    let mut all: Vec<&str> = vec![];
    if let Some(db) = db {
        all.extend(["--database", db]);
    }
    all.extend(args);
    cmd.args(&all)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "AIMS_DATABASE_URL",
        "AIMS_ORG",
        "AIMS_ACTOR",
        "AIMS_ADMIN_PASSWORD",
        "AIMS_USER_PASSWORD",
        "RUST_BACKTRACE",
        "RUST_LIB_BACKTRACE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AIMS_ACTOR", ACTOR);
    for (k, v) in env {
        cmd.env(k, v);
    }
    (cmd, format!("aims {}", all.join(" ")))
}

/// Collects what a finished run did, and checks it did not crash.
pub fn finished(line: String, out: std::process::Output) -> Run {
    let run = Run {
        line,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_no_crash(&run);
    run
}

/// Runs `aims [--database DB] ARGS` (see [`command`]) to completion.
pub fn run_in(cwd: &Path, db: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Run {
    let (mut cmd, line) = command(cwd, db, args, env);
    let out = cmd.output().expect("start the aims binary");
    finished(line, out)
}

/// No command may panic or print a backtrace, whether it succeeds or fails.
#[track_caller]
pub fn assert_no_crash(run: &Run) {
    let err = run.stderr.to_lowercase();
    assert!(
        !err.contains("panicked") && !err.contains("backtrace") && run.code != 101,
        "aims crashed: {}",
        run.describe()
    );
    assert!(
        run.code >= 0,
        "aims was killed by a signal: {}",
        run.describe()
    );
}

/// Asserts a refusal for bad input: exit 2, a JSON error with `code`, whose message mentions `needle`.
#[track_caller]
pub fn assert_refused(run: &Run, code: &str, needle: &str) -> Value {
    assert_eq!(run.code, 2, "expected exit 2: {}", run.describe());
    let e = run.error();
    assert_eq!(e["code"], code, "error code: {}", run.describe());
    let msg = e["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains(needle),
        "message should mention {needle:?}: {}",
        run.describe()
    );
    e
}

/// Asserts an `invalid_input` refusal whose message and details name `field`.
#[track_caller]
pub fn assert_invalid_field(run: &Run, field: &str) {
    assert_refused(run, "invalid_input", field);
    run.refused(field);
}

/// A runtime for the async set-up of scratch stores.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A scratch store on `backend`.
pub fn new_db(backend: Backend) -> TestDb {
    rt().block_on(TestDb::new(backend))
        .unwrap_or_else(|e| panic!("scratch database on {backend:?}: {e}"))
}

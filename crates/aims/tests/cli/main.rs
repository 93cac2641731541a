//! The integration tests of the `aims` binary, in one test binary so that the stack is linked once: each runs the
//! real executable (or two `aims serve` processes) as a user would, on SQLite and PostgreSQL.
//!
//! Layout: `common.rs` holds what every module shares (running the binary, what a run did and the checks on it,
//! scratch stores); each other file is one area's tests. A new area (a record type, say) is a new file
//! `tests/cli/<area>.rs` plus one `mod <area>;` line below. Its tests run as `<area>::<test name>`.

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod cli;
mod risk_scenario;
mod serve_shared;

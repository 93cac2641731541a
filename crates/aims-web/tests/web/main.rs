//! The integration tests of aims-web, in one test binary so that the whole stack is linked once: the REST API and
//! the pages through the real router, on SQLite and PostgreSQL.
//!
//! Layout: `common/` holds what every module shares (the standard fixture [`common::Web`], requests with a
//! token, a session or a form, sign-in, the response and its checks, the `on_both!` macro); each other file is
//! one area's tests. A new area (a record type, say) is a new file `tests/web/<area>.rs` that builds its fixture
//! on `common::Web`, plus one `mod <area>;` line below. Its tests run as `<area>::<test name>`.

// Tests and benchmarks stop at the first failure: unwrapping and panicking is how they report it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

mod api;
mod api_risk;
mod pages;
mod pages_risk;
mod records;

//! A response of the router in the API tests, with the checks every error must pass (the error shape, no
//! internals leaked). Shared by tests/api.rs and tests/api_risk.rs.
#![allow(dead_code)]

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

/// What the router answered.
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body as text.
    pub text: String,
}

impl Resp {
    /// The body parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts the error shape and returns the error object.
    pub fn error(&self) -> Value {
        let v = self.json();
        let e = v
            .get("error")
            .cloned()
            .unwrap_or_else(|| panic!("no error: {}", self.text));
        assert!(e["code"].is_string(), "{}", self.text);
        assert!(e["message"].is_string(), "{}", self.text);
        assert!(e["details"].is_array(), "{}", self.text);
        for bad in ["SELECT", "INSERT", "sqlx", "panicked", "src/", "constraint"] {
            assert!(!self.text.contains(bad), "leaks {bad}: {}", self.text);
        }
        e
    }

    /// The fields named in an error's details.
    pub fn fields(&self) -> Vec<String> {
        self.error()["details"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["field"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

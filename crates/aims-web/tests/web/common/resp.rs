//! A response of the router, with the checks every API error must pass (the error shape, no internals leaked).

use axum::http::{HeaderMap, StatusCode, header};
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
    /// Where a redirect leads (empty when it does not).
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, want: StatusCode) {
        assert_eq!(self.status, want, "{}", self.text);
    }

    /// A failure line for a matrix when the status is not `want` (`what` names the call).
    pub fn mismatch(&self, what: &str, want: StatusCode) -> Option<String> {
        (self.status != want)
            .then(|| format!("{what}: {} (want {want}) {}", self.status, self.text))
    }

    /// Asserts that the body contains `needle`, showing the body when it does not.
    #[track_caller]
    pub fn assert_contains(&self, needle: &str) {
        assert!(self.text.contains(needle), "{}", self.text);
    }

    /// Asserts that another organization's record stays hidden: 404 in the error shape with the code
    /// `not_found`, and no "Secret" (the other organization's names) in the body. `what` names the call.
    #[track_caller]
    pub fn assert_hidden(&self, what: &str) {
        assert_eq!(self.status, StatusCode::NOT_FOUND, "{what}: {}", self.text);
        assert_eq!(self.error()["code"], "not_found", "{what}");
        assert!(!self.text.contains("Secret"), "{what} leaks: {}", self.text);
    }

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

    /// The fields named in an error's details (each detail must name one).
    pub fn fields(&self) -> Vec<String> {
        super::texts(&self.error()["details"], "field")
    }
}

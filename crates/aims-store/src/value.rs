//! Column values as the store moves them between Rust and either database, and their canonical encoding.
//!
//! The canonical encoding is a versioned, length-prefixed binary form owned by this crate (not JSON text), so a
//! record hashes the same on SQLite and PostgreSQL and across serde versions. Two different rows never share an
//! encoding: every name and value carries its length or a fixed width.

use sha2::{Digest, Sha256};

/// The type of a column. `Json` columns hold canonical JSON text; `OptInt` may be NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Non-null UTF-8 text.
    Text,
    /// Non-null 64-bit integer.
    Int,
    /// Nullable 64-bit integer.
    OptInt,
    /// Non-null boolean (INTEGER 0/1 on SQLite, BOOLEAN on PostgreSQL).
    Bool,
    /// Non-null text holding a JSON document written by aims.
    Json,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Column name in both databases.
    pub name: &'static str,
    /// Column type.
    pub kind: Kind,
}

/// A value read from or written to a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// SQL NULL (only in `OptInt` columns).
    Null,
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Text, including JSON text.
    Text(String),
}

impl Value {
    /// The text inside, or "" for other kinds.
    pub fn as_text(&self) -> &str {
        match self {
            Value::Text(s) => s,
            _ => "",
        }
    }

    /// The integer inside, if any.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Converts to JSON for output; `Json` columns are parsed back into structure.
    pub fn to_json(&self, kind: Kind) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Text(s) if kind == Kind::Json => {
                serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.clone()))
            }
            Value::Text(s) => serde_json::Value::String(s.clone()),
        }
    }

    /// Converts a JSON input value into a column value, or says why it does not fit.
    pub fn from_json(kind: Kind, v: &serde_json::Value) -> Result<Value, String> {
        use serde_json::Value as J;
        match (kind, v) {
            // PostgreSQL text cannot hold NUL, so neither backend accepts it: same behaviour on both.
            (Kind::Text, J::String(s)) if s.contains('\0') => {
                Err("must not contain a NUL character".into())
            }
            (Kind::Json, j) if has_nul(j) => Err("must not contain a NUL character".into()),
            (Kind::Text, J::String(s)) => Ok(Value::Text(s.clone())),
            (Kind::Int, J::Number(n)) | (Kind::OptInt, J::Number(n)) => n
                .as_i64()
                .map(Value::Int)
                .ok_or_else(|| "must be a whole number".to_string()),
            (Kind::OptInt, J::Null) => Ok(Value::Null),
            (Kind::Bool, J::Bool(b)) => Ok(Value::Bool(*b)),
            (Kind::Json, j) => Ok(Value::Text(canonical_json(j))),
            (Kind::Text, _) => Err("must be text".into()),
            (Kind::Int, _) | (Kind::OptInt, _) => Err("must be a whole number".into()),
            (Kind::Bool, _) => Err("must be true or false".into()),
        }
    }
}

/// Serialises JSON with object keys sorted at every level, so equal documents get equal text.
pub fn canonical_json(v: &serde_json::Value) -> String {
    fn sort(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut out = serde_json::Map::new();
                for k in keys {
                    out.insert(k.clone(), sort(&m[k]));
                }
                serde_json::Value::Object(out)
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    // Inserting in sorted order keeps the order even if a dependency turns on serde_json's preserve_order.
    sort(v).to_string()
}

/// Builds canonical byte strings: a tag, then length-prefixed fields.
#[derive(Default)]
pub struct Canonical {
    buf: Vec<u8>,
}

impl Canonical {
    /// Starts an encoding with a domain tag such as `aims-record-v1`.
    pub fn new(tag: &str) -> Self {
        let mut c = Canonical {
            buf: Vec::with_capacity(256),
        };
        c.bytes(tag.as_bytes());
        c
    }

    /// Appends length-prefixed bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
        self.buf.extend_from_slice(b);
        self
    }

    /// Appends a length-prefixed string.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// Appends a fixed-width integer.
    pub fn int(&mut self, i: i64) -> &mut Self {
        self.buf.extend_from_slice(&i.to_be_bytes());
        self
    }

    /// Appends a tagged value.
    pub fn value(&mut self, v: &Value) -> &mut Self {
        match v {
            Value::Null => self.buf.push(b'N'),
            Value::Int(i) => {
                self.buf.push(b'I');
                self.int(*i);
            }
            Value::Bool(b) => {
                self.buf.push(b'B');
                self.buf.push(u8::from(*b));
            }
            Value::Text(s) => {
                self.buf.push(b'T');
                self.str(s);
            }
        }
        self
    }

    /// SHA-256 of the encoding, as lower-case hex.
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(&self.buf))
    }
}

/// Whether any string or key of a JSON value contains a NUL character.
fn has_nul(v: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match v {
        J::String(s) => s.contains('\0'),
        J::Array(a) => a.iter().any(has_nul),
        J::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_refused_in_text_and_nested_json() {
        let nul = serde_json::json!("a\u{0}b");
        assert!(Value::from_json(Kind::Text, &nul).is_err());
        let nested = serde_json::json!([{"k": ["x", "y\u{0}"]}]);
        assert!(Value::from_json(Kind::Json, &nested).is_err());
        let fine = serde_json::json!([{"k": ["x\\u0000"]}]);
        assert!(Value::from_json(Kind::Json, &fine).is_ok());
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"d":[{"z":1,"y":2}],"c":2}}"#).unwrap();
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}"#
        );
    }

    #[test]
    fn encoding_is_injective_for_shifted_boundaries() {
        let mut a = Canonical::new("t");
        a.value(&Value::Text("ab".into()))
            .value(&Value::Text("c".into()));
        let mut b = Canonical::new("t");
        b.value(&Value::Text("a".into()))
            .value(&Value::Text("bc".into()));
        assert_ne!(a.sha256_hex(), b.sha256_hex());
        let mut c = Canonical::new("t");
        c.value(&Value::Int(1));
        let mut d = Canonical::new("t");
        d.value(&Value::Bool(true));
        assert_ne!(c.sha256_hex(), d.sha256_hex());
    }
}

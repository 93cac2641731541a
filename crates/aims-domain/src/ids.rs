//! Record identifiers: UUIDv7, sortable by creation time and safe to show to users.

use crate::ValidationError;
use uuid::Uuid;

/// A fresh UUIDv7 in its hyphenated text form, the form stored in both databases.
pub fn new_id() -> String {
    Uuid::now_v7().hyphenated().to_string()
}

/// Gives a nested entry (a dataset of a system, a requirement of a party) a fresh id when it has none yet, so
/// that later records can point at it; an id it has is kept.
pub fn ensure_id(id: &mut String) {
    if id.is_empty() {
        *id = new_id();
    }
}

/// Parses a user-given id, naming `field` when it is not a UUID. Returns the canonical lower-case form.
pub fn parse_id(field: &str, value: &str) -> Result<String, ValidationError> {
    Uuid::parse_str(value.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| ValidationError::one(field, format!("'{value}' is not a valid id (a UUID)")))
}

/// The id of the installation-wide change-log chain (users and other records that belong to no organization).
pub const INSTALLATION_CHAIN: &str = "00000000-0000-0000-0000-000000000000";

/// Declares a string-backed id type: the same text on disk and on the wire, a different type in code, so that a
/// use case asking for one kind of id cannot be handed another. Both deref to `&str` for the storage layer,
/// which keys rows by text.
macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as text, as stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string, for records that keep it as text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name(s.to_string()))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }
    };
}

text_id!(
    /// The id of an organization: the scope of every record and the chain its change log is kept in. It is
    /// taken from the signed-in session, the API token or the CLI's `--org`, never from a record.
    OrgId
);

text_id!(
    /// The id of one record (an AI system, a risk, a context issue, …) as a caller names it. It is not checked
    /// on construction: the use case that looks it up refuses an id that is not a UUID, naming the field.
    RecordId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_text_on_the_wire() {
        let org = OrgId::from("o-1");
        let rec: RecordId = "r-1".parse().unwrap_or_default();
        assert_eq!(serde_json::to_string(&org).unwrap_or_default(), "\"o-1\"");
        assert_eq!(rec.as_str(), "r-1");
        let back: RecordId = serde_json::from_str("\"r-1\"").unwrap_or_default();
        assert_eq!(back, rec);
        assert_eq!(&*org, "o-1");
    }
}

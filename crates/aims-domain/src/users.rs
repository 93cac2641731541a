//! Users of the installation and their membership, with one role, in organizations.

use crate::ValidationError;
use crate::error::{MAX_NAME, check_len};
use serde::{Deserialize, Serialize};

/// A person who signs in. Users belong to the installation; what they may do is set per organization by
/// [`Membership`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Sign-in name, stored in lower case.
    pub email: String,
    /// Name shown in the change log and on pages.
    pub display_name: String,
    /// Argon2id PHC string; never shown.
    pub password_hash: String,
    /// Disabled users cannot sign in.
    pub disabled: bool,
}

/// A user's role in one organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    /// Id of the user.
    pub user_id: String,
    /// [`crate::vocab::MemberRole`].
    pub role: String,
}

/// Checks an email address enough to catch typing mistakes; returns it in lower case.
pub fn normalise_email(field: &str, email: &str) -> Result<String, ValidationError> {
    let e = email.trim().to_ascii_lowercase();
    let mut errs = ValidationError::default();
    let valid = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !valid {
        errs.push(field, format!("'{email}' is not an email address"));
    }
    check_len(&mut errs, field, &e, MAX_NAME);
    errs.into_result().map(|_| e)
}

/// Minimum password length accepted for sign-in passwords.
pub const MIN_PASSWORD: usize = 12;

/// Checks a new password: long enough, not absurdly long.
pub fn check_password(field: &str, password: &str) -> Result<(), ValidationError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(ValidationError::one(
            field,
            format!("is {n} characters long; at least {MIN_PASSWORD} are required"),
        ));
    }
    if n > 1024 {
        return Err(ValidationError::one(
            field,
            "is longer than 1024 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            normalise_email("email", " Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in ["ada", "ada@", "@x.org", "ada@localhost", "a b@x.org"] {
            assert!(normalise_email("email", bad).is_err(), "{bad}");
        }
    }
}

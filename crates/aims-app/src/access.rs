//! Who is acting, and what their role in the organization lets them do. Every use case calls [`Actor::require`]
//! before touching the store.

use crate::AppError;
use aims_domain::vocab::MemberRole;

/// What a use case needs to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the organization's records.
    Read,
    /// Create and change AIMS records (inventory, context).
    Write,
    /// Approve records on behalf of management (scope statement).
    Approve,
    /// Manage the organization itself, its members and custom fields.
    Administer,
    /// Verify the change log: whoever answers for the records' integrity (admins, managers, auditors).
    Verify,
}

impl Permission {
    /// The roles that hold it, in words, for documentation (the API's 403 answers); [`Actor::require`] is the
    /// rule itself.
    pub fn holders(self) -> &'static str {
        match self {
            Permission::Read => "every member",
            Permission::Write => "admins, managers and contributors",
            Permission::Approve => "managers and admins",
            Permission::Administer => "admins",
            Permission::Verify => "admins, managers and auditors",
        }
    }
}

/// The person or process behind a change: the name that goes into the change log and, for signed-in users, their
/// role in the organization acted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Name recorded in the change log (an email for users, `cli:NAME` for the local operator).
    pub label: String,
    /// The role in the current organization; `None` for the local operator who holds the database itself.
    pub role: Option<MemberRole>,
}

impl Actor {
    /// The local operator at the command line, who has the database file or URL and so every right.
    pub fn operator(name: &str) -> Actor {
        Actor {
            label: format!("cli:{name}"),
            role: None,
        }
    }

    /// A signed-in member with a role.
    pub fn member(email: &str, role: MemberRole) -> Actor {
        Actor {
            label: email.to_string(),
            role: Some(role),
        }
    }

    /// Refuses with [`AppError::Forbidden`] unless the actor's role grants `p`.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        let Some(role) = self.role else { return Ok(()) };
        let ok = match p {
            Permission::Read => true,
            Permission::Write => matches!(
                role,
                MemberRole::Admin | MemberRole::Manager | MemberRole::Contributor
            ),
            Permission::Approve => matches!(role, MemberRole::Admin | MemberRole::Manager),
            Permission::Administer => matches!(role, MemberRole::Admin),
            Permission::Verify => matches!(
                role,
                MemberRole::Admin | MemberRole::Manager | MemberRole::Auditor
            ),
        };
        if ok {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                format!("the {role} role does not allow {p:?}").to_lowercase(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_what_they_should() {
        let auditor = Actor::member("a@x.org", MemberRole::Auditor);
        assert!(auditor.require(Permission::Read).is_ok());
        assert!(auditor.require(Permission::Write).is_err());
        let contributor = Actor::member("c@x.org", MemberRole::Contributor);
        assert!(contributor.require(Permission::Write).is_ok());
        assert!(contributor.require(Permission::Approve).is_err());
        assert!(
            Actor::member("m@x.org", MemberRole::Manager)
                .require(Permission::Approve)
                .is_ok()
        );
        assert!(
            Actor::member("m@x.org", MemberRole::Manager)
                .require(Permission::Administer)
                .is_err()
        );
        assert!(auditor.require(Permission::Verify).is_ok());
        assert!(contributor.require(Permission::Verify).is_err());
        assert!(
            Actor::operator("root")
                .require(Permission::Administer)
                .is_ok()
        );
    }
}

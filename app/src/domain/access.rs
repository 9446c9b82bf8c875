//! Operators and their roles: who may do what, and the rules for names and passwords.

use super::audit::AuditAction;
use serde::{Deserialize, Serialize};

/// An operator's role. Each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads streams and tasks.
    Viewer,
    /// Also adds, starts, pauses and clones tasks and sends test records.
    Operator,
    /// Also deletes tasks, manages operators and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Operator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(input: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == input.trim())
            .ok_or_else(|| format!("'{input}' is not a role: use viewer, operator or admin."))
    }

    /// The role just below this one, if any.
    pub fn below(self) -> Option<Role> {
        match self {
            Role::Viewer => None,
            Role::Operator => Some(Role::Viewer),
            Role::Admin => Some(Role::Operator),
        }
    }
}

/// The operator behind a session, as pages may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub role: Role,
}

/// An operator as the admin page lists them: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorInfo {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_ms: i64,
    /// When they last logged in (epoch ms); `None` before their first login.
    pub last_login_ms: Option<i64>,
    /// Who they are at the identity provider, for an operator who signs on there; `None` for
    /// a local operator, who logs in with a password.
    #[serde(default)]
    pub sign_on: Option<super::sso::SignOnIdentity>,
}

/// A password on its way to the server. Its `Debug` never prints it; it is serialised only to
/// travel in the login request's body.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Password(pub(crate) String);

impl Password {
    pub fn new(text: String) -> Self {
        Password(text)
    }

    #[cfg(feature = "ssr")]
    pub fn into_secret(self) -> secrecy::SecretString {
        secrecy::SecretString::from(self.0)
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// One change to an operator, from the admin page or the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperatorEdit {
    Add {
        name: String,
        role: Role,
        password: Password,
    },
    SetRole {
        name: String,
        role: Role,
    },
    SetPassword {
        name: String,
        password: Password,
    },
    SetDisabled {
        name: String,
        disabled: bool,
    },
}

impl OperatorEdit {
    pub fn name(&self) -> &str {
        match self {
            OperatorEdit::Add { name, .. }
            | OperatorEdit::SetRole { name, .. }
            | OperatorEdit::SetPassword { name, .. }
            | OperatorEdit::SetDisabled { name, .. } => name,
        }
    }

    /// How the audit log records it.
    pub fn action(&self) -> AuditAction {
        match self {
            OperatorEdit::Add { .. } => AuditAction::AddOperator,
            OperatorEdit::SetRole { .. } => AuditAction::ChangeRole,
            OperatorEdit::SetPassword { .. } => AuditAction::SetPassword,
            OperatorEdit::SetDisabled { disabled: true, .. } => AuditAction::DisableOperator,
            OperatorEdit::SetDisabled {
                disabled: false, ..
            } => AuditAction::EnableOperator,
        }
    }
}

/// Operator names: 1 to 32 of `a-z 0-9 . _ -`, starting with a letter.
pub fn parse_operator_name(input: &str) -> Result<String, String> {
    let name = input.trim();
    let ok = !name.is_empty()
        && name.len() <= 32
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name.to_owned())
    } else {
        Err(
            "Use 1 to 32 lowercase letters, digits, '.', '_' or '-', starting with a letter."
                .into(),
        )
    }
}

/// Passwords: 12 to 128 characters.
pub fn check_new_password(password: &str) -> Result<(), String> {
    match password.chars().count() {
        0..=11 => Err("Use at least 12 characters.".into()),
        129.. => Err("Use at most 128 characters.".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_and_parse() {
        assert!(Role::Viewer < Role::Operator && Role::Operator < Role::Admin);
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert!(Role::parse("root")
            .unwrap_err()
            .contains("viewer, operator or admin"));
        assert_eq!(Role::Admin.below(), Some(Role::Operator));
    }

    #[test]
    fn operator_names_and_passwords() {
        assert_eq!(parse_operator_name(" ops.lead "), Ok("ops.lead".into()));
        for bad in ["", "Admin", "1abc", "a b", "a/b", "..", &"a".repeat(33)] {
            assert!(parse_operator_name(bad).is_err(), "{bad}");
        }
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("twelve chars").is_ok());
        assert!(check_new_password(&"x".repeat(129)).is_err());
    }
}

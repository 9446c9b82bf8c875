//! Who may do what: operators' roles, and the role each server function requires. The table is
//! the one list the server's API guard enforces and its tests enumerate; each server function
//! checks the same role again itself (pages rendered on the server call them in-process).

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

/// Every server function's path and the role it requires; `None` for the few a visitor without
/// a session may call. A path missing here is refused.
pub const SERVER_FN_ACCESS: &[(&str, Option<Role>)] = &[
    ("/api/login", None),
    ("/api/logout", None),
    ("/api/whoami", None),
    ("/api/console_status", Some(Role::Viewer)),
    ("/api/list_streams", Some(Role::Viewer)),
    ("/api/list_stream_page", Some(Role::Viewer)),
    ("/api/get_stream", Some(Role::Viewer)),
    ("/api/get_dump_task", Some(Role::Viewer)),
    ("/api/send_test_records", Some(Role::Operator)),
    ("/api/create_dump_task", Some(Role::Operator)),
    ("/api/set_task_state", Some(Role::Operator)),
    ("/api/delete_dump_task", Some(Role::Admin)),
    ("/api/list_audit", Some(Role::Admin)),
    ("/api/list_operators", Some(Role::Admin)),
    ("/api/save_operator", Some(Role::Admin)),
];

/// What calling `path` requires (`Some(None)`: no session needed); `None` for a path the table
/// does not know.
pub fn required_role(path: &str) -> Option<Option<Role>> {
    SERVER_FN_ACCESS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, role)| *role)
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// The operator's name, or the name typed at a failed login.
    pub operator: String,
    pub action: String,
    /// `stream/task`, a stream, or an operator's name.
    pub target: String,
    /// `ok`, `refused`, `failed`, `throttled`.
    pub outcome: String,
    pub dis_code: Option<String>,
    pub request_id: String,
}

/// The actions the audit log records.
pub const AUDIT_ACTIONS: [&str; 12] = [
    "login",
    "logout",
    "add task",
    "start tasks",
    "pause tasks",
    "delete task",
    "send test records",
    "add operator",
    "change role",
    "set password",
    "disable operator",
    "enable operator",
];

/// How an audited action ended.
pub const AUDIT_OUTCOMES: [&str; 4] = ["ok", "refused", "failed", "throttled"];

/// Which audit lines to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditFilter {
    pub operator: String,
    pub action: String,
    pub outcome: String,
    /// Lines before this time only (paging), 0 for the newest.
    pub before_ms: i64,
}

impl AuditFilter {
    /// Checks the filter: action and outcome are one of the known ones (or empty); the operator
    /// is free text (failed logins record whatever name was typed), at most 64 characters.
    pub fn check(&self) -> Result<(), String> {
        if self.operator.chars().count() > 64 {
            return Err("An operator filter is at most 64 characters.".into());
        }
        if !self.action.is_empty() && !AUDIT_ACTIONS.contains(&self.action.as_str()) {
            return Err(format!(
                "Filter by one of the actions: {}.",
                AUDIT_ACTIONS.join(", ")
            ));
        }
        if !self.outcome.is_empty() && !AUDIT_OUTCOMES.contains(&self.outcome.as_str()) {
            return Err(format!(
                "Filter by one of the outcomes: {}.",
                AUDIT_OUTCOMES.join(", ")
            ));
        }
        Ok(())
    }
}

/// The most audit lines one page lists.
pub const AUDIT_PAGE: u32 = 100;

/// An operator as the admin page lists them: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorInfo {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_ms: i64,
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
        assert_eq!(
            required_role("/api/delete_dump_task"),
            Some(Some(Role::Admin))
        );
        assert_eq!(required_role("/api/login"), Some(None));
        assert_eq!(required_role("/api/unknown"), None);
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

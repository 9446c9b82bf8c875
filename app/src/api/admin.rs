//! For admins: the audit log and the operators.

use super::access::{AuditEntry, AuditFilter, OperatorInfo, Role};
use super::session::Password;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Audit lines, newest first, that match `filter`.
#[server(endpoint = "list_audit")]
pub async fn list_audit(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    async {
        use super::ssr::{accounts, guard, internal};
        guard(Role::Admin).await?;
        filter.check().map_err(AppError::BadName)?;
        accounts()?
            .audit(&filter, super::access::AUDIT_PAGE)
            .await
            .map_err(|e| internal("accounts store", e.0))
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "list_operators")]
pub async fn list_operators() -> Result<Vec<OperatorInfo>, AppError> {
    async {
        use super::ssr::{accounts, guard, internal};
        guard(Role::Admin).await?;
        accounts()?
            .operators()
            .await
            .map_err(|e| internal("accounts store", e.0))
    }
    .await
    .map_err(super::ssr::with_status)
}

/// One change to an operator, from the admin page.
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

    /// The audit log's name for it.
    pub fn action(&self) -> &'static str {
        match self {
            OperatorEdit::Add { .. } => "add operator",
            OperatorEdit::SetRole { .. } => "change role",
            OperatorEdit::SetPassword { .. } => "set password",
            OperatorEdit::SetDisabled { disabled: true, .. } => "disable operator",
            OperatorEdit::SetDisabled {
                disabled: false, ..
            } => "enable operator",
        }
    }
}

#[server(endpoint = "save_operator", input = server_fn::codec::Json)]
pub async fn save_operator(edit: OperatorEdit) -> Result<(), AppError> {
    async {
        use super::access::{check_new_password, parse_operator_name};
        use super::ssr::{accounts, audit, guard, internal};
        use crate::ports::OperatorChange;
        let me = guard(Role::Admin).await?;
        let target = edit.name().chars().take(64).collect::<String>();
        let action = edit.action();
        let result = async {
            let name = parse_operator_name(edit.name()).map_err(AppError::BadName)?;
            let change = match edit {
                OperatorEdit::Add { role, password, .. } => {
                    check_new_password(&password.0).map_err(AppError::BadName)?;
                    OperatorChange::Add {
                        name: name.clone(),
                        role,
                        password: password.into_secret(),
                    }
                }
                OperatorEdit::SetRole { role, .. } => OperatorChange::SetRole(role),
                OperatorEdit::SetPassword { password, .. } => {
                    check_new_password(&password.0).map_err(AppError::BadName)?;
                    OperatorChange::SetPassword(password.into_secret())
                }
                OperatorEdit::SetDisabled { disabled, .. } => OperatorChange::SetDisabled(disabled),
            };
            accounts()?
                .change_operator(&name, change)
                .await
                .map_err(|e| internal("accounts store", e.0))?
                .map_err(AppError::BadName)
        }
        .await;
        audit(&me.name, action, &target, &result).await;
        result
    }
    .await
    .map_err(super::ssr::with_status)
}

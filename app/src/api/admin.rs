//! For admins: the audit log and the operators.

use super::session::Password;
use crate::domain::{AuditAction, AuditEntry, AuditFilter, OperatorInfo, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {super::serve::serve, crate::services::operators};

/// Audit lines, newest first, that match `filter`.
#[server(endpoint = "list_audit")]
pub async fn list_audit(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    serve::<ListAudit>()
        .accounts(|accounts| async move { operators::audit(accounts.as_ref(), &filter).await })
        .await
}

#[server(endpoint = "list_operators")]
pub async fn list_operators() -> Result<Vec<OperatorInfo>, AppError> {
    serve::<ListOperators>()
        .accounts(|accounts| async move { operators::list(accounts.as_ref()).await })
        .await
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

#[server(endpoint = "save_operator", input = server_fn::codec::Json)]
pub async fn save_operator(edit: OperatorEdit) -> Result<(), AppError> {
    serve::<SaveOperator>()
        .audit(
            edit.action(),
            edit.name().chars().take(64).collect::<String>(),
        )
        .accounts(|accounts| async move { operators::save(accounts.as_ref(), edit).await })
        .await
}

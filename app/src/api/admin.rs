//! For admins: the audit log and the operators.

pub use crate::domain::access::OperatorEdit;
use crate::domain::{AuditEntry, AuditFilter, OperatorInfo};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::serve::serve, crate::services::operators};

/// Audit lines, newest first, that match `filter`.
#[server(endpoint = "list_audit", output = crate::api::codec::PageJson)]
pub async fn list_audit(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    serve::<ListAudit>()
        .accounts(|accounts| async move { operators::audit(accounts.as_ref(), &filter).await })
        .await
}

#[server(endpoint = "list_operators", output = crate::api::codec::PageJson)]
pub async fn list_operators() -> Result<Vec<OperatorInfo>, AppError> {
    serve::<ListOperators>()
        .accounts(|accounts| async move { operators::list(accounts.as_ref()).await })
        .await
}

#[server(endpoint = "save_operator", input = server_fn::codec::Json, output = crate::api::codec::PageJson)]
pub async fn save_operator(edit: OperatorEdit) -> Result<(), AppError> {
    serve::<SaveOperator>()
        .audit(
            edit.action(),
            edit.name().chars().take(64).collect::<String>(),
        )
        .accounts(|accounts| async move { operators::save(accounts.as_ref(), edit).await })
        .await
}

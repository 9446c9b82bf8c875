//! The recipe every server function follows, written once: check the caller against the role
//! its access-table row names, do the work, write the audit line when the function has one,
//! and answer with the HTTP status that fits the result. Server only.

use super::access::Guarded;
use super::envelope::{accounts, guard, request_id};
use crate::domain::audit::bounded;
use crate::domain::{AuditAction, AuditEntry, AuditOutcome, Me, Role};
use crate::error::AppError;
use crate::ports::{Accounts, DisPort};
use std::future::Future;
use std::sync::Arc;

/// A server function's call, before its work runs.
#[must_use = "a call does nothing until it runs"]
pub struct Call {
    role: Option<Role>,
    audit: Option<(AuditAction, String)>,
}

/// The call of the server function `F`, guarded by the role its row in the access table names.
pub fn serve<F: Guarded>() -> Call {
    Call {
        role: F::ROLE,
        audit: None,
    }
}

impl Call {
    /// Records the call in the audit log under the operator's name, with how it ended.
    pub fn audit(self, action: AuditAction, target: impl Into<String>) -> Self {
        Call {
            audit: Some((action, target.into())),
            ..self
        }
    }

    /// Requires at least `role` for this call, when what is asked needs more than the
    /// function's row in the access table (a part of a page only admins see).
    pub fn requiring(self, role: Role) -> Self {
        Call {
            role: Some(self.role.map_or(role, |r| r.max(role))),
            ..self
        }
    }

    /// Runs `work` once the caller has passed the guard.
    pub async fn run<T, Fut>(self, work: impl FnOnce() -> Fut) -> Result<T, AppError>
    where
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.run_as(|_| work()).await
    }

    /// [`Call::run`], with the operator who passed the guard (`None` for a function that needs
    /// no session).
    pub async fn run_as<T, Fut>(self, work: impl FnOnce(Option<Me>) -> Fut) -> Result<T, AppError>
    where
        Fut: Future<Output = Result<T, AppError>>,
    {
        let Call { role, audit } = self;
        let result = async {
            let me: Option<Me> = match role {
                Some(role) => Some(guard(role).await?),
                None => None,
            };
            let result = work(me.clone()).await;
            if let (Some((action, target)), Some(me)) = (audit, me) {
                record(&me.name, action, &target, &result).await;
            }
            result
        }
        .await;
        result.map_err(with_status)
    }

    /// [`Call::run`] with a port the server provides.
    async fn with<P, T, Fut>(
        self,
        port: fn() -> Result<P, AppError>,
        work: impl FnOnce(P) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.run(|| async move { work(port()?).await }).await
    }

    /// [`Call::run`] with the DIS port.
    pub async fn dis<T, Fut>(
        self,
        work: impl FnOnce(Arc<dyn DisPort>) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.with(super::envelope::dis, work).await
    }

    /// [`Call::run`] with the accounts store.
    pub async fn accounts<T, Fut>(
        self,
        work: impl FnOnce(Arc<dyn Accounts>) -> Fut,
    ) -> Result<T, AppError>
    where
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.with(accounts, work).await
    }
}

/// The audit line of an action and how it ended, now. What the operator typed is kept bounded
/// (`domain::audit::bounded`). Every line an operator's action writes is made here, whether the
/// action came through a server function or the command line.
pub fn audit_entry<T>(
    operator: &str,
    action: AuditAction,
    target: &str,
    result: &Result<T, AppError>,
    request_id: String,
) -> AuditEntry {
    AuditEntry {
        at_ms: crate::clock::now_ms(),
        operator: bounded(operator),
        action,
        target: bounded(target),
        outcome: match result {
            Ok(_) => AuditOutcome::Ok,
            Err(e) => e.audit_outcome(),
        },
        dis_code: result
            .as_ref()
            .err()
            .and_then(AppError::dis_code)
            .map(str::to_owned),
        request_id,
        // The store fills it in for an operator who signs on.
        identity: None,
    }
}

/// Writes this request's audit line for an action and how it ended. A store fault is logged;
/// it does not undo or hide the action's own result.
pub async fn record<T>(
    operator: &str,
    action: AuditAction,
    target: &str,
    result: &Result<T, AppError>,
) {
    let entry = audit_entry(operator, action, target, result, request_id());
    match accounts() {
        Ok(store) => {
            if let Err(e) = store.record(entry).await {
                tracing::error!(request_id = %request_id(), detail = %e.0, %action, "audit write failed");
            }
        }
        Err(_) => tracing::error!(%action, "audit store missing"),
    }
}

/// Sets the HTTP status that fits `error` on the server function's answer.
fn with_status(error: AppError) -> AppError {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(
            http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let AppError::Throttled { retry_after_secs } = &error {
            options.insert_header(http::header::RETRY_AFTER, (*retry_after_secs).into());
        }
    }
    error
}

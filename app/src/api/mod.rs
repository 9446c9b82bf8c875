//! Server functions. Each one is a public HTTP endpoint: it checks what it needs itself, reads
//! what the server provides from context, and maps every failure to a safe [`crate::error::AppError`].

pub mod access;
pub mod admin;
pub mod session;
pub mod status;
pub mod streams;
pub mod tasks;

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Helpers for server function bodies.

    use crate::api::access::{Me, Role};
    use crate::error::AppError;

    /// The id the server gave this request (the `X-Request-Id` response header), for error
    /// messages and log lines. Falls back to a fixed marker when called outside a request.
    pub fn request_id() -> String {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "none".to_owned())
    }

    /// Maps a failed DIS call to what the operator may see, logging the detail under this
    /// request's id.
    pub fn upstream_error(e: crate::ports::UpstreamError) -> AppError {
        use crate::ports::UpstreamKind;
        let request_id = request_id();
        tracing::warn!(
            %request_id,
            kind = ?e.kind,
            code = e.code.as_deref().unwrap_or(""),
            dis_request_id = e.dis_request_id.as_deref().unwrap_or(""),
            detail = %e.detail,
            "DIS call failed"
        );
        let unavailable = |reason: &str| AppError::Unavailable {
            reason: reason.to_owned(),
            request_id: request_id.clone(),
        };
        match (e.kind, e.code) {
            (UpstreamKind::Rejected | UpstreamKind::Unauthorized, Some(code)) => AppError::Dis {
                message: crate::error::dis_code_message(&code).to_owned(),
                code,
                request_id: request_id.clone(),
            },
            (UpstreamKind::Timeout, _) => unavailable(
                "DIS did not answer in time. A change may still have happened: refresh to see before trying again.",
            ),
            (UpstreamKind::Unreachable, _) => unavailable("The console cannot reach DIS."),
            (UpstreamKind::OutcomeUnknown, _) => unavailable(
                "DIS did not answer in time and could not be asked whether the change happened. Reload before trying again.",
            ),
            _ => unavailable("DIS answered something the console cannot read."),
        }
    }

    /// Sets the HTTP status that fits `error` on the server function's answer (400 for input
    /// the operator must fix, 422 for a request DIS refused, 502 for a DIS system error, 503
    /// when DIS is unavailable), so no expected failure reads as a 500.
    pub fn with_status(error: AppError) -> AppError {
        let status = match &error {
            AppError::Invalid { .. } | AppError::BadName(_) | AppError::Request(_) => 400,
            // DIS's own failures are a bad gateway; its refusals, a request it could not process.
            AppError::Dis { code, .. } if code.starts_with("DIS.5") => 502,
            AppError::Dis { .. } => 422,
            AppError::Unavailable { .. } => 503,
            AppError::Internal { .. } => 500,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::Throttled { .. } => 429,
        };
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(
                http::StatusCode::from_u16(status)
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let AppError::Throttled { retry_after_secs } = &error {
                options.insert_header(http::header::RETRY_AFTER, (*retry_after_secs).into());
            }
        }
        error
    }

    /// Where a session keeps its operator.
    pub const SESSION_KEY: &str = "operator";

    /// What a session stores: who logged in, and when.
    #[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
    pub struct SessionOperator {
        pub id: i64,
        pub login_ms: i64,
    }

    /// The absolute session limit (the idle limit is the session layer's expiry).
    #[derive(Debug, Clone, Copy)]
    pub struct SessionLimits {
        pub absolute_ms: i64,
    }

    pub fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    /// Logs a fault on the console's side and gives the operator only the request id.
    pub fn internal(what: &str, detail: impl std::fmt::Display) -> AppError {
        let request_id = request_id();
        tracing::error!(%request_id, what, %detail, "internal fault");
        AppError::Internal { request_id }
    }

    /// This request's session (the session layer wraps every route).
    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(|e| internal("session layer", e))
    }

    /// The accounts store the server provides.
    pub fn accounts() -> Result<std::sync::Arc<dyn crate::ports::Accounts>, AppError> {
        provided::<crate::ports::AccountsPort>("AccountsPort").map(|a| a.0)
    }

    /// The operator behind this request's session: `None` without one, `Unauthorized` when it
    /// has passed its absolute limit (it is ended here). A disabled or deleted operator's
    /// session ends at their next request.
    pub async fn current() -> Result<Option<(i64, Me)>, AppError> {
        // The server's envelope has already resolved this request's session: use that.
        let resolved = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Resolved>().cloned());
        if let Some(Resolved(who)) = resolved {
            return Ok(who);
        }
        let session = session().await?;
        let limits = provided::<SessionLimits>("SessionLimits")?;
        resolve(&session, accounts()?.as_ref(), limits).await
    }

    /// A request's operator as the server's envelope resolved it before the page or server
    /// function ran, kept in the request's extensions so a page checks its session once.
    #[derive(Debug, Clone)]
    pub struct Resolved(pub Option<(i64, Me)>);

    /// [`current`] with its inputs given: the server's API guard calls it before any server
    /// function runs.
    pub async fn resolve(
        session: &tower_sessions::Session,
        accounts: &dyn crate::ports::Accounts,
        limits: SessionLimits,
    ) -> Result<Option<(i64, Me)>, AppError> {
        let Some(stored) = session
            .get::<SessionOperator>(SESSION_KEY)
            .await
            .map_err(|e| internal("session read", e))?
        else {
            return Ok(None);
        };
        if now_ms().saturating_sub(stored.login_ms) > limits.absolute_ms {
            session
                .flush()
                .await
                .map_err(|e| internal("session end", e))?;
            return Err(AppError::Unauthorized(
                "Your session reached its time limit. Log in again.".into(),
            ));
        }
        match accounts.operator(stored.id).await {
            Ok(Some(me)) => Ok(Some((stored.id, me))),
            Ok(None) => {
                session
                    .flush()
                    .await
                    .map_err(|e| internal("session end", e))?;
                Ok(None)
            }
            Err(e) => Err(internal("accounts store", e.0)),
        }
    }

    /// Whether `me` may do what needs `required`; the refusal says why.
    pub fn permit(me: &Me, required: Role) -> Result<(), AppError> {
        if me.role >= required {
            return Ok(());
        }
        tracing::warn!(operator = %me.name, role = me.role.as_str(), required = required.as_str(), "role refused");
        Err(AppError::Forbidden(format!(
            "Your role, {}, cannot do this: it needs {}.",
            me.role.as_str(),
            required.as_str()
        )))
    }

    /// What a request without a session is told.
    pub fn login_required() -> AppError {
        AppError::Unauthorized("Log in to continue.".into())
    }

    /// The one check every server function makes first: a live session whose operator has at
    /// least `required`.
    pub async fn guard(required: Role) -> Result<Me, AppError> {
        let Some((_, me)) = current().await? else {
            return Err(login_required());
        };
        permit(&me, required)?;
        Ok(me)
    }

    /// The guard, then the DIS port: how every server function that calls DIS starts.
    pub async fn dis(
        required: Role,
    ) -> Result<(Me, std::sync::Arc<dyn crate::ports::DisPort>), AppError> {
        let me = guard(required).await?;
        let crate::ports::Dis(port) = provided::<crate::ports::Dis>("Dis")?;
        Ok((me, port))
    }

    /// Writes an audit line for an action and how it ended. A store fault is logged; it does
    /// not undo or hide the action's own result.
    pub async fn audit<T>(
        operator: &str,
        action: &str,
        target: &str,
        result: &Result<T, AppError>,
    ) {
        let (outcome, dis_code) = match result {
            Ok(_) => ("ok", None),
            Err(AppError::Dis { code, .. }) => ("failed", Some(code.clone())),
            Err(AppError::Invalid { .. } | AppError::BadName(_) | AppError::Request(_)) => {
                ("refused", None)
            }
            Err(AppError::Throttled { .. }) => ("throttled", None),
            Err(AppError::Unauthorized(_) | AppError::Forbidden(_)) => ("refused", None),
            Err(AppError::Internal { .. } | AppError::Unavailable { .. }) => ("failed", None),
        };
        let entry = crate::api::access::AuditEntry {
            at_ms: now_ms(),
            operator: operator.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
            outcome: outcome.to_owned(),
            dis_code,
            request_id: request_id(),
        };
        match accounts() {
            Ok(store) => {
                if let Err(e) = store.record(entry).await {
                    tracing::error!(request_id = %request_id(), detail = %e.0, action, "audit write failed");
                }
            }
            Err(_) => tracing::error!(action, "audit store missing"),
        }
    }

    /// A value the server must have provided as context. Its absence is a wiring fault: it is
    /// logged with the request id, and the operator sees only that id.
    pub fn provided<T: Clone + Send + Sync + 'static>(what: &'static str) -> Result<T, AppError> {
        leptos::prelude::use_context::<T>().ok_or_else(|| {
            let request_id = request_id();
            tracing::error!(%request_id, missing = what, "server context is missing a value");
            AppError::Internal { request_id }
        })
    }
}

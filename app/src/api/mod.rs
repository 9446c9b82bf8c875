//! Server functions. Each one is a public HTTP endpoint: it checks what it needs itself, reads
//! what the server provides from context, and maps every failure to a safe [`crate::error::AppError`].

pub mod status;
pub mod streams;
pub mod tasks;

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Helpers for server function bodies.

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
            (UpstreamKind::Timeout, _) => unavailable("DIS did not answer in time; nothing was changed."),
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
        };
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(
                http::StatusCode::from_u16(status)
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
        error
    }

    /// What a server function is about to do with DIS.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Access {
        /// Reads streams and tasks.
        Read,
        /// Creates, changes or deletes something.
        Change,
    }

    /// The DIS port for a server function that needs `access`. Every server function reaches
    /// DIS through here, so this is the one place the operator's session and role are checked;
    /// the console has no operator sessions yet, so today every caller may read and change.
    pub fn dis(access: Access) -> Result<std::sync::Arc<dyn crate::ports::DisPort>, AppError> {
        let crate::ports::Dis(port) = provided::<crate::ports::Dis>("Dis")?;
        tracing::debug!(?access, "DIS access granted");
        Ok(port)
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

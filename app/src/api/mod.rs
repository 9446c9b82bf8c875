//! Server functions. Each one is a public HTTP endpoint: it checks what it needs itself, reads
//! what the server provides from context, and maps every failure to a safe [`crate::error::AppError`].

pub mod status;

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

//! The one error type server functions return to the browser.
//!
//! Which error goes where: the DIS client speaks `server::dis::DisError`, the ports speak
//! [`crate::ports::UpstreamError`] and [`crate::ports::StoreError`], and every server function
//! answers `AppError`, which also knows its HTTP status and how the audit log records it. The
//! embedded backend has its own `dis_backend::refusal::Refusal`, since it answers as DIS does.
//!
//! Every variant is safe to show an operator: it names what they can act on and, for faults on
//! our side, the request id to quote. Raw causes (I/O, upstream bodies, internal state) are logged
//! on the server and never put into an `AppError`.

use crate::domain::{AuditOutcome, FieldErrors};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A fault on the console's side. The detail is in the server log under this request id.
    #[error(
        "Something went wrong in the console. Quote request id {request_id} if you report it."
    )]
    Internal { request_id: String },

    /// The call itself failed before or after the server function ran: the network dropped,
    /// the arguments did not decode, the response could not be read.
    #[error("The request did not complete: {0}")]
    Request(String),

    /// The operator's input breaks rules; each field says what to fix.
    #[error("Some fields need attention: {fields}")]
    Invalid { fields: FieldErrors },

    /// The request cannot be carried out as asked: a name the allowlist refuses, a number out
    /// of range, a confirmation that does not match, an operator change the rules forbid. The
    /// message says what to fix.
    #[error("{0}")]
    Rejected(String),

    /// What the request would change has changed since the operator read it: someone else
    /// modified the same thing. The message says what, and how to go on.
    #[error("{0}")]
    Conflict(String),

    /// DIS refused the request. The message is the console's own reading of DIS's code.
    #[error("{message} ({code}; request id {request_id})")]
    Dis {
        code: String,
        message: String,
        request_id: String,
    },

    /// No session, or one that has ended.
    #[error("{0}")]
    Unauthorized(String),

    /// The operator's role does not allow this.
    #[error("{0}")]
    Forbidden(String),

    /// Too many failed logins; the operator must wait.
    #[error("Too many failed logins. Try again in {retry_after_secs} seconds.")]
    Throttled { retry_after_secs: u64 },

    /// DIS could not be asked, or did not answer usably.
    #[error("{reason} Quote request id {request_id} if you report it.")]
    Unavailable { reason: String, request_id: String },
}

/// What the console tells an operator about a DIS error code.
pub fn dis_code_message(code: &str) -> &'static str {
    match code {
        "DIS.4301" => "The stream does not exist; it may have been deleted.",
        "DIS.4307" => "A stream with this name already exists. Choose another name.",
        "DIS.4354" => "The dump task does not exist; it may have been deleted.",
        "DIS.4355" => "A dump task with this name already exists on the stream. Choose another name.",
        "DIS.4357" => "The stream already has 5 dump tasks, the most DIS allows. Delete one first.",
        "DIS.4306" => "The OBS bucket does not exist. Check the bucket name and region.",
        "DIS.4310" => "DIS cannot write to the OBS bucket with this agency. Check the agency's OBS permissions.",
        "DIS.4335" => "The IAM agency is not valid. Check its name in IAM.",
        "DIS.4308" => "The account's DIS quota is used up.",
        "DIS.4305" => "DIS is throttling requests. Try again in a moment.",
        "DIS.4303" => "DIS is throttling reads of this partition. Try again in a moment.",
        "DIS.4302" => "The partition does not exist; the stream may have been scaled down.",
        "DIS.4225" => "The partition cursor expired: cursors last five minutes.",
        "DIS.4226" => "The sequence number expired: the stream's retention dropped those records.",
        "DIS.4215" => "DIS refused the cursor type.",
        "DIS.4216" | "DIS.4224" => "The sequence number is outside the partition's records.",
        "DIS.4217" => "DIS refused the partition cursor.",
        "DIS.4116" => "The console's DIS account has no permission for this, or is in arrears.",
        "DIS.4117" => "DIS does not know the console's project id. An administrator must check DIS_PROJECT_ID.",
        "DIS.4200" | "DIS.4202" | "DIS.4300" => "DIS refused the request as invalid.",
        c if c.starts_with("DIS.41") => {
            "DIS refused the console's credentials. An administrator must check them."
        }
        c if c.starts_with("DIS.5") => "DIS reported an internal error. Try again later.",
        _ => "DIS refused the request.",
    }
}

impl AppError {
    /// The HTTP status a server function answers with: 400 for input the operator must fix,
    /// 422 for a request DIS refused, 502 for a DIS system error, 503 when DIS is unavailable,
    /// so no expected failure reads as a 500.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::Rejected(_) | AppError::Request(_) => 400,
            AppError::Conflict(_) => 409,
            // DIS's own failures are a bad gateway; its refusals, a request it could not process.
            AppError::Dis { code, .. } if code.starts_with("DIS.5") => 502,
            AppError::Dis { .. } => 422,
            AppError::Unavailable { .. } => 503,
            AppError::Internal { .. } => 500,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::Throttled { .. } => 429,
        }
    }

    /// How the audit log records an action that ended in this error.
    pub fn audit_outcome(&self) -> AuditOutcome {
        match self {
            AppError::Dis { .. } | AppError::Internal { .. } | AppError::Unavailable { .. } => {
                AuditOutcome::Failed
            }
            AppError::Throttled { .. } => AuditOutcome::Throttled,
            AppError::Invalid { .. }
            | AppError::Rejected(_)
            | AppError::Conflict(_)
            | AppError::Request(_)
            | AppError::Unauthorized(_)
            | AppError::Forbidden(_) => AuditOutcome::Refused,
        }
    }

    /// DIS's code, when DIS refused the request.
    pub fn dis_code(&self) -> Option<&str> {
        match self {
            AppError::Dis { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    /// Read as the answers are (`api::codec`).
    type Encoder = crate::api::codec::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_message_names_the_request_id_and_nothing_else() {
        let e = AppError::Internal {
            request_id: "abc-123".into(),
        };
        assert_eq!(
            e.to_string(),
            "Something went wrong in the console. Quote request id abc-123 if you report it."
        );
    }

    #[test]
    fn transport_errors_become_request_errors() {
        let e =
            AppError::from_server_fn_error(ServerFnErrorErr::Request("connection reset".into()));
        assert!(matches!(e, AppError::Request(ref m) if m.contains("connection reset")));
    }
}

//! The one way the backend says no: a status, a DIS code and a message, answered in the body
//! DIS uses (or, for the embedded IAM, the body IAM uses). Handlers return
//! `Result<_, Refusal>` and use `?`.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    iam: bool,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code,
            message: message.into(),
            iam: false,
        }
    }

    /// A bad parameter: 400, DIS.4200.
    pub fn invalid(message: impl AsRef<str>) -> Self {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4200",
            format!("Invalid request parameter: {}", message.as_ref()),
        )
    }

    /// A refused credential: DIS answers these with its own status, 441.
    pub fn unauthenticated(code: &'static str, message: &str) -> Self {
        Refusal::new(status_441(), code, message)
    }

    pub fn stream_not_found() -> Self {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4301",
            "Stream does not exist.",
        )
    }

    /// DIS.5000: the backend could not do what was asked (its disk, or a test fault).
    pub fn system_error() -> Self {
        Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "DIS.5000",
            "System error.",
        )
    }

    pub fn partition_not_found() -> Self {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4302",
            "The partition does not exist.",
        )
    }

    pub fn task_not_found() -> Self {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4354",
            "The dump task does not exist.",
        )
    }

    /// An answer of the embedded IAM, in IAM's own body.
    pub fn iam(status: StatusCode, message: &str) -> Self {
        Refusal {
            iam: true,
            ..Refusal::new(status, "", message)
        }
    }
}

pub fn status_441() -> StatusCode {
    StatusCode::from_u16(441).expect("441 is a valid status code")
}

impl IntoResponse for Refusal {
    /// The reference documents `{"errorCode", "message"}`; the official SDKs read
    /// `{"error_code", "error_msg"}` (or `errorMsg`) and would not find the documented pair.
    /// Both pairs are sent, so every client reads the code.
    fn into_response(self) -> Response {
        let body = if self.iam {
            serde_json::json!({"error": {
                "code": self.status.as_u16(),
                "message": self.message,
                "title": self.status.canonical_reason().unwrap_or("Error"),
            }})
        } else {
            serde_json::json!({
                "errorCode": self.code,
                "message": self.message,
                "error_code": self.code,
                "error_msg": self.message,
            })
        };
        (self.status, Json(body)).into_response()
    }
}

/// Parses a JSON body as DIS does: empty is DIS.4202, unreadable DIS.4300.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4202",
            "Empty request.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4300",
            format!("Request body is malformed: {e}"),
        )
    })
}

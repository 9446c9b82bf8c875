//! The one error type server functions return to the browser.
//!
//! Every variant is safe to show an operator: it names what they can act on and, for faults on
//! our side, the request id to quote. Raw causes (I/O, upstream bodies, internal state) are logged
//! on the server and never put into an `AppError`.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
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
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

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

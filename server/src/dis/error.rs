//! The one error type of the DIS client. Its `Display` is safe to log: it never holds a
//! credential, a signed URL or a raw upstream body.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisError {
    /// DIS (or a gateway in front of it) answered with an error body.
    #[error("DIS answered HTTP {status} {code}: {message}")]
    Api {
        status: u16,
        /// `DIS.4301` and the like; gateways use their own codes (`APIGW.0301`).
        code: String,
        message: String,
        request_id: Option<String>,
    },
    /// An answer whose body is not what the API promises (not JSON, or the wrong shape).
    #[error("DIS answered HTTP {status} with a body the console cannot read")]
    Malformed {
        status: u16,
        request_id: Option<String>,
    },
    /// No answer within the time limit.
    #[error("DIS did not answer within {0:?}")]
    Timeout(Duration),
    /// The connection could not be made (refused, unreachable, DNS, TLS).
    #[error("cannot connect to DIS")]
    Connect,
    /// The connection broke while the request was under way.
    #[error("the connection to DIS broke")]
    Transport,
    /// DIS answered a redirect, which the client never follows.
    #[error("DIS answered a redirect (HTTP {0}), which the console does not follow")]
    Redirect(u16),
    /// A create timed out and DIS could not be asked whether it happened.
    #[error("the request timed out and whether DIS carried it out is unknown")]
    OutcomeUnknown,
    /// IAM refused to issue a token or answered something unreadable.
    #[error("IAM did not issue a token: {0}")]
    Iam(String),
}

impl DisError {
    /// The DIS error code, when DIS gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            DisError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// DIS's `X-Request-Id`, when the request got that far.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            DisError::Api { request_id, .. } | DisError::Malformed { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            DisError::Api { status, .. } | DisError::Malformed { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the request certainly did not happen, or happened without effect, so it may be
    /// sent again: throttling, server errors and failed connections.
    pub fn is_retryable(&self) -> bool {
        match self {
            DisError::Api { status, code, .. } => {
                *status == 429 || *status >= 500 || code == "DIS.4305" || code == "DIS.4303"
            }
            DisError::Malformed { status, .. } => *status >= 500,
            DisError::Connect | DisError::Transport | DisError::Timeout(_) => true,
            _ => false,
        }
    }

    /// Whether the credentials were refused (a token that expired, a signature DIS rejects).
    pub fn is_auth(&self) -> bool {
        match self {
            DisError::Api { status, code, .. } => {
                *status == 401
                    || *status == 441
                    || code.starts_with("DIS.41") && code != "DIS.4116" && code != "DIS.4117"
            }
            _ => false,
        }
    }
}

/// Reads an error body in any of the four shapes DIS and the gateways in front of it use:
/// `{errorCode, message}`, `{error_code, error_msg}`, `{errorCode, errorMsg}`, `{code, message}`,
/// and IAM's `{"error": {code, message}}`.
pub fn parse_error_body(body: &[u8]) -> Option<(String, String)> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let obj = value.as_object()?;
    let obj = match obj.get("error").and_then(|e| e.as_object()) {
        Some(inner) => inner,
        None => obj,
    };
    let text = |keys: &[&str]| {
        keys.iter().find_map(|k| match obj.get(*k)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let code = text(&["errorCode", "error_code", "code"])?;
    let message = text(&["message", "error_msg", "errorMsg"]).unwrap_or_default();
    Some((code, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_four_shapes_parse() {
        for body in [
            r#"{"errorCode":"DIS.4301","message":"Stream does not exist."}"#,
            r#"{"error_code":"DIS.4301","error_msg":"Stream does not exist."}"#,
            r#"{"errorCode":"DIS.4301","errorMsg":"Stream does not exist."}"#,
            r#"{"code":"DIS.4301","message":"Stream does not exist."}"#,
            r#"{"error":{"code":"DIS.4301","message":"Stream does not exist."}}"#,
        ] {
            assert_eq!(
                parse_error_body(body.as_bytes()),
                Some(("DIS.4301".into(), "Stream does not exist.".into())),
                "{body}"
            );
        }
        assert_eq!(parse_error_body(b"<html>bad gateway</html>"), None);
        assert_eq!(parse_error_body(br#"{"message":"no code"}"#), None);
    }

    #[test]
    fn retry_and_auth_classes() {
        let api = |status, code: &str| DisError::Api {
            status,
            code: code.into(),
            message: String::new(),
            request_id: None,
        };
        assert!(api(500, "DIS.5000").is_retryable());
        assert!(api(429, "APIGW.0308").is_retryable());
        assert!(api(400, "DIS.4305").is_retryable());
        assert!(!api(400, "DIS.4301").is_retryable());
        assert!(api(441, "DIS.4100").is_auth());
        assert!(api(441, "DIS.4114").is_auth());
        assert!(!api(403, "DIS.4116").is_auth());
        assert!(!api(400, "DIS.4117").is_auth());
    }
}

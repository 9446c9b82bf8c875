//! IAM tokens for `X-Auth-Token` authentication: a fixed token, or one fetched from IAM with a
//! user's password and cached until shortly before it expires.

use super::error::{parse_error_body, DisError};
use secrecy::{ExposeSecret, SecretString};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Renew a cached token this long before IAM says it expires.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

pub enum TokenSource {
    Fixed(SecretString),
    Iam(IamTokens),
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Fixed(_) => f.write_str("Fixed([REDACTED])"),
            TokenSource::Iam(i) => {
                write!(f, "Iam {{ endpoint: {}, user: {} }}", i.endpoint, i.user)
            }
        }
    }
}

/// A password login to IAM, scoped to one project.
pub struct IamTokens {
    pub endpoint: String,
    pub domain: String,
    pub user: String,
    pub password: SecretString,
    pub project_id: String,
    cached: Mutex<Option<(SecretString, Instant)>>,
}

impl IamTokens {
    pub fn new(
        endpoint: String,
        domain: String,
        user: String,
        password: SecretString,
        project_id: String,
    ) -> Self {
        IamTokens {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            domain,
            user,
            password,
            project_id,
            cached: Mutex::new(None),
        }
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<(SecretString, Instant), DisError> {
        let body = serde_json::json!({
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": self.user,
                            "password": self.password.expose_secret(),
                            "domain": { "name": self.domain }
                        }
                    }
                },
                "scope": { "project": { "id": self.project_id } }
            }
        });
        let response = http
            .post(format!("{}/v3/auth/tokens", self.endpoint))
            .header("Content-Type", "application/json;charset=utf8")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    DisError::Iam("IAM did not answer in time".into())
                } else {
                    DisError::Iam("cannot reach IAM".into())
                }
            })?;
        let status = response.status();
        let token = response
            .headers()
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(|v| SecretString::from(v.to_string()));
        let bytes = response
            .bytes()
            .await
            .map_err(|_| DisError::Iam("the answer broke off".into()))?;
        if !status.is_success() {
            let why = parse_error_body(&bytes)
                .map(|(code, msg)| format!("{code} {msg}"))
                .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
            return Err(DisError::Iam(why));
        }
        let token =
            token.ok_or_else(|| DisError::Iam("no X-Subject-Token in the answer".into()))?;
        let expires_at = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v["token"]["expires_at"].as_str().map(str::to_string))
            .and_then(|s| dis_protocol::time::parse_iso_ms(&s))
            .ok_or_else(|| DisError::Iam("no readable token.expires_at in the answer".into()))?;
        let remaining_ms = (expires_at - app::clock::now_ms()).max(0) as u64;
        let valid_for = Duration::from_millis(remaining_ms).saturating_sub(REFRESH_MARGIN);
        Ok((token, Instant::now() + valid_for))
    }
}

impl TokenSource {
    pub fn can_refresh(&self) -> bool {
        matches!(self, TokenSource::Iam(_))
    }

    /// The token to send; `refresh` forces a new one from IAM (after DIS refused the cached one).
    pub async fn token(
        &self,
        http: &reqwest::Client,
        refresh: bool,
    ) -> Result<SecretString, DisError> {
        match self {
            TokenSource::Fixed(t) => Ok(t.clone()),
            TokenSource::Iam(iam) => {
                let mut cached = iam.cached.lock().await;
                if let Some((token, until)) = cached.as_ref() {
                    if !refresh && Instant::now() < *until {
                        return Ok(token.clone());
                    }
                }
                let (token, until) = iam.fetch(http).await?;
                tracing::info!(user = %iam.user, "fetched an IAM token");
                *cached = Some((token.clone(), until));
                Ok(token)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_tokens_or_passwords() {
        let fixed = TokenSource::Fixed(SecretString::from("tok-secret"));
        assert!(!format!("{fixed:?}").contains("tok-secret"));
        let iam = TokenSource::Iam(IamTokens::new(
            "https://iam.example".into(),
            "dom".into(),
            "ops".into(),
            SecretString::from("pw-secret"),
            "p".into(),
        ));
        assert!(!format!("{iam:?}").contains("pw-secret"));
    }
}

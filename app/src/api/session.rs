//! Logging in and out, and who is logged in.

use super::access::Me;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A password on its way to the server. Its `Debug` never prints it; it is serialised only to
/// travel in the login request's body.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Password(pub(crate) String);

impl Password {
    pub fn new(text: String) -> Self {
        Password(text)
    }

    #[cfg(feature = "ssr")]
    pub fn into_secret(self) -> secrecy::SecretString {
        secrecy::SecretString::from(self.0)
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// The same answer for every refused login: it does not tell which part was wrong.
pub const LOGIN_REFUSED: &str = "That name and password do not match an enabled operator.";

/// Where a login may send the browser: a path on this console, nothing else.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && !next.starts_with("/login");
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// Checks a name and password; on success starts a session under a new id and answers where to
/// go next.
#[server(endpoint = "login")]
pub async fn login(name: String, password: Password, next: String) -> Result<String, AppError> {
    async {
        use super::ssr::{
            accounts, audit, internal, now_ms, session, SessionOperator, SESSION_KEY,
        };
        use crate::ports::LoginOutcome;
        let client = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|_| "unknown".to_owned());
        let name = name.trim().to_owned();
        // Oversized input is refused like a wrong password, before any hashing.
        let shown = name.chars().take(64).collect::<String>();
        let outcome = if name.chars().count() > 64 || password.0.len() > 1024 {
            LoginOutcome::Refused
        } else {
            accounts()?
                .login(&name, &password.into_secret(), &client)
                .await
                .map_err(|e| internal("accounts store", e.0))?
        };
        let result = match outcome {
            LoginOutcome::Accepted { id, me } => {
                async {
                    let session = session().await?;
                    // A new id at login: an id planted before it is worth nothing after.
                    session
                        .cycle_id()
                        .await
                        .map_err(|e| internal("session id", e))?;
                    session
                        .insert(
                            SESSION_KEY,
                            SessionOperator {
                                id,
                                login_ms: now_ms(),
                            },
                        )
                        .await
                        .map_err(|e| internal("session write", e))?;
                    Ok(me.name)
                }
                .await
            }
            LoginOutcome::Refused => Err(AppError::Unauthorized(LOGIN_REFUSED.into())),
            LoginOutcome::Throttled { retry_after_secs } => {
                Err(AppError::Throttled { retry_after_secs })
            }
        };
        // One audit line for every attempt, under the operator's name or the name typed.
        let who = result.as_ref().map_or(shown, String::clone);
        audit(&who, "login", &who, &result).await;
        result?;
        tracing::info!(operator = %who, "logged in");
        Ok(safe_next(&next))
    }
    .await
    .map_err(super::ssr::with_status)
}

/// Ends this session on the server.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    async {
        use super::ssr::{audit, current, internal, session};
        let who = current().await.ok().flatten();
        session()
            .await?
            .flush()
            .await
            .map_err(|e| internal("session end", e))?;
        if let Some((_, me)) = who {
            audit(&me.name, "logout", &me.name, &Ok::<(), AppError>(())).await;
        }
        Ok(())
    }
    .await
    .map_err(super::ssr::with_status)
}

/// The operator behind this session, if any.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    async {
        match super::ssr::current().await {
            Ok(who) => Ok(who.map(|(_, me)| me)),
            Err(AppError::Unauthorized(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
    .await
    .map_err(super::ssr::with_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_and_passwords_do_not_print() {
        assert_eq!(safe_next("/streams/a?x=1"), "/streams/a?x=1");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "streams",
            "/login",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
        assert_eq!(
            format!("{:?}", Password::new("hunter2".into())),
            "Password([redacted])"
        );
    }
}

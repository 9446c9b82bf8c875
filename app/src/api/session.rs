//! Logging in and out, and who is logged in.

pub use crate::domain::access::Password;
use crate::domain::Me;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::serve::serve, crate::services::session};

/// The same answer for every refused login: it does not tell which part was wrong.
pub const LOGIN_REFUSED: &str = "That name and password do not match an enabled operator.";

/// How the login page offers to log in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignInOptions {
    /// The identity provider's name on its button ("Sign in with …"), when operators sign on
    /// through one.
    pub provider: Option<String>,
    /// Whether local operators log in with a name and password (`CONSOLE_LOCAL_LOGIN`).
    pub local: bool,
}

/// Who is logged in, and how the login page offers to log in: what every page reads once.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct WhoAmI {
    pub me: Option<Me>,
    pub sign_in: SignInOptions,
}

impl Default for SignInOptions {
    fn default() -> Self {
        SignInOptions {
            provider: None,
            local: true,
        }
    }
}

/// What a local login is told when `CONSOLE_LOCAL_LOGIN=off`.
pub const LOCAL_LOGIN_OFF: &str =
    "Logging in with a password is turned off on this console: sign in with the identity provider.";

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
#[server(endpoint = "login", output = crate::api::codec::PageJson)]
pub async fn login(name: String, password: Password, next: String) -> Result<String, AppError> {
    serve::<Login>()
        .accounts(|accounts| async move {
            session::login(accounts.as_ref(), &name, password, &next).await
        })
        .await
}

/// Ends this session on the server, and answers where the browser goes: the login page, or
/// for someone who signed on, the identity provider's logout, which comes back to it.
#[server(endpoint = "logout", output = crate::api::codec::PageJson)]
pub async fn logout() -> Result<String, AppError> {
    serve::<Logout>().run(session::logout).await
}

/// The operator behind this session, if any, and how the login page offers to log in.
#[server(endpoint = "whoami", output = crate::api::codec::PageJson)]
pub async fn whoami() -> Result<WhoAmI, AppError> {
    serve::<Whoami>().run(session::whoami).await
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

//! Logging in and out. Every attempt is audited here, under the operator's name or the name
//! typed, since no operator is known before the check.

use crate::api::envelope::ID_TOKEN_KEY;
use crate::api::envelope::{
    client_address, current, internal, session, store_fault, store_operator, stored_operator,
    SessionOperator,
};
use crate::api::serve::record;
use crate::api::session::{safe_next, Password, WhoAmI, LOCAL_LOGIN_OFF, LOGIN_REFUSED};
use crate::domain::AuditAction;
use crate::error::AppError;
use crate::ports::{Accounts, IdTokenHint, LoginOutcome, SignOutPort};

/// Checks a name and password from this request's address; on success starts a session under
/// a new id and answers where to go next.
pub async fn login(
    accounts: &dyn Accounts,
    name: &str,
    password: Password,
    next: &str,
) -> Result<String, AppError> {
    let client = client_address().await;
    let name = name.trim();
    // Oversized input is refused like a wrong password, before any hashing.
    let shown = name.chars().take(64).collect::<String>();
    if !crate::api::envelope::sign_in_options().local {
        let refused = AppError::Forbidden(LOCAL_LOGIN_OFF.into());
        record(
            &shown,
            AuditAction::Login,
            &shown,
            &Err::<(), _>(refused.clone()),
        )
        .await;
        return Err(refused);
    }
    let outcome = if name.chars().count() > 64 || password.0.len() > 1024 {
        LoginOutcome::Refused
    } else {
        accounts
            .login(name, &password.into_secret(), &client)
            .await
            .map_err(store_fault)?
    };
    let result = match outcome {
        LoginOutcome::Accepted { id, operator } => start_session(id, operator.password_epoch)
            .await
            .map(|()| operator.me.name),
        LoginOutcome::Refused => Err(AppError::Unauthorized(LOGIN_REFUSED.into())),
        LoginOutcome::Throttled { retry_after_secs } => {
            Err(AppError::Throttled { retry_after_secs })
        }
    };
    // One audit line for every attempt, under the operator's name or the name typed.
    let who = result.as_ref().map_or(shown, String::clone);
    record(&who, AuditAction::Login, &who, &result).await;
    result?;
    tracing::info!(operator = %who, "logged in");
    Ok(safe_next(next))
}

async fn start_session(id: i64, password_epoch: i64) -> Result<(), AppError> {
    let session = session().await?;
    // A new id at login: an id planted before it is worth nothing after.
    session
        .cycle_id()
        .await
        .map_err(|e| internal("session id", e))?;
    let operator = SessionOperator {
        id,
        login_ms: crate::clock::now_ms(),
        password_epoch,
    };
    store_operator(&session, operator).await
}

/// Ends this session on the server, and audits it when an operator was logged in. Answers
/// where the browser goes: the login page, or for a session that signed on through the
/// identity provider, the provider's logout (which ends the operator's session there too and
/// comes back to the login page), when it offers one.
pub async fn logout() -> Result<String, AppError> {
    let who = current().await.ok().flatten();
    let session = session().await?;
    let id_token = session
        .get::<String>(ID_TOKEN_KEY)
        .await
        .map_err(|e| internal("session read", e))?
        .map(IdTokenHint);
    session
        .flush()
        .await
        .map_err(|e| internal("session end", e))?;
    if let Some((_, me)) = who {
        record(
            &me.name,
            AuditAction::Logout,
            &me.name,
            &Ok::<(), AppError>(()),
        )
        .await;
    }
    let provider = leptos::prelude::use_context::<SignOutPort>();
    let target = match (id_token, provider) {
        (Some(id_token), Some(SignOutPort(provider))) => provider.end_session(&id_token).await,
        _ => None,
    };
    Ok(target.unwrap_or_else(|| "/login".to_owned()))
}

/// After the operator behind this session changed their own password: this session takes the
/// new password's epoch and stays, while every other session of theirs has ended.
pub async fn keep_after_own_password_change(accounts: &dyn Accounts) -> Result<(), AppError> {
    let session = session().await?;
    let Some(mut stored) = stored_operator(&session).await? else {
        return Ok(());
    };
    if let Some(live) = accounts.operator(stored.id).await.map_err(store_fault)? {
        stored.password_epoch = live.password_epoch;
        store_operator(&session, stored).await?;
    }
    Ok(())
}

/// The operator behind this session, if any (a session past its limit is no operator), and
/// how the login page offers to log in.
pub async fn whoami() -> Result<WhoAmI, AppError> {
    let me = match current().await {
        Ok(who) => who.map(|(_, me)| me),
        Err(AppError::Unauthorized(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(WhoAmI {
        me,
        sign_in: crate::api::envelope::sign_in_options(),
    })
}

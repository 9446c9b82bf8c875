//! What a server function reads from its request: the request id, the session and its operator,
//! and the ports the server provides. Server only.

use crate::domain::{Me, Role};
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
        (UpstreamKind::Timeout, _) => unavailable(
            "DIS did not answer in time. A change may still have happened: refresh to see before trying again.",
        ),
        (UpstreamKind::Unreachable, _) => unavailable("The console cannot reach DIS."),
        (UpstreamKind::OutcomeUnknown, _) => unavailable(
            "DIS did not answer in time and could not be asked whether the change happened. Reload before trying again.",
        ),
        _ => unavailable("DIS answered something the console cannot read."),
    }
}

/// The client a request came from, as the server's envelope worked it out (the peer, or behind
/// a trusted proxy the address it forwards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// The address this request came from: the login limits' client key.
pub async fn client_address() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().cloned())
        .map(|ClientIp(ip)| ip)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Logs a fault on the console's side and gives the operator only the request id.
pub fn internal(what: &str, detail: impl std::fmt::Display) -> AppError {
    let request_id = request_id();
    tracing::error!(%request_id, what, %detail, "internal fault");
    AppError::Internal { request_id }
}

/// A store fault, as the operator sees it.
pub fn store_fault(e: crate::ports::StoreError) -> AppError {
    internal("accounts store", e.0)
}

/// Where a session keeps its operator.
pub const SESSION_KEY: &str = "operator";

/// Where a session that signed on through the identity provider keeps its ID token, the hint
/// the provider's logout asks for. It stays in the server's session store.
pub const ID_TOKEN_KEY: &str = "id_token";

/// What a session stores: who logged in, when, and with which password (its epoch).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct SessionOperator {
    pub id: i64,
    pub login_ms: i64,
    /// Sessions stored before epochs existed read as 0, the epoch every operator started at.
    #[serde(default)]
    pub password_epoch: i64,
}

/// The absolute session limit (the idle limit is the session layer's expiry).
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub absolute_ms: i64,
}

/// The operator a session stores, if any.
pub async fn stored_operator(
    session: &tower_sessions::Session,
) -> Result<Option<SessionOperator>, AppError> {
    session
        .get::<SessionOperator>(SESSION_KEY)
        .await
        .map_err(|e| internal("session read", e))
}

/// Stores `operator` as the session's.
pub async fn store_operator(
    session: &tower_sessions::Session,
    operator: SessionOperator,
) -> Result<(), AppError> {
    session
        .insert(SESSION_KEY, operator)
        .await
        .map_err(|e| internal("session write", e))
}

/// This request's session (the session layer wraps every route).
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| internal("session layer", e))
}

/// The accounts store the server provides.
pub fn accounts() -> Result<std::sync::Arc<dyn crate::ports::Accounts>, AppError> {
    provided::<crate::ports::AccountsPort>("AccountsPort").map(|a| a.0)
}

/// How the login page offers to log in, as the server provides it; a server that provides
/// nothing has local logins only.
pub fn sign_in_options() -> super::session::SignInOptions {
    leptos::prelude::use_context::<super::session::SignInOptions>().unwrap_or_default()
}

/// The DIS port the server provides.
pub fn dis() -> Result<std::sync::Arc<dyn crate::ports::DisPort>, AppError> {
    provided::<crate::ports::Dis>("Dis").map(|d| d.0)
}

/// The console's status, with the clock previews use: the configured zone, or the one the
/// newest files measured.
pub fn status() -> Result<super::status::ConsoleStatus, AppError> {
    use crate::domain::clock::RegionClock;
    let mut status = provided::<super::status::ConsoleStatus>("ConsoleStatus")?;
    let configured = crate::domain::ZoneOffset::from_minutes(status.time_zone_minutes)
        .unwrap_or(crate::domain::ZoneOffset::UTC);
    let finding = leptos::prelude::use_context::<crate::ports::Obs>().and_then(|o| o.finding());
    status.clock = RegionClock::resolve(configured, status.time_zone_set, finding.as_ref());
    Ok(status)
}

/// OBS as the server provides it.
pub fn obs() -> Result<crate::ports::Obs, AppError> {
    provided::<crate::ports::Obs>("Obs")
}

/// The reads of streams' records the server keeps for the wizard's preview.
pub fn samples() -> Result<crate::ports::Samples, AppError> {
    provided::<crate::ports::Samples>("Samples")
}

/// The consumer applications' reads the stream pages share.
pub fn consumers() -> Result<crate::ports::Consumers, AppError> {
    provided::<crate::ports::Consumers>("Consumers")
}

/// The overview the server keeps.
pub fn overview() -> Result<std::sync::Arc<dyn crate::ports::OverviewSource>, AppError> {
    provided::<crate::ports::Overview>("Overview").map(|o| o.0)
}

/// The operator behind this request's session: `None` without one, `Unauthorized` when it
/// has passed its absolute limit (it is ended here). A disabled or deleted operator's
/// session ends at their next request, and so does one opened before a password change.
pub async fn current() -> Result<Option<(i64, Me)>, AppError> {
    // The server's envelope has already resolved this request's session: use that.
    let resolved = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Resolved>().cloned());
    if let Some(Resolved(who)) = resolved {
        return Ok(who);
    }
    let session = session().await?;
    let limits = provided::<SessionLimits>("SessionLimits")?;
    resolve(&session, accounts()?.as_ref(), limits).await
}

/// A request's operator as the server's envelope resolved it before the page or server
/// function ran, kept in the request's extensions so a page checks its session once.
#[derive(Debug, Clone)]
pub struct Resolved(pub Option<(i64, Me)>);

/// [`current`] with its inputs given: the server's API guard calls it before any server
/// function runs.
pub async fn resolve(
    session: &tower_sessions::Session,
    accounts: &dyn crate::ports::Accounts,
    limits: SessionLimits,
) -> Result<Option<(i64, Me)>, AppError> {
    let Some(stored) = stored_operator(session).await? else {
        return Ok(None);
    };
    if crate::clock::now_ms().saturating_sub(stored.login_ms) > limits.absolute_ms {
        session
            .flush()
            .await
            .map_err(|e| internal("session end", e))?;
        return Err(AppError::Unauthorized(
            "Your session reached its time limit. Log in again.".into(),
        ));
    }
    match accounts.operator(stored.id).await {
        Ok(Some(live)) if live.password_epoch == stored.password_epoch => {
            Ok(Some((stored.id, live.me)))
        }
        Ok(_) => {
            session
                .flush()
                .await
                .map_err(|e| internal("session end", e))?;
            Ok(None)
        }
        Err(e) => Err(store_fault(e)),
    }
}

/// Whether `me` may do what needs `required`; the refusal says why.
pub fn permit(me: &Me, required: Role) -> Result<(), AppError> {
    if me.role >= required {
        return Ok(());
    }
    tracing::warn!(operator = %me.name, role = me.role.as_str(), required = required.as_str(), "role refused");
    Err(AppError::Forbidden(format!(
        "Your role, {}, cannot do this: it needs {}.",
        me.role.as_str(),
        required.as_str()
    )))
}

/// What a request without a session is told.
pub fn login_required() -> AppError {
    AppError::Unauthorized("Log in to continue.".into())
}

/// The one check every guarded server function makes first: a live session whose operator has
/// at least `required`.
pub async fn guard(required: Role) -> Result<Me, AppError> {
    let Some((_, me)) = current().await? else {
        return Err(login_required());
    };
    permit(&me, required)?;
    Ok(me)
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

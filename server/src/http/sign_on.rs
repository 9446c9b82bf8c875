//! `/auth/login` and `/auth/callback`: the browser's round trip through the identity provider.
//!
//! Cookies and the trip back. The session cookie is `SameSite=Strict`, and the provider sends
//! the browser back with a top-level GET from the provider's site: Chromium (like every current
//! browser) does not send a Strict cookie on that cross-site navigation, nor on any redirect in
//! a chain that a cross-site page started. So:
//! - what the sign-on must find when the browser comes back (`state`, `nonce`, the PKCE
//!   verifier, where to go after) lives in a pre-login session of its own, keyed by a random id
//!   in a separate `SameSite=Lax` cookie, which browsers do send on a cross-site top-level GET.
//!   It is HttpOnly, lasts ten minutes, is `Secure` (and `__Host-`) over https, and the callback
//!   clears it; the pending sign-on is taken once, so a replayed callback finds nothing;
//! - the callback starts the console session under a new id and answers with a small page
//!   that moves on to the console with a `<meta http-equiv="refresh">`: that navigation starts
//!   on the console's own page, so it is same-site and the new Strict cookie goes with it. A 303
//!   from the callback would still be part of the provider's cross-site chain, and the first
//!   page would arrive without the session and bounce to the login page.
//!
//! Every refusal goes to the login page as a code and this request's id, is audited, and the
//! cause is logged under that id; the provider's tokens and code are never logged.

use super::router::{request_id, AppState};
use crate::accounts::store::SignOnOutcome;
use crate::sign_on::{pending::PENDING_FOR, Refused, SignOn};
use app::api::envelope::{store_operator, SessionOperator, ID_TOKEN_KEY};
use app::api::serve::audit_entry;
use app::api::session::safe_next;
use app::domain::sso::{SignOnIdentity, SignOnRefusal};
use app::domain::{AuditAction, AuditOutcome};
use axum::{
    extract::{RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use dis_protocol::signer::constant_time_eq;
use std::collections::HashMap;
use tower_sessions::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use tower_sessions::Session;

/// The operator field of an audit line about a sign-on that never learned who it was for.
/// Parentheses are not allowed in operator names, so no operator is ever taken for it.
const UNKNOWN: &str = "(unknown)";

/// The routes, when the console signs on through an identity provider.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(begin))
        .route("/auth/callback", get(callback))
}

fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-dis-console-sign-on"
    } else {
        "dis-console-sign-on"
    }
}

/// The pre-login cookie: `value` for `max_age`, or cleared with an empty one.
fn pre_login_cookie(https: bool, value: String, max_age: CookieDuration) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(https), value))
        .http_only(true)
        .secure(https)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(max_age)
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn pre_login_id(headers: &HeaderMap, https: bool) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == cookie_name(https))
        .map(|c| c.value().to_owned())
}

fn query(raw: Option<String>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The login page, saying why the sign-on was refused and under which request id.
fn to_login_page(refusal: SignOnRefusal, request_id: &str) -> Response {
    see_other(&format!(
        "/login?sso={}&request={}",
        refusal.code(),
        app::url::percent_encode(request_id, b"-")
    ))
}

/// `GET /auth/login[?next=/path]`: starts a sign-on and sends the browser to the provider.
async fn begin(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    // The routes exist only with a provider; a state without one is a wiring fault.
    let Some(provider) = state.sign_on.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let params = query(raw);
    let next = safe_next(params.get("next").map_or("/", String::as_str));
    // The provider sends the browser back to the public URL: a sign-on started under another
    // of the console's names (its address, say) would leave its pre-login cookie where the
    // callback never looks. So it moves there first, once (`moved`, so that a proxy which
    // passes on another Host cannot make a loop of it).
    let public = &provider.settings().start_url;
    if !params.contains_key("moved") && !same_authority(&headers, public) {
        let mut there = public.clone();
        there
            .query_pairs_mut()
            .append_pair("next", &next)
            .append_pair("moved", "1");
        return see_other(there.as_str());
    }
    match provider.start(next).await {
        Ok((url, started)) => {
            let id = provider.pending.put(started);
            let max_age = CookieDuration::seconds(PENDING_FOR.as_secs() as i64);
            let mut response = see_other(url.as_str());
            response.headers_mut().append(
                header::SET_COOKIE,
                pre_login_cookie(state.envelope.https, id, max_age),
            );
            response
        }
        Err(refused) => {
            let request_id = request_id(&headers).to_owned();
            audit_refusal(&state, &refused, &request_id).await;
            to_login_page(refused.refusal, &request_id)
        }
    }
}

/// Whether the request's `Host` is `url`'s host and port.
fn same_authority(headers: &HeaderMap, url: &url::Url) -> bool {
    let expected = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return false,
    };
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| host.eq_ignore_ascii_case(&expected))
}

/// `GET /auth/callback?code=…&state=…` (or `?error=…`): finishes the sign-on this browser
/// started, and starts the console session.
async fn callback(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    // The routes exist only with a provider; a state without one is a wiring fault.
    let Some(provider) = state.sign_on.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let https = state.envelope.https;
    let request_id = request_id(&headers).to_owned();
    let params = query(raw);
    let started = pre_login_id(&headers, https).and_then(|id| provider.pending.take(&id));
    let result = finish(&state, &provider, &session, started, &params).await;
    let mut response = match result {
        Ok((name, who, next)) => {
            audit(&state, &name, Some(who), AuditOutcome::Ok, &request_id).await;
            tracing::info!(operator = %name, "signed on");
            continue_to(&next)
        }
        Err(refused) => {
            audit_refusal(&state, &refused, &request_id).await;
            to_login_page(refused.refusal, &request_id)
        }
    };
    response.headers_mut().append(
        header::SET_COOKIE,
        pre_login_cookie(https, String::new(), CookieDuration::ZERO),
    );
    response
}

/// The checks of the browser's return, the provider's checks, the operator and the session:
/// the operator's name and identity and where to go, or why not.
async fn finish(
    state: &AppState,
    provider: &SignOn,
    session: &Session,
    started: Option<crate::sign_on::pending::Started>,
    params: &HashMap<String, String>,
) -> Result<(String, SignOnIdentity, String), Refused> {
    let fail = |refusal, detail: &str| Refused {
        refusal,
        detail: detail.to_owned(),
        who: None,
    };
    let started = started.ok_or_else(|| {
        fail(
            SignOnRefusal::Expired,
            "no sign-on is waiting for this browser (none started, already used, or older than 10 minutes)",
        )
    })?;
    let state_matches = params
        .get("state")
        .is_some_and(|s| constant_time_eq(s, started.state.secret()));
    if !state_matches {
        return Err(fail(
            SignOnRefusal::Mismatch,
            "the answer's state is not this browser's",
        ));
    }
    // RFC 9207: a provider that names itself must be the configured one.
    if params
        .get("iss")
        .is_some_and(|iss| iss != &provider.settings().issuer)
    {
        return Err(fail(
            SignOnRefusal::Mismatch,
            "the answer names another issuer",
        ));
    }
    if let Some(error) = params.get("error") {
        let said: String = format!(
            "the provider answered {error:?}: {:?}",
            params.get("error_description").map_or("", String::as_str)
        )
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
        return Err(fail(SignOnRefusal::Denied, &said));
    }
    let code = params.get("code").cloned().ok_or_else(|| {
        fail(
            SignOnRefusal::Denied,
            "the answer has neither a code nor an error",
        )
    })?;
    let next = started.next.clone();
    let verified = provider.finish(started, code).await?;
    let store = &state.envelope.accounts;
    let outcome = store
        .sign_on(&verified.who, &verified.name, verified.role)
        .await
        .map_err(|e| Refused {
            refusal: SignOnRefusal::Failed,
            detail: format!("accounts store: {}", e.0),
            who: Some(verified.who.clone()),
        })?;
    let (id, operator) = match outcome {
        SignOnOutcome::Accepted { id, operator } => (id, operator),
        SignOnOutcome::Disabled => {
            return Err(Refused {
                refusal: SignOnRefusal::Disabled,
                detail: "the operator with this subject is disabled".into(),
                who: Some(verified.who),
            })
        }
    };
    let session_fault = |what: &str, e: &dyn std::fmt::Display| Refused {
        refusal: SignOnRefusal::Failed,
        detail: format!("{what}: {e}"),
        who: Some(verified.who.clone()),
    };
    // A new id at sign-on, as at a local login: an id planted before it is worth nothing after.
    session
        .cycle_id()
        .await
        .map_err(|e| session_fault("session id", &e))?;
    let stored = SessionOperator {
        id,
        login_ms: app::clock::now_ms(),
        password_epoch: operator.password_epoch,
    };
    store_operator(session, stored)
        .await
        .map_err(|e| session_fault("session write", &e))?;
    session
        .insert(ID_TOKEN_KEY, verified.id_token.0.clone())
        .await
        .map_err(|e| session_fault("session write", &e))?;
    Ok((operator.me.name, verified.who, next))
}

/// The page that moves on to `next` once the session cookie is set (see the module's notes).
fn continue_to(next: &str) -> Response {
    // `next` is a local path (`safe_next`); anything but plain URL characters is escaped so it
    // stays one attribute value.
    let url: String = next
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/?=#%:@!$()*+,;[]".contains(&b) {
                char::from(b).to_string()
            } else if b == b'&' {
                "&amp;".to_owned()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={url}\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Signed in · {product}</title>\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\">\
         <link rel=\"stylesheet\" href=\"/{pkg}/{name}.css\"></head>\
         <body><main class=\"page\"><p>Signed in. <a href=\"{url}\">Continue to the console</a>.</p>\
         </main></body></html>",
        product = app::PRODUCT_NAME,
        pkg = app::PKG_DIR,
        name = app::OUTPUT_NAME,
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

async fn audit_refusal(state: &AppState, refused: &Refused, request_id: &str) {
    tracing::warn!(
        refusal = refused.refusal.code(),
        detail = %refused.detail,
        subject = refused.who.as_ref().map_or("", |w| w.subject.as_str()),
        "sign-on refused"
    );
    let operator = refused
        .who
        .as_ref()
        .map_or(UNKNOWN, |w| w.display_name.as_str());
    let outcome = match refused.refusal {
        SignOnRefusal::Unreachable | SignOnRefusal::Failed => AuditOutcome::Failed,
        _ => AuditOutcome::Refused,
    };
    audit(state, operator, refused.who.clone(), outcome, request_id).await;
}

/// One audit line for a sign-on: `login`, with the target "identity provider".
async fn audit(
    state: &AppState,
    operator: &str,
    who: Option<SignOnIdentity>,
    outcome: AuditOutcome,
    request_id: &str,
) {
    // The project's one audit line, with its bounds on what it keeps; a sign-on's outcome
    // and identity are its own.
    let mut entry = audit_entry(
        operator,
        AuditAction::Login,
        "identity provider",
        &Ok::<(), app::error::AppError>(()),
        request_id.to_owned(),
    );
    entry.outcome = outcome;
    entry.identity = who;
    use app::ports::Accounts;
    if let Err(e) = state.envelope.accounts.record(entry).await {
        tracing::error!(detail = %e.0, "audit write failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_page_after_a_sign_on_keeps_next_one_attribute() {
        let (_, body) = continue_to("/streams/a?x=1&y=\"><script>").into_parts();
        let bytes = axum::body::to_bytes(body, 10_000).await.unwrap();
        let page = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(
            page.contains("url=/streams/a?x=1&amp;y=%22%3E%3Cscript%3E\""),
            "{page}"
        );
        assert!(!page.contains("<script>"));
    }
}

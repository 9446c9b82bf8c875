//! The envelope around every request: who may reach the API and the pages, that changes come
//! from the console's own origin, and the response headers (CSP with a per-response nonce).

use super::hosts::AllowedHosts;
use super::proxies::TrustedProxies;
use crate::accounts::Store;
use app::api::access::required_role;
use app::api::envelope::ClientIp;
use app::api::envelope::{permit, resolve, Resolved, SessionLimits};
use app::error::AppError;
use axum::extract::ConnectInfo;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_sessions::Session;

/// What the envelope needs to know.
#[derive(Clone)]
pub struct Envelope {
    pub accounts: Arc<Store>,
    pub limits: SessionLimits,
    /// The console's own origin when `CONSOLE_PUBLIC_URL` names it (`https://host`); else the
    /// `Host` header's, over http.
    pub origin: Option<String>,
    pub https: bool,
    /// The names the console answers to in `Host`.
    pub hosts: Arc<AllowedHosts>,
    /// The proxies whose `X-Forwarded-For` names the client.
    pub proxies: Arc<TrustedProxies>,
}

/// The CSP nonce of this response, in the request's extensions for the renderer.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

fn refuse(status: StatusCode, error: AppError) -> Response {
    let body = serde_json::to_vec(&error).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Who a request is from, before any route runs. A request for a name the console does not
/// answer to is refused: a page whose name an attacker points at the console's address (DNS
/// rebinding) gets nothing. Otherwise the client's address is noted for the login limits: the
/// peer, or behind a trusted proxy the address it forwards.
pub async fn admit(State(env): State<Envelope>, mut request: Request, next: Next) -> Response {
    let host = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned)
        });
    match host {
        Some(host) if env.hosts.allows(&host) => {}
        Some(host) => {
            tracing::warn!(host = %host.chars().take(100).collect::<String>(), "unknown host refused");
            return refuse(
                StatusCode::MISDIRECTED_REQUEST,
                AppError::Request(
                    "This console does not answer to that host name. An administrator can add it \
                     to CONSOLE_ALLOWED_HOSTS or set CONSOLE_PUBLIC_URL."
                        .into(),
                ),
            );
        }
        None => {
            return refuse(
                StatusCode::BAD_REQUEST,
                AppError::Request("The request names no host.".into()),
            )
        }
    }
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let forwarded: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let client = env.proxies.client(peer.ip(), &forwarded);
        request
            .extensions_mut()
            .insert(ClientIp(client.to_string()));
    }
    next.run(request).await
}

/// Every server function is refused before it runs unless the session's operator has the role
/// the access table names for it; a path the table lacks is refused outright.
pub async fn api_access(State(env): State<Envelope>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(required) = required_role(&path) else {
        return refuse(
            StatusCode::NOT_FOUND,
            AppError::Request("There is no such server function.".into()),
        );
    };
    let Some(required) = required else {
        return next.run(request).await;
    };
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            app::api::envelope::internal("session layer", "missing"),
        );
    };
    match resolve(&session, env.accounts.as_ref(), env.limits).await {
        Ok(Some((id, me))) => match permit(&me, required) {
            Ok(()) => {
                request.extensions_mut().insert(Resolved(Some((id, me))));
                next.run(request).await
            }
            Err(e) => refuse(StatusCode::FORBIDDEN, e),
        },
        Ok(None) => refuse(
            StatusCode::UNAUTHORIZED,
            app::api::envelope::login_required(),
        ),
        Err(e @ AppError::Unauthorized(_)) => refuse(StatusCode::UNAUTHORIZED, e),
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

/// A page asked for without a session goes to the login page, which returns to it after.
pub async fn pages_need_login(
    State(env): State<Envelope>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Pages have no file extension (stream and task names cannot hold a '.'); files from the
    // site root (the favicon, the bundle) do.
    let wants_page = matches!(*request.method(), Method::GET | Method::HEAD)
        && !path.rsplit('/').next().unwrap_or("").contains('.');
    let public = path == "/login"
        || path.starts_with("/auth/")
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/healthz"
        || path == "/readyz";
    if !wants_page || public {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    match resolve(&session, env.accounts.as_ref(), env.limits).await {
        Ok(Some(who)) => {
            request.extensions_mut().insert(Resolved(Some(who)));
            next.run(request).await
        }
        _ => {
            let next_path = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/login?next={}", app::url::percent_encode(next_path, b"/"));
            Redirect::to(&target).into_response()
        }
    }
}

/// A request that changes something must come from the console's own pages: a browser's
/// `Sec-Fetch-Site` must say same-origin, and an `Origin` must be the console's. (A client that
/// sends neither is not a browser, so no other site's page is acting through it; the session
/// cookie is `SameSite=Strict` besides.)
pub async fn same_origin(State(env): State<Envelope>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let expected = env.origin.clone().or_else(|| {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|host| format!("{}://{host}", if env.https { "https" } else { "http" }))
    });
    let cross_site = match (fetch_site, origin) {
        (Some(site), _) if site != "same-origin" && site != "none" => true,
        (_, Some(origin)) => Some(origin) != expected.as_deref(),
        _ => false,
    };
    if cross_site {
        tracing::warn!(
            fetch_site = fetch_site.unwrap_or(""),
            origin = origin.unwrap_or(""),
            "cross-origin change refused"
        );
        return refuse(
            StatusCode::FORBIDDEN,
            AppError::Forbidden("Changes must come from the console's own pages.".into()),
        );
    }
    next.run(request).await
}

/// A fresh nonce for this response's inline scripts, and the headers every response carries.
pub async fn headers(State(env): State<Envelope>, mut request: Request, next: Next) -> Response {
    let nonce = {
        use base64::Engine;
        let bytes: [u8; 16] = rand::random();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = request.uri().path().to_owned();
    let mut response: Response<Body> = next.run(request).await;
    let h = response.headers_mut();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if env.https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let is_page = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page || path.starts_with("/api/") {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

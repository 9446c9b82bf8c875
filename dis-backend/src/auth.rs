//! Who may call: an `X-Auth-Token` (fixed, or issued by the embedded IAM) or an SDK-HMAC-SHA256
//! signature over the request, checked as DIS checks it, then the project id in the path. Also
//! the embedded IAM itself, `POST /v3/auth/tokens`.

use crate::refusal::{json_body, Refusal};
use crate::{lock, Shared, MAX_CLOCK_SKEW_MS, TOKEN_LIFETIME_MS};
use app::clock::now_ms;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use dis_protocol::signer::{self, AuthorizationProblem};
use secrecy::ExposeSecret;
use std::sync::Arc;

/// The largest request body the backend reads.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Checks the token or the signature, then the project id in the path.
pub(crate) async fn authenticate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "DIS.4200",
            "The request body is too large.",
        )
        .into_response();
    };
    if let Err(refusal) = verify(&shared, &parts.method, &parts.uri, &parts.headers, &bytes) {
        return refusal.into_response();
    }
    let project = parts.uri.path().split('/').nth(2).unwrap_or_default();
    if project != shared.config.project_id {
        return Refusal::new(StatusCode::BAD_REQUEST, "DIS.4117", "Invalid project id.")
            .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn verify(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Refusal> {
    let deny = |code: &'static str, message: &str| Err(Refusal::unauthenticated(code, message));
    if let Some(token) = headers.get("x-auth-token") {
        let token = token.to_str().unwrap_or_default();
        if token.is_empty() {
            return deny("DIS.4113", "The token is empty.");
        }
        let fixed = shared
            .config
            .tokens
            .iter()
            .any(|t| signer::constant_time_eq(t.expose_secret(), token));
        let issued = lock(&shared.issued)
            .get(token)
            .is_some_and(|expires| *expires > now_ms());
        return if fixed || issued {
            Ok(())
        } else {
            deny("DIS.4114", "The token is invalid or has expired.")
        };
    }
    let authorization = header(headers, "authorization").unwrap_or_default();
    if authorization.trim().is_empty() {
        return deny("DIS.4101", "The Authorization header is empty.");
    }
    let auth = match signer::parse_authorization(authorization) {
        Ok(a) => a,
        Err(AuthorizationProblem::Unparsable) => {
            return deny("DIS.4102", "The Authorization header cannot be parsed.")
        }
        Err(AuthorizationProblem::Malformed) => {
            return deny("DIS.4109", "The Authorization header is malformed.")
        }
        Err(AuthorizationProblem::EmptyAccessKey) => {
            return deny("DIS.4106", "The access key is empty.")
        }
        Err(AuthorizationProblem::EmptySignature) => {
            return deny("DIS.4110", "The signature is empty.")
        }
    };
    if !signer::constant_time_eq(&auth.access, &shared.config.access_key) {
        return deny("DIS.4107", "The access key is invalid.");
    }
    let date = header(headers, "x-sdk-date").unwrap_or_default();
    if date.is_empty() {
        return deny("DIS.4103", "The X-Sdk-Date header is empty.");
    }
    let Some(date_ms) = signer::parse_sdk_date(date) else {
        return deny("DIS.4104", "The X-Sdk-Date header cannot be parsed.");
    };
    if (date_ms - now_ms()).abs() > MAX_CLOCK_SKEW_MS {
        return deny(
            "DIS.4105",
            "X-Sdk-Date is more than 15 minutes from the server's time.",
        );
    }
    let mut signed = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        match headers.get(name.as_str()).and_then(|v| v.to_str().ok()) {
            Some(value) => signed.push((name.clone(), value.trim().to_string())),
            None => return deny("DIS.4100", "A signed header is missing from the request."),
        }
    }
    let query = signer::parse_query(uri.query().unwrap_or_default());
    let expected = signer::sign_with_headers(
        &signer::SigningInput {
            method: method.as_str(),
            path: uri.path(),
            query: &query,
            headers: &[],
            body,
        },
        &signed,
        shared.config.secret_key.expose_secret().as_bytes(),
    );
    match expected {
        Ok(sig) if signer::constant_time_eq(&sig.signature, &auth.signature) => Ok(()),
        _ => deny("DIS.4100", "The signature does not match."),
    }
}

/// The embedded IAM: `POST /v3/auth/tokens`, password method, project scope.
pub(crate) async fn iam_tokens(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Response, Refusal> {
    let unauthorized = || {
        Refusal::iam(
            StatusCode::UNAUTHORIZED,
            "The username or password is wrong.",
        )
    };
    let v: serde_json::Value = json_body(&body)
        .map_err(|_| Refusal::iam(StatusCode::BAD_REQUEST, "The request body is malformed."))?;
    let user = &v["auth"]["identity"]["password"]["user"];
    let (Some(name), Some(password), Some(domain)) = (
        user["name"].as_str(),
        user["password"].as_str(),
        user["domain"]["name"].as_str(),
    ) else {
        return Err(unauthorized());
    };
    let known = shared.config.iam_users.iter().any(|u| {
        u.name == name
            && u.domain == domain
            && signer::constant_time_eq(u.password.expose_secret(), password)
    });
    if !known {
        return Err(unauthorized());
    }
    if v["auth"]["scope"]["project"]["id"].as_str() != Some(shared.config.project_id.as_str()) {
        return Err(Refusal::iam(
            StatusCode::BAD_REQUEST,
            "The project in the scope is unknown.",
        ));
    }
    let token = format!("MII{}", uuid::Uuid::new_v4().simple());
    let expires = now_ms() + TOKEN_LIFETIME_MS;
    lock(&shared.issued).insert(token.clone(), expires);
    let mut response = (
        StatusCode::CREATED,
        Json(serde_json::json!({"token": {
            "expires_at": dis_protocol::time::format_iso_ms(expires),
            "methods": ["password"],
            "project": {"id": shared.config.project_id},
        }})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&token) {
        response.headers_mut().insert("x-subject-token", v);
    }
    Ok(response)
}

//! The router around the Leptos app: health endpoints, request ids, request tracing,
//! compression, sessions and the security envelope, in the order they wrap each request.

use super::hosts::AllowedHosts;
use super::readiness::Probe;
use super::security::{self, CspNonce, Envelope};
use crate::accounts::Opened;
use crate::config::Config;
use crate::dis::DisClient;
use app::api::envelope::SessionLimits;
use app::{api::status::ConsoleStatus, shell, App, OUTPUT_NAME, PKG_DIR};
use axum::{
    body::Body,
    extract::{FromRef, MatchedPath, Request, State},
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use leptos::{
    config::LeptosOptions,
    prelude::{provide_context, use_context},
};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::{sync::Arc, time::Duration};
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tracing::Level;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The region name snippets give the embedded backend.
pub const EMBEDDED_REGION: &str = "embedded";

/// Everything handlers and server functions need. Nothing in it is `Serialize`; secrets inside
/// stay wrapped.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub status: ConsoleStatus,
    pub probe: Arc<Probe>,
    pub dis: Arc<DisClient>,
    pub envelope: Envelope,
    pub sessions: super::sessions::SessionCache,
    pub session_idle: Duration,
    pub overview: crate::overview::OverviewCache,
    /// OBS, for the files tasks wrote; unavailable until [`AppState::with_obs`].
    pub obs: app::ports::Obs,
    /// Reads of streams' records for the wizard's preview.
    pub samples: app::ports::Samples,
    /// Streams' consumer applications, read once for every operator's stream page.
    pub consumers: app::ports::Consumers,
    /// The identity provider operators sign on with, when one is configured
    /// ([`AppState::with_sign_on`]).
    pub sign_on: Option<Arc<crate::sign_on::SignOn>>,
    /// How the login page offers to log in.
    pub login: app::api::session::SignInOptions,
}

impl AppState {
    /// The state, with the overview's background reads started (so it needs a runtime).
    pub fn new(config: &Config, dis: Arc<DisClient>, accounts: &Opened) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(config.site_root.to_string_lossy().as_ref())
            .site_pkg_dir(PKG_DIR)
            .site_addr(config.site_addr)
            .build();
        let hosts = AllowedHosts::new(
            config.public_url.as_ref(),
            config.site_addr,
            &config.allowed_hosts,
        );
        tracing::info!(hosts = %hosts.describe(), "the console answers to these hosts");
        if !config.trusted_proxies.is_empty() {
            tracing::info!(
                "client addresses are read from X-Forwarded-For behind CONSOLE_TRUSTED_PROXIES"
            );
        }
        let mut status = config.status();
        if config.dis.is_none() {
            status.export = app::api::status::ExportInfo {
                endpoint: dis.endpoint().to_string(),
                region: EMBEDDED_REGION.to_string(),
                project_id: dis.project_id().to_string(),
            };
        }
        let overview = crate::overview::OverviewCache::new(dis.clone(), config.overview_refresh);
        overview.spawn_refresher();
        AppState {
            leptos_options,
            status,
            probe: Arc::new(Probe {
                site_root: config.site_root.clone(),
                data_dir: config.data_dir.clone(),
                dis: Some(dis.clone()),
            }),
            dis,
            envelope: Envelope {
                accounts: accounts.store.clone(),
                limits: SessionLimits {
                    absolute_ms: config.session_max.as_millis() as i64,
                },
                origin: config
                    .public_url
                    .as_ref()
                    .map(|u| u.origin().ascii_serialization()),
                https: config.https(),
                hosts: Arc::new(hosts),
                proxies: Arc::new(config.trusted_proxies.clone()),
            },
            sessions: accounts.sessions.clone(),
            session_idle: config.session_idle,
            overview,
            obs: app::ports::Obs::new(Err(
                "This console was started without an OBS reader.".to_owned()
            )),
            samples: app::ports::Samples::default(),
            consumers: app::ports::Consumers::default(),
            sign_on: None,
            login: app::api::session::SignInOptions {
                provider: None,
                local: config.local_login,
            },
        }
    }

    /// The state, signing operators on through `provider`.
    pub fn with_sign_on(mut self, provider: Arc<crate::sign_on::SignOn>) -> Self {
        self.login.provider = Some(provider.settings().display_name.clone());
        self.sign_on = Some(provider);
        self
    }

    /// The state, reading files through `obs`.
    pub fn with_obs(mut self, obs: app::ports::Obs) -> Self {
        self.obs = obs;
        self
    }

    /// What every server function and every rendered page finds in Leptos context.
    fn provide(&self) {
        provide_context(self.status.clone());
        provide_context(app::ports::Dis(self.dis.clone()));
        provide_context(app::ports::AccountsPort(self.envelope.accounts.clone()));
        provide_context(app::ports::Overview(Arc::new(self.overview.clone())));
        provide_context(self.obs.clone());
        provide_context(self.samples.clone());
        provide_context(self.consumers.clone());
        provide_context(self.login.clone());
        if let Some(provider) = &self.sign_on {
            provide_context(app::ports::SignOutPort(provider.clone()));
        }
        provide_context(self.envelope.limits);
        // The renderer puts this response's CSP nonce on its inline scripts.
        let nonce = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
        if let Some(CspNonce(nonce)) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
        }
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || state.provide()
    };
    // The compiled bundle, served directly so that conditional requests (304) and the
    // .br/.gz files of a precompressed release build work; leptos_axum's fallback handler
    // drops request headers. Everything else under the site root goes through that fallback.
    let site_root = std::path::Path::new(&*state.leptos_options.site_root);
    let pkg_dir = &*state.leptos_options.site_pkg_dir;
    let bundle = ServeDir::new(site_root.join(pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    let app_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let env = state.envelope.clone();
    let idle = tower_sessions::cookie::time::Duration::seconds(
        state.session_idle.as_secs().min(i64::MAX as u64) as i64,
    );
    // `__Host-` binds the cookie to this exact origin, which only a secure cookie may claim.
    let sessions = SessionManagerLayer::new(state.sessions.clone())
        .with_name(if env.https {
            "__Host-dis-console"
        } else {
            "dis-console"
        })
        .with_secure(env.https)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
        // Each request moves the idle limit forward; the session cache keeps that in memory
        // and writes it to SQLite about once a minute.
        .with_always_save(true);
    let sign_on = match state.sign_on {
        Some(_) => super::sign_on::routes(),
        None => Router::new(),
    };
    Router::new()
        .route("/healthz", get(healthz))
        .merge(sign_on)
        .route("/readyz", get(readyz))
        .nest_service(&format!("/{pkg_dir}"), bundle)
        .leptos_routes_with_context(&state, routes, context.clone(), app_shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn(server_fn_statuses))
        .layer(middleware::from_fn_with_state(
            env.clone(),
            security::api_access,
        ))
        .layer(middleware::from_fn_with_state(
            env.clone(),
            security::pages_need_login,
        ))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            env.clone(),
            security::same_origin,
        ))
        // The bundle's file names do not change between releases: a browser must revalidate
        // (a cheap 304) rather than pair a cached old WASM with a new page, which would not
        // hydrate. Handlers that know better set their own Cache-Control.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn_with_state(env.clone(), security::admit))
        .layer(middleware::from_fn_with_state(env, security::headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(middleware::from_fn(assign_request_id))
        .with_state(state)
}

/// Server functions (which `leptos_routes_with_context` registers under `/api/`) answer
/// arguments they cannot decode with a 500; those are the caller's mistake, so the console
/// answers 400 with the same body.
async fn server_fn_statuses(request: Request<Body>, next: middleware::Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if is_server_fn {
        bad_arguments_are_400(response).await
    } else {
        response
    }
}

async fn bad_arguments_are_400(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if matches!(
        serde_json::from_slice::<app::error::AppError>(&bytes),
        Ok(app::error::AppError::Request(_))
    ) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let report = state.probe.run().await;
    let status = if report.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report)).into_response()
}

/// Gives every request a fresh id, replacing any the client sent (a client-chosen id could
/// collide with or impersonate another request in the logs), and returns it in `X-Request-Id`.
async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let id = HeaderValue::try_from(uuid::Uuid::new_v4().to_string())
        .unwrap_or(HeaderValue::from_static("unassigned"));
    request.headers_mut().insert(X_REQUEST_ID, id.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(X_REQUEST_ID, id);
    response
}

/// The id [`assign_request_id`] gave this request.
pub fn request_id(headers: &http::HeaderMap) -> &str {
    headers
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unassigned")
}

/// The span every log line of a request is recorded in. It names the route, never the query
/// string, headers or body, which may carry what operators typed.
fn request_span(request: &Request<Body>) -> tracing::Span {
    let request_id = request_id(request.headers());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .unwrap_or("fallback");
    tracing::info_span!(
        "request",
        request_id,
        method = %request.method(),
        route,
        path = request.uri().path(),
    )
}

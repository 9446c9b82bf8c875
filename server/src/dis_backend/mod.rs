//! A DIS-compatible server for demos, tests and `make run`. It speaks DIS's HTTP API (the
//! operations the console uses, plus putting records), verifies SDK-HMAC-SHA256 signatures and
//! IAM tokens as DIS does, applies DIS's rules to dump tasks (the same rules the console
//! enforces, from `app::domain`), really dumps records into files, and keeps its state across
//! restarts.

pub mod dumper;
pub mod faults;
pub mod state;

use crate::dis::signer;
use app::domain::dis::*;
use app::domain::task::{CreateTransferTaskRequest, MAX_TASKS_PER_STREAM};
use app::domain::{DataType, StreamName, ZoneOffset};
use axum::{
    body::{Body, Bytes},
    extract::{Path as UrlPath, Query, Request, State as AxState},
    http::{HeaderMap, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::Engine;
use faults::{Fault, Faults};
use secrecy::{ExposeSecret, SecretString};
use state::{partition_id, State, StoredRecord, Stream, Task};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How far `X-Sdk-Date` may be from the backend's clock.
pub const MAX_CLOCK_SKEW_MS: i64 = 15 * 60 * 1000;
/// How long an IAM token from the embedded IAM lives.
pub const TOKEN_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// An IAM user the embedded IAM accepts.
pub struct IamUser {
    pub domain: String,
    pub name: String,
    pub password: SecretString,
}

pub struct BackendConfig {
    pub access_key: String,
    pub secret_key: SecretString,
    pub project_id: String,
    /// Fixed tokens accepted in `X-Auth-Token`.
    pub tokens: Vec<SecretString>,
    pub iam_users: Vec<IamUser>,
    /// State and dumped files live here.
    pub data_dir: PathBuf,
    /// The zone of the time directories.
    pub time_zone: ZoneOffset,
    /// Create the demo streams when the data directory holds no state yet.
    pub seed_demo: bool,
    /// A folder whose files queue faults (see [`faults::Faults::load_dir`]); tests only.
    pub fault_dir: Option<PathBuf>,
}

impl std::fmt::Debug for BackendConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendConfig")
            .field("project_id", &self.project_id)
            .field("data_dir", &self.data_dir)
            .field("time_zone", &self.time_zone.to_string())
            .finish_non_exhaustive()
    }
}

struct Shared {
    config: BackendConfig,
    state: Mutex<State>,
    faults: Faults,
    /// Tokens the embedded IAM issued, with their expiry.
    issued: Mutex<HashMap<String, i64>>,
}

/// A running backend.
#[derive(Clone)]
pub struct BackendHandle {
    shared: Arc<Shared>,
    addr: std::net::SocketAddr,
}

impl BackendHandle {
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Fault injection, for tests.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Runs the dumps due at `now_ms` (tests pass a time ahead instead of waiting).
    pub fn dump_at(&self, now_ms: i64) -> std::io::Result<dumper::DumpReport> {
        self.shared.dump_at(now_ms)
    }

    /// Makes every issued IAM token expire, as if a day had passed.
    pub fn expire_tokens(&self) {
        lock(&self.shared.issued).clear();
    }

    /// Where dumped objects are written: `<data>/obs`.
    pub fn obs_root(&self) -> PathBuf {
        self.shared.config.data_dir.join("obs")
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn persist(&self, state: &State) {
        if let Err(e) = state::save(&self.config.data_dir, state) {
            tracing::error!(error = %e, "the DIS backend cannot save its state");
        }
    }

    fn dump_at(&self, now_ms: i64) -> std::io::Result<dumper::DumpReport> {
        let mut st = lock(&self.state);
        let (changed, report) = dumper::dump_due(
            &mut st,
            &self.config.data_dir.join("obs"),
            self.config.time_zone,
            now_ms,
        )?;
        if changed {
            self.persist(&st);
        }
        Ok(report)
    }
}

/// Starts the backend on `listener`, loading or seeding its state, with the dumper ticking every
/// second. It stops when the runtime does.
pub async fn start(
    config: BackendConfig,
    listener: tokio::net::TcpListener,
) -> std::io::Result<BackendHandle> {
    std::fs::create_dir_all(&config.data_dir)?;
    let state = match state::load(&config.data_dir)? {
        Some(state) => state,
        None => {
            let mut state = State::default();
            if config.seed_demo {
                seed_demo(&mut state, now_ms());
            }
            state::save(&config.data_dir, &state)?;
            state
        }
    };
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        config,
        state: Mutex::new(state),
        faults: Faults::default(),
        issued: Mutex::new(HashMap::new()),
    });
    let app = router(shared.clone());
    tokio::spawn(async move {
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the DIS backend stopped");
        }
    });
    let ticker = Arc::downgrade(&shared);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let Some(shared) = ticker.upgrade() else {
                return;
            };
            let result = tokio::task::spawn_blocking(move || shared.dump_at(now_ms())).await;
            if let Ok(Err(e)) = result {
                tracing::error!(error = %e, "the DIS backend could not write a dump");
            }
        }
    });
    Ok(BackendHandle { shared, addr })
}

/// The demo streams of a new backend: one of each data type, and a second JSON stream of
/// orders.
fn seed_demo(state: &mut State, now: i64) {
    for (name, data_type, partitions) in [
        ("demo-json-events", DataType::Json, 2),
        ("demo-blob-logs", DataType::Blob, 1),
        ("demo-csv-metrics", DataType::Csv, 1),
        ("demo-orders", DataType::Json, 1),
    ] {
        let id = next_id(state, "stream");
        state.streams.insert(
            name.to_string(),
            Stream {
                id,
                name: name.to_string(),
                create_time: now,
                stream_type: "COMMON".into(),
                data_type,
                retention_period: 24,
                partitions: vec![Default::default(); partitions],
                tasks: Vec::new(),
                next_partition: 0,
            },
        );
    }
}

fn next_id(state: &mut State, kind: &str) -> String {
    state.next_id += 1;
    let salt: u64 = rand::random();
    format!("{kind}-{:06}-{:016x}", state.next_id, salt)
}

pub(crate) fn now_ms() -> i64 {
    crate::dis::client::now_ms()
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route(
            "/v2/{project}/streams",
            get(list_streams).post(create_stream),
        )
        .route("/v2/{project}/streams/{stream}", get(describe_stream))
        .route(
            "/v2/{project}/streams/{stream}/transfer-tasks",
            get(list_tasks).post(create_task),
        )
        .route(
            "/v2/{project}/streams/{stream}/transfer-tasks/{task}",
            get(show_task).delete(delete_task).post(task_action),
        )
        .route("/v2/{project}/records", post(put_records))
        .fallback(|| async { dis_error(StatusCode::NOT_FOUND, "DIS.4200", "No such API.") })
        .layer(middleware::from_fn_with_state(shared.clone(), authenticate))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            inject_faults,
        ));
    Router::new()
        .route("/v3/auth/tokens", post(iam_tokens))
        .merge(api)
        .layer(middleware::map_response(add_request_id))
        .with_state(shared)
}

async fn add_request_id(mut response: Response) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// A DIS error answer. The reference documents `{"errorCode", "message"}`; the official SDKs
/// read `{"error_code", "error_msg"}` (or `errorMsg`) and would not find the documented pair.
/// Both pairs are sent, so every client reads the code.
fn dis_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({
            "errorCode": code,
            "message": message,
            "error_code": code,
            "error_msg": message,
        })),
    )
        .into_response()
}

/// A DIS error answer, kept small until it becomes a response.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        dis_error(self.status, self.code, &self.message)
    }
}

fn status_441() -> StatusCode {
    StatusCode::from_u16(441).expect("441 is a valid status code")
}

async fn inject_faults(
    AxState(shared): AxState<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(dir) = &shared.config.fault_dir {
        shared.faults.load_dir(dir);
    }
    // Method, path and query: a fault's needle may name any of them.
    let call = format!("{} {}", request.method(), request.uri());
    let (request, body) = if shared.faults.any_scoped() {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, 8 * 1024 * 1024)
            .await
            .unwrap_or_default();
        (Request::from_parts(parts, Body::from(bytes.clone())), bytes)
    } else {
        (request, Bytes::new())
    };
    match shared.faults.next(&call, &body) {
        None => next.run(request).await,
        Some(Fault::Latency(d)) => {
            // The call takes effect, then its answer is late (as when a network stalls).
            let response = next.run(request).await;
            tokio::time::sleep(d).await;
            response
        }
        Some(Fault::SystemError) => dis_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "DIS.5000",
            "System error.",
        ),
        Some(Fault::MalformedJson) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            "{\"total_number\": 1, \"stream_na",
        )
            .into_response(),
        Some(Fault::Reject441) => dis_error(status_441(), "DIS.4100", "Signature mismatch."),
        Some(Fault::DropConnection) => {
            // A body that fails at once makes the server abort the connection mid-answer.
            let failing = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("dropped by fault injection"))
            });
            Response::builder()
                .status(StatusCode::OK)
                .header("content-length", "100")
                .body(Body::from_stream(failing))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// Checks the token or the signature, then the project id in the path.
async fn authenticate(
    AxState(shared): AxState<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * 1024 * 1024).await else {
        return dis_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "DIS.4200",
            "The request body is too large.",
        );
    };
    if let Err(refusal) = verify(&shared, &parts.method, &parts.uri, &parts.headers, &bytes) {
        return refusal.into_response();
    }
    let project = parts.uri.path().split('/').nth(2).unwrap_or_default();
    if project != shared.config.project_id {
        return dis_error(StatusCode::BAD_REQUEST, "DIS.4117", "Invalid project id.");
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
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Refusal> {
    let deny = |code: &'static str, message: &str| {
        Err(Refusal {
            status: status_441(),
            code,
            message: message.to_string(),
        })
    };
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
        Err(signer::AuthorizationProblem::Unparsable) => {
            return deny("DIS.4102", "The Authorization header cannot be parsed.")
        }
        Err(signer::AuthorizationProblem::Malformed) => {
            return deny("DIS.4109", "The Authorization header is malformed.")
        }
        Err(signer::AuthorizationProblem::EmptyAccessKey) => {
            return deny("DIS.4106", "The access key is empty.")
        }
        Err(signer::AuthorizationProblem::EmptySignature) => {
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

type SharedState = AxState<Arc<Shared>>;

fn stream_not_found() -> Response {
    dis_error(
        StatusCode::BAD_REQUEST,
        "DIS.4301",
        "Stream does not exist.",
    )
}

fn task_not_found() -> Response {
    dis_error(
        StatusCode::BAD_REQUEST,
        "DIS.4354",
        "The dump task does not exist.",
    )
}

fn invalid(message: impl AsRef<str>) -> Response {
    dis_error(
        StatusCode::BAD_REQUEST,
        "DIS.4200",
        &format!("Invalid request parameter: {}", message.as_ref()),
    )
}

/// Parses a JSON body as DIS does: empty is DIS.4202, unreadable DIS.4300.
fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "DIS.4202",
            message: "Empty request.".into(),
        });
    }
    serde_json::from_slice(body).map_err(|e| Refusal {
        status: StatusCode::BAD_REQUEST,
        code: "DIS.4300",
        message: format!("Request body is malformed: {e}"),
    })
}

#[derive(serde::Deserialize)]
struct ListQuery {
    limit: Option<String>,
    start_stream_name: Option<String>,
}

async fn list_streams(AxState(shared): SharedState, Query(q): Query<ListQuery>) -> Response {
    let limit = match q.limit.as_deref().map(str::parse::<usize>) {
        None => 10,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        _ => return invalid("limit must be 1 to 100"),
    };
    let st = lock(&shared.state);
    let after = q.start_stream_name.unwrap_or_default();
    let remaining: Vec<&Stream> = st
        .streams
        .values()
        .filter(|s| after.is_empty() || s.name.as_str() > after.as_str())
        .collect();
    let page: Vec<&Stream> = remaining.iter().take(limit).copied().collect();
    Json(ListStreamsResponse {
        total_number: st.streams.len() as u64,
        stream_names: page.iter().map(|s| s.name.clone()).collect(),
        has_more_streams: remaining.len() > page.len(),
        stream_info_list: page
            .iter()
            .map(|s| StreamInfo {
                stream_id: s.id.clone(),
                stream_name: s.name.clone(),
                create_time: s.create_time,
                retention_period: s.retention_period,
                status: "RUNNING".into(),
                stream_type: s.stream_type.clone(),
                data_type: s.data_type.as_str().into(),
                partition_count: s.partitions.len() as u32,
            })
            .collect(),
    })
    .into_response()
}

async fn create_stream(AxState(shared): SharedState, body: Bytes) -> Response {
    let request: CreateStreamRequest = match json_body(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let name = match StreamName::parse(&request.stream_name) {
        Ok(n) if n.as_str() == request.stream_name => n,
        Ok(_) | Err(_) => {
            return invalid("stream_name must be 1 to 64 letters, digits, '-' or '_'")
        }
    };
    if !(1..=50).contains(&request.partition_count) {
        return invalid("partition_count must be 1 to 50");
    }
    let data_type = match request.data_type.as_deref() {
        None => DataType::Blob,
        Some(t) => match DataType::parse(t) {
            Ok(t) => t,
            Err(_) => return invalid("data_type must be BLOB, JSON or CSV"),
        },
    };
    let stream_type = request
        .stream_type
        .clone()
        .unwrap_or_else(|| "COMMON".into());
    if !matches!(stream_type.as_str(), "COMMON" | "ADVANCED") {
        return invalid("stream_type must be COMMON or ADVANCED");
    }
    let retention = request.data_duration.unwrap_or(24);
    if !(24..=168).contains(&retention) {
        return invalid("data_duration must be 24 to 168 hours");
    }
    let mut st = lock(&shared.state);
    if st.streams.contains_key(name.as_str()) {
        return dis_error(
            StatusCode::BAD_REQUEST,
            "DIS.4307",
            "Stream already exists.",
        );
    }
    let id = next_id(&mut st, "stream");
    st.streams.insert(
        name.to_string(),
        Stream {
            id,
            name: name.to_string(),
            create_time: now_ms(),
            stream_type,
            data_type,
            retention_period: retention,
            partitions: vec![Default::default(); request.partition_count as usize],
            tasks: Vec::new(),
            next_partition: 0,
        },
    );
    shared.persist(&st);
    StatusCode::CREATED.into_response()
}

async fn describe_stream(
    AxState(shared): SharedState,
    UrlPath((_, stream)): UrlPath<(String, String)>,
) -> Response {
    let st = lock(&shared.state);
    let Some(s) = st.streams.get(&stream) else {
        return stream_not_found();
    };
    let count = s.partitions.len() as u32;
    Json(DescribeStreamResponse {
        stream_id: s.id.clone(),
        stream_name: s.name.clone(),
        create_time: s.create_time,
        last_modified_time: s.create_time,
        retention_period: s.retention_period,
        status: "RUNNING".into(),
        stream_type: s.stream_type.clone(),
        data_type: s.data_type.as_str().into(),
        writable_partition_count: count,
        readable_partition_count: count,
        partitions: s
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| StreamPartition {
                partition_id: partition_id(i),
                status: "ACTIVE".into(),
                hash_range: String::new(),
                sequence_number_range: format!("[{}, {}]", p.trimmed, p.end()),
            })
            .collect(),
        has_more_partitions: false,
    })
    .into_response()
}

async fn create_task(
    AxState(shared): SharedState,
    UrlPath((_, stream)): UrlPath<(String, String)>,
    body: Bytes,
) -> Response {
    let request: CreateTransferTaskRequest = match json_body(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match request.destination_type.as_deref() {
        Some("OBS") => {}
        Some(other) => {
            return invalid(format!(
                "destination_type {other} is not supported here; use OBS"
            ))
        }
        None => return invalid("destination_type is required"),
    }
    let Some(descriptor) = request.obs_destination_descriptor else {
        return invalid("obs_destination_descriptor is required");
    };
    let mut st = lock(&shared.state);
    let Some(s) = st.streams.get(&stream) else {
        return stream_not_found();
    };
    let task = match app::domain::DumpTask::from_descriptor(&descriptor, s.data_type) {
        Ok(t) => t,
        Err(errors) => return invalid(errors.to_string()),
    };
    if s.tasks.iter().any(|t| t.name == task.task_name.as_str()) {
        return dis_error(
            StatusCode::BAD_REQUEST,
            "DIS.4355",
            "The dump task already exists.",
        );
    }
    if s.tasks.len() >= MAX_TASKS_PER_STREAM {
        return dis_error(
            StatusCode::BAD_REQUEST,
            "DIS.4357",
            "The stream already has the maximum of 5 dump tasks.",
        );
    }
    let id = next_id(&mut st, "task");
    let s = st.streams.get_mut(&stream).expect("checked above");
    let new = Task::new(id, &task, s, now_ms());
    s.tasks.push(new);
    shared.persist(&st);
    StatusCode::CREATED.into_response()
}

async fn list_tasks(
    AxState(shared): SharedState,
    UrlPath((_, stream)): UrlPath<(String, String)>,
) -> Response {
    let st = lock(&shared.state);
    let Some(s) = st.streams.get(&stream) else {
        return stream_not_found();
    };
    Json(ListTasksResponse {
        total_number: s.tasks.len() as u64,
        quota: MAX_TASKS_PER_STREAM as u64,
        tasks: s.tasks.iter().map(Task::summary).collect(),
    })
    .into_response()
}

async fn show_task(
    AxState(shared): SharedState,
    UrlPath((_, stream, task)): UrlPath<(String, String, String)>,
) -> Response {
    let st = lock(&shared.state);
    let Some(s) = st.streams.get(&stream) else {
        return stream_not_found();
    };
    let Some(t) = s.tasks.iter().find(|t| t.name == task) else {
        return task_not_found();
    };
    let summary = t.summary();
    Json(TaskDetails {
        task_id: summary.task_id,
        task_name: summary.task_name,
        destination_type: summary.destination_type,
        state: summary.state,
        create_time: summary.create_time,
        last_transfer_timestamp: summary.last_transfer_timestamp,
        stream_id: s.id.clone(),
        stream_name: s.name.clone(),
        obs_destination_description: Some(t.descriptor.clone()),
        partitions: t
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| TaskPartition {
                partition_id: partition_id(i),
                discard: p.discard,
                state: t.state.as_str().into(),
                last_transfer_offset: p.offset,
                last_transfer_timestamp: p.last_transfer_timestamp,
            })
            .collect(),
    })
    .into_response()
}

async fn delete_task(
    AxState(shared): SharedState,
    UrlPath((_, stream, task)): UrlPath<(String, String, String)>,
) -> Response {
    let mut st = lock(&shared.state);
    let Some(s) = st.streams.get_mut(&stream) else {
        return stream_not_found();
    };
    let before = s.tasks.len();
    s.tasks.retain(|t| t.name != task);
    if s.tasks.len() == before {
        return task_not_found();
    }
    shared.persist(&st);
    StatusCode::NO_CONTENT.into_response()
}

/// `POST …/transfer-tasks/action`; any other name after `transfer-tasks/` takes no POST.
async fn task_action(
    AxState(shared): SharedState,
    UrlPath((_, stream, action)): UrlPath<(String, String, String)>,
    body: Bytes,
) -> Response {
    if action != "action" {
        return dis_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "DIS.4200",
            "Method not allowed.",
        );
    }
    let request: TaskActionRequest = match json_body(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if request.tasks.is_empty() {
        return invalid("tasks must name at least one task id");
    }
    let mut st = lock(&shared.state);
    let Some(s) = st.streams.get_mut(&stream) else {
        return stream_not_found();
    };
    if request
        .tasks
        .iter()
        .any(|r| !s.tasks.iter().any(|t| t.id == r.id))
    {
        return task_not_found();
    }
    let now = now_ms();
    for t in s
        .tasks
        .iter_mut()
        .filter(|t| request.tasks.iter().any(|r| r.id == t.id))
    {
        match request.action {
            TaskAction::Stop => t.state = TaskState::Paused,
            TaskAction::Start => {
                if t.state != TaskState::Running {
                    let interval = t.descriptor.deliver_time_interval.unwrap_or(300);
                    t.next_dump_at = now + i64::from(interval) * 1000;
                }
                t.state = TaskState::Running;
            }
        }
    }
    shared.persist(&st);
    StatusCode::OK.into_response()
}

async fn put_records(AxState(shared): SharedState, body: Bytes) -> Response {
    let request: PutRecordsRequest = match json_body(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if request.records.is_empty() {
        return invalid("records must hold at least one record");
    }
    let mut st = lock(&shared.state);
    let Some(s) = st.streams.get_mut(&request.stream_name) else {
        return stream_not_found();
    };
    let now = now_ms();
    let count = s.partitions.len();
    let mut results = Vec::with_capacity(request.records.len());
    let mut failed = 0;
    for record in &request.records {
        if base64::engine::general_purpose::STANDARD
            .decode(&record.data)
            .is_err()
        {
            failed += 1;
            results.push(PutRecordResult {
                error_code: Some("DIS.4200".into()),
                error_message: Some("data is not base64.".into()),
                ..Default::default()
            });
            continue;
        }
        let index = match (&record.partition_id, &record.partition_key) {
            (Some(id), _) => match state::parse_partition_id(id).filter(|i| *i < count) {
                Some(i) => i,
                None => {
                    failed += 1;
                    results.push(PutRecordResult {
                        error_code: Some("DIS.4200".into()),
                        error_message: Some("partition_id does not exist.".into()),
                        ..Default::default()
                    });
                    continue;
                }
            },
            (None, Some(key)) => {
                let hash = key
                    .bytes()
                    .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
                (hash % count as u64) as usize
            }
            (None, None) => {
                let i = s.next_partition % count;
                s.next_partition = (i + 1) % count;
                i
            }
        };
        let seq = s.partitions[index].push(StoredRecord {
            data: record.data.clone(),
            arrival_ms: now,
        });
        results.push(PutRecordResult {
            partition_id: Some(partition_id(index)),
            sequence_number: Some(seq.to_string()),
            ..Default::default()
        });
    }
    shared.persist(&st);
    Json(PutRecordsResponse {
        failed_record_count: failed,
        records: results,
    })
    .into_response()
}

/// The embedded IAM: `POST /v3/auth/tokens`, password method, project scope.
async fn iam_tokens(AxState(shared): SharedState, body: Bytes) -> Response {
    let unauthorized = || {
        (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}})),
        )
            .into_response()
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"error": {"code": 400, "message": "The request body is malformed.", "title": "Bad Request"}})),
        )
            .into_response();
    };
    let user = &v["auth"]["identity"]["password"]["user"];
    let (Some(name), Some(password), Some(domain)) = (
        user["name"].as_str(),
        user["password"].as_str(),
        user["domain"]["name"].as_str(),
    ) else {
        return unauthorized();
    };
    let known = shared.config.iam_users.iter().any(|u| {
        u.name == name
            && u.domain == domain
            && signer::constant_time_eq(u.password.expose_secret(), password)
    });
    if !known {
        return unauthorized();
    }
    if v["auth"]["scope"]["project"]["id"].as_str() != Some(shared.config.project_id.as_str()) {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"error": {"code": 400, "message": "The project in the scope is unknown.", "title": "Bad Request"}})),
        )
            .into_response();
    }
    let token = format!("MII{}", uuid::Uuid::new_v4().simple());
    let expires = now_ms() + TOKEN_LIFETIME_MS;
    lock(&shared.issued).insert(token.clone(), expires);
    let mut response = (
        StatusCode::CREATED,
        Json(serde_json::json!({"token": {
            "expires_at": crate::dis::token::format_iso_ms(expires),
            "methods": ["password"],
            "project": {"id": shared.config.project_id},
        }})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&token) {
        response.headers_mut().insert("x-subject-token", v);
    }
    response
}

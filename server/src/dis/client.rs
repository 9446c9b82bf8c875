//! The DIS client: typed operations over signed (or token-authenticated) HTTP calls.
//!
//! Names reach URLs only as [`StreamName`] and [`TaskName`], which allow nothing but letters,
//! digits, `-` and `_`. Timeouts are explicit, redirects are never followed, and only requests
//! that are safe to repeat are retried.

use super::error::{parse_error_body, DisError};
use super::token::TokenSource;
use app::domain::dis::*;
use app::domain::metrics::MetricsResponse;
use app::domain::stream::{
    AppName, CommitCheckpointRequest, ConsumerStateResponse, CreateAppRequest, ListAppsResponse,
    PartitionConsumingState, StreamDescription, UpdatePartitionCountRequest, UpdateStreamRequest,
    LAST_READ,
};
use app::domain::task::ObsDestinationDescriptor;
use app::domain::{DataType, DumpTask, PartitionId, StreamName, TaskName};
use app::ports::{CreateOutcome, UpdateOutcome};
use dis_protocol::signer::{self, SigningInput};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use tracing::{instrument, Instrument};

/// The smallest `max_fetch_bytes` the client sends. DIS answers a read whose limit is below
/// the next record's size with no records, and the same cursor, forever; a record may be 1 MB.
pub const MIN_FETCH_BYTES: u32 = 1 << 20;

/// How the client proves who it is.
pub enum Auth {
    /// SDK-HMAC-SHA256 signatures with an access key pair.
    AkSk { ak: SecretString, sk: SecretString },
    /// `X-Auth-Token`, fixed or fetched from IAM.
    Token(TokenSource),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::AkSk { .. } => f.write_str("Auth::AkSk([REDACTED])"),
            Auth::Token(t) => write!(f, "Auth::Token({t:?})"),
        }
    }
}

/// Time limits and retry policy.
#[derive(Debug, Clone)]
pub struct Limits {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Attempts for a request that is safe to repeat (the first included).
    pub attempts: u32,
    /// The first back-off; each later one doubles.
    pub backoff: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            attempts: 3,
            backoff: Duration::from_millis(200),
        }
    }
}

/// What the client needs to reach DIS.
#[derive(Debug)]
pub struct ClientConfig {
    /// `https://dis.cn-north-4.myhuaweicloud.com`, without a path.
    pub endpoint: String,
    pub project_id: String,
    pub auth: Auth,
    pub limits: Limits,
}

#[derive(Debug)]
pub struct DisClient {
    http: reqwest::Client,
    base: String,
    host: String,
    project_id: String,
    auth: Auth,
    limits: Limits,
}

/// A task's body sent once: accepted, or its answer lost, with the task as DIS then reports it.
enum Sent {
    Accepted,
    Lost {
        failed: DisError,
        now: Result<Box<TaskDetails>, DisError>,
    },
}

struct Answer {
    status: StatusCode,
    request_id: Option<String>,
    body: Vec<u8>,
}

/// The HTTP client of every upstream call (DIS, IAM, OBS): `limits`' timeouts, no redirects,
/// no proxy.
pub fn http_client(limits: &Limits) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(limits.connect_timeout)
        .timeout(limits.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .map_err(|_| "cannot build the HTTP client".to_owned())
}

impl DisClient {
    pub fn new(config: ClientConfig) -> Result<Self, String> {
        let url = url::Url::parse(&config.endpoint).map_err(|_| "the endpoint is not a URL")?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => return Err("the endpoint has no host".into()),
        };
        let http = http_client(&config.limits)?;
        Ok(DisClient {
            http,
            base: config.endpoint.trim_end_matches('/').to_string(),
            host,
            project_id: config.project_id,
            auth: config.auth,
            limits: config.limits,
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.base
    }

    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    fn path(&self, rest: &str) -> String {
        format!("/v2/{}/{rest}", self.project_id)
    }

    /// Sends one request once: signs or adds the token, maps the answer.
    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        query: &[(String, String)],
        body: &[u8],
        refresh_token: bool,
    ) -> Result<Answer, DisError> {
        let canonical_query = signer::canonical_query(query);
        let url = if canonical_query.is_empty() {
            format!("{}{path}", self.base)
        } else {
            format!("{}{path}?{canonical_query}", self.base)
        };
        let mut headers: Vec<(String, String)> = vec![
            ("Content-Type".into(), "application/json".into()),
            ("Host".into(), self.host.clone()),
            ("X-Project-Id".into(), self.project_id.clone()),
            (
                signer::DATE_HEADER.into(),
                signer::sdk_date(app::clock::now_ms()),
            ),
        ];
        let mut secret_headers: Vec<(String, String)> = Vec::new();
        match &self.auth {
            Auth::AkSk { ak, sk } => {
                let sig = signer::sign(
                    &SigningInput {
                        method: method.as_str(),
                        path,
                        query,
                        headers: &headers,
                        body,
                    },
                    sk.expose_secret().as_bytes(),
                )
                .map_err(|_| DisError::Transport)?;
                secret_headers.push((
                    "Authorization".into(),
                    sig.authorization(ak.expose_secret()),
                ));
            }
            Auth::Token(source) => {
                let token = source.token(&self.http, refresh_token).await?;
                secret_headers.push(("X-Auth-Token".into(), token.expose_secret().to_string()));
            }
        }
        let mut request = self.http.request(method.clone(), &url);
        for (name, value) in headers.drain(..).chain(secret_headers) {
            let mut value =
                reqwest::header::HeaderValue::from_str(&value).map_err(|_| DisError::Transport)?;
            if name == "Authorization" || name == "X-Auth-Token" {
                value.set_sensitive(true);
            }
            request = request.header(name, value);
        }
        if !body.is_empty() {
            request = request.body(body.to_vec());
        }
        let response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?
            .to_vec();
        if status.is_redirection() {
            return Err(DisError::Redirect(status.as_u16()));
        }
        if status.is_success() {
            return Ok(Answer {
                status,
                request_id,
                body,
            });
        }
        Err(match parse_error_body(&body) {
            Some((code, message)) => DisError::Api {
                status: status.as_u16(),
                code,
                message,
                request_id,
            },
            None => DisError::Malformed {
                status: status.as_u16(),
                request_id,
            },
        })
    }

    fn transport_error(&self, e: reqwest::Error) -> DisError {
        let e = e.without_url();
        if e.is_timeout() {
            DisError::Timeout(self.limits.request_timeout)
        } else if e.is_connect() {
            DisError::Connect
        } else {
            tracing::debug!(error = %e, "DIS transport error");
            DisError::Transport
        }
    }

    /// Sends a request; a refused token is renewed and the request sent once more, and requests
    /// that are safe to repeat are retried with back-off on throttling, server errors and
    /// broken connections.
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: &[u8],
        repeatable: bool,
    ) -> Result<Answer, DisError> {
        let attempts = if repeatable {
            self.limits.attempts.max(1)
        } else {
            1
        };
        let mut backoff = self.limits.backoff;
        let mut refreshed = false;
        let mut attempt = 1;
        loop {
            let result = self.send_once(&method, path, query, body, false).await;
            let result = match result {
                Err(e) if e.is_auth() && !refreshed && self.auth.can_refresh() => {
                    refreshed = true;
                    tracing::info!(code = e.code(), "DIS refused the token; renewing it once");
                    self.send_once(&method, path, query, body, true).await
                }
                other => other,
            };
            match result {
                Err(e) if e.is_retryable() && attempt < attempts => {
                    tracing::warn!(attempt, error = %e, "retrying a repeatable DIS request");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// An answer that carries no data: an empty body or any JSON is accepted; anything else is
    /// not DIS answering (a broken proxy, a truncated reply) and is reported as such.
    fn no_content(answer: Answer) -> Result<(), DisError> {
        let body = answer.body.trim_ascii();
        if body.is_empty() || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
            Ok(())
        } else {
            Err(DisError::Malformed {
                status: answer.status.as_u16(),
                request_id: answer.request_id,
            })
        }
    }

    /// A change at `path`, sent once (a repeat could do it twice, or answer a refusal for what
    /// the first did), answered with no content.
    async fn change(&self, method: Method, path: &str, body: &[u8]) -> Result<(), DisError> {
        self.send(method, path, &[], body, false)
            .await
            .and_then(Self::no_content)
    }

    fn decode<T: serde::de::DeserializeOwned>(answer: Answer) -> Result<T, DisError> {
        serde_json::from_slice(&answer.body).map_err(|_| DisError::Malformed {
            status: answer.status.as_u16(),
            request_id: answer.request_id,
        })
    }

    /// One page of streams, starting after `start_after`. Walking the pages is
    /// `app::services::streams`'s job.
    #[instrument(skip_all, fields(limit))]
    pub async fn stream_page(
        &self,
        limit: u32,
        start_after: Option<&StreamName>,
    ) -> Result<ListStreamsResponse, DisError> {
        let mut query = vec![("limit".to_string(), limit.to_string())];
        if let Some(name) = start_after {
            query.push(("start_stream_name".into(), name.to_string()));
        }
        self.get("streams", &query).await
    }

    /// A GET of `/v2/{project}/{rest}`, safe to repeat, decoded.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        rest: &str,
        query: &[(String, String)],
    ) -> Result<T, DisError> {
        let answer = self
            .send(Method::GET, &self.path(rest), query, &[], true)
            .await?;
        Self::decode(answer)
    }

    #[instrument(skip_all, fields(stream = %stream))]
    pub async fn describe_stream(
        &self,
        stream: &StreamName,
    ) -> Result<DescribeStreamResponse, DisError> {
        self.get(&format!("streams/{stream}"), &[]).await
    }

    /// The stream's description with its settings: schema, compression, tags, auto-scaling and
    /// its scaling history.
    #[instrument(skip_all, fields(stream = %stream))]
    pub async fn stream_description(
        &self,
        stream: &StreamName,
    ) -> Result<StreamDescription, DisError> {
        self.get(&format!("streams/{stream}"), &[]).await
    }

    #[instrument(skip_all, fields(stream = %request.stream_name))]
    pub async fn create_stream(&self, request: &CreateStreamRequest) -> Result<(), DisError> {
        let body = serde_json::to_vec(request).expect("plain struct serialises");
        self.send(Method::POST, &self.path("streams"), &[], &body, false)
            .await
            .map(drop)
    }

    /// Scales `stream` to `target` partitions (`PUT /v2/{project}/streams/{stream}`). Sent
    /// once: DIS limits how often a stream may scale, and a repeat would spend one of them.
    #[instrument(skip_all, fields(stream = %stream, target))]
    pub async fn scale_stream(&self, stream: &StreamName, target: u32) -> Result<(), DisError> {
        let body = serde_json::to_vec(&UpdatePartitionCountRequest {
            stream_name: stream.to_string(),
            target_partition_count: target,
        })
        .expect("plain struct serialises");
        self.change(Method::PUT, &self.path(&format!("streams/{stream}")), &body)
            .await
    }

    /// Changes a stream's retention, data type, schema or auto-scaling
    /// (`PUT /v3/{project}/streams/{stream}`); `request.stream_name` must be `stream`.
    #[instrument(skip_all, fields(stream = %stream))]
    pub async fn update_stream(
        &self,
        stream: &StreamName,
        request: &UpdateStreamRequest,
    ) -> Result<(), DisError> {
        let body = serde_json::to_vec(request).expect("plain struct serialises");
        let path = format!("/v3/{}/streams/{stream}", self.project_id);
        self.change(Method::PUT, &path, &body).await
    }

    /// Deletes a stream with its records (and, at DIS, its dump tasks). Sent once: a repeat
    /// answers DIS.4301.
    #[instrument(skip_all, fields(stream = %stream))]
    pub async fn delete_stream(&self, stream: &StreamName) -> Result<(), DisError> {
        self.change(
            Method::DELETE,
            &self.path(&format!("streams/{stream}")),
            &[],
        )
        .await
    }

    #[instrument(skip_all, fields(app = %app))]
    pub async fn create_app(&self, app: &AppName) -> Result<(), DisError> {
        let body = serde_json::to_vec(&CreateAppRequest {
            app_name: app.to_string(),
        })
        .expect("plain struct serialises");
        self.change(Method::POST, &self.path("apps"), &body).await
    }

    #[instrument(skip_all, fields(app = %app))]
    pub async fn delete_app(&self, app: &AppName) -> Result<(), DisError> {
        self.change(Method::DELETE, &self.path(&format!("apps/{app}")), &[])
            .await
    }

    /// One page of at most `limit` consumer applications after `after`; with `stream`, only
    /// those that committed checkpoints on it.
    #[instrument(skip_all, fields(limit))]
    pub async fn app_page(
        &self,
        limit: u32,
        after: Option<&AppName>,
        stream: Option<&StreamName>,
    ) -> Result<ListAppsResponse, DisError> {
        let mut query = vec![("limit".to_string(), limit.to_string())];
        if let Some(app) = after {
            query.push(("start_app_name".into(), app.to_string()));
        }
        if let Some(stream) = stream {
            query.push(("stream_name".into(), stream.to_string()));
        }
        self.get("apps", &query).await
    }

    /// How `app` consumes `stream`: every partition's LAST_READ checkpoint beside its oldest
    /// and next sequence numbers, walking DIS's pages.
    #[instrument(skip_all, fields(app = %app, stream = %stream))]
    pub async fn consumer_state(
        &self,
        app: &AppName,
        stream: &StreamName,
    ) -> Result<Vec<PartitionConsumingState>, DisError> {
        let mut states: Vec<PartitionConsumingState> = Vec::new();
        loop {
            let mut query = vec![
                ("limit".to_string(), "100".to_string()),
                ("checkpoint_type".to_string(), LAST_READ.to_string()),
            ];
            if let Some(last) = states.last() {
                // The page after the last partition read: its id's number plus one.
                let next = PartitionId::parse(&last.partition_id)
                    .map(|p| p.number() + 1)
                    .map_err(|_| DisError::Malformed {
                        status: 200,
                        request_id: None,
                    })?;
                query.push(("start_partition_id".into(), format!("shardId-{next:010}")));
            }
            let page: ConsumerStateResponse = self
                .get(&format!("apps/{app}/streams/{stream}"), &query)
                .await?;
            let more = page.has_more && !page.partition_consuming_states.is_empty();
            states.extend(page.partition_consuming_states);
            if !more || states.len() > 10_000 {
                return Ok(states);
            }
        }
    }

    /// Commits `app`'s LAST_READ checkpoint on one partition. The console reads checkpoints
    /// and never moves an application's; consumers (and the tests) commit them.
    #[instrument(skip_all, fields(app = %request.app_name, stream = %request.stream_name))]
    pub async fn commit_checkpoint(
        &self,
        request: &CommitCheckpointRequest,
    ) -> Result<(), DisError> {
        let body = serde_json::to_vec(request).expect("plain struct serialises");
        self.change(Method::POST, &self.path("checkpoints"), &body)
            .await
    }

    /// Adds an OBS dump task, sending exactly [`DumpTask::request_body`]. A create is never
    /// retried blindly: after a timeout the client asks DIS whether the task exists.
    #[instrument(skip_all, fields(stream = %stream, task = %task.task_name))]
    pub async fn add_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<CreateOutcome, DisError> {
        match self.send_task(Method::POST, stream, task).await? {
            Sent::Accepted => Ok(CreateOutcome::Created),
            Sent::Lost { now: Ok(_), .. } => Ok(CreateOutcome::ConfirmedAfterTimeout),
            Sent::Lost { failed, now } => Err(Self::not_done(failed, now)),
        }
    }

    /// Sends a task's whole body ([`DumpTask::request_body`]) once. When the answer is lost (a
    /// timeout, a broken connection, an unreadable answer) the request may have reached DIS,
    /// so the task is read back for the caller to judge before it says anything.
    async fn send_task(
        &self,
        method: Method,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<Sent, DisError> {
        let body = task.request_body();
        let path = self.path(&format!("streams/{stream}/transfer-tasks"));
        let sent = self
            .send(method, &path, &[], body.as_bytes(), false)
            .await
            .and_then(Self::no_content);
        match sent {
            Ok(()) => Ok(Sent::Accepted),
            Err(
                failed @ (DisError::Timeout(_) | DisError::Transport | DisError::Malformed { .. }),
            ) => {
                tracing::warn!("the answer was lost; reading the task back");
                let now = self.show_dump_task(stream, &task.task_name).await;
                Ok(Sent::Lost {
                    failed,
                    now: now.map(Box::new),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// What a lost answer comes to when the task read back does not show the change: the
    /// original failure when DIS says the task does not exist, or that the outcome is unknown
    /// when it could not be read.
    fn not_done(failed: DisError, now: Result<Box<TaskDetails>, DisError>) -> DisError {
        match now {
            Err(DisError::Api { code, .. }) if code != "DIS.4354" => DisError::OutcomeUnknown,
            Err(DisError::Api { .. }) | Ok(_) => failed,
            Err(_) => DisError::OutcomeUnknown,
        }
    }

    /// Replaces a task's settings, sending exactly [`DumpTask::request_body`] with `PUT`. The
    /// whole body makes the call idempotent, but it is not retried blindly either: after a
    /// timeout the client reads the task back and compares it with what was sent. DIS keeps
    /// the start position of the task's creation, so that is left out of the comparison.
    #[instrument(skip_all, fields(stream = %stream, task = %task.task_name))]
    pub async fn update_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<UpdateOutcome, DisError> {
        let settings = |d: Option<ObsDestinationDescriptor>| {
            d.and_then(|d| DumpTask::from_descriptor(&d, DataType::Json).ok())
                .map(|t| ObsDestinationDescriptor {
                    consumer_strategy: None,
                    ..t.descriptor()
                })
        };
        match self.send_task(Method::PUT, stream, task).await? {
            Sent::Accepted => Ok(UpdateOutcome::Updated),
            Sent::Lost { now: Ok(shown), .. }
                if settings(shown.obs_destination_description.clone())
                    == settings(Some(task.descriptor())) =>
            {
                Ok(UpdateOutcome::ConfirmedAfterTimeout)
            }
            Sent::Lost { failed, now } => Err(Self::not_done(failed, now)),
        }
    }

    #[instrument(skip_all, fields(stream = %stream))]
    pub async fn list_dump_tasks(
        &self,
        stream: &StreamName,
    ) -> Result<ListTasksResponse, DisError> {
        self.get(&format!("streams/{stream}/transfer-tasks"), &[])
            .await
    }

    #[instrument(skip_all, fields(stream = %stream, task = %task))]
    pub async fn show_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<TaskDetails, DisError> {
        self.get(&format!("streams/{stream}/transfer-tasks/{task}"), &[])
            .await
    }

    /// Deletes a task. Deleting is idempotent in effect, but a repeated delete answers DIS.4354,
    /// so it is sent once.
    #[instrument(skip_all, fields(stream = %stream, task = %task))]
    pub async fn delete_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<(), DisError> {
        self.change(
            Method::DELETE,
            &self.path(&format!("streams/{stream}/transfer-tasks/{task}")),
            &[],
        )
        .await
    }

    /// Starts or pauses tasks, by task id.
    #[instrument(skip_all, fields(stream = %stream, action = ?action, count = ids.len()))]
    pub async fn task_action(
        &self,
        stream: &StreamName,
        action: TaskAction,
        ids: &[String],
    ) -> Result<(), DisError> {
        let request = TaskActionRequest {
            action,
            tasks: ids.iter().map(|id| TaskRef { id: id.clone() }).collect(),
        };
        let body = serde_json::to_vec(&request).expect("plain struct serialises");
        self.change(
            Method::POST,
            &self.path(&format!("streams/{stream}/transfer-tasks/action")),
            &body,
        )
        .await
    }

    /// The monitoring figures of a stream, or of one partition, for `labels` over
    /// `start..end` (epoch seconds). The labels are the console's own constants. One label
    /// goes as `label` (DIS answers `metrics`), several as `label_list` (`metrics_list`).
    #[instrument(skip_all, fields(stream = %stream))]
    pub async fn metrics(
        &self,
        stream: &StreamName,
        partition: Option<&PartitionId>,
        labels: &[&str],
        (start, end): (i64, i64),
    ) -> Result<MetricsResponse, DisError> {
        let rest = match partition {
            Some(p) => format!("streams/{stream}/partitions/{p}/metrics"),
            None => format!("streams/{stream}/metrics"),
        };
        let key = if labels.len() == 1 {
            "label"
        } else {
            "label_list"
        };
        let query = [
            (key.to_string(), labels.join(",")),
            ("start_time".to_string(), start.to_string()),
            ("end_time".to_string(), end.to_string()),
        ];
        self.get(&rest, &query).await
    }

    /// A cursor into one partition of `stream` at `position`, valid for five minutes.
    #[instrument(skip_all, fields(stream = %stream, partition = %partition))]
    pub async fn cursor(
        &self,
        stream: &StreamName,
        partition: &PartitionId,
        position: CursorPosition,
    ) -> Result<String, DisError> {
        let mut query = vec![
            ("stream-name".to_string(), stream.to_string()),
            ("partition-id".to_string(), partition.to_string()),
        ];
        query.extend(
            position
                .query()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v)),
        );
        let answer = self
            .send(Method::GET, &self.path("cursors"), &query, &[], true)
            .await?;
        let (status, request_id) = (answer.status.as_u16(), answer.request_id.clone());
        let cursor: CursorResponse = Self::decode(answer)?;
        if cursor.partition_cursor.is_empty() {
            return Err(DisError::Malformed { status, request_id });
        }
        Ok(cursor.partition_cursor)
    }

    /// Records from `cursor` on, at most about `max_fetch_bytes` of them (never asked below
    /// [`MIN_FETCH_BYTES`]), with the cursor that goes on after them. Reading is safe to
    /// repeat, so a throttled read (DIS.4303) is retried with back-off like any other.
    /// Record contents are data: nothing here logs them.
    #[instrument(skip_all)]
    pub async fn records(
        &self,
        cursor: &str,
        max_fetch_bytes: u32,
    ) -> Result<RecordsResponse, DisError> {
        let query = [
            ("partition-cursor".to_string(), cursor.to_string()),
            (
                "max_fetch_bytes".to_string(),
                max_fetch_bytes.max(MIN_FETCH_BYTES).to_string(),
            ),
        ];
        self.get("records", &query).await
    }

    #[instrument(skip_all, fields(stream = %request.stream_name, records = request.records.len()))]
    pub async fn put_records(
        &self,
        request: &PutRecordsRequest,
    ) -> Result<PutRecordsResponse, DisError> {
        let body = serde_json::to_vec(request).expect("plain struct serialises");
        let answer = self
            .send(Method::POST, &self.path("records"), &[], &body, false)
            .in_current_span()
            .await?;
        Self::decode(answer)
    }
}

impl Auth {
    fn can_refresh(&self) -> bool {
        matches!(self, Auth::Token(t) if t.can_refresh())
    }
}

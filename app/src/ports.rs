//! What server functions need from the server, as traits the `server` crate implements and
//! provides as context. `app` never sees the DIS client or the database itself, only these
//! ports; tests use the in-memory fakes in `services::fakes`.

use crate::domain::audit::AuditQuery;
use crate::domain::clock::ClockFinding;
use crate::domain::dis::{
    CursorPosition, DescribeStreamResponse, ListStreamsResponse, ListTasksResponse,
    PutRecordsRequest, PutRecordsResponse, RecordsResponse, TaskAction, TaskDetails,
};
use crate::domain::files::{ObjectPage, Recent, StoredObject};
use crate::domain::metrics::MetricsResponse;
use crate::domain::overview::OverviewSnapshot;
use crate::domain::stream::{
    AppName, CreateStreamRequest, ListAppsResponse, PartitionConsumingState, StreamDescription,
    UpdateStreamRequest,
};
use crate::domain::task::BucketName;
use crate::domain::{
    AuditEntry, DumpTask, Me, OperatorInfo, PartitionId, Role, StreamName, TaskName,
};
use std::sync::Arc;

/// A failed DIS or OBS call, as the port reports it. `detail` is for the server log only; everything
/// else may inform the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError {
    pub kind: UpstreamKind,
    /// DIS's code (`DIS.4301`) when DIS answered with one.
    pub code: Option<String>,
    /// DIS's `X-Request-Id` (or OBS's `x-obs-request-id`), for a support ticket with the
    /// cloud.
    pub dis_request_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamKind {
    /// DIS answered with an error code.
    Rejected,
    /// DIS refused the console's credentials.
    Unauthorized,
    /// No answer in time.
    Timeout,
    /// DIS could not be reached.
    Unreachable,
    /// DIS answered something unreadable.
    Malformed,
    /// A create timed out and whether it happened is unknown.
    OutcomeUnknown,
}

/// The DIS operations server functions use. Names reach it only as allowlisted
/// [`StreamName`]s and [`TaskName`]s.
#[async_trait::async_trait]
pub trait DisPort: Send + Sync {
    /// One page of at most `limit` streams (1 to 100), starting after `after`, as DIS orders
    /// them. Walking the pages is `services::streams`'s job.
    async fn stream_page(
        &self,
        limit: u32,
        after: Option<&StreamName>,
    ) -> Result<ListStreamsResponse, UpstreamError>;

    async fn describe_stream(
        &self,
        stream: &StreamName,
    ) -> Result<DescribeStreamResponse, UpstreamError>;

    async fn list_dump_tasks(
        &self,
        stream: &StreamName,
    ) -> Result<ListTasksResponse, UpstreamError>;

    async fn show_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<TaskDetails, UpstreamError>;

    /// Adds a task. A create whose answer was lost is confirmed with DIS before it is reported.
    async fn add_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<CreateOutcome, UpstreamError>;

    /// Replaces a task's settings with `task`'s, whole (DIS takes no single-field update). An
    /// update whose answer was lost is compared with what DIS then reports before it is
    /// reported.
    async fn update_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<UpdateOutcome, UpstreamError>;

    /// Starts or pauses tasks, by id.
    async fn task_action(
        &self,
        stream: &StreamName,
        action: TaskAction,
        ids: &[String],
    ) -> Result<(), UpstreamError>;

    async fn delete_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<(), UpstreamError>;

    /// The stream's description with its settings (schema, tags, auto-scaling, scalings).
    async fn stream_description(
        &self,
        stream: &StreamName,
    ) -> Result<StreamDescription, UpstreamError>;

    /// Creates a stream; sent once (a repeat answers DIS.4307).
    async fn create_stream(&self, request: &CreateStreamRequest) -> Result<(), UpstreamError>;

    /// Scales a stream to `target` open partitions.
    async fn scale_stream(&self, stream: &StreamName, target: u32) -> Result<(), UpstreamError>;

    /// Changes a stream's retention, data type, schema or auto-scaling.
    async fn update_stream(
        &self,
        stream: &StreamName,
        request: &UpdateStreamRequest,
    ) -> Result<(), UpstreamError>;

    /// Deletes a stream with its records.
    async fn delete_stream(&self, stream: &StreamName) -> Result<(), UpstreamError>;

    /// One page of consumer applications; with `stream`, those that read it.
    async fn app_page(
        &self,
        limit: u32,
        after: Option<&AppName>,
        stream: Option<&StreamName>,
    ) -> Result<ListAppsResponse, UpstreamError>;

    /// How `app` consumes `stream`, partition by partition.
    async fn consumer_state(
        &self,
        app: &AppName,
        stream: &StreamName,
    ) -> Result<Vec<PartitionConsumingState>, UpstreamError>;

    async fn put_records(
        &self,
        request: &PutRecordsRequest,
    ) -> Result<PutRecordsResponse, UpstreamError>;

    /// DIS's monitoring figures for `labels` over `start..end` (epoch seconds): the stream's,
    /// or one partition's.
    async fn metrics(
        &self,
        stream: &StreamName,
        partition: Option<&PartitionId>,
        labels: &[&str],
        period: (i64, i64),
    ) -> Result<MetricsResponse, UpstreamError>;

    /// A cursor into one partition of `stream` at `position`; DIS keeps it five minutes.
    async fn cursor(
        &self,
        stream: &StreamName,
        partition: &PartitionId,
        position: CursorPosition,
    ) -> Result<String, UpstreamError>;

    /// Records from `cursor` on, about `max_fetch_bytes` of them at most, with the cursor that
    /// goes on after them. Their contents are data: never logged.
    async fn records(
        &self,
        cursor: &str,
        max_fetch_bytes: u32,
    ) -> Result<RecordsResponse, UpstreamError>;
}

/// How a create ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOutcome {
    /// DIS answered 201.
    Created,
    /// The create timed out and DIS then reported the task: it was created.
    ConfirmedAfterTimeout,
}

/// The overview snapshot the server reads in the background and shares with every operator.
#[async_trait::async_trait]
pub trait OverviewSource: Send + Sync {
    /// The newest snapshot, at once.
    fn current(&self) -> Arc<OverviewSnapshot>;

    /// A new read of DIS, sharing one already under way: ten operators asking at once make one
    /// read. Answers with the newest snapshot once it is done (or once the wait is too long).
    async fn refresh(&self) -> Arc<OverviewSnapshot>;
}

/// The overview as context.
#[derive(Clone)]
pub struct Overview(pub Arc<dyn OverviewSource>);

/// How an update ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// DIS answered with success.
    Updated,
    /// The update timed out and DIS then reported the new settings: it was applied.
    ConfirmedAfterTimeout,
}

/// The port as context: `use_context::<Dis>()`.
#[derive(Clone)]
pub struct Dis(pub Arc<dyn DisPort>);

/// An enabled operator as a session check sees them: who they are, and how many times their
/// password has changed (a session opened before the last change has ended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveOperator {
    pub me: Me,
    pub password_epoch: i64,
}

/// How a login attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The name and password match an enabled operator.
    Accepted { id: i64, operator: LiveOperator },
    /// Wrong name, wrong password or a disabled operator: the caller cannot tell which.
    Refused,
    /// Too many failures for this client or this name; try again after this many seconds.
    Throttled { retry_after_secs: u64 },
}

/// A fault in the console's own store. The detail is for the server log only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// A change to an operator, checked by `services::operators` and applied by the store.
#[derive(Debug, Clone)]
pub enum OperatorChange {
    Add {
        name: String,
        role: Role,
        password: secrecy::SecretString,
    },
    SetRole(Role),
    SetPassword(secrecy::SecretString),
    SetDisabled(bool),
}

/// Operators, their logins and the audit log, which the server keeps in its database.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync {
    /// Checks a login, counting failures per `client` and per name.
    async fn login(
        &self,
        name: &str,
        password: &secrecy::SecretString,
        client: &str,
    ) -> Result<LoginOutcome, StoreError>;

    /// The operator with this id, if they exist and are enabled.
    async fn operator(&self, id: i64) -> Result<Option<LiveOperator>, StoreError>;

    async fn operators(&self) -> Result<Vec<OperatorInfo>, StoreError>;

    /// Applies `change` to the operator `name`. `Ok(Err(message))` when the change is refused
    /// (an unknown name, a taken one, the last enabled admin). A new password moves the
    /// operator's password epoch on, which ends the sessions opened before it.
    async fn change_operator(
        &self,
        name: &str,
        change: OperatorChange,
    ) -> Result<Result<(), String>, StoreError>;

    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError>;

    async fn audit(&self, query: &AuditQuery, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
}

/// An ID token the identity provider issued at a sign-on, kept with the session as the hint
/// its logout asks for. Not `Serialize`; `Debug` prints a placeholder.
#[derive(Clone)]
pub struct IdTokenHint(pub String);

impl std::fmt::Debug for IdTokenHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdTokenHint([redacted])")
    }
}

/// The identity provider, as logging out needs it.
#[async_trait::async_trait]
pub trait SignOut: Send + Sync {
    /// Where the browser goes once the console's session of someone who signed on with
    /// `id_token` has ended: the provider's own logout, which comes back to the login page;
    /// `None` when the provider offers none.
    async fn end_session(&self, id_token: &IdTokenHint) -> Option<String>;
}

/// The identity provider as context, when the console signs operators on through one.
#[derive(Clone)]
pub struct SignOutPort(pub Arc<dyn SignOut>);

/// The accounts store as context.
#[derive(Clone)]
pub struct AccountsPort(pub Arc<dyn Accounts>);

/// The OBS operations the Files panel uses. Buckets reach it only as allowlisted
/// [`BucketName`]s; keys are the task's own ([`crate::domain::files::check_task_key`]).
#[async_trait::async_trait]
pub trait ObsPort: Send + Sync {
    /// One page (at most 1,000 entries) of the objects whose keys start with `prefix`, after
    /// the page `continuation` names. With `delimiter`, keys that go on past it after the
    /// prefix are grouped into common prefixes (the directories one level down).
    async fn list(
        &self,
        bucket: &BucketName,
        prefix: &str,
        delimiter: Option<&str>,
        continuation: Option<&str>,
    ) -> Result<ObjectPage, UpstreamError>;

    /// An object's size and last-modified time.
    async fn head(&self, bucket: &BucketName, key: &str) -> Result<StoredObject, UpstreamError>;

    /// The first `limit` bytes of an object (a ranged GET).
    async fn first_bytes(
        &self,
        bucket: &BucketName,
        key: &str,
        limit: u64,
    ) -> Result<Vec<u8>, UpstreamError>;
}

/// OBS as context: the reader, or why the console cannot read OBS; and the newest finding about
/// DIS's clock, shared by every page.
#[derive(Clone)]
pub struct Obs {
    pub reader: Result<Arc<dyn ObsPort>, String>,
    pub clock: Arc<std::sync::Mutex<Option<ClockFinding>>>,
    /// Recent listings by bucket and prefix, shared by every operator for a few seconds.
    pub recent: SharedReads<Recent>,
    /// Tasks' day directories by bucket and prefix, shared alike.
    pub days: SharedReads<Vec<String>>,
}

/// Reads of streams' records for the wizard's preview, by operator, stream and read, with when
/// they were made: the preview follows the draft without asking DIS again.
#[derive(Clone, Default)]
pub struct Samples(pub SharedReads<crate::domain::sample::StreamSample>);

/// Streams' consumer applications with their lag, by stream: one read serves every operator's
/// stream page for a few seconds (`services::stream_changes::CONSUMERS_FRESH_MS`), until the
/// console puts records into the stream.
#[derive(Clone, Default)]
pub struct Consumers {
    /// The reads, by stream and generation.
    pub reads: SharedReads<Vec<crate::services::stream_changes::Consumer>>,
    /// Each stream's generation, counted up by [`Consumers::forget`]: a read that began before
    /// it is kept under the old generation, which nobody reads again.
    generations: Arc<std::sync::Mutex<std::collections::HashMap<String, u64>>>,
}

impl Consumers {
    /// Where a read of `stream`'s consumers made now is kept.
    pub fn key(&self, stream: &str) -> String {
        let generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        let generation = generations.get(stream).copied().unwrap_or(0);
        format!("{stream}\n{generation}")
    }

    /// Reads of `stream`'s consumers from now on go to DIS again: what they are behind on has
    /// changed.
    pub fn forget(&self, stream: &str) {
        let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        *generations.entry(stream.to_owned()).or_default() += 1;
    }
}

/// Reads kept by what was read (an OBS listing, a stream's records, its consumers), with when
/// (epoch ms), shared between operators (see `services::shared`).
pub type SharedReads<T> = Arc<std::sync::Mutex<std::collections::HashMap<String, (i64, Arc<T>)>>>;

impl Obs {
    pub fn new(reader: Result<Arc<dyn ObsPort>, String>) -> Self {
        Obs {
            reader,
            clock: Arc::default(),
            recent: Arc::default(),
            days: Arc::default(),
        }
    }

    /// The newest finding about DIS's clock.
    pub fn finding(&self) -> Option<ClockFinding> {
        self.clock.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Keeps `finding` when it measured the clock; a finding that could not tell leaves an
    /// earlier measurement in place.
    pub fn found(&self, finding: &ClockFinding) {
        let mut clock = self.clock.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(finding, ClockFinding::Measured { .. }) || clock.is_none() {
            *clock = Some(finding.clone());
        }
    }
}

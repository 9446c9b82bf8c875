//! What server functions need from the server, as traits the `server` crate implements and
//! provides as context. `app` never sees the DIS client itself, only this port.

use crate::domain::dis::{
    DescribeStreamResponse, ListStreamsResponse, ListTasksResponse, PutRecordsRequest,
    PutRecordsResponse, StreamInfo, TaskAction, TaskDetails,
};
use crate::domain::{DumpTask, StreamName, TaskName};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A failed DIS call, as the port reports it. `detail` is for the server log only; everything
/// else may inform the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError {
    pub kind: UpstreamKind,
    /// DIS's code (`DIS.4301`) when DIS answered with one.
    pub code: Option<String>,
    /// DIS's `X-Request-Id`, for a support ticket with the cloud.
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

/// The DIS operations server functions use.
pub trait DisPort: Send + Sync {
    /// Every stream, following DIS's pages.
    fn list_streams(&self) -> BoxFuture<'_, Result<Vec<StreamInfo>, UpstreamError>>;

    /// One page of at most `limit` streams (1 to 100), starting after `after`, as DIS orders
    /// them.
    fn stream_page<'a>(
        &'a self,
        limit: u32,
        after: Option<&'a StreamName>,
    ) -> BoxFuture<'a, Result<ListStreamsResponse, UpstreamError>>;

    fn list_dump_tasks<'a>(
        &'a self,
        stream: &'a StreamName,
    ) -> BoxFuture<'a, Result<ListTasksResponse, UpstreamError>>;

    fn show_dump_task<'a>(
        &'a self,
        stream: &'a StreamName,
        task: &'a TaskName,
    ) -> BoxFuture<'a, Result<TaskDetails, UpstreamError>>;

    fn describe_stream<'a>(
        &'a self,
        stream: &'a StreamName,
    ) -> BoxFuture<'a, Result<DescribeStreamResponse, UpstreamError>>;

    /// Starts or pauses tasks, by id.
    fn task_action<'a>(
        &'a self,
        stream: &'a StreamName,
        action: TaskAction,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<(), UpstreamError>>;

    fn put_records<'a>(
        &'a self,
        request: &'a PutRecordsRequest,
    ) -> BoxFuture<'a, Result<PutRecordsResponse, UpstreamError>>;

    fn delete_dump_task<'a>(
        &'a self,
        stream: &'a StreamName,
        task: &'a TaskName,
    ) -> BoxFuture<'a, Result<(), UpstreamError>>;

    fn add_dump_task<'a>(
        &'a self,
        stream: &'a StreamName,
        task: &'a DumpTask,
    ) -> BoxFuture<'a, Result<CreateOutcome, UpstreamError>>;
}

/// How a create ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOutcome {
    Created,
    /// The create timed out and DIS then reported the task: it was created.
    ConfirmedAfterTimeout,
}

/// The port as context: `use_context::<Dis>()`.
#[derive(Clone)]
pub struct Dis(pub Arc<dyn DisPort>);

/// How a login attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The name and password match an enabled operator.
    Accepted { id: i64, me: crate::api::access::Me },
    /// Wrong name, wrong password or a disabled operator: the caller cannot tell which.
    Refused,
    /// Too many failures for this client or this name; try again after this many seconds.
    Throttled { retry_after_secs: u64 },
}

/// A fault in the console's own store. The detail is for the server log only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

/// A change to an operator, from the admin page.
#[derive(Debug, Clone)]
pub enum OperatorChange {
    Add {
        name: String,
        role: crate::api::access::Role,
        password: secrecy::SecretString,
    },
    SetRole(crate::api::access::Role),
    SetPassword(secrecy::SecretString),
    SetDisabled(bool),
}

/// Operators, their logins and the audit log, which the server keeps in its database.
pub trait Accounts: Send + Sync {
    /// Checks a login, counting failures per `client` and per name.
    fn login<'a>(
        &'a self,
        name: &'a str,
        password: &'a secrecy::SecretString,
        client: &'a str,
    ) -> BoxFuture<'a, Result<LoginOutcome, StoreError>>;

    /// The operator with this id, if they exist and are enabled.
    fn operator(
        &self,
        id: i64,
    ) -> BoxFuture<'_, Result<Option<crate::api::access::Me>, StoreError>>;

    fn operators(&self)
        -> BoxFuture<'_, Result<Vec<crate::api::access::OperatorInfo>, StoreError>>;

    /// Applies `change` to the operator `name`. `Err(Ok(message))` when the change is refused
    /// (an unknown name, a taken one, the last enabled admin).
    fn change_operator<'a>(
        &'a self,
        name: &'a str,
        change: OperatorChange,
    ) -> BoxFuture<'a, Result<Result<(), String>, StoreError>>;

    fn record(
        &self,
        entry: crate::api::access::AuditEntry,
    ) -> BoxFuture<'_, Result<(), StoreError>>;

    fn audit<'a>(
        &'a self,
        filter: &'a crate::api::access::AuditFilter,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<crate::api::access::AuditEntry>, StoreError>>;
}

/// The accounts store as context.
#[derive(Clone)]
pub struct AccountsPort(pub Arc<dyn Accounts>);

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

//! The DIS client as the `app` crate's [`DisPort`].

use super::{Created, DisClient, DisError};
use app::domain::dis::{
    DescribeStreamResponse, ListStreamsResponse, ListTasksResponse, PutRecordsRequest,
    PutRecordsResponse, StreamInfo, TaskAction, TaskDetails,
};
use app::domain::{DumpTask, StreamName, TaskName};
use app::ports::{BoxFuture, CreateOutcome, DisPort, UpstreamError, UpstreamKind};

impl From<DisError> for UpstreamError {
    fn from(e: DisError) -> Self {
        let kind = match &e {
            e if e.is_auth() => UpstreamKind::Unauthorized,
            DisError::Api { .. } => UpstreamKind::Rejected,
            DisError::Iam(_) => UpstreamKind::Unauthorized,
            DisError::Timeout(_) => UpstreamKind::Timeout,
            DisError::Connect | DisError::Transport => UpstreamKind::Unreachable,
            DisError::OutcomeUnknown => UpstreamKind::OutcomeUnknown,
            DisError::Malformed { .. } | DisError::Redirect(_) => UpstreamKind::Malformed,
        };
        UpstreamError {
            kind,
            code: e.code().map(str::to_string),
            dis_request_id: e.request_id().map(str::to_string),
            // DisError's Display holds no credential or URL.
            detail: e.to_string(),
        }
    }
}

impl DisPort for DisClient {
    fn list_streams(&self) -> BoxFuture<'_, Result<Vec<StreamInfo>, UpstreamError>> {
        Box::pin(async move { self.list_all_streams().await.map_err(Into::into) })
    }

    fn stream_page<'a>(
        &'a self,
        limit: u32,
        after: Option<&'a StreamName>,
    ) -> BoxFuture<'a, Result<ListStreamsResponse, UpstreamError>> {
        Box::pin(async move {
            DisClient::list_streams(self, limit, after)
                .await
                .map_err(Into::into)
        })
    }

    fn list_dump_tasks<'a>(
        &'a self,
        stream: &'a StreamName,
    ) -> BoxFuture<'a, Result<ListTasksResponse, UpstreamError>> {
        Box::pin(async move {
            DisClient::list_dump_tasks(self, stream)
                .await
                .map_err(Into::into)
        })
    }

    fn show_dump_task<'a>(
        &'a self,
        stream: &'a StreamName,
        task: &'a TaskName,
    ) -> BoxFuture<'a, Result<TaskDetails, UpstreamError>> {
        Box::pin(async move {
            DisClient::show_dump_task(self, stream, task)
                .await
                .map_err(Into::into)
        })
    }

    fn describe_stream<'a>(
        &'a self,
        stream: &'a StreamName,
    ) -> BoxFuture<'a, Result<DescribeStreamResponse, UpstreamError>> {
        Box::pin(async move {
            DisClient::describe_stream(self, stream)
                .await
                .map_err(Into::into)
        })
    }

    fn task_action<'a>(
        &'a self,
        stream: &'a StreamName,
        action: TaskAction,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<(), UpstreamError>> {
        Box::pin(async move {
            DisClient::task_action(self, stream, action, ids)
                .await
                .map_err(Into::into)
        })
    }

    fn put_records<'a>(
        &'a self,
        request: &'a PutRecordsRequest,
    ) -> BoxFuture<'a, Result<PutRecordsResponse, UpstreamError>> {
        Box::pin(async move {
            DisClient::put_records(self, request)
                .await
                .map_err(Into::into)
        })
    }

    fn delete_dump_task<'a>(
        &'a self,
        stream: &'a StreamName,
        task: &'a TaskName,
    ) -> BoxFuture<'a, Result<(), UpstreamError>> {
        Box::pin(async move {
            DisClient::delete_dump_task(self, stream, task)
                .await
                .map_err(Into::into)
        })
    }

    fn add_dump_task<'a>(
        &'a self,
        stream: &'a StreamName,
        task: &'a DumpTask,
    ) -> BoxFuture<'a, Result<CreateOutcome, UpstreamError>> {
        Box::pin(async move {
            match DisClient::add_dump_task(self, stream, task).await {
                Ok(Created::Created) => Ok(CreateOutcome::Created),
                Ok(Created::ConfirmedAfterTimeout) => Ok(CreateOutcome::ConfirmedAfterTimeout),
                Err(e) => Err(e.into()),
            }
        })
    }
}

//! The DIS client as the `app` crate's [`DisPort`].

use super::{DisClient, DisError};
use app::domain::dis::{
    CursorPosition, DescribeStreamResponse, ListStreamsResponse, ListTasksResponse,
    PutRecordsRequest, PutRecordsResponse, RecordsResponse, TaskAction, TaskDetails,
};
use app::domain::metrics::MetricsResponse;
use app::domain::stream::{
    AppName, CreateStreamRequest, ListAppsResponse, PartitionConsumingState, StreamDescription,
    UpdateStreamRequest,
};
use app::domain::{DumpTask, PartitionId, StreamName, TaskName};
use app::ports::{CreateOutcome, DisPort, UpdateOutcome, UpstreamError, UpstreamKind};

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

#[async_trait::async_trait]
impl DisPort for DisClient {
    async fn stream_page(
        &self,
        limit: u32,
        after: Option<&StreamName>,
    ) -> Result<ListStreamsResponse, UpstreamError> {
        Ok(DisClient::stream_page(self, limit, after).await?)
    }

    async fn describe_stream(
        &self,
        stream: &StreamName,
    ) -> Result<DescribeStreamResponse, UpstreamError> {
        Ok(DisClient::describe_stream(self, stream).await?)
    }

    async fn list_dump_tasks(
        &self,
        stream: &StreamName,
    ) -> Result<ListTasksResponse, UpstreamError> {
        Ok(DisClient::list_dump_tasks(self, stream).await?)
    }

    async fn show_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<TaskDetails, UpstreamError> {
        Ok(DisClient::show_dump_task(self, stream, task).await?)
    }

    async fn add_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<CreateOutcome, UpstreamError> {
        Ok(DisClient::add_dump_task(self, stream, task).await?)
    }

    async fn update_dump_task(
        &self,
        stream: &StreamName,
        task: &DumpTask,
    ) -> Result<UpdateOutcome, UpstreamError> {
        Ok(DisClient::update_dump_task(self, stream, task).await?)
    }

    async fn task_action(
        &self,
        stream: &StreamName,
        action: TaskAction,
        ids: &[String],
    ) -> Result<(), UpstreamError> {
        Ok(DisClient::task_action(self, stream, action, ids).await?)
    }

    async fn delete_dump_task(
        &self,
        stream: &StreamName,
        task: &TaskName,
    ) -> Result<(), UpstreamError> {
        Ok(DisClient::delete_dump_task(self, stream, task).await?)
    }

    async fn put_records(
        &self,
        request: &PutRecordsRequest,
    ) -> Result<PutRecordsResponse, UpstreamError> {
        Ok(DisClient::put_records(self, request).await?)
    }

    async fn metrics(
        &self,
        stream: &StreamName,
        partition: Option<&PartitionId>,
        labels: &[&str],
        period: (i64, i64),
    ) -> Result<MetricsResponse, UpstreamError> {
        Ok(DisClient::metrics(self, stream, partition, labels, period).await?)
    }

    async fn cursor(
        &self,
        stream: &StreamName,
        partition: &PartitionId,
        position: CursorPosition,
    ) -> Result<String, UpstreamError> {
        Ok(DisClient::cursor(self, stream, partition, position).await?)
    }

    async fn records(
        &self,
        cursor: &str,
        max_fetch_bytes: u32,
    ) -> Result<RecordsResponse, UpstreamError> {
        Ok(DisClient::records(self, cursor, max_fetch_bytes).await?)
    }

    async fn stream_description(
        &self,
        stream: &StreamName,
    ) -> Result<StreamDescription, UpstreamError> {
        Ok(DisClient::stream_description(self, stream).await?)
    }

    async fn create_stream(&self, request: &CreateStreamRequest) -> Result<(), UpstreamError> {
        Ok(DisClient::create_stream(self, request).await?)
    }

    async fn scale_stream(&self, stream: &StreamName, target: u32) -> Result<(), UpstreamError> {
        Ok(DisClient::scale_stream(self, stream, target).await?)
    }

    async fn update_stream(
        &self,
        stream: &StreamName,
        request: &UpdateStreamRequest,
    ) -> Result<(), UpstreamError> {
        Ok(DisClient::update_stream(self, stream, request).await?)
    }

    async fn delete_stream(&self, stream: &StreamName) -> Result<(), UpstreamError> {
        Ok(DisClient::delete_stream(self, stream).await?)
    }

    async fn app_page(
        &self,
        limit: u32,
        after: Option<&AppName>,
        stream: Option<&StreamName>,
    ) -> Result<ListAppsResponse, UpstreamError> {
        Ok(DisClient::app_page(self, limit, after, stream).await?)
    }

    async fn consumer_state(
        &self,
        app: &AppName,
        stream: &StreamName,
    ) -> Result<Vec<PartitionConsumingState>, UpstreamError> {
        Ok(DisClient::consumer_state(self, app, stream).await?)
    }
}

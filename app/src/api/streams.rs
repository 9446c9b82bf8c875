//! Streams and their dump tasks, read from DIS.

use crate::domain::dis::{DescribeStreamResponse, StreamInfo, TaskDetails, TaskSummary};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A stream's page: what DIS says of it and its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamView {
    pub stream: DescribeStreamResponse,
    pub tasks: Vec<TaskSummary>,
    pub quota: u64,
}

#[server(endpoint = "list_streams")]
pub async fn list_streams() -> Result<Vec<StreamInfo>, AppError> {
    async {
        use super::ssr::{dis, upstream_error, Access};
        let dis = dis(Access::Read)?;
        dis.list_streams().await.map_err(upstream_error)
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "get_stream")]
pub async fn get_stream(stream: String) -> Result<StreamView, AppError> {
    async {
        use super::ssr::{dis, upstream_error, Access};
        let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let dis = dis(Access::Read)?;
        let described = dis.describe_stream(&stream).await.map_err(upstream_error)?;
        let tasks = dis.list_dump_tasks(&stream).await.map_err(upstream_error)?;
        Ok(StreamView {
            stream: described,
            tasks: tasks.tasks,
            quota: tasks.quota,
        })
    }
    .await
    .map_err(super::ssr::with_status)
}

#[server(endpoint = "get_dump_task")]
pub async fn get_dump_task(stream: String, task: String) -> Result<TaskDetails, AppError> {
    async {
        use super::ssr::{dis, upstream_error, Access};
        let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
        let task = crate::domain::TaskName::parse(&task).map_err(AppError::BadName)?;
        let dis = dis(Access::Read)?;
        dis.show_dump_task(&stream, &task)
            .await
            .map_err(upstream_error)
    }
    .await
    .map_err(super::ssr::with_status)
}

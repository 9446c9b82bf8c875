//! Dump task server functions. Each parses its input with the same `domain` rules the browser
//! runs, so a request that bypasses the browser meets the same checks and the same messages.

use crate::domain::TaskDraft;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a successful create reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCreated {
    pub stream: String,
    pub task_name: String,
    /// The create timed out and DIS then confirmed the task exists.
    pub confirmed_after_timeout: bool,
}

/// Adds an OBS dump task to a stream. The draft is parsed here against the stream's data type
/// as DIS reports it; every field error comes back at once.
#[server(endpoint = "create_dump_task")]
pub async fn create_dump_task(stream: String, draft: TaskDraft) -> Result<TaskCreated, AppError> {
    create(stream, draft).await.map_err(super::ssr::with_status)
}

#[cfg(feature = "ssr")]
async fn create(stream: String, draft: TaskDraft) -> Result<TaskCreated, AppError> {
    use super::ssr::{dis, request_id, upstream_error, Access};
    use crate::domain::{DumpTask, StreamName};

    let stream = StreamName::parse(&stream).map_err(AppError::BadName)?;
    let dis = dis(Access::Change)?;
    let described = dis.describe_stream(&stream).await.map_err(upstream_error)?;
    let task = DumpTask::parse(&draft, described.data_type())
        .map_err(|fields| AppError::Invalid { fields })?;
    let outcome = dis
        .add_dump_task(&stream, &task)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, task = %task.task_name, "dump task created");
    Ok(TaskCreated {
        stream: stream.to_string(),
        task_name: task.task_name.to_string(),
        confirmed_after_timeout: outcome == crate::ports::CreateOutcome::ConfirmedAfterTimeout,
    })
}

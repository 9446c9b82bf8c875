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
    async {
        let (me, dis) = super::ssr::dis(crate::api::access::Role::Operator).await?;
        let target = format!("{stream}/{}", draft.task_name.trim());
        let result = create(dis, stream, draft).await;
        super::ssr::audit(&me.name, "add task", &target, &result).await;
        result
    }
    .await
    .map_err(super::ssr::with_status)
}

#[cfg(feature = "ssr")]
async fn create(
    dis: std::sync::Arc<dyn crate::ports::DisPort>,
    stream: String,
    draft: TaskDraft,
) -> Result<TaskCreated, AppError> {
    use super::ssr::{request_id, upstream_error};
    use crate::domain::{DumpTask, StreamName};

    let stream = StreamName::parse(&stream).map_err(AppError::BadName)?;
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

/// Starts or pauses dump tasks of one stream, by task id (several at once for batch actions).
#[server(endpoint = "set_task_state")]
pub async fn set_task_state(
    stream: String,
    task_ids: Vec<String>,
    action: crate::domain::dis::TaskAction,
) -> Result<(), AppError> {
    async {
        use super::ssr::{audit, dis, request_id, upstream_error};
        let (me, dis) = dis(crate::api::access::Role::Operator).await?;
        let verb = match action {
            crate::domain::dis::TaskAction::Start => "start tasks",
            crate::domain::dis::TaskAction::Stop => "pause tasks",
        };
        let target = format!("{stream}: {}", task_ids.join(", "));
        let result = async {
            let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
            if task_ids.is_empty() || task_ids.len() > crate::domain::task::MAX_TASKS_PER_STREAM {
                return Err(AppError::BadName("Choose one to five tasks.".into()));
            }
            // Ids travel in the request body, never in a URL; still, only plain ids are passed on.
            if task_ids.iter().any(|id| {
                id.is_empty() || id.len() > 128 || id.chars().any(|c| c.is_control() || c == '"')
            }) {
                return Err(AppError::BadName("A task id is not valid.".into()));
            }
            dis.task_action(&stream, action, &task_ids)
                .await
                .map_err(upstream_error)?;
            tracing::info!(request_id = %request_id(), stream = %stream, ?action, count = task_ids.len(), "dump tasks changed");
            Ok(())
        }
        .await;
        audit(&me.name, verb, &target, &result).await;
        result
    }
    .await
    .map_err(super::ssr::with_status)
}

/// Deletes a dump task. The operator confirms by typing its name, and the server checks it.
#[server(endpoint = "delete_dump_task")]
pub async fn delete_dump_task(
    stream: String,
    task: String,
    confirm: String,
) -> Result<(), AppError> {
    async {
        use super::ssr::{audit, dis, request_id, upstream_error};
        let (me, dis) = dis(crate::api::access::Role::Admin).await?;
        let target = format!("{stream}/{task}");
        let result = async {
            let stream = crate::domain::StreamName::parse(&stream).map_err(AppError::BadName)?;
            let task = crate::domain::TaskName::parse(&task).map_err(AppError::BadName)?;
            if confirm.trim() != task.as_str() {
                return Err(AppError::BadName(format!(
                    "Type the task name, {task}, to confirm the deletion."
                )));
            }
            dis.delete_dump_task(&stream, &task)
                .await
                .map_err(upstream_error)?;
            tracing::info!(request_id = %request_id(), stream = %stream, task = %task, "dump task deleted");
            Ok(())
        }
        .await;
        audit(&me.name, "delete task", &target, &result).await;
        result
    }
    .await
    .map_err(super::ssr::with_status)
}

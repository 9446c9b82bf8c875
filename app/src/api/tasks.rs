//! Dump task server functions: add, start and pause, delete.

use crate::domain::dis::TaskAction;
pub use crate::domain::views::TaskCreated;
use crate::domain::TaskDraft;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::serve::serve, crate::domain::AuditAction, crate::services::tasks};

/// Adds an OBS dump task to a stream; every field error comes back at once.
#[server(endpoint = "create_dump_task")]
pub async fn create_dump_task(stream: String, draft: TaskDraft) -> Result<TaskCreated, AppError> {
    serve::<CreateDumpTask>()
        .audit(
            AuditAction::AddTask,
            format!("{stream}/{}", draft.task_name.trim()),
        )
        .dis(|dis| async move { tasks::create(dis.as_ref(), &stream, &draft).await })
        .await
}

/// Starts or pauses dump tasks of one stream, by task id (several at once for batch actions).
#[server(endpoint = "set_task_state")]
pub async fn set_task_state(
    stream: String,
    task_ids: Vec<String>,
    action: TaskAction,
) -> Result<(), AppError> {
    serve::<SetTaskState>()
        .audit(action.into(), format!("{stream}: {}", task_ids.join(", ")))
        .dis(|dis| async move { tasks::set_state(dis.as_ref(), &stream, &task_ids, action).await })
        .await
}

/// Deletes a dump task. The operator confirms by typing its name, and the server checks it.
#[server(endpoint = "delete_dump_task")]
pub async fn delete_dump_task(
    stream: String,
    task: String,
    confirm: String,
) -> Result<(), AppError> {
    serve::<DeleteDumpTask>()
        .audit(AuditAction::DeleteTask, format!("{stream}/{task}"))
        .dis(|dis| async move { tasks::delete(dis.as_ref(), &stream, &task, &confirm).await })
        .await
}

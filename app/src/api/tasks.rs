//! Dump task server functions: add, modify, start and pause, delete.

use crate::domain::dis::TaskAction;
pub use crate::domain::views::TaskSaved;
use crate::domain::TaskDraft;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::serve::serve, crate::domain::settings::asked, crate::domain::AuditAction,
    crate::services::tasks,
};

/// Adds an OBS dump task to a stream; every field error comes back at once.
#[server(endpoint = "create_dump_task", output = crate::api::codec::PageJson)]
pub async fn create_dump_task(stream: String, draft: TaskDraft) -> Result<TaskSaved, AppError> {
    serve::<CreateDumpTask>()
        .audit(
            AuditAction::AddTask,
            format!("{stream}/{}", draft.task_name.trim()),
        )
        .dis(|dis| async move { tasks::create(dis.as_ref(), &stream, &draft).await })
        .await
}

/// Modifies a dump task in place. `started_from` is what the form was filled with; when DIS
/// now reports something else, the answer is a conflict and nothing is sent.
#[server(endpoint = "update_dump_task", output = crate::api::codec::PageJson)]
pub async fn update_dump_task(
    stream: String,
    task: String,
    draft: TaskDraft,
    started_from: TaskDraft,
) -> Result<TaskSaved, AppError> {
    let target = match asked(&started_from, &draft) {
        Some(keys) if !keys.is_empty() => format!("{stream}/{task}: {keys}"),
        _ => format!("{stream}/{task}"),
    };
    serve::<UpdateDumpTask>()
        .audit(AuditAction::ModifyTask, target)
        .dis(|dis| async move {
            tasks::update(dis.as_ref(), &stream, &task, &draft, &started_from).await
        })
        .await
}

/// Starts or pauses dump tasks of one stream, by task id (several at once for batch actions).
#[server(endpoint = "set_task_state", output = crate::api::codec::PageJson)]
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
#[server(endpoint = "delete_dump_task", output = crate::api::codec::PageJson)]
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

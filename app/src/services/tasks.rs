//! Dump tasks: add, start and pause, delete. Each parses its input with the same `domain` rules
//! the browser runs, so a request that bypasses the browser meets the same checks and messages.

use crate::api::envelope::{request_id, upstream_error};
use crate::domain::dis::TaskAction;
use crate::domain::task::MAX_TASKS_PER_STREAM;
use crate::domain::views::TaskCreated;
use crate::domain::{DumpTask, StreamName, TaskDraft, TaskName};
use crate::error::AppError;
use crate::ports::{CreateOutcome, DisPort};

/// Adds an OBS dump task to a stream. The draft is parsed against the stream's data type as DIS
/// reports it; every field error comes back at once.
pub async fn create(
    dis: &dyn DisPort,
    stream: &str,
    draft: &TaskDraft,
) -> Result<TaskCreated, AppError> {
    let (stream, described) = super::streams::describe(dis, stream).await?;
    let task = DumpTask::parse(draft, described.data_type())
        .map_err(|fields| AppError::Invalid { fields })?;
    let outcome = dis
        .add_dump_task(&stream, &task)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, task = %task.task_name, "dump task created");
    Ok(TaskCreated {
        stream: stream.to_string(),
        task_name: task.task_name.to_string(),
        confirmed_after_timeout: outcome == CreateOutcome::ConfirmedAfterTimeout,
    })
}

/// Starts or pauses one to five tasks of a stream, by task id.
pub async fn set_state(
    dis: &dyn DisPort,
    stream: &str,
    task_ids: &[String],
    action: TaskAction,
) -> Result<(), AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    if task_ids.is_empty() || task_ids.len() > MAX_TASKS_PER_STREAM {
        return Err(AppError::Rejected("Choose one to five tasks.".into()));
    }
    // Ids travel in the request body, never in a URL; still, only plain ids are passed on.
    if task_ids
        .iter()
        .any(|id| id.is_empty() || id.len() > 128 || id.chars().any(|c| c.is_control() || c == '"'))
    {
        return Err(AppError::Rejected("A task id is not valid.".into()));
    }
    dis.task_action(&stream, action, task_ids)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, ?action, count = task_ids.len(), "dump tasks changed");
    Ok(())
}

/// Deletes a dump task once the operator has typed its name to confirm.
pub async fn delete(
    dis: &dyn DisPort,
    stream: &str,
    task: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let stream = StreamName::parse(stream).map_err(AppError::Rejected)?;
    let task = TaskName::parse(task).map_err(AppError::Rejected)?;
    if confirm.trim() != task.as_str() {
        return Err(AppError::Rejected(format!(
            "Type the task name, {task}, to confirm the deletion."
        )));
    }
    dis.delete_dump_task(&stream, &task)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, task = %task, "dump task deleted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fakes::FakeDis;

    #[tokio::test]
    async fn refusals_name_what_to_fix_before_dis_is_asked() {
        let dis = FakeDis::with_streams(["s".to_string()]);
        let ids = vec!["a".to_string(); 6];
        let e = set_state(&dis, "s", &ids, TaskAction::Start)
            .await
            .unwrap_err();
        assert_eq!(e, AppError::Rejected("Choose one to five tasks.".into()));
        let e = set_state(&dis, "s", &["a\"b".into()], TaskAction::Stop)
            .await
            .unwrap_err();
        assert_eq!(e, AppError::Rejected("A task id is not valid.".into()));
        let e = delete(&dis, "s", "t", "u").await.unwrap_err();
        assert!(e.to_string().contains("Type the task name, t"), "{e}");
        let e = create(&dis, "s", &TaskDraft::default()).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid { .. }), "{e:?}");
        let e = create(&dis, "missing", &TaskDraft::default())
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::Dis { ref code, .. } if code == "DIS.4301"),
            "{e:?}"
        );
    }
}

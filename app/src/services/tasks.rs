//! Dump tasks: add, modify, start and pause, delete. Each parses its input with the same
//! `domain` rules the browser runs, so a request that bypasses the browser meets the same checks
//! and messages.

use crate::api::envelope::{request_id, upstream_error};
use crate::domain::dis::TaskAction;
use crate::domain::settings::{changes, keys};
use crate::domain::task::MAX_TASKS_PER_STREAM;
use crate::domain::views::TaskSaved;
use crate::domain::{DumpTask, StreamName, TaskDraft, TaskName};
use crate::error::AppError;
use crate::ports::{CreateOutcome, DisPort, UpdateOutcome};

/// Adds an OBS dump task to a stream. The draft is parsed against the stream's data type as DIS
/// reports it; every field error comes back at once.
pub async fn create(
    dis: &dyn DisPort,
    stream: &str,
    draft: &TaskDraft,
) -> Result<TaskSaved, AppError> {
    let (stream, described) = super::streams::describe(dis, stream).await?;
    let task = DumpTask::parse(draft, described.data_type())
        .map_err(|fields| AppError::Invalid { fields })?;
    let outcome = dis
        .add_dump_task(&stream, &task)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, task = %task.task_name, "dump task created");
    Ok(TaskSaved {
        stream: stream.to_string(),
        task_name: task.task_name.to_string(),
        changed: Vec::new(),
        confirmed_after_timeout: outcome == CreateOutcome::ConfirmedAfterTimeout,
    })
}

/// Modifies a task in place. The draft is parsed against the stream's data type; the task's
/// settings as DIS reports them now must still be those the form started from
/// (`started_from`), or the operator is asked before overwriting someone else's change. The
/// task keeps its name and start position, and is sent whole.
pub async fn update(
    dis: &dyn DisPort,
    stream: &str,
    task: &str,
    draft: &TaskDraft,
    started_from: &TaskDraft,
) -> Result<TaskSaved, AppError> {
    let (stream, name, described, details) =
        super::streams::task_and_stream(dis, stream, task).await?;
    let data_type = described.data_type();
    let current = match (&details.destination_type[..], &details.obs_destination_description) {
        ("OBS", Some(d)) => DumpTask::from_descriptor(d, data_type).map_err(|e| {
            AppError::Rejected(format!(
                "DIS reports settings for {name} that the console cannot read ({e}). Modify it in DIS's own console."
            ))
        })?,
        (other, _) => {
            return Err(AppError::Rejected(format!(
                "{name} dumps to {other}, not OBS: the console modifies OBS dump tasks only."
            )))
        }
    };
    // What a modify keeps comes from DIS, whatever the request says.
    let kept = |d: &TaskDraft| TaskDraft {
        task_name: name.to_string(),
        consumer_strategy: current.consumer_strategy.as_wire().to_string(),
        ..d.clone()
    };
    let task =
        DumpTask::parse(&kept(draft), data_type).map_err(|fields| AppError::Invalid { fields })?;
    let base = DumpTask::parse(&kept(started_from), data_type).map_err(|_| {
        AppError::Rejected(
            "The settings this form started from are not valid. Reload the page to start from the task as DIS reports it."
                .into(),
        )
    })?;
    let theirs = changes(&base, &current);
    if !theirs.is_empty() {
        let what: Vec<String> = theirs
            .iter()
            .map(|c| format!("{} is now {} (was {})", c.label, c.after, c.before))
            .collect();
        return Err(AppError::Conflict(format!(
            "Someone changed {name} since this form was opened: {}. Saving would undo that. \
             Check what changes and save again to overwrite it, or cancel to keep their settings.",
            what.join("; ")
        )));
    }
    let mine = changes(&current, &task);
    if mine.is_empty() {
        return Err(AppError::Rejected(
            "Nothing to save: these are the task's settings as DIS reports them.".into(),
        ));
    }
    let outcome = dis
        .update_dump_task(&stream, &task)
        .await
        .map_err(upstream_error)?;
    tracing::info!(request_id = %request_id(), stream = %stream, task = %name, changed = %keys(&mine), "dump task modified");
    Ok(TaskSaved {
        stream: stream.to_string(),
        task_name: name.to_string(),
        changed: mine.iter().map(|c| c.label.to_string()).collect(),
        confirmed_after_timeout: outcome == UpdateOutcome::ConfirmedAfterTimeout,
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

    /// `t0` of stream `s` as the fake reports it, as a draft.
    async fn as_reported(dis: &FakeDis) -> TaskDraft {
        let details = crate::services::streams::task(dis, "s", "t0")
            .await
            .unwrap();
        details.read_back().unwrap().to_draft()
    }

    #[tokio::test]
    async fn a_modify_sends_the_changes_and_keeps_the_name_and_start() {
        let dis = FakeDis::with_streams(["s".to_string()]).with_tasks(1);
        let base = as_reported(&dis).await;
        let draft = TaskDraft {
            task_name: "renamed".into(),
            consumer_strategy: "TRIM_HORIZON".into(),
            file_prefix: "v2".into(),
            deliver_time_interval: "120".into(),
            ..base.clone()
        };
        let saved = update(&dis, "s", "t0", &draft, &base).await.unwrap();
        assert_eq!(saved.task_name, "t0");
        assert_eq!(saved.changed, ["Directory prefix", "Dump interval"]);
        assert!(!saved.confirmed_after_timeout);
    }

    #[tokio::test]
    async fn a_modify_refuses_nothing_to_save_someone_elses_change_and_bad_fields() {
        let dis = FakeDis::with_streams(["s".to_string()]).with_tasks(1);
        let base = as_reported(&dis).await;
        let e = update(&dis, "s", "t0", &base, &base).await.unwrap_err();
        assert!(e.to_string().starts_with("Nothing to save"), "{e}");
        // The form started from a prefix DIS no longer reports.
        let stale = TaskDraft {
            file_prefix: "old".into(),
            ..base.clone()
        };
        let mine = TaskDraft {
            deliver_time_interval: "120".into(),
            ..stale.clone()
        };
        let e = update(&dis, "s", "t0", &mine, &stale).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        assert!(
            e.to_string()
                .contains("Directory prefix is now (none) (was old)"),
            "{e}"
        );
        let bad = TaskDraft {
            deliver_time_interval: "10".into(),
            ..base.clone()
        };
        let e = update(&dis, "s", "t0", &bad, &base).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid { .. }), "{e:?}");
        let e = update(&dis, "s", "missing", &bad, &base).await.unwrap_err();
        assert!(e.dis_code().is_some(), "{e:?}");
    }
}

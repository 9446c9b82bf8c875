//! `/v2/{project}/streams/{stream}/transfer-tasks`: add, update, list, show, delete, start and
//! pause.

use super::Backend;
use crate::lock;
use crate::refusal::{json_body, Refusal};
use crate::seed::next_id;
use crate::state::{partition_id, Task};
use app::clock::now_ms;
use app::domain::dis::{
    ListTasksResponse, TaskAction, TaskActionRequest, TaskDetails, TaskPartition, TaskState,
};
use app::domain::task::{CreateTransferTaskRequest, MAX_TASKS_PER_STREAM};
use app::domain::{DataType, DumpTask};
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    Json,
};

/// The task a create or update body describes, checked with DIS's rules for the stream's data
/// type.
fn described_task(body: &[u8], data_type: DataType) -> Result<DumpTask, Refusal> {
    let request: CreateTransferTaskRequest = json_body(body)?;
    match request.destination_type.as_deref() {
        Some("OBS") => {}
        Some(other) => {
            return Err(Refusal::invalid(format!(
                "destination_type {other} is not supported here; use OBS"
            )))
        }
        None => return Err(Refusal::invalid("destination_type is required")),
    }
    let descriptor = request
        .obs_destination_descriptor
        .ok_or_else(|| Refusal::invalid("obs_destination_descriptor is required"))?;
    DumpTask::from_descriptor(&descriptor, data_type)
        .map_err(|errors| Refusal::invalid(errors.to_string()))
}

pub(super) async fn create(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, Refusal> {
    let mut st = lock(&shared.state);
    let s = st
        .streams
        .get(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let task = described_task(&body, s.data_type)?;
    if s.tasks.iter().any(|t| t.name == task.task_name.as_str()) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4355",
            "The dump task already exists.",
        ));
    }
    if s.tasks.len() >= MAX_TASKS_PER_STREAM {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4357",
            "The stream already has the maximum of 5 dump tasks.",
        ));
    }
    let id = next_id(&mut st, "task");
    let s = st
        .streams
        .get_mut(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let new = Task::new(id, &task, s, now_ms());
    s.tasks.push(new);
    shared.persist(&st);
    shared.open_bucket(task.obs_bucket_path.as_str());
    Ok(StatusCode::CREATED)
}

/// `PUT …/transfer-tasks`: the task the descriptor's `task_name` names takes the new settings,
/// whole. Its id, state, offsets and creation time stay, and so does its start position
/// (`consumer_strategy` is fixed at creation). New directories apply from the next dump.
pub(super) async fn update(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, Refusal> {
    let mut st = lock(&shared.state);
    let s = st
        .streams
        .get_mut(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let task = described_task(&body, s.data_type)?;
    let t = s
        .tasks
        .iter_mut()
        .find(|t| t.name == task.task_name.as_str())
        .ok_or_else(Refusal::task_not_found)?;
    let mut descriptor = task.descriptor();
    descriptor.consumer_strategy = t.descriptor.consumer_strategy.clone();
    t.descriptor = descriptor;
    shared.persist(&st);
    shared.open_bucket(task.obs_bucket_path.as_str());
    Ok(StatusCode::OK)
}

pub(super) async fn list(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
) -> Result<Json<ListTasksResponse>, Refusal> {
    let st = lock(&shared.state);
    let s = st
        .streams
        .get(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    Ok(Json(ListTasksResponse {
        total_number: s.tasks.len() as u64,
        quota: MAX_TASKS_PER_STREAM as u64,
        tasks: s.tasks.iter().map(Task::summary).collect(),
    }))
}

pub(super) async fn show(
    State(shared): Backend,
    Path((_, stream, task)): Path<(String, String, String)>,
) -> Result<Json<TaskDetails>, Refusal> {
    let st = lock(&shared.state);
    let s = st
        .streams
        .get(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let t = s
        .tasks
        .iter()
        .find(|t| t.name == task)
        .ok_or_else(Refusal::task_not_found)?;
    let summary = t.summary();
    Ok(Json(TaskDetails {
        task_id: summary.task_id,
        task_name: summary.task_name,
        destination_type: summary.destination_type,
        state: summary.state,
        create_time: summary.create_time,
        last_transfer_timestamp: summary.last_transfer_timestamp,
        stream_id: s.id.clone(),
        stream_name: s.name.clone(),
        obs_destination_description: Some(t.descriptor.clone()),
        partitions: t
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| TaskPartition {
                partition_id: partition_id(i),
                discard: p.discard,
                state: t.state.as_str().into(),
                last_transfer_offset: p.offset,
                last_transfer_timestamp: p.last_transfer_timestamp,
            })
            .collect(),
    }))
}

pub(super) async fn delete(
    State(shared): Backend,
    Path((_, stream, task)): Path<(String, String, String)>,
) -> Result<StatusCode, Refusal> {
    let mut st = lock(&shared.state);
    let s = st
        .streams
        .get_mut(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let before = s.tasks.len();
    s.tasks.retain(|t| t.name != task);
    if s.tasks.len() == before {
        return Err(Refusal::task_not_found());
    }
    shared.persist(&st);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/transfer-tasks/action`; any other name after `transfer-tasks/` takes no POST.
pub(super) async fn action(
    State(shared): Backend,
    Path((_, stream, action)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<StatusCode, Refusal> {
    if action != "action" {
        return Err(Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "DIS.4200",
            "Method not allowed.",
        ));
    }
    let request: TaskActionRequest = json_body(&body)?;
    if request.tasks.is_empty() {
        return Err(Refusal::invalid("tasks must name at least one task id"));
    }
    let mut st = lock(&shared.state);
    let s = st
        .streams
        .get_mut(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    if request
        .tasks
        .iter()
        .any(|r| !s.tasks.iter().any(|t| t.id == r.id))
    {
        return Err(Refusal::task_not_found());
    }
    let now = now_ms();
    for t in s
        .tasks
        .iter_mut()
        .filter(|t| request.tasks.iter().any(|r| r.id == t.id))
    {
        match request.action {
            TaskAction::Stop => t.state = TaskState::Paused,
            TaskAction::Start => {
                if t.state != TaskState::Running {
                    let interval = t.descriptor.deliver_time_interval.unwrap_or(300);
                    t.next_dump_at = now + i64::from(interval) * 1000;
                }
                t.state = TaskState::Running;
            }
        }
    }
    shared.persist(&st);
    Ok(StatusCode::OK)
}

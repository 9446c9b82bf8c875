//! `/v2/{project}/apps`: consumer applications, their checkpoints (`/v2/{project}/checkpoints`)
//! and how each consumes a stream (`/apps/{app}/streams/{stream}`).
//!
//! DIS's documents name no code for a duplicate or unknown application; the backend answers
//! those as a bad parameter (DIS.4200), in DIS's words for the rest.

use super::Backend;
use crate::lock;
use crate::refusal::{json_body, Refusal};
use crate::seed::next_id;
use crate::state::{parse_partition_id, partition_id, App, Checkpoint, State};
use app::clock::now_ms;
use app::domain::stream::{
    AppInfo, AppName, CommitCheckpointRequest, ConsumerStateResponse, CreateAppRequest,
    ListAppsResponse, PartitionConsumingState, LAST_READ,
};
use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxumState},
    http::StatusCode,
    Json,
};

fn app_name(input: &str) -> Result<AppName, Refusal> {
    match AppName::parse(input) {
        Ok(name) if name.as_str() == input => Ok(name),
        Ok(_) | Err(_) => Err(Refusal::invalid(
            "app_name must be 1 to 200 letters, digits, '-' or '_'",
        )),
    }
}

fn unknown_app() -> Refusal {
    Refusal::invalid("the app does not exist")
}

fn info(name: &str, app: &App) -> AppInfo {
    AppInfo {
        app_name: name.to_owned(),
        app_id: app.id.clone(),
        create_time: app.create_time,
        commit_checkpoint_stream_names: app.checkpoints.keys().cloned().collect(),
    }
}

/// `POST /v2/{project}/apps` → 201.
pub(super) async fn create(AxumState(shared): Backend, body: Bytes) -> Result<StatusCode, Refusal> {
    let request: CreateAppRequest = json_body(&body)?;
    let name = app_name(&request.app_name)?;
    let mut st = lock(&shared.state);
    if st.apps.contains_key(name.as_str()) {
        return Err(Refusal::invalid("the app already exists"));
    }
    let id = next_id(&mut st, "app");
    st.apps.insert(
        name.to_string(),
        App {
            id,
            create_time: now_ms(),
            checkpoints: Default::default(),
        },
    );
    shared.persist(&st);
    Ok(StatusCode::CREATED)
}

/// `DELETE /v2/{project}/apps/{app}` → 204.
pub(super) async fn delete(
    AxumState(shared): Backend,
    Path((_, app)): Path<(String, String)>,
) -> Result<StatusCode, Refusal> {
    let mut st = lock(&shared.state);
    st.apps.remove(&app).ok_or_else(unknown_app)?;
    shared.persist(&st);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v2/{project}/apps/{app}`.
pub(super) async fn show(
    AxumState(shared): Backend,
    Path((_, app)): Path<(String, String)>,
) -> Result<Json<AppInfo>, Refusal> {
    let st = lock(&shared.state);
    let found = st.apps.get(&app).ok_or_else(unknown_app)?;
    Ok(Json(info(&app, found)))
}

#[derive(serde::Deserialize)]
pub(super) struct ListQuery {
    limit: Option<String>,
    start_app_name: Option<String>,
    stream_name: Option<String>,
}

fn limit(text: Option<&str>, default: usize) -> Result<usize, Refusal> {
    match text.map(str::parse::<usize>) {
        None => Ok(default),
        Some(Ok(n)) if (1..=100).contains(&n) => Ok(n),
        _ => Err(Refusal::invalid("limit must be 1 to 100")),
    }
}

/// `GET /v2/{project}/apps?limit=&start_app_name=&stream_name=`: by name, after
/// `start_app_name`; with `stream_name`, the apps that committed checkpoints on it.
pub(super) async fn list(
    AxumState(shared): Backend,
    Query(q): Query<ListQuery>,
) -> Result<Json<ListAppsResponse>, Refusal> {
    let limit = limit(q.limit.as_deref(), 10)?;
    let st = lock(&shared.state);
    let matching: Vec<(&String, &App)> = st
        .apps
        .iter()
        .filter(|(_, app)| {
            q.stream_name
                .as_deref()
                .is_none_or(|s| app.checkpoints.contains_key(s))
        })
        .collect();
    let after = q.start_app_name.unwrap_or_default();
    let remaining: Vec<&(&String, &App)> = matching
        .iter()
        .filter(|(name, _)| after.is_empty() || name.as_str() > after.as_str())
        .collect();
    Ok(Json(ListAppsResponse {
        has_more_app: remaining.len() > limit,
        apps: remaining
            .iter()
            .take(limit)
            .map(|(name, app)| info(name, app))
            .collect(),
        total_number: matching.len() as u64,
    }))
}

/// `POST /v2/{project}/checkpoints` → 201: an app's LAST_READ sequence number on a partition.
pub(super) async fn commit_checkpoint(
    AxumState(shared): Backend,
    body: Bytes,
) -> Result<StatusCode, Refusal> {
    let request: CommitCheckpointRequest = json_body(&body)?;
    if request.checkpoint_type != LAST_READ {
        return Err(Refusal::invalid("checkpoint_type must be LAST_READ"));
    }
    let sequence: u64 = request
        .sequence_number
        .parse()
        .map_err(|_| Refusal::invalid("sequence_number must be a number"))?;
    let mut st = lock(&shared.state);
    let index = partition_of(&st, &request.stream_name, &request.partition_id)?;
    let end = st.streams[&request.stream_name].partitions[index].log.end();
    if sequence >= end {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4224",
            format!("Sequence number out of range: the partition's records end before {end}."),
        ));
    }
    let app = st.apps.get_mut(&request.app_name).ok_or_else(unknown_app)?;
    app.checkpoints
        .entry(request.stream_name.clone())
        .or_default()
        .insert(
            index,
            Checkpoint {
                sequence_number: sequence,
                metadata: request.metadata.clone(),
            },
        );
    shared.persist(&st);
    Ok(StatusCode::CREATED)
}

/// The index of `partition` in `stream`.
fn partition_of(st: &State, stream: &str, partition: &str) -> Result<usize, Refusal> {
    let s = st
        .streams
        .get(stream)
        .ok_or_else(Refusal::stream_not_found)?;
    parse_partition_id(partition)
        .filter(|i| *i < s.partitions.len())
        .ok_or_else(Refusal::partition_not_found)
}

#[derive(serde::Deserialize)]
pub(super) struct StateQuery {
    limit: Option<String>,
    start_partition_id: Option<String>,
    checkpoint_type: Option<String>,
}

/// `GET /v2/{project}/apps/{app}/streams/{stream}`: each partition's checkpoint beside its
/// oldest kept and next sequence numbers.
pub(super) async fn consumer_state(
    AxumState(shared): Backend,
    Path((_, app, stream)): Path<(String, String, String)>,
    Query(q): Query<StateQuery>,
) -> Result<Json<ConsumerStateResponse>, Refusal> {
    if q.checkpoint_type.as_deref().is_some_and(|t| t != LAST_READ) {
        return Err(Refusal::invalid("checkpoint_type must be LAST_READ"));
    }
    let limit = limit(q.limit.as_deref(), 100)?;
    let st = lock(&shared.state);
    let found = st.apps.get(&app).ok_or_else(unknown_app)?;
    let s = st
        .streams
        .get(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let start = match q.start_partition_id.as_deref() {
        None | Some("") => 0,
        Some(id) => parse_partition_id(id).ok_or_else(Refusal::partition_not_found)?,
    };
    let checkpoints = found.checkpoints.get(&stream);
    let states: Vec<PartitionConsumingState> = s
        .partitions
        .iter()
        .enumerate()
        .skip(start)
        .map(|(i, p)| PartitionConsumingState {
            partition_id: partition_id(i),
            sequence_number: checkpoints
                .and_then(|c| c.get(&i))
                .map_or_else(|| "-1".to_owned(), |c| c.sequence_number.to_string()),
            latest_offset: p.log.end() as i64,
            earliest_offset: p.log.first() as i64,
            checkpoint_type: LAST_READ.into(),
            status: if p.closed { "CLOSED" } else { "ACTIVE" }.into(),
        })
        .collect();
    Ok(Json(ConsumerStateResponse {
        has_more: states.len() > limit,
        stream_name: stream,
        app_name: app,
        partition_consuming_states: states.into_iter().take(limit).collect(),
    }))
}

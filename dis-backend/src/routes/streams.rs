//! `/v2/{project}/streams`: list, create, describe, scale and delete; `/v3/…/streams/{stream}`:
//! change. The rules are the console's own (`app::domain::stream`), which follow DIS's.

use super::Backend;
use crate::lock;
use crate::refusal::{json_body, Refusal};
use crate::seed::next_id;
use crate::state::{self, log_file, partition_id, Stream, StreamSettings};
use app::clock::now_ms;
use app::domain::dis::{DescribeStreamResponse, ListStreamsResponse, StreamInfo, StreamPartition};
use app::domain::stream::{
    check_create, check_scale, CreateStreamRequest, CsvProperties, PartitionCountChange,
    StreamDescription, StreamType, Tag, UpdatePartitionCountRequest, UpdateStreamRequest,
    SCALINGS_PER_HOUR,
};
use app::domain::{DataType, StreamName};
use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};

#[derive(serde::Deserialize)]
pub(super) struct ListQuery {
    limit: Option<String>,
    start_stream_name: Option<String>,
}

pub(super) async fn list(
    State(shared): Backend,
    Query(q): Query<ListQuery>,
) -> Result<Json<ListStreamsResponse>, Refusal> {
    let limit = match q.limit.as_deref().map(str::parse::<usize>) {
        None => 10,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        _ => return Err(Refusal::invalid("limit must be 1 to 100")),
    };
    let st = lock(&shared.state);
    let after = q.start_stream_name.unwrap_or_default();
    let remaining: Vec<&Stream> = st
        .streams
        .values()
        .filter(|s| after.is_empty() || s.name.as_str() > after.as_str())
        .collect();
    let page: Vec<&Stream> = remaining.iter().take(limit).copied().collect();
    Ok(Json(ListStreamsResponse {
        total_number: st.streams.len() as u64,
        stream_names: page.iter().map(|s| s.name.clone()).collect(),
        has_more_streams: remaining.len() > page.len(),
        stream_info_list: page
            .iter()
            .map(|s| StreamInfo {
                stream_id: s.id.clone(),
                stream_name: s.name.clone(),
                create_time: s.create_time,
                retention_period: s.retention_period,
                status: "RUNNING".into(),
                stream_type: s.stream_type.clone(),
                data_type: s.data_type.as_str().into(),
                partition_count: s.open_partitions().len() as u32,
            })
            .collect(),
    }))
}

/// DIS's own rules, which the console also checks before it sends: the first one broken is the
/// answer, as DIS words a bad parameter.
fn follows_the_rules(request: &CreateStreamRequest) -> Result<(), Refusal> {
    check_create(request).map_err(|problems| {
        let (field, message) = &problems[0];
        Refusal::invalid(format!("{field}: {message}"))
    })
}

/// Open partitions of `stream_type` across the project, but for `except`'s.
fn partitions_in_use(st: &state::State, stream_type: &str, except: Option<&str>) -> u32 {
    st.streams
        .values()
        .filter(|s| s.stream_type == stream_type && Some(s.name.as_str()) != except)
        .map(|s| s.open_partitions().len() as u32)
        .sum()
}

fn quota_refusal(quota: u32, stream_type: StreamType, available: u32) -> Refusal {
    Refusal::new(
        StatusCode::BAD_REQUEST,
        "DIS.4308",
        format!(
            "Insufficient quota: the project has {available} of its {quota} {} partitions left.",
            stream_type.as_str()
        ),
    )
}

pub(super) async fn create(State(shared): Backend, body: Bytes) -> Result<StatusCode, Refusal> {
    let request: CreateStreamRequest = json_body(&body)?;
    follows_the_rules(&request)?;
    let name = StreamName::parse(&request.stream_name)
        .map_err(|e| Refusal::invalid(format!("stream_name: {e}")))?;
    let stream_type = StreamType::parse(request.stream_type.as_deref().unwrap_or(""))
        .map_err(Refusal::invalid)?;
    let data_type = DataType::parse(request.data_type.as_deref().unwrap_or("BLOB"))
        .map_err(Refusal::invalid)?;
    let mut st = lock(&shared.state);
    if st.streams.contains_key(name.as_str()) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4307",
            "Stream already exists.",
        ));
    }
    let quota = shared.config.partition_quota.of(stream_type);
    let available = quota.saturating_sub(partitions_in_use(&st, stream_type.as_str(), None));
    if request.partition_count > available {
        return Err(quota_refusal(quota, stream_type, available));
    }
    let id = next_id(&mut st, "stream");
    let now = now_ms();
    let mut stream = Stream::new(
        id,
        name.as_str(),
        now,
        stream_type.as_str().into(),
        data_type,
        request.data_duration.unwrap_or(24),
        request.partition_count as usize,
    );
    stream.settings = StreamSettings {
        data_schema: request.data_schema.clone(),
        compression_format: request.compression_format.clone(),
        csv_delimiter: request.csv_properties.as_ref().map(|c| c.delimiter.clone()),
        tags: request
            .tags
            .iter()
            .map(|t| (t.key.trim().to_owned(), t.value.clone()))
            .collect(),
        auto_scale: auto_scale(
            request.auto_scale_enabled,
            request.auto_scale_min_partition_count,
            request.auto_scale_max_partition_count,
        ),
        last_modified_time: now,
        scalings: Vec::new(),
    };
    stream.open_logs(&shared.config.data_dir).map_err(|e| {
        tracing::error!(error = %e, "the DIS backend cannot create a partition log");
        Refusal::system_error()
    })?;
    st.streams.insert(name.to_string(), stream);
    shared.persist(&st);
    Ok(StatusCode::CREATED)
}

fn auto_scale(enabled: Option<bool>, min: Option<u32>, max: Option<u32>) -> Option<(u32, u32)> {
    match (enabled, min, max) {
        (Some(true), Some(min), Some(max)) => Some((min, max)),
        _ => None,
    }
}

/// The stream a change names, with the body's `stream_name` matching the path's.
fn named<'s>(
    st: &'s mut state::State,
    path: &str,
    body_name: &str,
) -> Result<&'s mut Stream, Refusal> {
    if body_name != path {
        return Err(Refusal::invalid(
            "stream_name in the body differs from the stream in the path",
        ));
    }
    st.streams
        .get_mut(path)
        .ok_or_else(Refusal::stream_not_found)
}

/// `PUT /v2/{project}/streams/{stream}`: scales to `target_partition_count`. DIS allows
/// [`SCALINGS_PER_HOUR`] scalings of a stream in an hour; more are refused as too many requests.
pub(super) async fn scale(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, Refusal> {
    let request: UpdatePartitionCountRequest = json_body(&body)?;
    let mut st = lock(&shared.state);
    let s = named(&mut st, &stream, &request.stream_name)?;
    let stream_type = StreamType::parse(&s.stream_type).unwrap_or_default();
    let current = s.open_partitions().len() as u32;
    let now = now_ms();
    let recent = s
        .settings
        .scalings
        .iter()
        .filter(|(at, _, _)| now - at < 3_600_000)
        .count();
    let in_use = partitions_in_use(&st, stream_type.as_str(), Some(&stream));
    let quota = shared.config.partition_quota.of(stream_type);
    let available = quota.saturating_sub(in_use);
    if let Err(why) = check_scale(current, request.target_partition_count, available) {
        return Err(if request.target_partition_count > available {
            quota_refusal(quota, stream_type, available)
        } else {
            Refusal::invalid(format!("target_partition_count: {why}"))
        });
    }
    if recent >= SCALINGS_PER_HOUR {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4305",
            format!(
                "Too many requests: the stream's partition count changed {recent} times in the \
                 past hour, the most DIS allows."
            ),
        ));
    }
    let s = st
        .streams
        .get_mut(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    s.scale(
        request.target_partition_count as usize,
        &shared.config.data_dir,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "the DIS backend cannot create a partition log");
        Refusal::system_error()
    })?;
    s.settings
        .scalings
        .push((now, current, request.target_partition_count));
    s.settings.last_modified_time = now;
    shared.persist(&st);
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /v3/{project}/streams/{stream}`: retention, data type, schema and auto-scaling.
pub(super) async fn update(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, Refusal> {
    let request: UpdateStreamRequest = json_body(&body)?;
    let mut st = lock(&shared.state);
    let s = named(&mut st, &stream, &request.stream_name)?;
    // The stream as it would be, checked by the rules a new stream meets.
    let auto = request
        .auto_scale_enabled
        .map_or(s.settings.auto_scale, |on| {
            auto_scale(
                Some(on),
                request.auto_scale_min_partition_count,
                request.auto_scale_max_partition_count,
            )
        });
    let after = CreateStreamRequest {
        stream_name: s.name.clone(),
        partition_count: s.open_partitions().len() as u32,
        stream_type: Some(s.stream_type.clone()),
        data_type: Some(
            request
                .data_type
                .clone()
                .unwrap_or_else(|| s.data_type.as_str().into()),
        ),
        data_duration: Some(request.data_duration.unwrap_or(s.retention_period)),
        auto_scale_enabled: Some(request.auto_scale_enabled.unwrap_or(auto.is_some())),
        auto_scale_min_partition_count: request
            .auto_scale_min_partition_count
            .or(auto.map(|a| a.0)),
        auto_scale_max_partition_count: request
            .auto_scale_max_partition_count
            .or(auto.map(|a| a.1)),
        data_schema: request
            .data_schema
            .clone()
            .or(s.settings.data_schema.clone()),
        csv_properties: s
            .settings
            .csv_delimiter
            .clone()
            .map(|delimiter| CsvProperties { delimiter }),
        compression_format: None,
        tags: Vec::new(),
    };
    follows_the_rules(&after)?;
    s.retention_period = after.data_duration.unwrap_or(s.retention_period);
    s.data_type =
        DataType::parse(after.data_type.as_deref().unwrap_or("BLOB")).map_err(Refusal::invalid)?;
    s.settings.data_schema = after.data_schema;
    s.settings.auto_scale = auto;
    s.settings.last_modified_time = now_ms();
    shared.persist(&st);
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /v2/{project}/streams/{stream}`: the stream, its dump tasks and its records.
pub(super) async fn delete(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
) -> Result<StatusCode, Refusal> {
    let mut st = lock(&shared.state);
    let removed = st
        .streams
        .remove(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    for app in st.apps.values_mut() {
        app.checkpoints.remove(&stream);
    }
    shared.persist(&st);
    drop(st);
    // The partitions' logs share the stream's folder (see `log_file`).
    if let Some(folder) = log_file(&shared.config.data_dir, &removed.id, 0).parent() {
        if let Err(e) = std::fs::remove_dir_all(folder) {
            tracing::warn!(error = %e, "the DIS backend cannot remove a deleted stream's records");
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn describe(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
) -> Result<Json<StreamDescription>, Refusal> {
    let st = lock(&shared.state);
    let s = st
        .streams
        .get(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let count = s.partitions.len() as u32;
    let description = DescribeStreamResponse {
        stream_id: s.id.clone(),
        stream_name: s.name.clone(),
        create_time: s.create_time,
        last_modified_time: s.settings.last_modified_time.max(s.create_time),
        retention_period: s.retention_period,
        status: "RUNNING".into(),
        stream_type: s.stream_type.clone(),
        data_type: s.data_type.as_str().into(),
        writable_partition_count: s.open_partitions().len() as u32,
        readable_partition_count: count,
        partitions: s
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| StreamPartition {
                partition_id: partition_id(i),
                status: if p.closed { "CLOSED" } else { "ACTIVE" }.into(),
                hash_range: String::new(),
                sequence_number_range: p.sequence_number_range(),
            })
            .collect(),
        has_more_partitions: false,
    };
    Ok(Json(StreamDescription {
        stream: description,
        data_schema: s.settings.data_schema.clone(),
        compression_format: s.settings.compression_format.clone(),
        csv_properties: s
            .settings
            .csv_delimiter
            .clone()
            .map(|delimiter| CsvProperties { delimiter }),
        update_partition_counts: s
            .settings
            .scalings
            .iter()
            .map(|(at, from, to)| PartitionCountChange {
                create_timestamp: *at,
                src_partition_count: *from,
                target_partition_count: *to,
                result_code: 0,
                auto_scale: false,
            })
            .collect(),
        tags: s
            .settings
            .tags
            .iter()
            .map(|(key, value)| Tag {
                key: key.clone(),
                value: value.clone(),
            })
            .collect(),
        auto_scale_enabled: s.settings.auto_scale.is_some(),
        auto_scale_min_partition_count: s.settings.auto_scale.map(|a| a.0),
        auto_scale_max_partition_count: s.settings.auto_scale.map(|a| a.1),
    }))
}

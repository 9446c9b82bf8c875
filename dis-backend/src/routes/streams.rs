//! `/v2/{project}/streams`: list, create, describe.

use super::Backend;
use crate::lock;
use crate::refusal::{json_body, Refusal};
use crate::seed::next_id;
use crate::state::{partition_id, Stream};
use app::clock::now_ms;
use app::domain::dis::{
    CreateStreamRequest, DescribeStreamResponse, ListStreamsResponse, StreamInfo, StreamPartition,
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
                partition_count: s.partitions.len() as u32,
            })
            .collect(),
    }))
}

pub(super) async fn create(State(shared): Backend, body: Bytes) -> Result<StatusCode, Refusal> {
    let request: CreateStreamRequest = json_body(&body)?;
    let name = match StreamName::parse(&request.stream_name) {
        Ok(n) if n.as_str() == request.stream_name => n,
        Ok(_) | Err(_) => {
            return Err(Refusal::invalid(
                "stream_name must be 1 to 64 letters, digits, '-' or '_'",
            ))
        }
    };
    if !(1..=50).contains(&request.partition_count) {
        return Err(Refusal::invalid("partition_count must be 1 to 50"));
    }
    let data_type = match request.data_type.as_deref() {
        None => DataType::Blob,
        Some(t) => DataType::parse(t)
            .map_err(|_| Refusal::invalid("data_type must be BLOB, JSON or CSV"))?,
    };
    let stream_type = request
        .stream_type
        .clone()
        .unwrap_or_else(|| "COMMON".into());
    if !matches!(stream_type.as_str(), "COMMON" | "ADVANCED") {
        return Err(Refusal::invalid("stream_type must be COMMON or ADVANCED"));
    }
    let retention = request.data_duration.unwrap_or(24);
    if !(24..=168).contains(&retention) {
        return Err(Refusal::invalid("data_duration must be 24 to 168 hours"));
    }
    let mut st = lock(&shared.state);
    if st.streams.contains_key(name.as_str()) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "DIS.4307",
            "Stream already exists.",
        ));
    }
    let id = next_id(&mut st, "stream");
    let mut stream = Stream::new(
        id,
        name.as_str(),
        now_ms(),
        stream_type,
        data_type,
        retention,
        request.partition_count as usize,
    );
    stream.open_logs(&shared.config.data_dir).map_err(|e| {
        tracing::error!(error = %e, "the DIS backend cannot create a partition log");
        Refusal::system_error()
    })?;
    st.streams.insert(name.to_string(), stream);
    shared.persist(&st);
    Ok(StatusCode::CREATED)
}

pub(super) async fn describe(
    State(shared): Backend,
    Path((_, stream)): Path<(String, String)>,
) -> Result<Json<DescribeStreamResponse>, Refusal> {
    let st = lock(&shared.state);
    let s = st
        .streams
        .get(&stream)
        .ok_or_else(Refusal::stream_not_found)?;
    let count = s.partitions.len() as u32;
    Ok(Json(DescribeStreamResponse {
        stream_id: s.id.clone(),
        stream_name: s.name.clone(),
        create_time: s.create_time,
        last_modified_time: s.create_time,
        retention_period: s.retention_period,
        status: "RUNNING".into(),
        stream_type: s.stream_type.clone(),
        data_type: s.data_type.as_str().into(),
        writable_partition_count: count,
        readable_partition_count: count,
        partitions: s
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| StreamPartition {
                partition_id: partition_id(i),
                status: "ACTIVE".into(),
                hash_range: String::new(),
                sequence_number_range: p.sequence_number_range(),
            })
            .collect(),
        has_more_partitions: false,
    }))
}
